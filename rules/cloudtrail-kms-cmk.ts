import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

/** Keys that can no longer encrypt: CloudTrail cannot deliver log files encrypted with them. */
const UNUSABLE_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'Unavailable']);
/** `alias/aws/...` or its ARN form: an AWS managed key. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

export default defineRule({
  meta: {
    id: 'cloudtrail-kms-cmk',
    title: 'CloudTrail trails encrypt log files with a customer managed KMS key',
    severity: 'medium',
    service: 'cloudtrail',
    resourceTypes: ['AWS::CloudTrail::Trail'],
    description:
      'Each trail must encrypt its log and digest files with SSE-KMS using a customer managed KMS key (KmsKeyId). A trail without a key (S3-managed SSE-S3 encryption only), one naming an AWS managed key (alias/aws/...) or a key that resolves to an AWS managed key fails, and so does one whose key is disabled or pending deletion. A key reference that is not in the inventory (another account, or KMS not collected) and is not an AWS managed alias passes: CloudTrail accepts only customer managed keys, since an AWS managed key\'s policy cannot grant the CloudTrail service principal. A trail whose settings were not read is unknown.',
    rationale:
      'The trail records every model invocation, guardrail change, key use and IAM change: who can read it decides who can reconstruct the workload\'s activity and the data named in request parameters. With a customer managed key, reading a log file takes kms:Decrypt granted by a key policy you control (separately from S3 read access), every decrypt is itself logged, and access can be revoked by disabling the key. This is the protection of audit information NIST AU-9 and SC-28 ask for, and the encryption at rest evidence for HIPAA 164.312(a)(2)(iv) and GDPR Art. 32(1)(a).',
    remediation: {
      console: [
        'Create a symmetric customer managed key in KMS whose key policy lets cloudtrail.amazonaws.com call kms:GenerateDataKey* (with an aws:SourceArn condition on the trail ARN) and lets the log readers call kms:Decrypt (the CloudTrail console can create such a key for you).',
        'Open the CloudTrail console, Trails, choose the trail, and under General details choose Edit.',
        'Under "Log file SSE-KMS encryption" select Enabled, choose the customer managed key (existing or new), and Save changes.',
      ],
      cli: [
        'aws cloudtrail update-trail --name <TRAIL> --kms-key-id arn:aws:kms:<REGION>:<ACCOUNT_ID>:key/<KEY_ID>',
      ].join('\n'),
      cloudformation: [
        'TrailKey:',
        '  Type: AWS::KMS::Key',
        '  Properties:',
        '    EnableKeyRotation: true',
        '    KeyPolicy:',
        '      Version: "2012-10-17"',
        '      Statement:',
        '        - Sid: AccountAdmin',
        '          Effect: Allow',
        '          Principal: { AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" }',
        '          Action: kms:*',
        '          Resource: "*"',
        '        - Sid: CloudTrailEncrypt',
        '          Effect: Allow',
        '          Principal: { Service: cloudtrail.amazonaws.com }',
        '          Action: [kms:GenerateDataKey*, kms:DescribeKey]',
        '          Resource: "*"',
        '          Condition:',
        '            StringLike:',
        '              "kms:EncryptionContext:aws:cloudtrail:arn": !Sub "arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*"',
        'AuditTrail:',
        '  Type: AWS::CloudTrail::Trail',
        '  Properties:',
        '    IsLogging: true',
        '    IsMultiRegionTrail: true',
        '    S3BucketName: !Ref AuditLogBucket',
        '    KMSKeyId: !GetAtt TrailKey.Arn',
      ].join('\n'),
      terraform: [
        'resource "aws_kms_key" "trail" {',
        '  enable_key_rotation = true',
        '  policy              = data.aws_iam_policy_document.trail_key.json # grants cloudtrail.amazonaws.com kms:GenerateDataKey*',
        '}',
        'resource "aws_cloudtrail" "audit" {',
        '  name                  = "audit"',
        '  s3_bucket_name        = aws_s3_bucket.audit_logs.id',
        '  is_multi_region_trail = true',
        '  kms_key_id            = aws_kms_key.trail.arn',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-2',
    ],
  },

  *evaluate(context) {
    const section = context.inventory.cloudtrail;
    if (!section) {
      yield sectionUnknown(context, 'cloudtrail', 'The CloudTrail inventory');
      return;
    }
    for (const trail of section.trails) {
      const resource = resourceRef(trail.arn, 'AWS::CloudTrail::Trail', trail.homeRegion, trail.name, trail.source);
      const property = 'KMSKeyId';
      const keyRef = trail.kmsKeyId;
      if (keyRef === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell how trail ${trail.name} encrypts its log files: ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['DescribeTrails', 'GetTrail'] }, 'its KMS key setting')}.`,
        };
        continue;
      }
      const evidence: Record<string, unknown> = { kmsKeyId: keyRef };
      if (keyRef === null || keyRef === '') {
        yield {
          verdict: 'fail',
          resource,
          message: `Trail ${trail.name} has no KMS key: its log files are encrypted only with S3-managed keys (SSE-S3), so anyone who can read the bucket can read the audit trail.`,
          evidence: { kmsKeyId: null },
          property,
        };
        continue;
      }
      if (AWS_MANAGED_ALIAS.test(keyRef)) {
        yield {
          verdict: 'fail',
          resource,
          message: `Trail ${trail.name} names the AWS managed key ${keyRef}, not a customer managed key.`,
          evidence,
          property,
        };
        continue;
      }
      const key = context.index.resolveKmsKey(keyRef, trail.homeRegion);
      if (!key) {
        // CloudTrail only accepts customer managed keys (an AWS managed key's policy cannot grant
        // cloudtrail.amazonaws.com), so a non-aws/* reference we cannot resolve is still one.
        const why = context.inventory.kms === undefined ? 'KMS keys were not collected' : 'the key is not in the inventory (another account, or not read)';
        yield {
          verdict: 'pass',
          resource,
          message: `Trail ${trail.name} encrypts its log files with KMS key ${keyRef} (${why}; CloudTrail accepts only customer managed keys, so its state was not checked).`,
          evidence,
        };
        continue;
      }
      const name = key.aliases[0] ?? key.arn;
      evidence.resolvedKey = { arn: key.arn, keyManager: key.keyManager, keyState: key.keyState ?? null, aliases: key.aliases };
      if (key.keyManager !== 'CUSTOMER') {
        yield {
          verdict: 'fail',
          resource,
          message: `Trail ${trail.name} names ${name}, an AWS managed key, not a customer managed key.`,
          evidence,
          property,
        };
      } else if (key.keyState && UNUSABLE_STATES.has(key.keyState)) {
        yield {
          verdict: 'fail',
          resource,
          message: `Trail ${trail.name} encrypts with customer managed key ${name}, but the key is ${key.keyState}: CloudTrail cannot deliver log files encrypted with it.`,
          evidence,
          property,
        };
      } else {
        yield { verdict: 'pass', resource, message: `Trail ${trail.name} encrypts its log files with customer managed key ${name}.`, evidence };
      }
    }
  },
});
