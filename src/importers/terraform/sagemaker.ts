/**
 * SageMaker in a Terraform plan: notebook instances, models (with their artifacts' S3 locations),
 * endpoint configurations and Studio domains. Training and processing jobs have no Terraform resource.
 */
import { modelPackageOf } from '../../inventory/model-package.js';
import { compact } from '../iac/draft.js';
import { UNKNOWN, known } from '../iac/props.js';
import { syntheticHexId } from '../iac/synth.js';
import type { IdentityContext, MapContext, MapperTable } from './context.js';
import { s3UriAt, toStrings } from './helpers.js';

const ENABLED_DISABLED = ['Enabled', 'Disabled'] as const;

// SageMaker: up to 63 letters, digits and hyphens.
const NAME_RULE = { max: 63, charset: 'alnum' } as const;

/** Notebook instances, models and endpoint configurations: named, with the name in the ARN. */
function namedIdentity({ resource, nameOf, given, set, partition: p, region: r, accountId: a }: IdentityContext): void {
  const name = nameOf('name');
  const kind = { aws_sagemaker_notebook_instance: 'notebook-instance', aws_sagemaker_model: 'model', aws_sagemaker_endpoint_configuration: 'endpoint-config' }[resource.type]!;
  set(name, given('arn') ?? `arn:${p}:sagemaker:${r}:${a}:${kind}/${name.toLowerCase()}`, { id: name, name });
}

/** primary_container.model_package_name, or that of every `container` block (see modelPackageOf). */
function modelPackageName(ctx: MapContext): string | null | undefined {
  const r = ctx.resource;
  const packageAt = (block: string, i: number, note: string) => {
    const value = ctx.readStr([block, i, 'model_package_name'], note);
    return value === UNKNOWN ? undefined : value === undefined || value === '' ? null : value;
  };
  if (ctx.block('primary_container')) return modelPackageOf([packageAt('primary_container', 0, 'PrimaryContainer.ModelPackageName')]);
  const containers = ctx.blocks(r.values.container, [...r.jsonPath, 'values', 'container']);
  return modelPackageOf(containers.map((_, i) => packageAt('container', i, `Containers[${i}].ModelPackageName`)));
}

