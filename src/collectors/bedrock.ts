/**
 * Bedrock, per region: model invocation logging, guardrails (with their filters), custom models
 * (with their encryption key, the S3 data their customization job read and wrote, and the job's
 * role) and, from bedrock-agent, agents, knowledge bases with their data sources, prompts and flows
 * (these three with their tags, which tell production and data classes apart and drive `--scope`).
 */
import {
  GetCustomModelCommand,
  GetGuardrailCommand,
  GetModelCustomizationJobCommand,
  GetModelInvocationLoggingConfigurationCommand,
  ListCustomModelsCommand,
  ListGuardrailsCommand,
  type CustomModelSummary,
  type GetCustomModelResponse,
  type GetGuardrailResponse,
  type GuardrailSummary,
} from '@aws-sdk/client-bedrock';
import {
  GetAgentCommand,
  GetDataSourceCommand,
  GetFlowCommand,
  GetKnowledgeBaseCommand,
  GetPromptCommand,
  ListAgentsCommand,
  ListDataSourcesCommand,
  ListFlowsCommand,
  ListKnowledgeBasesCommand,
  ListPromptsCommand,
  ListTagsForResourceCommand,
  type AgentSummary,
  type DataSource,
  type DataSourceSummary,
  type FlowSummary,
  type KnowledgeBase,
  type KnowledgeBaseSummary,
  type PromptSummary,
  type StorageConfiguration,
} from '@aws-sdk/client-bedrock-agent';
import { forEachBounded, paginate, type CollectRuntime } from './runtime.js';
import {
  iso,
  type BedrockAgentInput,
  type BedrockCustomModelInput,
  type BedrockDataSourceInput,
  type BedrockFlowInput,
  type BedrockGuardrailInput,
  type BedrockInvocationLoggingInput,
  type BedrockKnowledgeBaseInput,
  type BedrockPromptInput,
} from './shapes.js';

export interface BedrockRegionResult {
  /** Each part is undefined when its listing failed in this region. */
  invocationLogging?: BedrockInvocationLoggingInput;
  guardrails?: BedrockGuardrailInput[];
  customModels?: BedrockCustomModelInput[];
  agents?: BedrockAgentInput[];
  knowledgeBases?: BedrockKnowledgeBaseInput[];
  /** Present with `knowledgeBases`: the data sources of the knowledge bases whose listing answered. */
  dataSources?: BedrockDataSourceInput[];
  prompts?: BedrockPromptInput[];
  flows?: BedrockFlowInput[];
}

export interface BedrockScope {
  accountId: string;
  partition: string;
}

export async function collectBedrockRegion(rt: CollectRuntime, region: string, scope: BedrockScope): Promise<BedrockRegionResult> {
  const [invocationLogging, guardrails, customModels, agents, knowledge, prompts, flows] = await Promise.all([
    invocationLoggingOf(rt, region),
    guardrailsOf(rt, region),
    customModelsOf(rt, region, scope),
    agentsOf(rt, region, scope),
    knowledgeBasesOf(rt, region, scope),
    promptsOf(rt, region),
    flowsOf(rt, region),
  ]);
  const result: BedrockRegionResult = {};
  if (invocationLogging) result.invocationLogging = invocationLogging;
  if (guardrails) result.guardrails = guardrails;
  if (customModels) result.customModels = customModels;
  if (agents) result.agents = agents;
  if (knowledge) {
    result.knowledgeBases = knowledge.knowledgeBases;
    result.dataSources = knowledge.dataSources;
  }
  if (prompts) result.prompts = prompts;
  if (flows) result.flows = flows;
  return result;
}

