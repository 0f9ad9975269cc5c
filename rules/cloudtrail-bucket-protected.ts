import { defineRule } from '../src/engine/types.js';
import { accessLoggingCheck, deleteProtectionCheck, notPublicCheck } from '../src/engine/bucket-checks.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import type { S3Bucket } from '../src/inventory/schema.js';

export default defineRule({
  meta: {
    id: 'cloudtrail-bucket-protected',
    title: 'The S3 bucket each CloudTrail trail delivers to is not public, logs its access and is protected from deletion',
    severity: 'high',
    service: 'cloudtrail',
    resourceTypes: ['AWS::CloudTrail::Trail'],
    description:
      'For every trail, the S3 bucket it delivers log files to (S3BucketName) must (1) not be public: its policy status says not public, or all four Block Public Access settings are in effect, bucket and account level combined (on an inventory from templates or plans the account level counts as on when the config sets assume.accountPublicAccessBlock); (2) have server access logging enabled, so that reads of the logs are themselves recorded; and (3) have S3 Object Lock enabled or MFA delete on its versioning, so that log files cannot be deleted with s3:DeleteObject alone. The trail fails naming each missing protection. It is unknown when a setting was not read, when the trail\'s bucket name was not read, and when the bucket is not in the inventory: typically a central log archive bucket in another account (the recommended design), which must be checked by scanning that account.',
    rationale:
      'The trail bucket holds the record of every API call in the account, including who invoked which model and who changed which guardrail or key. A public bucket publishes it; without access logging nobody knows who read it; without Object Lock or MFA delete, anyone who gets s3:DeleteObject on it (an attacker covering tracks) erases the evidence. CIS AWS Foundations asks for all three of the CloudTrail bucket; they are the protection of audit information of NIST AU-9, the audit controls of HIPAA 164.312(b) and SOC 2 CC7.2.',
    remediation: {
      console: [
        'Find the bucket: CloudTrail console, Trails, the trail, Storage location.',
        'Public access: S3 console, the bucket, Permissions, Block public access (bucket settings), Edit, turn on all four settings, Save; remove any bucket policy statement that grants Principal "*" beyond the CloudTrail service statements.',
        'Access logging: Properties, Server access logging, Edit, Enable, choose a separate log bucket, Save.',
        'Object Lock: Properties, Object Lock, Edit, Enable (versioning must be on), set a default retention (Compliance mode for audit logs), Save. Or enable MFA delete with the root user: aws s3api put-bucket-versioning with --mfa.',
      ],
      cli: [
        'aws s3api put-public-access-block --bucket <TRAIL_BUCKET> --public-access-block-configuration \\',
        '  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
        'aws s3api put-bucket-logging --bucket <TRAIL_BUCKET> --bucket-logging-status \\',
        '  \'{"LoggingEnabled":{"TargetBucket":"<ACCESS_LOG_BUCKET>","TargetPrefix":"cloudtrail-bucket/"}}\'',
        'aws s3api put-bucket-versioning --bucket <TRAIL_BUCKET> --versioning-configuration Status=Enabled',
        'aws s3api put-object-lock-configuration --bucket <TRAIL_BUCKET> --object-lock-configuration \\',
        '  \'{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":365}}}\'',
      ].join('\n'),
      cloudformation: [
        'TrailBucket:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    ObjectLockEnabled: true',
        '    ObjectLockConfiguration:',
        '      ObjectLockEnabled: Enabled',
        '      Rule:',
        '        DefaultRetention:',
        '          Mode: COMPLIANCE',
        '          Days: 365',
        '    VersioningConfiguration:',
        '      Status: Enabled',
        '    LoggingConfiguration:',
        '      DestinationBucketName: !Ref AccessLogBucket',
        '      LogFilePrefix: cloudtrail-bucket/',
        '    PublicAccessBlockConfiguration:',
        '      BlockPublicAcls: true',
        '      IgnorePublicAcls: true',
        '      BlockPublicPolicy: true',
        '      RestrictPublicBuckets: true',
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket" "trail" {',
        '  bucket              = "acme-cloudtrail-logs"',
        '  object_lock_enabled = true',
        '}',
        'resource "aws_s3_bucket_object_lock_configuration" "trail" {',
        '  bucket = aws_s3_bucket.trail.id',
        '  rule {',
        '    default_retention {',
        '      mode = "COMPLIANCE"',
        '      days = 365',
        '    }',
        '  }',
        '}',
        'resource "aws_s3_bucket_logging" "trail" {',
        '  bucket        = aws_s3_bucket.trail.id',
        '  target_bucket = aws_s3_bucket.access_logs.id',
        '  target_prefix = "cloudtrail-bucket/"',
        '}',
        'resource "aws_s3_bucket_public_access_block" "trail" {',
        '  bucket                  = aws_s3_bucket.trail.id',
        '  block_public_acls       = true',
        '  ignore_public_acls      = true',
        '  block_public_policy     = true',
        '  restrict_public_buckets = true',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html',
    ],
  },

  *evaluate(context) {
    const { cloudtrail, s3 } = context.inventory;
    if (!cloudtrail) {
      yield sectionUnknown(context, 'cloudtrail', 'The CloudTrail inventory');
      return;
    }
    const buckets = new Map<string, S3Bucket>((s3?.buckets ?? []).map((b) => [b.name, b]));
    for (const trail of [...cloudtrail.trails].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))) {
      const resource = resourceRef(trail.arn, 'AWS::CloudTrail::Trail', trail.homeRegion, trail.name, trail.source);
      const name = trail.s3BucketName;
      if (!name) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell which bucket trail ${trail.name} delivers to: ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['DescribeTrails'] }, 'its S3 bucket name')}.`,
        };
        continue;
      }
      const bucket = buckets.get(name);
      if (!bucket) {
        const why = s3 === undefined
          ? missingReason(context, 's3', {}, 'the S3 inventory')
          : context.inventory.partial
            ? 'the bucket is not declared in the templates or plans read (it may be created elsewhere, or be a central log archive bucket in another account)'
            : 'the bucket is not in the inventory: it is in another account (a central log archive, which is the recommended design: scan that account to judge it) or it could not be read';
        yield {
          verdict: 'unknown',
          resource,
          message: `Trail ${trail.name} delivers to bucket ${name}, but ${why}, so whether the bucket is private, logs its access and protects the logs from deletion cannot be told here.`,
          evidence: { bucket: name },
        };
        continue;
      }
      const checks = [notPublicCheck(context, bucket, s3?.accountPublicAccessBlock), accessLoggingCheck(context, bucket), deleteProtectionCheck(context, bucket)];
      const missing = checks.flatMap((c) => (c.missing ? [c.missing] : []));
      const unread = checks.flatMap((c) => (c.unread ? [c.unread] : []));
      const evidence = {
        bucket: name,
        policyStatus: bucket.policyStatus ?? null,
        publicAccessBlock: { bucketLevel: bucket.publicAccessBlock ?? null, accountLevel: s3?.accountPublicAccessBlock ?? null },
        logging: bucket.logging ?? null,
        objectLock: bucket.objectLock ?? null,
        mfaDelete: bucket.versioning?.mfaDelete ?? null,
        missing,
      };
      if (missing.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `The log bucket ${name} of trail ${trail.name} is not protected: ${missing.join('; ')}.${unread.length ? ` Not read: ${unread.join('; ')}.` : ''}`,
          evidence,
          property: 'S3BucketName',
        };
      } else if (unread.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot fully judge the log bucket ${name} of trail ${trail.name}: ${unread.join('; ')}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'pass',
          resource,
          message: `The log bucket ${name} of trail ${trail.name} ${checks.map((c) => c.ok).join(', ')}.`,
          evidence,
        };
      }
    }
  },
});
