/**
 * AWS Organizations, read from the management account or a delegated administrator: the tree of
 * roots, units and accounts, the SCPs, RCPs and AI services opt-out policies with their targets,
 * and the delegated administrators. List and Describe calls only.
 *
 * Without the tree there is no organization to scan: a failed ListRoots or listing of a unit is an
 * error for the whole command. Policies and delegated administrators are recorded when readable
 * and left absent (rules say unknown) when not: a policy type that is not enabled is an empty list.
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
} from '@aws-sdk/client-organizations';
import { UsageError } from '../engine/errors.js';
import { POLICY_TYPES, type OrganizationInput } from '../inventory/organization-schema.js';
import { forEachBounded, paginate, type CollectRuntime } from './runtime.js';

/** An organization deeper than this is refused: AWS allows five levels of units below the root. */
const MAX_DEPTH = 8;

type Policy = NonNullable<OrganizationInput['policies']>[number];

export async function collectOrganization(rt: CollectRuntime, region: string): Promise<OrganizationInput> {
  const described = await rt.call('organizations', region, 'DescribeOrganization', (c) => c.send(new DescribeOrganizationCommand({})), { silent: true });
  if (described.status !== 'ok' || !described.value.Organization?.Id || !described.value.Organization.MasterAccountId) {
    const code = described.status === 'ok' ? 'IncompleteResponse' : described.code;
    throw new UsageError(
      `cannot read the organization (organizations:DescribeOrganization failed: ${code}). Run from the management account or a delegated administrator, with organizations:Describe* and List* allowed.`,
    );
  }
  const organization = described.value.Organization as { Id: string; MasterAccountId: string; Arn?: string };
  const arnPartition = organization.Arn?.split(':')[1];
  const partition = arnPartition === 'aws-cn' || arnPartition === 'aws-us-gov' ? arnPartition : 'aws';

  const roots: OrganizationInput['roots'] = [];
  await required(
    paginate(
      (NextToken) => rt.call('organizations', region, 'ListRoots', (c) => c.send(new ListRootsCommand({ ...(NextToken ? { NextToken } : {}) }))),
      (page) => page.NextToken,
      (page) => {
        for (const root of page.Roots ?? []) if (root.Id) roots.push({ id: root.Id, name: root.Name ?? 'Root' });
      },
    ),
    'ListRoots',
  );

  const units: OrganizationInput['organizationalUnits'] = [];
  const accounts: OrganizationInput['accounts'] = [];
  let level = roots.map((r) => r.id);
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_DEPTH) throw new UsageError(`the organization's units are nested more than ${MAX_DEPTH} levels deep`);
    const next: string[] = [];
    await forEachBounded(level, rt.concurrencyFor('organizations'), async (parentId) => {
      await required(
        paginate(
          (NextToken) =>
            rt.call('organizations', region, 'ListOrganizationalUnitsForParent', (c) =>
              c.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, ...(NextToken ? { NextToken } : {}) })),
            ),
          (page) => page.NextToken,
          (page) => {
            for (const unit of page.OrganizationalUnits ?? []) {
              if (!unit.Id) continue;
              units.push({ id: unit.Id, name: unit.Name ?? unit.Id, parentId });
              next.push(unit.Id);
            }
          },
        ),
        'ListOrganizationalUnitsForParent',
      );
      await required(
        paginate(
          (NextToken) =>
            rt.call('organizations', region, 'ListAccountsForParent', (c) => c.send(new ListAccountsForParentCommand({ ParentId: parentId, ...(NextToken ? { NextToken } : {}) }))),
          (page) => page.NextToken,
          (page) => {
            for (const account of page.Accounts ?? []) {
              if (!account.Id) continue;
              const status = account.State ?? account.Status;
              accounts.push({ id: account.Id, name: account.Name ?? account.Id, parentId, ...(status ? { status } : {}) });
            }
          },
        ),
        'ListAccountsForParent',
      );
    });
    level = next.sort();
  }

  const result: OrganizationInput = {
    id: organization.Id,
    managementAccountId: organization.MasterAccountId,
    partition,
    roots: roots.sort(byId),
    organizationalUnits: units.sort(byId),
    accounts: accounts.sort(byId),
  };
  const policies = await collectPolicies(rt, region);
  if (policies) result.policies = policies;
  const delegated = await collectDelegatedAdministrators(rt, region);
  if (delegated) result.delegatedAdministrators = delegated;
  return result;
}

