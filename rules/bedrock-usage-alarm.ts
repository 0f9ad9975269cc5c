import { defineRule } from '../src/engine/types.js';
import { missingReason, partialScopeReason, pushTo, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { actionState, alarmKind, describeActionState, expressionMentions, firstOf, regionAlarms, watchedMetrics } from '../src/engine/alarms.js';

/** Metrics that show how much Bedrock is used, by namespace: volume, tokens, and throttling or rejected calls. */
const USAGE_METRICS: Record<string, readonly string[]> = {
  'AWS/Bedrock': ['Invocations', 'InputTokenCount', 'OutputTokenCount', 'OutputImageCount', 'InvocationThrottles', 'InvocationClientErrors'],
  'AWS/Bedrock/Agents': ['InvocationCount', 'ModelInvocationCount', 'InputTokenCount', 'OutputTokenCount', 'InvocationThrottles', 'InvocationClientErrors'],
};

export default defineRule({
  meta: {
    id: 'bedrock-usage-alarm',
    title: 'A CloudWatch alarm watches Bedrock usage in every Region where Bedrock is used',
    severity: 'low',
    service: 'bedrock',
    resourceTypes: ['AWS::::Account'],
    description:
      'In each Region where the inventory shows Bedrock in use (agents, custom models, guardrails, knowledge bases, flows, or model invocation logging configured: the workloads of the AI asset graph, as for cloudtrail-bedrock-data-events), at least one CloudWatch metric alarm in that Region must watch a Bedrock usage metric (AWS/Bedrock Invocations, InputTokenCount, OutputTokenCount, OutputImageCount, InvocationThrottles, or InvocationClientErrors; AWS/Bedrock/Agents InvocationCount, ModelInvocationCount, token counts, throttles or client errors), as its own metric or inside a metric math or anomaly detection query, with its actions enabled and an ALARM action. An alarm limited to one model (a ModelId dimension) counts. An alarm that exists but cannot act fails. A metric math expression that names a Bedrock namespace in a SEARCH or SELECT (metrics aigis cannot list) is unknown. Regions without Bedrock use are not applicable; a Region is unknown when its alarms were not collected, and on an inventory from templates or plans when none is declared.',
    rationale:
      'Stolen credentials or a leaked API key used against Bedrock ("LLMjacking"), a runaway agent loop or prompt flooding show first as a jump in invocations or tokens. Without an alarm on those metrics the bill or the quota is the first signal. This is the monitoring of AI system use that NIST SI-4 and AU-6 and SOC 2 CC7.2 ask for, and what the guidance lists under operational metrics and alarms for AI systems.',
    remediation: {
      console: [
        'Open the CloudWatch console in the Region where Bedrock is used, Alarms, Create alarm.',
        'Select metric, Bedrock, "Across all model IDs", Invocations (or InputTokenCount).',
        'Choose Anomaly detection (or a static threshold above your normal peak), and an SNS topic your team receives as the In alarm action.',
      ],
      cli: [
        'aws cloudwatch put-metric-alarm --region <REGION> --alarm-name bedrock-invocations-anomaly \\',
        '  --evaluation-periods 3 --comparison-operator GreaterThanUpperThreshold --threshold-metric-id ad1 \\',
        '  --metrics \'[{"Id":"m1","ReturnData":true,"MetricStat":{"Metric":{"Namespace":"AWS/Bedrock","MetricName":"Invocations"},"Period":300,"Stat":"Sum"}},\'',
        '\'            {"Id":"ad1","Expression":"ANOMALY_DETECTION_BAND(m1, 3)","ReturnData":true}]\' \\',
        '  --alarm-actions <SNS_TOPIC_ARN>',
      ].join('\n'),
      cloudformation: [
        'BedrockInvocationsAlarm:',
        '  Type: AWS::CloudWatch::Alarm',
        '  Properties:',
        '    AlarmDescription: Unusual Bedrock invocation volume',
        '    ComparisonOperator: GreaterThanUpperThreshold',
        '    EvaluationPeriods: 3',
        '    ThresholdMetricId: ad1',
        '    Metrics:',
        '      - Id: m1',
        '        ReturnData: true',
        '        MetricStat:',
        '          Metric:',
        '            Namespace: AWS/Bedrock',
        '            MetricName: Invocations',
        '          Period: 300',
        '          Stat: Sum',
        '      - Id: ad1',
        '        Expression: ANOMALY_DETECTION_BAND(m1, 3)',
        '        ReturnData: true',
        '    AlarmActions: [!Ref SecurityAlertsTopic]',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudwatch_metric_alarm" "bedrock_invocations" {',
        '  alarm_name          = "bedrock-invocations-anomaly"',
        '  comparison_operator = "GreaterThanUpperThreshold"',
        '  evaluation_periods  = 3',
        '  threshold_metric_id = "ad1"',
        '  alarm_actions       = [aws_sns_topic.security_alerts.arn]',
        '  metric_query {',
        '    id          = "m1"',
        '    return_data = true',
        '    metric {',
        '      namespace   = "AWS/Bedrock"',
        '      metric_name = "Invocations"',
        '      period      = 300',
        '      stat        = "Sum"',
        '    }',
        '  }',
        '  metric_query {',
        '    id          = "ad1"',
        '    expression  = "ANOMALY_DETECTION_BAND(m1, 3)"',
        '    return_data = true',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-agents-cw-metrics.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Anomaly_Detection.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const used = new Map<string, string[]>();
    for (const workload of context.ai.workloads) {
      if (!workload.type.startsWith('AWS::Bedrock::') || workload.type === 'AWS::Bedrock::Prompt') continue;
      pushTo(used, workload.region, workload.type === 'AWS::Bedrock::InvocationLogging' ? 'model invocation logging' : workload.name);
    }
    const { partition, accountId } = context.index;
    const regions = [...new Set([...context.inventory.regions, ...used.keys()])].sort();
    for (const region of regions) {
      const resource = resourceRef(`arn:${partition}:bedrock:${region}:${accountId}:usage-alarm`, 'AWS::::Account', region, `Bedrock usage alarm (${region})`);
      const uses = used.get(region);
      if (!uses) {
        yield context.index.errorsFor('bedrock', { region }).length
          ? { verdict: 'unknown', resource, message: `Cannot tell whether Bedrock is used in ${region}: ${missingReason(context, 'bedrock', { region }, 'its Bedrock resources')}.` }
          : { verdict: 'not_applicable', resource, message: `No Bedrock agents, custom models, guardrails, knowledge bases, flows or invocation logging in ${region}.` };
        continue;
      }
      const use = [...new Set(uses)].sort().join(', ');
      const known = regionAlarms(context, region);
      if ('unknown' in known) {
        yield { verdict: 'unknown', resource, message: `Bedrock is used in ${region} (${use}); cannot tell whether an alarm watches its usage: ${known.unknown}.` };
        continue;
      }
      const acting: string[] = [];
      const silent: string[] = [];
      const open: string[] = [];
      for (const alarm of known.alarms) {
        const watched = watchedMetrics(alarm).filter((m) => USAGE_METRICS[m.namespace]?.includes(m.metricName));
        const state = actionState(alarm);
        if (!watched.length) {
          if (Object.keys(USAGE_METRICS).some((ns) => expressionMentions(alarm, ns))) open.push(`alarm ${alarm.name} selects Bedrock metrics by an expression aigis does not evaluate`);
          continue;
        }
        const what = `${[...new Set(watched.map((m) => `${m.namespace} ${m.metricName}`))].join(', ')}, ${alarmKind(alarm)}`;
        if (state === 'acts') acting.push(`${describeActionState(alarm, state)} on ${what}`);
        else if (state === 'unknown') open.push(`${describeActionState(alarm, state)} (${what})`);
        else silent.push(`${describeActionState(alarm, state)} (${what})`);
      }
      const evidence = { bedrockUse: [...new Set(uses)].sort(), acting, silent, open };
      if (acting.length) {
        yield { verdict: 'pass', resource, message: `Bedrock usage in ${region} is watched: ${firstOf(acting)}.`, evidence };
      } else if (open.length) {
        yield { verdict: 'unknown', resource, message: `Bedrock is used in ${region} (${use}); cannot tell whether an alarm acts on its usage: ${[...open, ...silent].join('; ')}.`, evidence };
      } else if (!silent.length && partialScopeReason(context)) {
        yield { verdict: 'unknown', resource, message: `Bedrock is used in ${region} (${use}) and the infrastructure code declares no alarm on its usage, but ${partialScopeReason(context)}.`, evidence };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: silent.length
            ? `Bedrock is used in ${region} (${use}), but no alarm on its usage can act: ${silent.join('; ')}.`
            : `Bedrock is used in ${region} (${use}), but no CloudWatch alarm watches its invocations, tokens or throttles: unusual use (leaked credentials, runaway agents) goes unnoticed until the bill.`,
          evidence,
        };
      }
    }
  },
});
