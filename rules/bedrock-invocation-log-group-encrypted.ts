import { defineRule } from '../src/engine/types.js';
import { judgeLogGroupEncryption, logGroupRefOf } from '../src/engine/log-groups.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'bedrock-invocation-log-group-encrypted',
    title: 'The CloudWatch Logs destination of Bedrock invocation logging is encrypted with a customer managed KMS key',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::Logs::LogGroup'],
    description:
      'The CloudWatch Logs log group that Amazon Bedrock model invocation logging writes to (cloudWatchConfig.logGroupName, in each Region) must be encrypted with a KMS key (its kmsKeyId). A log group without a KMS key fails, and so does one whose key resolves to an AWS managed key or to a key that is disabled or pending deletion. A key that is not in the inventory passes with a note: CloudWatch Logs accepts only customer managed keys. The log group\'s retention is reported in the evidence, not judged. A log group that is not in the inventory (CloudWatch Logs not collected, the Region\'s listing failed, or it is not declared in the infrastructure code) is unknown. Regions whose invocation logging has no CloudWatch Logs destination are not applicable (bedrock-invocation-logging judges whether logging is on).',
    rationale:
      'Invocation logs hold the prompts and completions themselves: patient questions, personal data, proprietary documents passed as context. In CloudWatch Logs they are readable by anyone allowed logs:GetLogEvents or Logs Insights queries on the group, often granted broadly for operations. With a customer managed key, reading an event also takes kms:Decrypt under a key policy you control, every use of the key is recorded in CloudTrail, and disabling the key cuts off access. This is the protection of audit information (NIST AU-9), encryption at rest (NIST SC-28, HIPAA 164.312(a)(2)(iv), GDPR Art. 32(1)(a)) and confidentiality (GDPR Art. 5(1)(f), SOC 2 CC6.1).',
    remediation: {
      console: [
        'Find the log group: Amazon Bedrock console, Settings, Model invocation logging, CloudWatch Logs log group name (in every Region where it is on).',
        'Create (or pick) a symmetric customer managed KMS key in the same Region whose key policy lets logs.<REGION>.amazonaws.com call kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe*, with a kms:EncryptionContext:aws:logs:arn condition on the log group ARN.',
        'The console cannot change a log group\'s key: associate it with the CLI (aws logs associate-kms-key) or in your CloudFormation or Terraform code. Only events ingested afterwards are encrypted with the key.',
        'While there, set a retention period on the log group (Actions, Edit retention setting) that matches your audit retention policy.',
      ],
      cli: [
        'aws logs associate-kms-key --region <REGION> --log-group-name <LOG_GROUP_NAME> \\',
        '  --kms-key-id arn:aws:kms:<REGION>:<ACCOUNT_ID>:key/<KEY_ID>',
        'aws logs put-retention-policy --region <REGION> --log-group-name <LOG_GROUP_NAME> --retention-in-days 365',
      ].join('\n'),
      cloudformation: [
        'InvocationLogGroup:',
        '  Type: AWS::Logs::LogGroup',
        '  Properties:',
        '    LogGroupName: /aws/bedrock/model-invocations',
        '    KmsKeyId: !GetAtt InvocationLogKey.Arn # key policy grants logs.${AWS::Region}.amazonaws.com',
        '    RetentionInDays: 365',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudwatch_log_group" "bedrock_invocations" {',
        '  name              = "/aws/bedrock/model-invocations"',
        '  kms_key_id        = aws_kms_key.bedrock_logs.arn # key policy grants logs.<region>.amazonaws.com',
        '  retention_in_days = 365',
        '}',
        'resource "aws_bedrock_model_invocation_logging_configuration" "main" {',
        '  logging_config {',
        '    text_data_delivery_enabled = true',
        '    cloudwatch_config {',
        '      log_group_name = aws_cloudwatch_log_group.bedrock_invocations.name',
        '      role_arn       = aws_iam_role.bedrock_logging.arn',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html',
    ],
  },

  *evaluate(context) {
    const { bedrock } = context.inventory;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const { partition, accountId } = context.index;
    const entries = [...bedrock.invocationLogging].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
    for (const entry of entries) {
      const resource = resourceRef(`arn:${partition}:bedrock:${entry.region}:${accountId}:model-invocation-logging`, 'AWS::::Account', entry.region, `model invocation logging (${entry.region})`);
      if (entry.config && entry.config.cloudWatchConfig === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether Bedrock invocation logging in ${entry.region} writes to CloudWatch Logs: ${missingReason(context, 'bedrock', { region: entry.region, operations: ['GetModelInvocationLoggingConfiguration'] }, 'its CloudWatch Logs destination')}.`,
        };
        continue;
      }
      const name = entry.config?.cloudWatchConfig?.logGroupName;
      if (!name) {
        yield {
          verdict: 'not_applicable',
          resource,
          message:
            entry.config === null
              ? `Bedrock invocation logging is not configured in ${entry.region}, so there is no CloudWatch Logs destination to judge (bedrock-invocation-logging reports it).`
              : `Bedrock invocation logging in ${entry.region} has no CloudWatch Logs destination.`,
        };
        continue;
      }
      const ref = logGroupRefOf(context, entry.region, name);
      yield judgeLogGroupEncryption(context, ref, context.index.logGroup(ref.arn), `Bedrock invocation logging in ${entry.region}`, 'prompts and completions', {
        invocationLoggingRegion: entry.region,
      });
    }
  },
});
