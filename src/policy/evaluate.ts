/**
 * Request evaluation: given the policies that apply and a request (principal, action, resource,
 * context keys), decide allow / explicit deny / implicit deny, or `unknown` when the answer
 * depends on context keys the caller did not supply. Follows AWS's documented evaluation logic:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 *
 * - An explicit Deny in any applicable policy wins.
 * - SCPs (every level of the organization path) and RCPs must allow; they never grant.
 * - Same account: identity policies (limited by a permissions boundary and session policy when
 *   present) OR the resource policy grant access. A resource policy naming the IAM user or the
 *   session directly is not limited by the boundary; naming the role ARN or `*` is; naming only
 *   the account delegates to identity policies.
 * - Cross account: the resource policy must allow the principal (or its account) AND the
 *   principal's identity policies (within its boundary and session policy) must allow.
 */
import { arnAccount, arnMatches, arnPatternMatcher, arnPatternPrefix, parseArn } from './arn.js';
import type { WildcardMatcher } from './glob.js';
import { compileActionPatterns } from './actions.js';
import { and, contextOf, evaluateConditionBlock, not, or, resolveVariables, type ContextKeys, type Truth } from './conditions.js';
import type { NormalizedPolicy, NormalizedPrincipal, NormalizedStatement } from './document.js';

export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'session' | 'scp' | 'rcp';

/** A policy with a name for evidence (an ARN, `role/x inline y`, a file). */
export interface NamedPolicy {
  id: string;
  policy: NormalizedPolicy;
}

export interface RequestPrincipal {
  /** `AWS` for IAM users, roles, sessions and account roots; `Anonymous` for unsigned requests. */
  type: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | 'Anonymous';
  /** ARN (AWS), service name (`sagemaker.amazonaws.com`), provider (Federated) or canonical id. */
  id?: string;
  /** Account of an AWS principal (derived from its ARN when omitted). */
  account?: string;
}

export interface EvaluationRequest {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  /** Account owning the resource; derived from the ARN, else assumed to be the principal's account. */
  resourceAccount?: string;
  /**
   * Context keys. Keys not given are UNKNOWN (results that depend on them come back `unknown`)
   * unless `contextComplete` is set, in which case they are known to be absent from the request.
   */
  context?: Record<string, string | string[] | null>;
  contextComplete?: boolean;
}

export interface PolicySet {
  /** Identity-based policies of the principal (inline, managed, and a user's group policies). */
  identity?: NamedPolicy[];
  /** The resource-based policy; for sts:AssumeRole* requests, the role's trust policy. */
  resource?: NamedPolicy[];
  /** Permissions boundary (absent: the principal has none). */
  boundary?: NamedPolicy[];
  session?: NamedPolicy[];
  /** One array per level of the organization path (root, OUs, account): every level must allow. */
  scps?: NamedPolicy[][];
  rcps?: NamedPolicy[][];
}

export type DecisionKind = 'allow' | 'explicit_deny' | 'implicit_deny' | 'unknown';

export interface StatementRef {
  policyId: string;
  kind: PolicyKind;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** `unknown` when the statement applies only depending on context. */
  applies: true | 'unknown';
}

export interface Decision {
  decision: DecisionKind;
  /** The statements that decided it (denying, allowing, or the undecided ones for `unknown`). */
  statements: StatementRef[];
  reason: string;
}

// ----------------------------------------------------------------- compiled statements

interface ResourceMatcher {
  /** Pattern whose only wildcard is a final `*` (`arn:aws:s3:::bucket/*`): a prefix test. */
  prefix?: string;
  /** Pattern without policy variables: matched directly. */
  matcher?: WildcardMatcher;
  literal?: string;
  all?: boolean;
  /** Pattern with policy variables: resolved per request. */
  template?: string;
}

interface CompiledStatement {
  actionTest(action: string): boolean;
  variablesEnabled: boolean;
  resources?: ResourceMatcher[];
  hasCondition: boolean;
}

const compiled = new WeakMap<NormalizedStatement, CompiledStatement>();

function compileResources(patterns: readonly string[] | undefined, variables: boolean): ResourceMatcher[] | undefined {
  if (!patterns) return undefined;
  return patterns.map((p): ResourceMatcher => {
    if (variables && p.includes('${')) return { template: p };
    if (p === '*') return { all: true };
    if (!p.includes('*') && !p.includes('?')) return { literal: p };
    const prefix = arnPatternPrefix(p);
    return prefix !== undefined ? { prefix } : { matcher: arnPatternMatcher(p) };
  });
}

