/**
 * OpenSearch Serverless vector stores from templates and plans: a collection takes its key from its
 * own EncryptionConfig, else from the encryption security policy whose `collection/<pattern>`
 * resources match its name, and bedrock-kb-vector-store-cmk then gives the knowledge bases the
 * verdicts a snapshot of the deployed account gives (where BatchGetCollection reports the key).
 * What the code cannot tell (no matching policy, disagreeing policies, a policy known only after
 * apply) stays unknown; hostile patterns are matched in bounded time.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { keyFromPolicies, parseEncryptionPolicy } from '../../src/importers/iac/aoss-encryption.js';
import { importCloudFormation, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/schema.js';
import { byName } from './helpers.js';

const ACCOUNT = '123456789012';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111aaaa-1111-4111-8111-111111111111`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/2222bbbb-2222-4222-8222-222222222222`;
const policyJson = (patterns: string[], key: string | null) =>
  JSON.stringify({ Rules: [{ ResourceType: 'collection', Resource: patterns.map((p) => `collection/${p}`) }], ...(key ? { AWSOwnedKey: false, KmsARN: key } : { AWSOwnedKey: true }) });

/** Knowledge bases on four collections: CMK by policy (pass), AWS owned by policy (fail), no policy (unknown), two disagreeing policies (unknown). */
const KBS = [
  { kb: 'support', collection: 'kb-support', expect: 'pass' },
  { kb: 'catalog', collection: 'cat-vectors', expect: 'fail' },
  { kb: 'orphan', collection: 'orphan-vectors', expect: 'unknown' },
  { kb: 'shared', collection: 'shared-vectors', expect: 'unknown' },
] as const;

const TEMPLATE = `
Resources:
  CmkPolicy:
    Type: AWS::OpenSearchServerless::SecurityPolicy
    Properties:
      Name: kb-cmk
      Type: encryption
      Policy: '${policyJson(['kb-*', 'shared-*'], KEY)}'
  OwnedPolicy:
    Type: AWS::OpenSearchServerless::SecurityPolicy
    Properties:
      Name: catalog-owned
      Type: encryption
      Policy: '${policyJson(['cat-vectors', 'shared-vectors'], null)}'
  NetworkPolicy:
    Type: AWS::OpenSearchServerless::SecurityPolicy
    Properties:
      Name: public-net
      Type: network
      Policy: '[{"Rules":[{"ResourceType":"collection","Resource":["collection/orphan-*"]}],"AllowFromPublic":true}]'
${KBS.map(
  ({ kb, collection }, i) => `
  Collection${i}:
    Type: AWS::OpenSearchServerless::Collection
    Properties:
      Name: ${collection}
      Type: VECTORSEARCH
  Kb${i}:
    Type: AWS::Bedrock::KnowledgeBase
    Properties:
      Name: ${kb}
      RoleArn: arn:aws:iam::${ACCOUNT}:role/kb
      KnowledgeBaseConfiguration: { Type: VECTOR, VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0 } }
      StorageConfiguration:
        Type: OPENSEARCH_SERVERLESS
        OpensearchServerlessConfiguration: { CollectionArn: !GetAtt Collection${i}.Arn, VectorIndexName: i, FieldMapping: { VectorField: v, TextField: t, MetadataField: m } }`,
).join('\n')}
`;

