/**
 * Bedrock in a Terraform plan: guardrails (their content, sensitive-information, topic, word and
 * contextual grounding policies), agents (role, key, guardrail), custom models (key, and the
 * customization job's role and S3 training, validation and output data), knowledge bases (role,
 * embedding model, vector store) and their data sources (S3 bucket, ingestion key), prompts and
 * flows (key, execution role), and the account's model invocation logging configuration.
 */
import { compact } from '../iac/draft.js';
import { UNKNOWN, type Read } from '../iac/props.js';
import { syntheticAlnumId } from '../iac/synth.js';
import type { MapContext, MapperTable } from './context.js';
import { firstObject, s3UriAt } from './helpers.js';

export const bedrockMappers: MapperTable = {
  aws_bedrock_guardrail: {
    nameRule: { max: 50, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed }) {
      const name = nameOf('name');
      const id = given('guardrail_id') ?? syntheticAlnumId(seed, 12).toLowerCase();
      const arn = given('guardrail_arn') ?? `arn:${p}:bedrock:${r}:${a}:guardrail/${id}`;
      set(name, arn, { id: `${id},DRAFT`, guardrail_id: id, guardrail_arn: arn, version: 'DRAFT', name });
    },
    map(ctx) {
      const { resource: r, nullableStr, base, finish } = ctx;
      const id = r.identity;
      const content = ctx.block('content_policy_config');
      const sensitive = ctx.block('sensitive_information_policy_config');
      const topics = ctx.block('topic_policy_config');
      const words = ctx.block('word_policy_config');
      const grounding = ctx.block('contextual_grounding_policy_config');
      const guardrail = compact({
        ...base({ kms_key_arn: 'KmsKeyArn', content_policy_config: 'ContentPolicyConfig', sensitive_information_policy_config: 'SensitiveInformationPolicyConfig', topic_policy_config: 'TopicPolicyConfig', word_policy_config: 'WordPolicyConfig', contextual_grounding_policy_config: 'ContextualGroundingPolicyConfig' }),
        id: id.attributes.guardrail_id!,
        name: id.name,
        version: 'DRAFT',
        kmsKeyArn: nullableStr('kms_key_arn', 'KmsKeyArn'),
        contentPolicy: content
          ? { filters: ctx.blocks(content.filters_config, [...r.jsonPath, 'values', 'content_policy_config', 0, 'filters_config']).map((f) => ({ type: String(f.type), inputStrength: strength(f.input_strength), outputStrength: strength(f.output_strength) })) }
          : null,
        sensitiveInformationPolicy: sensitive
          ? {
              piiEntities: ctx.blocks(sensitive.pii_entities_config, [...r.jsonPath, 'values', 'sensitive_information_policy_config', 0, 'pii_entities_config']).map((e) => ({ type: String(e.type), action: String(e.action) })),
              regexes: ctx.blocks(sensitive.regexes_config, [...r.jsonPath, 'values', 'sensitive_information_policy_config', 0, 'regexes_config']).map((e) => ({ name: String(e.name), pattern: String(e.pattern), action: String(e.action) })),
            }
          : null,
        topicPolicy: topics ? { topics: ctx.blocks(topics.topics_config, [...r.jsonPath, 'values', 'topic_policy_config', 0, 'topics_config']).map((t) => ({ name: String(t.name), type: String(t.type ?? 'DENY') })) } : null,
        wordPolicy: words
          ? {
              words: ctx.blocks(words.words_config, [...r.jsonPath, 'values', 'word_policy_config', 0, 'words_config']).map((w) => String(w.text)),
              managedWordLists: ctx.blocks(words.managed_word_lists_config, [...r.jsonPath, 'values', 'word_policy_config', 0, 'managed_word_lists_config']).map((w) => String(w.type)),
            }
          : null,
        contextualGroundingPolicy: grounding
          ? {
              filters: ctx.blocks(grounding.filters_config, [...r.jsonPath, 'values', 'contextual_grounding_policy_config', 0, 'filters_config']).map((f, i) => ({
                type: String(f.type),
                threshold: ctx.number(f.threshold, [...r.jsonPath, 'values', 'contextual_grounding_policy_config', 0, 'filters_config', i, 'threshold']),
              })),
            }
          : null,
      });
      ctx.draft.guardrails.push(finish(guardrail));
    },
  },

  aws_bedrockagent_agent: {
    nameRule: { max: 100, charset: 'alnum' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed }) {
      const name = nameOf('agent_name');
      const id = given('agent_id') ?? syntheticAlnumId(seed, 10);
      const arn = given('agent_arn') ?? `arn:${p}:bedrock:${r}:${a}:agent/${id}`;
      set(name, arn, { id, agent_id: id, agent_arn: arn, agent_name: name });
    },
    map(ctx) {
      const { unresolved: u, str, nullableStr, base, finish } = ctx;
      const id = ctx.resource.identity;
      const guardrailBlock = ctx.block('guardrail_configuration');
      let guardrail: { id: string; version?: string } | null | undefined = null;
      if (guardrailBlock) {
        const identifier = ctx.readStr(['guardrail_configuration', 0, 'guardrail_identifier'], 'GuardrailConfiguration.GuardrailIdentifier');
        guardrail = identifier === UNKNOWN || identifier === undefined ? undefined : compact({ id: identifier, version: typeof guardrailBlock.guardrail_version === 'string' ? guardrailBlock.guardrail_version : undefined });
      } else if (ctx.isUnknown(['guardrail_configuration'])) {
        guardrail = undefined;
        u.add('GuardrailConfiguration');
      }
      const agent = compact({
        ...base({ agent_resource_role_arn: 'AgentResourceRoleArn', foundation_model: 'FoundationModel', customer_encryption_key_arn: 'CustomerEncryptionKeyArn', guardrail_configuration: 'GuardrailConfiguration' }),
        id: id.attributes.agent_id!,
        name: id.name,
        roleArn: str('agent_resource_role_arn', 'AgentResourceRoleArn'),
        foundationModel: str('foundation_model', 'FoundationModel'),
        kmsKeyArn: nullableStr('customer_encryption_key_arn', 'CustomerEncryptionKeyArn'),
        guardrail,
      });
      ctx.draft.agents.push(finish(agent));
    },
  },

  aws_bedrock_custom_model: {
    nameRule: { max: 63, charset: 'alnum' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('custom_model_name');
      const arn = given('custom_model_arn') ?? `arn:${p}:bedrock:${r}:${a}:custom-model/${name}`;
      set(name, arn, { id: arn, custom_model_arn: arn });
    },
    map(ctx) {
      const { str, nullableStr, base, finish } = ctx;
      const id = ctx.resource.identity;
      const r = ctx.resource;
      const absentIsNull = (value: string | typeof UNKNOWN | undefined) => (value === UNKNOWN ? undefined : (value ?? null));
      // Validators: any unknown (or a list only known after apply, seen above validator 0) and the list is unknown.
      const validators = ctx.blocks(ctx.block('validation_data_config')?.validator, [...r.jsonPath, 'values', 'validation_data_config', 0, 'validator']);
      let validationDataS3Uris: string[] | undefined = [];
      for (let i = 0; i < Math.max(validators.length, 1); i++) {
        const uri = s3UriAt(ctx, ['validation_data_config', 0, 'validator', i, 's3_uri'], `ValidationDataConfig.Validators[${i}].S3Uri`);
        if (uri === UNKNOWN) validationDataS3Uris = undefined;
        else if (uri && validationDataS3Uris) validationDataS3Uris.push(uri);
      }
      const model = compact({
        ...base({
          base_model_identifier: 'BaseModelIdentifier',
          custom_model_kms_key_id: 'CustomModelKmsKeyId',
          role_arn: 'RoleArn',
          training_data_config: 'TrainingDataConfig',
          validation_data_config: 'ValidationDataConfig',
          output_data_config: 'OutputDataConfig',
        }),
        name: id.name,
        baseModelArn: str('base_model_identifier', 'BaseModelIdentifier'),
        kmsKeyArn: nullableStr('custom_model_kms_key_id', 'CustomModelKmsKeyId'),
        customizationType: str('customization_type', 'CustomizationType'),
        roleArn: str('role_arn', 'RoleArn'),
        trainingDataS3Uri: absentIsNull(s3UriAt(ctx, ['training_data_config', 0, 's3_uri'], 'TrainingDataConfig.S3Uri')),
        validationDataS3Uris,
        outputDataS3Uri: absentIsNull(s3UriAt(ctx, ['output_data_config', 0, 's3_uri'], 'OutputDataConfig.S3Uri')),
      });
      ctx.draft.customModels.push(finish(model));
    },
  },

  aws_bedrockagent_knowledge_base: {
    nameRule: { max: 100, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed }) {
      const name = nameOf('name');
      const id = given('id') ?? syntheticAlnumId(seed, 10);
      const arn = given('arn') ?? `arn:${p}:bedrock:${r}:${a}:knowledge-base/${id}`;
      set(name, arn, { id, arn, name });
    },
    map(ctx) {
      const { str, base, finish } = ctx;
      const id = ctx.resource.identity;
      const vectorPath = ['knowledge_base_configuration', 0, 'vector_knowledge_base_configuration', 0];
      const configured = ctx.block('knowledge_base_configuration');
      const embedding = configured ? ctx.readStr([...vectorPath, 'embedding_model_arn'], 'KnowledgeBaseConfiguration.VectorKnowledgeBaseConfiguration.EmbeddingModelArn') : undefined;
      const kb = compact({
        ...base({ role_arn: 'RoleArn', knowledge_base_configuration: 'KnowledgeBaseConfiguration', storage_configuration: 'StorageConfiguration' }),
        id: id.attributes.id!,
        name: id.name,
        type: str(['knowledge_base_configuration', 0, 'type'], 'KnowledgeBaseConfiguration.Type'),
        roleArn: str('role_arn', 'RoleArn'),
        embeddingModelArn: embedding === UNKNOWN ? undefined : (embedding ?? null),
        vectorStore: tfVectorStore(ctx),
        supplementalDataS3Uris: tfSupplementalUris(ctx, vectorPath),
      });
      ctx.draft.knowledgeBases.push(finish(kb));
    },
  },

  aws_bedrockagent_data_source: {
    nameRule: { max: 100, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed }) {
      const name = nameOf('name');
      const dsId = given('data_source_id') ?? syntheticAlnumId(seed, 10);
      const kbId = given('knowledge_base_id') ?? `unresolved-${syntheticAlnumId(`${seed}:kb`, 10)}`;
      // No ARN of its own: aigis's, under the knowledge base's (map() uses the referenced knowledge base's id).
      const arn = `arn:${p}:bedrock:${r}:${a}:knowledge-base/${kbId}/data-source/${dsId}`;
      set(name, arn, { id: `${dsId},${kbId}`, data_source_id: dsId, name });
    },
    map(ctx) {
      const { str, base, finish, partition, region, accountId } = ctx;
      const id = ctx.resource.identity;
      const dsId = id.attributes.data_source_id!;
      const kbId = str('knowledge_base_id', 'KnowledgeBaseId');
      const kbArn = kbId ? `arn:${partition}:bedrock:${region}:${accountId}:knowledge-base/${kbId}` : undefined;
      const config = ctx.block('data_source_configuration');
      const s3 = config ? firstObject(config.s3_configuration) : undefined;
      const s3Path = ['data_source_configuration', 0, 's3_configuration', 0];
      const bucket = s3 ? ctx.readStr([...s3Path, 'bucket_arn'], 'DataSourceConfiguration.S3Configuration.BucketArn') : undefined;
      const prefixes = s3 ? ctx.readStrList([...s3Path, 'inclusion_prefixes'], 'DataSourceConfiguration.S3Configuration.InclusionPrefixes') : undefined;
      const sse = ctx.block('server_side_encryption_configuration');
      const key = sse ? ctx.readStr(['server_side_encryption_configuration', 0, 'kms_key_arn'], 'ServerSideEncryptionConfiguration.KmsKeyArn') : undefined;
      const unknownSse = !sse && ctx.isUnknown(['server_side_encryption_configuration']);
      const record = compact({
        ...base({ knowledge_base_id: 'KnowledgeBaseId', data_source_configuration: 'DataSourceConfiguration', server_side_encryption_configuration: 'ServerSideEncryptionConfiguration' }),
        ...(kbArn ? { arn: `${kbArn}/data-source/${dsId}` } : {}),
        id: dsId,
        name: id.name,
        knowledgeBaseId: kbId ?? id.attributes.id!.split(',')[1]!,
        knowledgeBaseArn: kbArn,
        type: config ? str(['data_source_configuration', 0, 'type'], 'DataSourceConfiguration.Type') : undefined,
        s3BucketArn: !config ? undefined : bucket === UNKNOWN ? undefined : (bucket ?? null),
        s3InclusionPrefixes: !s3 || prefixes === UNKNOWN ? undefined : (prefixes ?? []),
        kmsKeyArn: unknownSse || key === UNKNOWN ? undefined : (key ?? null),
        dataDeletionPolicy: str('data_deletion_policy', 'DataDeletionPolicy'),
      });
      ctx.draft.dataSources.push(finish(record));
    },
  },

  aws_bedrockagent_prompt: {
    nameRule: { max: 100, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed }) {
      const name = nameOf('name');
      const id = given('id') ?? syntheticAlnumId(seed, 10);
      const arn = given('arn') ?? `arn:${p}:bedrock:${r}:${a}:prompt/${id}`;
      set(name, arn, { id, arn, name, version: 'DRAFT' });
    },
    map(ctx) {
      const { nullableStr, base, finish } = ctx;
      const id = ctx.resource.identity;
      const prompt = compact({
        ...base({ customer_encryption_key_arn: 'CustomerEncryptionKeyArn' }),
        id: id.attributes.id!,
        name: id.name,
        version: 'DRAFT',
        kmsKeyArn: nullableStr('customer_encryption_key_arn', 'CustomerEncryptionKeyArn'),
      });
      ctx.draft.prompts.push(finish(prompt));
    },
  },

  aws_bedrockagent_flow: {
    nameRule: { max: 100, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed }) {
      const name = nameOf('name');
      const id = given('id') ?? syntheticAlnumId(seed, 10);
      const arn = given('arn') ?? `arn:${p}:bedrock:${r}:${a}:flow/${id}`;
      set(name, arn, { id, arn, name });
    },
    map(ctx) {
      const { str, nullableStr, base, finish } = ctx;
      const id = ctx.resource.identity;
      const flow = compact({
        ...base({ execution_role_arn: 'ExecutionRoleArn', customer_encryption_key_arn: 'CustomerEncryptionKeyArn' }),
        id: id.attributes.id!,
        name: id.name,
        roleArn: str('execution_role_arn', 'ExecutionRoleArn'),
        kmsKeyArn: nullableStr('customer_encryption_key_arn', 'CustomerEncryptionKeyArn'),
      });
      ctx.draft.flows.push(finish(flow));
    },
  },

  aws_bedrock_model_invocation_logging_configuration: {
    map(ctx) {
      const { region } = ctx;
      const config = ctx.block('logging_config');
      if (!config) return;
      const s3 = firstObject(config.s3_config);
      const cw = firstObject(config.cloudwatch_config);
      ctx.draft.invocationLogging.push({
        region,
        config: compact({
          textDataDeliveryEnabled: optionalBool(config.text_data_delivery_enabled),
          imageDataDeliveryEnabled: optionalBool(config.image_data_delivery_enabled),
          embeddingDataDeliveryEnabled: optionalBool(config.embedding_data_delivery_enabled),
          videoDataDeliveryEnabled: optionalBool(config.video_data_delivery_enabled),
          s3Config: s3 ? compact({ bucketName: String(s3.bucket_name ?? ''), keyPrefix: typeof s3.key_prefix === 'string' ? s3.key_prefix : undefined }) : null,
          cloudWatchConfig: cw ? compact({ logGroupName: String(cw.log_group_name ?? ''), roleArn: typeof cw.role_arn === 'string' ? cw.role_arn : undefined }) : null,
        }),
      });
    },
  },
};

