/**
 * IAM in a Terraform plan: roles, users and groups (with their inline `inline_policy` blocks and
 * `managed_policy_arns`), customer managed policies, and what attaches to them: inline policies
 * (`aws_iam_*_policy`), policy attachments (`aws_iam_*_policy_attachment`, the exclusive
 * `aws_iam_policy_attachment`), group memberships and login profiles. An attachment finds its
 * principal by reference, else by name or ARN; what it leaves unknown is noted on the principal.
 */
import { compact, type GroupDraft, type RoleDraft, type UserDraft } from '../iac/draft.js';
import { UNKNOWN, known } from '../iac/props.js';
import { iamPath, syntheticAlnumId } from '../iac/synth.js';
import { serviceState, type IdentityContext, type MapContext, type MapperTable, type TerraformMapper, type TfResource } from './context.js';
import { remember, setNotes, toStrings } from './helpers.js';

type PrincipalDraft = RoleDraft | UserDraft | GroupDraft;

/** The principals and policies of this plan, for the attachments to find. */
class Principals {
  readonly byResource = new Map<TfResource, PrincipalDraft>();
  /** `aws_iam_role\0name` and `aws_iam_role\0arn` -> the principals that have it. */
  private readonly byName = new Map<string, TfResource[]>();
  private readonly pendingByResource = new Map<TfResource, Set<string>>();
  readonly policiesByArn = new Map<string, { attachmentCount?: number }>();

  /** Principals of `type` whose name or ARN is `name`, in plan order. */
  named(type: string, name: string): TfResource[] {
    return this.byName.get(`${type}\u0000${name}`) ?? [];
  }

  add(resource: TfResource, draft: PrincipalDraft): void {
    this.byResource.set(resource, draft);
    const keys = new Set([resource.identity.name, resource.identity.arn]);
    for (const key of keys) {
      const list = this.byName.get(`${resource.type}\u0000${key}`);
      if (list) list.push(resource);
      else this.byName.set(`${resource.type}\u0000${key}`, [resource]);
    }
  }

  draft(principal: TfResource): PrincipalDraft {
    return this.byResource.get(principal)!;
  }

  /** Notes of a principal's settings that its own values or its attachments leave unknown. */
  pendingNotes(resource: TfResource): Set<string> {
    const existing = this.pendingByResource.get(resource);
    if (existing) return existing;
    const created = new Set<string>();
    this.pendingByResource.set(resource, created);
    return created;
  }

  countAttachment(arn: string): void {
    const policy = this.policiesByArn.get(arn);
    if (policy) policy.attachmentCount = (policy.attachmentCount ?? 0) + 1;
  }

  attachLocation(principal: TfResource, from: TfResource, key: string): void {
    const draft = this.draft(principal);
    if (!from.block || !draft.source) return;
    const sameFile = draft.source.file === from.block.file;
    draft.source.properties = {
      ...(draft.source.properties ?? {}),
      [key]: sameFile ? { line: from.block.line, column: from.block.column } : { line: from.block.line, column: from.block.column, file: from.block.file },
    };
  }
}

const PRINCIPALS = serviceState(() => new Principals());

function principalIdentity({ resource, nameOf, given, set, partition: p, accountId: a, seed }: IdentityContext): void {
  const kind = resource.type.slice('aws_iam_'.length);
  const name = nameOf('name');
  set(name, given('arn') ?? `arn:${p}:iam::${a}:${kind}${iamPath(resource.values.path)}${name}`, { id: name, name, unique_id: `${kind === 'role' ? 'AROA' : kind === 'user' ? 'AIDA' : 'AGPA'}${syntheticAlnumId(seed, 17)}` });
}

