/**
 * The AI asset graph: which buckets, keys, roles, subnets and log destinations serve AI
 * workloads, and why. It is computed from the inventory (never collected), so the same snapshot,
 * template or live scan always gives the same graph.
 *
 * Workloads are the AI resources themselves: SageMaker training and processing jobs, models
 * (joined by their Model Registry package), endpoint configs (by the models they deploy),
 * endpoints (by their endpoint config), Model Monitor schedules (by the endpoint they watch),
 * model cards (their key and the model they document), notebook instances and Studio domains; Bedrock agents, custom models, guardrails, knowledge bases (with
 * what their data sources read: the source bucket and the ingestion key), prompts and flows; and
 * each Region's Bedrock invocation logging. Each workload names what it uses
 * (execution role, volume/output/storage key, subnets, guardrail, log bucket and group, and the
 * buckets of the S3 data it reads and writes: training data, outputs, checkpoints, model
 * artifacts), and every such resource becomes a member with the path that makes it one ("execution
 * role of training job churn-train", "training data of custom model support-ft"). An S3 URI counts
 * by its bucket; what is not an `s3://bucket/...` URI is left out. What cannot be derived joins by
 * the tag `aigis:ai-workload=true` or by the config list of extra ARNs/names.
 *
 * The tag `aigis:data-class` (public, internal, confidential, restricted: the tiers of the guidance)
 * is read here too, so rules ask one place what a resource must have.
 */
import type { Inventory } from '../inventory/schema.js';
import type { InventoryIndex } from './inventory-index.js';

