import { defineRule } from '../src/engine/types.js';
import { judgeCmk as judge } from '../src/engine/cmk.js';
import { sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'bedrock-kms-cmk',
    title: 'Bedrock guardrails, agents and custom models encrypt with a customer managed KMS key',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::Guardrail', 'AWS::Bedrock::Agent', 'AWS::Bedrock::CustomModel'],
    description:
      'Guardrails (KmsKeyArn), agents (CustomerEncryptionKeyArn) and custom models (the customModelKmsKeyId of the customization job) must be encrypted with a customer managed KMS key. No key (Bedrock then uses an AWS owned key) fails; a key named by an AWS managed alias (alias/aws/...) or resolving in the KMS inventory to an AWS managed key fails, and so does a customer managed key that is disabled or pending deletion. A key reference that is not in the inventory (another account, or KMS not collected) and is not an AWS managed alias passes, with a message that the key itself was not read. A resource whose key setting was not read is unknown.',
    rationale:
      'Guardrail definitions name the sensitive topics, words and PII patterns the application must not leak; agent configurations hold instructions, action groups and session data; custom model weights are derived from the training data, which may hold personal data or ePHI. With an AWS owned key you cannot restrict or audit who decrypts them, nor revoke access by disabling the key. A customer managed key is the encryption at rest evidence of HIPAA 164.312(a)(2)(iv), NIST SC-28 and SC-12, GDPR Art. 32(1)(a) and SOC 2 CC6.1.',
    remediation: {
      console: [
        'Create a symmetric customer managed key in KMS with rotation on; its key policy must allow bedrock.amazonaws.com (guardrails, custom models) and the agent\'s service role (agents) to use it (kms:GenerateDataKey, kms:Decrypt, kms:DescribeKey, kms:CreateGrant).',
        'Guardrails: open the Bedrock console, Guardrails, choose the guardrail, Edit, and under "KMS key selection" choose "Customize encryption settings" with your key; then create a new version.',
        'Agents: open Agents, choose the agent, Edit in Agent builder, and under "KMS key selection" choose your key; prepare the agent again.',
        'Custom models cannot change their key: run the customization job again with "Model encryption" set to your key, move provisioned throughput to the new model and delete the old one.',
      ],
      cli: [
        'aws bedrock update-guardrail --guardrail-identifier <GUARDRAIL_ID> --name <NAME> --kms-key-id <KEY_ARN> \\',
        '  --blocked-input-messaging "..." --blocked-outputs-messaging "..." ...   # repeat the guardrail\'s policies',
        'aws bedrock create-guardrail-version --guardrail-identifier <GUARDRAIL_ID>',
        'aws bedrock-agent update-agent --agent-id <AGENT_ID> --agent-name <NAME> --agent-resource-role-arn <ROLE_ARN> \\',
        '  --foundation-model <MODEL_ID> --customer-encryption-key-arn <KEY_ARN>',
        'aws bedrock create-model-customization-job --job-name <JOB> --custom-model-name <MODEL> --role-arn <ROLE_ARN> \\',
        '  --base-model-identifier <BASE_MODEL> --training-data-config s3Uri=s3://<BUCKET>/train.jsonl \\',
        '  --output-data-config s3Uri=s3://<BUCKET>/output/ --hyper-parameters epochCount=1 --custom-model-kms-key-id <KEY_ARN>',
      ].join('\n'),
      cloudformation: [
        'Guardrail:',
        '  Type: AWS::Bedrock::Guardrail',
        '  Properties:',
        '    Name: app-guardrail',
        '    BlockedInputMessaging: Sorry, I cannot help with that.',
        '    BlockedOutputsMessaging: Sorry, I cannot help with that.',
        '    KmsKeyArn: !GetAtt BedrockKey.Arn',
        '    # ContentPolicyConfig, SensitiveInformationPolicyConfig ...',
        'Agent:',
        '  Type: AWS::Bedrock::Agent',
        '  Properties:',
        '    AgentName: support-agent',
        '    AgentResourceRoleArn: !GetAtt AgentRole.Arn',
        '    FoundationModel: anthropic.claude-3-haiku-20240307-v1:0',
        '    CustomerEncryptionKeyArn: !GetAtt BedrockKey.Arn',
        '# Custom models have no CloudFormation resource: set customModelKmsKeyId on the customization job.',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrock_guardrail" "app" {',
        '  name                      = "app-guardrail"',
        '  blocked_input_messaging   = "Sorry, I cannot help with that."',
        '  blocked_outputs_messaging = "Sorry, I cannot help with that."',
        '  kms_key_arn               = aws_kms_key.bedrock.arn',
        '}',
        'resource "aws_bedrockagent_agent" "support" {',
        '  agent_name                  = "support-agent"',
        '  agent_resource_role_arn     = aws_iam_role.agent.arn',
        '  foundation_model            = "anthropic.claude-3-haiku-20240307-v1:0"',
        '  customer_encryption_key_arn = aws_kms_key.bedrock.arn',
        '}',
        'resource "aws_bedrock_custom_model" "tuned" {',
        '  custom_model_name       = "tuned"',
        '  job_name                = "tuned-job"',
        '  base_model_identifier   = data.aws_bedrock_foundation_model.base.model_arn',
        '  role_arn                = aws_iam_role.customization.arn',
        '  custom_model_kms_key_id = aws_kms_key.bedrock.arn',
        '  hyperparameters         = { epochCount = "1" }',
        '  output_data_config { s3_uri = "s3://${aws_s3_bucket.output.id}/" }',
        '  training_data_config { s3_uri = "s3://${aws_s3_bucket.training.id}/train.jsonl" }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-agents.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-custom-job.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    for (const guardrail of bedrock.guardrails) {
      yield judge(context, {
        kind: 'Guardrail', type: 'AWS::Bedrock::Guardrail', service: 'bedrock', operation: 'GetGuardrail',
        property: 'KmsKeyArn', what: 'its policies and messages', item: guardrail,
      });
    }
    for (const agent of bedrock.agents) {
      yield judge(context, {
        kind: 'Agent', type: 'AWS::Bedrock::Agent', service: 'bedrock-agent', operation: 'GetAgent',
        property: 'CustomerEncryptionKeyArn', what: 'its configuration and session data', item: agent,
      });
    }
    for (const model of bedrock.customModels) {
      yield judge(context, {
        kind: 'Custom model', type: 'AWS::Bedrock::CustomModel', service: 'bedrock', operation: 'GetCustomModel',
        property: 'CustomModelKmsKeyId', what: 'its weights', item: model,
      });
    }
  },
});