export const sageMakerMappers: MapperTable = {
  aws_sagemaker_notebook_instance: {
    nameRule: NAME_RULE,
    identity: namedIdentity,
    map(ctx) {
      const { unresolved: u, str, nullableStr, base, finish } = ctx;
      const id = ctx.resource.identity;
      const notebook = compact({
        ...base({ direct_internet_access: 'DirectInternetAccess', subnet_id: 'SubnetId', security_groups: 'SecurityGroupIds', kms_key_id: 'KmsKeyId', root_access: 'RootAccess', role_arn: 'RoleArn', instance_type: 'InstanceType' }),
        name: id.name,
        directInternetAccess: ctx.oneOf(['direct_internet_access'], str('direct_internet_access', 'DirectInternetAccess') ?? 'Enabled', ENABLED_DISABLED),
        subnetId: nullableStr('subnet_id', 'SubnetId'),
        securityGroups: known(ctx.readStrList(['security_groups'], 'SecurityGroupIds')) ?? (u.has('SecurityGroupIds') ? undefined : []),
        kmsKeyId: nullableStr('kms_key_id', 'KmsKeyId'),
        rootAccess: ctx.oneOf(['root_access'], str('root_access', 'RootAccess') ?? 'Enabled', ENABLED_DISABLED),
        roleArn: str('role_arn', 'RoleArn'),
        instanceType: str('instance_type', 'InstanceType'),
      });
      if (u.has('DirectInternetAccess')) delete (notebook as { directInternetAccess?: string }).directInternetAccess;
      ctx.draft.notebooks.push(finish(notebook));
    },
  },

  aws_sagemaker_model: {
    nameRule: NAME_RULE,
    identity: namedIdentity,
    map(ctx) {
      const { unresolved: u, str, bool, base, finish } = ctx;
      const id = ctx.resource.identity;
      const vpc = ctx.block('vpc_config');
      const primary = ctx.block('primary_container') ?? ctx.block('container');
      const model = compact({
        ...base({ enable_network_isolation: 'EnableNetworkIsolation', vpc_config: 'VpcConfig', execution_role_arn: 'ExecutionRoleArn', primary_container: 'PrimaryContainer', container: 'Containers' }),
        name: id.name,
        enableNetworkIsolation: bool('enable_network_isolation', 'EnableNetworkIsolation', false),
        vpcConfig: vpc
          ? ctx.isUnknown(['vpc_config'])
            ? (u.add('VpcConfig'), undefined)
            : { subnets: toStrings(vpc.subnets), securityGroupIds: toStrings(vpc.security_group_ids) }
          : null,
        executionRoleArn: str('execution_role_arn', 'ExecutionRoleArn'),
        primaryContainerImage: typeof primary?.image === 'string' ? primary.image : undefined,
        modelDataUrls: modelDataUrls(ctx),
        modelPackageName: modelPackageName(ctx),
      });
      ctx.draft.models.push(finish(model));
    },
  },

  aws_sagemaker_endpoint_configuration: {
    nameRule: NAME_RULE,
    identity: namedIdentity,
    map(ctx) {
      const { resource: r, nullableStr, base, finish } = ctx;
      const id = r.identity;
      const capture = ctx.block('data_capture_config');
      const variants = ctx.blocks(r.values.production_variants, [...r.jsonPath, 'values', 'production_variants']);
      const config = compact({
        ...base({ kms_key_arn: 'KmsKeyId', data_capture_config: 'DataCaptureConfig', production_variants: 'ProductionVariants' }),
        name: id.name,
        kmsKeyId: nullableStr('kms_key_arn', 'KmsKeyId'),
        dataCaptureEnabled: capture ? capture.enable_capture !== false : false,
        productionVariants: variants.map((v, i) =>
          compact({
            variantName: typeof v.variant_name === 'string' ? v.variant_name : `variant-${i}`,
            modelName: known(ctx.readStr(['production_variants', i, 'model_name'], `ProductionVariants[${i}].ModelName`)) ?? '',
            instanceType: typeof v.instance_type === 'string' ? v.instance_type : undefined,
          }),
        ),
      });
      ctx.draft.endpointConfigs.push(finish(config));
    },
  },

  aws_sagemaker_domain: {
    nameRule: NAME_RULE,
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed }) {
      const name = nameOf('domain_name');
      const id = given('id') ?? syntheticHexId('d-', seed, 12);
      set(name, given('arn') ?? `arn:${p}:sagemaker:${r}:${a}:domain/${id}`, { id, domain_name: name });
    },
    map(ctx) {
      const { unresolved: u, str, nullableStr, base, finish } = ctx;
      const id = ctx.resource.identity;
      const domain = compact({
        ...base({ app_network_access_type: 'AppNetworkAccessType', kms_key_id: 'KmsKeyId', vpc_id: 'VpcId', subnet_ids: 'SubnetIds', auth_mode: 'AuthMode' }),
        id: id.attributes.id!,
        name: id.name,
        appNetworkAccessType: ctx.oneOf(['app_network_access_type'], str('app_network_access_type', 'AppNetworkAccessType') ?? 'PublicInternetOnly', ['PublicInternetOnly', 'VpcOnly'] as const),
        kmsKeyId: nullableStr('kms_key_id', 'KmsKeyId'),
        vpcId: str('vpc_id', 'VpcId'),
        subnetIds: known(ctx.readStrList(['subnet_ids'], 'SubnetIds')),
        authMode: str('auth_mode', 'AuthMode'),
      });
      if (u.has('AppNetworkAccessType')) delete (domain as { appNetworkAccessType?: string }).appNetworkAccessType;
      ctx.draft.domains.push(finish(domain));
    },
  },
};

/**
 * model_data_url and model_data_source.s3_data_source.s3_uri of primary_container, then of each
 * container, as the live collector lists them. One value unknown until apply (or a block list
 * that is) leaves the whole list absent: a partial list would pass for a complete one.
 */
function modelDataUrls(ctx: MapContext): string[] | undefined {
  const r = ctx.resource;
  const out: string[] = [];
  let unknown = false;
  for (const [attribute, property] of [['primary_container', 'PrimaryContainer'], ['container', 'Containers']] as const) {
    const blocks = ctx.blocks(r.values[attribute], [...r.jsonPath, 'values', attribute]);
    // At least block 0 is looked at: a whole list unknown until apply shows above it.
    for (let i = 0; i < Math.max(blocks.length, 1); i++) {
      const at = attribute === 'primary_container' ? property : `${property}[${i}]`;
      for (const [path, note] of [
        [[attribute, i, 'model_data_url'], `${at}.ModelDataUrl`],
        [[attribute, i, 'model_data_source', 0, 's3_data_source', 0, 's3_uri'], `${at}.ModelDataSource.S3DataSource.S3Uri`],
      ] as const) {
        const value = s3UriAt(ctx, [...path], note);
        if (value === UNKNOWN) unknown = true;
        else if (value) out.push(value);
      }
    }
  }
  return unknown ? undefined : out;
}