async function invocationLoggingOf(rt: CollectRuntime, region: string): Promise<BedrockInvocationLoggingInput | undefined> {
  const outcome = await rt.call('bedrock', region, 'GetModelInvocationLoggingConfiguration', (c) =>
    c.send(new GetModelInvocationLoggingConfigurationCommand({})),
  );
  if (outcome.status !== 'ok') return undefined;
  const logging = outcome.value.loggingConfig;
  if (!logging) return { region, config: null };
  const config: NonNullable<BedrockInvocationLoggingInput['config']> = {
    s3Config: logging.s3Config?.bucketName
      ? { bucketName: logging.s3Config.bucketName, ...(logging.s3Config.keyPrefix ? { keyPrefix: logging.s3Config.keyPrefix } : {}) }
      : null,
    cloudWatchConfig: logging.cloudWatchConfig?.logGroupName
      ? {
          logGroupName: logging.cloudWatchConfig.logGroupName,
          ...(logging.cloudWatchConfig.roleArn ? { roleArn: logging.cloudWatchConfig.roleArn } : {}),
        }
      : null,
  };
  if (logging.textDataDeliveryEnabled !== undefined) config.textDataDeliveryEnabled = logging.textDataDeliveryEnabled;
  if (logging.imageDataDeliveryEnabled !== undefined) config.imageDataDeliveryEnabled = logging.imageDataDeliveryEnabled;
  if (logging.embeddingDataDeliveryEnabled !== undefined) config.embeddingDataDeliveryEnabled = logging.embeddingDataDeliveryEnabled;
  if (logging.videoDataDeliveryEnabled !== undefined) config.videoDataDeliveryEnabled = logging.videoDataDeliveryEnabled;
  return { region, config };
}

const STRENGTHS = new Set(['NONE', 'LOW', 'MEDIUM', 'HIGH']);
type Strength = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
const strength = (value: string | undefined): Strength => (value && STRENGTHS.has(value) ? (value as Strength) : 'NONE');