function optionalBool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function strength(value: unknown): 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' {
  return value === 'LOW' || value === 'MEDIUM' || value === 'HIGH' ? value : 'NONE';
}

/** Where each vector store type names its AWS resource and its credentials secret (Terraform names). */
const TF_STORES: Readonly<Record<string, { block: string; arns: string[]; secret?: string }>> = {
  OPENSEARCH_SERVERLESS: { block: 'opensearch_serverless_configuration', arns: ['collection_arn'] },
  OPENSEARCH_MANAGED_CLUSTER: { block: 'opensearch_managed_cluster_configuration', arns: ['domain_arn'] },
  RDS: { block: 'rds_configuration', arns: ['resource_arn'], secret: 'credentials_secret_arn' },
  NEPTUNE_ANALYTICS: { block: 'neptune_analytics_configuration', arns: ['graph_arn'] },
  S3_VECTORS: { block: 's3_vectors_configuration', arns: ['vector_bucket_arn', 'index_arn'] },
  PINECONE: { block: 'pinecone_configuration', arns: [], secret: 'credentials_secret_arn' },
  MONGO_DB_ATLAS: { block: 'mongo_db_atlas_configuration', arns: [], secret: 'credentials_secret_arn' },
  REDIS_ENTERPRISE_CLOUD: { block: 'redis_enterprise_cloud_configuration', arns: [], secret: 'credentials_secret_arn' },
};

