/**
 * API Gateway REST APIs and WAFv2 web ACLs in CloudFormation, recorded as the live collector
 * records them: AWS::ApiGateway::RestApi with the methods that AWS::ApiGateway::Method declares
 * (their path from the AWS::ApiGateway::Resource chain), AWS::ApiGateway::Stage (and the stage an
 * AWS::ApiGateway::Deployment creates with StageName) with its method settings throttles,
 * AWS::ApiGateway::UsagePlan, AWS::WAFv2::WebACL (REGIONAL) and AWS::WAFv2::WebACLAssociation,
 * which sets the web ACL of the stage it names. An API defined by an OpenAPI Body has its methods
 * unknown (the body is not read).
 */
import { methodKey, actionName, resourcePathOf, restApiArn, stageArn, throttleOf, usagePlanArn, wafStatementFacts } from '../../inventory/api-gateway.js';
import { compact, compare, type ApiStageDraft, type InventoryDraft, type RestApiDraft } from '../iac/draft.js';
import { UNKNOWN, known, type PropertyReader } from '../iac/props.js';
import { syntheticAlnumId, syntheticUuid } from '../iac/synth.js';
import type { MapperTable } from './context.js';
import { setNotes, tagsOf } from './helpers.js';

type MethodDraft = NonNullable<RestApiDraft['methods']>[number];

interface ApiState {
  /** Resource id -> its parent and path part. */
  resources: Map<string, { parentId?: string; pathPart?: string }>;
  /** Root resource id -> API id. */
  roots: Map<string, string>;
  methods: { apiId: string; resourceId?: string; method: Omit<MethodDraft, 'resourcePath'> }[];
  /** APIs with a method that cannot be placed (an HTTP method that is not a string): their methods stay unknown. */
  incomplete: Set<string>;
}

const STATE = new WeakMap<InventoryDraft, ApiState>();
function stateOf(draft: InventoryDraft): ApiState {
  let state = STATE.get(draft);
  if (!state) STATE.set(draft, (state = { resources: new Map(), roots: new Map(), methods: [], incomplete: new Set() }));
  return state;
}

