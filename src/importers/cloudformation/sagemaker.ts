/**
 * SageMaker in CloudFormation: notebook instances, models (with their artifacts' S3 locations),
 * endpoint configs, endpoints, Model Monitor schedules (with the job definition they embed), the
 * four kinds of monitoring job definitions, batch transform jobs, model cards and Studio domains.
 * Training, processing and hyperparameter tuning jobs have no CloudFormation resource.
 * SageMaker ARNs carry the name in lower case; names are limited to 63 characters.
 */
import { overviewFrom } from '../../inventory/model-card.js';
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
        containerImages: containerImages(read),
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
                  ...instanceCount(read, `ProductionVariants[${i}]`),
                }),
              ),
      });
      draft.endpointConfigs.push(config);
      defer(() => setNotes(config, notes()));
    },
  },
  'AWS::SageMaker::Endpoint': {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('EndpointName');
      const arn = `arn:${p}:sagemaker:${r}:${a}:endpoint/${name.toLowerCase()}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { EndpointName: name } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const fields = base();
      const endpoint = compact({
        ...fields,
        // No Tags declared: the endpoint has none (its environment is then not told by a tag).
        tags: fields.tags ?? (read.value('Tags') === UNKNOWN ? undefined : {}),
        name: identity.name,
        endpointConfigName: nameFromArn(known(read.str('EndpointConfigName')), ':endpoint-config/'),
        deploymentConfig: deploymentConfig(read),
      });
      draft.endpoints.push(endpoint);
      defer(() => setNotes(endpoint, notes()));
    },
  },
  'AWS::SageMaker::MonitoringSchedule': {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('MonitoringScheduleName');
      const arn = `arn:${p}:sagemaker:${r}:${a}:monitoring-schedule/${name.toLowerCase()}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { MonitoringScheduleName: name } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const config = 'MonitoringScheduleConfig';
      const inline = read.value(`${config}.MonitoringJobDefinition`);
      const definitionName = read.str(`${config}.MonitoringJobDefinitionName`);
      const declaredType = read.str(`${config}.MonitoringType`);
      // A schedule with an inline job definition runs the built-in data quality monitor.
      const monitoringType = declaredType === UNKNOWN ? undefined : (declaredType ?? (inline !== undefined && inline !== UNKNOWN ? 'DataQuality' : undefined));
      const named = definitionName === UNKNOWN ? undefined : definitionNameFrom(definitionName);
      const schedule = compact({
        ...base(),
        name: identity.name,
        status: known(read.str('MonitoringScheduleStatus', 'Scheduled')),
        monitoringType,
        endpointName: scheduleEndpoint(read, inline),
        jobDefinitionName: named,
        monitoringJobDefinitionName: inline !== undefined && inline !== UNKNOWN ? null : definitionName === UNKNOWN ? undefined : (named ?? null),
        jobDefinition: inline === UNKNOWN ? undefined : inline === undefined ? null : jobSecurity(read, `${config}.MonitoringJobDefinition`, 'MonitoringResources', 'MonitoringOutputConfig'),
      });
      draft.monitoringSchedules.push(schedule);
      defer(() => setNotes(schedule, notes()));
    },
  },
  'AWS::SageMaker::DataQualityJobDefinition': jobDefinition('DataQuality'),
  'AWS::SageMaker::ModelQualityJobDefinition': jobDefinition('ModelQuality'),
  'AWS::SageMaker::ModelBiasJobDefinition': jobDefinition('ModelBias'),
  'AWS::SageMaker::ModelExplainabilityJobDefinition': jobDefinition('ModelExplainability'),
  'AWS::SageMaker::TransformJob': {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, seed }) {
      // The template cannot name a transform job: CloudFormation generates the name.
      const name = `transform-job-${syntheticHexId('', seed, 12)}`;
      const arn = `arn:${p}:sagemaker:${r}:${a}:transform-job/${name}`;
      return { name, arn, ref: arn, attributes: { TransformJobName: name, TransformJobArn: arn } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const job = compact({
        ...base(),
        name: identity.name,
        modelName: modelNameFrom(known(read.str('ModelName'))),
        volumeKmsKeyId: nullable(read.str('TransformResources.VolumeKmsKeyId')),
        outputKmsKeyId: nullable(read.str('TransformOutput.KmsKeyId')),
      });
      draft.transformJobs.push(job);
      defer(() => setNotes(job, notes()));
    },
  },
  'AWS::SageMaker::ModelCard': {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('ModelCardName');
      const arn = `arn:${p}:sagemaker:${r}:${a}:model-card/${name.toLowerCase()}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { ModelCardName: name, ModelCardArn: arn } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const overview = read.value('Content.ModelOverview');
      const id = read.str('Content.ModelOverview.ModelId');
      const modelName = read.str('Content.ModelOverview.ModelName');
      const known_ = overview !== UNKNOWN && overview !== undefined ? overviewFrom(overview, 'ModelId', 'ModelName') : undefined;
      const card = compact({
        ...base(),
        name: identity.name,
        status: known(read.str('ModelCardStatus')),
        kmsKeyId: nullable(read.str('SecurityConfig.KmsKeyId')),
        // The template's content is all there is: no overview means the card names no model.
        modelId: id === UNKNOWN ? undefined : overview === undefined ? null : (known_?.modelId ?? null),
        modelName: modelName === UNKNOWN ? undefined : overview === undefined ? null : (known_?.modelName ?? null),
      });
      draft.modelCards.push(card);
      defer(() => setNotes(card, notes()));
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
/** The Image of the primary container and of every container, in order (undefined when one is unknown). */
function containerImages(read: PropertyReader): string[] | undefined {
  const containers = read.list('Containers');
  if (containers === UNKNOWN) return undefined;
  const out: string[] = [];
  for (const container of ['PrimaryContainer', ...(containers ?? []).slice(0, 100).map((_, i) => `Containers[${i}]`)]) {
    const value = read.str(`${container}.Image`);
    if (value === UNKNOWN) return undefined;
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

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

/** A ModelName/EndpointConfigName given as the resource's ARN (a Ref) becomes the name. */
function nameFromArn(value: string | undefined, marker: string): string | undefined {
  if (value === undefined) return undefined;
  const at = value.indexOf(marker);
  return at >= 0 && value.startsWith('arn:') ? value.slice(at + marker.length) : value;
}

/** InitialInstanceCount (null when none: serverless or inference components) and ServerlessConfig of a variant. */
function instanceCount(read: PropertyReader, variant: string): { initialInstanceCount?: number | null; serverless?: boolean } {
  const count = read.num(`${variant}.InitialInstanceCount`);
  const serverless = read.value(`${variant}.ServerlessConfig`);
  return {
    ...(count === UNKNOWN ? {} : { initialInstanceCount: count === undefined ? null : count }),
    ...(serverless !== undefined && serverless !== UNKNOWN ? { serverless: true } : {}),
  };
}

/** DeploymentConfig: its update policy and the alarms that roll an update back; null when not declared. */
function deploymentConfig(read: PropertyReader) {
  const declared = read.value('DeploymentConfig');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  // Not an object (CloudFormation rejects it): what it would do is not known.
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) return undefined;
  const blueGreen = read.value('DeploymentConfig.BlueGreenUpdatePolicy');
  const rolling = read.value('DeploymentConfig.RollingUpdatePolicy');
  const alarms = read.list('DeploymentConfig.AutoRollbackConfiguration.Alarms');
  if (blueGreen === UNKNOWN || rolling === UNKNOWN || alarms === UNKNOWN) return undefined;
  const names: string[] = [];
  for (let i = 0; i < (alarms ?? []).length; i++) {
    const name = read.str(`DeploymentConfig.AutoRollbackConfiguration.Alarms[${i}].AlarmName`);
    if (name === UNKNOWN) return undefined;
    if (name) names.push(name);
  }
  const routing = known(read.str('DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type'));
  return compact({
    updatePolicy: blueGreen !== undefined ? ('BlueGreen' as const) : rolling !== undefined ? ('Rolling' as const) : null,
    trafficRouting: blueGreen !== undefined ? routing : undefined,
    rollbackAlarms: names.sort(),
  });
}

/** EndpointName, else the endpoint input of the inline job definition; null when neither names one. */
function scheduleEndpoint(read: PropertyReader, inline: unknown): string | null | undefined {
  const top = read.str('EndpointName');
  if (top === UNKNOWN) return undefined;
  if (top) return nameFromArn(top, ':endpoint/');
  if (inline === UNKNOWN) return undefined;
  if (inline === undefined) return undefined; // a named job definition: resolved from it, if declared
  const inputs = read.list('MonitoringScheduleConfig.MonitoringJobDefinition.MonitoringInputs');
  if (inputs === UNKNOWN) return undefined;
  for (let i = 0; i < (inputs ?? []).length; i++) {
    const name = read.str(`MonitoringScheduleConfig.MonitoringJobDefinition.MonitoringInputs[${i}].EndpointInput.EndpointName`);
    if (name === UNKNOWN) return undefined;
    if (name) return nameFromArn(name, ':endpoint/');
  }
  return null;
}

/** A monitoring job definition: an inventory resource, and recorded for the schedules that name it. */
function jobDefinition(monitoringType: 'DataQuality' | 'ModelQuality' | 'ModelBias' | 'ModelExplainability'): MapperTable[string] {
  // The job input and output properties are named after the type: DataQualityJobInput, ...
  const prefix = monitoringType;
  return {
    nameLimit: { max: 63 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('JobDefinitionName');
      const arn = `arn:${p}:sagemaker:${r}:${a}:${monitoringType === 'DataQuality' ? 'data-quality' : monitoringType === 'ModelQuality' ? 'model-quality' : monitoringType === 'ModelBias' ? 'model-bias' : 'model-explainability'}-job-definition/${name.toLowerCase()}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { JobDefinitionName: name, JobDefinitionArn: arn } };
    },
    map(_resource, { draft, read, identity, region, base, notes, defer }) {
      const fromInput = read.str(`${prefix}JobInput.EndpointInput.EndpointName`);
      const top = read.str('EndpointName');
      const endpointRaw = top === UNKNOWN || fromInput === UNKNOWN ? UNKNOWN : (top || fromInput);
      const endpoint = endpointRaw === UNKNOWN ? undefined : endpointRaw ? nameFromArn(endpointRaw, ':endpoint/')! : null;
      const key = `${region}/${identity.name}`;
      if (!draft.monitoringJobDefinitions.has(key)) {
        draft.monitoringJobDefinitions.set(key, { monitoringType, ...(endpoint ? { endpointName: endpoint } : {}) });
      }
      const definition = compact({
        ...base(),
        name: identity.name,
        monitoringType,
        endpointName: endpoint,
        ...jobSecurity(read, '', 'JobResources', `${prefix}JobOutputConfig`),
      });
      draft.monitoringDefinitions.push(definition);
      defer(() => setNotes(definition, notes()));
    },
  };
}

