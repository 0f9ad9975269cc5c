import { defineRule } from '../src/engine/types.js';
import { guardrailSubject, partialScopeReason, sectionUnknown } from '../src/engine/rule-kit.js';
import type { MetricAlarm } from '../src/inventory/schema.js';
import { actionState, alarmKind, describeActionState, expressionMentions, firstOf, regionAlarms, watchedMetrics } from '../src/engine/alarms.js';

const NAMESPACE = 'AWS/Bedrock/Guardrails';
const METRIC = 'InvocationsIntervened';

export default defineRule({
  meta: {
    id: 'bedrock-guardrail-alarm',
    title: 'A CloudWatch alarm watches how often each Bedrock guardrail intervenes',
    severity: 'low',
    service: 'bedrock',
    resourceTypes: ['AWS::Bedrock::Guardrail'],
    description:
      'For each Bedrock guardrail, a CloudWatch metric alarm in the guardrail\'s Region must watch the AWS/Bedrock/Guardrails InvocationsIntervened metric (the invocations the guardrail blocked or masked), as its own metric or inside a metric math query (a block rate, InvocationsIntervened / Invocations) or anomaly detection band, with its actions enabled and an ALARM action. An alarm whose GuardrailArn dimension names another guardrail does not count; one without a GuardrailArn dimension, or limited to a policy type (GuardrailPolicyType: a blocked category), a content source or a version, counts. An alarm that exists but cannot act fails. A metric math expression that selects guardrail metrics by SEARCH or SELECT is unknown. Unknown when the alarms of the Region were not collected, and on an inventory from templates or plans when none is declared (the alarm may be defined elsewhere).',
    rationale:
      'A guardrail that starts intervening far more often is the signal of a prompt injection campaign, a jailbreak attempt, users pasting personal data, or a new application feature that sends content the policy blocks; one that stops intervening may have been detached. The guidance asks that guardrail block rates and blocked categories be monitored; an alarm on InvocationsIntervened is that monitoring turned into a notification (NIST SI-4, SOC 2 CC7.2).',
    remediation: {
      console: [
        'Open the CloudWatch console in the guardrail\'s Region, Alarms, Create alarm.',
        'Select metric, Bedrock, Guardrails, GuardrailArn/GuardrailVersion, and InvocationsIntervened for the guardrail.',
        'Choose Anomaly detection (or a static threshold on the Sum), and an SNS topic your team receives as the In alarm action.',
      ],
      cli: [
        'aws cloudwatch put-metric-alarm --region <REGION> --alarm-name guardrail-interventions \\',
        '  --namespace AWS/Bedrock/Guardrails --metric-name InvocationsIntervened \\',
        '  --dimensions Name=GuardrailArn,Value=<GUARDRAIL_ARN> Name=GuardrailVersion,Value=<VERSION> \\',
        '  --statistic Sum --period 300 --evaluation-periods 1 --threshold 20 --comparison-operator GreaterThanThreshold \\',
        '  --treat-missing-data notBreaching --alarm-actions <SNS_TOPIC_ARN>',
      ].join('\n'),
      cloudformation: [
        'GuardrailInterventionsAlarm:',
        '  Type: AWS::CloudWatch::Alarm',
        '  Properties:',
        '    Namespace: AWS/Bedrock/Guardrails',
        '    MetricName: InvocationsIntervened',
        '    Dimensions:',
        '      - Name: GuardrailArn',
        '        Value: !GetAtt Guardrail.GuardrailArn',
        '      - Name: GuardrailVersion',
        '        Value: !GetAtt GuardrailVersion.Version',
        '    Statistic: Sum',
        '    Period: 300',
        '    EvaluationPeriods: 1',
        '    Threshold: 20',
        '    ComparisonOperator: GreaterThanThreshold',
        '    TreatMissingData: notBreaching',
        '    AlarmActions: [!Ref SecurityAlertsTopic]',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudwatch_metric_alarm" "guardrail_interventions" {',
        '  alarm_name          = "guardrail-interventions"',
        '  namespace           = "AWS/Bedrock/Guardrails"',
        '  metric_name         = "InvocationsIntervened"',
        '  dimensions = {',
        '    GuardrailArn     = aws_bedrock_guardrail.main.guardrail_arn',
        '    GuardrailVersion = aws_bedrock_guardrail_version.main.version',
        '  }',
        '  statistic           = "Sum"',
        '  period              = 300',
        '  evaluation_periods  = 1',
        '  threshold           = 20',
        '  comparison_operator = "GreaterThanThreshold"',
        '  treat_missing_data  = "notBreaching"',
        '  alarm_actions       = [aws_sns_topic.security_alerts.arn]',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-guardrails-cw-metrics.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
    ],
  },

  *evaluate(context) {
    const bedrock = context.inventory.bedrock;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const guardrailAlarms = new Map<string, MetricAlarm[]>();
    for (const guardrail of bedrock.guardrails) {
      const { resource, label } = guardrailSubject(guardrail);
      const known = regionAlarms(context, guardrail.region);
      if ('unknown' in known) {
        yield { verdict: 'unknown', resource, message: `Cannot tell whether an alarm watches ${label}'s interventions: ${known.unknown}.` };
        continue;
      }
      const acting: string[] = [];
      const silent: string[] = [];
      const open: string[] = [];
      // Only the alarms that can concern a guardrail (its metric, or an expression naming the
      // namespace), found once per Region: a large account has thousands of other alarms.
      const relevant = guardrailAlarms.get(guardrail.region) ?? guardrailAlarms.set(guardrail.region, known.alarms.filter((a) => watchedMetrics(a).some((m) => m.namespace === NAMESPACE && m.metricName === METRIC) || expressionMentions(a, NAMESPACE))).get(guardrail.region)!;
      for (const alarm of relevant) {
        const watched = watchedMetrics(alarm).filter((m) => {
          if (m.namespace !== NAMESPACE || m.metricName !== METRIC) return false;
          const arn = m.dimensions.find((d) => d.name === 'GuardrailArn');
          // A GuardrailArn without a known value (IaC reference not resolved) may be this guardrail.
          return !arn || arn.value === undefined || arn.value === guardrail.arn;
        });
        if (!watched.length) {
          if (expressionMentions(alarm, NAMESPACE)) open.push(`alarm ${alarm.name} selects guardrail metrics by an expression aigis does not evaluate`);
          continue;
        }
        const unresolved = watched.some((m) => m.dimensions.some((d) => d.name === 'GuardrailArn' && d.value === undefined));
        const scope = watched
          .flatMap((m) => m.dimensions.filter((d) => d.name !== 'GuardrailArn').map((d) => `${d.name}=${d.value ?? '?'}`))
          .filter((v, i, all) => all.indexOf(v) === i);
        const what = `${METRIC}${scope.length ? ` (${scope.join(', ')})` : ''}, ${alarmKind(alarm)}`;
        const state = actionState(alarm);
        if (unresolved) open.push(`alarm ${alarm.name}'s GuardrailArn dimension is not known (${what})`);
        else if (state === 'acts') acting.push(`${describeActionState(alarm, state)} on ${what}`);
        else if (state === 'unknown') open.push(`${describeActionState(alarm, state)} (${what})`);
        else silent.push(`${describeActionState(alarm, state)} (${what})`);
      }
      const evidence = { acting, silent, open };
      if (acting.length) {
        yield { verdict: 'pass', resource, message: `${label}'s interventions are watched: ${firstOf(acting)}.`, evidence };
      } else if (open.length) {
        yield { verdict: 'unknown', resource, message: `Cannot tell whether an alarm acts on ${label}'s interventions: ${[...open, ...silent].join('; ')}.`, evidence };
      } else if (!silent.length && partialScopeReason(context)) {
        yield { verdict: 'unknown', resource, message: `The infrastructure code declares no alarm on ${label}'s interventions, but ${partialScopeReason(context)}.`, evidence };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: silent.length
            ? `No alarm on ${label}'s interventions can act: ${silent.join('; ')}.`
            : `No CloudWatch alarm in ${guardrail.region} watches ${NAMESPACE} ${METRIC} for ${label}: a surge of blocked prompts or responses (injection or jailbreak attempts, leaking personal data) goes unnoticed.`,
          evidence,
        };
      }
    }
  },
});
