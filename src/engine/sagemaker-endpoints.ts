/**
 * What rules about SageMaker endpoints share: each endpoint as a finding's resource, whether it is
 * production (src/engine/production.ts), and the endpoint configuration it runs now.
 */
import type { SageMakerEndpoint, SageMakerEndpointConfig, SageMakerModel } from '../inventory/schema.js';
import { describeErrors } from './inventory-index.js';
import { productionStatus, type ProductionStatus } from './production.js';
import { missingReason, resourceRef, sectionUnknown } from './rule-kit.js';
import type { ResourceRef, RuleContext, RuleResult } from './types.js';

export interface EndpointView {
  endpoint: SageMakerEndpoint;
  resource: ResourceRef;
  production: ProductionStatus;
}

/**
 * The collected endpoints, or the one `unknown` result that says they were not collected. The
 * second form is what a rule yields and returns after.
 */
export function collectedEndpoints(context: RuleContext): { endpoints: EndpointView[] } | { unknown: RuleResult } {
  const sagemaker = context.inventory.sagemaker;
  if (!sagemaker) return { unknown: sectionUnknown(context, 'sagemaker', 'The SageMaker inventory') };
  if (sagemaker.endpoints === undefined) {
    const result = sectionUnknown(context, 'sagemaker', 'The list of SageMaker endpoints');
    const errors = context.index.errorsFor('sagemaker', { operations: ['ListEndpoints'] });
    if (errors.length) result.message = `SageMaker endpoints could not be listed (${describeErrors(errors)}), so this cannot be evaluated.`;
    return { unknown: result };
  }
  return {
    endpoints: sagemaker.endpoints.map((endpoint) => ({
      endpoint,
      resource: resourceRef(endpoint.arn, 'AWS::SageMaker::Endpoint', endpoint.region, endpoint.name, endpoint.source),
      production: productionStatus(endpoint.tags),
    })),
  };
}

/** Case-insensitive `<region>/<name>` lookups (SageMaker names are unique per Region regardless of case). */
export function byRegionAndName<T extends { region: string; name: string }>(items: readonly T[] | undefined): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items ?? []) {
    const key = regionKey(item.region, item.name);
    if (!map.has(key)) map.set(key, item);
  }
  return map;
}

export function regionKey(region: string, name: string): string {
  return `${region}/${name.toLowerCase()}`;
}

/** The endpoint's current configuration, or why it cannot be read. */
export function endpointConfigOf(
  context: RuleContext,
  endpoint: SageMakerEndpoint,
  configs: ReadonlyMap<string, SageMakerEndpointConfig>,
): { config: SageMakerEndpointConfig } | { missing: string } {
  if (endpoint.endpointConfigName === undefined) {
    return { missing: missingReason(context, 'sagemaker', { resource: endpoint.arn, operations: ['DescribeEndpoint'] }, 'the endpoint configuration it runs') };
  }
  const config = configs.get(regionKey(endpoint.region, endpoint.endpointConfigName));
  if (config) return { config };
  const errors = context.index.errorsFor('sagemaker', { region: endpoint.region, operations: ['ListEndpointConfigs'] });
  return {
    missing: `its endpoint configuration ${endpoint.endpointConfigName} is not in the inventory${errors.length ? ` (endpoint configurations could not be listed: ${describeErrors(errors)})` : ' (deleted, or not declared in the same code)'}`,
  };
}

/** The models a configuration's production variants deploy, by name, with the model record when collected. */
export function deployedModels(
  config: SageMakerEndpointConfig,
  models: ReadonlyMap<string, SageMakerModel>,
): { variantName: string; modelName: string; model?: SageMakerModel }[] {
  return (config.productionVariants ?? []).map((v) => {
    const model = v.modelName ? models.get(regionKey(config.region, v.modelName)) : undefined;
    return { variantName: v.variantName, modelName: v.modelName, ...(model ? { model } : {}) };
  });
}
