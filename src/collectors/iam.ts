/**
 * IAM, a global service, in O(pages) calls: GetAccountAuthorizationDetails returns every user,
 * group, role and managed policy with their documents, so no per-principal calls are needed.
 *
 * User MFA, console password and access keys are not in that answer. They come from the IAM
 * credential report *if one already exists* (GetCredentialReport). GenerateCredentialReport is
 * not called: it changes account state, and aigis is read-only. Without a report those fields
 * stay absent, so rules answer `unknown` for them, and a note tells the user how to enable them.
 */
import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListAccountAliasesCommand,
  type AttachedPolicy,
  type PolicyDetail,
} from '@aws-sdk/client-iam';
import { acceptPolicy } from './policy-check.js';
import { paginate, type CollectRuntime } from './runtime.js';
import { iso, tagMap, type IamSectionInput } from './shapes.js';

type UserInput = NonNullable<IamSectionInput['users']>[number];
type GroupInput = NonNullable<IamSectionInput['groups']>[number];
type RoleInput = NonNullable<IamSectionInput['roles']>[number];
type PolicyInput = NonNullable<IamSectionInput['policies']>[number];

/** Credential-report rows older than this are still used, with a note (they may be stale). */
const REPORT_STALE_MS = 24 * 3600_000;

export async function collectIam(rt: CollectRuntime, region: string, now: Date): Promise<IamSectionInput | undefined> {
  const users: UserInput[] = [];
  const groups: GroupInput[] = [];
  const roles: RoleInput[] = [];
  const policies: PolicyInput[] = [];

  const [details, summary, report] = await Promise.all([
    paginate(
      (marker) =>
        rt.call('iam', region, 'GetAccountAuthorizationDetails', (c) =>
          c.send(
            new GetAccountAuthorizationDetailsCommand({
              Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'],
              MaxItems: 1000,
              ...(marker ? { Marker: marker } : {}),
            }),
          ),
        ),
      (page) => (page.IsTruncated ? page.Marker : undefined),
      (page) => {
        for (const u of page.UserDetailList ?? []) {
          const id = identity(rt, region, 'user', u.Arn, u.UserName, u.Path);
          if (!id) continue;
          const user: UserInput = {
            ...id,
            region: 'global',
            attachedManagedPolicies: attachedArns(u.AttachedManagedPolicies),
            inlinePolicies: inline(rt, region, id.arn, u.UserPolicyList),
            groups: [...(u.GroupList ?? [])].sort(),
            permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
            tags: tagMap(u.Tags),
          };
          if (u.UserId) user.id = u.UserId;
          if (u.CreateDate) user.createDate = iso(u.CreateDate);
          users.push(user);
        }
        for (const g of page.GroupDetailList ?? []) {
          const id = identity(rt, region, 'group', g.Arn, g.GroupName, g.Path);
          if (!id) continue;
          const group: GroupInput = {
            ...id,
            region: 'global',
            attachedManagedPolicies: attachedArns(g.AttachedManagedPolicies),
            inlinePolicies: inline(rt, region, id.arn, g.GroupPolicyList),
          };
          if (g.GroupId) group.id = g.GroupId;
          if (g.CreateDate) group.createDate = iso(g.CreateDate);
          groups.push(group);
        }
        for (const r of page.RoleDetailList ?? []) {
          const id = identity(rt, region, 'role', r.Arn, r.RoleName, r.Path);
          if (!id) continue;
          // A role whose trust policy is missing or cannot be read is left out; the error names it.
          if (r.AssumeRolePolicyDocument === undefined) {
            rt.recordError({ ...gaadOrigin(region, id.arn), errorCode: 'IncompleteResponse', message: 'role left out: the answer has no trust policy (AssumeRolePolicyDocument)' });
            continue;
          }
          if (!acceptPolicy(rt, gaadOrigin(region, id.arn), r.AssumeRolePolicyDocument, 'role (trust policy)')) continue;
          const role: RoleInput = {
            ...id,
            region: 'global',
            attachedManagedPolicies: attachedArns(r.AttachedManagedPolicies),
            inlinePolicies: inline(rt, region, id.arn, r.RolePolicyList),
            permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
            trustPolicy: r.AssumeRolePolicyDocument,
            tags: tagMap(r.Tags),
            lastUsedDate: iso(r.RoleLastUsed?.LastUsedDate) ?? null,
          };
          if (r.RoleId) role.id = r.RoleId;
          if (r.CreateDate) role.createDate = iso(r.CreateDate);
          roles.push(role);
        }
        for (const p of page.Policies ?? []) {
          const id = identity(rt, region, 'managed policy', p.Arn, p.PolicyName, p.Path);
          if (!id) continue;
          const policy: PolicyInput = {
            ...id,
            region: 'global',
            awsManaged: /^arn:[^:]+:iam::aws:policy\//.test(id.arn),
          };
          if (p.DefaultVersionId) policy.defaultVersionId = p.DefaultVersionId;
          if (p.AttachmentCount !== undefined) policy.attachmentCount = p.AttachmentCount;
          const document = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion)?.Document;
          if (document === undefined) {
            // The policy is kept (principals reference it); rules that need its statements answer unknown, and this says why.
            rt.recordError({ ...gaadOrigin(region, id.arn), errorCode: 'IncompleteResponse', message: 'managed policy document left out: the answer has no default version document' });
          } else if (acceptPolicy(rt, gaadOrigin(region, id.arn), document, 'policy document')) policy.document = document;
          policies.push(policy);
        }
      },
    ),
    rt.call('iam', region, 'GetAccountSummary', (c) => c.send(new GetAccountSummaryCommand({}))),
    rt.call('iam', region, 'GetCredentialReport', (c) => c.send(new GetCredentialReportCommand({})), {
      notConfigured: ['ReportNotPresent', 'ReportExpired', 'ReportInProgress', 'CredentialReportNotPresentException', 'CredentialReportExpiredException', 'CredentialReportNotReadyException'],
    }),
  ]);

  // Partial principal lists would let a rule pass "every role" on half the roles: a failed
  // listing means the section was not collected.
  if (details === 'failed') return undefined;

  if (report.status === 'ok') {
    const generated = report.value.GeneratedTime;
    if (generated && now.getTime() - generated.getTime() > REPORT_STALE_MS) {
      rt.note(`the IAM credential report was generated ${iso(generated)}; user MFA, console and access-key data may be stale`);
    }
    applyCredentialReport(users, decodeReport(report.value.Content));
  } else if (report.status === 'absent') {
    rt.note(
      'no IAM credential report exists, so user MFA, console access and access keys are reported as unknown; ' +
        'run `aws iam generate-credential-report` (aigis never generates one: it is a write) and scan again',
    );
  }

  const section: IamSectionInput = { users, groups, roles, policies };
  if (summary.status === 'ok') {
    const map = summary.value.SummaryMap ?? {};
    const accountSummary: NonNullable<IamSectionInput['accountSummary']> = {};
    if (map.AccountMFAEnabled !== undefined) accountSummary.rootMfaEnabled = map.AccountMFAEnabled === 1;
    if (map.AccountAccessKeysPresent !== undefined) accountSummary.rootAccessKeysPresent = map.AccountAccessKeysPresent > 0;
    section.accountSummary = accountSummary;
  }
  return section;
}