function compile(statement: NormalizedStatement, version: string | undefined): CompiledStatement {
  let c = compiled.get(statement);
  if (!c) {
    // Without a Version element IAM reads the policy as 2008-10-17: no policy variables.
    const variablesEnabled = version === '2012-10-17';
    const test = compileActionPatterns(statement.action ?? statement.notAction ?? []);
    c = {
      actionTest: statement.action ? test : statement.notAction ? (a) => !test(a) : () => false,
      variablesEnabled,
      resources: compileResources(statement.resource ?? statement.notResource, variablesEnabled),
      hasCondition: Object.keys(statement.condition).length > 0,
    };
    compiled.set(statement, c);
  }
  return c;
}

// ----------------------------------------------------------------- principals

/** How a Principal element matched: naming the exact identity, the role, the account, or everyone. */
export type PrincipalMatch = 'exact' | 'role' | 'account' | 'wildcard';

const SESSION = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

export function principalAccount(principal: RequestPrincipal): string | undefined {
  if (principal.account) return principal.account;
  if (principal.type !== 'AWS' || !principal.id) return undefined;
  if (/^\d{12}$/.test(principal.id)) return principal.id;
  const arn = parseArn(principal.id);
  return arn && /^\d{12}$/.test(arn.account) ? arn.account : undefined;
}

function isAccountRoot(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(value);
  return m?.[1];
}

/** Does a Principal element (or the list inside NotPrincipal) name this principal? */
export function matchPrincipal(element: NormalizedPrincipal, principal: RequestPrincipal): PrincipalMatch | undefined {
  if (element.wildcard) return 'wildcard';
  const id = principal.id ?? '';
  switch (principal.type) {
    case 'AWS': {
      const account = principalAccount(principal);
      const session = SESSION.exec(id);
      // Strongest naming wins: the identity itself, its role, everyone, then merely its account.
      let best: PrincipalMatch | undefined;
      const rank = (m: PrincipalMatch | undefined) => (m === 'exact' ? 4 : m === 'role' ? 3 : m === 'wildcard' ? 2 : m === 'account' ? 1 : 0);
      for (const value of element.AWS) {
        let match: PrincipalMatch | undefined;
        if (value === '*') match = 'wildcard';
        else if (value === id) return 'exact';
        else if (session && roleMatchesSession(value, session)) match = 'role';
        else if (account && isAccountRoot(value) === account) match = 'account';
        if (rank(match) > rank(best)) best = match;
      }
      return best;
    }
    case 'Anonymous':
      return element.AWS.includes('*') ? 'wildcard' : undefined;
    case 'Service':
      return element.Service.some((s) => s.toLowerCase() === id.toLowerCase()) ? 'exact' : undefined;
    case 'Federated':
      return element.Federated.includes(id) ? 'exact' : undefined;
    case 'CanonicalUser':
      return element.CanonicalUser.includes(id) ? 'exact' : undefined;
  }
}

function roleMatchesSession(roleArn: string, session: RegExpExecArray): boolean {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return !!m && m[1] === session[1] && m[2] === session[2] && m[3] === session[3];
}

// ----------------------------------------------------------------- statements

export interface StatementOutcome {
  applies: Truth;
  /** For resource/trust policies: how the principal was named. */
  principalMatch?: PrincipalMatch;
}

/** Shared outcomes without a principal match: most statements of most evaluations end in one of these. */
const DOES_NOT_APPLY: StatementOutcome = Object.freeze({ applies: false });
const APPLIES: StatementOutcome = Object.freeze({ applies: true });
const MAY_APPLY: StatementOutcome = Object.freeze({ applies: 'unknown' as const });

/**
 * Does the statement apply to the request (action, resource, principal when the policy is
 * resource-based, and condition)? Action and principal never depend on context; resources can,
 * through policy variables; conditions often do.
 */
