import { defineRule, type RuleResult } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { SAGEMAKER_JOB_DEFINITION_TYPES, combinedFlag, definitionSuffix, judgedThroughDefinition, sageMakerJobUnits, transformJobModel } from '../src/engine/sagemaker-jobs.js';

export default defineRule({
  meta: {
    id: 'sagemaker-network-isolation',
    title: 'SageMaker jobs, monitoring job definitions, models and notebooks are network isolated',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: [
      'AWS::SageMaker::TrainingJob',
      'AWS::SageMaker::ProcessingJob',
      'AWS::SageMaker::Model',
      'AWS::SageMaker::NotebookInstance',
      ...SAGEMAKER_JOB_DEFINITION_TYPES,
      'AWS::SageMaker::TransformJob',
    ],
    description:
      'Training jobs, processing jobs, hyperparameter tuning jobs (every training job definition), Model Monitor job definitions (data quality, model quality, model bias, model explainability), monitoring schedules that embed their job definition, and models must run with network isolation enabled (no outbound network access from the container). A batch transform job is judged by the model it runs; a monitoring schedule that runs a named job definition is not applicable (the definition is judged). Notebook instances must have direct internet access disabled and run in a VPC subnet.',
    rationale:
      'An isolated container cannot send training data or model weights anywhere, even if the algorithm image or a dependency is malicious (training-time exfiltration, supply-chain risk). Notebooks with direct internet access bypass the VPC controls (endpoints, egress filtering, flow logs) that the rest of the workload relies on.',
    remediation: {
      console: [
        'Training and processing jobs: when creating the job, under Network, enable "Network isolation" (and choose a VPC with private subnets and VPC endpoints for S3 and the SageMaker API).',
        'Models: create a new model version with "Enable network isolation" checked and update the endpoint config.',
        'Notebook instances: create the instance in a VPC subnet with "Direct internet access" set to Disable (the setting cannot be changed on an existing instance: recreate it).',
      ],
      cli: [
        'aws sagemaker create-training-job ... --enable-network-isolation --vpc-config SecurityGroupIds=sg-123,Subnets=subnet-123',
        'aws sagemaker create-model ... --enable-network-isolation',
        'aws sagemaker create-notebook-instance ... --subnet-id subnet-123 --security-group-ids sg-123 --direct-internet-access Disabled',
      ].join('\n'),
      cloudformation: [
        'InferenceModel:',
        '  Type: AWS::SageMaker::Model',
        '  Properties:',
        '    EnableNetworkIsolation: true',
        '    ExecutionRoleArn: !GetAtt ModelRole.Arn',
        'ResearchNotebook:',
        '  Type: AWS::SageMaker::NotebookInstance',
        '  Properties:',
        '    DirectInternetAccess: Disabled',
        '    SubnetId: !Ref PrivateSubnet',
        '    SecurityGroupIds: [!Ref NotebookSecurityGroup]',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_model" "inference" {',
        '  enable_network_isolation = true',
        '  execution_role_arn       = aws_iam_role.model.arn',
        '}',
        'resource "aws_sagemaker_notebook_instance" "research" {',
        '  direct_internet_access = "Disabled"',
        '  subnet_id              = aws_subnet.private.id',
        '  security_groups        = [aws_security_group.notebook.id]',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    const isolated = (
      kind: string,
      type: string,
      operation: string,
      item: { arn: string; name: string; region: string; source?: RuleResult['resource']['source']; enableNetworkIsolation?: boolean | undefined },
      which = '',
    ): RuleResult => {
      const resource = resourceRef(item.arn, type, item.region, item.name, item.source);
      if (item.enableNetworkIsolation === true) {
        return { verdict: 'pass', resource, message: `${kind} ${item.name} runs with network isolation enabled.` };
      }
      if (item.enableNetworkIsolation === false) {
        return {
          verdict: 'fail',
          resource,
          message: `${kind} ${item.name} runs without network isolation${which}: its containers can reach the network.`,
          evidence: { enableNetworkIsolation: false },
          property: 'EnableNetworkIsolation',
        };
      }
      return {
        verdict: 'unknown',
        resource,
        message: `Cannot tell whether ${kind.toLowerCase()} ${item.name} is network isolated: ${missingReason(context, 'sagemaker', { resource: item.arn, operations: [operation] }, 'the setting')}.`,
      };
    };
    for (const job of sagemaker.trainingJobs) yield isolated('Training job', 'AWS::SageMaker::TrainingJob', 'DescribeTrainingJob', job);
    for (const job of sagemaker.processingJobs) yield isolated('Processing job', 'AWS::SageMaker::ProcessingJob', 'DescribeProcessingJob', job);
    for (const model of sagemaker.models) yield isolated('Model', 'AWS::SageMaker::Model', 'DescribeModel', model);
    for (const unit of sageMakerJobUnits(context)) {
      const elsewhere = judgedThroughDefinition(unit);
      if (elsewhere) {
        yield elsewhere;
        continue;
      }
      const { value, off } = combinedFlag(unit, 'enableNetworkIsolation');
      yield isolated(unit.kind, unit.type, unit.operation, { ...unit.item, enableNetworkIsolation: value }, definitionSuffix(off));
    }
    for (const job of sagemaker.transformJobs ?? []) {
      const resource = resourceRef(job.arn, 'AWS::SageMaker::TransformJob', job.region, job.name, job.source);
      const { model, missing } = transformJobModel(context, job);
      if (!model) {
        const why = job.modelName === undefined ? missingReason(context, 'sagemaker', { resource: job.arn, operations: ['DescribeTransformJob'] }, 'the model it runs') : missing;
        yield { verdict: 'unknown', resource, message: `Cannot tell whether transform job ${job.name} is network isolated: ${why}.` };
      } else if (model.enableNetworkIsolation === true) {
        yield { verdict: 'pass', resource, message: `Transform job ${job.name} runs model ${model.name}, which has network isolation enabled.`, evidence: { model: model.arn } };
      } else if (model.enableNetworkIsolation === false) {
        yield {
          verdict: 'fail',
          resource,
          message: `Transform job ${job.name} runs model ${model.name}, which has no network isolation: its containers can reach the network while they read the batch input.`,
          evidence: { model: model.arn, enableNetworkIsolation: false },
          property: 'ModelName',
        };
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether transform job ${job.name} is network isolated: for its model ${model.name}, ${missingReason(context, 'sagemaker', { resource: model.arn, operations: ['DescribeModel'] }, 'the setting')}.`,
        };
      }
    }

    for (const notebook of sagemaker.notebookInstances) {
      const resource = resourceRef(notebook.arn, 'AWS::SageMaker::NotebookInstance', notebook.region, notebook.name, notebook.source);
      const evidence = { directInternetAccess: notebook.directInternetAccess ?? null, subnetId: notebook.subnetId ?? null };
      if (notebook.directInternetAccess === 'Enabled') {
        yield {
          verdict: 'fail',
          resource,
          message: `Notebook instance ${notebook.name} has direct internet access enabled${notebook.subnetId ? '' : ' and runs outside a VPC subnet'}.`,
          evidence,
          property: 'DirectInternetAccess',
        };
      } else if (notebook.directInternetAccess === 'Disabled' && notebook.subnetId === null) {
        // Disabled without a subnet cannot be created by SageMaker; an export that says so is inconsistent.
        yield { verdict: 'fail', resource, message: `Notebook instance ${notebook.name} is not attached to a VPC subnet.`, evidence, property: 'SubnetId' };
      } else if (notebook.directInternetAccess === 'Disabled' && notebook.subnetId) {
        yield { verdict: 'pass', resource, message: `Notebook instance ${notebook.name} has direct internet access disabled and runs in subnet ${notebook.subnetId}.`, evidence };
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot judge notebook instance ${notebook.name}: ${missingReason(context, 'sagemaker', { resource: notebook.arn, operations: ['DescribeNotebookInstance'] }, 'its network settings')}.`,
          evidence,
        };
      }
    }
  },
});
