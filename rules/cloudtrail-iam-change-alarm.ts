import { defineRule } from '../src/engine/types.js';
import { accountRef, partialScopeReason, sectionUnknown } from '../src/engine/rule-kit.js';
import { actionState, alarmsOnFilter, describeActionState, logGroupFilters, regionAlarms } from '../src/engine/alarms.js';
import { matchesEvent, parseFilterPattern, unknownSelectors, type EventValue, type FilterPattern, type ModelledEvent } from '../src/engine/filter-pattern.js';
import { parseLogGroupArn } from '../src/engine/log-groups.js';
import type { MetricFilter } from '../src/inventory/schema.js';

/** IAM calls that change what an AI role may do or who may assume it (requestParameters.roleName names the role). */
const ROLE_EVENTS = ['PutRolePolicy', 'DeleteRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'UpdateAssumeRolePolicy'];
/** IAM calls that change a managed policy attached to an AI role (no role name in the event). */
const POLICY_EVENTS = ['CreatePolicyVersion', 'SetDefaultPolicyVersion'];
/** The Region in which CloudTrail records a partition's IAM calls (awsRegion of the event). */
const IAM_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

/** Up to five names, then how many more. */
const listed = (names: readonly string[]) => (names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', '));

interface FilterJudgement {
  filter: MetricFilter;
  state: 'catches' | 'misses' | 'depends' | 'unreadable';
  detail: string;
}

/**
 * The CloudTrail record of one of these calls as far as it is the same for every call: the fields
 * a filter can rely on. Anything else (who called, the policy ARN or document) varies, so a filter
 * that tests it depends on the call.
 */
function modelledEvent(eventName: string, roleName: string | null, awsRegion: string, accountId: string): ModelledEvent {
  const fields = new Map<string, EventValue>([
    ['$.eventSource', 'iam.amazonaws.com'],
    ['$.eventName', eventName],
    ['$.eventType', 'AwsApiCall'],
    ['$.eventCategory', 'Management'],
    ['$.awsRegion', awsRegion],
    ['$.readOnly', false],
    ['$.managementEvent', true],
    ['$.recipientAccountId', accountId],
    // A call that failed changed nothing: the events to catch are the successful ones.
    ['$.errorCode', null],
    ['$.errorMessage', null],
    ['$.requestParameters.roleName', roleName],
  ]);
  return { fields };
}

function judgeFilter(filter: MetricFilter, roles: readonly string[], awsRegion: string, accountId: string): FilterJudgement {
  if (filter.filterPattern === undefined) return { filter, state: 'unreadable', detail: `metric filter ${filter.name}'s pattern is not known` };
  const pattern: FilterPattern = parseFilterPattern(filter.filterPattern);
  if (pattern.kind === 'unsupported') return { filter, state: 'unreadable', detail: `metric filter ${filter.name}'s pattern cannot be read by aigis (${pattern.reason})` };
  const missed: string[] = [];
  const open: string[] = [];
  // Only a pattern that reads the role name (a roleName condition, or terms that may be part of a
  // name) can answer differently per role: any other is judged once.
  const perRole = pattern.kind === 'terms' || unknownSelectors(pattern, { fields: new Map() }).includes('$.requestParameters.roleName');
  const tried = perRole ? roles : roles.slice(0, 1);
  for (const eventName of ROLE_EVENTS) {
    const results = tried.map((role) => [role, matchesEvent(pattern, modelledEvent(eventName, role, awsRegion, accountId))] as const);
    const missedRoles = results.filter(([, r]) => r === false).map(([role]) => role);
    if (missedRoles.length === tried.length) missed.push(eventName);
    else if (missedRoles.length) missed.push(`${eventName} on ${listed(missedRoles)}`);
    else if (results.some(([, r]) => r === undefined)) open.push(eventName);
  }
  for (const eventName of POLICY_EVENTS) {
    const result = matchesEvent(pattern, modelledEvent(eventName, null, awsRegion, accountId));
    if (result === false) missed.push(eventName);
    else if (result === undefined) open.push(eventName);
  }
  if (missed.length) return { filter, state: 'misses', detail: `metric filter ${filter.name} does not match ${missed.join(', ')}` };
  if (open.length) {
    // A condition on a field that varies between calls (who called, from where, which policy)
    // matches some of these calls and not others: the filter does not catch every change.
    const fields = unknownSelectors(pattern, modelledEvent(ROLE_EVENTS[0]!, tried[0] ?? null, awsRegion, accountId));
    const on = fields.length ? `it also tests ${fields.join(', ')}, which vary between calls` : 'its terms need not appear in every such event';
    return { filter, state: 'depends', detail: `metric filter ${filter.name} matches ${open.join(', ')} only for some calls (${on})` };
  }
  return { filter, state: 'catches', detail: `metric filter ${filter.name} matches every change` };
}

