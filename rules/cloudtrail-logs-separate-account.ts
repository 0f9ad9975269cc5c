import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'cloudtrail-logs-separate-account',
    title: 'CloudTrail delivers its logs to a bucket in another account (a log archive)',
    severity: 'medium',
    service: 'cloudtrail',
    resourceTypes: ['AWS::CloudTrail::Trail'],
    description:
      "Each trail must deliver to an S3 bucket this account does not own, such as the organization's log archive account. " +
      'ListBuckets lists only the buckets an account owns, so a trail whose bucket is among them fails, and one whose bucket is not passes when the listing is complete. ' +
      'From a template or plan (which holds only the declared resources) a trail whose bucket is declared beside it fails and any other is unknown; a trail without a recorded bucket, or an account whose buckets were not listed, is unknown.',
    rationale:
      'Whoever controls the account that produces the logs (an attacker with administrator access, or a compromised AI pipeline role) can also delete or rewrite logs kept in that same account. Logs delivered to a separate, locked-down log archive account survive the compromise of the workload account: the separation of duties auditors expect for audit records (NIST AU-9(2), AU-9(4)).',
    remediation: {
      console: [
        'In the log archive account, create a bucket with a policy that lets cloudtrail.amazonaws.com write to AWSLogs/<ACCOUNT_ID>/ (or use the bucket of an organization trail).',
        'Open the CloudTrail console, Trails, choose the trail, and under General details choose Edit.',
        'Under Storage location choose "Use existing S3 bucket", enter the log archive bucket, and Save changes.',
      ],
      cli: 'aws cloudtrail update-trail --name <TRAIL> --s3-bucket-name <LOG_ARCHIVE_BUCKET>',
      cloudformation: [
        'AuditTrail:',
        '  Type: AWS::CloudTrail::Trail',
        '  Properties:',
        '    IsLogging: true',
        '    IsMultiRegionTrail: true',
        '    S3BucketName: acme-log-archive-111122223333   # owned by the log archive account',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudtrail" "audit" {',
        '  name                  = "audit"',
        '  is_multi_region_trail = true',
        '  s3_bucket_name        = "acme-log-archive-111122223333" # owned by the log archive account',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-receive-logs-from-multiple-accounts.html',
      'https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html',
    ],
  },

  *evaluate(context) {
    const section = context.inventory.cloudtrail;
    if (!section) {
      yield sectionUnknown(context, 'cloudtrail', 'The CloudTrail inventory');
      return;
    }
    const owned = context.inventory.s3 ? new Set(context.inventory.s3.buckets.map((b) => b.name)) : undefined;
    const partial = context.inventory.partial === true;
    for (const trail of section.trails) {
      const resource = resourceRef(trail.arn, 'AWS::CloudTrail::Trail', trail.homeRegion, trail.name, trail.source);
      const bucket = trail.s3BucketName;
      if (bucket === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell where trail ${trail.name} delivers: ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['DescribeTrails', 'GetTrail'] }, 'its bucket')}.`,
        };
      } else if (owned?.has(bucket)) {
        yield {
          verdict: 'fail',
          resource,
          message: `Trail ${trail.name} delivers to bucket ${bucket}, which ${partial ? 'the same code declares' : 'this account owns'}: whoever controls this account can delete or rewrite its audit logs. Deliver to a bucket in a separate log archive account.`,
          evidence: { s3BucketName: bucket, sameAccount: true },
          property: 'S3BucketName',
        };
      } else if (owned && !partial) {
        yield {
          verdict: 'pass',
          resource,
          message: `Trail ${trail.name} delivers to bucket ${bucket}, which this account does not own (it is not among the buckets ListBuckets returned): the logs are kept in another account.`,
          evidence: { s3BucketName: bucket, sameAccount: false },
        };
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: partial
            ? `Trail ${trail.name} delivers to bucket ${bucket}, which the template or plan does not declare: whether it is in another account is not known from code.`
            : `Cannot tell whether bucket ${bucket} of trail ${trail.name} is in another account: ${missingReason(context, 's3', { operations: ['ListBuckets'] }, "the account's buckets")}.`,
        };
      }
    }
  },
});
