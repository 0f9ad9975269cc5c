/**
 * API Gateway REST APIs, per region: each API with its methods and integrations (GetResources with
 * the methods embedded), its stages (web ACL association and method settings throttles) and the
 * region's usage plans. HTTP and WebSocket APIs (API Gateway v2) are not read: WAF cannot be
 * associated with them.
 */
import { GetResourcesCommand, GetRestApisCommand, GetStagesCommand, GetUsagePlansCommand, type Resource, type RestApi, type Stage, type UsagePlan } from '@aws-sdk/client-api-gateway';
import { methodKey, resourcePathOf, restApiArn, stageArn, throttleOf, usagePlanArn } from '../inventory/api-gateway.js';
import { forEachBounded, paginate, type CollectRuntime } from './runtime.js';
import type { ApiGatewaySectionInput } from './shapes.js';

type RestApiInput = ApiGatewaySectionInput['restApis'] extends (infer T)[] | undefined ? T : never;
type StageInput = ApiGatewaySectionInput['stages'] extends (infer T)[] | undefined ? T : never;
type UsagePlanInput = NonNullable<ApiGatewaySectionInput['usagePlans']>[number];
type MethodInput = NonNullable<RestApiInput['methods']>[number];

/** Pages of a listing read at most (500 items a page): a bound on hostile or runaway accounts. */
const MAX_PAGES = 40;

export interface ApiGatewayRegionResult {
  restApis?: RestApiInput[];
  stages?: StageInput[];
  usagePlans?: UsagePlanInput[];
}

export async function collectApiGatewayRegion(rt: CollectRuntime, region: string, scope: { accountId: string; partition: string }): Promise<ApiGatewayRegionResult> {
  const [apis, usagePlans] = await Promise.all([listRestApis(rt, region), listUsagePlans(rt, region, scope)]);
  const result: ApiGatewayRegionResult = {};
  if (usagePlans) result.usagePlans = usagePlans;
  if (!apis) return result;
  const restApis: RestApiInput[] = [];
  const stages: StageInput[] = [];
  await forEachBounded(apis, rt.concurrencyFor('apigateway'), async (api) => {
    if (!api.id) return;
    const arn = restApiArn(scope.partition, region, api.id);
    const entry: RestApiInput = { arn, region, id: api.id, name: api.name ?? api.id };
    if (api.tags && Object.keys(api.tags).length) entry.tags = sortedTags(api.tags);
    const type = api.endpointConfiguration?.types?.[0];
    if (type) entry.endpointType = type;
    const [methods, apiStages] = await Promise.all([methodsOf(rt, region, api.id, arn), stagesOf(rt, region, api.id, arn, scope)]);
    if (methods) entry.methods = methods;
    restApis.push(entry);
    if (apiStages) stages.push(...apiStages);
  });
  result.restApis = restApis.sort(byArn);
  result.stages = stages.sort(byArn);
  return result;
}

async function listRestApis(rt: CollectRuntime, region: string): Promise<RestApi[] | undefined> {
  const out: RestApi[] = [];
  let pages = 0;
  const listed = await paginate(
    (position) => rt.call('apigateway', region, 'GetRestApis', (c) => c.send(new GetRestApisCommand({ limit: 500, ...(position ? { position } : {}) }))),
    (page) => (++pages < MAX_PAGES ? page.position : undefined),
    (page) => out.push(...(page.items ?? [])),
  );
  return listed === 'failed' ? undefined : out;
}

async function methodsOf(rt: CollectRuntime, region: string, restApiId: string, arn: string): Promise<MethodInput[] | undefined> {
  const resources: Resource[] = [];
  let pages = 0;
  const listed = await paginate(
    (position) =>
      rt.call('apigateway', region, 'GetResources', (c) => c.send(new GetResourcesCommand({ restApiId, embed: ['methods'], limit: 500, ...(position ? { position } : {}) })), { resource: arn }),
    (page) => (++pages < MAX_PAGES ? page.position : undefined),
    (page) => resources.push(...(page.items ?? [])),
  );
  if (listed === 'failed') return undefined;
  const methods: MethodInput[] = [];
  for (const resource of resources) {
    if (resource.path === undefined) continue;
    for (const [verb, method] of Object.entries(resource.resourceMethods ?? {})) {
      const entry: MethodInput = { resourcePath: resourcePathOf(resource.path), httpMethod: (method.httpMethod ?? verb).toUpperCase() };
      if (method.apiKeyRequired !== undefined) entry.apiKeyRequired = method.apiKeyRequired;
      const integration = method.methodIntegration;
      entry.integrationType = integration ? (integration.type ?? null) : null;
      if (integration?.uri) entry.integrationUri = integration.uri;
      methods.push(entry);
    }
  }
  return methods.sort(byMethod);
}