async function required(listing: Promise<'complete' | 'failed'>, operation: string): Promise<void> {
  if ((await listing) === 'failed') {
    throw new UsageError(`cannot list the organization's accounts (organizations:${operation} failed; see the collection errors with --stats)`);
  }
}

/** Every policy of the three types with its document and targets; undefined when a listing failed. */
async function collectPolicies(rt: CollectRuntime, region: string): Promise<Policy[] | undefined> {
  const listed: Policy[] = [];
  let complete = true;
  for (const type of POLICY_TYPES) {
    const outcome = await paginate(
      (NextToken) =>
        rt.call('organizations', region, 'ListPolicies', (c) => c.send(new ListPoliciesCommand({ Filter: type, ...(NextToken ? { NextToken } : {}) })), {
          // A policy type never enabled in the organization has no policies, not an unreadable list.
          notConfigured: ['PolicyTypeNotEnabledException'],
        }),
      (page) => page.NextToken,
      (page) => {
        for (const p of page.Policies ?? []) {
          if (p.Id) listed.push({ id: p.Id, name: p.Name ?? p.Id, type, ...(p.AwsManaged !== undefined ? { awsManaged: p.AwsManaged } : {}), targets: [] });
        }
      },
    );
    if (outcome === 'failed') complete = false;
  }
  if (!complete) return undefined;
  await forEachBounded(listed, rt.concurrencyFor('organizations'), async (policy) => {
    const described = await rt.call('organizations', region, 'DescribePolicy', (c) => c.send(new DescribePolicyCommand({ PolicyId: policy.id })), { resource: policy.id });
    if (described.status === 'ok' && described.value.Policy?.Content !== undefined) policy.content = described.value.Policy.Content;
    const targets: string[] = [];
    const listedTargets = await paginate(
      (NextToken) =>
        rt.call('organizations', region, 'ListTargetsForPolicy', (c) => c.send(new ListTargetsForPolicyCommand({ PolicyId: policy.id, ...(NextToken ? { NextToken } : {}) })), {
          resource: policy.id,
        }),
      (page) => page.NextToken,
      (page) => {
        for (const t of page.Targets ?? []) if (t.TargetId) targets.push(t.TargetId);
      },
    );
    // Targets that could not be listed: the policy's reach is unknown, so the policy is dropped from
    // the list and the whole list marked unreadable below.
    if (listedTargets === 'failed') complete = false;
    policy.targets = targets.sort();
  });
  return complete ? listed.sort(byId) : undefined;
}

async function collectDelegatedAdministrators(rt: CollectRuntime, region: string): Promise<OrganizationInput['delegatedAdministrators']> {
  const admins: string[] = [];
  const outcome = await paginate(
    (NextToken) => rt.call('organizations', region, 'ListDelegatedAdministrators', (c) => c.send(new ListDelegatedAdministratorsCommand({ ...(NextToken ? { NextToken } : {}) }))),
    (page) => page.NextToken,
    (page) => {
      for (const a of page.DelegatedAdministrators ?? []) if (a.Id) admins.push(a.Id);
    },
  );
  if (outcome === 'failed') return undefined;
  const out: NonNullable<OrganizationInput['delegatedAdministrators']> = [];
  let complete = true;
  await forEachBounded(admins, rt.concurrencyFor('organizations'), async (accountId) => {
    const services: string[] = [];
    const listed = await paginate(
      (NextToken) =>
        rt.call('organizations', region, 'ListDelegatedServicesForAccount', (c) =>
          c.send(new ListDelegatedServicesForAccountCommand({ AccountId: accountId, ...(NextToken ? { NextToken } : {}) })),
        { resource: accountId },
        ),
      (page) => page.NextToken,
      (page) => {
        for (const s of page.DelegatedServices ?? []) if (s.ServicePrincipal) services.push(s.ServicePrincipal);
      },
    );
    if (listed === 'failed') complete = false;
    out.push({ accountId, services: services.sort() });
  });
  return complete ? out.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0)) : undefined;
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
