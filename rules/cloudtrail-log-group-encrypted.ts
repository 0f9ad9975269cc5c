import { defineRule } from '../src/engine/types.js';
import { judgeLogGroupEncryption, parseLogGroupArn, type LogGroupRef } from '../src/engine/log-groups.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'cloudtrail-log-group-encrypted',
    title: 'The CloudWatch Logs log groups that CloudTrail trails deliver to are encrypted with a customer managed KMS key',
    severity: 'medium',
    service: 'cloudtrail',
    resourceTypes: ['AWS::Logs::LogGroup'],
    description:
      'Each CloudWatch Logs log group that a trail delivers its events to (CloudWatchLogsLogGroupArn) must be encrypted with a KMS key (its kmsKeyId). A log group without a KMS key fails, and so does one whose key resolves to an AWS managed key or to a key that is disabled or pending deletion. A key that is not in the inventory passes with a note: CloudWatch Logs accepts only customer managed keys. Trails that share a log group give one verdict, naming them all. The log group\'s retention is reported in the evidence, not judged. A log group that is not in the inventory (CloudWatch Logs not collected, the Region\'s listing failed, another account, or not declared in the infrastructure code) is unknown, and so is a trail whose setting was not read. Trails without CloudWatch Logs delivery are not applicable (cloudtrail-cloudwatch-logs judges them).',
    rationale:
      'The copy of the trail in CloudWatch Logs holds the same record as the S3 log files: every model invocation, guardrail change, key use and IAM change, with request parameters. Encrypting the log files with a customer managed key (cloudtrail-kms-cmk) protects little if the same events sit in a log group readable by anyone allowed logs:GetLogEvents. With a customer managed key on the group, reading an event also takes kms:Decrypt under a key policy you control, and every use of the key is itself logged. This is the protection of audit information NIST AU-9 and SC-28 ask for, and the encryption at rest evidence for HIPAA 164.312(a)(2)(iv), GDPR Art. 32(1)(a) and SOC 2 CC6.1.',
    remediation: {
      console: [
        'Find the log group: CloudTrail console, Trails, choose the trail, CloudWatch Logs section (log group name).',
        'Create (or pick) a symmetric customer managed KMS key in the log group\'s Region whose key policy lets logs.<REGION>.amazonaws.com call kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe*, with a kms:EncryptionContext:aws:logs:arn condition on the log group ARN.',
        'The console cannot change a log group\'s key: associate it with the CLI (aws logs associate-kms-key) or in your CloudFormation or Terraform code. Only events ingested afterwards are encrypted with the key.',
      ],
      cli: [
        'aws logs associate-kms-key --region <REGION> --log-group-name <LOG_GROUP_NAME> \\',
        '  --kms-key-id arn:aws:kms:<REGION>:<ACCOUNT_ID>:key/<KEY_ID>',
      ].join('\n'),
      cloudformation: [
        'TrailLogGroup:',
        '  Type: AWS::Logs::LogGroup',
        '  Properties:',
        '    KmsKeyId: !GetAtt TrailLogKey.Arn # key policy grants logs.${AWS::Region}.amazonaws.com',
        '    RetentionInDays: 365',
        'AuditTrail:',
        '  Type: AWS::CloudTrail::Trail',
        '  Properties:',
        '    IsLogging: true',
        '    S3BucketName: !Ref AuditLogBucket',
        '    CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn',
        '    CloudWatchLogsRoleArn: !GetAtt TrailToLogsRole.Arn',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudwatch_log_group" "trail" {',
        '  name              = "aws-cloudtrail-logs"',
        '  kms_key_id        = aws_kms_key.trail_logs.arn # key policy grants logs.<region>.amazonaws.com',
        '  retention_in_days = 365',
        '}',
        'resource "aws_cloudtrail" "audit" {',
        '  name                       = "audit"',
        '  s3_bucket_name             = aws_s3_bucket.audit_logs.id',
        '  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"',
        '  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html',
    ],
  },

  *evaluate(context) {
    const section = context.inventory.cloudtrail;
    if (!section) {
      yield sectionUnknown(context, 'cloudtrail', 'The CloudTrail inventory');
      return;
    }
    const byGroup = new Map<string, { ref: LogGroupRef; trails: string[] }>();
    for (const trail of section.trails) {
      const reference = trail.cloudWatchLogsLogGroupArn;
      const resource = resourceRef(trail.arn, 'AWS::CloudTrail::Trail', trail.homeRegion, trail.name, trail.source);
      if (reference === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether trail ${trail.name} delivers to a CloudWatch Logs log group: ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['DescribeTrails', 'GetTrail'] }, 'the setting')}.`,
        };
        continue;
      }
      if (reference === null || reference === '') {
        yield {
          verdict: 'not_applicable',
          resource,
          message: `Trail ${trail.name} does not deliver to CloudWatch Logs, so there is no log group to judge (cloudtrail-cloudwatch-logs reports it).`,
        };
        continue;
      }
      const ref = parseLogGroupArn(reference);
      if (!ref) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Trail ${trail.name} names ${JSON.stringify(reference.slice(0, 300))} as its CloudWatch Logs log group, which is not a log group ARN, so its encryption cannot be judged.`,
          evidence: { cloudWatchLogsLogGroupArn: reference },
        };
        continue;
      }
      const entry = byGroup.get(ref.arn);
      if (entry) entry.trails.push(trail.name);
      else byGroup.set(ref.arn, { ref, trails: [trail.name] });
    }
    for (const arn of [...byGroup.keys()].sort()) {
      const { ref, trails } = byGroup.get(arn)!;
      trails.sort();
      const writers = trails.length === 1 ? `the events of trail ${trails[0]}` : `the events of trails ${trails.join(', ')}`;
      yield judgeLogGroupEncryption(context, ref, context.index.logGroup(arn), writers, `every API call the ${trails.length === 1 ? 'trail records' : 'trails record'}`, { trails });
    }
  },
});
