/**
 * IAM in CloudFormation: roles, users and groups with their inline and managed policies;
 * AWS::IAM::ManagedPolicy and the policy resources (Policy, RolePolicy, UserPolicy, GroupPolicy),
 * attached to their principals once every principal exists; AWS::IAM::UserToGroupAddition; and
 * AWS::IAM::InstanceProfile (named only). IAM is global: its resources are recorded in region
 * `global`, as the live collector records them.
 */
import { compact, type GroupDraft, type InventoryDraft, type RoleDraft, type UserDraft } from '../iac/draft.js';
import { UNKNOWN, known, type PropertyReader } from '../iac/props.js';
import { iamPath, syntheticAlnumId } from '../iac/synth.js';
import type { Identity, IdentityContext, Json, MapperTable, ResourceMapper, TemplateResource } from './context.js';
import { addNote, nullable, setNotes } from './helpers.js';

/** The Path property as IAM normalizes it (`/` when absent or not a string). */
function iamPathOf(resource: TemplateResource, ctx: IdentityContext): string {
  const props = (resource.raw.Properties ?? {}) as Json;
  const value = props.Path === undefined ? '/' : ctx.resolve(props.Path);
  return iamPath(typeof value === 'string' ? value : '/');
}

/** Role, User and Group: `<Kind>Name`, an ARN under the path, and a `<Kind>Id` attribute. */
function principalIdentity(resource: TemplateResource, ctx: IdentityContext): Identity {
  const { type } = resource;
  const kind = type.slice('AWS::IAM::'.length);
  const { name, unresolved } = ctx.named(`${kind}Name`);
  const arn = `arn:${ctx.partition}:iam::${ctx.accountId}:${kind.toLowerCase()}${iamPathOf(resource, ctx)}${name}`;
  const idPrefix = kind === 'Role' ? 'AROA' : kind === 'User' ? 'AIDA' : 'AGPA';
  return {
    name,
    arn,
    ref: name,
    nameUnresolved: unresolved,
    attributes: { Arn: arn, [`${kind}Id`]: `${idPrefix}${syntheticAlnumId(ctx.seed, 17)}` },
  };
}

/** AWS::IAM::Policy and its Role/User/Group variants: inline policies of the principals they name. */
const inlinePolicyResource: ResourceMapper = {
  global: true,
  identity(_resource, { named }) {
    const { name, unresolved } = named('PolicyName');
    return { name, ref: name, nameUnresolved: unresolved, attributes: {} };
  },
  map({ logicalId, type }, { draft, read, identity, unresolved, defer, linkLocation }) {
    const document = read.partial('PolicyDocument');
    const roles = type === 'AWS::IAM::RolePolicy' ? [known(read.str('RoleName'))] : known(read.strList('Roles')) ?? [];
    const users = type === 'AWS::IAM::UserPolicy' ? [known(read.str('UserName'))] : known(read.strList('Users')) ?? [];
    const groups = type === 'AWS::IAM::GroupPolicy' ? [known(read.str('GroupName'))] : known(read.strList('Groups')) ?? [];
    defer(() => {
      for (const principal of principals(draft, roles, users, groups)) {
        const index = principal.inlinePolicies.length;
        const key = `Policies[${index}]`;
        if (document === UNKNOWN || document === undefined) {
          addNote(principal, key);
          continue;
        }
        principal.inlinePolicies.push({ name: identity.name, policy: document });
        for (const note of unresolved) addNote(principal, `${key}.${note}`);
        linkLocation(principal, key, logicalId, 'PolicyDocument');
      }
    });
  },
};

