/**
 * Shared judgement for the PrivateLink rules: does a Region that uses a service have available
 * interface VPC endpoints for every endpoint service it needs? The rules differ only in which
 * service, which endpoint names and how usage is detected; the verdict logic lives here once.
 */
import type { VpcEndpoint } from '../inventory/schema.js';
import { describeErrors } from './inventory-index.js';
import { partialScopeReason } from './rule-kit.js';
import type { ResourceRef, RuleContext, RuleResult } from './types.js';

export interface EndpointCoverage {
  context: RuleContext;
  region: string;
  resource: ResourceRef;
  /** `Bedrock`, `SageMaker`: used in messages. */
  label: string;
  /** Endpoint service suffixes after `com.amazonaws.<region>.`, e.g. `bedrock-runtime`. */
  required: string[];
  /** What shows the service is used in the Region (`agent support`, `notebook instance x`). */
  used: string[];
  /** Evidence key for `used` (kept stable for report consumers). */
  footprintKey: string;
  /** Why usage cannot be ruled out in the Region, or undefined when the inventory is complete. */
  usageUnknown: string | undefined;
  /** Message for a Region that uses the service and misses endpoints. */
  failMessage: (usedSummary: string, missingText: string) => string;
  notApplicableMessage: string;
}

export function judgeEndpointCoverage(spec: EndpointCoverage): RuleResult {
  const { context, region, resource, label, required, used } = spec;
  const ec2Errors = context.index.errorsFor('ec2', { region, operations: ['DescribeVpcEndpoints'] });
  if (!context.inventory.ec2 || ec2Errors.length) {
    return {
      verdict: 'unknown',
      resource,
      message: `Cannot tell whether ${region} has ${label} VPC endpoints: VPC endpoints ${ec2Errors.length ? `could not be read (${describeErrors(ec2Errors)})` : 'were not collected'}.`,
    };
  }
  const endpoints = context.inventory.ec2.vpcEndpoints.filter((e) => e.region === region);
  const found = required.map((service) => ({ service, ...usableEndpoints(endpoints, region, service) }));
  const missing = found.filter((f) => f.usable.length === 0);
  const evidence = {
    required,
    endpoints: Object.fromEntries(found.map((f) => [f.service, f.usable.map((e) => e.id)])),
    [spec.footprintKey]: used,
  };
  if (missing.length === 0) {
    const noDns = found.flatMap((f) => f.usable).filter((e) => e.privateDnsEnabled === false).map((e) => e.id);
    return {
      verdict: 'pass',
      resource,
      message: `${region} has interface endpoints for ${found.map((f) => `${f.service} (${f.usable.map((e) => `${e.id} in ${e.vpcId}`).join(', ')})`).join(' and ')}.${noDns.length ? ` Private DNS is off on ${noDns.join(', ')}: clients must use the endpoint-specific DNS name or their calls go to the public endpoint.` : ''}`,
      evidence,
    };
  }
  const missingText = missing
    .map((m) => `com.amazonaws.${region}.${m.service}${m.unusable.length ? ` (only ${m.unusable.map((e) => `${e.id} in state ${e.state}`).join(', ')})` : ''}`)
    .join(' and ');
  const partial = partialScopeReason(context);
  if (used.length && partial) {
    return {
      verdict: 'unknown',
      resource,
      message: `${region} has ${summarizeUsage(used)} but no interface VPC endpoint for ${missingText} among the resources read, and ${partial}.`,
      evidence,
    };
  }
  if (used.length) return { verdict: 'fail', resource, message: spec.failMessage(summarizeUsage(used), missingText), evidence };
  if (spec.usageUnknown) {
    return {
      verdict: 'unknown',
      resource,
      message: `${region} has no interface VPC endpoint for ${missingText}, and whether ${label} is used there cannot be told: ${spec.usageUnknown}.`,
      evidence,
    };
  }
  return { verdict: 'not_applicable', resource, message: spec.notApplicableMessage, evidence };
}

function usableEndpoints(endpoints: VpcEndpoint[], region: string, service: string): { usable: VpcEndpoint[]; unusable: VpcEndpoint[] } {
  const matching = endpoints.filter(
    (e) =>
      e.type === 'Interface' &&
      /^(cn\.)?com\.amazonaws\./.test(e.serviceName) &&
      (e.serviceName.endsWith(`.${region}.${service}`) || e.serviceName.endsWith(`.${region}.${service}-fips`)),
  );
  // A state that was not collected counts as usable; a known state must be `available`.
  const usable = matching.filter((e) => e.state === undefined || e.state.toLowerCase() === 'available');
  return { usable, unusable: matching.filter((e) => !usable.includes(e)) };
}

function summarizeUsage(items: string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}
