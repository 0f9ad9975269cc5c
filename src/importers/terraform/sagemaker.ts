/**
 * SageMaker in a Terraform plan: notebook instances, models (with their artifacts' S3 locations),
 * endpoint configurations, endpoints, Model Monitor schedules, data quality job definitions (the
 * only kind of monitoring job definition the provider has) and Studio domains. Training,
 * processing, hyperparameter tuning and batch transform jobs and model cards have no Terraform
 * resource, and a Terraform monitoring schedule always names its job definition.
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
  const kind = {
    aws_sagemaker_notebook_instance: 'notebook-instance',
    aws_sagemaker_model: 'model',
    aws_sagemaker_endpoint_configuration: 'endpoint-config',
    aws_sagemaker_endpoint: 'endpoint',
    aws_sagemaker_monitoring_schedule: 'monitoring-schedule',
    aws_sagemaker_data_quality_job_definition: 'data-quality-job-definition',
  }[resource.type]!;
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
        containerImages: containerImages(ctx),
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
            ...instanceCount(ctx, v, i),
          }),
        ),
      });
      ctx.draft.endpointConfigs.push(finish(config));
    },
  },

  aws_sagemaker_endpoint: {
    nameRule: NAME_RULE,
    identity: namedIdentity,
    map(ctx) {
      const { str, base, finish } = ctx;
      const id = ctx.resource.identity;
      const fields = base({ endpoint_config_name: 'EndpointConfigName', deployment_config: 'DeploymentConfig' });
      const endpoint = compact({
        ...fields,
        // No tags set: the endpoint has none (its environment is then not told by a tag).
        tags: fields.tags ?? (ctx.isUnknown(['tags']) ? undefined : {}),
        name: id.name,
        endpointConfigName: str('endpoint_config_name', 'EndpointConfigName'),
        deploymentConfig: deploymentConfig(ctx),
      });
      ctx.draft.endpoints.push(finish(endpoint));
    },
  },

  aws_sagemaker_monitoring_schedule: {
    nameRule: NAME_RULE,
    identity: namedIdentity,
    map(ctx) {
      const { base, finish } = ctx;
      const id = ctx.resource.identity;
      const type = ctx.readStr(['monitoring_schedule_config', 0, 'monitoring_type'], 'MonitoringScheduleConfig.MonitoringType');
      const definition = ctx.readStr(['monitoring_schedule_config', 0, 'monitoring_job_definition_name'], 'MonitoringScheduleConfig.MonitoringJobDefinitionName');
      const schedule = compact({
        ...base({ monitoring_schedule_config: 'MonitoringScheduleConfig' }),
        name: id.name,
        // A schedule the plan creates starts Scheduled.
        status: 'Scheduled',
        monitoringType: known(type),
        jobDefinitionName: known(definition),
        // The provider has no embedded job definition: the schedule runs the one it names.
        monitoringJobDefinitionName: definition === UNKNOWN ? undefined : (definition ?? null),
        jobDefinition: null,
      });
      ctx.draft.monitoringSchedules.push(finish(schedule));
    },
  },

  aws_sagemaker_data_quality_job_definition: {
    nameRule: NAME_RULE,
    identity: namedIdentity,
    map(ctx) {
      const { str, bool, base, finish } = ctx;
      const read = ctx.readStr(['data_quality_job_input', 0, 'endpoint_input', 0, 'endpoint_name'], 'DataQualityJobInput.EndpointInput.EndpointName');
      const endpoint = known(read);
      const key = `${ctx.region}/${ctx.resource.identity.name}`;
      if (!ctx.draft.monitoringJobDefinitions.has(key)) {
        ctx.draft.monitoringJobDefinitions.set(key, { monitoringType: 'DataQuality', ...(endpoint ? { endpointName: endpoint } : {}) });
      }
      const network = ['network_config', 0] as const;
      const vpcUnknown = ctx.isUnknown([...network, 'vpc_config']);
      const vpc = vpcUnknown ? undefined : vpcBlock(ctx);
      const definition = compact({
        ...base({
          network_config: 'NetworkConfig',
          job_resources: 'JobResources',
          data_quality_job_output_config: 'DataQualityJobOutputConfig',
          role_arn: 'RoleArn',
        }),
        name: ctx.resource.identity.name,
        monitoringType: 'DataQuality' as const,
        endpointName: read === UNKNOWN ? undefined : (endpoint ?? null),
        enableNetworkIsolation: bool([...network, 'enable_network_isolation'], 'NetworkConfig.EnableNetworkIsolation', false),
        enableInterContainerTrafficEncryption: bool(
          [...network, 'enable_inter_container_traffic_encryption'],
          'NetworkConfig.EnableInterContainerTrafficEncryption',
          false,
        ),
        vpcConfig: vpc,
        volumeKmsKeyId: nullable(ctx.readStr(['job_resources', 0, 'cluster_config', 0, 'volume_kms_key_id'], 'JobResources.ClusterConfig.VolumeKmsKeyId')),
        outputKmsKeyId: nullable(ctx.readStr(['data_quality_job_output_config', 0, 'kms_key_id'], 'DataQualityJobOutputConfig.KmsKeyId')),
        roleArn: str('role_arn', 'RoleArn'),
      });
      if (vpcUnknown) ctx.unresolved.add('NetworkConfig.VpcConfig');
      ctx.draft.monitoringDefinitions.push(finish(definition));
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
/** The image of the primary container and of every container, in order (undefined when one is unknown). */
function containerImages(ctx: MapContext): string[] | undefined {
  const r = ctx.resource;
  const out: string[] = [];
  for (const attribute of ['primary_container', 'container'] as const) {
    const blocks = ctx.blocks(r.values[attribute], [...r.jsonPath, 'values', attribute]).slice(0, 100);
    // An image known only after apply (a repository of the same plan) leaves the list unknown; it is
    // not noted as an unresolved property (the model's own settings do not depend on it).
    for (let i = 0; i < Math.max(blocks.length, 1); i++) {
      if (ctx.isUnknown([attribute, i, 'image'])) return undefined;
      const value = blocks[i]?.image;
      if (typeof value === 'string' && value && !out.includes(value)) out.push(value);
    }
  }
  return out;
}

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

