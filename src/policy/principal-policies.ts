/**
 * The identity policies that apply to each IAM user, group and role of an inventory, as named
 * policies for the engine: inline and managed policies, a user's group policies, and the
 * permissions boundary. Documents that are not in the inventory are listed, so that rules can
 * answer `unknown` instead of judging half of a principal's permissions.
 */
import { describePolicy, principalsWithPolicies, type AttachedPolicy, type PrincipalKind } from '../engine/rule-kit.js';
import type { ResourceRef, RuleContext, RuleResult } from '../engine/types.js';
import { describeErrors } from '../engine/inventory-index.js';
import type { CollectionError } from '../inventory/schema.js';
import type { NamedPolicy } from './evaluate.js';

export interface PrincipalPolicySet {
  kind: PrincipalKind;
  resource: ResourceRef;
  name: string;
  /** Identity policies with readable documents; ids are human descriptions ("inline policy x", "group g: ..."). */
  policies: NamedPolicy[];
  /** Descriptions of attached policies whose documents are not in the inventory. */
  unreadable: string[];
  /** The permissions boundary; `unreadable` when it is set but its document is not in the inventory. */
  boundary?: NamedPolicy[] | 'unreadable';
  boundaryArn?: string;
  /** IAM collection errors about this principal or its policies: the picture may be incomplete. */
  errors: CollectionError[];
}

/** Why a principal cannot be fully judged (unreadable documents, boundary, collection errors); empty when it can. */
export function incompleteReasons(set: PrincipalPolicySet): string[] {
  return [
    ...set.unreadable.map((u) => `${u} is not in the inventory`),
    ...(set.boundary === 'unreadable' ? [`permissions boundary ${set.boundaryArn} is not in the inventory`] : []),
    ...(set.errors.length ? [`IAM data could not be read (${describeErrors(set.errors)})`] : []),
  ];
}

/**
 * The `unknown` result for a principal whose policies could not all be read, or undefined when
 * it can be judged. `what` names the question ("the S3 access of"); default: the principal itself.
 */
export function incompleteResult(set: PrincipalPolicySet, what = ''): RuleResult | undefined {
  const reasons = incompleteReasons(set);
  if (!reasons.length) return undefined;
  return {
    verdict: 'unknown',
    resource: set.resource,
    message: `Cannot judge ${what ? `${what} ` : ''}${set.kind} ${set.name}: ${reasons.join('; ')}.`,
    evidence: { unreadable: set.unreadable, collectionErrors: set.errors },
  };
}

interface NamedPolicies {
  policies: NamedPolicy[];
  unreadable: string[];
}

/** The policies as named policies for the engine; managed ones (without a prefix) shared through `shared`. */
function named(policies: AttachedPolicy[], prefix = '', shared?: Map<string, NamedPolicy>): NamedPolicies {
  const out: NamedPolicy[] = [];
  const unreadable: string[] = [];
  for (const p of policies) {
    if (!p.document) {
      unreadable.push(`${prefix}${describePolicy(p)}`);
      continue;
    }
    let entry = shared && p.arn ? shared.get(p.arn) : undefined;
    if (!entry) {
      entry = { id: `${prefix}${describePolicy(p)}`, policy: p.document.normalized };
      if (shared && p.arn) shared.set(p.arn, entry);
    }
    out.push(entry);
  }
  return { policies: out, unreadable };
}

const SETS = Symbol('principalPolicySets');
const SETS_WITH_GROUPS = Symbol('principalPolicySets+groups');

/**
 * Every principal's policy set. Several IAM rules walk the same sets in one scan, so they are built
 * once per scan (and per group-policy option, in the scan's InventoryIndex) and shared; rules only read them.
 */
export function principalPolicySets(context: RuleContext, options: { includeGroupPolicies?: boolean } = {}): readonly PrincipalPolicySet[] {
  // With group policies, only users in groups differ: every other set is shared with the plain list.
  if (options.includeGroupPolicies) return context.index.memo(SETS_WITH_GROUPS, () => withGroupPolicies(context, principalPolicySets(context)));
  return context.index.memo(SETS, () => [...buildPrincipalPolicySets(context)]);
}