export const AI_WORKLOAD_TAG = 'aigis:ai-workload';
export const DATA_CLASS_TAG = 'aigis:data-class';
export const DATA_CLASSES = ['public', 'internal', 'confidential', 'restricted'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

export interface AiWorkload {
  /** CloudFormation-style type (`AWS::SageMaker::TrainingJob`). */
  type: string;
  arn: string;
  name: string;
  region: string;
}

/** One reason a resource belongs to the graph. */
export interface AiMembership {
  /** What the resource is to the workload: `execution role`, `volume key`, `invocation log bucket`... */
  relation: string;
  /** The workload that names it; absent for members by tag or config. */
  workload?: AiWorkload;
}

export interface AiAssetGraph {
  workloads: AiWorkload[];
  /** The workloads by ARN. */
  workloadsByArn: ReadonlyMap<string, AiWorkload>;
  /** Members keyed by ARN (buckets, keys, roles, log groups) or by id (subnets). */
  members: ReadonlyMap<string, readonly AiMembership[]>;
}

export interface AiGraphOptions {
  /** Extra members from config: ARNs, or bucket/role names. */
  resources?: readonly string[];
}

export function buildAiAssetGraph(inventory: Inventory, index: InventoryIndex, options: AiGraphOptions = {}): AiAssetGraph {
  const builder = new GraphBuilder(inventory, index);
  builder.addWorkloads();
  builder.addTagged();
  for (const reference of options.resources ?? []) builder.addConfigured(reference);
  return builder.graph();
}

/** Is the resource (by ARN or id) part of the graph? */
export function isAiResource(graph: AiAssetGraph, arnOrId: string): boolean {
  return graph.members.has(arnOrId) || graph.workloadsByArn.has(arnOrId);
}

/** Why a resource is in the graph, one phrase per reason: "execution role of training job churn-train". */
export function describeMembership(graph: AiAssetGraph, arnOrId: string): string[] {
  const workload = graph.workloadsByArn.get(arnOrId);
  const reasons = workload ? [`AI workload (${WORKLOAD_NOUNS[workload.type] ?? workload.type})`] : [];
  for (const m of graph.members.get(arnOrId) ?? []) {
    reasons.push(m.workload ? `${m.relation} of ${WORKLOAD_NOUNS[m.workload.type] ?? m.workload.type} ${m.workload.name}` : m.relation);
  }
  return reasons;
}

/** "training job churn-train": a workload as messages name it. */
export function workloadLabel(workload: AiWorkload): string {
  return `${WORKLOAD_NOUNS[workload.type] ?? workload.type} ${workload.name}`;
}

/** The `aigis:data-class` tier of a resource's tags; undefined when absent or not a known tier. */
export function dataClassOf(tags: Readonly<Record<string, string>> | undefined): DataClass | undefined {
  const value = tags?.[DATA_CLASS_TAG]?.trim().toLowerCase();
  return (DATA_CLASSES as readonly string[]).includes(value ?? '') ? (value as DataClass) : undefined;
}

const WORKLOAD_NOUNS: Record<string, string> = {
  'AWS::SageMaker::TrainingJob': 'training job',
  'AWS::SageMaker::ProcessingJob': 'processing job',
  'AWS::SageMaker::Model': 'model',
  'AWS::SageMaker::EndpointConfig': 'endpoint config',
  'AWS::SageMaker::Endpoint': 'endpoint',
  'AWS::SageMaker::MonitoringSchedule': 'monitoring schedule',
  'AWS::SageMaker::ModelCard': 'model card',
  'AWS::SageMaker::NotebookInstance': 'notebook instance',
  'AWS::SageMaker::Domain': 'Studio domain',
  'AWS::Bedrock::Agent': 'agent',
  'AWS::Bedrock::CustomModel': 'custom model',
  'AWS::Bedrock::Guardrail': 'guardrail',
  'AWS::Bedrock::InvocationLogging': 'Bedrock invocation logging',
  'AWS::Bedrock::KnowledgeBase': 'knowledge base',
  'AWS::Bedrock::Prompt': 'prompt',
  'AWS::Bedrock::Flow': 'flow',
};

/** S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The bucket of an `s3://bucket/key` URI, or undefined for anything else (another scheme, an empty
 * or malformed bucket name). Only the part before the first `/` is looked at.
 */
export function bucketOfS3Uri(uri: string): string | undefined {
  if (uri.length < 8 || uri.slice(0, 5).toLowerCase() !== 's3://') return undefined;
  const end = uri.indexOf('/', 5);
  const bucket = end === -1 ? uri.slice(5) : uri.slice(5, end);
  return bucket.length <= 63 && BUCKET_NAME.test(bucket) && !bucket.includes('..') ? bucket : undefined;
}

/** The bucket of an S3 bucket ARN (`arn:<partition>:s3:::bucket`), or undefined for anything else. */
export function bucketOfArn(arn: string): string | undefined {
  if (arn.length > 200 || !arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[2] !== 's3' || parts[3] !== '' || parts[4] !== '') return undefined;
  const bucket = parts[5]!;
  return bucket.length <= 63 && BUCKET_NAME.test(bucket) && !bucket.includes('..') ? bucket : undefined;
}

class GraphBuilder {
  private readonly workloads: AiWorkload[] = [];
  private readonly members = new Map<string, AiMembership[]>();
  /** Workload ARNs seen, and those seen more than once (a resource listed twice in a hand-made export). */
  private readonly workloadArns = new Set<string>();
  private readonly repeatedArns = new Set<string>();
  private readonly partition: string;

  constructor(
    private readonly inventory: Inventory,
    private readonly index: InventoryIndex,
  ) {
    this.partition = inventory.account.partition;
  }

  graph(): AiAssetGraph {
    for (const list of this.members.values()) list.sort(compareMemberships);
    return { workloads: this.workloads, workloadsByArn: new Map(this.workloads.map((w) => [w.arn, w])), members: this.members };
  }

  addWorkloads(): void {
    const sm = this.inventory.sagemaker;
    for (const job of sm?.trainingJobs ?? []) {
      const w = this.workload('AWS::SageMaker::TrainingJob', job);
      this.role(job.roleArn, 'execution role', w);
      this.key(job.volumeKmsKeyId, 'volume key', w);
      this.key(job.outputKmsKeyId, 'output key', w);
      for (const subnet of job.vpcConfig?.subnets ?? []) this.add(subnet, 'subnet', w);
      for (const uri of job.inputS3Uris ?? []) this.bucket(uri, 'training data', w);
      this.bucket(job.outputS3Path, 'output', w);
      this.bucket(job.checkpointS3Uri, 'checkpoints', w);
    }
    for (const job of sm?.processingJobs ?? []) {
      const w = this.workload('AWS::SageMaker::ProcessingJob', job);
      this.role(job.roleArn, 'execution role', w);
      this.key(job.volumeKmsKeyId, 'volume key', w);
      this.key(job.outputKmsKeyId, 'output key', w);
      for (const subnet of job.vpcConfig?.subnets ?? []) this.add(subnet, 'subnet', w);
      for (const uri of job.inputS3Uris ?? []) this.bucket(uri, 'processing input', w);
      for (const uri of job.outputS3Uris ?? []) this.bucket(uri, 'processing output', w);
    }
    // The deployment chain: endpoint -> endpoint config -> model -> model package (Model Registry).
    const modelsByName = new Map<string, string>();
    for (const model of sm?.models ?? []) {
      const w = this.workload('AWS::SageMaker::Model', model);
      this.role(model.executionRoleArn, 'execution role', w);
      for (const subnet of model.vpcConfig?.subnets ?? []) this.add(subnet, 'subnet', w);
      for (const uri of model.modelDataUrls ?? []) this.bucket(uri, 'model artifacts', w);
      if (model.modelPackageName?.startsWith('arn:')) this.add(model.modelPackageName, 'model package', w);
      const key = `${model.region}/${model.name.toLowerCase()}`;
      if (!modelsByName.has(key)) modelsByName.set(key, model.arn);
    }
    for (const config of sm?.endpointConfigs ?? []) {
      const w = this.workload('AWS::SageMaker::EndpointConfig', config);
      this.key(config.kmsKeyId, 'storage key', w);
      for (const variant of config.productionVariants ?? []) {
        const model = variant.modelName ? modelsByName.get(`${config.region}/${variant.modelName.toLowerCase()}`) : undefined;
        if (model) this.add(model, 'deployed model', w);
      }
    }
    // Endpoints serve the models of their current configuration; monitoring schedules name the
    // endpoint they watch and model cards the model they document: each joins what it names.
    const configsByName = new Map<string, string>();
    for (const config of sm?.endpointConfigs ?? []) {
      const key = `${config.region}/${config.name.toLowerCase()}`;
      if (!configsByName.has(key)) configsByName.set(key, config.arn);
    }
    const endpointsByName = new Map<string, string>();
    for (const endpoint of sm?.endpoints ?? []) {
      const w = this.workload('AWS::SageMaker::Endpoint', endpoint);
      const key = `${endpoint.region}/${endpoint.name.toLowerCase()}`;
      if (!endpointsByName.has(key)) endpointsByName.set(key, endpoint.arn);
      const config = endpoint.endpointConfigName ? configsByName.get(`${endpoint.region}/${endpoint.endpointConfigName.toLowerCase()}`) : undefined;
      if (config) this.add(config, 'endpoint config', w);
    }
    for (const schedule of sm?.monitoringSchedules ?? []) {
      const w = this.workload('AWS::SageMaker::MonitoringSchedule', schedule);
      const endpoint = schedule.endpointName ? endpointsByName.get(`${schedule.region}/${schedule.endpointName.toLowerCase()}`) : undefined;
      if (endpoint) this.add(endpoint, 'monitored endpoint', w);
    }
    for (const card of sm?.modelCards ?? []) {
      const w = this.workload('AWS::SageMaker::ModelCard', card);
      this.key(card.kmsKeyId, 'encryption key', w);
      const model = card.modelId?.startsWith('arn:')
        ? card.modelId
        : card.modelName
          ? modelsByName.get(`${card.region}/${card.modelName.toLowerCase()}`)
          : undefined;
      if (model) this.add(model, 'documented model', w);
    }
    for (const notebook of sm?.notebookInstances ?? []) {
      const w = this.workload('AWS::SageMaker::NotebookInstance', notebook);
      this.role(notebook.roleArn, 'execution role', w);
      this.key(notebook.kmsKeyId, 'storage key', w);
      if (notebook.subnetId) this.add(notebook.subnetId, 'subnet', w);
    }
    for (const domain of sm?.domains ?? []) {
      const w = this.workload('AWS::SageMaker::Domain', domain);
      this.key(domain.kmsKeyId, 'storage key', w);
      for (const subnet of domain.subnetIds ?? []) this.add(subnet, 'subnet', w);
    }
    const bedrock = this.inventory.bedrock;
    // An agent names its guardrail by id or ARN: one map of both, the first guardrail in inventory
    // order winning a clash (as a search of the list would).
    const guardrails = new Map<string, string>();
    for (const g of bedrock?.guardrails ?? []) {
      if (!guardrails.has(g.id)) guardrails.set(g.id, g.arn);
      if (!guardrails.has(g.arn)) guardrails.set(g.arn, g.arn);
    }
    for (const agent of bedrock?.agents ?? []) {
      const w = this.workload('AWS::Bedrock::Agent', agent);
      this.role(agent.roleArn, 'service role', w);
      this.key(agent.kmsKeyArn, 'encryption key', w);
      const guardrail = agent.guardrail ? guardrails.get(agent.guardrail.id) : undefined;
      if (guardrail) this.add(guardrail, 'guardrail', w);
    }
    for (const model of bedrock?.customModels ?? []) {
      const w = this.workload('AWS::Bedrock::CustomModel', model);
      this.key(model.kmsKeyArn, 'encryption key', w);
      this.role(model.roleArn ?? undefined, 'customization role', w);
      this.bucket(model.trainingDataS3Uri, 'training data', w);
      for (const uri of model.validationDataS3Uris ?? []) this.bucket(uri, 'validation data', w);
      this.bucket(model.outputDataS3Uri, 'output', w);
    }
    for (const guardrail of bedrock?.guardrails ?? []) {
      const w = this.workload('AWS::Bedrock::Guardrail', guardrail);
      this.key(guardrail.kmsKeyArn, 'encryption key', w);
    }
    // Data sources by their knowledge base (ARN, else Region and id), added right after it so that
    // each member's entries for the workload stay together (see `has`).
    const sourcesOf = new Map<string, NonNullable<typeof bedrock>['dataSources']>();
    for (const source of bedrock?.dataSources ?? []) {
      const key = source.knowledgeBaseArn ?? `${source.region}\u0000${source.knowledgeBaseId}`;
      const list = sourcesOf.get(key);
      if (list) list.push(source);
      else sourcesOf.set(key, [source]);
    }
    for (const kb of bedrock?.knowledgeBases ?? []) {
      const w = this.workload('AWS::Bedrock::KnowledgeBase', kb);
      this.role(kb.roleArn, 'service role', w);
      const store = kb.vectorStore;
      if (store?.resourceArn) this.add(store.resourceArn, 'vector store', w);
      if (store?.credentialsSecretArn) this.add(store.credentialsSecretArn, 'vector store credentials', w);
      for (const uri of kb.supplementalDataS3Uris ?? []) this.bucket(uri, 'multimodal storage', w);
      const sources = [...(sourcesOf.get(kb.arn) ?? []), ...(sourcesOf.get(`${kb.region}\u0000${kb.id}`) ?? [])];
      for (const source of sources) {
        const bucket = source.s3BucketArn ? bucketOfArn(source.s3BucketArn) : undefined;
        if (bucket) this.add(`arn:${this.partition}:s3:::${bucket}`, 'data source bucket', w);
        this.key(source.kmsKeyArn, 'data source key', w);
      }
    }
    for (const prompt of bedrock?.prompts ?? []) {
      const w = this.workload('AWS::Bedrock::Prompt', prompt);
      this.key(prompt.kmsKeyArn, 'encryption key', w);
    }
    for (const flow of bedrock?.flows ?? []) {
      const w = this.workload('AWS::Bedrock::Flow', flow);
      this.role(flow.roleArn, 'execution role', w);
      this.key(flow.kmsKeyArn, 'encryption key', w);
    }
    for (const logging of bedrock?.invocationLogging ?? []) {
      if (!logging.config) continue;
      const w: AiWorkload = {
        type: 'AWS::Bedrock::InvocationLogging',
        arn: `arn:${this.partition}:bedrock:${logging.region}:${this.inventory.account.id}:logging`,
        name: logging.region,
        region: logging.region,
      };
      this.register(w);
      const bucket = logging.config.s3Config?.bucketName;
      if (bucket) this.add(`arn:${this.partition}:s3:::${bucket}`, 'invocation log bucket', w);
      const group = logging.config.cloudWatchConfig;
      if (group) {
        this.add(`arn:${this.partition}:logs:${logging.region}:${this.inventory.account.id}:log-group:${group.logGroupName}`, 'invocation log group', w);
        this.role(group.roleArn, 'invocation logging role', w);
      }
    }
  }

  addTagged(): void {
    for (const { arn, tags } of this.taggable()) {
      if (tags?.[AI_WORKLOAD_TAG]?.trim().toLowerCase() === 'true') this.add(arn, `tagged ${AI_WORKLOAD_TAG}=true`);
    }
  }

  addConfigured(reference: string): void {
    if (reference.startsWith('arn:')) {
      this.add(reference, 'listed in the config (aiWorkloads.resources)');
      return;
    }
    // A bare name: the bucket or role of that name, if the inventory has it.
    const bucket = this.inventory.s3?.buckets.find((b) => b.name === reference);
    if (bucket) this.add(bucket.arn, 'listed in the config (aiWorkloads.resources)');
    const role = this.inventory.iam?.roles.find((r) => r.name === reference);
    if (role) this.add(role.arn, 'listed in the config (aiWorkloads.resources)');
  }

  private *taggable(): Iterable<{ arn: string; tags?: Record<string, string> }> {
    const inv = this.inventory;
    yield* inv.s3?.buckets ?? [];
    yield* inv.kms?.keys ?? [];
    yield* inv.iam?.roles ?? [];
    yield* inv.iam?.users ?? [];
    yield* inv.cloudtrail?.trails ?? [];
    yield* inv.ec2?.vpcEndpoints ?? [];
    yield* inv.apiGateway?.restApis ?? [];
    yield* inv.apiGateway?.stages ?? [];
  }

  private workload(type: string, resource: { arn: string; name?: string; region: string }): AiWorkload {
    const w = { type, arn: resource.arn, name: resource.name ?? resource.arn, region: resource.region };
    this.register(w);
    return w;
  }

  private role(arn: string | undefined, relation: string, workload: AiWorkload): void {
    if (arn) this.add(arn, relation, workload);
  }

  /** A key reference (id, ARN, alias) resolved to the key's ARN when the inventory has the key. */
  private key(reference: string | null | undefined, relation: string, workload: AiWorkload): void {
    if (!reference) return;
    const key = this.index.resolveKmsKey(reference, workload.region);
    this.add(key?.arn ?? reference, relation, workload);
  }

  /** The bucket of an S3 URI, as its ARN; URIs that are not `s3://bucket/...` are ignored. */
  private bucket(uri: string | null | undefined, relation: string, workload: AiWorkload): void {
    const name = uri ? bucketOfS3Uri(uri) : undefined;
    if (name) this.add(`arn:${this.partition}:s3:::${name}`, relation, workload);
  }

  private register(workload: AiWorkload): void {
    this.workloads.push(workload);
    if (this.workloadArns.has(workload.arn)) this.repeatedArns.add(workload.arn);
    else this.workloadArns.add(workload.arn);
  }

  private add(id: string, relation: string, workload?: AiWorkload): void {
    let list = this.members.get(id);
    if (!list) this.members.set(id, (list = []));
    else if (this.has(list, relation, workload)) return;
    list.push(workload ? { relation, workload } : { relation });
  }

  /**
   * Is (relation, workload) already in the member's list? A bucket or role shared by every job
   * collects tens of thousands of entries, so the usual case looks only at the list's tail: a
   * workload adds all it uses right after it is registered, so its own entries are the last ones.
   * Members by tag or config, and workloads whose ARN repeats, search the whole list.
   */
  private has(list: readonly AiMembership[], relation: string, workload: AiWorkload | undefined): boolean {
    if (workload && !this.repeatedArns.has(workload.arn)) {
      for (let i = list.length - 1; i >= 0 && list[i]!.workload === workload; i--) if (list[i]!.relation === relation) return true;
      return false;
    }
    return list.some((m) => m.relation === relation && m.workload?.arn === workload?.arn);
  }
}

/** By workload ARN (none first), then relation. */
function compareMemberships(a: AiMembership, b: AiMembership): number {
  const wa = a.workload?.arn ?? '';
  const wb = b.workload?.arn ?? '';
  if (wa !== wb) return wa < wb ? -1 : 1;
  return a.relation < b.relation ? -1 : a.relation > b.relation ? 1 : 0;
}
