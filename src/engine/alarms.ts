/**
 * What the CloudWatch alarm rules share: whether an alarm watches a metric (single-metric alarms,
 * and the metrics of metric math and anomaly detection queries), whether it acts when it fires,
 * and whether the alarms (or metric filters) of a region are known.
 */
import type { MetricAlarm, MetricFilter } from '../inventory/schema.js';
import { describeErrors } from './inventory-index.js';
import type { RuleContext } from './types.js';

export interface WatchedMetric {
  namespace: string;
  metricName: string;
  dimensions: { name: string; value?: string }[];
}

/** The metrics an alarm evaluates: its own metric, or every metric of its query. */
export function watchedMetrics(alarm: MetricAlarm): WatchedMetric[] {
  const out: WatchedMetric[] = [];
  if (alarm.namespace && alarm.metricName) out.push({ namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions });
  for (const metric of alarm.metrics ?? []) {
    if (metric.namespace && metric.metricName) out.push({ namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions });
  }
  return out;
}

/** Metric math expressions that may select metrics aigis cannot list (SEARCH, Metrics Insights SELECT) in a namespace. */
export function expressionMentions(alarm: MetricAlarm, namespace: string): boolean {
  return (alarm.metrics ?? []).some((m) => m.expression !== undefined && m.expression.includes(namespace));
}

export type ActionState = 'acts' | 'disabled' | 'no-action' | 'unknown';

/** Whether the alarm runs an action when it goes to ALARM. */
export function actionState(alarm: MetricAlarm): ActionState {
  if (alarm.actionsEnabled === false) return 'disabled';
  if (alarm.alarmActions !== undefined && alarm.alarmActions.length === 0) return 'no-action';
  if (alarm.actionsEnabled === undefined || alarm.alarmActions === undefined) return 'unknown';
  return 'acts';
}

export function describeActionState(alarm: MetricAlarm, state: ActionState = actionState(alarm)): string {
  switch (state) {
    case 'acts':
      return `alarm ${alarm.name} notifies ${alarm.alarmActions!.join(', ')}`;
    case 'disabled':
      return `alarm ${alarm.name} has its actions disabled`;
    case 'no-action':
      return `alarm ${alarm.name} has no ALARM action`;
    case 'unknown':
      return `alarm ${alarm.name}'s actions are not known`;
  }
}

export function alarmKind(alarm: MetricAlarm): string {
  if (alarm.thresholdMetricId) return 'anomaly detection';
  if (alarm.metrics?.length) return 'metric math';
  return 'static threshold';
}

/**
 * The alarms of one region, or why they are not known (a clause). On an inventory from templates
 * or plans an absent alarm is not evidence: the caller decides with `partialScopeReason`.
 */
export function regionAlarms(context: RuleContext, region: string): { alarms: MetricAlarm[] } | { unknown: string } {
  const section = context.inventory.cloudwatch;
  const errors = context.index.errorsFor('cloudwatch', { region });
  if (errors.length) return { unknown: `the CloudWatch alarms of ${region} could not be read (${describeErrors(errors)})` };
  if (!section) return { unknown: 'CloudWatch alarms were not collected' };
  return { alarms: alarmsByRegion(context).get(region) ?? [] };
}

const BY_REGION = Symbol('alarmsByRegion');
function alarmsByRegion(context: RuleContext): Map<string, MetricAlarm[]> {
  return context.index.memo(BY_REGION, () => {
    const map = new Map<string, MetricAlarm[]>();
    for (const alarm of context.inventory.cloudwatch?.alarms ?? []) {
      const list = map.get(alarm.region);
      if (list) list.push(alarm);
      else map.set(alarm.region, [alarm]);
    }
    return map;
  });
}

/** The metric filters of one log group (and those whose log group is not known, in that region), or why they are not known. */
export function logGroupFilters(
  context: RuleContext,
  region: string,
  logGroupName: string,
): { filters: MetricFilter[]; unresolved: MetricFilter[] } | { unknown: string } {
  const errors = context.index.errorsFor('logs', { region });
  if (errors.length) return { unknown: `the metric filters of ${region} could not be read (${describeErrors(errors)})` };
  const filters = context.inventory.logs?.metricFilters;
  if (!filters) return { unknown: 'CloudWatch Logs metric filters were not collected' };
  const inRegion = filters.filter((f) => f.region === region);
  return { filters: inRegion.filter((f) => f.logGroupName === logGroupName), unresolved: inRegion.filter((f) => f.logGroupName === undefined) };
}

/** Alarms in `alarms` that watch a metric a filter publishes (same namespace and name). */
export function alarmsOnFilter(filter: MetricFilter, alarms: readonly MetricAlarm[]): { alarm: MetricAlarm; scoped: boolean }[] {
  const out: { alarm: MetricAlarm; scoped: boolean }[] = [];
  for (const alarm of alarms) {
    for (const transformation of filter.metricTransformations) {
      const watched = watchedMetrics(alarm).find((m) => m.namespace === transformation.metricNamespace && m.metricName === transformation.metricName);
      if (!watched) continue;
      // A filter that publishes dimensions gives one metric per dimension value: an alarm on one of
      // them watches only those events; an alarm with dimensions the filter does not publish watches nothing.
      const filterDims = [...(transformation.dimensions ?? [])].sort().join(',');
      const alarmDims = watched.dimensions.map((d) => d.name).sort().join(',');
      if (filterDims === '' && alarmDims !== '') continue;
      out.push({ alarm, scoped: filterDims !== '' });
      break;
    }
  }
  return out;
}

/** Up to three phrases joined with "; ", then how many more (all of them are in the evidence). */
export function firstOf(phrases: readonly string[]): string {
  return phrases.length > 3 ? `${phrases.slice(0, 3).join('; ')}; and ${phrases.length - 3} more` : phrases.join('; ');
}