export function statementApplies(
  statement: NormalizedStatement,
  request: EvaluationRequest,
  context: ContextKeys,
  options: { version?: string; checkPrincipal: boolean },
): StatementOutcome {
  const c = compile(statement, options.version);
  if (!c.actionTest(request.action)) return DOES_NOT_APPLY;
  let principalMatch: PrincipalMatch | undefined;
  if (options.checkPrincipal) {
    if (statement.principal) {
      principalMatch = matchPrincipal(statement.principal, request.principal);
      if (!principalMatch) return DOES_NOT_APPLY;
    } else if (statement.notPrincipal) {
      // Listing an account root in NotPrincipal exempts the account principal itself, not every
      // identity in it (AWS's NotPrincipal examples list the user AND its account for that reason).
      const excluded = matchPrincipal(statement.notPrincipal, request.principal);
      if (excluded && excluded !== 'account') return DOES_NOT_APPLY;
      principalMatch = 'wildcard';
    } else {
      return DOES_NOT_APPLY;
    }
  }
  let applies: Truth = resourceApplies(statement, c, request.resource, context);
  if (applies === false) return DOES_NOT_APPLY;
  if (c.hasCondition) applies = and(applies, evaluateConditionBlock(statement.condition, context, c.variablesEnabled));
  return principalMatch ? { applies, principalMatch } : applies === true ? APPLIES : applies === false ? DOES_NOT_APPLY : MAY_APPLY;
}

function resourceApplies(statement: NormalizedStatement, c: CompiledStatement, resource: string, context: ContextKeys): Truth {
  // Trust policies have no Resource: the statement is about the role it is attached to.
  if (!c.resources) return true;
  let matched: Truth = false;
  for (const m of c.resources) {
    let hit: Truth;
    if (m.all) hit = true;
    else if (m.literal !== undefined) hit = m.literal === resource;
    else if (m.prefix !== undefined) hit = resource.startsWith(m.prefix);
    else if (m.matcher) hit = m.matcher.test(resource);
    else {
      const resolved = resolveVariables(m.template!, context, true);
      hit = resolved === 'nothing' ? false : resolved === 'unknown' ? 'unknown' : arnMatches(resolved.value, resource);
    }
    matched = or(matched, hit);
    if (matched === true) break;
  }
  return statement.resource ? matched : not(matched);
}

// ----------------------------------------------------------------- policies

interface Tally {
  allow: Truth;
  deny: Truth;
  allowRefs: StatementRef[];
  denyRefs: StatementRef[];
  /** Resource policies only: allow through a statement that names the identity itself (or `*`). */
  directAllow: Truth;
  /** ...through a statement that names the role ARN or `*` (limited by boundary/session policy). */
  boundedAllow: Truth;
}

/** What no policy at all tallies to; shared (and frozen), since most requests leave some kinds empty. */
const EMPTY_TALLY: Tally = Object.freeze({
  allow: false,
  deny: false,
  allowRefs: Object.freeze([]) as never,
  denyRefs: Object.freeze([]) as never,
  directAllow: false,
  boundedAllow: false,
});

function tallyPolicies(
  policies: readonly NamedPolicy[],
  kind: PolicyKind,
  request: EvaluationRequest,
  context: ContextKeys,
): Tally {
  if (policies.length === 0) return EMPTY_TALLY;
  const tally: Tally = { allow: false, deny: false, allowRefs: [], denyRefs: [], directAllow: false, boundedAllow: false };
  const checkPrincipal = kind === 'resource' || kind === 'trust';
  for (const { id, policy } of policies) {
    const options = { version: policy.version, checkPrincipal };
    for (const statement of policy.statements) {
      const outcome = statementApplies(statement, request, context, options);
      if (outcome.applies === false) continue;
      // Two literals rather than a spread of the optional Sid: this runs for every applying
      // statement of every evaluation, and the key order is the one reports print.
      const ref: StatementRef =
        statement.sid !== undefined
          ? { policyId: id, kind, index: statement.index, sid: statement.sid, effect: statement.effect, applies: outcome.applies }
          : { policyId: id, kind, index: statement.index, effect: statement.effect, applies: outcome.applies };
      if (statement.effect === 'Deny') {
        tally.deny = or(tally.deny, outcome.applies);
        tally.denyRefs.push(ref);
      } else {
        tally.allow = or(tally.allow, outcome.applies);
        tally.allowRefs.push(ref);
        if (outcome.principalMatch === 'exact') tally.directAllow = or(tally.directAllow, outcome.applies);
        if (outcome.principalMatch === 'role' || outcome.principalMatch === 'wildcard') {
          tally.boundedAllow = or(tally.boundedAllow, outcome.applies);
        }
      }
    }
  }
  return tally;
}

