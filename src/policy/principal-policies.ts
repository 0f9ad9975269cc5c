/**
 * The identity policies that apply to each IAM user, group and role of an inventory, as named
 * policies for the engine: inline and managed policies, a user's group policies, and the
 * permissions boundary. Documents that are not in the inventory are listed, so that rules can
 * answer `unknown` instead of judging half of a principal's permissions.
 */
import { describePolicy, managedAttachment, PRINCIPAL_TYPES, resourceRef, type PrincipalKind } from '../engine/rule-kit.js';
import type { ResourceRef, RuleContext, RuleResult } from '../engine/types.js';
import { describeErrors } from '../engine/inventory-index.js';
import type { CollectionError, SourceLocation } from '../inventory/schema.js';
import type { PolicyDocument } from './document.js';
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
  // Most principals are complete: no lists to build for them (rules ask about every principal).
  if (!set.unreadable.length && set.boundary !== 'unreadable' && !set.errors.length) return [];
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

/** A principal as the inventory has it: its own inline and managed policies. */
interface InventoryPrincipal {
  arn: string;
  region: string;
  name: string;
  source?: SourceLocation;
  inlinePolicies: { name: string; policy?: PolicyDocument }[];
  attachedManagedPolicies: string[];
}

/**
 * A principal's own policies as named policies for the engine (inline ones first, then managed,
 * as attached), their ids prefixed with `prefix`. Managed ones are looked up once per ARN through
 * `shared` when given (one named policy, or the description of an unreadable one, for all holders).
 */
function named(context: RuleContext, principal: InventoryPrincipal, prefix = '', shared?: Map<string, NamedPolicy | string>): NamedPolicies {
  const out: NamedPolicy[] = [];
  let unreadable: string[] | undefined;
  for (const inline of principal.inlinePolicies) {
    const id = `${prefix}${describePolicy({ name: inline.name, kind: 'inline' })}`;
    if (inline.policy) out.push({ id, policy: inline.policy.normalized });
    else (unreadable ??= []).push(id);
  }
  for (const arn of principal.attachedManagedPolicies) {
    let entry = shared?.get(arn);
    if (entry === undefined) {
      const attached = managedAttachment(context, arn);
      const id = `${prefix}${describePolicy(attached)}`;
      entry = attached.document ? { id, policy: attached.document.normalized } : id;
      shared?.set(arn, entry);
    }
    if (typeof entry === 'string') (unreadable ??= []).push(entry);
    else out.push(entry);
  }
  // Most principals have every document: one shared empty list for all of them.
  return { policies: out, unreadable: unreadable ?? NO_UNREADABLE };
}

const NO_UNREADABLE: string[] = Object.freeze([]) as never;

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
  const groupPolicies = new Map<string, InventoryPrincipal>();
  for (const group of iam.groups) if (group.name) groupPolicies.set(group.name, group);
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
      if (!g) namedGroups.set(name, (g = named(context, attached, `group ${name}: `)));
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
  const managedNames = new Map<string, NamedPolicy | string>();
  const walk = function* (kind: PrincipalKind, list: readonly InventoryPrincipal[]): Generator<PrincipalPolicySet> {
    for (const p of list) {
      const { policies, unreadable } = named(context, p, '', managedNames);
      const resource = resourceRef(p.arn, PRINCIPAL_TYPES[kind], p.region, p.name, p.source);
      const boundaryArn = boundaries.get(p.arn);
      const errors = errorPositions.size ? errorsAbout(p, boundaryArn, errorPositions, iamResourceErrors) : NO_ERRORS;
      const set: PrincipalPolicySet = { kind, resource, name: resource.name ?? resource.arn, policies, unreadable, errors };
      if (boundaryArn) {
        const doc = context.index.managedPolicy(boundaryArn)?.document;
        set.boundary = doc ? [{ id: `permissions boundary ${boundaryArn.slice(boundaryArn.lastIndexOf('/') + 1)}`, policy: doc.normalized }] : 'unreadable';
        set.boundaryArn = boundaryArn;
      }
      yield set;
    }
  };
  yield* walk('user', iam.users);
  yield* walk('group', iam.groups);
  yield* walk('role', iam.roles);
}

const NO_ERRORS: CollectionError[] = Object.freeze([]) as never;

/** The IAM errors about the principal, its attached policies or its boundary, in inventory order. */
function errorsAbout(
  p: InventoryPrincipal,
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
  add(p.arn);
  for (const arn of p.attachedManagedPolicies) add(arn);
  add(boundaryArn);
  return found ? [...new Set(found)].sort((a, b) => a - b).map((i) => errors[i]!) : NO_ERRORS;
}