/** storage_configuration: absent -> null (no store), unknown type or resource -> undefined. */
function tfVectorStore(ctx: MapContext): { type: string; resourceArn?: string; credentialsSecretArn?: string } | null | undefined {
  const block = ctx.block('storage_configuration');
  if (!block) {
    if (ctx.isUnknown(['storage_configuration'])) {
      ctx.unresolved.add('StorageConfiguration');
      return undefined;
    }
    return null;
  }
  const type = ctx.str(['storage_configuration', 0, 'type'], 'StorageConfiguration.Type');
  if (type === undefined) return undefined;
  const store = TF_STORES[type];
  if (!store) return { type };
  const read = (attr: string): Read<string> => ctx.readStr(['storage_configuration', 0, store.block, 0, attr], 'StorageConfiguration');
  let resourceArn: string | undefined;
  for (const attr of store.arns) {
    const value = read(attr);
    if (value === UNKNOWN) return undefined;
    if (value) {
      resourceArn = value;
      break;
    }
  }
  const secret = store.secret ? read(store.secret) : undefined;
  if (secret === UNKNOWN) return undefined;
  return compact({ type, resourceArn, credentialsSecretArn: secret || undefined });
}

/** supplemental_data_storage_configuration S3 URIs; [] when none is declared, undefined when unknown. */
function tfSupplementalUris(ctx: MapContext, vectorPath: (string | number)[]): string[] | undefined {
  const configPath = [...vectorPath, 'supplemental_data_storage_configuration', 0];
  const vector = firstObject(ctx.block('knowledge_base_configuration')?.vector_knowledge_base_configuration);
  const config = vector ? firstObject(vector.supplemental_data_storage_configuration) : undefined;
  if (!config) return ctx.isUnknown([...vectorPath, 'supplemental_data_storage_configuration']) ? undefined : [];
  const locations = Array.isArray(config.storage_location) ? config.storage_location : [];
  const uris: string[] = [];
  for (let i = 0; i < locations.length && i < 16; i++) {
    const uri = s3UriAt(ctx, [...configPath, 'storage_location', i, 's3_location', 0, 'uri'], 'SupplementalDataStorageConfiguration');
    if (uri === UNKNOWN) return undefined;
    if (uri) uris.push(uri);
  }
  return uris;
}
