import { judgeCmk } from '../src/engine/cmk.js';
import { defineRule, type RuleContext, type RuleResult } from '../src/engine/types.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import { accountRef, missingReason, partialScopeReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import type { BedrockKnowledgeBase, OpenSearchServerlessCollection } from '../src/inventory/schema.js';

/** Where each kind of store keeps its encryption setting, which the Bedrock API does not show. */
const STORE_SETTING: Record<string, string> = {
  OPENSEARCH_SERVERLESS: 'the encryption security policy of the OpenSearch Serverless collection',
  OPENSEARCH_MANAGED_CLUSTER: 'the encryption at rest setting of the OpenSearch Service domain',
  RDS: 'the storage encryption key of the Aurora cluster',
  NEPTUNE_ANALYTICS: 'the KMS key of the Neptune Analytics graph',
  S3_VECTORS: 'the encryption configuration of the S3 vector bucket',
  PINECONE: 'the Pinecone project (a store outside AWS)',
  REDIS_ENTERPRISE_CLOUD: 'the Redis Enterprise Cloud database (a store outside AWS)',
  MONGO_DB_ATLAS: 'the MongoDB Atlas cluster (a store outside AWS)',
};

export default defineRule({
  meta: {
    id: 'bedrock-kb-vector-store-cmk',
    title: 'Bedrock knowledge base vector stores are encrypted with a customer managed KMS key',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::KnowledgeBase'],
    description:
      'The vector store of each Bedrock knowledge base (its StorageConfiguration: an OpenSearch Serverless collection, an OpenSearch Service domain, an Aurora cluster, a Neptune Analytics graph, an S3 vector bucket, or a store outside AWS) must be encrypted with a customer managed KMS key. That setting belongs to the store, not to the knowledge base. For OpenSearch Serverless, the common case, aigis reads the collection\'s key (BatchGetCollection; from templates and plans, the collection\'s EncryptionConfig or the encryption security policy whose resource patterns match its name): a customer managed key passes, an AWS owned or AWS managed key fails, a collection or key that was not read is unknown. For the other store types aigis does not read the store\'s own service, so the knowledge base is unknown, with the store and where its key is set; it never passes on the knowledge base\'s word. A knowledge base without a vector store (Kendra, SQL and managed knowledge bases) is not applicable; one whose configuration was not read is unknown.',
    rationale:
      'The vector store holds the chunks of every ingested document as text next to their embeddings, and embeddings themselves can be inverted to recover text: it is a full copy of the knowledge base\'s sensitive data. The guidance says knowledge base data is encrypted at rest in the chosen vector store, and asks for customer managed keys for confidential and regulated AI data. Making the gap visible per knowledge base keeps the store in scope of the encryption at rest evidence (HIPAA 164.312(a)(2)(iv), NIST SC-28, GDPR Art. 32(1)(a)) instead of assuming it.',
    remediation: {
      console: [
        'Find the store in the knowledge base\'s details (Vector database section) and check its encryption where it is set:',
        'OpenSearch Serverless: Security, Encryption policies: the policy matching the collection must use a customer managed key ("AWSOwnedKey": false with a KmsARN); the key is fixed at creation, so create a new collection and re-ingest if it does not.',
        'Aurora (RDS): the cluster\'s Configuration tab, Encryption: a customer managed key; OpenSearch Service: the domain\'s Security configuration, Encryption at rest; Neptune Analytics: the graph\'s KMS key; S3 Vectors: the vector bucket\'s encryption configuration.',
        'Stores outside AWS (Pinecone, Redis Enterprise Cloud, MongoDB Atlas): use the vendor\'s customer managed key option, where offered, with a key in your AWS account.',
      ],
      cli: [
        'aws opensearchserverless batch-get-collection --ids <COLLECTION_ID> --query "collectionDetails[].kmsKeyArn"',
        'aws opensearchserverless create-security-policy --type encryption --name kb-cmk \\',
        '  --policy \'{"Rules":[{"ResourceType":"collection","Resource":["collection/<COLLECTION_NAME>"]}],"AWSOwnedKey":false,"KmsARN":"<KEY_ARN>"}\'',
        'aws rds describe-db-clusters --db-cluster-identifier <CLUSTER> --query "DBClusters[].KmsKeyId"',
      ].join('\n'),
      cloudformation: [
        'VectorEncryption:',
        '  Type: AWS::OpenSearchServerless::SecurityPolicy',
        '  Properties:',
        '    Name: kb-cmk',
        '    Type: encryption',
        '    Policy: !Sub \'{"Rules":[{"ResourceType":"collection","Resource":["collection/kb-vectors"]}],"AWSOwnedKey":false,"KmsARN":"${BedrockKey.Arn}"}\'',
        'VectorCollection:',
        '  Type: AWS::OpenSearchServerless::Collection',
        '  DependsOn: VectorEncryption',
        '  Properties:',
        '    Name: kb-vectors',
        '    Type: VECTORSEARCH',
      ].join('\n'),
      terraform: [
        'resource "aws_opensearchserverless_security_policy" "kb_cmk" {',
        '  name = "kb-cmk"',
        '  type = "encryption"',
        '  policy = jsonencode({',
        '    Rules       = [{ ResourceType = "collection", Resource = ["collection/kb-vectors"] }]',
        '    AWSOwnedKey = false',
        '    KmsARN      = aws_kms_key.bedrock.arn',
        '  })',
        '}',
        'resource "aws_opensearchserverless_collection" "kb" {',
        '  name       = "kb-vectors"',
        '  type       = "VECTORSEARCH"',
        '  depends_on = [aws_opensearchserverless_security_policy.kb_cmk]',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/knowledge-base-setup.html',
      'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    if (!bedrock.knowledgeBases) {
      const errors = context.index.errorsFor('bedrock-agent', { operations: ['ListKnowledgeBases'] });
      yield {
        verdict: 'unknown',
        resource: accountRef(context),
        message: `Bedrock knowledge bases ${errors.length ? `could not be listed (${describeErrors(errors)})` : 'were not collected'}, so their vector stores cannot be evaluated.`,
        evidence: { collectionErrors: errors },
      };
      return;
    }
    for (const kb of bedrock.knowledgeBases) {
      const resource = resourceRef(kb.arn, 'AWS::Bedrock::KnowledgeBase', kb.region, kb.name, kb.source);
      const store = kb.vectorStore;
      if (store === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell where knowledge base ${kb.name} keeps its vectors: ${missingReason(context, 'bedrock-agent', { resource: kb.arn, operations: ['GetKnowledgeBase'] }, 'its storage configuration')}.`,
        };
        continue;
      }
      if (store === null) {
        yield {
          verdict: 'not_applicable',
          resource,
          message: `Knowledge base ${kb.name}${kb.type ? ` (${kb.type})` : ''} has no vector store of its own: it queries ${kb.type === 'KENDRA' ? 'a Kendra index' : kb.type === 'SQL' ? 'a structured data store' : 'a store Bedrock manages'}.`,
          evidence: { type: kb.type ?? null },
        };
        continue;
      }
      if (store.type === 'OPENSEARCH_SERVERLESS' && store.resourceArn) {
        yield judgeCollection(context, kb, store.resourceArn, resource);
        continue;
      }
      const where = STORE_SETTING[store.type] ?? `the ${store.type} store's own settings`;
      const named = store.resourceArn ? ` ${store.resourceArn}` : '';
      yield {
        verdict: 'unknown',
        resource,
        message: `Knowledge base ${kb.name} keeps its vectors in a ${store.type} store${named}; whether that store is encrypted with a customer managed key is set in ${where}, which the Bedrock API does not show and aigis does not read for this store type. Check it there.`,
        evidence: { vectorStore: store },
        property: 'StorageConfiguration',
      };
    }
  },
});

const COLLECTIONS = Symbol('openSearchServerlessCollectionsByArn');

/** The knowledge base's OpenSearch Serverless collection, judged by the key it is encrypted with. */
function judgeCollection(context: RuleContext, kb: BedrockKnowledgeBase, collectionArn: string, resource: RuleResult['resource']): RuleResult {
  const region = collectionArn.split(':')[3] || kb.region;
  const evidence = { vectorStore: kb.vectorStore };
  const section = context.inventory.opensearchServerless;
  if (!section) {
    const errors = context.index.errorsFor('opensearchserverless', { region, operations: ['ListCollections'] });
    return {
      verdict: 'unknown',
      resource,
      message: `Knowledge base ${kb.name} keeps its vectors in OpenSearch Serverless collection ${collectionArn}, but OpenSearch Serverless collections ${errors.length ? `could not be listed (${describeErrors(errors)})` : 'were not collected'}, so the collection's encryption key is not known.`,
      evidence: { ...evidence, collectionErrors: errors },
      property: 'StorageConfiguration',
    };
  }
  const byArn = context.index.memo(COLLECTIONS, () => new Map(section.collections.map((c) => [c.arn, c])));
  const collection = byArn.get(collectionArn);
  if (!collection) {
    const errors = context.index.errorsFor('opensearchserverless', { region, operations: ['ListCollections'] });
    const why = errors.length
      ? `the collections of ${region} could not be listed (${describeErrors(errors)})`
      : (partialScopeReason(context) ? 'the code scanned does not declare it' : `it is not among the collections listed in ${region} (deleted, or in a Region or account that was not scanned)`);
    return {
      verdict: 'unknown',
      resource,
      message: `Knowledge base ${kb.name} keeps its vectors in OpenSearch Serverless collection ${collectionArn}, whose encryption key is not known: ${why}.`,
      evidence,
      property: 'StorageConfiguration',
    };
  }
  if (collection.kmsKeyArn === undefined) {
    const why = collection.source
      ? 'the code declares neither its EncryptionConfig nor one encryption security policy whose resource patterns match its name (the policy may be defined elsewhere, or its key is known only after deploy)'
      : missingReason(context, 'opensearchserverless', { region, operations: ['BatchGetCollection'] }, 'its encryption key');
    return {
      verdict: 'unknown',
      resource,
      message: `Knowledge base ${kb.name} keeps its vectors in OpenSearch Serverless collection ${collection.name}, whose encryption key is not known: ${why}.`,
      evidence: { ...evidence, collection: collectionEvidence(collection) },
      property: 'StorageConfiguration',
    };
  }
  const verdict = judgeCmk(context, {
    kind: 'Knowledge base',
    type: 'AWS::Bedrock::KnowledgeBase',
    service: 'opensearchserverless',
    operation: 'BatchGetCollection',
    property: 'StorageConfiguration',
    what: 'its vectors and document chunks',
    item: { arn: kb.arn, name: `${kb.name}'s vector store (OpenSearch Serverless collection ${collection.name}${collection.encryptionPolicy ? `, encryption policy ${collection.encryptionPolicy}` : ''})`, region: collection.region, kmsKeyArn: collection.kmsKeyArn, source: kb.source },
  });
  return { ...verdict, resource, evidence: { ...evidence, ...verdict.evidence, collection: collectionEvidence(collection) } };
}

function collectionEvidence(c: OpenSearchServerlessCollection): Record<string, unknown> {
  return { arn: c.arn, name: c.name, ...(c.kmsKeyArn !== undefined ? { kmsKeyArn: c.kmsKeyArn } : {}), ...(c.encryptionPolicy ? { encryptionPolicy: c.encryptionPolicy } : {}) };
}