const resource = (type: string, name: string, values: Record<string, unknown>) => ({ address: `${type}.${name}`, mode: 'managed', type, name, values });
const PLAN = {
  format_version: '1.2',
  planned_values: {
    root_module: {
      resources: [
        resource('aws_opensearchserverless_security_policy', 'cmk', { name: 'kb-cmk', type: 'encryption', policy: policyJson(['kb-*', 'shared-*'], KEY) }),
        resource('aws_opensearchserverless_security_policy', 'owned', { name: 'catalog-owned', type: 'encryption', policy: policyJson(['cat-vectors', 'shared-vectors'], null) }),
        resource('aws_opensearchserverless_security_policy', 'net', { name: 'public-net', type: 'network', policy: '[{"Rules":[{"ResourceType":"collection","Resource":["collection/orphan-*"]}],"AllowFromPublic":true}]' }),
        ...KBS.flatMap(({ kb, collection }, i) => [
          resource('aws_opensearchserverless_collection', `c${i}`, { name: collection, type: 'VECTORSEARCH' }),
          resource('aws_bedrockagent_knowledge_base', `kb${i}`, {
            name: kb,
            role_arn: `arn:aws:iam::${ACCOUNT}:role/kb`,
            knowledge_base_configuration: [{ type: 'VECTOR', vector_knowledge_base_configuration: [{ embedding_model_arn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0' }] }],
            storage_configuration: [{ type: 'OPENSEARCH_SERVERLESS', opensearch_serverless_configuration: [{ collection_arn: null, vector_index_name: 'i', field_mapping: [{ vector_field: 'v', text_field: 't', metadata_field: 'm' }] }] }],
          }),
        ]),
      ],
    },
  },
  resource_changes: KBS.flatMap((_, i) => [
    { address: `aws_opensearchserverless_collection.c${i}`, change: { actions: ['create'], after_unknown: { arn: true, id: true, kms_key_arn: true } } },
    { address: `aws_bedrockagent_knowledge_base.kb${i}`, change: { actions: ['create'], after_unknown: { arn: true, id: true, storage_configuration: [{ opensearch_serverless_configuration: [{ collection_arn: true }] }] } } },
  ]),
  configuration: {
    root_module: {
      resources: KBS.map((_, i) => ({
        address: `aws_bedrockagent_knowledge_base.kb${i}`,
        mode: 'managed',
        type: 'aws_bedrockagent_knowledge_base',
        name: `kb${i}`,
        expressions: { storage_configuration: [{ opensearch_serverless_configuration: [{ collection_arn: { references: [`aws_opensearchserverless_collection.c${i}.arn`, `aws_opensearchserverless_collection.c${i}`] } }] }] },
      })),
    },
  },
};

/** The deployed account: BatchGetCollection reports each collection's key (the orphan's and the shared one's were read too). */
const SNAPSHOT = {
  schemaVersion: '1.0',
  account: { id: ACCOUNT, partition: 'aws' },
  regions: ['us-east-1'],
  opensearchServerless: {
    collections: KBS.map(({ collection }, i) => ({
      arn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/coll${i}`,
      region: 'us-east-1',
      id: `coll${i}`,
      name: collection,
      type: 'VECTORSEARCH',
      status: 'ACTIVE',
      kmsKeyArn: { pass: KEY, fail: null, unknown: undefined }[KBS[i]!.expect],
    })),
  },
  collectionErrors: [{ service: 'opensearchserverless', region: 'us-east-1', operation: 'BatchGetCollection', errorCode: 'AccessDeniedException' }],
  bedrock: {
    knowledgeBases: KBS.map(({ kb }, i) => ({
      arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB${i}`,
      region: 'us-east-1',
      id: `KB${i}`,
      name: kb,
      type: 'VECTOR',
      vectorStore: { type: 'OPENSEARCH_SERVERLESS', resourceArn: `arn:aws:aoss:us-east-1:${ACCOUNT}:collection/coll${i}` },
    })),
  },
};

const inventories: Record<string, Inventory> = {
  cloudformation: parseInventory(importCloudFormation(TEMPLATE, 'kb.yaml', { accountId: ACCOUNT, region: 'us-east-1' }), 'kb.yaml'),
  terraform: parseInventory(importTerraformPlanData(PLAN, 'plan.json', { accountId: ACCOUNT }), 'plan.json'),
  snapshot: parseInventory(JSON.parse(JSON.stringify(SNAPSHOT)), 'snapshot.json'),
};

async function findings(inventory: Inventory) {
  const rules = (await loadRules()).filter((r) => r.meta.id === 'bedrock-kb-vector-store-cmk');
  const result = await runScan({ inventory, rules, frameworks: [], settings: ruleSettings(DEFAULT_CONFIG) }, { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' });
  return result.findings;
}

/** Verdict by knowledge base name. */
async function verdicts(inventory: Inventory): Promise<Record<string, string>> {
  const names = new Map((inventory.bedrock?.knowledgeBases ?? []).map((k) => [k.arn, k.name]));
  return Object.fromEntries((await findings(inventory)).map((f) => [names.get(f.resource.arn) ?? f.resource.arn, f.verdict]));
}

describe('OpenSearch Serverless vector stores from CloudFormation, a Terraform plan and a snapshot', () => {
  it('give each collection the key of the encryption policy matching its name, and the knowledge base its store', () => {
    for (const kind of ['cloudformation', 'terraform']) {
      const inventory = inventories[kind]!;
      const collections = inventory.opensearchServerless!.collections;
      expect(byName(collections, 'kb-support'), kind).toMatchObject({ type: 'VECTORSEARCH', kmsKeyArn: KEY, encryptionPolicy: 'kb-cmk' });
      expect(byName(collections, 'cat-vectors'), kind).toMatchObject({ kmsKeyArn: null, encryptionPolicy: 'catalog-owned' });
      // The network policy says nothing about keys; two policies with different keys: not guessed.
      expect(byName(collections, 'orphan-vectors').kmsKeyArn, kind).toBeUndefined();
      expect(byName(collections, 'shared-vectors').kmsKeyArn, kind).toBeUndefined();
      const kb = byName(inventory.bedrock!.knowledgeBases, 'support');
      expect(kb.vectorStore, kind).toEqual({ type: 'OPENSEARCH_SERVERLESS', resourceArn: byName(collections, 'kb-support').arn });
    }
  });

  it('give bedrock-kb-vector-store-cmk the snapshot\'s verdicts', async () => {
    const expected = Object.fromEntries(KBS.map(({ kb, expect: verdict }) => [kb, verdict]));
    expect(await verdicts(inventories.snapshot!)).toEqual(expected);
    expect(await verdicts(inventories.cloudformation!)).toEqual(expected);
    expect(await verdicts(inventories.terraform!)).toEqual(expected);
  });

  it('resolves a policy key written with Fn::Sub to the key the template declares, and reads the collection\'s own EncryptionConfig', async () => {
    const template = `
Resources:
  BedrockKey:
    Type: AWS::KMS::Key
    Properties: { Description: vectors }
  Policy:
    Type: AWS::OpenSearchServerless::SecurityPolicy
    Properties:
      Name: kb-cmk
      Type: encryption
      Policy: !Sub '{"Rules":[{"ResourceType":"collection","Resource":["collection/kb-vectors"]}],"AWSOwnedKey":false,"KmsARN":"\${BedrockKey.Arn}"}'
  Vectors:
    Type: AWS::OpenSearchServerless::Collection
    Properties: { Name: kb-vectors, Type: VECTORSEARCH }
  OwnKey:
    Type: AWS::OpenSearchServerless::Collection
    Properties: { Name: own-key, Type: VECTORSEARCH, EncryptionConfig: { AWSOwnedKey: true } }
  Unresolved:
    Type: AWS::OpenSearchServerless::Collection
    Properties: { Name: imported, EncryptionConfig: { KmsKeyArn: !ImportValue vector-key } }
  Kb:
    Type: AWS::Bedrock::KnowledgeBase
    Properties:
      Name: kb
      RoleArn: arn:aws:iam::${ACCOUNT}:role/kb
      KnowledgeBaseConfiguration: { Type: VECTOR, VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0 } }
      StorageConfiguration:
        Type: OPENSEARCH_SERVERLESS
        OpensearchServerlessConfiguration: { CollectionArn: !GetAtt Vectors.Arn, VectorIndexName: i, FieldMapping: { VectorField: v, TextField: t, MetadataField: m } }
`;
    const inventory = parseInventory(importCloudFormation(template, 'sub.yaml', { accountId: ACCOUNT, region: 'us-east-1' }), 'sub.yaml');
    const key = inventory.kms!.keys[0]!;
    const collections = inventory.opensearchServerless!.collections;
    expect(byName(collections, 'kb-vectors').kmsKeyArn).toBe(key.arn);
    expect(byName(collections, 'own-key').kmsKeyArn).toBeNull();
    expect(byName(collections, 'imported').kmsKeyArn).toBeUndefined();
    expect(await verdicts(inventory)).toEqual({ kb: 'pass' });
  });

  it('leaves unknown what only apply tells: a policy that jsonencodes a key the plan creates', async () => {
    const plan = JSON.parse(JSON.stringify(PLAN));
    plan.planned_values.root_module.resources[0].values.policy = null;
    plan.resource_changes.push({ address: 'aws_opensearchserverless_security_policy.cmk', change: { actions: ['create'], after_unknown: { policy: true } } });
    const inventory = parseInventory(importTerraformPlanData(plan, 'plan.json', { accountId: ACCOUNT }), 'plan.json');
    // An encryption policy whose text is unknown may cover any collection of its region.
    expect(inventory.opensearchServerless!.collections.map((c) => c.kmsKeyArn)).toEqual([undefined, undefined, undefined, undefined]);
    expect(Object.values(await verdicts(inventory))).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });
});

describe('encryption policy parsing and matching', () => {
  it('reads the collection patterns and the key; KmsARN wins over AWSOwnedKey', () => {
    expect(parseEncryptionPolicy(policyJson(['a', 'b*'], KEY))).toEqual({ patterns: ['a', 'b*'], key: KEY });
    expect(parseEncryptionPolicy(JSON.stringify({ Rules: [{ ResourceType: 'collection', Resource: ['collection/x'] }], AWSOwnedKey: true, KmsARN: OTHER_KEY }))).toEqual({ patterns: ['x'], key: OTHER_KEY });
    expect(parseEncryptionPolicy(JSON.stringify({ Rules: [{ ResourceType: 'collection', Resource: ['collection/x'] }], AWSOwnedKey: false }))).toEqual({ patterns: ['x'], key: undefined });
    expect(parseEncryptionPolicy('{not json')).toBeUndefined();
    expect(parseEncryptionPolicy('[1,2]')).toBeUndefined();
  });

  it('matches names against hostile patterns in bounded time, never through a RegExp', () => {
    const star = `${'*a'.repeat(50)}b`;
    const policies = [{ region: 'us-east-1', name: 'evil', ...parseEncryptionPolicy(policyJson([star, 'x'.repeat(10_000)], KEY))! }];
    // The 10,000-character pattern is over the bound and dropped; the other is matched linearly.
    expect(policies[0]!.patterns).toEqual([star]);
    const started = Date.now();
    for (let i = 0; i < 200; i++) expect(keyFromPolicies('a'.repeat(32), 'us-east-1', policies)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(keyFromPolicies('a'.repeat(50) + 'b', 'us-east-1', policies)).toEqual({ key: KEY, policy: 'evil' });
    // Another Region's policy never applies.
    expect(keyFromPolicies('ab', 'eu-west-1', policies)).toBeUndefined();
  });
});

describe('several templates and plans scanned together', () => {
  it('keep the knowledge bases and their collections (the merge used to drop knowledge bases, prompts and flows)', async () => {
    const { mergeInventories } = await import('../../src/importers/iac/index.js');
    const merged = parseInventory(
      mergeInventories([importCloudFormation(TEMPLATE, 'kb.yaml', { accountId: ACCOUNT, region: 'us-east-1' }), importTerraformPlanData(PLAN, 'plan.json', { accountId: ACCOUNT })], ['kb.yaml', 'plan.json']),
      'merged',
    );
    expect(merged.bedrock!.knowledgeBases).toHaveLength(8);
    expect(merged.opensearchServerless!.collections).toHaveLength(8);
    expect((await findings(merged)).map((f) => f.verdict).sort()).toEqual(['fail', 'fail', 'pass', 'pass', 'unknown', 'unknown', 'unknown', 'unknown']);
  });
});
