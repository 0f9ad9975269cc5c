import { defineRule, type RuleResult } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { describePublicSubnet, describeUncheckedSubnets, subnetPrivacy } from '../src/engine/subnets.js';
import { SAGEMAKER_JOB_DEFINITION_TYPES, combinedVpc, judgedThroughDefinition, sageMakerJobUnits, transformJobModel } from '../src/engine/sagemaker-jobs.js';

export default defineRule({
  meta: {
    id: 'sagemaker-vpc-config',
    title: 'SageMaker jobs, monitoring job definitions, models, notebooks and domains run in a VPC on private subnets',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: [
      'AWS::SageMaker::TrainingJob',
      'AWS::SageMaker::ProcessingJob',
      'AWS::SageMaker::Model',
      'AWS::SageMaker::NotebookInstance',
      'AWS::SageMaker::Domain',
      ...SAGEMAKER_JOB_DEFINITION_TYPES,
      'AWS::SageMaker::TransformJob',
    ],
    description:
      "Training jobs, processing jobs, hyperparameter tuning jobs (every training job definition), Model Monitor job definitions and the monitoring schedules that embed theirs, models, notebook instances and Studio domains must have a VPC configuration with at least one subnet, so that their containers reach S3, ECR and other services through the account's own network (VPC endpoints, security groups, flow logs), and none of those subnets may be public: a subnet whose route table (its explicit association, else the VPC's main table) sends 0.0.0.0/0 or ::/0 to an internet gateway fails the resource. A resource without a VPC configuration fails; one whose configuration was not collected is unknown. A batch transform job is judged by the VPC configuration of the model it runs; a monitoring schedule that runs a named job definition is not applicable (the definition is judged). When the subnets' privacy cannot be told (subnets not collected, as in older snapshots; a subnet not in the inventory; route tables not read or not resolvable from infrastructure code), the VPC verdict stands and the message says that privacy could not be checked: running in a VPC is evidenced either way, and a missing subnet inventory must not turn that evidence into unknown.",
    rationale:
      'Without a VpcConfig, SageMaker runs the containers in a service-managed network with internet access the account cannot see, filter or log: training data and model artifacts can leave outside the boundary controls (endpoint policies, egress filtering, flow logs) the rest of the AI workload relies on. A VPC configuration on a public subnet puts the workload next to internet-facing resources and makes direct internet egress one route away; private subnets with VPC endpoints (or a NAT gateway) keep the egress path deliberate. Running in a VPC on private subnets is the boundary-protection evidence for NIST SC-7 and SOC 2 CC6.6, and keeps ePHI and personal data traffic on private paths (HIPAA 164.312(e)(1), GDPR Art. 32).',
    remediation: {
      console: [
        'Jobs and models cannot be changed after they are created: create new ones with a VPC and private subnets (subnets whose route table has no 0.0.0.0/0 or ::/0 route to an internet gateway).',
        'A public subnet: in the VPC console, Route tables, give the subnet a route table whose default route goes to a NAT gateway (or none, with VPC endpoints for S3, ECR, CloudWatch Logs and STS), or choose other subnets for the workload.',
        'Notebook instances and domains: the subnet is chosen at creation; create the notebook instance (or domain) again with a private subnet.',
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
      'https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html',
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
      property: string,
      item: { arn: string; name: string; region: string; source?: RuleResult['resource']['source'] },
      /** undefined: not collected; null: no VPC configuration. */
      subnets: readonly string[] | null | undefined,
      securityGroupIds?: readonly string[],
    ): RuleResult => {
      const resource = resourceRef(item.arn, type, item.region, item.name, item.source);
      if (subnets && subnets.length > 0) {
        const privacy = subnetPrivacy(context, subnets, item.region);
        const evidence = {
          subnets,
          ...(securityGroupIds ? { securityGroupIds } : {}),
          publicSubnets: privacy.publicSubnets.map((s) => ({ id: s.id, routeTableId: s.routeTableId ?? null, internetRoute: s.internetRoute ?? null })),
          privateSubnets: privacy.privateSubnets.map((s) => s.id),
          uncheckedSubnets: privacy.unchecked,
        };
        if (privacy.publicSubnets.length) {
          return {
            verdict: 'fail',
            resource,
            message: `${kind} ${item.name} runs in a public subnet: ${privacy.publicSubnets.map(describePublicSubnet).join('; ')}. Its network interfaces share a subnet with internet-facing resources; use private subnets (egress through a NAT gateway or VPC endpoints).`,
            evidence,
            property,
          };
        }
        if (privacy.unchecked.length === 0) {
          return {
            verdict: 'pass',
            resource,
            message: `${kind} ${item.name} runs in a VPC on private subnets (${subnets.join(', ')}: no route to an internet gateway).`,
            evidence,
          };
        }
        const privateIds = privacy.privateSubnets.map((s) => s.id);
        return {
          verdict: 'pass',
          resource,
          message: `${kind} ${item.name} runs in a VPC (subnets ${subnets.join(', ')})${privateIds.length ? `; ${privateIds.join(', ')} ${privateIds.length === 1 ? 'has' : 'have'} no route to an internet gateway` : ''}. Whether ${describeUncheckedSubnets(privacy.unchecked)}.`,
          evidence,
        };
      }
      if (subnets === null || (subnets && subnets.length === 0)) {
        return {
          verdict: 'fail',
          resource,
          message: `${kind} ${item.name} has no VPC configuration${subnets ? ' with a subnet' : ''}: it runs in a SageMaker-managed network outside the account's VPC controls.`,
          evidence: { vpcConfig: subnets ? { subnets, securityGroupIds: securityGroupIds ?? [] } : null },
          property,
        };
      }
      return {
        verdict: 'unknown',
        resource,
        message: `Cannot tell whether ${kind.toLowerCase()} ${item.name} runs in a VPC: ${missingReason(context, 'sagemaker', { resource: item.arn, operations: [operation] }, 'its VPC configuration')}.`,
      };
    };
    const vpc = (config: { subnets: string[]; securityGroupIds: string[] } | null | undefined) => (config === undefined ? undefined : config === null ? null : config.subnets);
    for (const job of sagemaker.trainingJobs) {
      yield judge('Training job', 'AWS::SageMaker::TrainingJob', 'DescribeTrainingJob', 'VpcConfig', job, vpc(job.vpcConfig), job.vpcConfig?.securityGroupIds);
    }
    for (const job of sagemaker.processingJobs) {
      yield judge('Processing job', 'AWS::SageMaker::ProcessingJob', 'DescribeProcessingJob', 'VpcConfig', job, vpc(job.vpcConfig), job.vpcConfig?.securityGroupIds);
    }
    for (const model of sagemaker.models) {
      yield judge('Model', 'AWS::SageMaker::Model', 'DescribeModel', 'VpcConfig', model, vpc(model.vpcConfig), model.vpcConfig?.securityGroupIds);
    }
    for (const notebook of sagemaker.notebookInstances) {
      const subnets = notebook.subnetId === undefined ? undefined : notebook.subnetId === null ? null : [notebook.subnetId];
      yield judge('Notebook instance', 'AWS::SageMaker::NotebookInstance', 'DescribeNotebookInstance', 'SubnetId', notebook, subnets, notebook.securityGroups);
    }
    for (const domain of sagemaker.domains) {
      yield judge('Domain', 'AWS::SageMaker::Domain', 'DescribeDomain', 'SubnetIds', domain, domain.subnetIds);
    }
    for (const unit of sageMakerJobUnits(context)) {
      const elsewhere = judgedThroughDefinition(unit);
      if (elsewhere) {
        yield elsewhere;
        continue;
      }
      const config = combinedVpc(unit);
      const property = unit.type === 'AWS::SageMaker::HyperParameterTuningJob' ? 'TrainingJobDefinition.VpcConfig' : 'NetworkConfig.VpcConfig';
      yield judge(unit.kind, unit.type, unit.operation, property, unit.item, vpc(config), config?.securityGroupIds);
    }
    for (const job of sagemaker.transformJobs ?? []) {
      const { model, missing } = transformJobModel(context, job);
      if (!model) {
        const why = job.modelName === undefined ? missingReason(context, 'sagemaker', { resource: job.arn, operations: ['DescribeTransformJob'] }, 'the model it runs') : missing;
        yield {
          verdict: 'unknown',
          resource: resourceRef(job.arn, 'AWS::SageMaker::TransformJob', job.region, job.name, job.source),
          message: `Cannot tell whether transform job ${job.name} runs in a VPC: ${why}.`,
        };
        continue;
      }
      // The model's VPC configuration is the job's: judged on the model, reported on the job.
      const verdict = judge('Model', 'AWS::SageMaker::Model', 'DescribeModel', 'VpcConfig', model, vpc(model.vpcConfig), model.vpcConfig?.securityGroupIds);
      yield {
        ...verdict,
        resource: resourceRef(job.arn, 'AWS::SageMaker::TransformJob', job.region, job.name, job.source),
        message: `Transform job ${job.name} runs model ${model.name}. ${verdict.message}`,
        ...(verdict.verdict === 'fail' ? { property: 'ModelName' } : {}),
      };
    }
  },
});
