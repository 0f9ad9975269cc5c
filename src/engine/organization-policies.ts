/**
 * Shared by the organization rules: the SCPs on an account's path, parsed for the policy engine,
 * and one question asked of them ("does every SCP path let an ordinary role in this account do
 * X?"). The documents come from the organization's management account and are parsed with the one
 * policy parser (bounded); a level whose policies cannot all be read is kept with what could be
 * read, and the answer says so.
 */
import { normalizePolicyInput } from '../policy/document.js';
import { evaluateRequest, type DecisionKind, type NamedPolicy, type StatementRef } from '../policy/evaluate.js';
import { normalizePolicy, type NormalizedPolicy } from '../policy/document.js';
import type { OrganizationContext, OrganizationPolicyRef } from './organization-context.js';
import { accountRef } from './rule-kit.js';
import type { RuleContext, RuleResult } from './types.js';

/** What the organization rules say in a single-account scan. */
export const SINGLE_ACCOUNT_REASON = 'SCPs are read from the management account (run aigis scan --org)';

export interface ScpPath {
  /** One list per level (root, units, account), the readable SCPs (or RCPs) attached there. */
  levels: NamedPolicy[][];
  /** Policies whose text is absent or is not a policy (named for messages). */
  unreadable: string[];
}

const caches = {
  SERVICE_CONTROL_POLICY: new WeakMap<OrganizationContext, ScpPath | undefined>(),
  RESOURCE_CONTROL_POLICY: new WeakMap<OrganizationContext, ScpPath | undefined>(),
};

/**
 * The SCPs of the account's path, or undefined when the organization's policies were not collected.
 * SCPs do not restrict the management account: its path has none.
 */
export function scpPath(organization: OrganizationContext): ScpPath | undefined {
  return guardrailPath(organization, 'SERVICE_CONTROL_POLICY');
}

/**
 * The resource control policies of the account's path, read like its SCPs (RCPs do not restrict
 * the management account's resources either), or undefined when not collected.
 */
export function rcpPath(organization: OrganizationContext): ScpPath | undefined {
  return guardrailPath(organization, 'RESOURCE_CONTROL_POLICY');
}

function guardrailPath(organization: OrganizationContext, type: keyof typeof caches): ScpPath | undefined {
  const cache = caches[type];
  if (cache.has(organization)) return cache.get(organization);
  if (organization.accountId === organization.managementAccountId) {
    const none: ScpPath = { levels: [], unreadable: [] };
    cache.set(organization, none);
    return none;
  }
  const label = type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP';
  const levels = organization.policies(type);
  let out: ScpPath | undefined;
  if (levels) {
    const unreadable: string[] = [];
    const parsedLevels = levels.map((level) =>
      level.flatMap((ref): NamedPolicy[] => {
        const policy = parseOrganizationPolicy(ref);
        if (!policy) {
          unreadable.push(`${ref.name} (${ref.id})`);
          // Assumed to allow everything and deny nothing: a Deny found elsewhere still denies,
          // and an answer that needed this policy's text says unknown (judgeProbes).
          return [{ id: `${label} ${ref.name} (${ref.id}, unreadable)`, policy: ALLOW_ALL[0]!.policy }];
        }
        return [{ id: `${label} ${ref.name} (${ref.id})`, policy }];
      }),
    );
    // None anywhere on the path: the policy type is not enabled, nothing restricts. A level
    // without one (AWS keeps at least one on every target while the type is enabled; a hand-made
    // snapshot may have none) is read as not restricting, never as denying everything.
    out = {
      levels: parsedLevels.every((level) => level.length === 0) ? [] : parsedLevels.map((level) => (level.length ? level : [{ id: `no ${label} attached (read as not restricting)`, policy: ALLOW_ALL[0]!.policy }])),
      unreadable,
    };
  }
  cache.set(organization, out);
  return out;
}

const parsed = new Map<string, NormalizedPolicy | null>();

function parseOrganizationPolicy(ref: OrganizationPolicyRef): NormalizedPolicy | undefined {
  if (ref.content === undefined) return undefined;
  let policy = parsed.get(ref.content);
  if (policy === undefined) {
    const result = normalizePolicyInput(ref.content);
    policy = result.ok ? result.document.normalized : null;
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(ref.content, policy);
  }
  return policy ?? undefined;
}

/** An identity policy allowing everything: the probes ask what the guardrails alone leave. */
export const ALLOW_ALL: NamedPolicy[] = (() => {
  const result = normalizePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  if (!result.ok) throw new Error('allow-all policy');
  return [{ id: 'an identity policy allowing everything', policy: result.policy }];
})();

export interface Probe {
  action: string;
  resource: string;
  /** Condition keys of the request; keys not given are unknown (a Deny that depends on them is undecided). */
  context: Record<string, string | string[] | null>;
}

