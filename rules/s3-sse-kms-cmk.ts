import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);
/** Keys that can no longer decrypt or encrypt: a bucket pointing at one is broken, not compliant. */
const UNUSABLE_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'Unavailable']);

export default defineRule({
  meta: {
    id: 's3-sse-kms-cmk',
    title: 'S3 buckets encrypt by default with a customer managed KMS key',
    severity: 'high',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'Default encryption must be SSE-KMS (aws:kms) or DSSE-KMS (aws:kms:dsse) with a key that resolves, by ARN, key id or alias, to a customer managed KMS key. SSE-S3 (AES256) and the AWS managed aws/s3 key fail; a key that is not in the inventory (another account, or KMS not collected) is unknown.',
    rationale:
      'With a customer managed key you decide who may decrypt the data (key policy), can revoke access by disabling the key, and every decrypt is logged in CloudTrail: the evidence HIPAA, GDPR Art. 32 and NIST SC-28/SC-12 auditors ask for. SSE-S3 and the aws/s3 key give none of that control.',
    remediation: {
      console: [
        'Create a customer managed key in KMS (symmetric, with rotation enabled) if you have none for this data.',
        'Open the bucket in the S3 console, Properties tab, Default encryption, Edit.',
        'Choose "Server-side encryption with AWS Key Management Service keys (SSE-KMS)", pick your customer managed key, enable Bucket Key, Save.',
      ],
      cli: [
        'aws s3api put-bucket-encryption --bucket <BUCKET> --server-side-encryption-configuration \\',
        '  \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"arn:aws:kms:<REGION>:<ACCOUNT_ID>:key/<KEY_ID>"},"BucketKeyEnabled":true}]}\'',
      ].join('\n'),
      cloudformation: [
        'TrainingDataKey:',
        '  Type: AWS::KMS::Key',
        '  Properties:',
        '    EnableKeyRotation: true',
        'TrainingData:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    BucketEncryption:',
        '      ServerSideEncryptionConfiguration:',
        '        - ServerSideEncryptionByDefault:',
        '            SSEAlgorithm: aws:kms',
        '            KMSMasterKeyID: !GetAtt TrainingDataKey.Arn',
        '          BucketKeyEnabled: true',
      ].join('\n'),
      terraform: [
        'resource "aws_kms_key" "training_data" {',
        '  enable_key_rotation = true',
        '}',
        'resource "aws_s3_bucket_server_side_encryption_configuration" "training_data" {',
        '  bucket = aws_s3_bucket.training_data.id',
        '  rule {',
        '    apply_server_side_encryption_by_default {',
        '      sse_algorithm     = "aws:kms"',
        '      kms_master_key_id = aws_kms_key.training_data.arn',
        '    }',
        '    bucket_key_enabled = true',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
      'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk',
    ],
  },

  *evaluate(context) {
    const s3 = context.inventory.s3;
    if (!s3) {
      yield sectionUnknown(context, 's3', 'The S3 inventory');
      return;
    }
    for (const bucket of s3.buckets) {
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const property = 'BucketEncryption';
      if (bucket.encryption === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot judge default encryption: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketEncryption'] }, 'the encryption configuration')}.`,
        };
        continue;
      }
      const rule = bucket.encryption?.rules[0];
      if (!rule) {
        yield { verdict: 'fail', resource, message: 'The bucket has no default encryption configuration.', property };
        continue;
      }
      const evidence: Record<string, unknown> = { sseAlgorithm: rule.sseAlgorithm, kmsMasterKeyId: rule.kmsMasterKeyId ?? null };
      if (!KMS_ALGORITHMS.has(rule.sseAlgorithm)) {
        yield {
          verdict: 'fail',
          resource,
          message: `Default encryption is ${rule.sseAlgorithm === 'AES256' ? 'SSE-S3 (AES256)' : rule.sseAlgorithm}, not SSE-KMS with a customer managed key.`,
          evidence,
          property,
        };
        continue;
      }
      const keyRef = rule.kmsMasterKeyId;
      if (!keyRef || /(^|:)alias\/aws\/s3$/.test(keyRef)) {
        yield {
          verdict: 'fail',
          resource,
          message: `Default encryption is ${rule.sseAlgorithm} with the AWS managed key aws/s3${keyRef ? ` (${keyRef})` : ' (no key id configured)'}, not a customer managed key.`,
          evidence,
          property,
        };
        continue;
      }
      const key = context.index.resolveKmsKey(keyRef, bucket.region);
      if (!key) {
        const kmsErrors = context.index.errorsFor('kms', { region: bucket.region });
        const why = context.inventory.kms === undefined
          ? 'KMS keys were not collected'
          : kmsErrors.length
            ? `KMS keys in ${bucket.region} could not all be read`
            : 'the key is not in the inventory (another account, or deleted)';
        yield {
          verdict: 'unknown',
          resource,
          message: `Default encryption uses KMS key ${keyRef}, but ${why}, so whether it is customer managed cannot be told.`,
          evidence,
        };
        continue;
      }
      evidence.resolvedKey = { arn: key.arn, keyManager: key.keyManager, keyState: key.keyState ?? null, aliases: key.aliases };
      if (key.keyManager !== 'CUSTOMER') {
        yield {
          verdict: 'fail',
          resource,
          message: `Default encryption uses ${key.aliases[0] ?? key.arn}, an AWS managed key, not a customer managed key.`,
          evidence,
          property,
        };
      } else if (key.keyState && UNUSABLE_STATES.has(key.keyState)) {
        yield {
          verdict: 'fail',
          resource,
          message: `Default encryption uses customer managed key ${key.aliases[0] ?? key.arn}, but the key is ${key.keyState}: new objects cannot be encrypted with it.`,
          evidence,
          property,
        };
      } else {
        yield {
          verdict: 'pass',
          resource,
          message: `Default encryption is ${rule.sseAlgorithm} with customer managed key ${key.aliases[0] ?? key.arn}${rule.bucketKeyEnabled ? ' (S3 Bucket Key on)' : ''}.`,
          evidence,
        };
      }
    }
  },
});
