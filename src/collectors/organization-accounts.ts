/**
 * Scanning every account of an organization: read the organization from the management account
 * (or a delegated administrator), choose the accounts (filters, shard), then for each one assume
 * the named role and collect its inventory exactly as a single-account scan would.
 *
 * Accounts are collected a few at a time (`accountConcurrency`, each with the usual per-service
 * limits) and handed on in account id order, so the output is the same whatever finished first;
 * an account is handed on as soon as every account before it is, and its inventory is not kept;
 * a slow account holds back a bounded window of collected accounts, never the whole organization.
 * An account whose role cannot be assumed (or that is suspended, or answers as another account)
 * is handed on as not scanned, with the reason: it is never silently missing.
 */
import { createHash } from 'node:crypto';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import pLimit from 'p-limit';
import { UsageError } from '../engine/errors.js';
import type { CollectionError, Inventory } from '../inventory/schema.js';
import { accountPlacement, type OrganizationInput } from '../inventory/organization-schema.js';
import { buildCredentialProvider, createSharedHttp, endpointOverride, memoizeCredentials, SharedClients, silenceSdkNodeVersionWarning } from './clients.js';
import { AccountMismatchError, errorCodeOf, errorMessageOf } from './failures.js';
import { AccountWorkerPool, cloneableOptions, workersAvailable } from './account-workers.js';
import { collectInventory, readBack } from './index.js';
import type { CollectOptions } from './options.js';
import { collectOrganization } from './organizations.js';
import { assertProfileExists } from './profiles.js';
import { resolveDefaultRegion } from './regions.js';
import { CollectRuntime } from './runtime.js';
import { globalRegionOf, type InventoryInput } from './shapes.js';
import { identify } from './sts.js';

export interface OrganizationScanOptions {
  /** The role to assume in each account (name only; the ARN is built per account). */
  roleName: string;
  externalId?: string;
  sessionName: string;
  /** Seconds the assumed credentials last (the SDK refreshes them before they expire). */
  durationSeconds: number;
  /** Only these account ids. */
  accounts?: string[];
  excludeAccounts?: string[];
  /** Only accounts under these units (ids `ou-...` or the root `r-...`), at any depth. */
  units?: string[];
  shard?: { index: number; count: number };
  /** Accounts collected at the same time. */
  accountConcurrency: number;
  /**
   * Worker threads that collect accounts (0: all on the main thread). Used only when the collect
   * options can be handed to a worker (no injected credentials provider, retry strategy or clock).
   */
  workers?: number;
}

export type AccountOutcome =
  | { kind: 'account'; id: string; inventory: InventoryInput; parsed: Inventory }
  | { kind: 'notScanned'; id: string; reason: string };

/** Which shard an account belongs to: stable when accounts are added (a hash of the id alone). */
export function shardOf(accountId: string, count: number): number {
  return createHash('sha256').update(accountId).digest().readUInt32BE(0) % count;
}

/** The accounts the options select, in id order; the filters' unknown ids are a usage error. */
export function selectAccounts(organization: OrganizationInput, options: Pick<OrganizationScanOptions, 'accounts' | 'excludeAccounts' | 'units' | 'shard'>): string[] {
  const known = new Set(organization.accounts.map((a) => a.id));
  for (const id of [...(options.accounts ?? []), ...(options.excludeAccounts ?? [])]) {
    if (!known.has(id)) throw new UsageError(`account ${id} is not in organization ${organization.id}`);
  }
  const unitIds = new Set([...organization.roots.map((r) => r.id), ...organization.organizationalUnits.map((u) => u.id)]);
  for (const id of options.units ?? []) if (!unitIds.has(id)) throw new UsageError(`--ous: ${id} is not a root or unit of organization ${organization.id}`);
  const placement = accountPlacement({ roots: organization.roots, organizationalUnits: organization.organizationalUnits, accounts: organization.accounts });
  const only = options.accounts?.length ? new Set(options.accounts) : undefined;
  const excluded = new Set(options.excludeAccounts ?? []);
  const units = options.units?.length ? new Set(options.units) : undefined;
  return organization.accounts
    .map((a) => a.id)
    .filter((id) => !only || only.has(id))
    .filter((id) => !excluded.has(id))
    .filter((id) => !units || placement.get(id)!.parents.some((p) => units.has(p)))
    .filter((id) => !options.shard || shardOf(id, options.shard.count) === options.shard.index)
    .sort();
}

