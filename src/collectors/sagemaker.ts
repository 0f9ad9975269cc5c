/**
 * SageMaker, per region: notebook instances, training and processing jobs (created inside the
 * --since window, with the S3 data they read and write), models (with their artifacts' S3
 * locations), endpoint configurations, endpoints (with their tags and deployment guardrails),
 * Model Monitor schedules, model cards, Studio domains and model package groups with their
 * packages' approval status. Each resource is listed, then described.
 */
import {
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCardCommand,
  DescribeModelCommand,
  DescribeMonitoringScheduleCommand,
  DescribeNotebookInstanceCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  ListDomainsCommand,
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
  type SageMakerClient,
  type VpcConfig,
} from '@aws-sdk/client-sagemaker';
import { modelCardOverviewOf } from '../inventory/model-card.js';
import { modelPackageOf } from '../inventory/model-package.js';
import type { OperationName } from './operations.js';
import { forEachBounded, paginate, type CollectRuntime, type Outcome } from './runtime.js';
import { iso, type SageMakerSectionInput } from './shapes.js';

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

  const [n, t, p, m, e, d, g, ep, ms, mc] = await Promise.all([
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
