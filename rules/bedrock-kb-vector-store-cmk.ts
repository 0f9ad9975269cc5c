import { defineRule } from '../src/engine/types.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import { accountRef, missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

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
      'The vector store of each Bedrock knowledge base (its StorageConfiguration: an OpenSearch Serverless collection, an OpenSearch Service domain, an Aurora cluster, a Neptune Analytics graph, an S3 vector bucket, or a store outside AWS) must be encrypted with a customer managed KMS key. That setting belongs to the store, not to the knowledge base: the Bedrock API names the store but not its key, and aigis does not read the stores\' own services, so a knowledge base with a vector store is unknown, with the store and where its key is set; it never passes on the knowledge base\'s word. A knowledge base without a vector store (Kendra, SQL and managed knowledge bases) is not applicable; one whose configuration was not read is unknown.',
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
      const where = STORE_SETTING[store.type] ?? `the ${store.type} store's own settings`;
      const named = store.resourceArn ? ` ${store.resourceArn}` : '';
      yield {
        verdict: 'unknown',
        resource,
        message: `Knowledge base ${kb.name} keeps its vectors in a ${store.type} store${named}; whether that store is encrypted with a customer managed key is set in ${where}, which the Bedrock API does not show and aigis does not read. Check it there.`,
        evidence: { vectorStore: store },
        property: 'StorageConfiguration',
      };
    }
  },
});