/**
 * Reads the organization, then collects each selected account, calling `onAccount` in account id
 * order. Returns the organization as read.
 */
export async function collectOrganizationAccounts(
  live: CollectOptions,
  org: OrganizationScanOptions,
  /** `errors`: Organizations calls that failed (the policies or delegated administrators they read are absent: unknown). */
  onOrganization: (organization: OrganizationInput, selected: string[], errors: readonly CollectionError[]) => Promise<void>,
  onAccount: (outcome: AccountOutcome) => Promise<void>,
): Promise<OrganizationInput> {
  silenceSdkNodeVersionWarning();
  if (!live.credentials) await assertProfileExists(live.profile);
  const defaultRegion = await resolveDefaultRegion(live);
  const rt = new CollectRuntime(live, defaultRegion);
  let organization: OrganizationInput;
  let globalRegion: string;
  try {
    const identity = await identify(rt, defaultRegion);
    globalRegion = globalRegionOf(identity.partition, defaultRegion);
    organization = await collectOrganization(rt, globalRegion);
  } finally {
    rt.clients.destroy();
  }
  const selected = selectAccounts(organization, org);
  await onOrganization(organization, selected, rt.errors);

  const statusOf = new Map(organization.accounts.map((a) => [a.id, a.status]));
  const endpoint = endpointOverride(live);
  // The management session: the given credentials or chain, through --role-arn when given.
  const source = buildCredentialProvider(live, globalRegion, endpoint);
  const { roleArn: _managementRole, externalId: _managementExternalId, ...memberOptions } = live;
  // Every account's clients on one HTTP handler: connections to each endpoint outlive an account.
  const sharedHttp = memberOptions.httpHandler ? undefined : createSharedHttp(memberOptions);
  // And one set of clients per account in flight, handed from account to account.
  const sharedClients = new SharedClients();
  const memberLive: CollectOptions = { ...memberOptions, ...(sharedHttp ? { httpHandler: sharedHttp.handler } : {}), sharedClients };
  const cloneable = org.workers ? cloneableOptions({ ...memberLive, region: defaultRegion }) : undefined;
  const pool = cloneable && selected.length > 1 && workersAvailable() ? new AccountWorkerPool(Math.min(org.workers!, selected.length)) : undefined;
  const partition = organization.partition ?? 'aws';
  const roleArnOf = (id: string) => `arn:${partition}:iam::${id}:role/${org.roleName}`;
  /** The account's assumed-role credentials, or why it is not scanned. */
  const assume = async (id: string): Promise<AwsCredentialIdentityProvider | AccountOutcome> => {
    const status = statusOf.get(id);
    if (status !== undefined && status !== 'ACTIVE') return { kind: 'notScanned', id, reason: `the account is ${status}` };
    const roleArn = roleArnOf(id);
    const credentials = memoizeCredentials(
      fromTemporaryCredentials({
        masterCredentials: source,
        params: {
          RoleArn: roleArn,
          RoleSessionName: org.sessionName,
          DurationSeconds: org.durationSeconds,
          ...(org.externalId ? { ExternalId: org.externalId } : {}),
        },
        clientConfig: { region: globalRegion, ...(endpoint ? { endpoint } : {}), maxAttempts: live.maxAttempts ?? 5 },
      }),
    );
    try {
      await credentials();
      return credentials;
    } catch (error) {
      const message = errorMessageOf(error);
      return { kind: 'notScanned', id, reason: `could not assume ${roleArn}: ${errorCodeOf(error)}${message ? ` (${message})` : ''}` };
    }
  };
  // An account's role is assumed while the account `accountConcurrency` places before it is being
  // collected, so that a slot that frees starts on calls at once instead of on an AssumeRole round
  // trip (the credentials last their session duration; at most `accountConcurrency` wait unused).
  const assumed = new Map<number, Promise<AwsCredentialIdentityProvider | AccountOutcome>>();
  const assumeAt = (i: number) => {
    let pending = assumed.get(i);
    if (!pending) {
      const id = selected[i]!;
      // Never rejects: a prefetch nobody awaits yet must not be an unhandled rejection.
      pending = assume(id).catch((error: unknown): AccountOutcome => ({ kind: 'notScanned', id, reason: `could not assume ${roleArnOf(id)}: ${errorCodeOf(error)}` }));
      assumed.set(i, pending);
    }
    return pending;
  };
  type Collected = AccountOutcome | { kind: 'collected'; id: string; inventory: InventoryInput };
  /** Collects account i; the inventory read back as a snapshot comes after, outside the account's slot. */
  const collectAt = async (i: number): Promise<Collected> => {
    const id = selected[i]!;
    const ahead = i + Math.max(1, org.accountConcurrency);
    if (ahead < selected.length) void assumeAt(ahead);
    const credentials = await assumeAt(i);
    assumed.delete(i);
    if (typeof credentials !== 'function') return credentials;
    const roleArn = roleArnOf(id);
    try {
      const expectedAccount = { id, partition };
      if (pool && cloneable) {
        const { inventory, parsed } = await pool.collect({ ...cloneable, expectedAccount }, credentials);
        return { kind: 'account', id, inventory, parsed };
      }
      const { inventory } = await collectInventory({ ...memberLive, credentials, region: defaultRegion, expectedAccount });
      return { kind: 'collected', id, inventory };
    } catch (error) {
      if (error instanceof AccountMismatchError) return { kind: 'notScanned', id, reason: `${roleArn} answered as account ${error.actual}` };
      return { kind: 'notScanned', id, reason: `collection failed: ${errorMessageOf(error) ?? errorCodeOf(error)}` };
    }
  };
  const outcomeOf = (collected: Collected): AccountOutcome => {
    if (collected.kind !== 'collected') return collected;
    try {
      return { kind: 'account', id: collected.id, inventory: collected.inventory, parsed: readBack(collected.inventory) };
    } catch (error) {
      return { kind: 'notScanned', id: collected.id, reason: `collection failed: ${errorMessageOf(error) ?? errorCodeOf(error)}` };
    }
  };

  // Collected concurrently, handed on in order: outcome i waits for i - 1 to be handed on. Account
  // i starts only once account i - window has been handed on, so that one slow account holds back
  // at most `window` collected inventories in memory, not the rest of the organization.
  const limit = pLimit(Math.max(1, org.accountConcurrency));
  const window = 2 * Math.max(1, org.accountConcurrency);
  let handedOn: Promise<void> = Promise.resolve();
  const handed: Promise<void>[] = [];
  let stopped = false;
  try {
    const all = selected.map((id, i) => {
      const collected = limit(async (): Promise<Collected> => {
        if (i >= window) await handed[i - window]!.catch(() => undefined);
        // A handoff failed: the scan fails with that error; collecting more would be wasted.
        if (stopped) return { kind: 'notScanned', id, reason: 'the scan stopped' };
        return collectAt(i);
      }).then(outcomeOf);
      handedOn = handedOn.then(async () => onAccount(await collected));
      handedOn.catch(() => {
        stopped = true;
      });
      handed.push(handedOn);
      return handedOn;
    });
    await Promise.all(all);
  } finally {
    await pool?.close();
    sharedClients.destroy();
    sharedHttp?.destroy();
  }
  return organization;
}