/** initial_instance_count (null when none: serverless or inference components) and serverless_config of a variant. */
function instanceCount(ctx: MapContext, variant: Record<string, unknown>, i: number): { initialInstanceCount?: number | null; serverless?: boolean } {
  const at = [...ctx.resource.jsonPath, 'values', 'production_variants', i];
  const unknownCount = ctx.isUnknown(['production_variants', i, 'initial_instance_count']);
  const count = variant.initial_instance_count;
  const serverless = ctx.blocks(variant.serverless_config, [...at, 'serverless_config']).length > 0;
  return {
    ...(unknownCount ? {} : { initialInstanceCount: count === undefined || count === null ? null : ctx.number(count, [...at, 'initial_instance_count']) }),
    ...(serverless ? { serverless: true } : {}),
  };
}

/** deployment_config: its update policy and the alarms that roll an update back; null when not set. */
function deploymentConfig(ctx: MapContext) {
  const r = ctx.resource;
  if (ctx.isUnknown(['deployment_config'])) return undefined;
  const config = ctx.block('deployment_config');
  if (!config) return null;
  const at = [...r.jsonPath, 'values', 'deployment_config', 0];
  const blueGreen = ctx.blocks(config.blue_green_update_policy, [...at, 'blue_green_update_policy']);
  const rolling = ctx.blocks(config.rolling_update_policy, [...at, 'rolling_update_policy']);
  const rollback = ctx.blocks(config.auto_rollback_configuration, [...at, 'auto_rollback_configuration']);
  const alarms = rollback.length ? ctx.blocks(rollback[0]!.alarms, [...at, 'auto_rollback_configuration', 0, 'alarms']) : [];
  const names: string[] = [];
  for (let i = 0; i < alarms.length; i++) {
    const name = ctx.readStr(['deployment_config', 0, 'auto_rollback_configuration', 0, 'alarms', i, 'alarm_name'], `DeploymentConfig.AutoRollbackConfiguration.Alarms[${i}].AlarmName`);
    if (name === UNKNOWN) return undefined;
    if (name) names.push(name);
  }
  const routingBlocks = blueGreen.length
    ? ctx.blocks(blueGreen[0]!.traffic_routing_configuration, [...at, 'blue_green_update_policy', 0, 'traffic_routing_configuration'])
    : [];
  const routing = routingBlocks[0]?.type;
  return compact({
    updatePolicy: blueGreen.length ? ('BlueGreen' as const) : rolling.length ? ('Rolling' as const) : null,
    trafficRouting: blueGreen.length && typeof routing === 'string' ? routing : undefined,
    rollbackAlarms: names.sort(),
  });
}

/** A value unknown until apply stays absent; not set is null. */
function nullable(value: string | typeof UNKNOWN | undefined): string | null | undefined {
  return value === UNKNOWN ? undefined : value === undefined || value === '' ? null : value;
}

/** network_config.vpc_config of a monitoring job definition; null when none. */
function vpcBlock(ctx: MapContext): { subnets: string[]; securityGroupIds: string[] } | null {
  const network = ctx.block('network_config');
  if (!network) return null;
  const vpc = ctx.blocks(network.vpc_config, [...ctx.resource.jsonPath, 'values', 'network_config', 0, 'vpc_config'])[0];
  return vpc ? { subnets: toStrings(vpc.subnets), securityGroupIds: toStrings(vpc.security_group_ids) } : null;
}
