import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'config-recorder-enabled',
    title: 'AWS Config records all supported resource types in every Region',
    severity: 'medium',
    service: 'config',
    resourceTypes: ['AWS::Config::ConfigurationRecorder'],
    description:
      'In each scanned Region a configuration recorder must be recording, with a recording group of all supported resource types (allSupported, as CIS AWS Foundations requires). No recorder or a stopped recorder fails; a recorder limited to selected resource types fails, because SageMaker and Bedrock resources are easily left out of such lists. The verdict is given per Region on the synthetic resource arn:<partition>:config:<region>:<account>:configuration-recorder; a Region whose recorders or recording status could not be read is unknown.',
    rationale:
      'AWS Config is the configuration history of every resource: who changed a bucket policy, a notebook\'s network settings or an endpoint\'s encryption, and when. It is the evidence behind change management and continuous monitoring (NIST CM-8/CA-7, SOC 2 CC7.1/CC8.1) and what investigators use to reconstruct the state of an AI workload at the time of an incident. Security Hub controls depend on it too.',
    remediation: {
      console: [
        'Open the AWS Config console in the Region and choose Settings (or Get started).',
        'Under Recording strategy choose "All resource types with customizable overrides", include global resources in one Region, choose the service-linked role and an S3 delivery bucket.',
        'Make sure Recording is on (choose Start recording if it is stopped).',
      ],
      cli: [
        'aws configservice put-configuration-recorder --region <REGION> --configuration-recorder \\',
        '  name=default,roleARN=arn:aws:iam::<ACCOUNT_ID>:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig \\',
        '  --recording-group allSupported=true,includeGlobalResourceTypes=true',
        'aws configservice put-delivery-channel --region <REGION> --delivery-channel name=default,s3BucketName=<CONFIG_BUCKET>',
        'aws configservice start-configuration-recorder --region <REGION> --configuration-recorder-name default',
      ].join('\n'),
      cloudformation: [
        'ConfigRecorder:',
        '  Type: AWS::Config::ConfigurationRecorder',
        '  Properties:',
        '    Name: default',
        "    RoleARN: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig'",
        '    RecordingGroup:',
        '      AllSupported: true',
        '      IncludeGlobalResourceTypes: true',
        'ConfigDeliveryChannel:',
        '  Type: AWS::Config::DeliveryChannel',
        '  Properties:',
        '    S3BucketName: !Ref ConfigBucket',
      ].join('\n'),
      terraform: [
        'resource "aws_config_configuration_recorder" "default" {',
        '  name     = "default"',
        '  role_arn = aws_iam_service_linked_role.config.arn',
        '  recording_group {',
        '    all_supported                 = true',
        '    include_global_resource_types = true',
        '  }',
        '}',
        'resource "aws_config_delivery_channel" "default" {',
        '  name           = "default"',
        '  s3_bucket_name = aws_s3_bucket.config.id',
        '  depends_on     = [aws_config_configuration_recorder.default]',
        '}',
        'resource "aws_config_configuration_recorder_status" "default" {',
        '  name       = aws_config_configuration_recorder.default.name',
        '  is_enabled = true',
        '  depends_on = [aws_config_delivery_channel.default]',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html',
      'https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1',
    ],
  },

  *evaluate(context) {
    const list = context.inventory.detective?.config;
    const entries = new Map((list ?? []).map((e) => [e.region, e]));
    const regions = [...new Set([...context.inventory.regions, ...entries.keys()])].sort();
    if (regions.length === 0) {
      if (!list) yield sectionUnknown(context, 'config', 'The AWS Config status');
      return;
    }
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${context.index.partition}:config:${region}:${context.index.accountId}:configuration-recorder`,
        'AWS::Config::ConfigurationRecorder',
        region,
        `AWS Config (${region})`,
      );
      const entry = entries.get(region);
      if (!entry) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether AWS Config records in ${region}: ${missingReason(context, 'config', { region, operations: ['DescribeConfigurationRecorders'] }, 'the recorder configuration')}.`,
        };
        continue;
      }
      const recorders = entry.recorders;
      const evidence = { recorders };
      if (recorders.length === 0) {
        yield { verdict: 'fail', resource, message: `AWS Config has no configuration recorder in ${region}.`, evidence };
        continue;
      }
      const recording = recorders.filter((r) => r.recording === true);
      const complete = recording.filter((r) => r.allSupported === true);
      if (complete.length) {
        yield {
          verdict: 'pass',
          resource,
          message: `AWS Config recorder ${complete.map((r) => r.name).join(', ')} records all supported resource types in ${region}.`,
          evidence,
        };
      } else if (recording.some((r) => r.allSupported === undefined)) {
        yield {
          verdict: 'unknown',
          resource,
          message: `AWS Config recorder ${recording.map((r) => r.name).join(', ')} is recording in ${region}, but its recording group was not collected.`,
          evidence,
        };
      } else if (recording.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `AWS Config recorder ${recording.map((r) => r.name).join(', ')} in ${region} does not record all supported resource types (it records a chosen list, or all but excluded types); SageMaker and Bedrock resources may go unrecorded.`,
          evidence,
          property: 'RecordingGroup',
        };
      } else if (recorders.some((r) => r.recording === undefined)) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether AWS Config records in ${region}: ${missingReason(context, 'config', { region, operations: ['DescribeConfigurationRecorderStatus'] }, 'the recording status')}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: `AWS Config recorder ${recorders.map((r) => r.name).join(', ')} in ${region} is stopped: configuration changes are not recorded.`,
          evidence,
        };
      }
    }
  },
});