export default defineRule({
  meta: {
    id: 'cloudtrail-iam-change-alarm',
    title: 'An alarm fires on IAM policy changes to AI roles (CloudTrail metric filter and alarm)',
    severity: 'medium',
    service: 'cloudtrail',
    resourceTypes: ['AWS::::Account'],
    aiControl: true,
    description:
      'Where IAM roles serve AI workloads (execution roles of SageMaker jobs, models and notebooks, roles of Bedrock agents, knowledge bases and flows), a trail that records IAM events (multi-region, or in the partition\'s IAM Region), is not stopped and delivers to a CloudWatch Logs log group must have, on that log group, a metric filter whose pattern matches every call that changes those roles\' permissions or trust (PutRolePolicy, DeleteRolePolicy, AttachRolePolicy, DetachRolePolicy and UpdateAssumeRolePolicy on each AI role, CreatePolicyVersion and SetDefaultPolicyVersion), and a CloudWatch alarm on the filter\'s metric, in the log group\'s Region, with its actions enabled and an ALARM action. A CIS-style eventName list or `$.eventSource = iam.amazonaws.com` matches; a pattern restricted to other roles, or missing an event, fails. Patterns are read by a bounded parser (terms, JSON conditions with &&, ||, =, !=, wildcards, IS/NOT EXISTS, IN); a pattern it cannot read (space-delimited, regular expressions) is unknown, never a pass, and one that also tests a field that varies between calls (who called, source IP, the policy) matches only some changes and fails. An alarm on one dimension value of a filter that publishes dimensions is unknown. Accounts with no AI role are not applicable; missing trails, filters or alarms are unknown when not collected, and on an inventory from templates or plans (the rest of the account may have them).',
    rationale:
      'An AI workload\'s role decides what data the model reads and where its artifacts go. A new inline policy, an attached AdministratorAccess, a new default policy version or a loosened trust policy silently widens that reach, and is a classic privilege escalation path. CloudTrail records the call, but nobody reads it in time unless a metric filter counts it and an alarm notifies someone: the audit review, monitoring and alerting that NIST AU-6 and SI-4, HIPAA 164.308(a)(1)(ii)(D) and SOC 2 CC7.2 ask for.',
    remediation: {
      console: [
        'Open the CloudWatch console, Logs, Log groups, and choose the log group your multi-region trail delivers to.',
        'Metric filters, Create metric filter: pattern { ($.eventSource = iam.amazonaws.com) && (($.eventName = PutRolePolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = UpdateAssumeRolePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = SetDefaultPolicyVersion)) }, namespace CloudTrailMetrics, metric IAMPolicyChanges, value 1.',
        'Select the filter, Create alarm: Sum >= 1 over 5 minutes, with an SNS topic your security team receives as the In alarm action.',
      ],
      cli: [
        'aws logs put-metric-filter --log-group-name <TRAIL_LOG_GROUP> --filter-name iam-policy-changes \\',
        '  --filter-pattern \'{ ($.eventSource = iam.amazonaws.com) && (($.eventName = PutRolePolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = UpdateAssumeRolePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = SetDefaultPolicyVersion)) }\' \\',
        '  --metric-transformations metricName=IAMPolicyChanges,metricNamespace=CloudTrailMetrics,metricValue=1',
        'aws cloudwatch put-metric-alarm --alarm-name iam-policy-changes --namespace CloudTrailMetrics --metric-name IAMPolicyChanges \\',
        '  --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold \\',
        '  --treat-missing-data notBreaching --alarm-actions <SNS_TOPIC_ARN>',
      ].join('\n'),
      cloudformation: [
        'IamPolicyChangesFilter:',
        '  Type: AWS::Logs::MetricFilter',
        '  Properties:',
        '    LogGroupName: !Ref TrailLogGroup',
        '    FilterPattern: >-',
        '      { ($.eventSource = iam.amazonaws.com) && (($.eventName = PutRolePolicy) || ($.eventName = DeleteRolePolicy) ||',
        '      ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = UpdateAssumeRolePolicy) ||',
        '      ($.eventName = CreatePolicyVersion) || ($.eventName = SetDefaultPolicyVersion)) }',
        '    MetricTransformations:',
        '      - MetricNamespace: CloudTrailMetrics',
        '        MetricName: IAMPolicyChanges',
        '        MetricValue: "1"',
        'IamPolicyChangesAlarm:',
        '  Type: AWS::CloudWatch::Alarm',
        '  Properties:',
        '    Namespace: CloudTrailMetrics',
        '    MetricName: IAMPolicyChanges',
        '    Statistic: Sum',
        '    Period: 300',
        '    EvaluationPeriods: 1',
        '    Threshold: 1',
        '    ComparisonOperator: GreaterThanOrEqualToThreshold',
        '    TreatMissingData: notBreaching',
        '    AlarmActions: [!Ref SecurityAlertsTopic]',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudwatch_log_metric_filter" "iam_policy_changes" {',
        '  name           = "iam-policy-changes"',
        '  log_group_name = aws_cloudwatch_log_group.trail.name',
        '  pattern        = "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = PutRolePolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = UpdateAssumeRolePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = SetDefaultPolicyVersion)) }"',
        '  metric_transformation {',
        '    name      = "IAMPolicyChanges"',
        '    namespace = "CloudTrailMetrics"',
        '    value     = "1"',
        '  }',
        '}',
        'resource "aws_cloudwatch_metric_alarm" "iam_policy_changes" {',
        '  alarm_name          = "iam-policy-changes"',
        '  namespace           = "CloudTrailMetrics"',
        '  metric_name         = "IAMPolicyChanges"',
        '  statistic           = "Sum"',
        '  period              = 300',
        '  evaluation_periods  = 1',
        '  threshold           = 1',
        '  comparison_operator = "GreaterThanOrEqualToThreshold"',
        '  treat_missing_data  = "notBreaching"',
        '  alarm_actions       = [aws_sns_topic.security_alerts.arn]',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-4',
    ],
  },

  *evaluate(context) {
    const resource = accountRef(context);
    const roles = [...context.ai.members.keys()]
      .filter((key) => /^arn:[^:]+:iam::[0-9]{12}:role\//.test(key))
      .map((arn) => arn.slice(arn.lastIndexOf('/') + 1))
      .sort();
    const aiRoles = [...new Set(roles)];
    if (!aiRoles.length) {
      if (!context.inventory.bedrock && !context.inventory.sagemaker) {
        yield sectionUnknown(context, 'sagemaker', 'The SageMaker and Bedrock inventories');
      } else {
        yield { verdict: 'not_applicable', resource, message: 'No IAM role serves an AI workload in this inventory.' };
      }
      return;
    }
    const section = context.inventory.cloudtrail;
    if (!section) {
      yield sectionUnknown(context, 'cloudtrail', 'The CloudTrail inventory');
      return;
    }
    const { accountId, partition } = context.index;
    const iamRegion = IAM_REGION[partition] ?? 'us-east-1';
    const roleList = listed(aiRoles);

    const open: string[] = [];
    const failures: string[] = [];
    const evidence: Record<string, unknown>[] = [];
    let passed: string | undefined;

    for (const trail of [...section.trails].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))) {
      if (!trail.isMultiRegionTrail && trail.homeRegion !== iamRegion) continue;
      if (trail.isLogging === false) continue;
      const target = trail.cloudWatchLogsLogGroupArn;
      if (target === undefined) {
        open.push(`trail ${trail.name}'s CloudWatch Logs delivery was not read`);
        continue;
      }
      if (target === null || target === '') continue;
      const ref = parseLogGroupArn(target);
      if (!ref) {
        open.push(`trail ${trail.name} delivers to ${target}, which is not a log group ARN aigis can read`);
        continue;
      }
      if (ref.accountId !== accountId) {
        open.push(`trail ${trail.name} delivers to log group ${ref.name} in account ${ref.accountId}, which was not scanned`);
        continue;
      }
      const where = `trail ${trail.name} (log group ${ref.name}, ${ref.region})`;
      const filters = logGroupFilters(context, ref.region, ref.name);
      if ('unknown' in filters) {
        open.push(`${where}: ${filters.unknown}`);
        continue;
      }
      const judged = filters.filters.map((f) => judgeFilter(f, aiRoles, iamRegion, accountId));
      const unresolved = filters.unresolved.map((f) => judgeFilter(f, aiRoles, iamRegion, accountId)).filter((j) => j.state !== 'misses');
      const trailEvidence: Record<string, unknown> = {
        trail: trail.arn,
        logGroup: ref.arn,
        filters: Object.fromEntries(judged.map((j) => [j.filter.name, j.state])),
      };
      evidence.push(trailEvidence);
      for (const j of unresolved) open.push(`${where}: metric filter ${j.filter.name}'s log group is not known (it may be this one)`);
      for (const j of judged) if (j.state === 'unreadable') open.push(`${where}: ${j.detail}`);
      const catching = judged.filter((j) => j.state === 'catches');
      if (!catching.length) {
        // The filters that miss events say most; those that match only some calls, when there are none.
        const missing = judged.filter((j) => j.state === 'misses');
        const misses = missing.length ? missing : judged.filter((j) => j.state === 'depends');
        // Filters that cannot be read are already open questions.
        if (judged.length === 0) failures.push(`${where} has no metric filter`);
        else if (misses.length) failures.push(`${where}: ${misses.map((j) => j.detail).join('; ')}`);
        continue;
      }
      const alarms = regionAlarms(context, ref.region);
      if ('unknown' in alarms) {
        open.push(`${where}: ${catching.map((j) => j.filter.name).join(', ')} match the changes, but ${alarms.unknown}`);
        continue;
      }
      const alarmEvidence: Record<string, string> = {};
      trailEvidence.alarms = alarmEvidence;
      for (const j of catching) {
        const metrics = j.filter.metricTransformations.map((t) => `${t.metricNamespace}/${t.metricName}`).join(', ') || '(no metric)';
        const on = alarmsOnFilter(j.filter, alarms.alarms);
        if (!on.length) {
          failures.push(`${where}: ${j.detail}, but no alarm in ${ref.region} watches its metric ${metrics}`);
          continue;
        }
        for (const { alarm, scoped } of on) {
          const state = actionState(alarm);
          alarmEvidence[alarm.name] = scoped ? `${state} (one dimension value)` : state;
          if (state === 'acts' && !scoped) passed ??= `${where}: ${j.detail} (${metrics}) and ${describeActionState(alarm, state)}`;
          else if (state === 'acts') open.push(`${where}: alarm ${alarm.name} watches one dimension value of ${metrics} only`);
          else if (state === 'unknown') open.push(`${where}: ${describeActionState(alarm, state)}`);
          else failures.push(`${where}: ${j.detail}, but ${describeActionState(alarm, state)}`);
        }
      }
    }

    const scope = `IAM policy changes to the AI roles (${roleList})`;
    if (passed) {
      yield { verdict: 'pass', resource, message: `An alarm fires on ${scope}: ${passed}.`, evidence: { aiRoles, trails: evidence } };
      return;
    }
    if (open.length) {
      yield {
        verdict: 'unknown',
        resource,
        message: `Cannot tell whether an alarm fires on ${scope}: ${open.join('; ')}.${failures.length ? ` Elsewhere: ${failures.join('; ')}.` : ''}`,
        evidence: { aiRoles, trails: evidence },
      };
      return;
    }
    const partial = partialScopeReason(context);
    if (partial) {
      yield {
        verdict: 'unknown',
        resource,
        message: `The infrastructure code declares no alarm on ${scope}${failures.length ? ` (${failures.join('; ')})` : ''}, but ${partial}.`,
        evidence: { aiRoles, trails: evidence },
      };
      return;
    }
    yield {
      verdict: 'fail',
      resource,
      message: failures.length
        ? `No alarm fires on ${scope}: ${failures.join('; ')}.`
        : `No alarm fires on ${scope}: no trail that records IAM events (multi-region or in ${iamRegion}) and is logging delivers to CloudWatch Logs, so no metric filter can count them.`,
      evidence: { aiRoles, trails: evidence },
    };
  },
});