export const iamMappers: MapperTable = {
  'AWS::IAM::Role': {
    global: true,
    nameLimit: { max: 64 },
    identity: principalIdentity,
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const role: RoleDraft = compact({
        ...base(),
        name: identity.name,
        path: iamPath(known(read.str('Path'))),
        trustPolicy: policyOrMarker(read, 'AssumeRolePolicyDocument'),
        description: known(read.str('Description')),
        maxSessionDuration: known(read.num('MaxSessionDuration')) ?? 3600,
        permissionsBoundary: nullable(read.str('PermissionsBoundary')),
        attachedManagedPolicies: managedPolicyArns(read),
        inlinePolicies: inlinePolicies(read),
      });
      draft.roles.push(role);
      defer(() => setNotes(role, notes()));
    },
  },
  'AWS::IAM::User': {
    global: true,
    nameLimit: { max: 64 },
    identity: principalIdentity,
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const user: UserDraft = compact({
        ...base(),
        name: identity.name,
        path: iamPath(known(read.str('Path'))),
        groups: known(read.strList('Groups')) ?? [],
        consoleAccess: read.value('LoginProfile') === undefined ? false : true,
        permissionsBoundary: nullable(read.str('PermissionsBoundary')),
        attachedManagedPolicies: managedPolicyArns(read),
        inlinePolicies: inlinePolicies(read),
      });
      draft.users.push(user);
      defer(() => setNotes(user, notes()));
    },
  },
  'AWS::IAM::Group': {
    global: true,
    nameLimit: { max: 128 },
    identity: principalIdentity,
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const group: GroupDraft = compact({
        ...base(),
        name: identity.name,
        path: iamPath(known(read.str('Path'))),
        attachedManagedPolicies: managedPolicyArns(read),
        inlinePolicies: inlinePolicies(read),
      });
      draft.groups.push(group);
      defer(() => setNotes(group, notes()));
    },
  },
  'AWS::IAM::ManagedPolicy': {
    global: true,
    nameLimit: { max: 128 },
    identity(resource, ctx) {
      const { name, unresolved } = ctx.named('ManagedPolicyName');
      const arn = `arn:${ctx.partition}:iam::${ctx.accountId}:policy${iamPathOf(resource, ctx)}${name}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { PolicyArn: arn } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const roles = known(read.strList('Roles')) ?? [];
      const users = known(read.strList('Users')) ?? [];
      const groups = known(read.strList('Groups')) ?? [];
      const document = read.partial('PolicyDocument');
      const policy = compact({
        ...base(),
        name: identity.name,
        path: iamPath(known(read.str('Path'))),
        awsManaged: false,
        defaultVersionId: 'v1',
        attachmentCount: roles.length + users.length + groups.length,
        document: document === UNKNOWN ? undefined : document,
      });
      draft.policies.push(policy);
      defer(() => {
        setNotes(policy, notes());
        for (const principal of principals(draft, roles, users, groups)) principal.attachedManagedPolicies.push(policy.arn);
      });
    },
  },
  'AWS::IAM::Policy': inlinePolicyResource,
  'AWS::IAM::RolePolicy': inlinePolicyResource,
  'AWS::IAM::UserPolicy': inlinePolicyResource,
  'AWS::IAM::GroupPolicy': inlinePolicyResource,
  'AWS::IAM::UserToGroupAddition': {
    global: true,
    map(_resource, { draft, read, defer }) {
      const group = known(read.str('GroupName'));
      const users = known(read.strList('Users')) ?? [];
      defer(() => {
        for (const user of draft.users) if (group && users.includes(user.name)) user.groups.push(group);
      });
    },
  },
  'AWS::IAM::InstanceProfile': {
    global: true,
    nameLimit: { max: 128 },
    identity(resource, ctx) {
      const { name } = ctx.named('InstanceProfileName');
      const arn = `arn:${ctx.partition}:iam::${ctx.accountId}:instance-profile${iamPathOf(resource, ctx)}${name}`;
      return { name, arn, ref: name, attributes: { Arn: arn } };
    },
  },
};

/** The roles, users and groups of the draft named (by name or ARN) in these lists. */
function principals(draft: InventoryDraft, roles: (string | undefined)[], users: (string | undefined)[], groups: (string | undefined)[]) {
  const out: (RoleDraft | UserDraft | GroupDraft)[] = [];
  for (const name of roles) out.push(...draft.roles.filter((r) => r.name === name || r.arn === name));
  for (const name of users) out.push(...draft.users.filter((u) => u.name === name || u.arn === name));
  for (const name of groups) out.push(...draft.groups.filter((g) => g.name === name || g.arn === name));
  return out;
}

function policyOrMarker(read: PropertyReader, property: string): unknown {
  const value = read.partial(property);
  if (value === UNKNOWN || value === undefined) return { Version: '2012-10-17', Statement: [] };
  return value;
}

function managedPolicyArns(read: PropertyReader): string[] {
  const list = read.value('ManagedPolicyArns');
  if (!Array.isArray(list)) {
    // UNKNOWN: notes are recorded; keep the known entries out rather than guess.
    return [];
  }
  return list.map(String);
}

function inlinePolicies(read: PropertyReader): { name: string; policy: unknown }[] {
  const list = read.list('Policies');
  if (list === undefined || list === UNKNOWN) {
    if (list === UNKNOWN) {
      // Some entries contain unresolved values: keep the entries with markers.
      const raw = read.props.Policies;
      if (Array.isArray(raw)) {
        return raw.map((_, i) => ({
          name: known(read.str(`Policies[${i}].PolicyName`)) ?? `policy-${i}`,
          policy: policyOrMarker(read, `Policies[${i}].PolicyDocument`),
        }));
      }
    }
    return [];
  }
  return list.map((_, i) => ({
    name: known(read.str(`Policies[${i}].PolicyName`)) ?? `policy-${i}`,
    policy: policyOrMarker(read, `Policies[${i}].PolicyDocument`),
  }));
}