/**
 * Context keys AWS sets from the principal itself, under the caller's explicit keys. Both halves
 * are kept per object: callers that probe many requests (the TLS check, the model allowlist)
 * reuse one principal and one context object, and requests are values, never changed after use.
 */
function requestContext(request: EvaluationRequest): ContextKeys {
  const own = request.context ? explicitContext(request.context) : EMPTY_CONTEXT;
  const fromPrincipal = principalContext(request.principal);
  const closed = request.contextComplete === true;
  return {
    get(key) {
      const explicit = own.get(key);
      if (explicit !== undefined) return explicit;
      const implied = fromPrincipal.get(key);
      if (implied !== undefined) return implied;
      return closed ? null : undefined;
    },
  };
}

const EMPTY_CONTEXT = contextOf({}, false);

/**
 * A few recent entries by object identity: enough for probe loops, and unlike a WeakMap no GC
 * bookkeeping for the one-off objects most callers pass.
 */
class RecentByIdentity<K extends object, V> {
  private readonly keys: (K | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly values: (V | undefined)[] = [undefined, undefined, undefined, undefined];
  private next = 0;

  get(key: K, make: (key: K) => V): V {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] === key) return this.values[i]!;
    const value = make(key);
    this.keys[this.next] = key;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.keys.length;
    return value;
  }
}

const explicitContexts = new RecentByIdentity<NonNullable<EvaluationRequest['context']>, ContextKeys>();
const principalContexts = new RecentByIdentity<RequestPrincipal, ContextKeys>();

function explicitContext(values: NonNullable<EvaluationRequest['context']>): ContextKeys {
  return explicitContexts.get(values, (v) => contextOf(v, false));
}

function principalContext(p: RequestPrincipal): ContextKeys {
  return principalContexts.get(p, (q) => contextOf(derivedKeys(q), false));
}

