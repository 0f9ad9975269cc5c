/**
 * The inventory an importer is building, section by section. Only sections that received at
 * least one resource are emitted: a template that declares no trail says nothing about the
 * account's trails, so `cloudtrail` must stay absent (not collected) rather than become an empty
 * list that rules would read as "the account has no trail".
 */
import type { z } from 'zod';
import { SCHEMA_VERSION } from '../../inventory/version.js';
import {
  type InventoryInput,
  type accessAnalyzerSchema,
  type apiStageSchema,
  type restApiSchema,
  type usagePlanSchema,
  type webAclSchema,
  type bedrockAgentSchema,
  type bedrockCustomModelSchema,
  type bedrockDataSourceSchema,
  type bedrockFlowSchema,
  type bedrockGuardrailSchema,
  type bedrockInvocationLoggingSchema,
  type bedrockKnowledgeBaseSchema,
  type bedrockPromptSchema,
  type cloudTrailSchema,
  type iamGroupSchema,
  type iamManagedPolicySchema,
  type iamRoleSchema,
  type iamUserSchema,
  type kmsKeySchema,
  type logGroupSchema,
  type metricAlarmSchema,
  type metricFilterSchema,
  type openSearchServerlessCollectionSchema,
  type publicAccessBlockSchema,
  type s3BucketSchema,
  type sageMakerDomainSchema,
  type sageMakerEndpointConfigSchema,
  type sageMakerEndpointSchema,
  type sageMakerModelCardSchema,
  type sageMakerModelSchema,
  type sageMakerMonitoringJobDefinitionSchema,
  type sageMakerMonitoringScheduleSchema,
  type sageMakerNotebookSchema,
  type sageMakerTransformJobSchema,
  type subnetSchema,
  type vpcEndpointSchema,
} from '../../inventory/schema.js';
import { keyFromPolicies, type EncryptionPolicyDraft } from './aoss-encryption.js';
import { NetworkFacts } from './network.js';

export type BucketDraft = z.input<typeof s3BucketSchema>;
export interface MacieJobDraft {
  id: string;
  name?: string;
  jobType?: string;
  jobStatus?: string;
  bucketDefinitions?: { accountId?: string; buckets: string[] }[];
  bucketCriteria?: boolean;
}

export interface GuardDutyFeatureDraft {
  name: string;
  status: 'ENABLED' | 'DISABLED';
  additionalConfiguration?: { name: string; status: 'ENABLED' | 'DISABLED' }[];
}
export type KeyDraft = z.input<typeof kmsKeySchema> & { aliases: string[] };
export type TrailDraft = z.input<typeof cloudTrailSchema>;
export type UserDraft = z.input<typeof iamUserSchema> & PrincipalLists & { groups: string[] };
export type GroupDraft = z.input<typeof iamGroupSchema> & PrincipalLists;
export type RoleDraft = z.input<typeof iamRoleSchema> & PrincipalLists;
export type ManagedPolicyDraft = z.input<typeof iamManagedPolicySchema>;
export type GuardrailDraft = z.input<typeof bedrockGuardrailSchema>;
export type AgentDraft = z.input<typeof bedrockAgentSchema>;
export type CustomModelDraft = z.input<typeof bedrockCustomModelSchema>;
export type InvocationLoggingDraft = z.input<typeof bedrockInvocationLoggingSchema>;
export type KnowledgeBaseDraft = z.input<typeof bedrockKnowledgeBaseSchema>;
export type DataSourceDraft = z.input<typeof bedrockDataSourceSchema>;
export type PromptDraft = z.input<typeof bedrockPromptSchema>;
export type FlowDraft = z.input<typeof bedrockFlowSchema>;
export type CollectionDraft = z.input<typeof openSearchServerlessCollectionSchema>;
export type NotebookDraft = z.input<typeof sageMakerNotebookSchema>;
export type ModelDraft = z.input<typeof sageMakerModelSchema>;
export type EndpointConfigDraft = z.input<typeof sageMakerEndpointConfigSchema>;
export type DomainDraft = z.input<typeof sageMakerDomainSchema>;
export type EndpointDraft = z.input<typeof sageMakerEndpointSchema>;
/** `jobDefinitionName`: the named job definition whose endpoint is resolved at the end (Terraform); not emitted. */
export type MonitoringScheduleDraft = z.input<typeof sageMakerMonitoringScheduleSchema> & { jobDefinitionName?: string };
export type ModelCardDraft = z.input<typeof sageMakerModelCardSchema>;
export type MonitoringJobDefinitionDraft = z.input<typeof sageMakerMonitoringJobDefinitionSchema>;
export type TransformJobDraft = z.input<typeof sageMakerTransformJobSchema>;
export type AnalyzerDraft = z.input<typeof accessAnalyzerSchema>;
export type VpcEndpointDraft = z.input<typeof vpcEndpointSchema>;
export type LogGroupDraft = z.input<typeof logGroupSchema>;
export type MetricFilterDraft = z.input<typeof metricFilterSchema>;
export type AlarmDraft = z.input<typeof metricAlarmSchema>;
export type SubnetDraft = z.input<typeof subnetSchema>;
export type PublicAccessBlockDraft = z.input<typeof publicAccessBlockSchema>;
export type RestApiDraft = z.input<typeof restApiSchema>;
export type ApiStageDraft = z.input<typeof apiStageSchema>;
export type UsagePlanDraft = z.input<typeof usagePlanSchema>;
export type WebAclDraft = z.input<typeof webAclSchema>;

