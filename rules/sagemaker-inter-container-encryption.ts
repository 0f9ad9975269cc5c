import { defineRule, type RuleResult } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { SAGEMAKER_JOB_DEFINITION_TYPES, combinedFlag, definitionSuffix, judgedThroughDefinition, sageMakerJobUnits } from '../src/engine/sagemaker-jobs.js';

export default defineRule({
  meta: {
    id: 'sagemaker-inter-container-encryption',
    title: 'SageMaker training, processing, tuning and monitoring jobs encrypt inter-container traffic',
    severity: 'low',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::TrainingJob', 'AWS::SageMaker::ProcessingJob', ...SAGEMAKER_JOB_DEFINITION_TYPES],
    description:
      'Training jobs, processing jobs, hyperparameter tuning jobs (every training job definition), Model Monitor job definitions (data quality, model quality, model bias, model explainability) and monitoring schedules that embed their job definition must have inter-container traffic encryption enabled; a schedule that runs a named job definition is not applicable (the definition is judged). Batch transform jobs have no such setting and are not judged. The setting only changes anything for distributed jobs (more than one instance), but the inventory does not record the instance count, so every job is judged; a single-instance job that fails can be suppressed or simply launched with the flag (it costs nothing there).',
    rationale:
      'In distributed training, gradients, parameters and data shards travel between instances. Model updates leak training data (gradient inversion), and the traffic is plain text unless the flag is on. Encrypting it is the transmission-security evidence for HIPAA 164.312(e)(2)(ii), NIST SC-8 and GDPR Art. 32(1)(a).',
    remediation: {
      console: [
        'Jobs cannot be changed after they are created: launch new training and processing jobs with the setting on.',
        'In the SageMaker AI console, Create training job, under Network, select "Enable inter-container traffic encryption".',
        'In the SageMaker Python SDK pass encrypt_inter_container_traffic=True to the Estimator or Processor (or NetworkConfig(encrypt_inter_container_traffic=True)).',
        'Hyperparameter tuning jobs take the flag from the Estimator they tune; Model Monitor job definitions and schedules from the NetworkConfig passed to the monitor (DefaultModelMonitor(network_config=NetworkConfig(encrypt_inter_container_traffic=True))). Job definitions cannot be updated: create a new one and point the schedule at it.',
      ],
      cli: [
        'aws sagemaker create-training-job ... --enable-inter-container-traffic-encryption',
        'aws sagemaker create-processing-job ... --network-config \'{"EnableInterContainerTrafficEncryption":true,"EnableNetworkIsolation":true}\'',
        'aws sagemaker create-data-quality-job-definition ... --network-config \'{"EnableInterContainerTrafficEncryption":true,"EnableNetworkIsolation":true}\'',
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
      which = '',
    ): RuleResult => {
      const resource = resourceRef(job.arn, type, job.region, job.name, job.source);
      if (job.enableInterContainerTrafficEncryption === true) {
        return { verdict: 'pass', resource, message: `${kind} ${job.name} encrypts traffic between its containers.` };
      }
      if (job.enableInterContainerTrafficEncryption === false) {
        return {
          verdict: 'fail',
          resource,
          message: `${kind} ${job.name} does not encrypt inter-container traffic${which}: in a distributed run, data and model updates cross the network in plain text.`,
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
    for (const unit of sageMakerJobUnits(context)) {
      const elsewhere = judgedThroughDefinition(unit);
      if (elsewhere) {
        yield elsewhere;
        continue;
      }
      const { value, off } = combinedFlag(unit, 'enableInterContainerTrafficEncryption');
      yield judge(unit.kind, unit.type, unit.operation, { ...unit.item, enableInterContainerTrafficEncryption: value }, definitionSuffix(off));
    }
  },
});