function mapPrincipal(ctx: MapContext): void {
  const { resource: r, unresolved: u, str, nullableStr, base } = ctx;
  const id = r.identity;
  const principals = ctx.state(PRINCIPALS);
  if (r.nameUnknown) u.add(r.type === 'aws_iam_role' ? 'RoleName' : r.type === 'aws_iam_user' ? 'UserName' : 'GroupName');
  const inline = ctx
    .blocks(r.values.inline_policy, [...r.jsonPath, 'values', 'inline_policy'])
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => typeof p.policy === 'string' && p.policy.trim() !== '')
    .map(({ p, i }) => ({ name: String(p.name ?? 'inline'), policy: ctx.checkedPolicy(p.policy, [...r.jsonPath, 'values', 'inline_policy', i, 'policy']) }));
  const managed = ctx.readStrList(['managed_policy_arns'], 'ManagedPolicyArns');
  const common = {
    ...base({ assume_role_policy: 'AssumeRolePolicyDocument', inline_policy: 'Policies', managed_policy_arns: 'ManagedPolicyArns', permissions_boundary: 'PermissionsBoundary', name: r.type === 'aws_iam_role' ? 'RoleName' : 'UserName' }),
    name: id.name,
    path: iamPath(r.values.path),
    permissionsBoundary: nullableStr('permissions_boundary', 'PermissionsBoundary'),
    attachedManagedPolicies: managed === UNKNOWN || managed === undefined ? [] : [...managed],
    inlinePolicies: inline,
  };
  if (r.type === 'aws_iam_role') {
    const trust = ctx.policy('assume_role_policy', 'AssumeRolePolicyDocument');
    const role: RoleDraft = compact({
      ...common,
      trustPolicy: trust === UNKNOWN || trust === undefined ? { Version: '2012-10-17', Statement: [] } : trust,
      description: str('description', 'Description') || undefined,
      maxSessionDuration: typeof r.values.max_session_duration === 'number' ? r.values.max_session_duration : 3600,
    });
    ctx.draft.roles.push(role);
    principals.add(r, role);
  } else if (r.type === 'aws_iam_user') {
    const user: UserDraft = compact({ ...common, groups: [], consoleAccess: false });
    ctx.draft.users.push(user);
    principals.add(r, user);
  } else {
    const group: GroupDraft = compact({ ...common });
    ctx.draft.groups.push(group);
    principals.add(r, group);
  }
  // Set once every attachment is in (afterAttach): attachments add theirs.
  for (const note of u) principals.pendingNotes(r).add(note);
}

/** The notes of the principal itself and of what attaches to it. */
function settlePrincipal(ctx: MapContext): void {
  const principals = ctx.state(PRINCIPALS);
  const principal = principals.byResource.get(ctx.resource);
  if (principal) setNotes(principal, [...principals.pendingNotes(ctx.resource)]);
}

const principal: TerraformMapper = { identity: principalIdentity, map: mapPrincipal, afterAttach: settlePrincipal };

/** `aws_iam_role_policy`, `_user_policy`, `_group_policy`: one inline policy of the principal. */
function attachInlinePolicy(ctx: MapContext): void {
  const r = ctx.resource;
  const principals = ctx.state(PRINCIPALS);
  const kind = r.type.split('_')[2]!;
  const principal = principalFor(ctx, kind, kind === 'role' ? 'role' : kind === 'user' ? 'user' : 'group');
  if (!principal) return;
  const draft = principals.draft(principal);
  const index = draft.inlinePolicies.length;
  const policy = ctx.policy('policy', `Policies[${index}]`);
  if (policy === UNKNOWN || policy === undefined) {
    principals.pendingNotes(principal).add(`Policies[${index}]`);
    return;
  }
  draft.inlinePolicies.push({ name: known(ctx.readStr(['name'], 'PolicyName')) ?? r.name, policy });
  principals.attachLocation(principal, r, `Policies[${index}]`);
}

/** `aws_iam_role_policy_attachment`, `_user_...`, `_group_...`: one managed policy of the principal. */
function attachManagedPolicy(ctx: MapContext): void {
  const r = ctx.resource;
  const principals = ctx.state(PRINCIPALS);
  const kind = r.type.split('_')[2]!;
  const principal = principalFor(ctx, kind, kind);
  if (!principal) return;
  const arn = policyArn(ctx);
  if (arn === undefined) {
    principals.pendingNotes(principal).add('ManagedPolicyArns');
    return;
  }
  principals.draft(principal).attachedManagedPolicies.push(arn);
  principals.countAttachment(arn);
}

