import { defineRule, type RuleContext, type RuleResult } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import type { SourceLocation } from '../src/inventory/schema.js';
import { SAGEMAKER_JOB_DEFINITION_TYPES, judgedThroughDefinition, sageMakerJobUnits } from '../src/engine/sagemaker-jobs.js';

/** Keys that can no longer encrypt: a resource pointing at one is broken, not compliant. */
const UNUSABLE_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'Unavailable']);

interface KeySetting {
  /** What the key protects, for messages: "the ML storage volume". */
  what: string;
  /** CloudFormation / API property, for IaC locations. */
  property: string;
  value: string | null | undefined;
  /** Volume keys of jobs: instance types with NVMe instance storage cannot take one (not visible in the inventory). */
  localStorageNote?: boolean;
}

type KeyOutcome =
  | { verdict: 'pass'; text: string }
  | { verdict: 'fail'; text: string; property: string }
  | { verdict: 'unknown'; text: string };

export default defineRule({
  meta: {
    id: 'sagemaker-kms-encryption',
    title: 'SageMaker notebooks, jobs, monitoring job definitions, endpoints and domains encrypt with a customer managed KMS key',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: [
      'AWS::SageMaker::NotebookInstance',
      'AWS::SageMaker::TrainingJob',
      'AWS::SageMaker::ProcessingJob',
      'AWS::SageMaker::EndpointConfig',
      'AWS::SageMaker::Domain',
      ...SAGEMAKER_JOB_DEFINITION_TYPES,
      'AWS::SageMaker::TransformJob',
    ],
    description:
      'Notebook instances (KmsKeyId: the ML storage volume), training, processing, hyperparameter tuning (every training job definition) and batch transform jobs, Model Monitor job definitions and the monitoring schedules that embed theirs (VolumeKmsKeyId for the ML volumes and the KMS key of the output configuration for what is written to S3; a schedule that runs a named job definition is not applicable, the definition is judged), endpoint configurations (KmsKeyId: the ML storage volume of hosting instances) and domains (KmsKeyId: the Studio EFS volume) must name a KMS key that is customer managed. No key configured fails; a key that resolves in the KMS inventory to an AWS managed key (alias/aws/...) fails; a key in another account passes (AWS managed keys cannot be used across accounts); a key of this account that is not in the inventory is unknown. Endpoint configurations with no key and a production variant on an instance type with NVMe instance storage are not applicable: those volumes are hardware-encrypted and SageMaker rejects a KmsKeyId for the whole configuration. The same holds for the volume key of jobs on such instance types, but the inventory does not record a job\'s instance type: a job without a volume key fails, with a note in the message, and can be suppressed if it ran on such an instance.',
    rationale:
      'Notebook volumes, training volumes, model artifacts and Studio home directories hold copies of the training data and the trained weights. Without a customer managed key they are encrypted with keys you do not control: you cannot restrict or audit who decrypts, nor revoke access by disabling the key. Customer managed keys are the encryption-at-rest evidence of HIPAA 164.312(a)(2)(iv), NIST SC-28/SC-12 and GDPR Art. 32(1)(a).',
    remediation: {
      console: [
        'Create a symmetric customer managed key in KMS with rotation on, and allow the SageMaker execution role to use it (kms:CreateGrant, kms:Decrypt, kms:GenerateDataKey, kms:DescribeKey).',
        'Notebook instances, endpoint configurations and domains cannot change their key: create a new one with "Encryption key" set to your key, move the workload, delete the old one.',
        'Training and processing jobs: set the volume encryption key and the output encryption key when creating the job (SageMaker Python SDK: volume_kms_key and output_kms_key).',
        'Hyperparameter tuning and batch transform jobs: set the same two keys (the tuned Estimator\'s volume_kms_key and output_kms_key; a Transformer\'s volume_kms_key and output_kms_key). Model Monitor job definitions: pass volume_kms_key and output_kms_key to the monitor; definitions cannot be updated, so create a new one and point the schedule at it.',
      ],
      cli: [
        'aws sagemaker create-notebook-instance --notebook-instance-name <NAME> --instance-type ml.t3.medium --role-arn <ROLE_ARN> --kms-key-id <KEY_ARN>',
        'aws sagemaker create-training-job ... --resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50,VolumeKmsKeyId=<KEY_ARN> \\',
        '  --output-data-config S3OutputPath=s3://<BUCKET>/models/,KmsKeyId=<KEY_ARN>',
        'aws sagemaker create-endpoint-config --endpoint-config-name <NAME> --kms-key-id <KEY_ARN> --production-variants ...',
      ].join('\n'),
      cloudformation: [
        'ResearchNotebook:',
        '  Type: AWS::SageMaker::NotebookInstance',
        '  Properties:',
        '    InstanceType: ml.t3.medium',
        '    RoleArn: !GetAtt NotebookRole.Arn',
        '    KmsKeyId: !Ref MlKey',
        'InferenceConfig:',
        '  Type: AWS::SageMaker::EndpointConfig',
        '  Properties:',
        '    KmsKeyId: !Ref MlKey',
        '    ProductionVariants:',
        '      - VariantName: primary',
        '        ModelName: !GetAtt InferenceModel.ModelName',
        '        InstanceType: ml.m5.large',
        '        InitialInstanceCount: 1',
        'StudioDomain:',
        '  Type: AWS::SageMaker::Domain',
        '  Properties:',
        '    KmsKeyId: !Ref MlKey',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_notebook_instance" "research" {',
        '  name          = "research"',
        '  instance_type = "ml.t3.medium"',
        '  role_arn      = aws_iam_role.notebook.arn',
        '  kms_key_id    = aws_kms_key.ml.arn',
        '}',
        'resource "aws_sagemaker_endpoint_configuration" "inference" {',
        '  kms_key_arn = aws_kms_key.ml.arn',
        '  production_variants {',
        '    variant_name           = "primary"',
        '    model_name             = aws_sagemaker_model.inference.name',
        '    instance_type          = "ml.m5.large"',
        '    initial_instance_count = 1',
        '  }',
        '}',
        'resource "aws_sagemaker_domain" "studio" {',
        '  kms_key_id = aws_kms_key.ml.arn',
        '  # domain_name, auth_mode, vpc_id, subnet_ids, default_user_settings ...',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html',
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    type Item = { arn: string; name: string; region: string; source?: SourceLocation | undefined };
    const judge = (kind: string, type: string, operation: string, item: Item, settings: KeySetting[]): RuleResult => {
      const resource = resourceRef(item.arn, type, item.region, item.name, item.source);
      const evidence: Record<string, string | null> = {};
      for (const s of settings) evidence[s.property] = s.value ?? null;
      // Once per job, notebook or endpoint: plain loops (one or two settings each).
      const outcomes = settings.map((s) => judgeKey(context, s, item.region, item.arn, operation));
      const verdict = outcomes.some((o) => o.verdict === 'fail') ? 'fail' : outcomes.some((o) => o.verdict === 'unknown') ? 'unknown' : 'pass';
      let text = '';
      for (const o of outcomes) if (verdict === 'pass' || o.verdict === verdict) text += text ? `; ${o.text}` : o.text;
      const message = `${kind} ${item.name}: ${text}.`;
      if (verdict === 'fail') {
        const first = outcomes.find((o) => o.verdict === 'fail') as Extract<KeyOutcome, { verdict: 'fail' }>;
        return { verdict, resource, message, evidence, property: first.property };
      }
      return { verdict, resource, message, evidence };
    };

    for (const notebook of sagemaker.notebookInstances) {
      yield judge('Notebook instance', 'AWS::SageMaker::NotebookInstance', 'DescribeNotebookInstance', notebook, [
        { what: 'the ML storage volume', property: 'KmsKeyId', value: notebook.kmsKeyId },
      ]);
    }
    for (const job of sagemaker.trainingJobs) {
      yield judge('Training job', 'AWS::SageMaker::TrainingJob', 'DescribeTrainingJob', job, [
        { what: 'the training volumes', property: 'ResourceConfig.VolumeKmsKeyId', value: job.volumeKmsKeyId, localStorageNote: true },
        { what: 'the model artifacts in S3', property: 'OutputDataConfig.KmsKeyId', value: job.outputKmsKeyId },
      ]);
    }
    for (const job of sagemaker.processingJobs) {
      yield judge('Processing job', 'AWS::SageMaker::ProcessingJob', 'DescribeProcessingJob', job, [
        { what: 'the processing volumes', property: 'ProcessingResources.ClusterConfig.VolumeKmsKeyId', value: job.volumeKmsKeyId, localStorageNote: true },
        { what: 'the outputs in S3', property: 'ProcessingOutputConfig.KmsKeyId', value: job.outputKmsKeyId },
      ]);
    }
    for (const unit of sageMakerJobUnits(context)) {
      const elsewhere = judgedThroughDefinition(unit);
      if (elsewhere) {
        yield elsewhere;
        continue;
      }
      const tuning = unit.type === 'AWS::SageMaker::HyperParameterTuningJob';
      const schedule = unit.type === 'AWS::SageMaker::MonitoringSchedule';
      const volume = tuning ? 'ResourceConfig.VolumeKmsKeyId' : schedule ? 'MonitoringResources.ClusterConfig.VolumeKmsKeyId' : 'JobResources.ClusterConfig.VolumeKmsKeyId';
      const output = tuning ? 'OutputDataConfig.KmsKeyId' : schedule ? 'MonitoringOutputConfig.KmsKeyId' : 'JobOutputConfig.KmsKeyId';
      const definitions = unit.definitions?.length ? unit.definitions : [{ label: null, security: {} as { volumeKmsKeyId?: undefined; outputKmsKeyId?: undefined } }];
      const settings: KeySetting[] = [];
      definitions.forEach((d, i) => {
        const of = d.label ? ` of training job definition ${d.label}` : '';
        const at = tuning && definitions.length > 1 ? `TrainingJobDefinitions[${i}].` : tuning ? 'TrainingJobDefinition.' : '';
        settings.push(
          { what: `the ${tuning ? 'training' : 'monitoring'} volumes${of}`, property: `${at}${volume}`, value: d.security.volumeKmsKeyId, localStorageNote: true },
          { what: `the ${tuning ? 'model artifacts' : 'monitoring reports'} in S3${of}`, property: `${at}${output}`, value: d.security.outputKmsKeyId },
        );
      });
      yield judge(unit.kind, unit.type, unit.operation, unit.item, settings);
    }
    for (const job of sagemaker.transformJobs ?? []) {
      yield judge('Transform job', 'AWS::SageMaker::TransformJob', 'DescribeTransformJob', job, [
        { what: 'the transform volumes', property: 'TransformResources.VolumeKmsKeyId', value: job.volumeKmsKeyId, localStorageNote: true },
        { what: 'the transform output in S3', property: 'TransformOutput.KmsKeyId', value: job.outputKmsKeyId },
      ]);
    }
    for (const config of sagemaker.endpointConfigs) {
      const types = (config.productionVariants ?? []).map((v) => v.instanceType);
      // SageMaker rejects KmsKeyId as soon as one variant runs on an instance type with local storage.
      const local = [...new Set(types.filter((t): t is string => t !== undefined && hasNvmeInstanceStorage(t)))];
      if (config.kmsKeyId == null && local.length > 0) {
        yield {
          verdict: 'not_applicable',
          resource: resourceRef(config.arn, 'AWS::SageMaker::EndpointConfig', config.region, config.name, config.source),
          message: `Endpoint configuration ${config.name} hosts a variant on an instance type with NVMe instance storage (${local.join(', ')}), which is hardware-encrypted; SageMaker does not accept a KMS key for such a configuration.`,
          evidence: { instanceTypes: types },
        };
        continue;
      }
      yield judge('Endpoint configuration', 'AWS::SageMaker::EndpointConfig', 'DescribeEndpointConfig', config, [
        { what: 'the ML storage volumes of hosting instances', property: 'KmsKeyId', value: config.kmsKeyId },
      ]);
    }
    for (const domain of sagemaker.domains) {
      yield judge('Domain', 'AWS::SageMaker::Domain', 'DescribeDomain', domain, [
        { what: 'the Studio EFS volume', property: 'KmsKeyId', value: domain.kmsKeyId },
      ]);
    }
  },
});

function judgeKey(context: RuleContext, setting: KeySetting, region: string, resourceArn: string, operation: string): KeyOutcome {
  const reference = setting.value;
  if (reference === undefined) {
    return {
      verdict: 'unknown',
      text: `the key for ${setting.what} is unknown (${missingReason(context, 'sagemaker', { resource: resourceArn, operations: [operation] }, setting.property)})`,
    };
  }
  if (reference === null) {
    return {
      verdict: 'fail',
      text: `no KMS key is configured for ${setting.what}${setting.localStorageNote ? ' (unless it ran on an instance type with NVMe instance storage, which is hardware-encrypted and takes no key)' : ''}`,
      property: setting.property,
    };
  }
  if (/(^|:)alias\/aws\//.test(reference)) {
    return { verdict: 'fail', text: `the AWS managed key ${reference} protects ${setting.what}, not a customer managed key`, property: setting.property };
  }
  const key = context.index.resolveKmsKey(reference, region);
  if (key) {
    const name = key.aliases[0] ?? key.arn;
    if (key.keyManager === 'AWS') {
      return { verdict: 'fail', text: `${name}, which protects ${setting.what}, is an AWS managed key, not a customer managed key`, property: setting.property };
    }
    if (key.keyState && UNUSABLE_STATES.has(key.keyState)) {
      return { verdict: 'fail', text: `customer managed key ${name} for ${setting.what} is ${key.keyState}`, property: setting.property };
    }
    return { verdict: 'pass', text: `customer managed key ${name} protects ${setting.what}` };
  }
  const owner = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(reference)?.[1];
  if (owner && owner !== context.index.accountId) {
    // AWS managed keys can only be used by their own account, so a key of another account is customer managed.
    return { verdict: 'pass', text: `customer managed key ${reference} of account ${owner} protects ${setting.what}` };
  }
  const why = context.inventory.kms === undefined
    ? 'KMS keys were not collected'
    : context.index.errorsFor('kms', { region }).length
      ? `KMS keys in ${region} could not all be read`
      : 'the key is not in the inventory';
  return { verdict: 'unknown', text: `KMS key ${reference} protects ${setting.what}, but ${why}, so whether it is customer managed cannot be told` };
}

/**
 * Instance families whose ML storage is NVMe instance store (hardware-encrypted; KmsKeyId is
 * rejected for them): the "d" variants and the GPU/accelerator families that ship with local SSDs.
 */
function hasNvmeInstanceStorage(instanceType: string): boolean {
  const family = /^ml\.([a-z0-9-]+)\./.exec(instanceType)?.[1];
  if (!family) return false;
  return /^[a-z]+\d+[a-z]*d[n]?$/.test(family) || /^(g5|g6|g6e|p4d|p4de|p5|p5e|p5en|trn1|trn1n)$/.test(family);
}
