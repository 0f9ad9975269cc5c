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
});
