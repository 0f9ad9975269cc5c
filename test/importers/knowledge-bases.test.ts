/**
 * Bedrock knowledge bases, data sources, prompts and flows from templates and plans: the vector
 * store of each store type, what stays unknown (parameters without default, imports, values known
 * only after apply) and what is absent (null: not configured).
 */
import { describe, expect, it } from 'vitest';
import { importCloudFormation, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';
import { byName } from './helpers.js';

const TEMPLATE = `
Parameters:
  KbId: { Type: String }
  StoreArn: { Type: String }
Resources:
  Rds:
    Type: AWS::Bedrock::KnowledgeBase
    Properties:
      Name: rds-kb
      RoleArn: arn:aws:iam::123456789012:role/kb
      KnowledgeBaseConfiguration:
        Type: VECTOR
        VectorKnowledgeBaseConfiguration:
          EmbeddingModelArn: arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-english-v3
          SupplementalDataStorageConfiguration:
            SupplementalDataStorageLocations:
              - SupplementalDataStorageLocationType: S3
                S3Location: { URI: s3://kb-images/extracted/ }
      StorageConfiguration:
        Type: RDS
        RdsConfiguration:
          ResourceArn: arn:aws:rds:us-east-1:123456789012:cluster:vectors
          CredentialsSecretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:vectors
          DatabaseName: kb
          TableName: chunks
          FieldMapping: { PrimaryKeyField: id, VectorField: v, TextField: t, MetadataField: m }
  Pinecone:
    Type: AWS::Bedrock::KnowledgeBase
    Properties:
      Name: pinecone-kb
      RoleArn: arn:aws:iam::123456789012:role/kb
      KnowledgeBaseConfiguration: { Type: VECTOR, VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0 } }
      StorageConfiguration:
        Type: PINECONE
        PineconeConfiguration: { ConnectionString: https://index.pinecone.io, CredentialsSecretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:pc, FieldMapping: { TextField: t, MetadataField: m } }
  Unknown:
    Type: AWS::Bedrock::KnowledgeBase
    Properties:
      Name: unknown-store
      RoleArn: !ImportValue kb-role
      KnowledgeBaseConfiguration: { Type: VECTOR, VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0 } }
      StorageConfiguration:
        Type: OPENSEARCH_SERVERLESS
        OpensearchServerlessConfiguration: { CollectionArn: !Ref StoreArn, VectorIndexName: i, FieldMapping: { VectorField: v, TextField: t, MetadataField: m } }
  Elsewhere:
    Type: AWS::Bedrock::DataSource
    Properties:
      Name: elsewhere
      KnowledgeBaseId: !Ref KbId
      DataSourceConfiguration:
        Type: S3
        S3Configuration: { BucketArn: arn:aws:s3:::docs }
      ServerSideEncryptionConfiguration:
        KmsKeyArn: !ImportValue kb-key
  Crawler:
    Type: AWS::Bedrock::DataSource
    Properties:
      Name: crawler
      KnowledgeBaseId: !GetAtt Rds.KnowledgeBaseId
      DataSourceConfiguration:
        Type: WEB
        WebConfiguration: { SourceConfiguration: { UrlConfiguration: { SeedUrls: [{ Url: https://example.com }] } } }
  Prompt:
    Type: AWS::Bedrock::Prompt
    Properties:
      Name: answer
      CustomerEncryptionKeyArn: !ImportValue prompt-key
  Flow:
    Type: AWS::Bedrock::Flow
    Properties:
      Name: router
      ExecutionRoleArn: arn:aws:iam::123456789012:role/flow
`;

describe('CloudFormation: knowledge bases, data sources, prompts and flows', () => {
  const inventory = parseInventory(importCloudFormation(TEMPLATE, 'kb.yaml', { accountId: '123456789012', region: 'us-east-1' }), 'kb.yaml');
  const bedrock = inventory.bedrock!;

  it('names each store by its AWS resource, or by its credentials secret for stores outside AWS', () => {
    expect(byName(bedrock.knowledgeBases, 'rds-kb')).toMatchObject({
      type: 'VECTOR',
      vectorStore: { type: 'RDS', resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:vectors', credentialsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vectors' },
      supplementalDataS3Uris: ['s3://kb-images/extracted/'],
    });
    expect(byName(bedrock.knowledgeBases, 'pinecone-kb').vectorStore).toEqual({ type: 'PINECONE', credentialsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pc' });
  });

  it('leaves unknown what the template cannot tell, with the property noted', () => {
    const kb = byName(bedrock.knowledgeBases, 'unknown-store');
    expect(kb.vectorStore).toBeUndefined();
    expect(kb.roleArn).toBeUndefined();
    expect(kb.unresolved).toEqual(expect.arrayContaining(['RoleArn', 'StorageConfiguration.OpensearchServerlessConfiguration.CollectionArn']));
    const source = byName(bedrock.dataSources, 'elsewhere');
    expect(source.kmsKeyArn).toBeUndefined();
    expect(source.knowledgeBaseArn).toBeUndefined();
    expect(source.s3BucketArn).toBe('arn:aws:s3:::docs');
    expect(byName(bedrock.prompts, 'answer').kmsKeyArn).toBeUndefined();
  });

  it('puts a data source under its knowledge base; no S3 configuration or key is null', () => {
    const kb = byName(bedrock.knowledgeBases, 'rds-kb');
    const crawler = byName(bedrock.dataSources, 'crawler');
    expect(crawler).toMatchObject({ knowledgeBaseId: kb.id, knowledgeBaseArn: kb.arn, type: 'WEB', s3BucketArn: null, kmsKeyArn: null });
    expect(crawler.arn.startsWith(`${kb.arn}/data-source/`)).toBe(true);
    expect(byName(bedrock.flows, 'router')).toMatchObject({ roleArn: 'arn:aws:iam::123456789012:role/flow', kmsKeyArn: null });
  });
});

describe('Terraform plan: knowledge bases, data sources, prompts and flows', () => {
  const resource = (type: string, name: string, values: Record<string, unknown>) => ({ address: `${type}.${name}`, mode: 'managed', type, name, values });
  const plan = {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          resource('aws_bedrockagent_knowledge_base', 'graph', {
            name: 'graph-kb',
            role_arn: 'arn:aws:iam::123456789012:role/kb',
            knowledge_base_configuration: [{ type: 'VECTOR', vector_knowledge_base_configuration: [{ embedding_model_arn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0', supplemental_data_storage_configuration: [{ storage_location: [{ type: 'S3', s3_location: [{ uri: 's3://kb-images/x/' }] }] }] }] }],
            storage_configuration: [{ type: 'NEPTUNE_ANALYTICS', neptune_analytics_configuration: [{ graph_arn: 'arn:aws:neptune-graph:us-east-1:123456789012:graph/g-1' }] }],
          }),
          resource('aws_bedrockagent_knowledge_base', 'vectors', {
            name: 'vectors-kb',
            role_arn: 'arn:aws:iam::123456789012:role/kb',
            knowledge_base_configuration: [{ type: 'VECTOR', vector_knowledge_base_configuration: [{ embedding_model_arn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0' }] }],
            storage_configuration: [{ type: 'S3_VECTORS', s3_vectors_configuration: [{ vector_bucket_arn: 'arn:aws:s3vectors:us-east-1:123456789012:bucket/vb' }] }],
          }),
          resource('aws_bedrockagent_data_source', 'given', {
            name: 'given',
            knowledge_base_id: 'ABCDEFGHIJ',
            data_source_id: 'KLMNOPQRST',
            data_source_configuration: [{ type: 'S3', s3_configuration: [{ bucket_arn: 'arn:aws:s3:::docs', inclusion_prefixes: ['a/', 'b/'] }] }],
            server_side_encryption_configuration: [],
          }),
          resource('aws_bedrockagent_prompt', 'p', { name: 'p', customer_encryption_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-1111-4111-8111-111111111111' }),
          resource('aws_bedrockagent_flow', 'f', { name: 'f', execution_role_arn: 'arn:aws:iam::123456789012:role/flow' }),
        ],
      },
    },
  };
  const bedrock = parseInventory(importTerraformPlanData(plan, 'plan.json'), 'plan.json').bedrock!;

  it('reads the store of each type and the supplemental storage', () => {
    expect(byName(bedrock.knowledgeBases, 'graph-kb')).toMatchObject({ vectorStore: { type: 'NEPTUNE_ANALYTICS', resourceArn: 'arn:aws:neptune-graph:us-east-1:123456789012:graph/g-1' }, supplementalDataS3Uris: ['s3://kb-images/x/'] });
    expect(byName(bedrock.knowledgeBases, 'vectors-kb').vectorStore).toEqual({ type: 'S3_VECTORS', resourceArn: 'arn:aws:s3vectors:us-east-1:123456789012:bucket/vb' });
  });

  it('keeps the ids a plan knows, and reads an absent key as none', () => {
    expect(byName(bedrock.dataSources, 'given')).toMatchObject({
      arn: 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/ABCDEFGHIJ/data-source/KLMNOPQRST',
      knowledgeBaseId: 'ABCDEFGHIJ',
      s3BucketArn: 'arn:aws:s3:::docs',
      s3InclusionPrefixes: ['a/', 'b/'],
      kmsKeyArn: null,
    });
    expect(byName(bedrock.prompts, 'p').kmsKeyArn).toBe('arn:aws:kms:us-east-1:123456789012:key/1111aaaa-1111-4111-8111-111111111111');
    expect(byName(bedrock.flows, 'f')).toMatchObject({ roleArn: 'arn:aws:iam::123456789012:role/flow', kmsKeyArn: null });
  });
});