/** The sets with each user's group policies added (named once per group, for all its members). */
function withGroupPolicies(context: RuleContext, sets: readonly PrincipalPolicySet[]): PrincipalPolicySet[] {
  const iam = context.inventory.iam;
  if (!iam) return [...sets];
  const groupPolicies = new Map<string, AttachedPolicy[]>();
  for (const p of principalsWithPolicies(context)) if (p.kind === 'group' && p.resource.name) groupPolicies.set(p.resource.name, p.policies);
  const namedGroups = new Map<string, NamedPolicies>();
  const groupsOf = new Map(iam.users.map((u) => [u.arn, u.groups]));
  return sets.map((set) => {
    const groups = set.kind === 'user' ? groupsOf.get(set.resource.arn) : undefined;
    if (!groups?.length) return set;
    const policies = [...set.policies];
    const unreadable = [...set.unreadable];
    for (const group of groups) {
      const name = group.includes('/') ? group.slice(group.lastIndexOf('/') + 1) : group;
      const attached = groupPolicies.get(name);
      if (!attached) {
        unreadable.push(`group ${name} (not in the inventory)`);
        continue;
      }
      let g = namedGroups.get(name);
      if (!g) namedGroups.set(name, (g = named(attached, `group ${name}: `)));
      policies.push(...g.policies);
      unreadable.push(...g.unreadable);
    }
    return { ...set, policies, unreadable };
  });
}

function* buildPrincipalPolicySets(context: RuleContext): Generator<PrincipalPolicySet> {
  const iam = context.inventory.iam;
  if (!iam) return;
  // IAM errors about one resource (a policy, a principal), by that resource, in inventory order.
  const iamResourceErrors = context.index.errorsFor('iam').filter((e) => e.resource !== undefined);
  const errorPositions = new Map<string, number[]>();
  iamResourceErrors.forEach((e, i) => {
    const list = errorPositions.get(e.resource!);
    if (list) list.push(i);
    else errorPositions.set(e.resource!, [i]);
  });
  const boundaries = new Map<string, string | null | undefined>();
  for (const u of iam.users) boundaries.set(u.arn, u.permissionsBoundary);
  for (const r of iam.roles) boundaries.set(r.arn, r.permissionsBoundary);
  // A managed policy attached to thousands of principals is one named policy.
  const managedNames = new Map<string, NamedPolicy>();
  for (const p of principalsWithPolicies(context)) {
    const { policies, unreadable } = named(p.policies, '', managedNames);
    const boundaryArn = boundaries.get(p.resource.arn);
    const errors = errorPositions.size ? errorsAbout(p, boundaryArn, errorPositions, iamResourceErrors) : NO_ERRORS;
    const set: PrincipalPolicySet = { kind: p.kind, resource: p.resource, name: p.resource.name ?? p.resource.arn, policies, unreadable, errors };
    if (boundaryArn) {
      const doc = context.index.managedPolicy(boundaryArn)?.document;
      set.boundary = doc ? [{ id: `permissions boundary ${boundaryArn.slice(boundaryArn.lastIndexOf('/') + 1)}`, policy: doc.normalized }] : 'unreadable';
      set.boundaryArn = boundaryArn;
    }
    yield set;
  }
}

const NO_ERRORS: CollectionError[] = Object.freeze([]) as never;

/** The IAM errors about the principal, its attached policies or its boundary, in inventory order. */
function errorsAbout(
  p: { resource: ResourceRef; policies: AttachedPolicy[] },
  boundaryArn: string | null | undefined,
  positions: Map<string, number[]>,
  errors: CollectionError[],
): CollectionError[] {
  // Usually nothing matches: look up each related ARN, and only sort and de-duplicate what did.
  let found: number[] | undefined;
  const add = (arn: string | null | undefined): void => {
    const hit = arn ? positions.get(arn) : undefined;
    if (hit) (found ??= []).push(...hit);
  };
  add(p.resource.arn);
  for (const x of p.policies) add(x.arn);
  add(boundaryArn);
  return found ? [...new Set(found)].sort((a, b) => a - b).map((i) => errors[i]!) : NO_ERRORS;
}
