import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'cloudtrail-cloudwatch-logs',
    title: 'CloudTrail trails deliver events to CloudWatch Logs',
    severity: 'low',
    service: 'cloudtrail',
    resourceTypes: ['AWS::CloudTrail::Trail'],
    description:
      'Each trail must send its events to a CloudWatch Logs log group (CloudWatchLogsLogGroupArn, with a role CloudTrail assumes to write to it), so that metric filters and alarms can act on them as they arrive. A trail without a log group fails; one whose settings were not read is unknown.',
    rationale:
      'Log files in S3 are evidence after the fact; alerting on what matters for an AI workload (guardrail deleted or weakened, invocation logging turned off, key policy changed, root sign-in, access denied bursts) needs the events in CloudWatch Logs, where metric filters and alarms evaluate them within minutes. This is the audit review and monitoring that NIST AU-6 and SI-4, HIPAA 164.312(b) and 164.308(a)(1)(ii)(D) and SOC 2 CC7.2 ask for.',
    remediation: {
      console: [
        'Open the CloudTrail console, Trails, and choose the trail.',
        'Under CloudWatch Logs choose Edit, select Enabled, choose a new or existing log group and an IAM role that CloudTrail assumes to write to it (the console can create both), and Save changes.',
        'Create metric filters and alarms on the log group for the events you need to act on.',
      ],
      cli: [
        'aws logs create-log-group --log-group-name aws-cloudtrail-logs',
        'aws cloudtrail update-trail --name <TRAIL> \\',
        '  --cloud-watch-logs-log-group-arn arn:aws:logs:<REGION>:<ACCOUNT_ID>:log-group:aws-cloudtrail-logs:* \\',
        '  --cloud-watch-logs-role-arn arn:aws:iam::<ACCOUNT_ID>:role/CloudTrailToCloudWatchLogs',
      ].join('\n'),
      cloudformation: [
        'TrailLogGroup:',
        '  Type: AWS::Logs::LogGroup',
        '  Properties:',
        '    RetentionInDays: 365',
        'AuditTrail:',
        '  Type: AWS::CloudTrail::Trail',
        '  Properties:',
        '    IsLogging: true',
        '    IsMultiRegionTrail: true',
        '    S3BucketName: !Ref AuditLogBucket',
        '    CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn',
        '    CloudWatchLogsRoleArn: !GetAtt TrailToLogsRole.Arn # allows logs:CreateLogStream and logs:PutLogEvents',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudwatch_log_group" "trail" {',
        '  name              = "aws-cloudtrail-logs"',
        '  retention_in_days = 365',
        '}',
        'resource "aws_cloudtrail" "audit" {',
        '  name                       = "audit"',
        '  s3_bucket_name             = aws_s3_bucket.audit_logs.id',
        '  is_multi_region_trail      = true',
        '  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"',
        '  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-5',
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
      const logGroup = trail.cloudWatchLogsLogGroupArn;
      if (typeof logGroup === 'string' && logGroup !== '') {
        yield {
          verdict: 'pass',
          resource,
          message: `Trail ${trail.name} delivers its events to CloudWatch Logs (${logGroup}).`,
          evidence: { cloudWatchLogsLogGroupArn: logGroup },
        };
      } else if (logGroup === null || logGroup === '') {
        yield {
          verdict: 'fail',
          resource,
          message: `Trail ${trail.name} does not deliver to CloudWatch Logs: no metric filter or alarm can act on its events as they arrive.`,
          evidence: { cloudWatchLogsLogGroupArn: null },
          property: 'CloudWatchLogsLogGroupArn',
        };
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether trail ${trail.name} delivers to CloudWatch Logs: ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['DescribeTrails', 'GetTrail'] }, 'the setting')}.`,
        };
      }
    }
  },
});
