/**
 * CloudWatch Logs, per region: log groups with their KMS key, retention and data protection
 * status, all from the DescribeLogGroups listing (no per-group call). The ARN is recorded without
 * the `:*` suffix DescribeLogGroups' `arn` carries, as CloudTrail and Bedrock references are matched.
 */
import { DescribeLogGroupsCommand, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { paginate, type CollectRuntime } from './runtime.js';
import type { LogGroupInput } from './shapes.js';

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
