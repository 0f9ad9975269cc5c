/**
 * SageMaker endpoints, Model Monitor schedules and model cards from templates and plans: the
 * references they are usually written with, the values that stay unknown before deploy, and
 * hostile content; plus the production tag reading and the model card content parser they share
 * with the live collector.
 */
import { describe, expect, it } from 'vitest';
import { importCloudFormation, importTerraformPlan } from '../../src/importers/iac/index.js';
import { productionStatus } from '../../src/engine/production.js';
import { modelCardOverviewOf } from '../../src/inventory/model-card.js';
import { parseInventory } from '../../src/inventory/load.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

function fromTemplate(resources: Record<string, unknown>, parameters: Record<string, unknown> = {}) {
  const text = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Parameters: parameters, Resources: resources });
  return parseInventory(importCloudFormation(text, 'template.json', { accountId: ACCOUNT, region: REGION }), 'template.json').sagemaker!;
}

describe('production tag', () => {
  it('reads environment, env or stage in any case, and says when it cannot tell', () => {
    expect(productionStatus({ Environment: ' PROD ' })).toMatchObject({ kind: 'production', tag: 'Environment' });
    expect(productionStatus({ stage: 'live' })).toMatchObject({ kind: 'production' });
    expect(productionStatus({ env: 'staging' })).toMatchObject({ kind: 'not-production', value: 'staging' });
    // environment wins over env; of two spellings of one key, the first in sorted order.
    expect(productionStatus({ env: 'prod', environment: 'dev' })).toMatchObject({ kind: 'not-production', tag: 'environment' });
    expect(productionStatus({ env: 'dev', Env: 'prod' })).toMatchObject({ kind: 'production', tag: 'Env' });
    expect(productionStatus({ team: 'ml', environments: 'prod' })).toEqual({ kind: 'untagged', tagsRead: true });
    expect(productionStatus(undefined)).toEqual({ kind: 'untagged', tagsRead: false });
  });
});

describe('model card content', () => {
  it('reads the model overview, and nothing from content it cannot read', () => {
    expect(modelCardOverviewOf(JSON.stringify({ model_overview: { model_id: 'arn:aws:sagemaker:us-east-1:1:model/m', model_name: 'm' } }))).toEqual({
      modelId: 'arn:aws:sagemaker:us-east-1:1:model/m',
      modelName: 'm',
    });
    expect(modelCardOverviewOf(JSON.stringify({ model_overview: { model_name: 42 } }))).toEqual({ modelId: null, modelName: null });
    // No overview (metadata-only answers may leave it out), not JSON, not an object, too large: unknown.
    expect(modelCardOverviewOf(JSON.stringify({ intended_uses: {} }))).toBeUndefined();
    expect(modelCardOverviewOf('{"model_overview":')).toBeUndefined();
    expect(modelCardOverviewOf('[{"model_overview":{}}]')).toBeUndefined();
    expect(modelCardOverviewOf(JSON.stringify({ model_overview: [] }))).toBeUndefined();
    expect(modelCardOverviewOf(`{"model_overview":{"model_name":"${'x'.repeat(1_100_000)}"}}`)).toBeUndefined();
    expect(modelCardOverviewOf(undefined)).toBeUndefined();
    expect(modelCardOverviewOf('[['.repeat(100_000))).toBeUndefined();
  });
});