/** A resource's path from the chain of parents to the API's root; undefined when a link is unknown. */
function pathOf(state: ApiState, resourceId: string): string | undefined {
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

/** MethodSettings entries that set a throttle; undefined when the list is unresolved. */
function methodThrottles(read: PropertyReader, path: string, stageThrottle?: { rateLimit?: number; burstLimit?: number }): ApiStageDraft['methodThrottles'] {
  const list = read.list(path);
  if (list === UNKNOWN) return undefined;
  const out: NonNullable<ApiStageDraft['methodThrottles']> = [];
  for (const raw of (list ?? []).slice(0, 500)) {
    const s = raw as Record<string, unknown> | null;
    // A setting that is not an object (CloudFormation rejects it): the throttles stay unknown.
    if (!s || typeof s !== 'object' || Array.isArray(s)) return undefined;
    const throttle = throttleOf(num(s.ThrottlingRateLimit), num(s.ThrottlingBurstLimit));
    if (!throttle) continue;
    out.push({ resourcePath: resourcePathOf(typeof s.ResourcePath === 'string' ? s.ResourcePath : '/*'), httpMethod: (typeof s.HttpMethod === 'string' ? s.HttpMethod : '*').toUpperCase(), throttle });
  }
  if (stageThrottle && !out.some((s) => s.resourcePath === '*' && s.httpMethod === '*')) out.push({ resourcePath: '*', httpMethod: '*', throttle: stageThrottle });
  return out.sort((a, b) => compare(a.resourcePath, b.resourcePath) || compare(a.httpMethod, b.httpMethod));
}

/** A number, or a numeric string as YAML and JSON templates may write it; anything else is no value. */
function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

export const apiGatewayMappers: MapperTable = {
  'AWS::ApiGateway::RestApi': {
    identity(_resource, { partition: p, region: r, seed, named }) {
      const { name, unresolved } = named('Name');
      const id = syntheticAlnumId(seed, 10).toLowerCase();
      const root = syntheticAlnumId(`${seed}:root`, 10).toLowerCase();
      return { name, arn: restApiArn(p, r, id), ref: id, nameUnresolved: unresolved, attributes: { RestApiId: id, RootResourceId: root } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const state = stateOf(draft);
      const id = String(identity.attributes.RestApiId);
      state.roots.set(String(identity.attributes.RootResourceId), id);
      // An OpenAPI definition declares the methods; it is not read, so they stay unknown.
      const fromBody = read.value('Body') !== undefined || read.value('BodyS3Location') !== undefined;
      const api: RestApiDraft = compact({
        ...base(),
        ...tagsOf(read),
        id,
        name: identity.name,
        // API Gateway creates an edge-optimized API when no endpoint type is given.
        endpointType: read.value('EndpointConfiguration') === UNKNOWN ? undefined : (known(read.str('EndpointConfiguration.Types[0]')) ?? 'EDGE'),
      });
      draft.restApis.push(api);
      defer(() => {
        if (!fromBody) {
          const methods: MethodDraft[] = [];
          let complete = !state.incomplete.has(id);
          for (const m of state.methods.filter((x) => x.apiId === id)) {
            const resourcePath = m.resourceId === undefined ? undefined : pathOf(state, m.resourceId);
            if (resourcePath === undefined) complete = false;
            else methods.push({ resourcePath, ...m.method });
          }
          if (complete) api.methods = methods.sort((a, b) => compare(a.resourcePath, b.resourcePath) || compare(a.httpMethod, b.httpMethod));
          else setNotes(api, ['Methods']);
        } else setNotes(api, ['Body']);
        setNotes(api, notes());
      });
    },
  },
  'AWS::ApiGateway::Resource': {
    identity(_resource, { seed }) {
      const id = syntheticAlnumId(seed, 10).toLowerCase();
      return { name: id, ref: id, attributes: { ResourceId: id } };
    },
    map(_resource, { draft, read, identity }) {
      stateOf(draft).resources.set(identity.name, { parentId: known(read.str('ParentId')), pathPart: known(read.str('PathPart')) });
    },
  },
  'AWS::ApiGateway::Method': {
    map(_resource, { draft, read }) {
      const apiId = known(read.str('RestApiId'));
      const verb = read.value('HttpMethod');
      const httpMethod = typeof verb === 'string' && verb ? verb : undefined;
      if (!apiId) return;
      if (!httpMethod) {
        stateOf(draft).incomplete.add(apiId);
        return;
      }
      const declared = read.value('Integration');
      const type = read.str('Integration.Type');
      const uri = known(read.str('Integration.Uri'));
      stateOf(draft).methods.push({
        apiId,
        resourceId: known(read.str('ResourceId')),
        method: compact({
          httpMethod: httpMethod.toUpperCase(),
          apiKeyRequired: known(read.bool('ApiKeyRequired', false)),
          integrationType: declared === UNKNOWN || type === UNKNOWN ? undefined : declared === undefined ? null : (type ?? null),
          integrationUri: uri,
        }),
      });
    },
  },
  'AWS::ApiGateway::Stage': {
    identity(resource, { partition: p, region: r, named, resolve }) {
      const { name, unresolved } = named('StageName');
      const apiId = resolve(((resource.raw.Properties ?? {}) as Record<string, unknown>).RestApiId);
      const arn = stageArn(p, r, typeof apiId === 'string' ? apiId : 'unresolved', name);
      return { name, arn, ref: name, nameUnresolved: unresolved, attributes: {} };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const restApiId = known(read.str('RestApiId'));
      if (!restApiId) return;
      const stage: ApiStageDraft = compact({
        ...base(),
        ...tagsOf(read),
        name: identity.name,
        restApiId,
        webAclArn: null,
        methodThrottles: methodThrottles(read, 'MethodSettings'),
      });
      draft.apiStages.push(stage);
      defer(() => setNotes(stage, notes()));
    },
  },
  'AWS::ApiGateway::Deployment': {
    identity(_resource, { seed }) {
      const id = syntheticAlnumId(seed, 6).toLowerCase();
      return { name: id, ref: id, attributes: { DeploymentId: id } };
    },
    map(_resource, { draft, read, base, partition, region, notes, defer }) {
      // With StageName, the deployment creates that stage (StageDescription holds its settings).
      const stageName = known(read.str('StageName'));
      const restApiId = known(read.str('RestApiId'));
      if (!stageName || !restApiId) return;
      const rate = read.value('StageDescription.ThrottlingRateLimit');
      const burst = read.value('StageDescription.ThrottlingBurstLimit');
      const stageThrottle = rate === UNKNOWN || burst === UNKNOWN ? undefined : throttleOf(num(rate), num(burst));
      const tags = read.value('StageDescription.Tags');
      const stage: ApiStageDraft = compact({
        ...base(),
        arn: stageArn(partition, region, restApiId, stageName),
        ...(Array.isArray(tags) ? tagsOf({ value: () => tags } as unknown as PropertyReader) : {}),
        name: stageName,
        restApiId,
        webAclArn: null,
        methodThrottles: rate === UNKNOWN || burst === UNKNOWN ? undefined : methodThrottles(read, 'StageDescription.MethodSettings', stageThrottle),
      });
      draft.apiStages.push(stage);
      defer(() => setNotes(stage, notes()));
    },
  },
  'AWS::ApiGateway::UsagePlan': {
    identity(_resource, { partition: p, region: r, seed, named }) {
      const { name, unresolved } = named('UsagePlanName');
      const id = syntheticAlnumId(seed, 6).toLowerCase();
      return { name, arn: usagePlanArn(p, r, id), ref: id, nameUnresolved: unresolved, attributes: { Id: id } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const throttle = read.value('Throttle');
      const stages = read.list('ApiStages');
      const plan = compact({
        ...base(),
        ...tagsOf(read),
        id: String(identity.attributes.Id),
        name: identity.name,
        throttle: throttle === UNKNOWN ? undefined : throttle === undefined ? null : (throttleOf(num((throttle as Record<string, unknown>).RateLimit), num((throttle as Record<string, unknown>).BurstLimit)) ?? null),
        apiStages:
          stages === UNKNOWN
            ? undefined
            : (stages ?? []).slice(0, 200).flatMap((raw) => {
                const s = raw as Record<string, unknown> | null;
                if (!s || typeof s.ApiId !== 'string' || typeof s.Stage !== 'string') return [];
                const methodThrottles = Object.entries((s.Throttle && typeof s.Throttle === 'object' ? s.Throttle : {}) as Record<string, Record<string, unknown>>)
                  .slice(0, 200)
                  .flatMap(([key, t]) => {
                    const m = methodKey(key);
                    const parsed = t && typeof t === 'object' ? throttleOf(num(t.RateLimit), num(t.BurstLimit)) : undefined;
                    return m && parsed ? [{ ...m, throttle: parsed }] : [];
                  })
                  .sort((a, b) => compare(a.resourcePath, b.resourcePath) || compare(a.httpMethod, b.httpMethod));
                return [{ restApiId: s.ApiId, stage: s.Stage, ...(methodThrottles.length ? { methodThrottles } : {}) }];
              }),
      });
      draft.usagePlans.push(plan);
      defer(() => setNotes(plan, notes()));
    },
  },
  'AWS::WAFv2::WebACL': {
    identity(resource, { partition: p, region: r, accountId: a, seed, named, resolve }) {
      const { name, unresolved } = named('Name');
      const id = syntheticUuid(seed);
      const scope = resolve(((resource.raw.Properties ?? {}) as Record<string, unknown>).Scope);
      const arn = scope === 'CLOUDFRONT' ? `arn:${p}:wafv2:us-east-1:${a}:global/webacl/${name}/${id}` : `arn:${p}:wafv2:${r}:${a}:regional/webacl/${name}/${id}`;
      return { name, arn, ref: `${name}|${id}|${typeof scope === 'string' ? scope : 'REGIONAL'}`, nameUnresolved: unresolved, attributes: { Arn: arn, Id: id } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      // CloudFront ACLs protect distributions, not API stages: the collector reads REGIONAL ones only.
      if (known(read.str('Scope')) !== 'REGIONAL') return;
      const rules = read.list('Rules');
      const acl = compact({
        ...base(),
        ...tagsOf(read),
        name: identity.name,
        id: String(identity.attributes.Id),
        scope: 'REGIONAL',
        defaultAction: actionName(known(read.value('DefaultAction'))),
        rules:
          rules === UNKNOWN
            ? undefined
            : (rules ?? [])
                .slice(0, 1000)
                .flatMap((raw) => {
                  const rule = raw as Record<string, unknown> | null;
                  if (!rule || typeof rule.Name !== 'string') return [];
                  const priority = num(rule.Priority);
                  const action = actionName(rule.Action) ?? actionName(rule.OverrideAction);
                  return [compact({ name: rule.Name, priority, action, ...wafStatementFacts(rule.Statement) })];
                })
                .sort((x, y) => (x.priority ?? 0) - (y.priority ?? 0) || compare(x.name, y.name)),
      });
      draft.webAcls.push(acl);
      defer(() => setNotes(acl, notes()));
    },
  },
  'AWS::WAFv2::WebACLAssociation': {
    map({ logicalId }, { draft, read, defer, linkLocation }) {
      const resourceArn = known(read.str('ResourceArn'));
      const aclArn = read.str('WebACLArn');
      if (!resourceArn) return;
      defer(() => {
        const stage = draft.apiStages.find((s) => s.arn === resourceArn);
        if (!stage) return;
        if (aclArn === UNKNOWN || aclArn === undefined) {
          delete stage.webAclArn;
          setNotes(stage, ['WebAclArn']);
        } else stage.webAclArn = aclArn;
        linkLocation(stage, 'WebAclArn', logicalId, 'WebACLArn');
      });
    },
  },
};
