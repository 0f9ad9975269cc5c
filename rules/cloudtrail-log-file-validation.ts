import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'cloudtrail-log-file-validation',
    title: 'CloudTrail trails have log file integrity validation enabled',
    severity: 'medium',
    service: 'cloudtrail',
    resourceTypes: ['AWS::CloudTrail::Trail'],
    description:
      'Each trail must have log file integrity validation enabled, so that CloudTrail delivers a signed digest file every hour covering the log files it delivered. A trail whose setting could not be read is unknown.',
    rationale:
      'The audit trail of model invocations, guardrail changes and key use is only evidence if it can be shown not to have been altered or pruned after delivery. Digest files (SHA-256 hashes signed with RSA) let an auditor prove with `aws cloudtrail validate-logs` that no log file was modified, deleted or forged (NIST AU-9, HIPAA 164.312(c)(1)).',
    remediation: {
      console: [
        'Open the CloudTrail console, Trails, and choose the trail.',
        'Under General details choose Edit.',
        'Under Additional settings select "Log file validation: Enabled", and Save changes.',
      ],
      cli: [
        'aws cloudtrail update-trail --name <TRAIL> --enable-log-file-validation',
        'aws cloudtrail validate-logs --trail-arn <TRAIL_ARN> --start-time <YYYY-MM-DDTHH:MM:SSZ>',
      ].join('\n'),
      cloudformation: [
        'AuditTrail:',
        '  Type: AWS::CloudTrail::Trail',
        '  Properties:',
        '    IsLogging: true',
        '    IsMultiRegionTrail: true',
        '    EnableLogFileValidation: true',
        '    S3BucketName: !Ref AuditLogBucket',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudtrail" "audit" {',
        '  name                       = "audit"',
        '  s3_bucket_name             = aws_s3_bucket.audit_logs.id',
        '  is_multi_region_trail      = true',
        '  enable_log_file_validation = true',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-enabling.html',
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
      if (trail.logFileValidationEnabled === true) {
        yield { verdict: 'pass', resource, message: `Trail ${trail.name} has log file integrity validation enabled.` };
      } else if (trail.logFileValidationEnabled === false) {
        yield {
          verdict: 'fail',
          resource,
          message: `Trail ${trail.name} does not validate log file integrity: no digest files are delivered, so tampering with its logs cannot be detected.`,
          evidence: { logFileValidationEnabled: false },
          property: 'EnableLogFileValidation',
        };
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether trail ${trail.name} validates log files: ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['DescribeTrails', 'GetTrail'] }, 'the setting')}.`,
        };
      }
    }
  },
});