async function stagesOf(rt: CollectRuntime, region: string, restApiId: string, arn: string, scope: { partition: string }): Promise<StageInput[] | undefined> {
  const outcome = await rt.call('apigateway', region, 'GetStages', (c) => c.send(new GetStagesCommand({ restApiId })), { resource: arn });
  if (outcome.status !== 'ok') return undefined;
  return (outcome.value.item ?? []).flatMap((stage) => (stage.stageName ? [stageEntry(stage, region, restApiId, scope)] : []));
}

export function stageEntry(stage: Stage, region: string, restApiId: string, scope: { partition: string }): StageInput {
  const entry: StageInput = {
    arn: stageArn(scope.partition, region, restApiId, stage.stageName!),
    region,
    name: stage.stageName!,
    restApiId,
    webAclArn: stage.webAclArn || null,
    methodThrottles: Object.entries(stage.methodSettings ?? {})
      .flatMap(([key, setting]) => {
        const method = methodKey(key);
        const throttle = throttleOf(setting.throttlingRateLimit, setting.throttlingBurstLimit);
        return method && throttle ? [{ ...method, throttle }] : [];
      })
      .sort(byMethod),
  };
  if (stage.tags && Object.keys(stage.tags).length) entry.tags = sortedTags(stage.tags);
  return entry;
}

async function listUsagePlans(rt: CollectRuntime, region: string, scope: { partition: string }): Promise<UsagePlanInput[] | undefined> {
  const plans: UsagePlan[] = [];
  let pages = 0;
  const listed = await paginate(
    (position) => rt.call('apigateway', region, 'GetUsagePlans', (c) => c.send(new GetUsagePlansCommand({ limit: 500, ...(position ? { position } : {}) }))),
    (page) => (++pages < MAX_PAGES ? page.position : undefined),
    (page) => plans.push(...(page.items ?? [])),
  );
  if (listed === 'failed') return undefined;
  return plans.flatMap((plan) => (plan.id ? [usagePlanEntry(plan, region, scope)] : [])).sort(byArn);
}

export function usagePlanEntry(plan: UsagePlan, region: string, scope: { partition: string }): UsagePlanInput {
  const entry: UsagePlanInput = {
    arn: usagePlanArn(scope.partition, region, plan.id!),
    region,
    id: plan.id!,
    name: plan.name ?? plan.id!,
    throttle: throttleOf(plan.throttle?.rateLimit, plan.throttle?.burstLimit) ?? null,
    apiStages: (plan.apiStages ?? [])
      .flatMap((s) => {
        if (!s.apiId || !s.stage) return [];
        const methodThrottles = Object.entries(s.throttle ?? {})
          .flatMap(([key, t]) => {
            const method = methodKey(key);
            const throttle = throttleOf(t.rateLimit, t.burstLimit);
            return method && throttle ? [{ ...method, throttle }] : [];
          })
          .sort(byMethod);
        return [{ restApiId: s.apiId, stage: s.stage, ...(methodThrottles.length ? { methodThrottles } : {}) }];
      })
      .sort((a, b) => compare(`${a.restApiId}/${a.stage}`, `${b.restApiId}/${b.stage}`)),
  };
  if (plan.tags && Object.keys(plan.tags).length) entry.tags = sortedTags(plan.tags);
  return entry;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byArn = (a: { arn: string }, b: { arn: string }) => compare(a.arn, b.arn);
const byMethod = (a: { resourcePath: string; httpMethod: string }, b: { resourcePath: string; httpMethod: string }) =>
  compare(a.resourcePath, b.resourcePath) || compare(a.httpMethod, b.httpMethod);

function sortedTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => compare(a, b)));
}