interface PrincipalLists {
  attachedManagedPolicies: string[];
  inlinePolicies: { name: string; policy: unknown }[];
}

export class InventoryDraft {
  readonly buckets: BucketDraft[] = [];
  /** undefined: not declared (unknown); set only by a resource that manages the account-level block. */
  accountPublicAccessBlock: PublicAccessBlockDraft | undefined;
  readonly keys: KeyDraft[] = [];
  readonly trails: TrailDraft[] = [];
  readonly users: UserDraft[] = [];
  readonly groups: GroupDraft[] = [];
  readonly roles: RoleDraft[] = [];
  readonly policies: ManagedPolicyDraft[] = [];
  readonly guardrails: GuardrailDraft[] = [];
  readonly agents: AgentDraft[] = [];
  readonly customModels: CustomModelDraft[] = [];
  readonly invocationLogging: InvocationLoggingDraft[] = [];
  readonly knowledgeBases: KnowledgeBaseDraft[] = [];
  readonly dataSources: DataSourceDraft[] = [];
  readonly prompts: PromptDraft[] = [];
  readonly flows: FlowDraft[] = [];
  /** OpenSearch Serverless collections; those without their own key take it from the encryption policies at the end. */
  readonly collections: CollectionDraft[] = [];
  readonly encryptionPolicies: EncryptionPolicyDraft[] = [];
  readonly notebooks: NotebookDraft[] = [];
  readonly models: ModelDraft[] = [];
  readonly endpointConfigs: EndpointConfigDraft[] = [];
  readonly domains: DomainDraft[] = [];
  readonly endpoints: EndpointDraft[] = [];
  readonly monitoringSchedules: MonitoringScheduleDraft[] = [];
  readonly modelCards: ModelCardDraft[] = [];
  /**
   * The monitoring job definitions the code declares, by `<region>/<name>`: their type and the
   * endpoint they watch (undefined when not known before apply). A schedule that names its job
   * definition takes both from here.
   */
  readonly monitoringJobDefinitions = new Map<string, { monitoringType: string; endpointName?: string }>();
  /** The same job definitions as inventory resources (judged on their own settings). */
  readonly monitoringDefinitions: MonitoringJobDefinitionDraft[] = [];
  readonly transformJobs: TransformJobDraft[] = [];
  readonly analyzers: AnalyzerDraft[] = [];
  readonly vpcEndpoints: VpcEndpointDraft[] = [];
  readonly logGroups: LogGroupDraft[] = [];
  readonly metricFilters: MetricFilterDraft[] = [];
  readonly alarms: AlarmDraft[] = [];
  readonly subnets: SubnetDraft[] = [];
  /** Route tables, routes and associations: whether each subnet is public is drawn from them at the end. */
  readonly network = new NetworkFacts();
  readonly guardDutyDetectors: { region: string; id: string; status: 'ENABLED' | 'DISABLED'; features?: GuardDutyFeatureDraft[] }[] = [];
  readonly configRecorders: { region: string; name: string; recording?: boolean; allSupported?: boolean }[] = [];
  readonly securityHubs: { region: string; enabled: boolean; hubArn?: string; standards?: { arn: string; status?: string }[] }[] = [];
  /** Standards subscriptions by region, put on the region's hub at the end. */
  readonly securityHubStandards: { region: string; arn: string }[] = [];
  readonly macieSessions: { region: string; status: 'ENABLED' | 'PAUSED' | 'DISABLED' }[] = [];
  readonly restApis: RestApiDraft[] = [];
  readonly apiStages: ApiStageDraft[] = [];
  readonly usagePlans: UsagePlanDraft[] = [];
  readonly webAcls: WebAclDraft[] = [];
  /** Discovery jobs (Terraform aws_macie2_classification_job), put on the region's declared Macie session at the end. */
  readonly macieJobs: { region: string; job: MacieJobDraft }[] = [];
  /** Inspector scan types the code enables (Terraform aws_inspector2_enabler), per region. */
  readonly inspectorEnablers: { region: string; types: ('ecr' | 'ec2' | 'lambda')[] }[] = [];
  readonly regions = new Set<string>();

