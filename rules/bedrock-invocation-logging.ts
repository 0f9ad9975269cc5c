import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'bedrock-invocation-logging',
    title: 'Bedrock model invocation logging is enabled in every Region',
    severity: 'medium',
    service: 'bedrock',
    resourceTypes: ['AWS::::Account'],
    description:
      'In each scanned Region, Amazon Bedrock model invocation logging must be configured with an S3 bucket or a CloudWatch Logs log group as destination and with text data delivery on, so that prompts and completions of every InvokeModel and Converse call are recorded. Invocation logging is a per-Region account setting: the verdict is given on a synthetic resource arn:<partition>:bedrock:<region>:<account>:model-invocation-logging. A Region whose setting was not read is unknown.',
    rationale:
      'CloudTrail records that a model was invoked, not what was asked or answered. Invocation logs are the only record of the prompts and outputs themselves: the evidence for investigating prompt injection, data leakage through a model, misuse or harmful output, and for the audit trail of automated decisions (HIPAA 164.312(b), NIST AU-2/AU-12, GDPR Art. 30). Treat the log destination as sensitive: it contains the data users sent to the model.',
    remediation: {
      console: [
        'Open the Amazon Bedrock console in the Region and choose Settings (bottom of the navigation pane).',
        'Turn on "Model invocation logging", select at least Text as data type, and choose S3 only, CloudWatch Logs only, or both as destination.',
        'For S3 pick a bucket with SSE-KMS and a bucket policy that lets bedrock.amazonaws.com write; for CloudWatch pick a log group and a service role Bedrock can assume. Save settings.',
        'Repeat in every Region where Bedrock is used.',
      ],
      cli: [
        'aws bedrock put-model-invocation-logging-configuration --region <REGION> --logging-config \\',
        '  \'{"textDataDeliveryEnabled":true,"imageDataDeliveryEnabled":true,"embeddingDataDeliveryEnabled":true,',
        '    "s3Config":{"bucketName":"<LOG_BUCKET>","keyPrefix":"bedrock/"},',
        '    "cloudWatchConfig":{"logGroupName":"/aws/bedrock/model-invocations","roleArn":"arn:aws:iam::<ACCOUNT_ID>:role/BedrockInvocationLogging"}}\'',
      ].join('\n'),
      cloudformation: [
        '# CloudFormation has no resource for this account setting; deploy it with a custom resource',
        '# (Lambda calling bedrock:PutModelInvocationLoggingConfiguration) or set it with the CLI / Terraform.',
        'InvocationLogGroup:',
        '  Type: AWS::Logs::LogGroup',
        '  Properties:',
        '    LogGroupName: /aws/bedrock/model-invocations',
        '    RetentionInDays: 365',
        '    KmsKeyId: !GetAtt LogKey.Arn',
      ].join('\n'),
      terraform: [
        'resource "aws_bedrock_model_invocation_logging_configuration" "this" {',
        '  logging_config {',
        '    text_data_delivery_enabled      = true',
        '    image_data_delivery_enabled     = true',
        '    embedding_data_delivery_enabled = true',
        '    s3_config {',
        '      bucket_name = aws_s3_bucket.bedrock_logs.id',
        '      key_prefix  = "bedrock/"',
        '    }',
        '    cloudwatch_config {',
        '      log_group_name = aws_cloudwatch_log_group.bedrock.name',
        '      role_arn       = aws_iam_role.bedrock_logging.arn',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html',
      'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_LoggingConfig.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    const entries = new Map((bedrock?.invocationLogging ?? []).map((e) => [e.region, e]));
    const regions = [...new Set([...context.inventory.regions, ...entries.keys()])].sort();
    if (!bedrock && regions.length === 0) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const { partition, accountId } = context.index;
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${partition}:bedrock:${region}:${accountId}:model-invocation-logging`,
        'AWS::::Account',
        region,
        `model invocation logging (${region})`,
      );
      const entry = entries.get(region);
      if (!entry) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether Bedrock invocation logging is on in ${region}: ${missingReason(context, 'bedrock', { region, operations: ['GetModelInvocationLoggingConfiguration'] }, 'the logging configuration')}.`,
        };
        continue;
      }
      const config = entry.config;
      if (config === null) {
        yield {
          verdict: 'fail',
          resource,
          message: `Bedrock model invocation logging is not configured in ${region}: prompts and completions are not recorded.`,
          evidence: { config: null },
          property: 'LoggingConfig',
        };
        continue;
      }
      const destinations = [
        ...(config.s3Config ? [`s3://${config.s3Config.bucketName}/${config.s3Config.keyPrefix ?? ''}`] : []),
        ...(config.cloudWatchConfig ? [`CloudWatch Logs ${config.cloudWatchConfig.logGroupName}`] : []),
      ];
      const evidence = {
        destinations,
        textDataDeliveryEnabled: config.textDataDeliveryEnabled ?? null,
        imageDataDeliveryEnabled: config.imageDataDeliveryEnabled ?? null,
        embeddingDataDeliveryEnabled: config.embeddingDataDeliveryEnabled ?? null,
        videoDataDeliveryEnabled: config.videoDataDeliveryEnabled ?? null,
      };
      const problems: string[] = [];
      if (destinations.length === 0 && config.s3Config !== undefined && config.cloudWatchConfig !== undefined) {
        problems.push('it has neither an S3 nor a CloudWatch Logs destination');
      }
      if (config.textDataDeliveryEnabled === false) problems.push('text data delivery is off, so prompts and completions are not logged');
      if (problems.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `Bedrock invocation logging in ${region} is incomplete: ${problems.join('; ')}.`,
          evidence,
          property: 'LoggingConfig',
        };
        continue;
      }
      const unread: string[] = [];
      if (destinations.length === 0) unread.push('its destinations');
      if (config.textDataDeliveryEnabled === undefined) unread.push('whether text data is delivered');
      if (unread.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Bedrock invocation logging is configured in ${region}, but ${unread.join(' and ')} ${unread.length > 1 ? 'were' : 'was'} not collected.`,
          evidence,
        };
        continue;
      }
      yield {
        verdict: 'pass',
        resource,
        message: `Bedrock invocation logging in ${region} delivers text data to ${destinations.join(' and ')}.`,
        evidence,
      };
    }
  },
});
