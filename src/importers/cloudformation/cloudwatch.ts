/**
 * CloudWatch in CloudFormation: AWS::CloudWatch::Alarm (metric alarms: a single metric, or a metric
 * math / anomaly detection query in Metrics). ActionsEnabled defaults to true, as CloudWatch does.
 * An ALARM action whose value is known only at deploy time still counts as an action (marked).
 */
import { compact } from '../iac/draft.js';
import { known, markUnresolved, type PropertyReader } from '../iac/props.js';
import type { MapperTable } from './context.js';
import { setNotes } from './helpers.js';

function dimensions(read: PropertyReader, path: string): { name: string; value?: string }[] {
  return (known(read.list(path)) ?? [])
    .flatMap((_d, i) => {
      const name = known(read.str(`${path}[${i}].Name`));
      if (name === undefined) return [];
      // A value known only at deploy time (a guardrail ARN from GetAtt of a parameter) stays absent.
      const value = known(read.str(`${path}[${i}].Value`));
      return [{ name, ...(value !== undefined ? { value } : {}) }];
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const cloudWatchMappers: MapperTable = {
  'AWS::CloudWatch::Alarm': {
    nameLimit: { max: 255 },
    identity(_resource, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('AlarmName');
      const arn = `arn:${p}:cloudwatch:${r}:${a}:alarm:${name}`;
      return { name, arn, ref: name, nameUnresolved: unresolved, attributes: { Arn: arn } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const metrics = known(read.list('Metrics'));
      const actions = read.partial('AlarmActions');
      const alarm = compact({
        ...base(),
        name: identity.name,
        namespace: known(read.str('Namespace')),
        metricName: known(read.str('MetricName')),
        dimensions: dimensions(read, 'Dimensions'),
        metrics: metrics?.map((_m, i) => {
          const at = `Metrics[${i}]`;
          return compact({
            id: known(read.str(`${at}.Id`)) ?? `m${i}`,
            namespace: known(read.str(`${at}.MetricStat.Metric.Namespace`)),
            metricName: known(read.str(`${at}.MetricStat.Metric.MetricName`)),
            dimensions: dimensions(read, `${at}.MetricStat.Metric.Dimensions`),
            expression: known(read.str(`${at}.Expression`)),
            returnData: known(read.bool(`${at}.ReturnData`)),
          });
        }),
        thresholdMetricId: known(read.str('ThresholdMetricId')),
        actionsEnabled: known(read.bool('ActionsEnabled', true)),
        alarmActions:
          actions === undefined
            ? []
            : Array.isArray(actions)
              ? actions.map((x) => (typeof x === 'string' ? x : JSON.stringify(markUnresolved(x)))).sort()
              : undefined,
      });
      draft.alarms.push(alarm);
      defer(() => setNotes(alarm, notes()));
    },
  },
};