function derivedKeys(p: RequestPrincipal): Record<string, string> {
  const derived: Record<string, string> = {};
  const account = principalAccount(p);
  if (p.type === 'AWS' && p.id) {
    const session = SESSION.exec(p.id);
    derived['aws:PrincipalArn'] = session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : p.id;
    if (account) derived['aws:PrincipalAccount'] = account;
    derived['aws:PrincipalType'] = session ? 'AssumedRole' : /:user\//.test(p.id) ? 'User' : /:root$/.test(p.id) ? 'Account' : 'AssumedRole';
    if (/:user\//.test(p.id)) derived['aws:username'] = p.id.slice(p.id.lastIndexOf('/') + 1);
  } else if (p.type === 'Service' && p.id) {
    derived['aws:PrincipalServiceName'] = p.id;
  }
  return derived;
}

function resourceAccountOf(request: EvaluationRequest): string | undefined {
  if (request.resourceAccount) return request.resourceAccount;
  const account = arnAccount(request.resource);
  if (account !== undefined && /^\d{12}$/.test(account)) return account;
  return principalAccount(request.principal);
}

const NO_GUARDRAIL: { allow: Truth; deny: Truth; allowRefs: StatementRef[]; denyRefs: StatementRef[] } = Object.freeze({
  allow: true,
  deny: false,
  allowRefs: Object.freeze([]) as never,
  denyRefs: Object.freeze([]) as never,
});

/** Every level must allow (and none deny); absent list: no such guardrail applies. */
function guardrail(levels: readonly NamedPolicy[][] | undefined, kind: PolicyKind, request: EvaluationRequest, context: ContextKeys) {
  if (!levels || levels.length === 0) return NO_GUARDRAIL;
  let allow: Truth = true;
  let deny: Truth = false;
  const allowRefs: StatementRef[] = [];
  const denyRefs: StatementRef[] = [];
  for (const level of levels ?? []) {
    const t = tallyPolicies(level, kind, request, context);
    allow = and(allow, t.allow);
    deny = or(deny, t.deny);
    allowRefs.push(...t.allowRefs);
    denyRefs.push(...t.denyRefs);
  }
  return { allow, deny, allowRefs, denyRefs };
}

export function evaluateRequest(policies: PolicySet, request: EvaluationRequest): Decision {
  const context = requestContext(request);
  const identity = tallyPolicies(policies.identity ?? [], 'identity', request, context);
  const resource = tallyPolicies(policies.resource ?? [], 'resource', request, context);
  const boundary = policies.boundary ? tallyPolicies(policies.boundary, 'boundary', request, context) : undefined;
  const session = policies.session ? tallyPolicies(policies.session, 'session', request, context) : undefined;
  const scp = guardrail(policies.scps, 'scp', request, context);
  const rcp = guardrail(policies.rcps, 'rcp', request, context);

  // Built only when a decision cites them (most requests meet no Deny at all).
  const allDenyRefs = (): StatementRef[] => [
    ...scp.denyRefs,
    ...rcp.denyRefs,
    ...resource.denyRefs,
    ...identity.denyRefs,
    ...(boundary?.denyRefs ?? []),
    ...(session?.denyRefs ?? []),
  ];
  const deny = or(or(or(scp.deny, rcp.deny), or(resource.deny, identity.deny)), or(boundary?.deny ?? false, session?.deny ?? false));
  if (deny === true) {
    return { decision: 'explicit_deny', statements: allDenyRefs().filter((r) => r.applies === true), reason: 'an explicit Deny applies' };
  }

  const principal = request.principal;
  const boundaryOk: Truth = boundary ? boundary.allow : true;
  const sessionOk: Truth = session ? session.allow : true;
  const identityPath = and(and(identity.allow, boundaryOk), sessionOk);
  const principalAcct = principalAccount(principal);
  const sameAccount = principal.type === 'AWS' && principalAcct !== undefined && principalAcct === resourceAccountOf(request);

  let grant: Truth;
  let why: string;
  if (principal.type !== 'AWS') {
    // Service, federated, canonical and anonymous principals carry no identity policies here.
    grant = resource.allow;
    why = 'no resource policy statement allows this principal';
  } else if (sameAccount) {
    const resourcePath = or(resource.directAllow, and(resource.boundedAllow, and(boundaryOk, sessionOk)));
    grant = or(identityPath, resourcePath);
    why = identity.allow === false && resource.allow === false
      ? 'no identity or resource policy statement allows the request'
      : boundary && boundary.allow === false
        ? 'the permissions boundary does not allow the action'
        : session && session.allow === false
          ? 'the session policy does not allow the action'
          : 'no applicable statement allows the request';
  } else {
    grant = and(resource.allow, identityPath);
    why = resource.allow === false
      ? 'cross-account: the resource policy does not allow the principal'
      : identity.allow === false
        ? 'cross-account: the principal\'s identity policies do not allow the request'
        : 'cross-account: the permissions boundary or session policy does not allow the action';
  }
  if (scp.allow === false) why = 'no service control policy at some level of the organization allows the action';
  if (rcp.allow === false) why = 'no resource control policy at some level of the organization allows the action';
  const allowed = and(and(grant, scp.allow), rcp.allow);

  if (allowed === false) return { decision: 'implicit_deny', statements: [], reason: why };
  const allowRefs = [...identity.allowRefs, ...resource.allowRefs, ...(boundary?.allowRefs ?? []), ...(session?.allowRefs ?? []), ...scp.allowRefs, ...rcp.allowRefs];
  if (deny === 'unknown') {
    return {
      decision: 'unknown',
      statements: allDenyRefs().filter((r) => r.applies === 'unknown'),
      reason: 'depends on context: a Deny applies only under conditions the request context does not settle',
    };
  }
  if (allowed === 'unknown') {
    return {
      decision: 'unknown',
      statements: allowRefs.filter((r) => r.applies === 'unknown'),
      reason: 'depends on context: the allowing statements have conditions the request context does not settle',
    };
  }
  return { decision: 'allow', statements: allowRefs.filter((r) => r.applies === true), reason: 'allowed' };
}

/** Convenience: one identity policy, one request. */
export function evaluateIdentityPolicy(policy: NormalizedPolicy, request: Omit<EvaluationRequest, 'principal'> & { principal?: RequestPrincipal }): Decision {
  return evaluateRequest(
    { identity: [{ id: 'policy', policy }] },
    { ...request, principal: request.principal ?? { type: 'AWS', id: 'arn:aws:iam::111122223333:user/tester' } },
  );
}
