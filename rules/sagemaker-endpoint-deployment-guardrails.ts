import { defineRule } from '../src/engine/types.js';
import { missingReason } from '../src/engine/rule-kit.js';
import { describeProduction } from '../src/engine/production.js';
import { collectedEndpoints } from '../src/engine/sagemaker-endpoints.js';
import type { SageMakerEndpoint } from '../src/inventory/schema.js';

export default defineRule({
  meta: {
    id: 'sagemaker-endpoint-deployment-guardrails',
    title: 'Production SageMaker endpoints update with deployment guardrails and automatic rollback',
    severity: 'low',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::Endpoint'],
    description:
      'Each production SageMaker endpoint must carry a deployment configuration (DescribeEndpoint LastDeploymentConfig; DeploymentConfig in CloudFormation, deployment_config in Terraform) with at least one CloudWatch alarm in AutoRollbackConfiguration, so that an update shifts traffic blue/green (all at once, canary or linear) or rolling and rolls back by itself when the alarm fires. No deployment configuration, or one without rollback alarms, fails. Production is read from the tag `environment`, `env` or `stage` (prod, production, prd, live); other values are not applicable; untagged endpoints are judged as production.',
    rationale:
      'Replacing the model behind a live endpoint is the riskiest change an AI workload sees: a bad version answers every request until someone notices. Deployment guardrails keep the old fleet until the new one proves itself on a slice of traffic and return to it automatically on an alarm (the canary or blue/green gate the guidance names before production; NIST CM-3 and SI-2 change control, SOC 2 CC8.1).',
    remediation: {
      console: [
        'Create CloudWatch alarms on the endpoint\'s errors and latency (Invocation5XXErrors, ModelLatency) for the new variant.',
        'Update the endpoint with a deployment configuration: in the SageMaker AI console the update page has "Deployment guardrails"; choose canary or linear traffic shifting and add the alarms for automatic rollback (or call update-endpoint as below).',
        'In CloudFormation or Terraform, add DeploymentConfig / deployment_config so that every update carries it.',
      ],
      cli: [
        'aws sagemaker update-endpoint --endpoint-name <ENDPOINT> --endpoint-config-name <NEW_CONFIG> \\',
        '  --deployment-config \'{"BlueGreenUpdatePolicy":{"TrafficRoutingConfiguration":{"Type":"CANARY","CanarySize":{"Type":"CAPACITY_PERCENT","Value":10},"WaitIntervalInSeconds":600},"TerminationWaitInSeconds":600},"AutoRollbackConfiguration":{"Alarms":[{"AlarmName":"<ENDPOINT>-5xx"},{"AlarmName":"<ENDPOINT>-latency"}]}}\'',
      ].join('\n'),
      cloudformation: [
        'InferenceEndpoint:',
        '  Type: AWS::SageMaker::Endpoint',
        '  Properties:',
        '    EndpointConfigName: !GetAtt InferenceEndpointConfig.EndpointConfigName',
        '    DeploymentConfig:',
        '      BlueGreenUpdatePolicy:',
        '        TrafficRoutingConfiguration:',
        '          Type: CANARY',
        '          CanarySize: { Type: CAPACITY_PERCENT, Value: 10 }',
        '          WaitIntervalInSeconds: 600',
        '      AutoRollbackConfiguration:',
        '        Alarms:',
        '          - AlarmName: !Ref EndpointErrorsAlarm',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_endpoint" "inference" {',
        '  endpoint_config_name = aws_sagemaker_endpoint_configuration.inference.name',
        '  deployment_config {',
        '    blue_green_update_policy {',
        '      traffic_routing_configuration {',
        '        type                     = "CANARY"',
        '        wait_interval_in_seconds = 600',
        '        canary_size {',
        '          type  = "CAPACITY_PERCENT"',
        '          value = 10',
        '        }',
        '      }',
        '    }',
        '    auto_rollback_configuration {',
        '      alarms {',
        '        alarm_name = aws_cloudwatch_metric_alarm.endpoint_errors.alarm_name',
        '      }',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html',
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DeploymentConfig.html',
    ],
  },

  *evaluate(context) {
    const collected = collectedEndpoints(context);
    if ('unknown' in collected) {
      yield collected.unknown;
      return;
    }
    for (const { endpoint, resource, production } of collected.endpoints) {
      const who = `Endpoint ${endpoint.name} (${describeProduction(production)})`;
      if (production.kind === 'not-production') {
        yield { verdict: 'not_applicable', resource, message: `Endpoint ${endpoint.name} is ${describeProduction(production)}: deployment guardrails are required for production only.` };
        continue;
      }
      const config = endpoint.deploymentConfig;
      if (config === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether endpoint ${endpoint.name} updates with guardrails: ${missingReason(context, 'sagemaker', { resource: endpoint.arn, operations: ['DescribeEndpoint'] }, 'its deployment configuration')}.`,
        };
        continue;
      }
      if (config === null) {
        yield {
          verdict: 'fail',
          resource,
          message: `${who} has no deployment configuration: an update replaces its model with no canary or linear traffic shifting and no alarm to roll back on.`,
          evidence: { deploymentConfig: null, production: production.kind },
          property: 'DeploymentConfig',
        };
        continue;
      }
      const strategy = strategyOf(config);
      const evidence = { ...config, production: production.kind };
      if (config.rollbackAlarms.length === 0) {
        yield {
          verdict: 'fail',
          resource,
          message: `${who} updates ${strategy} but with no auto-rollback alarm: a failing update is not rolled back by itself.`,
          evidence,
          property: 'DeploymentConfig.AutoRollbackConfiguration',
        };
        continue;
      }
      yield {
        verdict: 'pass',
        resource,
        message: `${who} updates ${strategy} and rolls back automatically on alarm ${config.rollbackAlarms.join(', ')}.`,
        evidence,
      };
    }
  },
});

function strategyOf(config: NonNullable<SageMakerEndpoint['deploymentConfig']>): string {
  if (config.updatePolicy === 'Rolling') return 'with a rolling deployment';
  if (config.updatePolicy === null) return 'blue/green with all traffic shifted at once (no update policy given)';
  const routing = config.trafficRouting?.toUpperCase();
  return routing === 'CANARY' ? 'blue/green with canary traffic shifting' : routing === 'LINEAR' ? 'blue/green with linear traffic shifting' : 'blue/green with all traffic shifted at once';
}
