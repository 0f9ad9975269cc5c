/**
 * Resource control policies (RCPs) in the public-policy rules: in an organization scan, a bucket or
 * key policy that would let anyone in is not public when the RCPs on the account's path deny every
 * request it allows to principals outside the organization (the "data perimeter" RCP AWS documents:
 * Deny with aws:PrincipalOrgID not the organization's). The policy engine decides, with the RCPs as
 * the guardrail they are: each action the public statements allow is asked for two outsiders, an
 * anonymous caller and a role of an account in another organization.
 */
import { statementActionsIn, type CatalogAction } from '../policy/actions.js';
import { normalizePolicy, type NormalizedPolicy } from '../policy/document.js';
import { evaluateRequest, type EvaluationRequest, type NamedPolicy } from '../policy/evaluate.js';
import type { OrganizationContext } from './organization-context.js';
import { ALLOW_ALL, rcpPath, statementInWords } from './organization-policies.js';
import type { ResourceRef, RuleContext, RuleResult } from './types.js';

export interface RcpShield {
  /**
   * `denied`: the RCPs deny every allowed action to both outsiders; `open`: some action is not
   * denied (named in `open`); `undecided`: a Deny depends on request context aigis cannot settle,
   * or an RCP on the path could not be read.
   */
  outcome: 'denied' | 'open' | 'undecided';
  organization: OrganizationContext;
  /** The RCP statements that deny, in words. */
  by: string[];
  /** An action not denied (outcome open or undecided). */
  open?: string;
  /** RCPs on the path whose text could not be read. */
  unreadable: string[];
}

/** Bounds the probes one resource costs: a statement allowing `s3:*` names about 170 actions. */
const MAX_ACTIONS = 400;
/** An organization id that is not the scanned one (valid shape, reserved-looking). */
const OUTSIDE_ORGANIZATION = 'o-aigisoutsider0';
const OUTSIDE_ACCOUNT = '000000000000';

const ALLOW_ANYONE: NamedPolicy[] = (() => {
  const result = normalizePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
  if (!result.ok) throw new Error('allow-anyone policy');
  return [{ id: 'the resource policy', policy: result.policy }];
})();


/**
 * What the RCPs on the account's path do to outsiders for the statements of `policy` at
 * `statementIndexes`, on resource `resourceFor(action)`; undefined when no RCP can matter: a
 * single-account scan, the management account, RCPs not collected or none on the path.
 */
export function rcpShield(
  context: RuleContext,
  policy: NormalizedPolicy,
  statementIndexes: readonly number[],
  service: string,
  resourceFor: (action: CatalogAction) => string,
): RcpShield | undefined {
  const organization = context.organization;
  if (!organization) return undefined;
  const path = rcpPath(organization);
  if (!path || path.levels.length === 0) return undefined;
  const wanted = new Set(statementIndexes);
  const actions = new Map<string, CatalogAction>();
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || !wanted.has(statement.index)) continue;
    for (const action of statementActionsIn(statement, service, context.catalog)) actions.set(action.id, action);
  }
  const accountId = organization.accountId;
  const outsiders: { principal: EvaluationRequest['principal']; context: Record<string, string | null> }[] = [
    { principal: { type: 'Anonymous' }, context: { 'aws:PrincipalOrgID': null, 'aws:PrincipalAccount': null, 'aws:PrincipalIsAWSService': 'false' } },
    {
      principal: { type: 'AWS', id: `arn:${context.index.partition}:iam::${OUTSIDE_ACCOUNT}:role/outsider`, account: OUTSIDE_ACCOUNT },
      context: { 'aws:PrincipalOrgID': OUTSIDE_ORGANIZATION, 'aws:PrincipalAccount': OUTSIDE_ACCOUNT, 'aws:PrincipalIsAWSService': 'false' },
    },
  ];
  const by = new Set<string>();
  let undecided: string | undefined;
  const sorted = [...actions.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // An action list the catalog does not know (a typo, a new action) proves nothing either way.
  if (sorted.length === 0 || sorted.length > MAX_ACTIONS) return { outcome: 'undecided', organization, by: [], unreadable: path.unreadable, ...(sorted[0] ? { open: sorted[0].id } : {}) };
  for (const action of sorted) {
    for (const outsider of outsiders) {
      const resource = resourceFor(action);
      const decision = evaluateRequest(
        { identity: ALLOW_ALL, resource: ALLOW_ANYONE, rcps: path.levels },
        { principal: outsider.principal, action: action.id, resource, resourceAccount: accountId, context: { 'aws:RequestedRegion': resource.split(':')[3] || 'us-east-1', ...outsider.context } },
      );
      if (decision.decision === 'explicit_deny' || decision.decision === 'implicit_deny') {
        for (const s of decision.statements) if (s.kind === 'rcp') by.add(statementInWords(s));
        continue;
      }
      if (decision.decision === 'allow') return { outcome: path.unreadable.length ? 'undecided' : 'open', organization, by: [...by].sort(), open: action.id, unreadable: path.unreadable };
      undecided ??= action.id;
    }
  }
  if (undecided) return { outcome: 'undecided', organization, by: [...by].sort(), open: undecided, unreadable: path.unreadable };
  return { outcome: 'denied', organization, by: [...by].sort(), unreadable: path.unreadable };
}

/** "RCP x statement "y"; ..." (at most three, then a count), for messages. */
export function describeRcps(by: readonly string[]): string {
  return by.length ? `${by.slice(0, 3).join('; ')}${by.length > 3 ? `; ${by.length - 3} more` : ''}` : 'no RCP at some level allows the requests';
}

/**
 * The verdict on a policy that would let anyone in, given what the RCPs do to outsiders: pass when
 * they deny everything it allows, unknown when that cannot be settled, else the failure (naming an
 * action no RCP denies, in an organization scan).
 */
export function publicUnlessRcps(
  resource: ResourceRef,
  shield: RcpShield | undefined,
  texts: {
    /** "The key policy would be public (statement 1: ...)". */
    wouldBe: string;
    /** "The key policy is public (statement 1: ...)". */
    is: string;
    /** The failure message, without its final period. */
    fail: string;
  },
  evidence: Record<string, unknown>,
  property: string,
): RuleResult {
  const withRcps = shield ? { ...evidence, resourceControlPolicies: { outcome: shield.outcome, deniedBy: shield.by, ...(shield.open ? { notDenied: shield.open } : {}) } } : evidence;
  if (shield?.outcome === 'denied') {
    return {
      verdict: 'pass',
      resource,
      message: `${texts.wouldBe}, but the resource control policies on ${shield.organization.path} deny every action it allows to principals outside organization ${shield.organization.organizationId} (${describeRcps(shield.by)}).`,
      evidence: withRcps,
    };
  }
  if (shield?.outcome === 'undecided') {
    return {
      verdict: 'unknown',
      resource,
      message: `${texts.is}; whether the resource control policies on ${shield.organization.path} deny ${shield.open ?? 'what it allows'} to principals outside the organization ${shield.unreadable.length ? `cannot be told: ${shield.unreadable.join(', ')} could not be read` : 'depends on request conditions aigis cannot settle'}.`,
      evidence: withRcps,
    };
  }
  return {
    verdict: 'fail',
    resource,
    message: `${texts.fail}${shield ? `; no resource control policy on ${shield.organization.path} denies ${shield.open} to principals outside the organization` : ''}.`,
    evidence: withRcps,
    property,
  };
}
