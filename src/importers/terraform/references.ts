/**
 * Reference following: an attribute's configuration expression (`aws_kms_key.data.arn`,
 * `module.m.key_arn`, `var.key_arn`) leads to a resource of the same plan, whose (synthesized)
 * identity gives the value that is known only after apply. Bounded and cycle-safe
 * (TERRAFORM_PLAN_LIMITS); the account's data sources resolve to the import's account.
 */
import { parentModuleAddress } from './addresses.js';
import { isObject, own, type Json } from './json.js';
import { TERRAFORM_PLAN_LIMITS } from './limits.js';
import type { PlanResources } from './modules.js';
import type { ConfigModule, PlanAccount, TfResource } from './resource.js';

export interface ReferenceTarget {
  target: TfResource;
  /** The attribute the reference reads (`arn` of `aws_kms_key.k.arn`), if it names one. */
  attribute?: string;
}

export class References {
  constructor(
    private readonly plan: PlanResources,
    private readonly account: PlanAccount,
  ) {}

  /** Expression of an attribute in the configuration (nested blocks are arrays of objects). */
  expression(resource: TfResource, attrPath: (string | number)[]): Json | undefined {
    let current: unknown = resource.config?.expressions;
    for (const part of attrPath) {
      if (typeof current !== 'object' || current === null) return undefined;
      if (Array.isArray(current) && typeof part === 'number') current = current[part] ?? current[0];
      else current = (current as Record<string | number, unknown>)[part];
    }
    return typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Json) : undefined;
  }

  /** The plan resource and attribute an expression refers to, e.g. `aws_kms_key.data.arn`. */
  referenceTarget(resource: TfResource, attrPath: (string | number)[]): ReferenceTarget | undefined {
    const walk = { steps: 0, seen: new Set<string>() };
    return this.follow(this.expression(resource, attrPath)?.references, resource.moduleAddress, resource.configModule, resource, walk);
  }

  /**
   * Follows expression references to a resource of the plan: directly (`aws_kms_key.k.arn`), into
   * a module's output (`module.m.key_arn`) or out to the module call's argument (`var.key_arn`).
   * Bounded: each (module, reference) is visited once per walk (a var -> output -> var cycle ends)
   * and a walk takes at most TERRAFORM_PLAN_LIMITS.referenceSteps steps; past that it is unknown.
   */
  private follow(
    references: unknown,
    moduleAddress: string,
    config: ConfigModule | undefined,
    resource: TfResource,
    walk: { steps: number; seen: Set<string> },
  ): ReferenceTarget | undefined {
    if (!Array.isArray(references)) return undefined;
    for (const reference of references) {
      if (typeof reference !== 'string' || reference.length > TERRAFORM_PLAN_LIMITS.referenceLength) continue;
      if (++walk.steps > TERRAFORM_PLAN_LIMITS.referenceSteps) return undefined;
      const key = `${moduleAddress}\u0000${reference}`;
      if (walk.seen.has(key)) continue;
      walk.seen.add(key);
      const variable = /^var\.([A-Za-z0-9_-]+)$/.exec(reference);
      if (variable) {
        if (!config?.parent) continue;
        const input = own(config.inputs, variable[1]!);
        const parentAddress = parentModuleAddress(moduleAddress);
        if (parentAddress === undefined) continue;
        const found = this.follow(isObject(input) ? input.references : undefined, parentAddress, config.parent, resource, walk);
        if (found) return found;
        continue;
      }
      // `module.m.out`, `module.m[0].out`, `module.m["k"].out`: the output of a child module instance.
      const output = /^module\.([A-Za-z0-9_-]+)((?:\[[^\]]{0,256}\])?)\.([A-Za-z0-9_-]+)$/.exec(reference);
      if (output) {
        const childAddress = `${moduleAddress ? `${moduleAddress}.` : ''}module.${output[1]}${output[2]}`;
        const child = this.plan.childConfig(config, output[1]);
        const expression = child ? own(child.outputs, output[3]!) : undefined;
        const found = this.follow(isObject(expression) && isObject(expression.expression) ? expression.expression.references : undefined, childAddress, child, resource, walk);
        if (found) return found;
        continue;
      }
      const match = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\[[^\]]{0,256}\])?)(?:\.([A-Za-z0-9_]+))?$/.exec(reference);
      if (!match || match[1] === 'var' || match[1] === 'local' || match[1] === 'module' || match[1] === 'data' || match[1] === 'each' || match[1] === 'count') continue;
      const base = `${moduleAddress ? `${moduleAddress}.` : ''}${match[1]}.${match[2]}`;
      let target = this.plan.byAddress.get(`${base}${match[3]}`);
      if (!target && !match[3]) {
        const instances = this.plan.byBase.get(base) ?? [];
        // Same index as the referring resource (count/for_each twins), else the only instance.
        target = instances.find((r) => r.index !== undefined && r.index === resource.index) ?? (instances.length === 1 ? instances[0] : undefined);
      }
      if (target) return { target, attribute: match[4] };
    }
    // data.aws_caller_identity / aws_region / aws_partition are known to us.
    return undefined;
  }

  dataSourceValue(resource: TfResource, attrPath: (string | number)[]): string | undefined {
    const references = this.expression(resource, attrPath)?.references;
    if (!Array.isArray(references)) return undefined;
    for (const reference of references) {
      if (typeof reference !== 'string') continue;
      if (/^data\.aws_caller_identity\.[^.]+\.account_id$/.test(reference)) return this.account.accountId;
      if (/^data\.aws_region\.[^.]+\.(name|region)$/.test(reference)) return this.account.regionOf(resource);
      if (/^data\.aws_partition\.[^.]+\.partition$/.test(reference)) return this.account.partition;
    }
    return undefined;
  }
}

/**
 * The attribute a reference without one means. Plan format 0.1 (Terraform 0.12-1.0.0) lists
 * `kms_key_id = aws_kms_key.k.arn` as the reference `aws_kms_key.k` only: an `..._arn` argument
 * takes the ARN, anything else the id (which every resource's id or ARN arguments accept).
 */
export function impliedAttribute(attrPath: readonly (string | number)[]): string {
  const last = [...attrPath].reverse().find((part): part is string => typeof part === 'string');
  return last !== undefined && (last === 'arn' || last.endsWith('_arn')) ? 'arn' : 'id';
}

