import { defineRule, type RuleResult } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'sagemaker-inter-container-encryption',
    title: 'SageMaker training and processing jobs encrypt inter-container traffic',
    severity: 'low',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::TrainingJob', 'AWS::SageMaker::ProcessingJob'],
    description:
      'Training and processing jobs must have inter-container traffic encryption enabled. The setting only changes anything for distributed jobs (more than one instance), but the inventory does not record the instance count, so every job is judged; a single-instance job that fails can be suppressed or simply launched with the flag (it costs nothing there).',
    rationale:
      'In distributed training, gradients, parameters and data shards travel between instances. Model updates leak training data (gradient inversion), and the traffic is plain text unless the flag is on. Encrypting it is the transmission-security evidence for HIPAA 164.312(e)(2)(ii), NIST SC-8 and GDPR Art. 32(1)(a).',
    remediation: {
      console: [
        'Jobs cannot be changed after they are created: launch new training and processing jobs with the setting on.',
        'In the SageMaker AI console, Create training job, under Network, select "Enable inter-container traffic encryption".',
        'In the SageMaker Python SDK pass encrypt_inter_container_traffic=True to the Estimator or Processor (or NetworkConfig(encrypt_inter_container_traffic=True)).',
      ],
      cli: [
        'aws sagemaker create-training-job ... --enable-inter-container-traffic-encryption',
        'aws sagemaker create-processing-job ... --network-config \'{"EnableInterContainerTrafficEncryption":true,"EnableNetworkIsolation":true}\'',
      ].join('\n'),
      cloudformation: [
        '# Jobs are not CloudFormation resources; pipelines set the flag in the step definition:',
        'TrainingPipeline:',
        '  Type: AWS::SageMaker::Pipeline',
        '  Properties:',
        '    PipelineName: training',
        '    RoleArn: !GetAtt PipelineRole.Arn',
        '    PipelineDefinition:',
        '      PipelineDefinitionBody: !Sub |',
        '        {"Version":"2020-12-01","Steps":[{"Name":"Train","Type":"Training","Arguments":{',
        '          "EnableInterContainerTrafficEncryption":true,"EnableNetworkIsolation":true,',
        '          "AlgorithmSpecification":{"TrainingImage":"${TrainingImage}","TrainingInputMode":"File"},',
        '          "RoleArn":"${TrainingRole.Arn}","OutputDataConfig":{"S3OutputPath":"s3://${ArtifactBucket}/models/"},',
        '          "ResourceConfig":{"InstanceCount":2,"InstanceType":"ml.m5.xlarge","VolumeSizeInGB":50},',
        '          "StoppingCondition":{"MaxRuntimeInSeconds":86400}}}]}',
      ].join('\n'),
      terraform: [
        '# Jobs are not Terraform resources; in a SageMaker pipeline definition set the flag on the step:',
        'resource "aws_sagemaker_pipeline" "training" {',
        '  pipeline_name         = "training"',
        '  pipeline_display_name = "training"',
        '  role_arn              = aws_iam_role.pipeline.arn',
        '  pipeline_definition = jsonencode({',
        '    Version = "2020-12-01"',
        '    Steps = [{',
        '      Name = "Train", Type = "Training"',
        '      Arguments = {',
        '        EnableInterContainerTrafficEncryption = true',
        '        EnableNetworkIsolation                = true',
        '        # AlgorithmSpecification, RoleArn, OutputDataConfig, ResourceConfig, StoppingCondition ...',
        '      }',
        '    }]',
        '  })',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/train-encrypt.html',
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html#sagemaker-CreateTrainingJob-request-EnableInterContainerTrafficEncryption',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    const judge = (
      kind: string,
      type: string,
      operation: string,
      job: { arn: string; name: string; region: string; source?: RuleResult['resource']['source']; enableInterContainerTrafficEncryption?: boolean | undefined },
    ): RuleResult => {
      const resource = resourceRef(job.arn, type, job.region, job.name, job.source);
      if (job.enableInterContainerTrafficEncryption === true) {
        return { verdict: 'pass', resource, message: `${kind} ${job.name} encrypts traffic between its containers.` };
      }
      if (job.enableInterContainerTrafficEncryption === false) {
        return {
          verdict: 'fail',
          resource,
          message: `${kind} ${job.name} does not encrypt inter-container traffic: in a distributed run, data and model updates cross the network in plain text.`,
          evidence: { enableInterContainerTrafficEncryption: false },
          property: 'EnableInterContainerTrafficEncryption',
        };
      }
      return {
        verdict: 'unknown',
        resource,
        message: `Cannot tell whether ${kind.toLowerCase()} ${job.name} encrypts inter-container traffic: ${missingReason(context, 'sagemaker', { resource: job.arn, operations: [operation] }, 'the setting')}.`,
      };
    };
    for (const job of sagemaker.trainingJobs) yield judge('Training job', 'AWS::SageMaker::TrainingJob', 'DescribeTrainingJob', job);
    for (const job of sagemaker.processingJobs) yield judge('Processing job', 'AWS::SageMaker::ProcessingJob', 'DescribeProcessingJob', job);
  },
});
