/**
 * API Gateway REST APIs and WAFv2 web ACLs in a Terraform plan, recorded as the live collector
 * records them: `aws_api_gateway_rest_api` with the methods `aws_api_gateway_method` and
 * `aws_api_gateway_integration` declare (their path from the `aws_api_gateway_resource` chain),
 * `aws_api_gateway_stage` with the throttles of `aws_api_gateway_method_settings`,
 * `aws_api_gateway_usage_plan`, `aws_wafv2_web_acl` (REGIONAL) and
 * `aws_wafv2_web_acl_association`, which sets the web ACL of the stage it names. An API defined by
 * an OpenAPI `body` has its methods unknown (the body is not read).
 */
import { actionName, methodKey, resourcePathOf, restApiArn, stageArn, throttleOf, usagePlanArn, wafStatementFacts } from '../../inventory/api-gateway.js';
import { compact, compare, type ApiStageDraft, type RestApiDraft, type WebAclDraft } from '../iac/draft.js';
import { known } from '../iac/props.js';
import { syntheticAlnumId, syntheticUuid } from '../iac/synth.js';
import { serviceState, type Json, type MapContext, type MapperTable } from './context.js';
import { firstObject, setNotes, tagsOf } from './helpers.js';

type MethodDraft = NonNullable<RestApiDraft['methods']>[number];

const STATE = serviceState(() => ({
  apis: new Map<string, { api: RestApiDraft; fromBody: boolean }>(),
  roots: new Map<string, string>(),
  resources: new Map<string, { parentId?: string; pathPart?: string }>(),
  methods: [] as { apiId: string; resourceId?: string; httpMethod: string; apiKeyRequired?: boolean }[],
  integrations: new Map<string, { type?: string; uri?: string }>(),
  /** APIs with a method whose HTTP method is not a known string: their methods stay unknown. */
  incomplete: new Set<string>(),
  /** Stage drafts by the address of the stage resource. */
  stages: new Map<string, ApiStageDraft>(),
}));

type State = ReturnType<typeof STATE.create>;

function pathOf(state: State, resourceId: string): string | undefined {
  const parts: string[] = [];
  let id: string | undefined = resourceId;
  for (let depth = 0; depth < 64 && id !== undefined; depth++) {
    if (state.roots.has(id)) return `/${parts.reverse().join('/')}`;
    const entry = state.resources.get(id);
    if (!entry || entry.pathPart === undefined) return undefined;
    parts.push(entry.pathPart);
    id = entry.parentId;
  }
  return undefined;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const byMethod = (a: { resourcePath: string; httpMethod: string }, b: { resourcePath: string; httpMethod: string }) =>
  compare(a.resourcePath, b.resourcePath) || compare(a.httpMethod, b.httpMethod);

/** The one nested block set in a Terraform action block (`action { block {} }`), capitalized as the API names it. */
function tfAction(value: unknown): string | undefined {
  const block = firstObject(value);
  if (!block) return undefined;
  const set = Object.entries(block).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined));
  if (set.length !== 1) return undefined;
  const name = set[0]![0];
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A Terraform statement block as the API's statement shape, for the facts the rules read. */
function tfStatementFacts(statement: Json | undefined) {
  if (!statement) return {};
  const rate = firstObject(statement.rate_based_statement);
  if (rate) return wafStatementFacts({ RateBasedStatement: { Limit: rate.limit, ...(rate.evaluation_window_sec !== undefined && rate.evaluation_window_sec !== null ? { EvaluationWindowSec: rate.evaluation_window_sec } : {}) } });
  const managed = firstObject(statement.managed_rule_group_statement);
  if (managed) return wafStatementFacts({ ManagedRuleGroupStatement: { Name: managed.name, VendorName: managed.vendor_name } });
  const group = firstObject(statement.rule_group_reference_statement);
  if (group) return wafStatementFacts({ RuleGroupReferenceStatement: { ARN: group.arn } });
  return {};
}

