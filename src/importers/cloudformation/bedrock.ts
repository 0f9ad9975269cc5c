/**
 * Bedrock in CloudFormation: AWS::Bedrock::Guardrail (its content, sensitive information, topic,
 * word and contextual grounding policies), AWS::Bedrock::GuardrailVersion (named only: the
 * version number is assigned at deploy time), AWS::Bedrock::Agent, AWS::Bedrock::KnowledgeBase (role,
 * embedding model, vector store), AWS::Bedrock::DataSource (S3 bucket, ingestion key),
 * AWS::Bedrock::Prompt and AWS::Bedrock::Flow (key, execution role).
 */
import { compact } from '../iac/draft.js';
import { Unresolved } from '../iac/cfn-intrinsics.js';
import { UNKNOWN, known, type PropertyReader } from '../iac/props.js';
import { syntheticAlnumId } from '../iac/synth.js';
import type { MapperTable } from './context.js';
import { nullable, setNotes } from './helpers.js';

/** Where each vector store type names its AWS resource and its credentials secret (CloudFormation names). */
const STORE_PROPERTIES: Readonly<Record<string, { config: string; arns: string[]; secret?: string }>> = {
  OPENSEARCH_SERVERLESS: { config: 'OpensearchServerlessConfiguration', arns: ['CollectionArn'] },
  OPENSEARCH_MANAGED_CLUSTER: { config: 'OpensearchManagedClusterConfiguration', arns: ['DomainArn'] },
  RDS: { config: 'RdsConfiguration', arns: ['ResourceArn'], secret: 'CredentialsSecretArn' },
  NEPTUNE_ANALYTICS: { config: 'NeptuneAnalyticsConfiguration', arns: ['GraphArn'] },
  S3_VECTORS: { config: 'S3VectorsConfiguration', arns: ['VectorBucketArn', 'IndexArn'] },
  PINECONE: { config: 'PineconeConfiguration', arns: [], secret: 'CredentialsSecretArn' },
  MONGO_DB_ATLAS: { config: 'MongoDbAtlasConfiguration', arns: [], secret: 'CredentialsSecretArn' },
  REDIS_ENTERPRISE_CLOUD: { config: 'RedisEnterpriseCloudConfiguration', arns: [], secret: 'CredentialsSecretArn' },
};