  toInventory(meta: {
    accountId: string;
    partition: 'aws' | 'aws-cn' | 'aws-us-gov';
    kind: 'cloudformation' | 'terraform';
    detail: string;
  }): InventoryInput {
    const byArn = <T extends { arn: string }>(items: T[]): T[] => [...items].sort((a, b) => compare(a.arn, b.arn));
    const inventory: InventoryInput = {
      schemaVersion: SCHEMA_VERSION,
      account: { id: meta.accountId, partition: meta.partition },
      regions: [...this.regions].sort(),
      source: { kind: meta.kind, detail: meta.detail },
      collectionErrors: [],
      // Only what the template or plan declares: the rest of the account is not in view.
      partial: true,
    };
    if (this.buckets.length || this.accountPublicAccessBlock) {
      inventory.s3 = {
        ...(this.accountPublicAccessBlock ? { accountPublicAccessBlock: this.accountPublicAccessBlock } : {}),
        buckets: byArn(this.buckets),
      };
    }
    if (this.keys.length) inventory.kms = { keys: byArn(this.keys).map((k) => ({ ...k, aliases: [...new Set(k.aliases)].sort() })) };
    if (this.trails.length) inventory.cloudtrail = { trails: byArn(this.trails) };
    if (this.users.length || this.groups.length || this.roles.length || this.policies.length) {
      inventory.iam = {
        users: byArn(this.users),
        groups: byArn(this.groups),
        roles: byArn(this.roles),
        policies: byArn(this.policies),
      };
    }
    const bedrockLists = [this.guardrails, this.agents, this.customModels, this.invocationLogging, this.knowledgeBases, this.dataSources, this.prompts, this.flows];
    if (bedrockLists.some((list) => list.length)) {
      // The code declares these Bedrock resources and no others: every list is known (empty when none).
      inventory.bedrock = {
        invocationLogging: [...this.invocationLogging].sort((a, b) => compare(a.region, b.region)),
        guardrails: byArn(this.guardrails),
        customModels: byArn(this.customModels),
        agents: byArn(this.agents),
        knowledgeBases: byArn(this.knowledgeBases),
        dataSources: byArn(this.dataSources),
        prompts: byArn(this.prompts),
        flows: byArn(this.flows),
      };
    }
    if (this.collections.length) {
      inventory.opensearchServerless = { collections: byArn(this.collections.map((c) => this.resolveCollectionKey(c))) };
    }
    if (
      this.notebooks.length ||
      this.models.length ||
      this.endpointConfigs.length ||
      this.domains.length ||
      this.endpoints.length ||
      this.monitoringSchedules.length ||
      this.modelCards.length ||
      this.monitoringDefinitions.length ||
      this.transformJobs.length
    ) {
      inventory.sagemaker = {
        notebookInstances: byArn(this.notebooks),
        trainingJobs: [],
        processingJobs: [],
        models: byArn(this.models),
        endpointConfigs: byArn(this.endpointConfigs),
        domains: byArn(this.domains),
        endpoints: byArn(this.endpoints),
        monitoringSchedules: byArn(this.monitoringSchedules.map((s) => this.resolveSchedule(s))),
        modelCards: byArn(this.modelCards),
        // Tuning jobs have no CloudFormation or Terraform resource: not collected (absent).
        transformJobs: byArn(this.transformJobs),
        monitoringJobDefinitions: byArn(this.monitoringDefinitions),
      };
    }
    if (this.analyzers.length) inventory.accessAnalyzer = { analyzers: byArn(this.analyzers) };
    if (this.vpcEndpoints.length || this.subnets.length) {
      inventory.ec2 = { vpcEndpoints: byArn(this.vpcEndpoints) };
      if (this.subnets.length) inventory.ec2.subnets = byArn(this.subnets.map((s) => this.network.classify(s)));
    }
    if (this.logGroups.length || this.metricFilters.length) {
      inventory.logs = { logGroups: byArn(this.logGroups) };
      // Declared filters only; a template without any leaves them not known (absent).
      if (this.metricFilters.length) inventory.logs.metricFilters = byArn(this.metricFilters);
    }
    if (this.alarms.length) inventory.cloudwatch = { alarms: byArn(this.alarms) };
    const detective: NonNullable<InventoryInput['detective']> = {};
    if (this.guardDutyDetectors.length) {
      detective.guardDuty = groupByRegion(this.guardDutyDetectors).map(([region, list]) => ({
        region,
        detectors: list.map(({ id, status, features }) => ({
          id,
          status,
          ...(features ? { features: [...features].sort((a, b) => compare(a.name, b.name)) } : {}),
        })),
      }));
    }
    if (this.configRecorders.length) {
      detective.config = groupByRegion(this.configRecorders).map(([region, list]) => ({
        region,
        recorders: list.map(({ region: _r, ...rest }) => rest),
      }));
    }
    if (this.securityHubs.length) {
      detective.securityHub = [...this.securityHubs]
        .sort((a, b) => compare(a.region, b.region))
        .map((hub) => {
          const arns = [...new Set(this.securityHubStandards.filter((s) => s.region === hub.region).map((s) => s.arn))].sort(compare);
          // Only declared subscriptions are known; without one, the hub's standards stay unknown.
          return arns.length && hub.enabled ? { ...hub, standards: arns.map((arn) => ({ arn, status: 'READY' })) } : hub;
        });
    }
    if (this.macieSessions.length) {
      detective.macie = [...this.macieSessions]
        .sort((a, b) => compare(a.region, b.region))
        .map((session) => {
          const jobs = this.macieJobs.filter((j) => j.region === session.region).map((j) => j.job);
          // Only declared jobs are known: without one the session's jobs stay unknown (absent).
          // By name first: a job's id is synthesized from where its file is, its name is in the code.
          return jobs.length && session.status === 'ENABLED' ? { ...session, classificationJobs: jobs.sort((a, b) => compare(a.name ?? '', b.name ?? '') || compare(a.id, b.id)) } : session;
        });
    }
    if (this.inspectorEnablers.length) {
      detective.inspector = groupByRegion(this.inspectorEnablers).map(([region, list]) => {
        const entry: { region: string; ecr?: 'ENABLED'; ec2?: 'ENABLED'; lambda?: 'ENABLED' } = { region };
        // Declared types are ENABLED; the others are unknown (another enabler or the console may turn them on).
        for (const type of ['ecr', 'ec2', 'lambda'] as const) if (list.some((e) => e.types.includes(type))) entry[type] = 'ENABLED';
        return entry;
      });
    }
    if (Object.keys(detective).length) inventory.detective = detective;
    if (this.restApis.length || this.apiStages.length || this.usagePlans.length) {
      // The code declares these APIs, stages and usage plans and no others.
      inventory.apiGateway = { restApis: byArn(this.restApis), stages: byArn(this.apiStages), usagePlans: byArn(this.usagePlans) };
    }
    if (this.webAcls.length) inventory.wafv2 = { webAcls: byArn(this.webAcls) };
    return inventory;
  }