describe('CloudFormation', () => {
  it('follows Refs to endpoint configs, reads inline job definitions and leaves unresolved values unknown', () => {
    const sm = fromTemplate(
      {
        Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { EndpointConfigName: 'Cfg', ProductionVariants: [{ VariantName: 'a', ModelName: 'm', ServerlessConfig: { MaxConcurrency: 2, MemorySizeInMB: 2048 } }] } },
        ByRef: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointName: 'by-ref', EndpointConfigName: { Ref: 'Config' } } },
        Unresolved: {
          Type: 'AWS::SageMaker::Endpoint',
          Properties: { EndpointName: 'unresolved', EndpointConfigName: 'Cfg', DeploymentConfig: { AutoRollbackConfiguration: { Alarms: [{ AlarmName: { Ref: 'AlarmName' } }] } } },
        },
        Inline: {
          Type: 'AWS::SageMaker::MonitoringSchedule',
          Properties: {
            MonitoringScheduleName: 'inline',
            MonitoringScheduleConfig: {
              MonitoringJobDefinition: {
                MonitoringInputs: [{ EndpointInput: { EndpointName: { 'Fn::GetAtt': ['ByRef', 'EndpointName'] }, LocalPath: '/in' } }],
                MonitoringAppSpecification: { ImageUri: 'image' },
              },
            },
          },
        },
        Elsewhere: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleName: 'elsewhere', MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'not-in-this-template', MonitoringType: 'ModelQuality' } } },
        Bare: { Type: 'AWS::SageMaker::ModelCard', Properties: { ModelCardName: 'bare', ModelCardStatus: 'Draft', Content: { IntendedUses: { PurposeOfModel: '<script>x</script>' } } } },
      },
      { AlarmName: { Type: 'String' } },
    );
    const endpoint = (name: string) => sm.endpoints!.find((e) => e.name === name)!;
    expect(endpoint('by-ref')).toMatchObject({ endpointConfigName: 'cfg', deploymentConfig: null });
    expect(endpoint('unresolved').deploymentConfig).toBeUndefined();
    expect(sm.endpointConfigs[0]!.productionVariants).toEqual([{ variantName: 'a', modelName: 'm', initialInstanceCount: null, serverless: true }]);
    const schedule = (name: string) => sm.monitoringSchedules!.find((s) => s.name === name)!;
    expect(schedule('inline')).toMatchObject({ monitoringType: 'DataQuality', endpointName: 'by-ref', status: 'Scheduled' });
    expect(schedule('elsewhere').monitoringType).toBe('ModelQuality');
    expect(schedule('elsewhere').endpointName).toBeUndefined();
    expect(sm.modelCards).toMatchObject([{ name: 'bare', status: 'Draft', kmsKeyId: null, modelId: null, modelName: null }]);
  });
});