export const apiGatewayMappers: MapperTable = {
  aws_api_gateway_rest_api: {
    identity({ nameOf, given, set, partition: p, region: r, seed }) {
      const name = nameOf('name');
      const id = given('id') ?? syntheticAlnumId(seed, 10).toLowerCase();
      const root = given('root_resource_id') ?? syntheticAlnumId(`${seed}:root`, 10).toLowerCase();
      set(name, restApiArn(p, r, id), { id, root_resource_id: root, name });
    },
    map(ctx) {
      const state = ctx.state(STATE);
      const identity = ctx.resource.identity;
      const id = identity.attributes.id!;
      state.roots.set(identity.attributes.root_resource_id!, id);
      const endpoint = firstObject(ctx.resource.values.endpoint_configuration);
      const types = endpoint && Array.isArray(endpoint.types) ? endpoint.types : [];
      const api: RestApiDraft = compact({
        ...ctx.base({ name: 'Name', body: 'Body' }),
        ...tagsOf(ctx.resource.values),
        id,
        name: identity.name,
        // API Gateway creates an edge-optimized API when no endpoint type is given.
        endpointType: typeof types[0] === 'string' ? types[0] : ctx.isUnknown(['endpoint_configuration']) ? undefined : 'EDGE',
      });
      const fromBody = ctx.configured('body');
      state.apis.set(id, { api, fromBody });
      ctx.draft.restApis.push(ctx.finish(api));
    },
    afterAttach(ctx) {
      const state = ctx.state(STATE);
      const entry = state.apis.get(ctx.resource.identity.attributes.id!);
      if (!entry) return;
      if (entry.fromBody) {
        setNotes(entry.api, ['Body']);
        return;
      }
      const methods: MethodDraft[] = [];
      let complete = !state.incomplete.has(entry.api.id);
      for (const m of state.methods.filter((x) => x.apiId === entry.api.id)) {
        const resourcePath = m.resourceId === undefined ? undefined : pathOf(state, m.resourceId);
        if (resourcePath === undefined) {
          complete = false;
          continue;
        }
        const integration = m.resourceId === undefined ? undefined : state.integrations.get(`${m.apiId} ${m.resourceId} ${m.httpMethod}`);
        methods.push(
          compact({
            resourcePath,
            httpMethod: m.httpMethod,
            apiKeyRequired: m.apiKeyRequired,
            integrationType: integration ? integration.type : null,
            integrationUri: integration?.uri,
          }),
        );
      }
      if (complete) entry.api.methods = methods.sort(byMethod);
      else setNotes(entry.api, ['Methods']);
    },
  },
  aws_api_gateway_resource: {
    identity({ given, set, seed }) {
      const id = given('id') ?? syntheticAlnumId(seed, 10).toLowerCase();
      set(id, id, { id });
    },
    map(ctx) {
      const id = ctx.resource.identity.attributes.id!;
      ctx.state(STATE).resources.set(id, { parentId: ctx.str('parent_id', 'ParentId'), pathPart: ctx.str('path_part', 'PathPart') });
    },
  },
  aws_api_gateway_method: {
    map(ctx) {
      const apiId = ctx.str('rest_api_id', 'RestApiId');
      const verb = ctx.resource.values.http_method;
      const httpMethod = typeof verb === 'string' && verb ? verb : undefined;
      if (!apiId) return;
      if (!httpMethod) {
        ctx.state(STATE).incomplete.add(apiId);
        return;
      }
      ctx.state(STATE).methods.push(
        compact({ apiId, resourceId: ctx.str('resource_id', 'ResourceId'), httpMethod: httpMethod.toUpperCase(), apiKeyRequired: ctx.bool('api_key_required', 'ApiKeyRequired', false) }),
      );
    },
  },
  aws_api_gateway_integration: {
    map(ctx) {
      const apiId = ctx.str('rest_api_id', 'RestApiId');
      const resourceId = ctx.str('resource_id', 'ResourceId');
      const httpMethod = ctx.str('http_method', 'HttpMethod');
      if (!apiId || !resourceId || !httpMethod) return;
      ctx.state(STATE).integrations.set(`${apiId} ${resourceId} ${httpMethod.toUpperCase()}`, compact({ type: ctx.str('type', 'Integration.Type'), uri: ctx.str('uri', 'Integration.Uri') }));
    },
  },
  aws_api_gateway_stage: {
    identity({ given, set, partition: p, region: r, seed }) {
      const name = given('stage_name') ?? `stage-${syntheticAlnumId(seed, 6).toLowerCase()}`;
      // The API id is known in map(), where the record gets its ARN; references read `stage_name`.
      set(name, stageArn(p, r, 'unresolved', name), { stage_name: name });
    },
    map(ctx) {
      const restApiId = ctx.str('rest_api_id', 'RestApiId');
      if (!restApiId) return;
      const name = ctx.resource.identity.name;
      const stage: ApiStageDraft = compact({
        ...ctx.base({ stage_name: 'StageName', rest_api_id: 'RestApiId' }),
        arn: stageArn(ctx.partition, ctx.region, restApiId, name),
        ...tagsOf(ctx.resource.values),
        name,
        restApiId,
        webAclArn: null,
        methodThrottles: [],
      });
      ctx.state(STATE).stages.set(ctx.resource.address, stage);
      ctx.draft.apiStages.push(ctx.finish(stage));
    },
  },
  aws_api_gateway_method_settings: {
    attach(ctx) {
      const restApiId = ctx.str('rest_api_id', 'RestApiId');
      const stageName = ctx.str('stage_name', 'StageName');
      const path = ctx.str('method_path', 'MethodSettings');
      const stage = ctx.draft.apiStages.find((s) => s.restApiId === restApiId && s.name === stageName && s.region === ctx.region);
      if (!stage || !path) return;
      const key = path === '*/*' ? { resourcePath: '*', httpMethod: '*' } : methodKey(path);
      const settings = firstObject(ctx.resource.values.settings);
      const throttle = settings ? throttleOf(num(settings.throttling_rate_limit), num(settings.throttling_burst_limit)) : undefined;
      if (!key || !throttle || !stage.methodThrottles) return;
      stage.methodThrottles = [...stage.methodThrottles.filter((s) => byMethod(s, key) !== 0), { ...key, throttle }].sort(byMethod);
    },
  },
  aws_api_gateway_usage_plan: {
    identity({ nameOf, given, set, partition: p, region: r, seed }) {
      const name = nameOf('name');
      const id = given('id') ?? syntheticAlnumId(seed, 6).toLowerCase();
      set(name, usagePlanArn(p, r, id), { id, name });
    },
    map(ctx) {
      const values = ctx.resource.values;
      const at = [...ctx.resource.jsonPath, 'values'];
      const throttle = firstObject(values.throttle_settings);
      const apiStages = ctx.blocks(values.api_stages, [...at, 'api_stages']).slice(0, 200);
      const stages = apiStages.flatMap((s, i) => {
        const restApiId = ctx.str(['api_stages', i, 'api_id'], 'ApiStages.ApiId');
        const stage = ctx.str(['api_stages', i, 'stage'], 'ApiStages.Stage');
        if (!restApiId || !stage) return [];
        const methodThrottles = ctx
          .blocks(s.throttle, [...at, 'api_stages', i, 'throttle'])
          .slice(0, 200)
          .flatMap((t) => {
            const key = typeof t.path === 'string' ? methodKey(t.path) : undefined;
            const parsed = throttleOf(num(t.rate_limit), num(t.burst_limit));
            return key && parsed ? [{ ...key, throttle: parsed }] : [];
          })
          .sort(byMethod);
        return [{ restApiId, stage, ...(methodThrottles.length ? { methodThrottles } : {}) }];
      });
      const plan = compact({
        ...ctx.base({ name: 'UsagePlanName', throttle_settings: 'Throttle', api_stages: 'ApiStages' }),
        ...tagsOf(values),
        id: ctx.resource.identity.attributes.id!,
        name: ctx.resource.identity.name,
        throttle: throttle ? (throttleOf(num(throttle.rate_limit), num(throttle.burst_limit)) ?? null) : null,
        apiStages: stages.sort((a, b) => compare(`${a.restApiId}/${a.stage}`, `${b.restApiId}/${b.stage}`)),
      });
      ctx.draft.usagePlans.push(ctx.finish(plan));
    },
  },
  aws_wafv2_web_acl: {
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed, resource }) {
      const name = nameOf('name');
      const id = given('id') ?? syntheticUuid(seed);
      const arn = resource.values.scope === 'CLOUDFRONT' ? `arn:${p}:wafv2:us-east-1:${a}:global/webacl/${name}/${id}` : `arn:${p}:wafv2:${r}:${a}:regional/webacl/${name}/${id}`;
      set(name, given('arn') ?? arn, { id, name, arn: given('arn') ?? arn });
    },
    map(ctx) {
      const values = ctx.resource.values;
      // CloudFront ACLs protect distributions, not API stages: the collector reads REGIONAL ones only.
      if (values.scope !== 'REGIONAL') return;
      const at = [...ctx.resource.jsonPath, 'values'];
      const rules = ctx.isUnknown(['rule'])
        ? undefined
        : ctx
            .blocks(values.rule, [...at, 'rule'])
            .slice(0, 1000)
            .flatMap((rule) => {
              if (typeof rule.name !== 'string') return [];
              const action = tfAction(rule.action) ?? tfAction(rule.override_action);
              return [compact({ name: rule.name, priority: num(rule.priority), action, ...tfStatementFacts(firstObject(rule.statement)) })];
            })
            .sort((x, y) => (x.priority ?? 0) - (y.priority ?? 0) || compare(x.name, y.name));
      const acl: WebAclDraft = compact({
        ...ctx.base({ name: 'Name', rule: 'Rules', default_action: 'DefaultAction' }),
        ...tagsOf(values),
        name: ctx.resource.identity.name,
        id: ctx.resource.identity.attributes.id!,
        scope: 'REGIONAL',
        defaultAction: tfAction(values.default_action),
        rules,
      });
      ctx.draft.webAcls.push(ctx.finish(acl));
    },
  },
  aws_wafv2_web_acl_association: {
    attach(ctx) {
      const followed = ctx.referenceTarget(['resource_arn']);
      const state = ctx.state(STATE);
      const stage = followed?.target.type === 'aws_api_gateway_stage' ? state.stages.get(followed.target.address) : findStage(ctx);
      if (!stage) return;
      const aclArn = ctx.str('web_acl_arn', 'WebAclArn');
      if (aclArn === undefined) {
        delete stage.webAclArn;
        setNotes(stage, ['WebAclArn']);
      } else stage.webAclArn = aclArn;
    },
  },
};

/** The stage a literal resource ARN names, among the stages the plan declares. */
function findStage(ctx: MapContext): ApiStageDraft | undefined {
  const arn = known(ctx.readStr(['resource_arn'], 'ResourceArn'));
  return arn ? ctx.draft.apiStages.find((s) => s.arn === arn) : undefined;
}
