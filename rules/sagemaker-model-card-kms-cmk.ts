import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';

const UNUSABLE_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable']);

export default defineRule({
  meta: {
    id: 'sagemaker-model-card-kms-cmk',
    title: 'SageMaker model cards are encrypted with a customer managed KMS key',
    severity: 'low',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::ModelCard'],
    description:
      'Each SageMaker Model Card must name a customer managed KMS key in its security configuration (SecurityConfig.KmsKeyId). A card without a key (encrypted with an AWS owned key) fails, as does one whose key resolves to an AWS managed key or to a disabled key; a key of another account passes; a key of this account that is not in the KMS inventory is unknown.',
    rationale:
      'A model card holds the model\'s evaluation results, training data description, risk rating and known limitations: governance records that can reveal sensitive data and weaknesses. A customer managed key lets you decide and audit who can read them, and revoke access by disabling the key (encryption at rest: HIPAA 164.312(a)(2)(iv), NIST SC-28 and SC-12, GDPR Art. 32(1)(a)).',
    remediation: {
      console: [
        'A card\'s key cannot be changed: in SageMaker Studio, Governance, Model cards, export or copy the card\'s content.',
        'Create a new model card with "Encryption" set to a customer managed KMS key, with the same content, and delete or archive the old card.',
      ],
      cli: [
        'aws sagemaker describe-model-card --model-card-name <CARD> --query Content --output text > content.json',
        'aws sagemaker create-model-card --model-card-name <CARD>-cmk --model-card-status Draft \\',
        '  --security-config KmsKeyId=<KMS_KEY_ARN> --content file://content.json',
      ].join('\n'),
      cloudformation: [
        'InferenceModelCard:',
        '  Type: AWS::SageMaker::ModelCard',
        '  Properties:',
        '    ModelCardName: inference-model-card',
        '    ModelCardStatus: Draft',
        '    SecurityConfig:',
        '      KmsKeyId: !GetAtt ModelCardKey.Arn',
        '    Content:',
        '      ModelOverview:',
        '        ModelName: !GetAtt InferenceModel.ModelName',
      ].join('\n'),
      terraform: [
        '# The AWS provider has no model card resource: use the CLI, CloudFormation (AWS::SageMaker::ModelCard)',
        '# or awscc_sagemaker_model_card (AWSCC provider) with security_config.kms_key_id set to a customer managed key.',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards.html',
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ModelCardSecurityConfig.html',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    if (sagemaker.modelCards === undefined) {
      yield sectionUnknown(context, 'sagemaker', 'The list of SageMaker model cards');
      return;
    }
    for (const card of sagemaker.modelCards) {
      const resource = resourceRef(card.arn, 'AWS::SageMaker::ModelCard', card.region, card.name, card.source);
      const reference = card.kmsKeyId;
      if (reference === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell how model card ${card.name} is encrypted: ${missingReason(context, 'sagemaker', { resource: card.arn, operations: ['DescribeModelCard'] }, 'its security configuration')}.`,
        };
        continue;
      }
      if (reference === null) {
        yield {
          verdict: 'fail',
          resource,
          message: `Model card ${card.name} names no KMS key: its content is encrypted with an AWS owned key you cannot control or audit.`,
          evidence: { kmsKeyId: null },
          property: 'SecurityConfig.KmsKeyId',
        };
        continue;
      }
      if (reference.startsWith('alias/aws/') || reference.includes(':alias/aws/')) {
        yield { verdict: 'fail', resource, message: `Model card ${card.name} is encrypted with the AWS managed key ${reference}, not a customer managed key.`, evidence: { kmsKeyId: reference }, property: 'SecurityConfig.KmsKeyId' };
        continue;
      }
      const key = context.index.resolveKmsKey(reference, card.region);
      if (key) {
        const name = key.aliases[0] ?? key.arn;
        const evidence = { kmsKeyId: reference, keyArn: key.arn, keyManager: key.keyManager, keyState: key.keyState ?? null };
        if (key.keyManager === 'AWS') {
          yield { verdict: 'fail', resource, message: `Model card ${card.name} is encrypted with ${name}, an AWS managed key, not a customer managed key.`, evidence, property: 'SecurityConfig.KmsKeyId' };
        } else if (key.keyState && UNUSABLE_STATES.has(key.keyState)) {
          yield { verdict: 'fail', resource, message: `Model card ${card.name} is encrypted with customer managed key ${name}, which is ${key.keyState}: the card cannot be read.`, evidence, property: 'SecurityConfig.KmsKeyId' };
        } else {
          yield { verdict: 'pass', resource, message: `Model card ${card.name} is encrypted with customer managed key ${name}.`, evidence };
        }
        continue;
      }
      const owner = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(reference)?.[1];
      if (owner && owner !== context.index.accountId) {
        // AWS managed keys serve only their own account: a key of another account is customer managed.
        yield { verdict: 'pass', resource, message: `Model card ${card.name} is encrypted with customer managed key ${reference} of account ${owner}.`, evidence: { kmsKeyId: reference } };
        continue;
      }
      const errors = context.index.errorsFor('kms', { region: card.region });
      const why = context.inventory.kms === undefined ? 'KMS keys were not collected' : errors.length ? `KMS keys in ${card.region} could not all be read (${describeErrors(errors)})` : 'the key is not in the inventory';
      yield {
        verdict: 'unknown',
        resource,
        message: `Model card ${card.name} is encrypted with KMS key ${reference}, but ${why}, so whether it is customer managed cannot be told.`,
        evidence: { kmsKeyId: reference },
      };
    }
  },
});