async function guardrailsOf(rt: CollectRuntime, region: string): Promise<BedrockGuardrailInput[] | undefined> {
  const listed: GuardrailSummary[] = [];
  const result = await paginate(
    (nextToken) => rt.call('bedrock', region, 'ListGuardrails', (c) => c.send(new ListGuardrailsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => listed.push(...(page.guardrails ?? [])),
  );
  if (result === 'failed') return undefined;
  const out: BedrockGuardrailInput[] = [];
  await forEachBounded(listed, rt.concurrencyFor('bedrock'), async (summary) => {
    if (!summary.arn || !summary.id) return;
    const guardrail: BedrockGuardrailInput = { arn: summary.arn, region, id: summary.id, name: summary.name ?? summary.id };
    if (summary.version) guardrail.version = summary.version;
    if (summary.status) guardrail.status = summary.status;
    const detail = await rt.call('bedrock', region, 'GetGuardrail', (c) => c.send(new GetGuardrailCommand({ guardrailIdentifier: summary.id! })), {
      resource: summary.arn,
    });
    // Without the detail the filters stay absent (unknown), not empty.
    if (detail.status === 'ok') applyGuardrailDetail(guardrail, detail.value);
    out.push(guardrail);
  });
  return out;
}

function applyGuardrailDetail(guardrail: BedrockGuardrailInput, d: GetGuardrailResponse): void {
  if (d.version) guardrail.version = d.version;
  if (d.status) guardrail.status = d.status;
  guardrail.kmsKeyArn = d.kmsKeyArn ?? null;
  guardrail.contentPolicy = d.contentPolicy
    ? {
        filters: (d.contentPolicy.filters ?? []).map((f) => ({
          type: f.type ?? '',
          inputStrength: strength(f.inputStrength),
          outputStrength: strength(f.outputStrength),
        })),
      }
    : null;
  guardrail.sensitiveInformationPolicy = d.sensitiveInformationPolicy
    ? {
        piiEntities: (d.sensitiveInformationPolicy.piiEntities ?? []).map((p) => ({ type: p.type ?? '', action: p.action ?? '' })),
        regexes: (d.sensitiveInformationPolicy.regexes ?? []).map((r) => ({ name: r.name ?? '', pattern: r.pattern ?? '', action: r.action ?? '' })),
      }
    : null;
  guardrail.topicPolicy = d.topicPolicy ? { topics: (d.topicPolicy.topics ?? []).map((t) => ({ name: t.name ?? '', type: t.type ?? 'DENY' })) } : null;
  guardrail.wordPolicy = d.wordPolicy
    ? {
        words: (d.wordPolicy.words ?? []).flatMap((w) => (w.text ? [w.text] : [])),
        managedWordLists: (d.wordPolicy.managedWordLists ?? []).flatMap((m) => (m.type ? [m.type] : [])),
      }
    : null;
  guardrail.contextualGroundingPolicy = d.contextualGroundingPolicy
    ? { filters: (d.contextualGroundingPolicy.filters ?? []).map((f) => ({ type: f.type ?? '', threshold: f.threshold ?? 0 })) }
    : null;
}

async function customModelsOf(rt: CollectRuntime, region: string, scope: BedrockScope): Promise<BedrockCustomModelInput[] | undefined> {
  const listed: CustomModelSummary[] = [];
  const result = await paginate(
    (nextToken) =>
      rt.call('bedrock', region, 'ListCustomModels', (c) => c.send(new ListCustomModelsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => listed.push(...(page.modelSummaries ?? [])),
  );
  if (result === 'failed') return undefined;
  const out: BedrockCustomModelInput[] = [];
  await forEachBounded(listed, rt.concurrencyFor('bedrock'), async (summary) => {
    if (!summary.modelArn) return;
    const model: BedrockCustomModelInput = { arn: summary.modelArn, region, name: summary.modelName ?? summary.modelArn };
    if (summary.baseModelArn) model.baseModelArn = summary.baseModelArn;
    if (summary.customizationType) model.customizationType = summary.customizationType;
    const created = iso(summary.creationTime);
    if (created) model.creationTime = created;
    const detail = await rt.call('bedrock', region, 'GetCustomModel', (c) => c.send(new GetCustomModelCommand({ modelIdentifier: summary.modelArn! })), {
      resource: summary.modelArn,
    });
    if (detail.status === 'ok') {
      // No modelKmsKeyArn in a successful answer means the model is encrypted with an AWS owned key.
      model.kmsKeyArn = detail.value.modelKmsKeyArn ?? null;
      if (detail.value.jobArn) model.jobArn = detail.value.jobArn;
      if (detail.value.baseModelArn) model.baseModelArn = detail.value.baseModelArn;
      applyCustomizationData(model, detail.value);
      await customizationRole(rt, region, scope, model, detail.value.jobArn);
    }
    out.push(model);
  });
  return out;
}

/** The S3 locations the customization job read and wrote, as GetCustomModel reports them. */
function applyCustomizationData(model: BedrockCustomModelInput, d: GetCustomModelResponse): void {
  model.trainingDataS3Uri = d.trainingDataConfig?.s3Uri || d.trainingDataConfig?.invocationLogsConfig?.invocationLogSource?.s3Uri || null;
  model.validationDataS3Uris = (d.validationDataConfig?.validators ?? []).flatMap((v) => (v.s3Uri ? [v.s3Uri] : []));
  model.outputDataS3Uri = d.outputDataConfig?.s3Uri || null;
}

/**
 * GetCustomModel does not name the role the customization job ran as; GetModelCustomizationJob
 * does. A model without a job (imported) has none. A job of another Region or account (a copied
 * model) is not read from here: the role stays absent (not known).
 */
async function customizationRole(
  rt: CollectRuntime,
  region: string,
  scope: BedrockScope,
  model: BedrockCustomModelInput,
  jobArn: string | undefined,
): Promise<void> {
  if (!jobArn) {
    model.roleArn = null;
    return;
  }
  const [, , , jobRegion, jobAccount] = jobArn.split(':', 5);
  if (jobRegion !== region || jobAccount !== scope.accountId) return;
  const job = await rt.call('bedrock', region, 'GetModelCustomizationJob', (c) => c.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn })), {
    resource: model.arn,
  });
  if (job.status === 'ok' && job.value.roleArn) model.roleArn = job.value.roleArn;
}

async function agentsOf(rt: CollectRuntime, region: string, scope: BedrockScope): Promise<BedrockAgentInput[] | undefined> {
  const listed: AgentSummary[] = [];
  const result = await paginate(
    (nextToken) => rt.call('bedrock-agent', region, 'ListAgents', (c) => c.send(new ListAgentsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => listed.push(...(page.agentSummaries ?? [])),
  );
  if (result === 'failed') return undefined;
  const out: BedrockAgentInput[] = [];
  await forEachBounded(listed, rt.concurrencyFor('bedrock-agent'), async (summary) => {
    if (!summary.agentId) return;
    // ListAgents carries no ARN; this is the documented agent ARN format.
    const fallbackArn = `arn:${scope.partition}:bedrock:${region}:${scope.accountId}:agent/${summary.agentId}`;
    const agent: BedrockAgentInput = { arn: fallbackArn, region, id: summary.agentId, name: summary.agentName ?? summary.agentId };
    if (summary.agentStatus) agent.status = summary.agentStatus;
    const detail = await rt.call('bedrock-agent', region, 'GetAgent', (c) => c.send(new GetAgentCommand({ agentId: summary.agentId! })), {
      resource: fallbackArn,
    });
    if (detail.status === 'ok' && detail.value.agent) {
      const a = detail.value.agent;
      if (a.agentArn) agent.arn = a.agentArn;
      if (a.agentStatus) agent.status = a.agentStatus;
      if (a.agentResourceRoleArn) agent.roleArn = a.agentResourceRoleArn;
      if (a.foundationModel) agent.foundationModel = a.foundationModel;
      agent.kmsKeyArn = a.customerEncryptionKeyArn ?? null;
      const guardrail = a.guardrailConfiguration;
      agent.guardrail = guardrail?.guardrailIdentifier
        ? { id: guardrail.guardrailIdentifier, ...(guardrail.guardrailVersion ? { version: guardrail.guardrailVersion } : {}) }
        : null;
    }
    out.push(agent);
  });
  return out;
}

/**
 * Knowledge bases (GetKnowledgeBase: role, embedding model, vector store) and the data sources of
 * each (GetDataSource: S3 bucket, ingestion key). A knowledge base whose data sources could not be
 * listed keeps its other facts; the ListDataSources error on its ARN says its sources are unknown.
 */
async function knowledgeBasesOf(
  rt: CollectRuntime,
  region: string,
  scope: BedrockScope,
): Promise<{ knowledgeBases: BedrockKnowledgeBaseInput[]; dataSources: BedrockDataSourceInput[] } | undefined> {
  const listed: KnowledgeBaseSummary[] = [];
  const result = await paginate(
    (nextToken) =>
      rt.call('bedrock-agent', region, 'ListKnowledgeBases', (c) => c.send(new ListKnowledgeBasesCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => listed.push(...(page.knowledgeBaseSummaries ?? [])),
  );
  if (result === 'failed') return undefined;
  const knowledgeBases: BedrockKnowledgeBaseInput[] = [];
  const dataSources: BedrockDataSourceInput[] = [];
  await forEachBounded(listed, rt.concurrencyFor('bedrock-agent'), async (summary) => {
    if (!summary.knowledgeBaseId) return;
    const id = summary.knowledgeBaseId;
    // ListKnowledgeBases carries no ARN; this is the documented knowledge base ARN format.
    const fallbackArn = `arn:${scope.partition}:bedrock:${region}:${scope.accountId}:knowledge-base/${id}`;
    const kb: BedrockKnowledgeBaseInput = { arn: fallbackArn, region, id, name: summary.name ?? id };
    if (summary.status) kb.status = summary.status;
    const detail = await rt.call('bedrock-agent', region, 'GetKnowledgeBase', (c) => c.send(new GetKnowledgeBaseCommand({ knowledgeBaseId: id })), {
      resource: fallbackArn,
    });
    if (detail.status === 'ok' && detail.value.knowledgeBase) applyKnowledgeBase(kb, detail.value.knowledgeBase);
    await readTags(rt, region, kb);
    knowledgeBases.push(kb);
    const sources = await dataSourcesOf(rt, region, kb);
    if (sources) dataSources.push(...sources);
  });
  return { knowledgeBases, dataSources };
}

function applyKnowledgeBase(kb: BedrockKnowledgeBaseInput, k: KnowledgeBase): void {
  if (k.knowledgeBaseArn) kb.arn = k.knowledgeBaseArn;
  if (k.name) kb.name = k.name;
  if (k.status) kb.status = k.status;
  if (k.roleArn) kb.roleArn = k.roleArn;
  const config = k.knowledgeBaseConfiguration;
  if (config?.type) kb.type = config.type;
  const vector = config?.vectorKnowledgeBaseConfiguration;
  kb.embeddingModelArn = vector?.embeddingModelArn ?? config?.managedKnowledgeBaseConfiguration?.embeddingModelArn ?? null;
  kb.supplementalDataS3Uris = (vector?.supplementalDataStorageConfiguration?.storageLocations ?? []).flatMap((l) => (l.s3Location?.uri ? [l.s3Location.uri] : []));
  kb.vectorStore = vectorStoreOf(k.storageConfiguration);
}

/** The store's type, its AWS resource (when it is one) and the secret of its credentials. */
export function vectorStoreOf(storage: StorageConfiguration | undefined): BedrockKnowledgeBaseInput['vectorStore'] {
  if (!storage?.type) return null;
  const resourceArn =
    storage.opensearchServerlessConfiguration?.collectionArn ??
    storage.opensearchManagedClusterConfiguration?.domainArn ??
    storage.rdsConfiguration?.resourceArn ??
    storage.neptuneAnalyticsConfiguration?.graphArn ??
    storage.s3VectorsConfiguration?.vectorBucketArn ??
    storage.s3VectorsConfiguration?.indexArn;
  const credentialsSecretArn =
    storage.rdsConfiguration?.credentialsSecretArn ??
    storage.pineconeConfiguration?.credentialsSecretArn ??
    storage.redisEnterpriseCloudConfiguration?.credentialsSecretArn ??
    storage.mongoDbAtlasConfiguration?.credentialsSecretArn;
  return { type: storage.type, ...(resourceArn ? { resourceArn } : {}), ...(credentialsSecretArn ? { credentialsSecretArn } : {}) };
}

async function dataSourcesOf(rt: CollectRuntime, region: string, kb: BedrockKnowledgeBaseInput): Promise<BedrockDataSourceInput[] | undefined> {
  const listed: DataSourceSummary[] = [];
  const result = await paginate(
    (nextToken) =>
      rt.call(
        'bedrock-agent',
        region,
        'ListDataSources',
        (c) => c.send(new ListDataSourcesCommand({ knowledgeBaseId: kb.id, maxResults: 100, ...(nextToken ? { nextToken } : {}) })),
        { resource: kb.arn },
      ),
    (page) => page.nextToken,
    (page) => listed.push(...(page.dataSourceSummaries ?? [])),
  );
  if (result === 'failed') return undefined;
  const out: BedrockDataSourceInput[] = [];
  for (const summary of listed) {
    if (!summary.dataSourceId) continue;
    const arn = `${kb.arn}/data-source/${summary.dataSourceId}`;
    const source: BedrockDataSourceInput = { arn, region, id: summary.dataSourceId, name: summary.name ?? summary.dataSourceId, knowledgeBaseId: kb.id, knowledgeBaseArn: kb.arn };
    if (summary.status) source.status = summary.status;
    const detail = await rt.call(
      'bedrock-agent',
      region,
      'GetDataSource',
      (c) => c.send(new GetDataSourceCommand({ knowledgeBaseId: kb.id, dataSourceId: summary.dataSourceId! })),
      { resource: arn },
    );
    if (detail.status === 'ok' && detail.value.dataSource) applyDataSource(source, detail.value.dataSource);
    out.push(source);
  }
  return out;
}

function applyDataSource(source: BedrockDataSourceInput, d: DataSource): void {
  if (d.name) source.name = d.name;
  if (d.status) source.status = d.status;
  const config = d.dataSourceConfiguration;
  if (config?.type) source.type = config.type;
  source.s3BucketArn = config?.s3Configuration?.bucketArn ?? null;
  if (config?.s3Configuration) source.s3InclusionPrefixes = [...(config.s3Configuration.inclusionPrefixes ?? [])];
  // No serverSideEncryptionConfiguration (or no key in it) in a successful answer: an AWS owned key.
  source.kmsKeyArn = d.serverSideEncryptionConfiguration?.kmsKeyArn ?? null;
  if (d.dataDeletionPolicy) source.dataDeletionPolicy = d.dataDeletionPolicy;
}

/** Prompt management: each prompt's working draft, with its key. */
async function promptsOf(rt: CollectRuntime, region: string): Promise<BedrockPromptInput[] | undefined> {
  const listed: PromptSummary[] = [];
  const result = await paginate(
    (nextToken) => rt.call('bedrock-agent', region, 'ListPrompts', (c) => c.send(new ListPromptsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => listed.push(...(page.promptSummaries ?? [])),
  );
  if (result === 'failed') return undefined;
  const out: BedrockPromptInput[] = [];
  await forEachBounded(listed, rt.concurrencyFor('bedrock-agent'), async (summary) => {
    if (!summary.id || !summary.arn) return;
    const prompt: BedrockPromptInput = { arn: summary.arn, region, id: summary.id, name: summary.name ?? summary.id };
    if (summary.version) prompt.version = summary.version;
    const detail = await rt.call('bedrock-agent', region, 'GetPrompt', (c) => c.send(new GetPromptCommand({ promptIdentifier: summary.id! })), {
      resource: summary.arn,
    });
    if (detail.status === 'ok') {
      if (detail.value.version) prompt.version = detail.value.version;
      prompt.kmsKeyArn = detail.value.customerEncryptionKeyArn ?? null;
    }
    await readTags(rt, region, prompt);
    out.push(prompt);
  });
  return out;
}

/** Flows: each flow's working draft, with its execution role and key. */
async function flowsOf(rt: CollectRuntime, region: string): Promise<BedrockFlowInput[] | undefined> {
  const listed: FlowSummary[] = [];
  const result = await paginate(
    (nextToken) => rt.call('bedrock-agent', region, 'ListFlows', (c) => c.send(new ListFlowsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => listed.push(...(page.flowSummaries ?? [])),
  );
  if (result === 'failed') return undefined;
  const out: BedrockFlowInput[] = [];
  await forEachBounded(listed, rt.concurrencyFor('bedrock-agent'), async (summary) => {
    if (!summary.id || !summary.arn) return;
    const flow: BedrockFlowInput = { arn: summary.arn, region, id: summary.id, name: summary.name ?? summary.id };
    if (summary.status) flow.status = summary.status;
    const detail = await rt.call('bedrock-agent', region, 'GetFlow', (c) => c.send(new GetFlowCommand({ flowIdentifier: summary.id! })), {
      resource: summary.arn,
    });
    if (detail.status === 'ok') {
      if (detail.value.status) flow.status = detail.value.status;
      if (detail.value.executionRoleArn) flow.roleArn = detail.value.executionRoleArn;
      flow.kmsKeyArn = detail.value.customerEncryptionKeyArn ?? null;
    }
    await readTags(rt, region, flow);
    out.push(flow);
  });
  return out;
}

/**
 * The resource's tags (ListTagsForResource, keys sorted; {} when it has none). A failure leaves them
 * absent (not read), recorded on the resource's ARN.
 */
async function readTags(rt: CollectRuntime, region: string, resource: { arn: string; tags?: Record<string, string> }): Promise<void> {
  const outcome = await rt.call('bedrock-agent', region, 'ListTagsForResource', (c) => c.send(new ListTagsForResourceCommand({ resourceArn: resource.arn })), {
    resource: resource.arn,
  });
  if (outcome.status !== 'ok') return;
  const entries = Object.entries(outcome.value.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  resource.tags = Object.fromEntries(entries);
}