  /** A collection without its own EncryptionConfig: the key of the declared encryption policies matching its name. */
  private resolveCollectionKey(collection: CollectionDraft): CollectionDraft {
    if (collection.kmsKeyArn !== undefined) return collection;
    const fromPolicy = keyFromPolicies(collection.name, collection.region, this.encryptionPolicies);
    return fromPolicy ? { ...collection, kmsKeyArn: fromPolicy.key, encryptionPolicy: fromPolicy.policy } : collection;
  }

  /** A schedule without its own endpoint takes that of the job definition it names, when the code declares it. */
  private resolveSchedule(schedule: MonitoringScheduleDraft): z.input<typeof sageMakerMonitoringScheduleSchema> {
    const { jobDefinitionName, ...rest } = schedule;
    const definition = jobDefinitionName !== undefined ? this.monitoringJobDefinitions.get(`${rest.region}/${jobDefinitionName}`) : undefined;
    if (!definition) return rest;
    return {
      ...rest,
      ...(rest.monitoringType === undefined ? { monitoringType: definition.monitoringType } : {}),
      ...(rest.endpointName === undefined && definition.endpointName !== undefined ? { endpointName: definition.endpointName } : {}),
    };
  }
}

function groupByRegion<T extends { region: string }>(items: T[]): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(item.region, [...(map.get(item.region) ?? []), item]);
  return [...map.entries()].sort((a, b) => compare(a[0], b[0]));
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Drops keys whose value is undefined so drafts stay minimal (absent = unknown). */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
