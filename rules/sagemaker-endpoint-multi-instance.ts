import { defineRule } from '../src/engine/types.js';
import { missingReason } from '../src/engine/rule-kit.js';
import { describeProduction } from '../src/engine/production.js';
import { byRegionAndName, collectedEndpoints, endpointConfigOf } from '../src/engine/sagemaker-endpoints.js';

export default defineRule({
  meta: {
    id: 'sagemaker-endpoint-multi-instance',
    title: 'Production SageMaker endpoints run each production variant on more than one instance',
    severity: 'low',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::Endpoint'],
    description:
      'Each production variant of the endpoint configuration a production SageMaker endpoint runs must have an InitialInstanceCount greater than 1, so that SageMaker spreads the instances over Availability Zones. A variant with one instance fails; serverless variants have no instances and are not counted (an endpoint with only serverless variants is not applicable). Production is read from the tag `environment`, `env` or `stage` (prod, production, prd, live); other values are not applicable; untagged endpoints are judged as production. AWS Config\'s managed rule sagemaker-endpoint-config-prod-instance-count checks the same on every endpoint configuration.',
    rationale:
      'A single instance is a single point of failure: an instance or Availability Zone failure, or a patch, takes the model offline. With two or more instances SageMaker places them in different Availability Zones and keeps serving (SOC 2 A1.2 availability, NIST CP-10 and SC-5 continuity of an AI service the business depends on).',
    remediation: {
      console: [
        'Endpoint configurations cannot be changed: clone the configuration and set "Instance count" of each variant to 2 or more.',
        'Update the endpoint to the new configuration (preferably with deployment guardrails).',
      ],
      cli: [
        'aws sagemaker create-endpoint-config --endpoint-config-name <NAME>-ha \\',
        '  --production-variants VariantName=AllTraffic,ModelName=<MODEL>,InstanceType=ml.m5.large,InitialInstanceCount=2',
        'aws sagemaker update-endpoint --endpoint-name <ENDPOINT> --endpoint-config-name <NAME>-ha',
      ].join('\n'),
      cloudformation: [
        'InferenceEndpointConfig:',
        '  Type: AWS::SageMaker::EndpointConfig',
        '  Properties:',
        '    ProductionVariants:',
        '      - VariantName: AllTraffic',
        '        ModelName: !GetAtt InferenceModel.ModelName',
        '        InstanceType: ml.m5.large',
        '        InitialInstanceCount: 2',
        '        InitialVariantWeight: 1',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_endpoint_configuration" "inference" {',
        '  production_variants {',
        '    variant_name           = "AllTraffic"',
        '    model_name             = aws_sagemaker_model.inference.name',
        '    instance_type          = "ml.m5.large"',
        '    initial_instance_count = 2',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html',
      'https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-endpoint-config-prod-instance-count.html',
    ],
  },

  *evaluate(context) {
    const collected = collectedEndpoints(context);
    if ('unknown' in collected) {
      yield collected.unknown;
      return;
    }
    const configs = byRegionAndName(context.inventory.sagemaker?.endpointConfigs);
    for (const { endpoint, resource, production } of collected.endpoints) {
      const who = `Endpoint ${endpoint.name} (${describeProduction(production)})`;
      if (production.kind === 'not-production') {
        yield { verdict: 'not_applicable', resource, message: `Endpoint ${endpoint.name} is ${describeProduction(production)}: redundant instances are required for production only.` };
        continue;
      }
      const found = endpointConfigOf(context, endpoint, configs);
      if ('missing' in found) {
        yield { verdict: 'unknown', resource, message: `Cannot tell how many instances endpoint ${endpoint.name} runs: ${found.missing}.` };
        continue;
      }
      const { config } = found;
      const variants = config.productionVariants;
      if (variants === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell how many instances endpoint ${endpoint.name} runs: ${missingReason(context, 'sagemaker', { resource: config.arn, operations: ['DescribeEndpointConfig'] }, `the production variants of endpoint configuration ${config.name}`)}.`,
        };
        continue;
      }
      const counted = variants.filter((v) => v.serverless !== true);
      if (counted.length === 0) {
        yield { verdict: 'not_applicable', resource, message: `Endpoint ${endpoint.name} runs endpoint configuration ${config.name}, whose variants are all serverless: there are no instances to count.` };
        continue;
      }
      const evidence = { endpointConfig: config.name, production: production.kind, variants: counted.map((v) => ({ variant: v.variantName, initialInstanceCount: v.initialInstanceCount ?? null })) };
      const single = counted.filter((v) => typeof v.initialInstanceCount === 'number' && v.initialInstanceCount < 2);
      if (single.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `${who} runs endpoint configuration ${config.name} with ${single.map((v) => `variant ${v.variantName} on ${v.initialInstanceCount} instance${v.initialInstanceCount === 1 ? '' : 's'}`).join(', ')}: one instance or Availability Zone failure takes the model offline.`,
          evidence,
          property: 'ProductionVariants',
        };
        continue;
      }
      const unread = counted.filter((v) => typeof v.initialInstanceCount !== 'number');
      if (unread.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether endpoint ${endpoint.name} runs more than one instance per variant: variant ${unread.map((v) => v.variantName).join(', ')} of endpoint configuration ${config.name} ${unread.some((v) => v.initialInstanceCount === null) ? 'declares no instance count (inference components, or a count set elsewhere)' : 'has an instance count that was not read'}.`,
          evidence,
        };
        continue;
      }
      yield {
        verdict: 'pass',
        resource,
        message: `${who} runs endpoint configuration ${config.name} with ${counted.map((v) => `variant ${v.variantName} on ${v.initialInstanceCount} instances`).join(', ')}.`,
        evidence,
      };
    }
  },
});
