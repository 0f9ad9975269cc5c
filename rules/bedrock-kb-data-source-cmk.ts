import { defineRule } from '../src/engine/types.js';
import { judgeCmk } from '../src/engine/cmk.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import { accountRef, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'bedrock-kb-data-source-cmk',
    title: 'Bedrock knowledge base data sources encrypt ingestion data with a customer managed KMS key',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::DataSource', 'AWS::Bedrock::KnowledgeBase'],
    description:
      'Each data source of a Bedrock knowledge base must name a customer managed KMS key in its server-side encryption configuration (ServerSideEncryptionConfiguration.KmsKeyArn), the key of the transient data Bedrock keeps while it reads, chunks and embeds the source\'s documents. No key (an AWS owned key) fails; a key named by an AWS managed alias or resolving in the KMS inventory to an AWS managed key fails, and so does a customer managed key that is disabled or pending deletion. A key not in the inventory and not an AWS managed alias passes, with a message that the key itself was not read. A data source whose configuration was not read is unknown, and so is a knowledge base whose data sources could not be listed. The encryption of the documents in their bucket is checked by the S3 rules (the bucket joins the AI asset graph as the data source bucket of the knowledge base); the vector store by bedrock-kb-vector-store-cmk.',
    rationale:
      'Knowledge base documents are often the most sensitive data an AI application touches: contracts, tickets, medical notes, internal wikis. During ingestion Bedrock stores their text and chunks temporarily; with an AWS owned key you cannot restrict or audit who decrypts that copy, nor revoke access by disabling the key. The guidance asks for customer managed keys for confidential and regulated AI data; a customer managed key is the encryption at rest evidence of HIPAA 164.312(a)(2)(iv), NIST SC-28 and SC-12, GDPR Art. 32(1)(a) and SOC 2 CC6.1.',
    remediation: {
      console: [
        'Create a symmetric customer managed key in KMS with rotation on; its key policy must let the knowledge base service role use it (kms:GenerateDataKey, kms:Decrypt) through bedrock.<region>.amazonaws.com.',
        'Open the Amazon Bedrock console, Knowledge Bases, choose the knowledge base and the data source, and choose Edit.',
        'Under "Advanced settings", KMS key for transient data storage, choose "Customize encryption settings" and select your key; save and sync the data source.',
      ],
      cli: [
        'aws bedrock-agent update-data-source --knowledge-base-id <KB_ID> --data-source-id <DATA_SOURCE_ID> --name <NAME> \\',
        '  --data-source-configuration \'{"type":"S3","s3Configuration":{"bucketArn":"arn:aws:s3:::<BUCKET>"}}\' \\',
        '  --server-side-encryption-configuration kmsKeyArn=<KEY_ARN>',
        'aws bedrock-agent start-ingestion-job --knowledge-base-id <KB_ID> --data-source-id <DATA_SOURCE_ID>',
      ].join('\n'),
      cloudformation: [
        'PolicyDocs:',
        '  Type: AWS::Bedrock::DataSource',
        '  Properties:',
        '    Name: policy-docs',
        '    KnowledgeBaseId: !Ref SupportKnowledgeBase',
        '    DataSourceConfiguration:',
        '      Type: S3',
        '      S3Configuration:',
        '        BucketArn: !GetAtt DocsBucket.Arn',
        '    ServerSideEncryptionConfiguration:',
        '      KmsKeyArn: !GetAtt BedrockKey.Arn',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrockagent_data_source" "policy_docs" {',
        '  name              = "policy-docs"',
        '  knowledge_base_id = aws_bedrockagent_knowledge_base.support.id',
        '  data_source_configuration {',
        '    type = "S3"',
        '    s3_configuration { bucket_arn = aws_s3_bucket.docs.arn }',
        '  }',
        '  server_side_encryption_configuration {',
        '    kms_key_arn = aws_kms_key.bedrock.arn',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html',
      'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_ServerSideEncryptionConfiguration.html',
      'https://docs.aws.amazon.com/config/latest/developerguide/bedrock-data-source-encryption-enabled.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const { knowledgeBases, dataSources } = bedrock;
    if (!knowledgeBases || !dataSources) {
      if (knowledgeBases?.length === 0) return;
      const errors = context.index.errorsFor('bedrock-agent', { operations: ['ListKnowledgeBases', 'ListDataSources'] });
      yield {
        verdict: 'unknown',
        resource: accountRef(context),
        message: `Bedrock knowledge bases and their data sources ${errors.length ? `could not be listed (${describeErrors(errors)})` : 'were not collected'}, so the encryption of their ingestion data cannot be evaluated.`,
        evidence: { collectionErrors: errors },
      };
      return;
    }
    // A knowledge base whose data sources could not be listed: its sources are unknown.
    for (const kb of knowledgeBases) {
      const errors = context.index.errorsFor('bedrock-agent', { resource: kb.arn, operations: ['ListDataSources'] });
      if (!errors.length) continue;
      yield {
        verdict: 'unknown',
        resource: resourceRef(kb.arn, 'AWS::Bedrock::KnowledgeBase', kb.region, kb.name, kb.source),
        message: `Cannot tell how the data sources of knowledge base ${kb.name} encrypt their ingestion data: they could not be listed (${describeErrors(errors)}).`,
        evidence: { collectionErrors: errors },
      };
    }
    for (const source of dataSources) {
      yield judgeCmk(context, {
        kind: 'Knowledge base data source', type: 'AWS::Bedrock::DataSource', service: 'bedrock-agent', operation: 'GetDataSource',
        property: 'ServerSideEncryptionConfiguration.KmsKeyArn', what: 'the transient copies of the documents it ingests', item: source,
      });
    }
  },
});
