/**
 * CloudWatch in CloudFormation: AWS::CloudWatch::Alarm (metric alarms: a single metric, or a metric
 * math / anomaly detection query in Metrics). ActionsEnabled defaults to true, as CloudWatch does.
 * An ALARM action whose value is known only at deploy time still counts as an action (marked).
 */
import { compact } from '../iac/draft.js';
import { known, markUnresolved, UNKNOWN, type PropertyReader } from '../iac/props.js';
import type { MapperTable } from './context.js';
import { setNotes } from './helpers.js';

/** How many elements a list property has, even when some of their values are unresolved. */
export function countOf(read: PropertyReader, path: string): number {
  const value = read.partial(path);
  return Array.isArray(value) ? value.length : value === undefined ? 0 : 1;
}

function dimensions(read: PropertyReader, path: string): { name: string; value?: string }[] {
  return Array.from({ length: countOf(read, path) })
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
      const metricCount = countOf(read, 'Metrics');
      // Dimensions that are one unresolved value (a list parameter, Fn::If): which metric the alarm
      // watches is not known, so its metric is left out (rules then cannot count it).
      const metricKnown = read.partial('Dimensions') !== UNKNOWN;
      const actions = read.partial('AlarmActions');
      const alarm = compact({
        ...base(),
        name: identity.name,
        namespace: metricKnown ? known(read.str('Namespace')) : undefined,
        metricName: metricKnown ? known(read.str('MetricName')) : undefined,
        dimensions: dimensions(read, 'Dimensions'),
        metrics: !metricCount ? undefined : Array.from({ length: metricCount }, (_m, i) => {
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
