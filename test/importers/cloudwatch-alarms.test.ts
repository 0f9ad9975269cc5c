/**
 * Metric filters and alarms from templates and plans whose values are known only at deploy or
 * apply time: what cannot be resolved stays absent (never a guessed value), an ALARM action whose
 * target is unresolved still counts as an action, and the rules answer unknown, not pass.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_APPROVED_MODELS } from '../../src/engine/config.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { importCloudFormation, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/schema.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

const TEMPLATE = `
Parameters:
  AlertTopic: { Type: String }
  AlarmDimensions: { Type: CommaDelimitedList }
  TrailGroup: { Type: String }
  Pattern: { Type: String }
  GuardrailArn: { Type: String }
Resources:
  Guardrail:
    Type: AWS::Bedrock::Guardrail
    Properties:
      Name: support
      BlockedInputMessaging: Blocked.
      BlockedOutputsMessaging: Blocked.
  UnknownGroupFilter:
    Type: AWS::Logs::MetricFilter
    Properties:
      FilterName: iam-changes
      LogGroupName: !Ref TrailGroup
      FilterPattern: "{ $.eventSource = iam.amazonaws.com }"
      MetricTransformations:
        - { MetricNamespace: CloudTrailMetrics, MetricName: IamEvents, MetricValue: "1", Dimensions: [{ Key: Source, Value: $.eventSource }] }
  UnknownPatternFilter:
    Type: AWS::Logs::MetricFilter
    Properties:
      FilterName: from-param
      LogGroupName: trail-logs
      FilterPattern: !Ref Pattern
      MetricTransformations:
        - { MetricNamespace: CloudTrailMetrics, MetricName: Other, MetricValue: "1" }
  GuardrailAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: guardrail-blocks
      Namespace: AWS/Bedrock/Guardrails
      MetricName: InvocationsIntervened
      Dimensions:
        - { Name: GuardrailArn, Value: !Ref GuardrailArn }
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 5
      ComparisonOperator: GreaterThanThreshold
      AlarmActions: [!Ref AlertTopic]
  DimensionsFromParameter:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: zz-from-parameter
      Namespace: AWS/Bedrock/Guardrails
      MetricName: InvocationsIntervened
      Dimensions: !Ref AlarmDimensions
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 5
      ComparisonOperator: GreaterThanThreshold
      AlarmActions: [arn:aws:sns:us-east-1:111122223333:alerts]
`;

const PLAN = {
  format_version: '1.2',
  planned_values: {
    root_module: {
      resources: [
        {
          address: 'aws_cloudwatch_log_metric_filter.iam',
          mode: 'managed',
          type: 'aws_cloudwatch_log_metric_filter',
          name: 'iam',
          values: { name: 'iam-changes', pattern: '{ $.eventSource = iam.amazonaws.com }', metric_transformation: [{ name: 'IamEvents', namespace: 'CloudTrailMetrics', value: '1', dimensions: { Source: '$.eventSource' } }] },
        },
        {
          address: 'aws_cloudwatch_metric_alarm.blocks',
          mode: 'managed',
          type: 'aws_cloudwatch_metric_alarm',
          name: 'blocks',
          values: { alarm_name: 'guardrail-blocks', namespace: 'AWS/Bedrock/Guardrails', metric_name: 'InvocationsIntervened', dimensions: { GuardrailArn: null }, actions_enabled: true, comparison_operator: 'GreaterThanThreshold', evaluation_periods: 1, threshold: 5 },
        },
      ],
    },
  },
  resource_changes: [
    { address: 'aws_cloudwatch_log_metric_filter.iam', change: { actions: ['create'], after_unknown: { id: true, log_group_name: true } } },
    { address: 'aws_cloudwatch_metric_alarm.blocks', change: { actions: ['create'], after_unknown: { arn: true, id: true, alarm_actions: true, dimensions: { GuardrailArn: true } } } },
  ],
  configuration: {
    root_module: {
      resources: [
        { address: 'aws_cloudwatch_log_metric_filter.iam', mode: 'managed', type: 'aws_cloudwatch_log_metric_filter', name: 'iam', expressions: { log_group_name: { references: ['var.trail_group'] } } },
        { address: 'aws_cloudwatch_metric_alarm.blocks', mode: 'managed', type: 'aws_cloudwatch_metric_alarm', name: 'blocks', expressions: { alarm_actions: { references: ['var.topic'] }, dimensions: { references: ['var.guardrail_arn'] } } },
      ],
    },
  },
};

const inventories: Record<string, Inventory> = {
  cloudformation: parseInventory(importCloudFormation(TEMPLATE, 'template.yaml', { accountId: ACCOUNT, region: REGION }), 'template.yaml'),
  terraform: parseInventory(importTerraformPlanData(PLAN, 'plan.json', { accountId: ACCOUNT, region: REGION }), 'plan.json'),
};

describe('metric filters and alarms with values known only after deploy', () => {
  it('leave the unresolved log group, pattern and dimension value absent, and keep the unresolved action as an action', () => {
    for (const [kind, inventory] of Object.entries(inventories)) {
      const iam = inventory.logs!.metricFilters!.find((f) => f.name === 'iam-changes')!;
      expect(iam.logGroupName, kind).toBeUndefined();
      expect(iam.filterPattern, kind).toBe('{ $.eventSource = iam.amazonaws.com }');
      expect(iam.metricTransformations, kind).toEqual([{ metricName: 'IamEvents', metricNamespace: 'CloudTrailMetrics', dimensions: ['Source'] }]);
      const alarm = inventory.cloudwatch!.alarms[0]!;
      expect(alarm.name, kind).toBe('guardrail-blocks');
      expect(alarm.dimensions, kind).toEqual([{ name: 'GuardrailArn' }]);
      expect(alarm.actionsEnabled, kind).toBe(true);
      expect(alarm.alarmActions, kind).toHaveLength(1);
      expect(alarm.alarmActions![0], kind).toMatch(/unresolved/);
    }
    const fromParameter = inventories.cloudformation!.logs!.metricFilters!.find((f) => f.name === 'from-param')!;
    expect(fromParameter.logGroupName).toBe('trail-logs');
    expect(fromParameter.filterPattern).toBeUndefined();
    // Dimensions that are one parameter: the metric the alarm watches is not known, so it is left out.
    const wholly = inventories.cloudformation!.cloudwatch!.alarms.find((a) => a.name === 'zz-from-parameter')!;
    expect([wholly.namespace, wholly.metricName, wholly.dimensions]).toEqual([undefined, undefined, []]);
  });

  it('make the guardrail alarm rule answer unknown, not pass', async () => {
    const rules = (await loadRules()).filter((r) => r.meta.id === 'bedrock-guardrail-alarm');
    const settings = { bedrock: { approvedModels: [...DEFAULT_APPROVED_MODELS] }, aiWorkloads: { resources: [] }, assume: { accountPublicAccessBlock: false } };
    const result = await runScan({ inventory: inventories.cloudformation!, rules, frameworks: [], settings }, { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' });
    expect(result.findings.map((f) => [f.resource.name, f.verdict])).toEqual([['support', 'unknown']]);
    expect(result.findings[0]!.message).toContain("alarm guardrail-blocks's GuardrailArn dimension is not known");
  });
});