export interface ProbeOutcome {
  probe: Probe;
  /** `denied`: the SCPs deny it (explicitly, or no SCP at some level allows it). */
  outcome: 'denied' | 'allowed' | 'undecided';
  /** The SCP statements that deny it, in words. */
  by: string[];
}

/**
 * Asks the policy engine whether the SCPs of the path let a role of the account that is allowed
 * everything by its own policies make each probe request. The role is an ordinary one
 * (`role/aigis-scp-probe`): SCP exemptions for named administrator roles do not apply to it.
 */
export function probeScps(path: ScpPath, accountId: string, partition: string, probes: Probe[]): ProbeOutcome[] {
  const principal = { type: 'AWS' as const, id: `arn:${partition}:iam::${accountId}:role/aigis-scp-probe` };
  return probes.map((probe) => {
    const decision = evaluateRequest(
      { identity: ALLOW_ALL, scps: path.levels },
      { principal, action: probe.action, resource: probe.resource, resourceAccount: accountId, context: { 'aws:RequestedRegion': regionOf(probe.resource), ...probe.context } },
    );
    return { probe, outcome: outcomeOf(decision.decision), by: decision.statements.filter((s) => s.kind === 'scp').map(statementInWords) };
  });
}

/** "SCP name (p-id) statement "Sid"" (or its position), as messages name a guardrail statement. */
export function statementInWords(s: StatementRef): string {
  return `${s.policyId} ${s.sid ? `statement "${s.sid}"` : `statement ${s.index + 1}`}`;
}

function outcomeOf(decision: DecisionKind): ProbeOutcome['outcome'] {
  return decision === 'explicit_deny' || decision === 'implicit_deny' ? 'denied' : decision === 'allow' ? 'allowed' : 'undecided';
}

function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

/**
 * The organization and its SCP path, or the `unknown` result to give instead: single-account scan
 * (`context.organization` absent) or SCPs not collected.
 */
export function scpPathOrUnknown(context: RuleContext): { organization: OrganizationContext; path: ScpPath } | RuleResult {
  const organization = context.organization;
  if (!organization) return { verdict: 'unknown', resource: accountRef(context), message: `This account's service control policies are not known in a single-account scan: ${SINGLE_ACCOUNT_REASON}.` };
  if (organization.accountId === organization.managementAccountId) {
    return {
      verdict: 'not_applicable',
      resource: accountRef(context),
      message: `Account ${organization.accountId} is the management account of ${organization.organizationId}: service control policies do not apply to it (keep AI workloads in member accounts).`,
    };
  }
  const path = scpPath(organization);
  if (!path) {
    return {
      verdict: 'unknown',
      resource: accountRef(context),
      message: `The service control policies of organization ${organization.organizationId} were not collected, so this cannot be evaluated for account ${organization.accountId}.`,
    };
  }
  return { organization, path };
}

/**
 * The verdict on the account root for probes that must all be denied: pass when the SCPs deny
 * every one, fail naming an allowed one, unknown when a Deny depends on context or an SCP on the
 * path could not be read (it might deny).
 */
export function judgeProbes(context: RuleContext, organization: OrganizationContext, path: ScpPath, probes: Probe[], what: string, describe: (probe: Probe) => string): RuleResult {
  const outcomes = probeScps(path, organization.accountId, context.index.partition, probes);
  const resource = accountRef(context);
  const evidence = { organizationPath: organization.path, probes: outcomes.map((o) => ({ action: o.probe.action, resource: o.probe.resource, outcome: o.outcome, ...(o.by.length ? { deniedBy: o.by } : {}) })) };
  const open = outcomes.find((o) => o.outcome !== 'denied');
  if (!open) {
    const by = [...new Set(outcomes.flatMap((o) => o.by))].sort();
    return { verdict: 'pass', resource, message: `Service control policies on ${organization.path} ${what}${by.length ? ` (${by.slice(0, 3).join('; ')}${by.length > 3 ? `; ${by.length - 3} more` : ''})` : ' (no SCP at some level allows it)'}.`, evidence };
  }
  if (path.unreadable.length) {
    return { verdict: 'unknown', resource, message: `No readable service control policy on ${organization.path} denies ${describe(open.probe)}, and ${path.unreadable.join(', ')} could not be read.`, evidence: { ...evidence, unreadable: path.unreadable } };
  }
  if (open.outcome === 'undecided') {
    return { verdict: 'unknown', resource, message: `Whether the service control policies on ${organization.path} deny ${describe(open.probe)} depends on request conditions aigis cannot settle.`, evidence };
  }
  return { verdict: 'fail', resource, message: `No service control policy on ${organization.path} denies ${describe(open.probe)}.`, evidence, property: 'ServiceControlPolicies' };
}

/** The scan's Regions, sorted and bounded (us-east-1 when none is recorded). */
export function scanRegions(regions: readonly string[]): string[] {
  const sorted = [...new Set(regions)].sort().slice(0, 40);
  return sorted.length ? sorted : ['us-east-1'];
}
