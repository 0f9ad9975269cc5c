/**
 * CloudWatch in a Terraform plan: `aws_cloudwatch_log_metric_filter` (recorded under its log
 * group's ARN and `:metric-filter:<name>`, as the live collector records it) and
 * `aws_cloudwatch_metric_alarm` (a single metric, or `metric_query` blocks for metric math and
 * anomaly detection). `actions_enabled` defaults to true; ALARM actions known only after apply
 * (a topic the plan creates) still count as actions, marked unresolved.
 */
import { compact } from '../iac/draft.js';
import type { Json, MapContext, MapperTable } from './context.js';

const UNRESOLVED_ACTION = '<unresolved: known after apply>';

function dimensionsOf(ctx: MapContext, value: unknown, path: (string | number)[]): { name: string; value?: string }[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [];
  }
  return Object.entries(value as Json)
    .map(([name, v]) => (ctx.isUnknown([...path, name]) || v === null || v === undefined ? { name } : { name, value: String(v) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const cloudWatchMappers: MapperTable = {
  aws_cloudwatch_log_metric_filter: {
    nameRule: { max: 512, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, resource }) {
      const name = nameOf('name');
      const group = given('log_group_name') ?? `<unresolved:${resource.address}>`;
      set(name, `arn:${p}:logs:${r}:${a}:log-group:${group}:metric-filter:${name}`, { id: name, name });
    },
    map(ctx) {
      const { resource: r, str, base, finish } = ctx;
      const transformations = ctx.blocks(r.values.metric_transformation, [...r.jsonPath, 'values', 'metric_transformation']);
      const filter = compact({
        ...base({ pattern: 'FilterPattern', log_group_name: 'LogGroupName', metric_transformation: 'MetricTransformations' }),
        name: r.identity.name,
        logGroupName: str('log_group_name', 'LogGroupName'),
        // `pattern` is required; "" matches every event.
        filterPattern: ctx.isUnknown(['pattern']) ? (ctx.unresolved.add('FilterPattern'), undefined) : typeof r.values.pattern === 'string' ? r.values.pattern : '',
        metricTransformations: transformations.flatMap((t, i) => {
          if (ctx.isUnknown(['metric_transformation', i, 'name']) || ctx.isUnknown(['metric_transformation', i, 'namespace'])) return [];
          if (typeof t.name !== 'string' || typeof t.namespace !== 'string') return [];
          const dimensions = typeof t.dimensions === 'object' && t.dimensions !== null ? Object.keys(t.dimensions as Json).sort() : [];
          return [{ metricName: t.name, metricNamespace: t.namespace, ...(dimensions.length ? { dimensions } : {}) }];
        }),
      });
      ctx.draft.metricFilters.push(finish(filter));
    },
  },
  aws_cloudwatch_metric_alarm: {
    nameRule: { max: 255, charset: 'word' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('alarm_name');
      const arn = given('arn') ?? `arn:${p}:cloudwatch:${r}:${a}:alarm:${name}`;
      set(name, arn, { id: name, alarm_name: name, arn });
    },
    map(ctx) {
      const { resource: r, str, bool, base, finish } = ctx;
      const at = (...path: (string | number)[]) => [...r.jsonPath, 'values', ...path];
      const queries = ctx.blocks(r.values.metric_query, at('metric_query'));
      let alarmActions: string[] | undefined;
      if (!ctx.isUnknown(['alarm_actions'])) {
        alarmActions = Array.isArray(r.values.alarm_actions) ? r.values.alarm_actions.map(String).sort() : [];
      } else if (ctx.configured('alarm_actions')) {
        const known = Array.isArray(r.values.alarm_actions) ? r.values.alarm_actions.filter((v): v is string => typeof v === 'string') : [];
        alarmActions = [...known, UNRESOLVED_ACTION].sort();
      }
      // Dimensions wholly known only after apply: which metric the alarm watches is not known, so
      // its metric is left out (rules then cannot count it).
      const metricKnown = !(ctx.isUnknown(['dimensions']) && (typeof r.values.dimensions !== 'object' || r.values.dimensions === null));
      if (!metricKnown) ctx.unresolved.add('Dimensions');
      const alarm = compact({
        ...base({ namespace: 'Namespace', metric_name: 'MetricName', dimensions: 'Dimensions', metric_query: 'Metrics', actions_enabled: 'ActionsEnabled', alarm_actions: 'AlarmActions' }),
        name: r.identity.name,
        namespace: metricKnown ? str('namespace', 'Namespace') : undefined,
        metricName: metricKnown ? str('metric_name', 'MetricName') : undefined,
        dimensions: dimensionsOf(ctx, r.values.dimensions, ['dimensions']),
        metrics: queries.length
          ? queries.map((q, i) => {
              const metric = ctx.blocks(q.metric, at('metric_query', i, 'metric'))[0];
              return compact({
                id: typeof q.id === 'string' ? q.id : `m${i}`,
                namespace: typeof metric?.namespace === 'string' ? metric.namespace : undefined,
                metricName: typeof metric?.metric_name === 'string' ? metric.metric_name : undefined,
                dimensions: metric ? dimensionsOf(ctx, metric.dimensions, ['metric_query', i, 'metric', 0, 'dimensions']) : [],
                expression: typeof q.expression === 'string' && q.expression ? q.expression : undefined,
                returnData: typeof q.return_data === 'boolean' ? q.return_data : undefined,
              });
            })
          : undefined,
        thresholdMetricId: str('threshold_metric_id', 'ThresholdMetricId') || undefined,
        actionsEnabled: bool('actions_enabled', 'ActionsEnabled', true),
        alarmActions,
      });
      ctx.draft.alarms.push(finish(alarm));
    },
  },
};
