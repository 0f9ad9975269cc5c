/**
 * SageMaker in CloudFormation: notebook instances, models (with their artifacts' S3 locations),
 * endpoint configs and Studio domains. Training and processing jobs have no CloudFormation resource.
 * SageMaker ARNs carry the name in lower case; names are limited to 63 characters.
 */
import { modelPackageOf } from '../../inventory/model-package.js';
import { compact } from '../iac/draft.js';
import { UNKNOWN, known, type PropertyReader } from '../iac/props.js';
import { syntheticHexId } from '../iac/synth.js';
import type { MapperTable } from './context.js';
import { nullable, setNotes } from './helpers.js';

export const sageMakerMappers: MapperTable = {
  'AWS::SageMaker::NotebookInstance': {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('NotebookInstanceName');
      const arn = `arn:${p}:sagemaker:${r}:${a}:notebook-instance/${name.toLowerCase()}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { NotebookInstanceName: name } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const notebook = compact({
        ...base(),
        name: identity.name,
        directInternetAccess: known(read.str('DirectInternetAccess', 'Enabled')) as 'Enabled' | 'Disabled' | undefined,
        subnetId: nullable(read.str('SubnetId')),
        securityGroups: known(read.strList('SecurityGroupIds')) ?? (read.value('SecurityGroupIds') === UNKNOWN ? undefined : []),
        kmsKeyId: nullable(read.str('KmsKeyId')),
        rootAccess: known(read.str('RootAccess', 'Enabled')) as 'Enabled' | 'Disabled' | undefined,
        roleArn: known(read.str('RoleArn')),
        instanceType: known(read.str('InstanceType')),
      });
      draft.notebooks.push(notebook);
      defer(() => setNotes(notebook, notes()));
    },
  },
  'AWS::SageMaker::Model': {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('ModelName');
      const arn = `arn:${p}:sagemaker:${r}:${a}:model/${name.toLowerCase()}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { ModelName: name } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const containers = read.list('Containers');
      const model = compact({
        ...base(),
        name: identity.name,
        enableNetworkIsolation: known(read.bool('EnableNetworkIsolation', false)),
        vpcConfig: vpcConfig(read, 'VpcConfig', 'Subnets', 'SecurityGroupIds'),
        executionRoleArn: known(read.str('ExecutionRoleArn')),
        primaryContainerImage:
          known(read.str('PrimaryContainer.Image')) ??
          (Array.isArray(containers) ? known(read.str('Containers[0].Image')) : undefined),
        modelDataUrls: modelDataUrls(read),
        modelPackageName: modelPackageName(read),
      });
      draft.models.push(model);
      defer(() => setNotes(model, notes()));
    },
  },
  'AWS::SageMaker::EndpointConfig': {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('EndpointConfigName');
      const arn = `arn:${p}:sagemaker:${r}:${a}:endpoint-config/${name.toLowerCase()}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { EndpointConfigName: name } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const variants = read.list('ProductionVariants');
      const capture = read.value('DataCaptureConfig');
      const config = compact({
        ...base(),
        name: identity.name,
        kmsKeyId: nullable(read.str('KmsKeyId')),
        dataCaptureEnabled:
          capture === undefined ? false : capture === UNKNOWN ? undefined : known(read.bool('DataCaptureConfig.EnableCapture', true)),
        productionVariants:
          variants === UNKNOWN || variants === undefined
            ? undefined
            : variants.map((_, i) =>
                compact({
                  variantName: known(read.str(`ProductionVariants[${i}].VariantName`)) ?? `variant-${i}`,
                  modelName: modelNameFrom(known(read.str(`ProductionVariants[${i}].ModelName`))) ?? '',
                  instanceType: known(read.str(`ProductionVariants[${i}].InstanceType`)),
                }),
              ),
      });
      draft.endpointConfigs.push(config);
      defer(() => setNotes(config, notes()));
    },
  },
  'AWS::SageMaker::Domain': {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('DomainName');
      const id = syntheticHexId('d-', seed, 12);
      const arn = `arn:${p}:sagemaker:${r}:${a}:domain/${id}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { DomainArn: arn, DomainId: id } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const domain = compact({
        ...base(),
        id: String(identity.attributes.DomainId),
        name: identity.name,
        appNetworkAccessType: known(read.str('AppNetworkAccessType', 'PublicInternetOnly')) as 'PublicInternetOnly' | 'VpcOnly' | undefined,
        kmsKeyId: nullable(read.str('KmsKeyId')),
        vpcId: known(read.str('VpcId')),
        subnetIds: known(read.strList('SubnetIds')),
        authMode: known(read.str('AuthMode')),
      });
      draft.domains.push(domain);
      defer(() => setNotes(domain, notes()));
    },
  },
};

function vpcConfig(read: PropertyReader, property: string, subnets: string, groups: string) {
  const declared = read.value(property);
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const subnetList = read.strList(`${property}.${subnets}`);
  const groupList = read.strList(`${property}.${groups}`);
  if (subnetList === UNKNOWN || groupList === UNKNOWN) return undefined;
  return { subnets: subnetList ?? [], securityGroupIds: groupList ?? [] };
}

/**
 * ModelDataUrl and ModelDataSource.S3DataSource.S3Uri of the primary container, then of each
 * container, as the live collector lists them. One unresolved value (a parameter without default,
 * an import) leaves the whole list absent: a partial list would pass for a complete one.
 */
function modelDataUrls(read: PropertyReader): string[] | undefined {
  const containers = read.list('Containers');
  if (containers === UNKNOWN) return undefined;
  const out: string[] = [];
  let unknown = false;
  for (const container of ['PrimaryContainer', ...(containers ?? []).map((_, i) => `Containers[${i}]`)]) {
    for (const path of [`${container}.ModelDataUrl`, `${container}.ModelDataSource.S3DataSource.S3Uri`]) {
      const value = read.str(path);
      if (value === UNKNOWN) unknown = true;
      else if (value) out.push(value);
    }
  }
  return unknown ? undefined : out;
}

/** PrimaryContainer.ModelPackageName, or that of every container in Containers (see modelPackageOf). */
function modelPackageName(read: PropertyReader): string | null | undefined {
  const packageAt = (path: string) => {
    const value = read.str(path);
    return value === UNKNOWN ? undefined : value === undefined || value === '' ? null : value;
  };
  const primary = read.value('PrimaryContainer');
  if (primary === UNKNOWN) return undefined;
  if (primary !== undefined) return modelPackageOf([packageAt('PrimaryContainer.ModelPackageName')]);
  const containers = read.list('Containers');
  if (containers === UNKNOWN) return undefined;
  return modelPackageOf((containers ?? []).map((_, i) => packageAt(`Containers[${i}].ModelPackageName`)));
}

function modelNameFrom(value: string | undefined): string | undefined {
  // Ref to an AWS::SageMaker::Model returns its ARN; the endpoint config stores the model name.
  if (value === undefined) return undefined;
  const match = /:model\/(.+)$/.exec(value);
  return match ? match[1] : value;
}
