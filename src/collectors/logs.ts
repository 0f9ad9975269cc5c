/**
 * CloudWatch Logs, per region: log groups with their KMS key, retention and data protection
 * status, all from the DescribeLogGroups listing (no per-group call), and the region's metric
 * filters (DescribeMetricFilters, one listing for the region, not one call per group). The ARN is
 * recorded without the `:*` suffix DescribeLogGroups' `arn` carries, as CloudTrail and Bedrock
 * references are matched.
 */
import { DescribeLogGroupsCommand, DescribeMetricFiltersCommand, type LogGroup, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { paginate, type CollectRuntime } from './runtime.js';
import type { LogGroupInput, MetricFilterInput } from './shapes.js';

/** Pages of DescribeMetricFilters read per region (50 filters a page): a bound, not a expected size. */
const MAX_METRIC_FILTER_PAGES = 200;

/** Log groups of one region; undefined when the listing failed (a failed later page included). */
export async function collectLogGroupsRegion(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<LogGroupInput[] | undefined> {
  const out: LogGroupInput[] = [];
  const result = await paginate(
    (nextToken) => rt.call('logs', region, 'DescribeLogGroups', (c) => c.send(new DescribeLogGroupsCommand({ limit: 50, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => {
      for (const group of page.logGroups ?? []) {
        const entry = logGroupEntry(group, region, scope);
        if (entry) out.push(entry);
      }
    },
  );
  return result === 'failed' ? undefined : out;
}

export function logGroupEntry(group: LogGroup, region: string, scope: { accountId: string; partition: string }): LogGroupInput | undefined {
  const name = group.logGroupName;
  if (!name) return undefined;
  const entry: LogGroupInput = {
    arn: logGroupArn(group, region, scope),
    region,
    name,
    kmsKeyId: group.kmsKeyId || null,
    // CloudWatch Logs leaves retentionInDays out for a group whose events never expire.
    retentionInDays: typeof group.retentionInDays === 'number' && group.retentionInDays > 0 ? group.retentionInDays : null,
    dataProtectionStatus: group.dataProtectionStatus ?? null,
  };
  return entry;
}

/** `logGroupArn` (no `:*`), else `arn` with its `:*` removed, else built from the name. */
function logGroupArn(group: LogGroup, region: string, scope: { accountId: string; partition: string }): string {
  if (group.logGroupArn) return group.logGroupArn;
  if (group.arn) return stripLogStreamWildcard(group.arn);
  return `arn:${scope.partition}:logs:${region}:${scope.accountId}:log-group:${group.logGroupName}`;
}

/** `...:log-group:<name>:*` -> `...:log-group:<name>`. */
export function stripLogStreamWildcard(arn: string): string {
  return arn.endsWith(':*') ? arn.slice(0, -2) : arn;
}

/**
 * The metric filters of one region, sorted by log group and name; undefined when the listing failed
 * (or had more pages than the bound, recorded as an error so that rules say unknown).
 */
export async function collectMetricFiltersRegion(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<MetricFilterInput[] | undefined> {
  const out: MetricFilterInput[] = [];
  let pages = 0;
  let truncated = false;
  const result = await paginate(
    (nextToken) => rt.call('logs', region, 'DescribeMetricFilters', (c) => c.send(new DescribeMetricFiltersCommand({ limit: 50, ...(nextToken ? { nextToken } : {}) }))),
    (page) => {
      if (++pages < MAX_METRIC_FILTER_PAGES) return page.nextToken;
      truncated = Boolean(page.nextToken);
      return undefined;
    },
    (page) => {
      for (const filter of page.metricFilters ?? []) {
        const entry = metricFilterEntry(filter, region, scope);
        if (entry) out.push(entry);
      }
    },
  );
  if (result === 'failed') return undefined;
  if (truncated) {
    rt.recordError({ service: 'logs', region, operation: 'DescribeMetricFilters', errorCode: 'TooManyPages', message: `more than ${MAX_METRIC_FILTER_PAGES} pages of metric filters; the rest were not read` });
    return undefined;
  }
  return out.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

export function metricFilterEntry(filter: MetricFilter, region: string, scope: { accountId: string; partition: string }): MetricFilterInput | undefined {
  const name = filter.filterName;
  const group = filter.logGroupName;
  if (!name || !group) return undefined;
  return {
    arn: `arn:${scope.partition}:logs:${region}:${scope.accountId}:log-group:${group}:metric-filter:${name}`,
    region,
    name,
    logGroupName: group,
    filterPattern: filter.filterPattern ?? '',
    metricTransformations: (filter.metricTransformations ?? [])
      .filter((t) => t.metricName && t.metricNamespace)
      .map((t) => ({
        metricName: t.metricName!,
        metricNamespace: t.metricNamespace!,
        ...(t.dimensions && Object.keys(t.dimensions).length ? { dimensions: Object.keys(t.dimensions).sort() } : {}),
      })),
  };
}
