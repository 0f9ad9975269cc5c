import { defineRule } from '../src/engine/types.js';
import { judgeCmk } from '../src/engine/cmk.js';
import { accountRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';

export default defineRule({
  meta: {
    id: 'bedrock-prompt-flow-cmk',
    title: 'Bedrock prompts and flows encrypt with a customer managed KMS key',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::Prompt', 'AWS::Bedrock::Flow'],
    description:
      'Prompts of Bedrock Prompt management and Bedrock flows (their working drafts) must be encrypted with a customer managed KMS key (CustomerEncryptionKeyArn). No key (Bedrock then uses an AWS owned key) fails; a key named by an AWS managed alias (alias/aws/...) or resolving in the KMS inventory to an AWS managed key fails, and so does a customer managed key that is disabled or pending deletion. A key that is not in the inventory (another account, or KMS not collected) and is not an AWS managed alias passes, with a message that the key itself was not read. A prompt or flow whose key setting was not read is unknown, and so is the account when prompts or flows were not collected at all.',
    rationale:
      'A prompt template holds the system instructions, examples and variables of an application, often with business rules or sample records; a flow wires prompts, knowledge bases, agents and Lambda functions together and is the application logic itself. With an AWS owned key you cannot restrict or audit who decrypts them, nor revoke access by disabling the key. A customer managed key is the encryption at rest evidence of HIPAA 164.312(a)(2)(iv), NIST SC-28 and SC-12, GDPR Art. 32(1)(a) and SOC 2 CC6.1, and the guidance asks for customer managed keys for all sensitive AI data.',
    remediation: {
      console: [
        'Create a symmetric customer managed key in KMS with rotation on; its key policy must let the principals that call Prompt management and Flows use it (kms:GenerateDataKey, kms:Decrypt, kms:DescribeKey) through bedrock.<region>.amazonaws.com.',
        'Prompts: open the Bedrock console, Prompt management, choose the prompt, Edit in prompt builder, and under "KMS key selection" choose "Customize encryption settings" with your key; save the draft and create a new version.',
        'Flows: open Flows, choose the flow, Edit, and under "KMS key selection" choose your key; save, prepare the flow and publish a new version to its alias.',
      ],
      cli: [
        'aws bedrock-agent update-prompt --prompt-identifier <PROMPT_ID> --name <NAME> --customer-encryption-key-arn <KEY_ARN> \\',
        '  --variants file://variants.json --default-variant <VARIANT>',
        'aws bedrock-agent create-prompt-version --prompt-identifier <PROMPT_ID>',
        'aws bedrock-agent update-flow --flow-identifier <FLOW_ID> --name <NAME> --execution-role-arn <ROLE_ARN> \\',
        '  --definition file://definition.json --customer-encryption-key-arn <KEY_ARN>',
        'aws bedrock-agent prepare-flow --flow-identifier <FLOW_ID>',
      ].join('\n'),
      cloudformation: [
        'SupportPrompt:',
        '  Type: AWS::Bedrock::Prompt',
        '  Properties:',
        '    Name: support-answer',
        '    CustomerEncryptionKeyArn: !GetAtt BedrockKey.Arn',
        '    # DefaultVariant, Variants ...',
        'SupportFlow:',
        '  Type: AWS::Bedrock::Flow',
        '  Properties:',
        '    Name: support-flow',
        '    ExecutionRoleArn: !GetAtt FlowRole.Arn',
        '    CustomerEncryptionKeyArn: !GetAtt BedrockKey.Arn',
        '    # Definition ...',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrockagent_prompt" "support" {',
        '  name                        = "support-answer"',
        '  customer_encryption_key_arn = aws_kms_key.bedrock.arn',
        '  # default_variant, variant { ... }',
        '}',
        'resource "aws_bedrockagent_flow" "support" {',
        '  name                        = "support-flow"',
        '  execution_role_arn          = aws_iam_role.flow.arn',
        '  customer_encryption_key_arn = aws_kms_key.bedrock.arn',
        '  # definition { ... }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-prompt-management.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-flows.html',
      'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_GetPrompt.html',
      'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_GetFlow.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const notCollected: string[] = [];
    if (!bedrock.prompts) notCollected.push('prompts (ListPrompts)');
    if (!bedrock.flows) notCollected.push('flows (ListFlows)');
    if (notCollected.length) {
      const errors = context.index.errorsFor('bedrock-agent', { operations: ['ListPrompts', 'ListFlows'] });
      yield {
        verdict: 'unknown',
        resource: accountRef(context),
        message: `Bedrock ${notCollected.join(' and ')} ${errors.length ? `could not be listed (${describeErrors(errors)})` : 'were not collected'}, so their encryption cannot be evaluated.`,
        evidence: { collectionErrors: errors },
      };
    }
    for (const prompt of bedrock.prompts ?? []) {
      yield judgeCmk(context, {
        kind: 'Prompt', type: 'AWS::Bedrock::Prompt', service: 'bedrock-agent', operation: 'GetPrompt',
        property: 'CustomerEncryptionKeyArn', what: 'its template, instructions and variables', item: prompt,
      });
    }
    for (const flow of bedrock.flows ?? []) {
      yield judgeCmk(context, {
        kind: 'Flow', type: 'AWS::Bedrock::Flow', service: 'bedrock-agent', operation: 'GetFlow',
        property: 'CustomerEncryptionKeyArn', what: 'its definition', item: flow,
      });
    }
  },
});
