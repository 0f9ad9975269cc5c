import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'sagemaker-endpoint-data-capture',
    title: 'SageMaker endpoint configurations capture inference data',
    severity: 'low',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::EndpointConfig'],
    description:
      'Each SageMaker endpoint configuration must have data capture enabled (DataCaptureConfig.EnableCapture), so that the requests and responses of the deployed model are recorded to S3. A configuration without data capture fails; one whose setting was not collected is unknown.',
    rationale:
      'Captured inference requests and responses are the record of what a deployed model was asked and what it answered: the input for Model Monitor (data and model quality drift, bias), for investigating a harmful or wrong output, and the audit evidence that the model behaves as approved (NIST AU-12 and SI-4, SOC 2 CC7.2, HIPAA 164.312(b) audit controls). Capture the data to a bucket encrypted with a customer managed key and restrict who can read it: it can hold personal data.',
    remediation: {
      console: [
        'Endpoint configurations cannot be changed: create a new one with data capture and switch the endpoint to it.',
        'In the SageMaker AI console, Inference, Endpoint configurations, Clone (or Create), and under "Data capture" enable it, choose the sampling percentage, the S3 location and a KMS key; Create.',
        'Open the endpoint, choose "Change" under Endpoint configuration settings, select the new configuration and Update endpoint.',
      ],
      cli: [
        'aws sagemaker create-endpoint-config --endpoint-config-name <NAME>-capture \\',
        '  --production-variants VariantName=AllTraffic,ModelName=<MODEL>,InstanceType=ml.m5.large,InitialInstanceCount=1 \\',
        '  --data-capture-config \'{"EnableCapture":true,"InitialSamplingPercentage":100,"DestinationS3Uri":"s3://<BUCKET>/capture/","KmsKeyId":"<KMS_KEY_ARN>","CaptureOptions":[{"CaptureMode":"Input"},{"CaptureMode":"Output"}]}\'',
        'aws sagemaker update-endpoint --endpoint-name <ENDPOINT> --endpoint-config-name <NAME>-capture',
      ].join('\n'),
      cloudformation: [
        'InferenceEndpointConfig:',
        '  Type: AWS::SageMaker::EndpointConfig',
        '  Properties:',
        '    KmsKeyId: !Ref EndpointKey',
        '    ProductionVariants:',
        '      - VariantName: AllTraffic',
        '        ModelName: !GetAtt InferenceModel.ModelName',
        '        InstanceType: ml.m5.large',
        '        InitialInstanceCount: 1',
        '        InitialVariantWeight: 1',
        '    DataCaptureConfig:',
        '      EnableCapture: true',
        '      InitialSamplingPercentage: 100',
        '      DestinationS3Uri: !Sub s3://${CaptureBucket}/capture/',
        '      KmsKeyId: !Ref CaptureKey',
        '      CaptureOptions:',
        '        - CaptureMode: Input',
        '        - CaptureMode: Output',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_endpoint_configuration" "inference" {',
        '  kms_key_arn = aws_kms_key.endpoint.arn',
        '  production_variants {',
        '    variant_name           = "AllTraffic"',
        '    model_name             = aws_sagemaker_model.inference.name',
        '    instance_type          = "ml.m5.large"',
        '    initial_instance_count = 1',
        '  }',
        '  data_capture_config {',
        '    enable_capture              = true',
        '    initial_sampling_percentage = 100',
        '    destination_s3_uri          = "s3://${aws_s3_bucket.capture.bucket}/capture/"',
        '    kms_key_id                  = aws_kms_key.capture.arn',
        '    capture_options { capture_mode = "Input" }',
        '    capture_options { capture_mode = "Output" }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html',
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DataCaptureConfig.html',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    for (const config of sagemaker.endpointConfigs) {
      const resource = resourceRef(config.arn, 'AWS::SageMaker::EndpointConfig', config.region, config.name, config.source);
      if (config.dataCaptureEnabled === true) {
        yield { verdict: 'pass', resource, message: `Endpoint configuration ${config.name} captures inference data.`, evidence: { dataCaptureEnabled: true } };
      } else if (config.dataCaptureEnabled === false) {
        yield {
          verdict: 'fail',
          resource,
          message: `Endpoint configuration ${config.name} does not capture inference data: the requests and responses of its models are not recorded.`,
          evidence: { dataCaptureEnabled: false },
          property: 'DataCaptureConfig',
        };
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether endpoint configuration ${config.name} captures inference data: ${missingReason(context, 'sagemaker', { resource: config.arn, operations: ['DescribeEndpointConfig'] }, 'the data capture setting')}.`,
        };
      }
    }
  },
});
