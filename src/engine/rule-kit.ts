/**
 * Small helpers shared by rule modules, so each rule file reads as its own logic: building
 * resource references, answering `unknown` for data that was not collected, and walking IAM
 * principals with the identity policies that apply to them.
 */
import type { BedrockGuardrail, IamGroup, IamRole, IamUser, SourceLocation } from '../inventory/schema.js';
import type { PolicyDocument } from '../policy/document.js';
import { describeErrors } from './inventory-index.js';
import type { ResourceRef, RuleContext, RuleResult } from './types.js';

export function resourceRef(
  arn: string,
  type: string,
  region: string,
  name?: string,
  source?: SourceLocation,
): ResourceRef {
  // One literal with every field (absent ones undefined, which JSON leaves out): this runs once
  // per finding on large inventories, and adding fields later would give each ref a second,
  // out-of-object property store.
  return { arn, type, region, name, source: source || undefined };
}

/**
 * Appends `value` to the list kept under `key`, starting the list when there is none: in place,
 * not by copying the list per value (which costs the square of a list's length).
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The account as the resource of an account-wide verdict. */
export function accountRef(context: RuleContext, region = 'global'): ResourceRef {
  return resourceRef(context.index.accountArn, 'AWS::::Account', region, context.index.accountId);
}

/**
 * One `unknown` result for a whole inventory section that is missing (not collected, or its
 * listing failed), naming the collection errors when there are any.
 */
export function sectionUnknown(context: RuleContext, service: string, what: string): RuleResult {
  const errors = context.index.errorsFor(service);
  return {
    verdict: 'unknown',
    resource: accountRef(context),
    message: errors.length
      ? `${what} could not be read (${describeErrors(errors)}), so this cannot be evaluated.`
      : `${what} is not in the inventory (not collected), so this cannot be evaluated.`,
    evidence: { collectionErrors: errors },
  };
}

/**
 * An inventory built from templates or plans (`partial`) shows only what that code declares: that a
 * trail or an endpoint is absent from it says nothing about the rest of the account. Rules that
 * would fail on absence answer `unknown` instead, with this reason.
 */
export function partialScopeReason(context: RuleContext): string | undefined {
  return context.inventory.partial
    ? 'the inventory comes from infrastructure code, which shows only the resources it declares; the rest of the account may have it'
    : undefined;
}

/** Why a field is missing: the collection errors about this resource (or its whole service/region). */
export function missingReason(
  context: RuleContext,
  service: string,
  options: { region?: string; resource?: string; operations?: string[] },
  field: string,
): string {
  const errors = context.index.errorsFor(service, options);
  return errors.length ? `${field} could not be read (${describeErrors(errors)})` : `${field} was not collected`;
}

export type PrincipalKind = 'user' | 'group' | 'role';

export interface AttachedPolicy {
  /** Inline policy name, or the managed policy's name (from the ARN when the policy is not in the inventory). */
  name: string;
  kind: 'inline' | 'managed';
  /** Managed policy ARN. */
  arn?: string;
  awsManaged?: boolean;
  /** Undefined when the managed policy's document is not in the inventory: the verdict is unknown. */
  document?: PolicyDocument;
}

export interface PrincipalWithPolicies {
  kind: PrincipalKind;
  resource: ResourceRef;
  policies: AttachedPolicy[];
}

export const PRINCIPAL_TYPES: Readonly<Record<PrincipalKind, string>> = {
  user: 'AWS::IAM::User',
  group: 'AWS::IAM::Group',
  role: 'AWS::IAM::Role',
};

/**
 * Users, groups and roles, each with the identity policies attached directly to it (inline and
 * managed). Group policies are judged on the group, not repeated on every member.
 */
const PRINCIPALS = Symbol('principalsWithPolicies');

export function principalsWithPolicies(context: RuleContext): readonly PrincipalWithPolicies[] {
  // Several IAM rules walk the same principals in one scan: build the list once per scan.
  return context.index.memo(PRINCIPALS, () => [...walkPrincipals(context)]);
}

function* walkPrincipals(context: RuleContext): Generator<PrincipalWithPolicies> {
  const iam = context.inventory.iam;
  if (!iam) return;
  const walk = function* (kind: PrincipalKind, list: (IamUser | IamGroup | IamRole)[]): Generator<PrincipalWithPolicies> {
    for (const principal of list) {
      const policies: AttachedPolicy[] = principal.inlinePolicies.map((p) => ({
        name: p.name,
        kind: 'inline',
        document: p.policy,
      }));
      for (const arn of principal.attachedManagedPolicies) policies.push(managedAttachment(context, arn));
      yield {
        kind,
        resource: resourceRef(principal.arn, PRINCIPAL_TYPES[kind], principal.region, principal.name, principal.source),
        policies,
      };
    }
  };
  yield* walk('user', iam.users);
  yield* walk('group', iam.groups);
  yield* walk('role', iam.roles);
}

/** A managed policy attached to a principal, as the inventory knows it (no document when it was not read). */
export function managedAttachment(context: RuleContext, arn: string): AttachedPolicy {
  const managed = context.index.managedPolicy(arn);
  return {
    name: managed?.name ?? arn.slice(arn.lastIndexOf('/') + 1),
    kind: 'managed',
    arn,
    awsManaged: managed?.awsManaged ?? /^arn:[^:]+:iam::aws:policy\//.test(arn),
    ...(managed?.document ? { document: managed.document } : {}),
  };
}

/** "inline policy X" / "AWS managed policy Y" for messages. */
export function describePolicy(policy: AttachedPolicy): string {
  if (policy.kind === 'inline') return `inline policy ${policy.name}`;
  return `${policy.awsManaged ? 'AWS managed' : 'customer managed'} policy ${policy.name}`;
}

export function describeStatement(sid: string | undefined, index: number): string {
  return sid ? `statement ${index} (Sid "${sid}")` : `statement ${index}`;
}

/** A guardrail as the guardrail rules report it: its reference and the label their messages use. */
export function guardrailSubject(guardrail: BedrockGuardrail): { resource: ResourceRef; label: string } {
  return {
    resource: resourceRef(guardrail.arn, 'AWS::Bedrock::Guardrail', guardrail.region, guardrail.name, guardrail.source),
    label: `Guardrail ${guardrail.name}${guardrail.version ? ` (version ${guardrail.version})` : ''}`,
  };
}

/** The unknown verdict of a guardrail whose `setting` (a phrase: "its content filters") was not read. */
export function guardrailSettingUnknown(context: RuleContext, guardrail: BedrockGuardrail, setting: string): RuleResult {
  const { resource, label } = guardrailSubject(guardrail);
  return {
    verdict: 'unknown',
    resource,
    message: `Cannot judge ${label.charAt(0).toLowerCase()}${label.slice(1)}: ${missingReason(context, 'bedrock', { resource: guardrail.arn, operations: ['GetGuardrail'] }, setting)}.`,
  };
}
