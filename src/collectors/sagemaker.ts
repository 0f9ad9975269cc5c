/**
 * SageMaker, per region: notebook instances, training, processing, hyperparameter tuning and batch
 * transform jobs (created inside the --since window; training and processing jobs with the S3 data
 * they read and write), the four kinds of Model Monitor job definitions, models (with their artifacts' S3
 * locations), endpoint configurations, endpoints (with their tags and deployment guardrails),
 * Model Monitor schedules, model cards, Studio domains and model package groups with their
 * packages' approval status. Each resource is listed, then described.
 */
import {
  DescribeDataQualityJobDefinitionCommand,
  DescribeDomainCommand,
  DescribeHyperParameterTuningJobCommand,
  DescribeModelBiasJobDefinitionCommand,
  DescribeModelExplainabilityJobDefinitionCommand,
  DescribeModelQualityJobDefinitionCommand,
  DescribeTransformJobCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCardCommand,
  DescribeModelCommand,
  DescribeMonitoringScheduleCommand,
  DescribeNotebookInstanceCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  ListDataQualityJobDefinitionsCommand,
  ListDomainsCommand,
  ListHyperParameterTuningJobsCommand,
  ListModelBiasJobDefinitionsCommand,
  ListModelExplainabilityJobDefinitionsCommand,
  ListModelQualityJobDefinitionsCommand,
  ListTransformJobsCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelCardsCommand,
  ListModelPackageGroupsCommand,
  ListModelPackagesCommand,
  ListModelsCommand,
  ListMonitoringSchedulesCommand,
  ListNotebookInstancesCommand,
  ListProcessingJobsCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  type ContainerDefinition,
  type DeploymentConfig,
  type HyperParameterTrainingJobDefinition,
  type MonitoringJobDefinition,
  type MonitoringNetworkConfig,
  type MonitoringResources,
  type NetworkConfig,
  type SageMakerClient,
  type VpcConfig,
} from '@aws-sdk/client-sagemaker';
import { modelCardOverviewOf } from '../inventory/model-card.js';
import { modelPackageOf } from '../inventory/model-package.js';
import type { OperationName } from './operations.js';
import { forEachBounded, paginate, type CollectRuntime, type Outcome } from './runtime.js';
import { iso, type SageMakerSectionInput } from './shapes.js';
import type { z } from 'zod';
import type { sageMakerJobSecuritySchema } from '../inventory/schema.js';

type SageMakerJobSecurityInput = z.input<typeof sageMakerJobSecuritySchema>;

type Section = SageMakerSectionInput;
type Item<K extends keyof Section> = NonNullable<Section[K]>[number];

/** Each list is undefined when its listing failed in this region. */
export type SageMakerRegionResult = { [K in keyof Section]?: NonNullable<Section[K]> };

/**
 * Lists with NextToken pagination, then maps each listed item (usually through a Describe call) with
 * bounded concurrency. An item whose Describe fails is still reported with what the listing gave.
 */
async function listThenMap<Page extends { NextToken?: string }, Listed, Out>(
  rt: CollectRuntime,
  list: (token: string | undefined) => Promise<Outcome<Page>>,
  itemsOf: (page: Page) => Listed[] | undefined,
  map: (item: Listed) => Promise<Out | undefined>,
): Promise<Out[] | undefined> {
  const listed: Listed[] = [];
  const result = await paginate(list, (page) => page.NextToken, (page) => listed.push(...(itemsOf(page) ?? [])));
  if (result === 'failed') return undefined;
  const out: Out[] = [];
  await forEachBounded(listed, rt.concurrencyFor('sagemaker'), async (item) => {
    const mapped = await map(item);
    if (mapped !== undefined) out.push(mapped);
  });
  return out;
}

function vpcOf(config: VpcConfig | undefined): { subnets: string[]; securityGroupIds: string[] } | null {
  return config ? { subnets: config.Subnets ?? [], securityGroupIds: config.SecurityGroupIds ?? [] } : null;
}