export async function collectAccountAlias(rt: CollectRuntime, region: string): Promise<string | undefined> {
  const outcome = await rt.call('iam', region, 'ListAccountAliases', (c) => c.send(new ListAccountAliasesCommand({})));
  return outcome.status === 'ok' ? outcome.value.AccountAliases?.[0] : undefined;
}

function attachedArns(list: AttachedPolicy[] | undefined): string[] {
  return (list ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])).sort();
}

// IAM is global: its errors carry no region (the region parameter only picks the signing region).
const gaadOrigin = (_region: string, resource: string) => ({ service: 'iam', operation: 'GetAccountAuthorizationDetails', resource });

/**
 * An IAM ARN's resource is `<type>/<path><name>` (`policy/service-role/AmazonSageMakerExecution`):
 * the name is its last segment and the path what lies between type and name.
 */
export function iamNameAndPathFromArn(arn: string): { name: string; path: string } | undefined {
  const match = /^arn:[^:]+:iam::[^:]*:[a-z-]+(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  return match ? { name: match[2]!, path: match[1]! } : undefined;
}

/**
 * ARN, name and path of a user, group, role or managed policy. IAM always sends all three, but an
 * entry without its name still has it in its ARN, and is kept. An entry without an ARN cannot be
 * identified or referenced: it is left out, and a collection error says so.
 */
function identity(
  rt: CollectRuntime,
  region: string,
  kind: string,
  arn: string | undefined,
  name: string | undefined,
  path: string | undefined,
): { arn: string; name: string; path: string } | undefined {
  const fromArn = arn ? iamNameAndPathFromArn(arn) : undefined;
  const resolvedName = name || fromArn?.name;
  if (arn && resolvedName) return { arn, name: resolvedName, path: path ?? fromArn?.path ?? '/' };
  const resource = arn ?? name;
  rt.recordError({
    ...(resource ? gaadOrigin(region, resource) : { service: 'iam', operation: 'GetAccountAuthorizationDetails' }),
    errorCode: 'IncompleteResponse',
    message: arn ? `${kind} left out: the answer has no name and the ARN holds none` : `${kind} left out: the answer has no ARN${name ? ` (name ${name})` : ''}`,
  });
  return undefined;
}

/** Inline policy documents go in as IAM returns them (URL-encoded JSON); the loader decodes them. */
function inline(rt: CollectRuntime, region: string, owner: string, list: PolicyDetail[] | undefined): { name: string; policy: unknown }[] {
  const kept: { name: string; policy: unknown }[] = [];
  for (const [i, p] of (list ?? []).entries()) {
    if (!p.PolicyName || p.PolicyDocument === undefined) {
      // Errors are keyed by the owner: its verdicts that depend on its policies answer unknown.
      rt.recordError({
        ...gaadOrigin(region, owner),
        errorCode: 'IncompleteResponse',
        message: `inline policy ${p.PolicyName ?? `#${i + 1}`} left out: the answer has no ${p.PolicyName ? 'document' : 'name'}`,
      });
      continue;
    }
    if (acceptPolicy(rt, gaadOrigin(region, owner), p.PolicyDocument, `inline policy ${p.PolicyName}`)) kept.push({ name: p.PolicyName, policy: p.PolicyDocument });
  }
  return kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function decodeReport(content: Uint8Array | string | undefined): Map<string, Record<string, string>> {
  const text = content === undefined ? '' : typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const header = (lines.shift() ?? '').split(',');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines) {
    // IAM user names and ARNs cannot contain commas, so the report needs no quoting rules.
    const cells = line.split(',');
    const row: Record<string, string> = {};
    header.forEach((name, i) => (row[name] = cells[i] ?? ''));
    if (row.arn) rows.set(row.arn, row);
  }
  return rows;
}

function reportDate(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'N/A' || value === 'no_information' || value === 'not_supported' || value === '') return null;
  return iso(value) ?? null;
}