export const iamMappers: MapperTable = {
  // IAM: role, user and group names up to 64 of [\w+=,.@-]; managed policy names up to 128.
  aws_iam_role: { ...principal, nameRule: { max: 64, charset: 'word' } },
  aws_iam_user: { ...principal, nameRule: { max: 64, charset: 'word' } },
  aws_iam_group: { ...principal, nameRule: { max: 64, charset: 'word' } },

  aws_iam_policy: {
    nameRule: { max: 128, charset: 'word' },
    identity({ nameOf, given, set, resource, partition: p, accountId: a, seed }) {
      const name = nameOf('name');
      const arn = given('arn') ?? `arn:${p}:iam::${a}:policy${iamPath(resource.values.path)}${name}`;
      set(name, arn, { id: arn, name, policy_id: `ANPA${syntheticAlnumId(seed, 17)}` });
    },
    map(ctx) {
      const { resource: r, unresolved: u, base, finish } = ctx;
      const id = r.identity;
      if (r.nameUnknown) u.add('ManagedPolicyName');
      const document = ctx.policy('policy', 'PolicyDocument');
      const policy = compact({
        ...base({ policy: 'PolicyDocument', name: 'ManagedPolicyName' }),
        name: id.name,
        path: iamPath(r.values.path),
        awsManaged: false,
        defaultVersionId: 'v1',
        attachmentCount: 0,
        document: document === UNKNOWN ? undefined : document,
      });
      ctx.draft.policies.push(finish(policy));
      remember(ctx.state(PRINCIPALS).policiesByArn, policy.arn, policy);
    },
  },

  aws_iam_role_policy: { attach: attachInlinePolicy },
  aws_iam_user_policy: { attach: attachInlinePolicy },
  aws_iam_group_policy: { attach: attachInlinePolicy },
  aws_iam_role_policy_attachment: { attach: attachManagedPolicy },
  aws_iam_user_policy_attachment: { attach: attachManagedPolicy },
  aws_iam_group_policy_attachment: { attach: attachManagedPolicy },

  aws_iam_policy_attachment: {
    attach(ctx) {
      const r = ctx.resource;
      const principals = ctx.state(PRINCIPALS);
      const arn = policyArn(ctx);
      for (const kind of ['roles', 'users', 'groups'] as const) {
        const names = new Set(toStrings(r.values[kind]));
        const found = new Set([...names].flatMap((name) => principals.named(`aws_iam_${kind.slice(0, -1)}`, name).filter((p) => p.identity.name === name)));
        for (const principal of found) {
          if (arn === undefined) principals.pendingNotes(principal).add('ManagedPolicyArns');
          else {
            principals.draft(principal).attachedManagedPolicies.push(arn);
            principals.countAttachment(arn);
          }
        }
      }
    },
  },

  aws_iam_user_group_membership: {
    attach(ctx) {
      const r = ctx.resource;
      const user = principalFor(ctx, 'user', 'user');
      const groups = Array.isArray(r.values.groups) ? (r.values.groups as unknown[]).map(String) : [];
      if (user) (ctx.state(PRINCIPALS).draft(user) as UserDraft).groups.push(...groups);
    },
  },

  aws_iam_group_membership: {
    attach(ctx) {
      const r = ctx.resource;
      const group = typeof r.values.group === 'string' ? r.values.group : undefined;
      const users = new Set(toStrings(r.values.users));
      for (const user of ctx.draft.users) if (group && users.has(user.name)) user.groups.push(group);
    },
  },

  aws_iam_user_login_profile: {
    attach(ctx) {
      const user = principalFor(ctx, 'user', 'user');
      if (user) (ctx.state(PRINCIPALS).draft(user) as UserDraft).consoleAccess = true;
    },
  },
};

/** The principal of type `aws_iam_<kind>` that the attribute names: by reference, else by name or ARN. */
function principalFor(ctx: MapContext, attribute: string, kind: string): TfResource | undefined {
  const followed = ctx.referenceTarget([attribute]);
  if (followed?.target.type === `aws_iam_${kind}`) return followed.target;
  const name = ctx.resource.values[attribute];
  if (typeof name !== 'string') return undefined;
  return ctx.state(PRINCIPALS).named(`aws_iam_${kind}`, name)[0];
}

function policyArn(ctx: MapContext): string | undefined {
  return known(ctx.readStr(['policy_arn'], 'PolicyArn'));
}
