import { defineRule } from '../src/engine/types.js';
import type { S3Bucket } from '../src/inventory/schema.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

/** One audit-log destination bucket and what writes to it. */
interface Destination {
  name: string;
  /** Region of the first writer: the bucket's Region when the bucket itself is not in the inventory. */
  region: string;
  writers: string[];
}

export default defineRule({
  meta: {
    id: 's3-object-lock-audit-logs',
    title: 'Buckets that receive audit logs have S3 Object Lock enabled',
    severity: 'medium',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket', 'AWS::CloudTrail::Trail'],
    description:
      'Every S3 bucket that receives audit logs, that is the bucket of a CloudTrail trail (S3BucketName) and the S3 destination of Bedrock model invocation logging in a Region (s3Config.bucketName), must have S3 Object Lock enabled, so that delivered log objects cannot be overwritten or deleted before their retention ends. Each destination bucket gets one verdict naming the trails and Regions that write to it. A bucket whose Object Lock configuration was not read, or that is not in the inventory (another account, such as a log archive, or S3 not collected), is unknown; so is a trail whose bucket name was not read.',
    rationale:
      'Log file validation shows that a CloudTrail log was altered; only Object Lock prevents it. Whoever gains write or delete access to the log bucket (a compromised administrator, or a role with s3:* on the bucket) can otherwise remove the record of model invocations, guardrail changes, key use and IAM changes that an investigation depends on. Write-once-read-many storage of audit records is the protection of audit information NIST AU-9 asks for, and evidence of integrity of the audit trail for HIPAA 164.312(b) and 164.312(c)(1) and SOC 2 CC7.2.',
    remediation: {
      console: [
        'Object Lock can be enabled on an existing bucket (versioning must be on): open the bucket in the S3 console, Properties tab, Object Lock, Edit, Enable, confirm, Save changes.',
        'Under Default retention choose a mode (Compliance for audit logs that no one, including root, may delete early; Governance to let principals with s3:BypassGovernanceRetention override) and a period at least as long as your log retention requirement.',
        'Alternatively create a new bucket with Object Lock enabled and point the trail (CloudTrail console, Trails, Edit storage location) or Bedrock invocation logging (Bedrock console, Settings) at it.',
      ],
      cli: [
        'aws s3api put-bucket-versioning --bucket <LOG_BUCKET> --versioning-configuration Status=Enabled',
        'aws s3api put-object-lock-configuration --bucket <LOG_BUCKET> --object-lock-configuration \\',
        '  \'{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":365}}}\'',
      ].join('\n'),
      cloudformation: [
        'AuditLogBucket:',
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
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket" "audit_logs" {',
        '  bucket              = "acme-audit-logs"',
        '  object_lock_enabled = true',
        '}',
        'resource "aws_s3_bucket_versioning" "audit_logs" {',
        '  bucket = aws_s3_bucket.audit_logs.id',
        '  versioning_configuration { status = "Enabled" }',
        '}',
        'resource "aws_s3_bucket_object_lock_configuration" "audit_logs" {',
        '  bucket = aws_s3_bucket.audit_logs.id',
        '  rule {',
        '    default_retention {',
        '      mode = "COMPLIANCE"',
        '      days = 365',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html',
    ],
  },

  *evaluate(context) {
    const { cloudtrail, bedrock, s3 } = context.inventory;
    if (!cloudtrail && !bedrock) {
      yield sectionUnknown(context, 'cloudtrail', 'The CloudTrail inventory (and the Bedrock inventory)');
      return;
    }
    const destinations = new Map<string, Destination>();
    const add = (name: string, region: string, writer: string): void => {
      const known = destinations.get(name);
      if (known) known.writers.push(writer);
      else destinations.set(name, { name, region, writers: [writer] });
    };
    for (const trail of cloudtrail?.trails ?? []) {
      if (trail.s3BucketName) {
        add(trail.s3BucketName, trail.homeRegion, `trail ${trail.name}`);
        continue;
      }
      yield {
        verdict: 'unknown',
        resource: resourceRef(trail.arn, 'AWS::CloudTrail::Trail', trail.region, trail.name, trail.source),
        message: `Cannot tell which bucket trail ${trail.name} delivers to: ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['DescribeTrails'] }, 'its S3 bucket name')}, so its Object Lock cannot be judged.`,
      };
    }
    for (const entry of bedrock?.invocationLogging ?? []) {
      const bucketName = entry.config?.s3Config?.bucketName;
      if (bucketName) add(bucketName, entry.region, `Bedrock invocation logging in ${entry.region}`);
    }
    const buckets = new Map<string, S3Bucket>((s3?.buckets ?? []).map((b) => [b.name, b]));
    const { partition } = context.index;
    for (const destination of [...destinations.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const writers = destination.writers.join(', ');
      const bucket = buckets.get(destination.name);
      if (!bucket) {
        const resource = resourceRef(`arn:${partition}:s3:::${destination.name}`, 'AWS::S3::Bucket', destination.region, destination.name);
        const why = s3 === undefined
          ? missingReason(context, 's3', {}, 'the S3 inventory')
          : 'the bucket is not in the inventory (another account, such as a log archive, or it was not read)';
        yield {
          verdict: 'unknown',
          resource,
          message: `Bucket ${destination.name} receives audit logs (${writers}), but ${why}, so whether Object Lock protects them cannot be told.`,
          evidence: { writers: destination.writers },
        };
        continue;
      }
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const lock = bucket.objectLock;
      if (lock === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Bucket ${bucket.name} receives audit logs (${writers}), but ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetObjectLockConfiguration'] }, 'its Object Lock configuration')}.`,
          evidence: { writers: destination.writers },
        };
        continue;
      }
      const evidence = { writers: destination.writers, objectLock: lock };
      if (lock?.enabled) {
        const retention = lock.defaultRetention;
        const period = retention
          ? retention.years !== undefined
            ? `${retention.years} year${retention.years === 1 ? '' : 's'}`
            : retention.days !== undefined
              ? `${retention.days} day${retention.days === 1 ? '' : 's'}`
              : undefined
          : undefined;
        yield {
          verdict: 'pass',
          resource,
          message: `Object Lock is enabled on bucket ${bucket.name}, which receives audit logs (${writers})${retention ? `; default retention ${retention.mode}${period ? ` for ${period}` : ''}` : '; no default retention is set, so only objects given a retention period or legal hold are locked'}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: `Object Lock is not enabled on bucket ${bucket.name}, which receives audit logs (${writers}): anyone with delete access to the bucket can remove or overwrite them.`,
          evidence,
          property: 'ObjectLockConfiguration',
        };
      }
    }
  },
});
