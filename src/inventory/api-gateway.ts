/**
 * API Gateway and WAFv2 shapes shared by the collector and the importers, so a live scan, a
 * template and a plan give the same facts.
 */

/** API Gateway's service-generated ARNs: `arn:<partition>:apigateway:<region>::/restapis/<id>`. */
export function restApiArn(partition: string, region: string, id: string): string {
  return `arn:${partition}:apigateway:${region}::/restapis/${id}`;
}

export function stageArn(partition: string, region: string, apiId: string, stage: string): string {
  return `${restApiArn(partition, region, apiId)}/stages/${stage}`;
}

export function usagePlanArn(partition: string, region: string, id: string): string {
  return `arn:${partition}:apigateway:${region}::/usageplans/${id}`;
}

/**
 * A method settings or usage plan throttle key (`*` + `/` + `*`, `pets/GET`, `~1pets/GET`,
 * `/pets/GET`, `/pets/{id}/POST`) as a resource path and HTTP method: the path gets one leading `/`
 * and `~1` decoded to `/`; `*` stays `*`. Undefined for a key without a method.
 */
export function methodKey(key: string): { resourcePath: string; httpMethod: string } | undefined {
  if (key.length > 2048) return undefined;
  const cut = key.lastIndexOf('/');
  if (cut <= 0) return undefined;
  const httpMethod = key.slice(cut + 1).toUpperCase();
  if (!httpMethod) return undefined;
  return { resourcePath: resourcePathOf(key.slice(0, cut)), httpMethod };
}

/** `*`, `/*`, `pets`, `/~1pets`, `~1pets~1{id}` -> `*`, `*`, `/pets`, `/pets`, `/pets/{id}`. */
export function resourcePathOf(raw: string): string {
  const decoded = raw.split('~1').join('/');
  const trimmed = decoded.replace(/^\/+/, '');
  if (trimmed === '*') return '*';
  return `/${trimmed}`;
}

/** The throttle of a method setting, or undefined when it sets none. */
export function throttleOf(rate: unknown, burst: unknown): { rateLimit?: number; burstLimit?: number } | undefined {
  const out: { rateLimit?: number; burstLimit?: number } = {};
  if (typeof rate === 'number' && Number.isFinite(rate)) out.rateLimit = rate;
  if (typeof burst === 'number' && Number.isFinite(burst)) out.burstLimit = burst;
  return out.rateLimit === undefined && out.burstLimit === undefined ? undefined : out;
}

/** One WAF rule statement reduced to the facts the rules read. */
export interface WafRuleFacts {
  rateLimit?: number;
  rateWindowSec?: number;
  managedRuleGroup?: string;
  ruleGroupArn?: string;
}

/**
 * What a rule's top-level statement is, from the API's PascalCase shape (the same shape as
 * CloudFormation's). Only the top level is looked at: a rate-based statement cannot be nested.
 */
export function wafStatementFacts(statement: unknown): WafRuleFacts {
  if (!statement || typeof statement !== 'object') return {};
  const s = statement as Record<string, unknown>;
  const rate = s.RateBasedStatement as Record<string, unknown> | undefined;
  if (rate && typeof rate === 'object') {
    const out: WafRuleFacts = {};
    const limit = Number(rate.Limit);
    if (Number.isFinite(limit)) out.rateLimit = limit;
    const window = Number(rate.EvaluationWindowSec);
    if (rate.EvaluationWindowSec !== undefined && Number.isFinite(window)) out.rateWindowSec = window;
    return out;
  }
  const managed = s.ManagedRuleGroupStatement as Record<string, unknown> | undefined;
  if (managed && typeof managed === 'object' && typeof managed.Name === 'string') {
    return { managedRuleGroup: `${typeof managed.VendorName === 'string' ? managed.VendorName : '?'}/${managed.Name}` };
  }
  const ref = s.RuleGroupReferenceStatement as Record<string, unknown> | undefined;
  if (ref && typeof ref === 'object' && typeof ref.ARN === 'string') return { ruleGroupArn: ref.ARN };
  return {};
}

/** The single key of an action object (`{ Block: {} }` -> `Block`), or undefined. */
export function actionName(action: unknown): string | undefined {
  if (!action || typeof action !== 'object') return undefined;
  const keys = Object.keys(action as object).filter((k) => (action as Record<string, unknown>)[k] !== undefined);
  return keys.length === 1 ? keys[0] : undefined;
}