/**
 * NetworkConfig, the cluster's VolumeKmsKeyId, the output KmsKeyId and RoleArn of a monitoring job
 * (a job definition at `at` = '', or the job a schedule embeds). Flags not declared are false.
 */
function jobSecurity(read: PropertyReader, at: string, resources: string, output: string) {
  const p = (path: string) => (at ? `${at}.${path}` : path);
  return compact({
    enableNetworkIsolation: known(read.bool(p('NetworkConfig.EnableNetworkIsolation'), false)),
    enableInterContainerTrafficEncryption: known(read.bool(p('NetworkConfig.EnableInterContainerTrafficEncryption'), false)),
    vpcConfig: read.value(p('NetworkConfig')) === UNKNOWN ? undefined : vpcConfig(read, p('NetworkConfig.VpcConfig'), 'Subnets', 'SecurityGroupIds'),
    volumeKmsKeyId: nullable(read.str(p(`${resources}.ClusterConfig.VolumeKmsKeyId`))),
    outputKmsKeyId: nullable(read.str(p(`${output}.KmsKeyId`))),
    roleArn: known(read.str(p('RoleArn'))),
  });
}

/** A MonitoringJobDefinitionName given as the definition's ARN (a Ref) becomes the name. */
function definitionNameFrom(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith('arn:')) return value;
  const at = value.indexOf('-job-definition/');
  return at >= 0 ? value.slice(at + '-job-definition/'.length) : value;
}
