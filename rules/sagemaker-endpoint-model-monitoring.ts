import { defineRule } from '../src/engine/types.js';
import { partialScopeReason } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import { describeProduction } from '../src/engine/production.js';
import { collectedEndpoints, regionKey } from '../src/engine/sagemaker-endpoints.js';
import type { SageMakerMonitoringSchedule } from '../src/inventory/schema.js';

/** The monitor types that watch the model's inputs and the quality of its answers. */
const QUALITY_TYPES = new Set(['DataQuality', 'ModelQuality']);
/** Pending: being created; Scheduled: running on its schedule. Stopped and Failed schedules watch nothing. */
const ACTIVE_STATUSES = new Set(['Scheduled', 'Pending']);

export default defineRule({
  meta: {
    id: 'sagemaker-endpoint-model-monitoring',
    title: 'Production SageMaker endpoints have a data or model quality monitoring schedule',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::Endpoint'],
    description:
      'Each production SageMaker endpoint must be watched by a Model Monitor schedule of type DataQuality or ModelQuality that is Scheduled (or Pending creation) and names the endpoint. Production is read from the endpoint\'s tag `environment`, `env` or `stage` (any case): prod, production, prd or live is production; any other value is not applicable; an endpoint without such a tag is judged as production, and the message says so. Only bias or explainability schedules, or stopped and failed schedules, fail; schedules that were not collected, or whose endpoint or type was not read, leave the endpoint unknown. From infrastructure code, an endpoint with no schedule in the same code is unknown: the schedule may be declared elsewhere.',
    rationale:
      'A deployed model degrades silently: the data it is asked about drifts from what it was trained on, and its answers lose accuracy without any error. Data quality monitoring compares live inputs with the training baseline, model quality monitoring compares answers with ground truth; together they are the continuous monitoring the guidance names for deployed models (NIST SI-4 and CA-7, SOC 2 CC7.1 and CC7.2) and the trigger for retraining or rollback.',
    remediation: {
      console: [
        'Make sure the endpoint captures inference data (its endpoint configuration has data capture on).',
        'In SageMaker Studio, open the endpoint under Deployments, Endpoints, and choose "Monitoring", then "Create monitoring schedule".',
        'Choose Data quality (or Model quality, with a ground truth location), a baseline dataset, an S3 output location with a customer managed key, and an hourly or daily schedule; create it.',
      ],
      cli: [
        'aws sagemaker create-data-quality-job-definition --job-definition-name <ENDPOINT>-data-quality \\',
        '  --data-quality-app-specification ImageUri=<MODEL_MONITOR_IMAGE> \\',
        '  --data-quality-job-input \'{"EndpointInput":{"EndpointName":"<ENDPOINT>","LocalPath":"/opt/ml/processing/input"}}\' \\',
        '  --data-quality-job-output-config \'{"MonitoringOutputs":[{"S3Output":{"S3Uri":"s3://<BUCKET>/monitoring","LocalPath":"/opt/ml/processing/output"}}],"KmsKeyId":"<KMS_KEY_ARN>"}\' \\',
        '  --job-resources \'{"ClusterConfig":{"InstanceCount":1,"InstanceType":"ml.m5.large","VolumeSizeInGB":20}}\' --role-arn <ROLE_ARN>',
        'aws sagemaker create-monitoring-schedule --monitoring-schedule-name <ENDPOINT>-data-quality \\',
        '  --monitoring-schedule-config \'{"MonitoringJobDefinitionName":"<ENDPOINT>-data-quality","MonitoringType":"DataQuality","ScheduleConfig":{"ScheduleExpression":"cron(0 * ? * * *)"}}\'',
      ].join('\n'),
      cloudformation: [
        'InferenceDataQuality:',
        '  Type: AWS::SageMaker::MonitoringSchedule',
        '  Properties:',
        '    MonitoringScheduleName: inference-data-quality',
        '    EndpointName: !GetAtt InferenceEndpoint.EndpointName',
        '    MonitoringScheduleConfig:',
        '      MonitoringType: DataQuality',
        '      MonitoringJobDefinitionName: !GetAtt InferenceDataQualityJob.JobDefinitionName',
        '      ScheduleConfig:',
        '        ScheduleExpression: cron(0 * ? * * *)',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_monitoring_schedule" "inference_data_quality" {',
        '  name = "inference-data-quality"',
        '  monitoring_schedule_config {',
        '    monitoring_job_definition_name = aws_sagemaker_data_quality_job_definition.inference.name',
        '    monitoring_type                = "DataQuality"',
        '    schedule_config {',
        '      schedule_expression = "cron(0 * ? * * *)"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html',
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringScheduleSummary.html',
    ],
  },

  *evaluate(context) {
    const collected = collectedEndpoints(context);
    if ('unknown' in collected) {
      yield collected.unknown;
      return;
    }
    const schedules = context.inventory.sagemaker?.monitoringSchedules;
    const byEndpoint = new Map<string, SageMakerMonitoringSchedule[]>();
    /** Per region: schedules whose endpoint was not read (they may watch any endpoint there). */
    const unlinked = new Map<string, SageMakerMonitoringSchedule[]>();
    for (const schedule of schedules ?? []) {
      if (schedule.endpointName === undefined) push(unlinked, schedule.region, schedule);
      else if (schedule.endpointName !== null) push(byEndpoint, regionKey(schedule.region, schedule.endpointName), schedule);
    }
    for (const { endpoint, resource, production } of collected.endpoints) {
      const who = `Endpoint ${endpoint.name} (${describeProduction(production)})`;
      if (production.kind === 'not-production') {
        yield { verdict: 'not_applicable', resource, message: `Endpoint ${endpoint.name} is ${describeProduction(production)}: production monitoring is not required.` };
        continue;
      }
      if (schedules === undefined) {
        const errors = context.index.errorsFor('sagemaker', { operations: ['ListMonitoringSchedules'] });
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether endpoint ${endpoint.name} is monitored: monitoring schedules ${errors.length ? `could not be listed (${describeErrors(errors)})` : 'were not collected'}.`,
        };
        continue;
      }
      const watching = byEndpoint.get(regionKey(endpoint.region, endpoint.name)) ?? [];
      const good = watching.filter((s) => s.monitoringType !== undefined && QUALITY_TYPES.has(s.monitoringType) && s.status !== undefined && ACTIVE_STATUSES.has(s.status));
      const evidence = { production: production.kind, schedules: watching.map((s) => ({ name: s.name, type: s.monitoringType ?? null, status: s.status ?? null })) };
      if (good.length) {
        const names = good.map((s) => `${s.name} (${s.monitoringType}, ${s.status})`).sort();
        yield { verdict: 'pass', resource, message: `${who} is watched by monitoring schedule ${names.join(', ')}.`, evidence };
        continue;
      }
      const unread = watching.filter((s) => s.monitoringType === undefined || s.status === undefined);
      const regionErrors = context.index.errorsFor('sagemaker', { region: endpoint.region, operations: ['ListMonitoringSchedules', 'DescribeMonitoringSchedule'] });
      const partial = partialScopeReason(context);
      const doubt = unread.length
        ? `the type or status of schedule ${unread.map((s) => s.name).sort().join(', ')} was not read`
        : unlinked.get(endpoint.region)?.length
          ? `the endpoint of schedule ${names(unlinked.get(endpoint.region)!)} was not read`
          : regionErrors.length
            ? `monitoring schedules in ${endpoint.region} could not all be read (${describeErrors(regionErrors)})`
            : partial && watching.length === 0
              ? partial
              : undefined;
      const found = watching.length
        ? `its schedules are ${watching.map((s) => `${s.name} (${s.monitoringType ?? 'type not read'}, ${s.status ?? 'status not read'})`).sort().join(', ')}, none a running data or model quality monitor`
        : 'no monitoring schedule names it';
      if (doubt) {
        yield { verdict: 'unknown', resource, message: `Cannot tell whether ${who.charAt(0).toLowerCase()}${who.slice(1)} has a data or model quality monitor: ${found}, but ${doubt}.`, evidence };
        continue;
      }
      yield {
        verdict: 'fail',
        resource,
        message: `${who} has no running data or model quality monitoring: ${found}, so drift in its inputs or answers goes unnoticed.`,
        evidence,
      };
    }
  },
});

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Up to five schedule names, sorted, then how many more. */
function names(schedules: readonly SageMakerMonitoringSchedule[]): string {
  const sorted = schedules.map((s) => s.name).sort();
  return sorted.length > 5 ? `${sorted.slice(0, 5).join(', ')} and ${sorted.length - 5} more` : sorted.join(', ');
}