describe('CloudFormation Model Monitor job definitions and transform jobs', () => {
  it('reads the four kinds of job definitions, the job a schedule embeds, and transform jobs; unresolved values stay unknown', () => {
    const network = { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] } };
    const resources = (key: unknown) => ({ ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 20, VolumeKmsKeyId: key } });
    const sm = fromTemplate(
      {
        Key: { Type: 'AWS::KMS::Key', Properties: { Description: 'monitoring' } },
        Quality: {
          Type: 'AWS::SageMaker::DataQualityJobDefinition',
          Properties: {
            JobDefinitionName: 'dq',
            DataQualityJobInput: { EndpointInput: { EndpointName: 'ep', LocalPath: '/in' } },
            DataQualityJobOutputConfig: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] }, MonitoringOutputs: [] },
            JobResources: resources({ 'Fn::GetAtt': ['Key', 'Arn'] }),
            NetworkConfig: network,
            RoleArn: 'arn:aws:iam::111122223333:role/monitor',
          },
        },
        // No NetworkConfig, no keys: off and not set.
        Bias: { Type: 'AWS::SageMaker::ModelBiasJobDefinition', Properties: { JobDefinitionName: 'bias', ModelBiasJobInput: { EndpointInput: { EndpointName: 'ep' } }, JobResources: { ClusterConfig: { InstanceCount: 1 } } } },
        Quality2: {
          Type: 'AWS::SageMaker::ModelQualityJobDefinition',
          Properties: { JobDefinitionName: 'mq', EndpointName: 'top-level', ModelQualityJobOutputConfig: { KmsKeyId: 'alias/aws/sagemaker' }, NetworkConfig: { EnableNetworkIsolation: { Ref: 'Isolation' } } },
        },
        Explain: { Type: 'AWS::SageMaker::ModelExplainabilityJobDefinition', Properties: { JobDefinitionName: 'mx', ModelExplainabilityJobInput: { BatchTransformInput: { DataCapturedDestinationS3Uri: 's3://b/c' } }, JobResources: resources({ Ref: 'VolumeKey' }) } },
        Embedded: {
          Type: 'AWS::SageMaker::MonitoringSchedule',
          Properties: {
            MonitoringScheduleName: 'embedded',
            MonitoringScheduleConfig: {
              MonitoringJobDefinition: {
                MonitoringInputs: [{ EndpointInput: { EndpointName: 'ep' } }],
                MonitoringOutputConfig: { MonitoringOutputs: [] },
                MonitoringResources: resources('arn:aws:kms:eu-west-1:111122223333:key/abc'),
                NetworkConfig: { EnableInterContainerTrafficEncryption: true },
                RoleArn: 'arn:aws:iam::111122223333:role/monitor',
              },
            },
          },
        },
        Named: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleName: 'named', MonitoringScheduleConfig: { MonitoringJobDefinitionName: { Ref: 'Quality' }, MonitoringType: 'DataQuality' } } },
        Batch: { Type: 'AWS::SageMaker::TransformJob', Properties: { ModelName: 'model-a', TransformInput: {}, TransformOutput: { S3OutputPath: 's3://b/out', KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } }, TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.large' } } },
      },
      { Isolation: { Type: 'String' }, VolumeKey: { Type: 'String' } },
    );
    const byName = Object.fromEntries(sm.monitoringJobDefinitions!.map((d) => [d.name, d]));
    expect(byName.dq).toMatchObject({
      arn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:data-quality-job-definition/dq`,
      monitoringType: 'DataQuality',
      endpointName: 'ep',
      enableNetworkIsolation: true,
      enableInterContainerTrafficEncryption: true,
      vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
      roleArn: 'arn:aws:iam::111122223333:role/monitor',
    });
    expect(byName.dq!.volumeKmsKeyId).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
    expect(byName.dq!.outputKmsKeyId).toBe(byName.dq!.volumeKmsKeyId);
    expect(byName.bias).toMatchObject({ monitoringType: 'ModelBias', enableNetworkIsolation: false, enableInterContainerTrafficEncryption: false, vpcConfig: null, volumeKmsKeyId: null, outputKmsKeyId: null });
    // A parameter without default: the flag stays unknown and is noted.
    expect(byName.mq!.enableNetworkIsolation).toBeUndefined();
    expect(byName.mq).toMatchObject({ endpointName: 'top-level', outputKmsKeyId: 'alias/aws/sagemaker' });
    expect(byName.mq!.unresolved).toContain('NetworkConfig.EnableNetworkIsolation');
    expect(byName.mx).toMatchObject({ arn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-explainability-job-definition/mx`, endpointName: null });
    expect(byName.mx!.volumeKmsKeyId).toBeUndefined();
    const schedules = Object.fromEntries(sm.monitoringSchedules!.map((m) => [m.name, m]));
    expect(schedules.embedded).toMatchObject({
      monitoringJobDefinitionName: null,
      endpointName: 'ep',
      jobDefinition: { enableNetworkIsolation: false, enableInterContainerTrafficEncryption: true, vpcConfig: null, volumeKmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc', outputKmsKeyId: null },
    });
    // A Ref to the job definition gives its ARN: the schedule records the name, and takes the definition's endpoint.
    expect(schedules.named).toMatchObject({ monitoringJobDefinitionName: 'dq', jobDefinition: null, endpointName: 'ep' });
    expect(sm.transformJobs).toHaveLength(1);
    expect(sm.transformJobs![0]).toMatchObject({ modelName: 'model-a', volumeKmsKeyId: null });
    expect(sm.transformJobs![0]!.outputKmsKeyId).toMatch(/^arn:aws:kms:/);
    expect(sm.transformJobs![0]!.arn).toMatch(new RegExp(`^arn:aws:sagemaker:${REGION}:${ACCOUNT}:transform-job/transform-job-[0-9a-f]{12}$`));
    // Tuning jobs have no CloudFormation resource: not collected.
    expect(sm.hyperParameterTuningJobs).toBeUndefined();
  });
});