function applyCredentialReport(users: UserInput[], rows: Map<string, Record<string, string>>): void {
  for (const user of users) {
    const row = rows.get(user.arn);
    // A user created after the report was generated has no row: its fields stay unknown.
    if (!row) continue;
    if (row.password_enabled === 'true' || row.password_enabled === 'false') user.consoleAccess = row.password_enabled === 'true';
    if (row.mfa_active === 'true' || row.mfa_active === 'false') user.mfaEnabled = row.mfa_active === 'true';
    const passwordLastUsed = reportDate(row.password_last_used);
    if (passwordLastUsed !== undefined) user.passwordLastUsed = passwordLastUsed;
    const keys: NonNullable<UserInput['accessKeys']> = [];
    for (const slot of [1, 2]) {
      const active = row[`access_key_${slot}_active`];
      const rotated = reportDate(row[`access_key_${slot}_last_rotated`]);
      // The report has two key slots; an inactive slot with no rotation date holds no key.
      if (active !== 'true' && !rotated) continue;
      const key: NonNullable<UserInput['accessKeys']>[number] = {
        // The report does not expose key ids; the slot name identifies the key within the user.
        id: `access_key_${slot}`,
        status: active === 'true' ? 'Active' : 'Inactive',
        lastUsedDate: reportDate(row[`access_key_${slot}_last_used_date`]) ?? null,
      };
      if (rotated) key.createDate = rotated;
      keys.push(key);
    }
    user.accessKeys = keys;
  }
}