export const bedrockMappers: MapperTable = {
  'AWS::Bedrock::Guardrail': {
    nameLimit: { max: 50 },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('Name');
      const id = syntheticAlnumId(seed, 12).toLowerCase();
      const arn = `arn:${p}:bedrock:${r}:${a}:guardrail/${id}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { GuardrailArn: arn, GuardrailId: id, Version: 'DRAFT' } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const guardrail = compact({
        ...base(),
        id: String(identity.attributes.GuardrailId),
        name: identity.name,
        version: 'DRAFT',
        kmsKeyArn: nullable(read.str('KmsKeyArn')),
        contentPolicy: objectList(read, 'ContentPolicyConfig', 'FiltersConfig', (i, p) => ({
          type: known(read.str(`${p}[${i}].Type`)) ?? '',
          inputStrength: (known(read.str(`${p}[${i}].InputStrength`)) ?? 'NONE') as 'NONE',
          outputStrength: (known(read.str(`${p}[${i}].OutputStrength`)) ?? 'NONE') as 'NONE',
        }), (filters) => ({ filters })),
        sensitiveInformationPolicy: sensitiveInformation(read),
        topicPolicy: objectList(read, 'TopicPolicyConfig', 'TopicsConfig', (i, p) => ({
          name: known(read.str(`${p}[${i}].Name`)) ?? '',
          type: known(read.str(`${p}[${i}].Type`)) ?? 'DENY',
        }), (topics) => ({ topics })),
        wordPolicy: wordPolicy(read),
        contextualGroundingPolicy: objectList(read, 'ContextualGroundingPolicyConfig', 'FiltersConfig', (i, p) => ({
          type: known(read.str(`${p}[${i}].Type`)) ?? '',
          threshold: known(read.num(`${p}[${i}].Threshold`)) ?? 0,
        }), (filters) => ({ filters })),
      });
      draft.guardrails.push(guardrail);
      defer(() => setNotes(guardrail, notes()));
    },
  },
  'AWS::Bedrock::GuardrailVersion': {
    identity({ logicalId }) {
      return { name: logicalId, ref: new Unresolved('guardrail version number is assigned at deploy time'), attributes: {} };
    },
  },
  'AWS::Bedrock::Agent': {
    nameLimit: { max: 100 },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('AgentName');
      const id = syntheticAlnumId(seed, 10);
      const arn = `arn:${p}:bedrock:${r}:${a}:agent/${id}`;
      return { name, arn, ref: id, nameUnresolved: unresolved, attributes: { AgentArn: arn, AgentId: id } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const guardrailConfig = read.value('GuardrailConfiguration');
      const identifier = known(read.str('GuardrailConfiguration.GuardrailIdentifier'));
      const agent = compact({
        ...base(),
        id: String(identity.attributes.AgentId),
        name: identity.name,
        roleArn: known(read.str('AgentResourceRoleArn')),
        foundationModel: known(read.str('FoundationModel')),
        kmsKeyArn: nullable(read.str('CustomerEncryptionKeyArn')),
        guardrail:
          guardrailConfig === undefined
            ? null
            : guardrailConfig === UNKNOWN || identifier === undefined
              ? undefined
              : compact({ id: identifier, version: known(read.str('GuardrailConfiguration.GuardrailVersion')) }),
      });
      draft.agents.push(agent);
      defer(() => setNotes(agent, notes()));
    },
  },
  'AWS::Bedrock::KnowledgeBase': {
    nameLimit: { max: 100 },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('Name');
      const id = syntheticAlnumId(seed, 10);
      const arn = `arn:${p}:bedrock:${r}:${a}:knowledge-base/${id}`;
      return { name, arn, ref: id, nameUnresolved: unresolved, attributes: { KnowledgeBaseArn: arn, KnowledgeBaseId: id } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const config = 'KnowledgeBaseConfiguration';
      const vector = `${config}.VectorKnowledgeBaseConfiguration`;
      const kb = compact({
        ...base(),
        id: String(identity.attributes.KnowledgeBaseId),
        name: identity.name,
        type: known(read.str(`${config}.Type`)),
        roleArn: known(read.str('RoleArn')),
        embeddingModelArn: read.value(config) === UNKNOWN ? undefined : nullable(read.str(`${vector}.EmbeddingModelArn`)),
        vectorStore: vectorStore(read),
        supplementalDataS3Uris: supplementalUris(read, `${vector}.SupplementalDataStorageConfiguration`),
      });
      draft.knowledgeBases.push(kb);
      defer(() => setNotes(kb, notes()));
    },
  },
  'AWS::Bedrock::DataSource': {
    nameLimit: { max: 100 },
    identity(resource, { partition: p, region: r, accountId: a, seed, named, resolve }) {
      const { name, unresolved } = named('Name');
      const id = syntheticAlnumId(seed, 10);
      // The data source's ARN is aigis's, under its knowledge base's; Ref is "<kb id>|<data source id>".
      const kbId = resolve(((resource.raw.Properties ?? {}) as Record<string, unknown>).KnowledgeBaseId);
      const kb = typeof kbId === 'string' && kbId ? kbId : `unresolved-${syntheticAlnumId(`${seed}:kb`, 10)}`;
      const arn = `arn:${p}:bedrock:${r}:${a}:knowledge-base/${kb}/data-source/${id}`;
      return { name, arn, ref: `${kb}|${id}`, nameUnresolved: unresolved, attributes: { DataSourceId: id, KnowledgeBaseId: kb } };
    },
    map(_resource, { draft, read, identity, base, notes, defer, partition, region, accountId }) {
      const knowledgeBaseId = known(read.str('KnowledgeBaseId'));
      const s3 = 'DataSourceConfiguration.S3Configuration';
      const declared = read.value('DataSourceConfiguration');
      const sse = read.value('ServerSideEncryptionConfiguration');
      const prefixes = read.list(`${s3}.InclusionPrefixes`);
      const source = compact({
        ...base(),
        id: String(identity.attributes.DataSourceId),
        name: identity.name,
        knowledgeBaseId: knowledgeBaseId ?? String(identity.attributes.KnowledgeBaseId),
        knowledgeBaseArn: knowledgeBaseId ? `arn:${partition}:bedrock:${region}:${accountId}:knowledge-base/${knowledgeBaseId}` : undefined,
        type: known(read.str('DataSourceConfiguration.Type')),
        s3BucketArn: declared === UNKNOWN ? undefined : nullable(read.str(`${s3}.BucketArn`)),
        s3InclusionPrefixes: prefixes === UNKNOWN ? undefined : read.value(s3) === undefined ? undefined : (prefixes ?? []).map(String),
        kmsKeyArn: sse === UNKNOWN ? undefined : nullable(read.str('ServerSideEncryptionConfiguration.KmsKeyArn')),
        dataDeletionPolicy: known(read.str('DataDeletionPolicy')),
      });
      draft.dataSources.push(source);
      defer(() => setNotes(source, notes()));
    },
  },
  'AWS::Bedrock::Prompt': {
    nameLimit: { max: 100 },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('Name');
      const id = syntheticAlnumId(seed, 10);
      const arn = `arn:${p}:bedrock:${r}:${a}:prompt/${id}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { Arn: arn, Id: id, Version: 'DRAFT' } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const prompt = compact({
        ...base(),
        id: String(identity.attributes.Id),
        name: identity.name,
        version: 'DRAFT',
        kmsKeyArn: nullable(read.str('CustomerEncryptionKeyArn')),
      });
      draft.prompts.push(prompt);
      defer(() => setNotes(prompt, notes()));
    },
  },
  'AWS::Bedrock::Flow': {
    nameLimit: { max: 100 },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('Name');
      const id = syntheticAlnumId(seed, 10);
      const arn = `arn:${p}:bedrock:${r}:${a}:flow/${id}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { Arn: arn, Id: id, Version: 'DRAFT' } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const flow = compact({
        ...base(),
        id: String(identity.attributes.Id),
        name: identity.name,
        roleArn: known(read.str('ExecutionRoleArn')),
        kmsKeyArn: nullable(read.str('CustomerEncryptionKeyArn')),
      });
      draft.flows.push(flow);
      defer(() => setNotes(flow, notes()));
    },
  },
};

/** StorageConfiguration: absent -> null (no store), unknown type -> undefined. */
function vectorStore(read: PropertyReader): { type: string; resourceArn?: string; credentialsSecretArn?: string } | null | undefined {
  const declared = read.value('StorageConfiguration');
  if (declared === undefined) return null;
  if (declared === UNKNOWN) return undefined;
  const type = known(read.str('StorageConfiguration.Type'));
  if (type === undefined) return undefined;
  const props = STORE_PROPERTIES[type];
  if (!props) return { type };
  let resourceArn: string | undefined;
  for (const property of props.arns) {
    const value = read.str(`StorageConfiguration.${props.config}.${property}`);
    if (value === UNKNOWN) return undefined;
    if (value !== undefined) {
      resourceArn = value;
      break;
    }
  }
  const secret = props.secret ? read.str(`StorageConfiguration.${props.config}.${props.secret}`) : undefined;
  if (secret === UNKNOWN) return undefined;
  return compact({ type, resourceArn, credentialsSecretArn: secret });
}

/** The S3 URIs of the supplemental (multimodal) storage; [] when none is declared, undefined when unknown. */
function supplementalUris(read: PropertyReader, path: string): string[] | undefined {
  const declared = read.value(path);
  if (declared === undefined) return [];
  const list = read.list(`${path}.SupplementalDataStorageLocations`);
  if (declared === UNKNOWN || list === UNKNOWN) return undefined;
  const uris: string[] = [];
  for (let i = 0; i < (list ?? []).length && i < 16; i++) {
    const uri = read.str(`${path}.SupplementalDataStorageLocations[${i}].S3Location.URI`);
    if (uri === UNKNOWN) return undefined;
    if (uri !== undefined) uris.push(uri);
  }
  return uris;
}

function objectList<T, R>(
  read: PropertyReader,
  property: string,
  listName: string,
  item: (index: number, path: string) => T,
  wrap: (items: T[]) => R,
): R | null | undefined {
  const declared = read.value(property);
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const path = `${property}.${listName}`;
  const list = read.list(path);
  if (list === UNKNOWN) return undefined;
  return wrap((list ?? []).map((_, i) => item(i, path)));
}

function sensitiveInformation(read: PropertyReader) {
  const declared = read.value('SensitiveInformationPolicyConfig');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const pii = known(read.list('SensitiveInformationPolicyConfig.PiiEntitiesConfig')) ?? [];
  const regexes = known(read.list('SensitiveInformationPolicyConfig.RegexesConfig')) ?? [];
  const p = 'SensitiveInformationPolicyConfig';
  return {
    piiEntities: pii.map((_, i) => ({
      type: known(read.str(`${p}.PiiEntitiesConfig[${i}].Type`)) ?? '',
      action: known(read.str(`${p}.PiiEntitiesConfig[${i}].Action`)) ?? '',
    })),
    regexes: regexes.map((_, i) => ({
      name: known(read.str(`${p}.RegexesConfig[${i}].Name`)) ?? '',
      pattern: known(read.str(`${p}.RegexesConfig[${i}].Pattern`)) ?? '',
      action: known(read.str(`${p}.RegexesConfig[${i}].Action`)) ?? '',
    })),
  };
}

function wordPolicy(read: PropertyReader) {
  const declared = read.value('WordPolicyConfig');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const words = known(read.list('WordPolicyConfig.WordsConfig')) ?? [];
  const managed = known(read.list('WordPolicyConfig.ManagedWordListsConfig')) ?? [];
  return {
    words: words.map((_, i) => known(read.str(`WordPolicyConfig.WordsConfig[${i}].Text`)) ?? ''),
    managedWordLists: managed.map((_, i) => known(read.str(`WordPolicyConfig.ManagedWordListsConfig[${i}].Type`)) ?? ''),
  };
}
