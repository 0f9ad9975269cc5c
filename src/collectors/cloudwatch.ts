/**
 * CloudWatch, per region: the metric alarms (DescribeAlarms, AlarmTypes MetricAlarm), with their
 * metric (single-metric alarms) or metric query (metric math and anomaly detection alarms), whether
 * actions are enabled and the ALARM actions. Composite alarms are not read: they act on other
 * alarms, whose own actions are what the rules look for.
 */
import { DescribeAlarmsCommand, type Dimension, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { paginate, type CollectRuntime } from './runtime.js';
import type { MetricAlarmInput } from './shapes.js';

/** Pages of DescribeAlarms read per region (100 alarms a page): a bound, not an expected size. */
const MAX_ALARM_PAGES = 200;

/** The metric alarms of one region, sorted by ARN; undefined when the listing failed or was cut at the bound. */
export async function collectAlarmsRegion(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<MetricAlarmInput[] | undefined> {
  const out: MetricAlarmInput[] = [];
  let pages = 0;
  let truncated = false;
  const result = await paginate(
    (NextToken) =>
      rt.call('cloudwatch', region, 'DescribeAlarms', (c) => c.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, ...(NextToken ? { NextToken } : {}) }))),
    (page) => {
      if (++pages < MAX_ALARM_PAGES) return page.NextToken;
      truncated = Boolean(page.NextToken);
      return undefined;
    },
    (page) => {
      for (const alarm of page.MetricAlarms ?? []) {
        const entry = alarmEntry(alarm, region, scope);
        if (entry) out.push(entry);
      }
    },
  );
  if (result === 'failed') return undefined;
  if (truncated) {
    rt.recordError({ service: 'cloudwatch', region, operation: 'DescribeAlarms', errorCode: 'TooManyPages', message: `more than ${MAX_ALARM_PAGES} pages of alarms; the rest were not read` });
    return undefined;
  }
  return out.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

const dimensionsOf = (list: Dimension[] | undefined) =>
  (list ?? [])
    .filter((d) => d.Name)
    .map((d) => ({ name: d.Name!, ...(d.Value !== undefined ? { value: d.Value } : {}) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export function alarmEntry(alarm: MetricAlarm, region: string, scope: { accountId: string; partition: string }): MetricAlarmInput | undefined {
  const name = alarm.AlarmName;
  if (!name) return undefined;
  const entry: MetricAlarmInput = {
    arn: alarm.AlarmArn || `arn:${scope.partition}:cloudwatch:${region}:${scope.accountId}:alarm:${name}`,
    region,
    name,
    dimensions: dimensionsOf(alarm.Dimensions),
    // DescribeAlarms leaves ActionsEnabled out only when the alarm never set it; the API default is true.
    actionsEnabled: alarm.ActionsEnabled ?? true,
    alarmActions: [...(alarm.AlarmActions ?? [])].sort(),
  };
  if (alarm.Namespace) entry.namespace = alarm.Namespace;
  if (alarm.MetricName) entry.metricName = alarm.MetricName;
  if (alarm.Metrics?.length) {
    entry.metrics = alarm.Metrics.filter((m) => m.Id).map((m) => {
      const metric = m.MetricStat?.Metric;
      return {
        id: m.Id!,
        ...(metric?.Namespace ? { namespace: metric.Namespace } : {}),
        ...(metric?.MetricName ? { metricName: metric.MetricName } : {}),
        dimensions: dimensionsOf(metric?.Dimensions),
        ...(m.Expression ? { expression: m.Expression } : {}),
        ...(m.ReturnData !== undefined ? { returnData: m.ReturnData } : {}),
      };
    });
  }
  if (alarm.ThresholdMetricId) entry.thresholdMetricId = alarm.ThresholdMetricId;
  if (alarm.StateValue) entry.stateValue = alarm.StateValue;
  return entry;
}