/** The set S3 URIs, in order: missing or empty ones (channels from EFS, FSx, Athena...) are skipped. */
function uris(values: (string | undefined)[]): string[] {
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** ModelDataUrl and ModelDataSource.S3DataSource.S3Uri of the primary container, then of each container. */
function modelDataUrlsOf(primary: ContainerDefinition | undefined, containers: ContainerDefinition[] | undefined): string[] {
  return uris([primary, ...(containers ?? [])].flatMap((c) => [c?.ModelDataUrl, c?.ModelDataSource?.S3DataSource?.S3Uri]));
}

const token = (t: string | undefined) => (t ? { NextToken: t } : {});

type JobSecurity = SageMakerJobSecurityInput;

/** A tuning job's training job definition, with the fields a training job has. */
function tuningDefinitionOf(d: HyperParameterTrainingJobDefinition): NonNullable<Item<'hyperParameterTuningJobs'>['trainingJobDefinitions']>[number] {
  return {
    definitionName: d.DefinitionName || null,
    enableNetworkIsolation: d.EnableNetworkIsolation === true,
    enableInterContainerTrafficEncryption: d.EnableInterContainerTrafficEncryption === true,
    vpcConfig: vpcOf(d.VpcConfig),
    volumeKmsKeyId: d.ResourceConfig?.VolumeKmsKeyId || null,
    outputKmsKeyId: d.OutputDataConfig?.KmsKeyId || null,
    ...(d.RoleArn ? { roleArn: d.RoleArn } : {}),
  };
}

/** The settings of a monitoring job: a job definition's, or the one a schedule embeds. */
export function monitoringSecurityOf(
  network: MonitoringNetworkConfig | NetworkConfig | undefined,
  resources: MonitoringResources | undefined,
  outputKmsKeyId: string | undefined,
  roleArn: string | undefined,
): JobSecurity {
  return {
    enableNetworkIsolation: network?.EnableNetworkIsolation === true,
    enableInterContainerTrafficEncryption: network?.EnableInterContainerTrafficEncryption === true,
    vpcConfig: vpcOf(network?.VpcConfig),
    volumeKmsKeyId: resources?.ClusterConfig?.VolumeKmsKeyId || null,
    outputKmsKeyId: outputKmsKeyId || null,
    ...(roleArn ? { roleArn } : {}),
  };
}

function embeddedDefinitionOf(d: MonitoringJobDefinition | undefined): JobSecurity | null {
  if (!d) return null;
  return monitoringSecurityOf(d.NetworkConfig, d.MonitoringResources, d.MonitoringOutputConfig?.KmsKeyId, d.RoleArn);
}

export async function collectSageMakerRegion(rt: CollectRuntime, region: string, since: Date): Promise<SageMakerRegionResult> {
  const call = <T>(operation: OperationName<'sagemaker'>, run: (client: SageMakerClient) => Promise<T>, resource?: string) =>
    rt.call('sagemaker', region, operation, run, resource ? { resource } : {});

  const notebooks = listThenMap(
    rt,
    (t) => call('ListNotebookInstances', (c) => c.send(new ListNotebookInstancesCommand({ MaxResults: 100, ...token(t) }))),
    (page) => page.NotebookInstances,
    async (summary): Promise<Item<'notebookInstances'> | undefined> => {
      if (!summary.NotebookInstanceArn || !summary.NotebookInstanceName) return undefined;
      const item: Item<'notebookInstances'> = { arn: summary.NotebookInstanceArn, region, name: summary.NotebookInstanceName };
      if (summary.NotebookInstanceStatus) item.status = summary.NotebookInstanceStatus;
      if (summary.InstanceType) item.instanceType = summary.InstanceType;
      const d = await call(
        'DescribeNotebookInstance',
        (c) => c.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: summary.NotebookInstanceName! })),
        item.arn,
      );
      if (d.status === 'ok') {
        const v = d.value;
        if (v.NotebookInstanceStatus) item.status = v.NotebookInstanceStatus;
        if (v.DirectInternetAccess) item.directInternetAccess = v.DirectInternetAccess;
        item.subnetId = v.SubnetId ?? null;
        item.securityGroups = v.SecurityGroups ?? [];
        item.kmsKeyId = v.KmsKeyId ?? null;
        if (v.RootAccess) item.rootAccess = v.RootAccess;
        if (v.RoleArn) item.roleArn = v.RoleArn;
        if (v.InstanceType) item.instanceType = v.InstanceType;
      }
      return item;
    },
  );

  const trainingJobs = listThenMap(
    rt,
    (t) => call('ListTrainingJobs', (c) => c.send(new ListTrainingJobsCommand({ MaxResults: 100, CreationTimeAfter: since, ...token(t) }))),
    (page) => page.TrainingJobSummaries,
    async (summary): Promise<Item<'trainingJobs'> | undefined> => {
      if (!summary.TrainingJobArn || !summary.TrainingJobName) return undefined;
      const item: Item<'trainingJobs'> = { arn: summary.TrainingJobArn, region, name: summary.TrainingJobName };
      if (summary.TrainingJobStatus) item.status = summary.TrainingJobStatus;
      const created = iso(summary.CreationTime);
      if (created) item.creationTime = created;
      const d = await call('DescribeTrainingJob', (c) => c.send(new DescribeTrainingJobCommand({ TrainingJobName: summary.TrainingJobName! })), item.arn);
      if (d.status === 'ok') {
        const v = d.value;
        item.enableNetworkIsolation = v.EnableNetworkIsolation === true;
        item.enableInterContainerTrafficEncryption = v.EnableInterContainerTrafficEncryption === true;
        item.vpcConfig = vpcOf(v.VpcConfig);
        item.volumeKmsKeyId = v.ResourceConfig?.VolumeKmsKeyId ?? null;
        item.outputKmsKeyId = v.OutputDataConfig?.KmsKeyId ?? null;
        if (v.RoleArn) item.roleArn = v.RoleArn;
        item.inputS3Uris = uris((v.InputDataConfig ?? []).map((c) => c.DataSource?.S3DataSource?.S3Uri));
        if (v.OutputDataConfig?.S3OutputPath) item.outputS3Path = v.OutputDataConfig.S3OutputPath;
        item.checkpointS3Uri = v.CheckpointConfig?.S3Uri || null;
        item.trainingImage = v.AlgorithmSpecification?.TrainingImage || null;
      }
      return item;
    },
  );

  const processingJobs = listThenMap(
    rt,
    (t) => call('ListProcessingJobs', (c) => c.send(new ListProcessingJobsCommand({ MaxResults: 100, CreationTimeAfter: since, ...token(t) }))),
    (page) => page.ProcessingJobSummaries,
    async (summary): Promise<Item<'processingJobs'> | undefined> => {
      if (!summary.ProcessingJobArn || !summary.ProcessingJobName) return undefined;
      const item: Item<'processingJobs'> = { arn: summary.ProcessingJobArn, region, name: summary.ProcessingJobName };
      if (summary.ProcessingJobStatus) item.status = summary.ProcessingJobStatus;
      const created = iso(summary.CreationTime);
      if (created) item.creationTime = created;
      const d = await call(
        'DescribeProcessingJob',
        (c) => c.send(new DescribeProcessingJobCommand({ ProcessingJobName: summary.ProcessingJobName! })),
        item.arn,
      );
      if (d.status === 'ok') {
        const v = d.value;
        item.enableNetworkIsolation = v.NetworkConfig?.EnableNetworkIsolation === true;
        item.enableInterContainerTrafficEncryption = v.NetworkConfig?.EnableInterContainerTrafficEncryption === true;
        item.vpcConfig = vpcOf(v.NetworkConfig?.VpcConfig);
        item.volumeKmsKeyId = v.ProcessingResources?.ClusterConfig?.VolumeKmsKeyId ?? null;
        item.outputKmsKeyId = v.ProcessingOutputConfig?.KmsKeyId ?? null;
        if (v.RoleArn) item.roleArn = v.RoleArn;
        item.inputS3Uris = uris((v.ProcessingInputs ?? []).map((i) => i.S3Input?.S3Uri));
        item.outputS3Uris = uris((v.ProcessingOutputConfig?.Outputs ?? []).map((o) => o.S3Output?.S3Uri));
        if (v.AppSpecification?.ImageUri) item.imageUri = v.AppSpecification.ImageUri;
      }
      return item;
    },
  );

  const models = listThenMap(
    rt,
    (t) => call('ListModels', (c) => c.send(new ListModelsCommand({ MaxResults: 100, ...token(t) }))),
    (page) => page.Models,
    async (summary): Promise<Item<'models'> | undefined> => {
      if (!summary.ModelArn || !summary.ModelName) return undefined;
      const item: Item<'models'> = { arn: summary.ModelArn, region, name: summary.ModelName };
      const d = await call('DescribeModel', (c) => c.send(new DescribeModelCommand({ ModelName: summary.ModelName! })), item.arn);
      if (d.status === 'ok') {
        const v = d.value;
        item.enableNetworkIsolation = v.EnableNetworkIsolation === true;
        item.vpcConfig = vpcOf(v.VpcConfig);
        if (v.ExecutionRoleArn) item.executionRoleArn = v.ExecutionRoleArn;
        const image = v.PrimaryContainer?.Image ?? v.Containers?.[0]?.Image;
        if (image) item.primaryContainerImage = image;
        item.containerImages = [...new Set([v.PrimaryContainer, ...(v.Containers ?? [])].flatMap((c) => (c?.Image ? [c.Image] : [])))];
        item.modelDataUrls = modelDataUrlsOf(v.PrimaryContainer, v.Containers);
        const containers = v.PrimaryContainer ? [v.PrimaryContainer] : (v.Containers ?? []);
        const modelPackageName = modelPackageOf(containers.map((c) => c.ModelPackageName || null));
        if (modelPackageName !== undefined) item.modelPackageName = modelPackageName;
      }
      return item;
    },
  );

  const endpointConfigs = listThenMap(
    rt,
    (t) => call('ListEndpointConfigs', (c) => c.send(new ListEndpointConfigsCommand({ MaxResults: 100, ...token(t) }))),
    (page) => page.EndpointConfigs,
    async (summary): Promise<Item<'endpointConfigs'> | undefined> => {
      if (!summary.EndpointConfigArn || !summary.EndpointConfigName) return undefined;
      const item: Item<'endpointConfigs'> = { arn: summary.EndpointConfigArn, region, name: summary.EndpointConfigName };
      const d = await call(
        'DescribeEndpointConfig',
        (c) => c.send(new DescribeEndpointConfigCommand({ EndpointConfigName: summary.EndpointConfigName! })),
        item.arn,
      );
      if (d.status === 'ok') {
        const v = d.value;
        item.kmsKeyId = v.KmsKeyId ?? null;
        item.dataCaptureEnabled = v.DataCaptureConfig?.EnableCapture === true;
        item.productionVariants = (v.ProductionVariants ?? []).map((p) => ({
          variantName: p.VariantName ?? '',
          modelName: p.ModelName ?? '',
          ...(p.InstanceType ? { instanceType: p.InstanceType } : {}),
          initialInstanceCount: p.InitialInstanceCount ?? null,
          ...(p.ServerlessConfig ? { serverless: true } : {}),
        }));
      }
      return item;
    },
  );

  const domains = listThenMap(
    rt,
    (t) => call('ListDomains', (c) => c.send(new ListDomainsCommand({ MaxResults: 100, ...token(t) }))),
    (page) => page.Domains,
    async (summary): Promise<Item<'domains'> | undefined> => {
      if (!summary.DomainArn || !summary.DomainId) return undefined;
      const item: Item<'domains'> = { arn: summary.DomainArn, region, id: summary.DomainId, name: summary.DomainName ?? summary.DomainId };
      const d = await call('DescribeDomain', (c) => c.send(new DescribeDomainCommand({ DomainId: summary.DomainId! })), item.arn);
      if (d.status === 'ok') {
        const v = d.value;
        if (v.AppNetworkAccessType) item.appNetworkAccessType = v.AppNetworkAccessType;
        item.kmsKeyId = v.KmsKeyId ?? null;
        if (v.VpcId) item.vpcId = v.VpcId;
        if (v.SubnetIds) item.subnetIds = v.SubnetIds;
        if (v.AuthMode) item.authMode = v.AuthMode;
      }
      return item;
    },
  );

  const modelPackageGroups = listThenMap(
    rt,
    (t) => call('ListModelPackageGroups', (c) => c.send(new ListModelPackageGroupsCommand({ MaxResults: 100, ...token(t) }))),
    (page) => page.ModelPackageGroupSummaryList,
    async (summary): Promise<Item<'modelPackageGroups'> | undefined> => {
      if (!summary.ModelPackageGroupArn || !summary.ModelPackageGroupName) return undefined;
      const item: Item<'modelPackageGroups'> = { arn: summary.ModelPackageGroupArn, region, name: summary.ModelPackageGroupName };
      const packages: NonNullable<Item<'modelPackageGroups'>['packages']> = [];
      const listed = await paginate(
        (t) =>
          call(
            'ListModelPackages',
            (c) => c.send(new ListModelPackagesCommand({ ModelPackageGroupName: summary.ModelPackageGroupName!, MaxResults: 100, ...token(t) })),
            item.arn,
          ),
        (page) => page.NextToken,
        (page) => {
          for (const p of page.ModelPackageSummaryList ?? []) {
            if (!p.ModelPackageArn) continue;
            const entry: (typeof packages)[number] = { arn: p.ModelPackageArn };
            if (p.ModelPackageVersion !== undefined) entry.version = p.ModelPackageVersion;
            if (p.ModelApprovalStatus) entry.approvalStatus = p.ModelApprovalStatus;
            packages.push(entry);
          }
        },
      );
      // A partial package list would hide unapproved packages: without the full list, leave it unknown.
      if (listed === 'complete') item.packages = packages.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
      return item;
    },
  );

  const endpoints = listThenMap(
    rt,
    (t) => call('ListEndpoints', (c) => c.send(new ListEndpointsCommand({ MaxResults: 100, ...token(t) }))),
    (page) => page.Endpoints,
    async (summary): Promise<Item<'endpoints'> | undefined> => {
      if (!summary.EndpointArn || !summary.EndpointName) return undefined;
      const item: Item<'endpoints'> = { arn: summary.EndpointArn, region, name: summary.EndpointName };
      if (summary.EndpointStatus) item.status = summary.EndpointStatus;
      const [d, tags] = await Promise.all([
        call('DescribeEndpoint', (c) => c.send(new DescribeEndpointCommand({ EndpointName: summary.EndpointName! })), item.arn),
        listTags(item.arn),
      ]);
      if (d.status === 'ok') {
        const v = d.value;
        if (v.EndpointStatus) item.status = v.EndpointStatus;
        if (v.EndpointConfigName) item.endpointConfigName = v.EndpointConfigName;
        item.deploymentConfig = deploymentOf(v.LastDeploymentConfig);
      }
      if (tags) item.tags = tags;
      return item;
    },
  );

  /** All tags of a resource (ListTags pages), or undefined when a page could not be read. */
  async function listTags(arn: string): Promise<Record<string, string> | undefined> {
    const pairs: [string, string][] = [];
    const listed = await paginate(
      (t) => call('ListTags', (c) => c.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 100, ...token(t) })), arn),
      (page) => page.NextToken,
      (page) => {
        for (const tag of page.Tags ?? []) if (tag.Key !== undefined) pairs.push([tag.Key, tag.Value ?? '']);
      },
    );
    if (listed !== 'complete') return undefined;
    return Object.fromEntries(pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }

  const monitoringSchedules = listThenMap(
    rt,
    (t) => call('ListMonitoringSchedules', (c) => c.send(new ListMonitoringSchedulesCommand({ MaxResults: 100, ...token(t) }))),
    (page) => page.MonitoringScheduleSummaries,
    async (summary): Promise<Item<'monitoringSchedules'> | undefined> => {
      if (!summary.MonitoringScheduleArn || !summary.MonitoringScheduleName) return undefined;
      const item: Item<'monitoringSchedules'> = { arn: summary.MonitoringScheduleArn, region, name: summary.MonitoringScheduleName };
      if (summary.MonitoringScheduleStatus) item.status = summary.MonitoringScheduleStatus;
      if (summary.MonitoringType) item.monitoringType = summary.MonitoringType;
      if (summary.EndpointName) item.endpointName = summary.EndpointName;
      const d = await call(
        'DescribeMonitoringSchedule',
        (c) => c.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: summary.MonitoringScheduleName! })),
        item.arn,
      );
      if (d.status === 'ok') {
        const v = d.value;
        if (v.MonitoringScheduleStatus) item.status = v.MonitoringScheduleStatus;
        const type = v.MonitoringType ?? v.MonitoringScheduleConfig?.MonitoringType;
        if (type) item.monitoringType = type;
        const inline = v.MonitoringScheduleConfig?.MonitoringJobDefinition?.MonitoringInputs?.find((i) => i.EndpointInput?.EndpointName);
        item.endpointName = v.EndpointName || inline?.EndpointInput?.EndpointName || null;
        const embedded = v.MonitoringScheduleConfig?.MonitoringJobDefinition;
        item.monitoringJobDefinitionName = embedded ? null : v.MonitoringScheduleConfig?.MonitoringJobDefinitionName || null;
        item.jobDefinition = embeddedDefinitionOf(embedded);
      }
      return item;
    },
  );

  const modelCards = listThenMap(
    rt,
    (t) => call('ListModelCards', (c) => c.send(new ListModelCardsCommand({ MaxResults: 100, ...token(t) }))),
    (page) => page.ModelCardSummaries,
    async (summary): Promise<Item<'modelCards'> | undefined> => {
      if (!summary.ModelCardArn || !summary.ModelCardName) return undefined;
      const item: Item<'modelCards'> = { arn: summary.ModelCardArn, region, name: summary.ModelCardName };
      if (summary.ModelCardStatus) item.status = summary.ModelCardStatus;
      // Metadata only: reading the content of a card encrypted with a customer managed key would
      // need kms:Decrypt, which a read-only scan does not have.
      const d = await call(
        'DescribeModelCard',
        (c) => c.send(new DescribeModelCardCommand({ ModelCardName: summary.ModelCardName!, IncludedData: 'MetadataOnly' })),
        item.arn,
      );
      if (d.status === 'ok') {
        const v = d.value;
        if (v.ModelCardStatus) item.status = v.ModelCardStatus;
        item.kmsKeyId = v.SecurityConfig?.KmsKeyId || null;
        const overview = modelCardOverviewOf(v.Content);
        if (overview) {
          item.modelId = overview.modelId;
          item.modelName = overview.modelName;
        }
      }
      return item;
    },
  );

  const tuningJobs = listThenMap(
    rt,
    (t) =>
      call('ListHyperParameterTuningJobs', (c) =>
        c.send(new ListHyperParameterTuningJobsCommand({ MaxResults: 100, CreationTimeAfter: since, ...token(t) })),
      ),
    (page) => page.HyperParameterTuningJobSummaries,
    async (summary): Promise<Item<'hyperParameterTuningJobs'> | undefined> => {
      if (!summary.HyperParameterTuningJobArn || !summary.HyperParameterTuningJobName) return undefined;
      const item: Item<'hyperParameterTuningJobs'> = { arn: summary.HyperParameterTuningJobArn, region, name: summary.HyperParameterTuningJobName };
      if (summary.HyperParameterTuningJobStatus) item.status = summary.HyperParameterTuningJobStatus;
      const created = iso(summary.CreationTime);
      if (created) item.creationTime = created;
      const d = await call(
        'DescribeHyperParameterTuningJob',
        (c) => c.send(new DescribeHyperParameterTuningJobCommand({ HyperParameterTuningJobName: summary.HyperParameterTuningJobName! })),
        item.arn,
      );
      if (d.status === 'ok') {
        const v = d.value;
        if (v.HyperParameterTuningJobStatus) item.status = v.HyperParameterTuningJobStatus;
        // A tuning job has TrainingJobDefinition or TrainingJobDefinitions (several algorithms); at most 10.
        const definitions = [...(v.TrainingJobDefinition ? [v.TrainingJobDefinition] : []), ...(v.TrainingJobDefinitions ?? []).slice(0, 10)];
        item.trainingJobDefinitions = definitions.map(tuningDefinitionOf);
      }
      return item;
    },
  );

  const transformJobs = listThenMap(
    rt,
    (t) => call('ListTransformJobs', (c) => c.send(new ListTransformJobsCommand({ MaxResults: 100, CreationTimeAfter: since, ...token(t) }))),
    (page) => page.TransformJobSummaries,
    async (summary): Promise<Item<'transformJobs'> | undefined> => {
      if (!summary.TransformJobArn || !summary.TransformJobName) return undefined;
      const item: Item<'transformJobs'> = { arn: summary.TransformJobArn, region, name: summary.TransformJobName };
      if (summary.TransformJobStatus) item.status = summary.TransformJobStatus;
      const created = iso(summary.CreationTime);
      if (created) item.creationTime = created;
      const d = await call('DescribeTransformJob', (c) => c.send(new DescribeTransformJobCommand({ TransformJobName: summary.TransformJobName! })), item.arn);
      if (d.status === 'ok') {
        const v = d.value;
        if (v.TransformJobStatus) item.status = v.TransformJobStatus;
        if (v.ModelName) item.modelName = v.ModelName;
        item.volumeKmsKeyId = v.TransformResources?.VolumeKmsKeyId || null;
        item.outputKmsKeyId = v.TransformOutput?.KmsKeyId || null;
      }
      return item;
    },
  );

  type Definition = Item<'monitoringJobDefinitions'>;
  type Listed = { MonitoringJobDefinitionName: string | undefined; MonitoringJobDefinitionArn: string | undefined; CreationTime?: Date | undefined; EndpointName?: string | undefined };
  /** One kind of monitoring job definition: listed (no time window: they are configuration), then described. */
  const monitoringDefinitions = (
    monitoringType: Definition['monitoringType'],
    list: (t: string | undefined) => Promise<Outcome<{ JobDefinitionSummaries: Listed[] | undefined; NextToken?: string | undefined }>>,
    describe: (name: string, arn: string) => Promise<Outcome<Omit<Definition, 'arn' | 'region' | 'name' | 'monitoringType'>>>,
  ) =>
    listThenMap(
      rt,
      list,
      (page) => page.JobDefinitionSummaries,
      async (summary): Promise<Definition | undefined> => {
        if (!summary.MonitoringJobDefinitionArn || !summary.MonitoringJobDefinitionName) return undefined;
        const item: Definition = { arn: summary.MonitoringJobDefinitionArn, region, name: summary.MonitoringJobDefinitionName, monitoringType };
        const created = iso(summary.CreationTime);
        if (created) item.creationTime = created;
        if (summary.EndpointName) item.endpointName = summary.EndpointName;
        const d = await describe(summary.MonitoringJobDefinitionName, item.arn);
        if (d.status === 'ok') Object.assign(item, d.value);
        return item;
      },
    );
  const described = (endpointName: string | undefined, security: JobSecurity) => ({ endpointName: endpointName || null, ...security });
  const dataQuality = monitoringDefinitions(
    'DataQuality',
    (t) => call('ListDataQualityJobDefinitions', (c) => c.send(new ListDataQualityJobDefinitionsCommand({ MaxResults: 100, ...token(t) }))),
    async (name, arn) => {
      const d = await call('DescribeDataQualityJobDefinition', (c) => c.send(new DescribeDataQualityJobDefinitionCommand({ JobDefinitionName: name })), arn);
      if (d.status !== 'ok') return d;
      const v = d.value;
      return { ...d, value: described(v.DataQualityJobInput?.EndpointInput?.EndpointName, monitoringSecurityOf(v.NetworkConfig, v.JobResources, v.DataQualityJobOutputConfig?.KmsKeyId, v.RoleArn)) };
    },
  );
  const modelQuality = monitoringDefinitions(
    'ModelQuality',
    (t) => call('ListModelQualityJobDefinitions', (c) => c.send(new ListModelQualityJobDefinitionsCommand({ MaxResults: 100, ...token(t) }))),
    async (name, arn) => {
      const d = await call('DescribeModelQualityJobDefinition', (c) => c.send(new DescribeModelQualityJobDefinitionCommand({ JobDefinitionName: name })), arn);
      if (d.status !== 'ok') return d;
      const v = d.value;
      return { ...d, value: described(v.ModelQualityJobInput?.EndpointInput?.EndpointName, monitoringSecurityOf(v.NetworkConfig, v.JobResources, v.ModelQualityJobOutputConfig?.KmsKeyId, v.RoleArn)) };
    },
  );
  const modelBias = monitoringDefinitions(
    'ModelBias',
    (t) => call('ListModelBiasJobDefinitions', (c) => c.send(new ListModelBiasJobDefinitionsCommand({ MaxResults: 100, ...token(t) }))),
    async (name, arn) => {
      const d = await call('DescribeModelBiasJobDefinition', (c) => c.send(new DescribeModelBiasJobDefinitionCommand({ JobDefinitionName: name })), arn);
      if (d.status !== 'ok') return d;
      const v = d.value;
      return { ...d, value: described(v.ModelBiasJobInput?.EndpointInput?.EndpointName, monitoringSecurityOf(v.NetworkConfig, v.JobResources, v.ModelBiasJobOutputConfig?.KmsKeyId, v.RoleArn)) };
    },
  );
  const modelExplainability = monitoringDefinitions(
    'ModelExplainability',
    (t) => call('ListModelExplainabilityJobDefinitions', (c) => c.send(new ListModelExplainabilityJobDefinitionsCommand({ MaxResults: 100, ...token(t) }))),
    async (name, arn) => {
      const d = await call(
        'DescribeModelExplainabilityJobDefinition',
        (c) => c.send(new DescribeModelExplainabilityJobDefinitionCommand({ JobDefinitionName: name })),
        arn,
      );
      if (d.status !== 'ok') return d;
      const v = d.value;
      return {
        ...d,
        value: described(
          v.ModelExplainabilityJobInput?.EndpointInput?.EndpointName,
          monitoringSecurityOf(v.NetworkConfig, v.JobResources, v.ModelExplainabilityJobOutputConfig?.KmsKeyId, v.RoleArn),
        ),
      };
    },
  );
  /** The four kinds as one list; undefined (not collected) when every listing failed (each failure is recorded). */
  const monitoringJobDefinitions = Promise.all([dataQuality, modelQuality, modelBias, modelExplainability]).then((lists) =>
    lists.every((l) => l === undefined) ? undefined : lists.flatMap((l) => l ?? []),
  );

  const [n, t, p, m, e, d, g, ep, ms, mc, hp, tj, jd] = await Promise.all([
    notebooks,
    trainingJobs,
    processingJobs,
    models,
    endpointConfigs,
    domains,
    modelPackageGroups,
    endpoints,
    monitoringSchedules,
    modelCards,
    tuningJobs,
    transformJobs,
    monitoringJobDefinitions,
  ]);
  const result: SageMakerRegionResult = {};
  if (n) result.notebookInstances = n;
  if (t) result.trainingJobs = t;
  if (p) result.processingJobs = p;
  if (m) result.models = m;
  if (e) result.endpointConfigs = e;
  if (d) result.domains = d;
  if (g) result.modelPackageGroups = g;
  if (ep) result.endpoints = ep;
  if (ms) result.monitoringSchedules = ms;
  if (mc) result.modelCards = mc;
  if (hp) result.hyperParameterTuningJobs = hp;
  if (tj) result.transformJobs = tj;
  if (jd) result.monitoringJobDefinitions = jd;
  return result;
}

/** LastDeploymentConfig as the inventory records it; null when the endpoint has none. */
function deploymentOf(config: DeploymentConfig | undefined): Item<'endpoints'>['deploymentConfig'] {
  if (!config) return null;
  const updatePolicy = config.BlueGreenUpdatePolicy ? 'BlueGreen' : config.RollingUpdatePolicy ? 'Rolling' : null;
  const routing = config.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration?.Type;
  const alarms = (config.AutoRollbackConfiguration?.Alarms ?? []).map((a) => a.AlarmName).filter((n): n is string => typeof n === 'string' && n !== '');
  return { updatePolicy, ...(routing ? { trafficRouting: routing } : {}), rollbackAlarms: alarms.sort() };
}
