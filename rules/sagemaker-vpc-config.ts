import { defineRule, type RuleResult } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'sagemaker-vpc-config',
    title: 'SageMaker training jobs, processing jobs and models run in a VPC',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::TrainingJob', 'AWS::SageMaker::ProcessingJob', 'AWS::SageMaker::Model'],
    description:
      'Training jobs, processing jobs and models must have a VPC configuration with at least one subnet, so that their containers reach S3, ECR and other services through the account\'s own network (VPC endpoints, security groups, flow logs). A job or model without a VPC configuration fails; one whose configuration was not collected is unknown.',
    rationale:
      'Without a VpcConfig, SageMaker runs the containers in a service-managed network with internet access the account cannot see, filter or log: training data and model artifacts can leave outside the boundary controls (endpoint policies, egress filtering, flow logs) the rest of the AI workload relies on. Running in a VPC is the boundary-protection evidence for NIST SC-7 and SOC 2 CC6.6, and keeps ePHI and personal data traffic on private paths (HIPAA 164.312(e)(1), GDPR Art. 32).',
    remediation: {
      console: [
        'Jobs and models cannot be changed after they are created: create new ones with a VPC.',
        'Training and processing jobs: in the SageMaker AI console, Create job, under Network, choose a VPC, private subnets and a security group; add VPC endpoints for S3 (gateway), sagemaker.api, sagemaker.runtime, ecr.api, ecr.dkr, logs and sts (or a NAT gateway).',
        'Models: create a new model with "VPC" set under Network (private subnets, security group), create an endpoint config for it and update the endpoint.',
        'In the SageMaker Python SDK pass subnets=[...] and security_group_ids=[...] to the Estimator, Processor or Model.',
      ],
      cli: [
        'aws sagemaker create-training-job ... --vpc-config SecurityGroupIds=sg-0123,Subnets=subnet-0aaa,subnet-0bbb',
        'aws sagemaker create-processing-job ... --network-config \'{"VpcConfig":{"SecurityGroupIds":["sg-0123"],"Subnets":["subnet-0aaa","subnet-0bbb"]}}\'',
        'aws sagemaker create-model ... --vpc-config SecurityGroupIds=sg-0123,Subnets=subnet-0aaa,subnet-0bbb',
      ].join('\n'),
      cloudformation: [
        'InferenceModel:',
        '  Type: AWS::SageMaker::Model',
        '  Properties:',
        '    ExecutionRoleArn: !GetAtt ModelRole.Arn',
        '    PrimaryContainer:',
        '      Image: !Ref InferenceImage',
        '      ModelDataUrl: !Sub s3://${ArtifactBucket}/models/model.tar.gz',
        '    VpcConfig:',
        '      Subnets: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]',
        '      SecurityGroupIds: [!Ref ModelSecurityGroup]',
        '# Jobs are not CloudFormation resources: set VpcConfig (training) or NetworkConfig.VpcConfig',
        '# (processing) in the step arguments of an AWS::SageMaker::Pipeline definition.',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_model" "inference" {',
        '  execution_role_arn = aws_iam_role.model.arn',
        '  primary_container {',
        '    image          = var.inference_image',
        '    model_data_url = "s3://${aws_s3_bucket.artifacts.bucket}/models/model.tar.gz"',
        '  }',
        '  vpc_config {',
        '    subnets            = aws_subnet.private[*].id',
        '    security_group_ids = [aws_security_group.model.id]',
        '  }',
        '}',
        '# Jobs are not Terraform resources: set VpcConfig in the steps of an aws_sagemaker_pipeline definition.',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/process-vpc.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html',
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
      item: {
        arn: string;
        name: string;
        region: string;
        source?: RuleResult['resource']['source'];
        vpcConfig?: { subnets: string[]; securityGroupIds: string[] } | null | undefined;
      },
    ): RuleResult => {
      const resource = resourceRef(item.arn, type, item.region, item.name, item.source);
      const config = item.vpcConfig;
      if (config && config.subnets.length > 0) {
        return {
          verdict: 'pass',
          resource,
          message: `${kind} ${item.name} runs in a VPC (subnets ${config.subnets.join(', ')}).`,
          evidence: { subnets: config.subnets, securityGroupIds: config.securityGroupIds },
        };
      }
      if (config === null || (config && config.subnets.length === 0)) {
        return {
          verdict: 'fail',
          resource,
          message: `${kind} ${item.name} has no VPC configuration${config ? ' with a subnet' : ''}: its containers run in a SageMaker-managed network outside the account's VPC controls.`,
          evidence: { vpcConfig: config ?? null },
          property: 'VpcConfig',
        };
      }
      return {
        verdict: 'unknown',
        resource,
        message: `Cannot tell whether ${kind.toLowerCase()} ${item.name} runs in a VPC: ${missingReason(context, 'sagemaker', { resource: item.arn, operations: [operation] }, 'its VPC configuration')}.`,
      };
    };
    for (const job of sagemaker.trainingJobs) yield judge('Training job', 'AWS::SageMaker::TrainingJob', 'DescribeTrainingJob', job);
    for (const job of sagemaker.processingJobs) yield judge('Processing job', 'AWS::SageMaker::ProcessingJob', 'DescribeProcessingJob', job);
    for (const model of sagemaker.models) yield judge('Model', 'AWS::SageMaker::Model', 'DescribeModel', model);
  },
});