describe('Terraform', () => {
  const resource = (type: string, name: string, values: Record<string, unknown>, unknown: Record<string, unknown> = {}) => ({
    planned: { address: `${type}.${name}`, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', values },
    change: { address: `${type}.${name}`, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', change: { actions: ['create'], before: null, after: values, after_unknown: unknown } },
  });
  const plan = (resources: ReturnType<typeof resource>[]) =>
    JSON.stringify({
      format_version: '1.2',
      planned_values: { root_module: { resources: resources.map((r) => r.planned) } },
      resource_changes: resources.map((r) => r.change),
      configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: REGION } } } }, root_module: { resources: [] } },
    });

  it('reads deployment guardrails, leaves a schedule whose job definition the plan lacks without endpoint, and unknown guardrails absent', () => {
    const text = plan([
      resource('aws_sagemaker_endpoint', 'rolling', {
        name: 'rolling',
        endpoint_config_name: 'cfg',
        deployment_config: [{ blue_green_update_policy: [], rolling_update_policy: [{ wait_interval_in_seconds: 60 }], auto_rollback_configuration: [{ alarms: [{ alarm_name: 'b' }, { alarm_name: 'a' }] }] }],
      }),
      resource('aws_sagemaker_endpoint', 'later', { name: 'later', endpoint_config_name: 'cfg' }, { deployment_config: true }),
      resource('aws_sagemaker_monitoring_schedule', 'orphan', { name: 'orphan', monitoring_schedule_config: [{ monitoring_job_definition_name: 'defined-elsewhere', monitoring_type: 'DataQuality' }] }),
    ]);
    const sm = parseInventory(importTerraformPlan(text, 'plan.json', { accountId: ACCOUNT }), 'plan.json').sagemaker!;
    expect(sm.endpoints!.find((e) => e.name === 'rolling')!.deploymentConfig).toEqual({ updatePolicy: 'Rolling', rollbackAlarms: ['a', 'b'] });
    expect(sm.endpoints!.find((e) => e.name === 'later')!.deploymentConfig).toBeUndefined();
    expect(sm.monitoringSchedules![0]).toMatchObject({ name: 'orphan', monitoringType: 'DataQuality' });
    expect(sm.monitoringSchedules![0]!.endpointName).toBeUndefined();
    expect(sm.modelCards).toEqual([]);
  });
  it('reads a data quality job definition\'s network config and keys; a schedule runs the definition it names', () => {
    const text = plan([
      resource('aws_sagemaker_data_quality_job_definition', 'dq', {
        name: 'dq',
        role_arn: 'arn:aws:iam::111122223333:role/monitor',
        data_quality_job_input: [{ endpoint_input: [{ endpoint_name: 'ep', local_path: '/in' }] }],
        data_quality_job_output_config: [{ kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/out', monitoring_outputs: [] }],
        job_resources: [{ cluster_config: [{ instance_count: 1, instance_type: 'ml.m5.large', volume_size_in_gb: 20 }] }],
        network_config: [{ enable_network_isolation: true, enable_inter_container_traffic_encryption: false, vpc_config: [{ subnets: ['subnet-1'], security_group_ids: ['sg-1'] }] }],
      }),
      resource('aws_sagemaker_data_quality_job_definition', 'bare', { name: 'bare', data_quality_job_input: [{ batch_transform_input: [{ data_captured_destination_s3_uri: 's3://b/c' }] }] }),
      resource('aws_sagemaker_monitoring_schedule', 's', { name: 's', monitoring_schedule_config: [{ monitoring_job_definition_name: 'dq', monitoring_type: 'DataQuality' }] }),
    ]);
    const sm = parseInventory(importTerraformPlan(text, 'plan.json', { accountId: ACCOUNT }), 'plan.json').sagemaker!;
    const byName = Object.fromEntries(sm.monitoringJobDefinitions!.map((d) => [d.name, d]));
    expect(byName.dq).toMatchObject({
      monitoringType: 'DataQuality',
      endpointName: 'ep',
      enableNetworkIsolation: true,
      enableInterContainerTrafficEncryption: false,
      vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
      volumeKmsKeyId: null,
      outputKmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/out',
      roleArn: 'arn:aws:iam::111122223333:role/monitor',
    });
    expect(byName.bare).toMatchObject({ endpointName: null, enableNetworkIsolation: false, enableInterContainerTrafficEncryption: false, vpcConfig: null, volumeKmsKeyId: null, outputKmsKeyId: null });
    expect(sm.monitoringSchedules![0]).toMatchObject({ monitoringJobDefinitionName: 'dq', jobDefinition: null, endpointName: 'ep' });
    // Transform jobs have no Terraform resource: none declared.
    expect(sm.transformJobs).toEqual([]);
    expect(sm.hyperParameterTuningJobs).toBeUndefined();
  });
});
