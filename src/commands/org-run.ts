/**
 * Organization scans: `aigis collect --org` (an organization snapshot, JSON Lines), `aigis scan
 * --org` (live), and scans of organization snapshots (`aigis scan --input org.jsonl`, `aigis
 * merge shard-*.jsonl`). Loaded only when one of them runs.
 *
 * Accounts are evaluated one at a time as they arrive (AccountScans), so memory follows the
 * largest account, not the organization. A live organization scan and a scan of its snapshots,
 * sharded or not, give byte-identical reports: reports of organizations name no input file.
 */
import path from 'node:path';
import type { AccountOutcome, OrganizationScanOptions } from '../collectors/organization-accounts.js';
import type { CollectOptions } from '../collectors/options.js';
import type { CollectionError } from '../inventory/schema.js';
import type { AccountEntry } from '../engine/accounts.js';
import { UsageError } from '../engine/errors.js';
import { organizationContextFor, type OrganizationContext } from '../engine/organization-context.js';
import { accountPlacement, organizationSchema, type OrganizationInput } from '../inventory/organization-schema.js';
import { openOrganizationSnapshot, OrganizationSnapshotWriter, type Shard } from '../inventory/organization-snapshot.js';
import { MESSAGE_MAX, inertText } from '../report/inert.js';
import type { CollectArgs, LiveArgs } from './collect.js';
import { collectOptionsFrom } from './collect-run.js';
import type { Io } from './io.js';
import type { AccountScans } from './pipeline.js';

function list(values: string[] | undefined, flag: string, pattern: RegExp, what: string): string[] | undefined {
  if (values === undefined) return undefined;
  const items = values.flatMap((v) => String(v).split(/[\s,]+/)).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag}: empty value (give one or more, comma-separated, or leave the flag out)`);
  for (const item of items) if (!pattern.test(item)) throw new UsageError(`${flag}: ${JSON.stringify(item)} is not ${what}`);
  return [...new Set(items)].sort();
}

/** `K/N`, or `N` with K from the array-job index variables of AWS Batch and Kubernetes. */
export function parseShard(value: string | undefined, env: Record<string, string | undefined>): Shard | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:(\d{1,5})\s*\/\s*)?(\d{1,5})\s*$/.exec(value);
  if (!match) throw new UsageError(`--shard: expected K/N (e.g. 0/4) or N, got ${JSON.stringify(value)}`);
  const count = Number(match[2]);
  if (count < 1) throw new UsageError('--shard: the shard count must be at least 1');
  let index: number;
  if (match[1] !== undefined) {
    index = Number(match[1]);
  } else {
    const variable = ['AWS_BATCH_JOB_ARRAY_INDEX', 'JOB_COMPLETION_INDEX'].find((name) => env[name] !== undefined && env[name] !== '');
    if (!variable) throw new UsageError(`--shard ${count}: no shard index (give K/${count}, or set AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX)`);
    if (!/^\d{1,5}$/.test(env[variable]!)) throw new UsageError(`--shard: ${variable} is not a shard index: ${JSON.stringify(inertText(env[variable]!, 40))}`);
    index = Number(env[variable]);
  }
  if (index >= count) throw new UsageError(`--shard: index ${index} is not below the shard count ${count} (indexes run from 0)`);
  return { index, count };
}

export function organizationOptionsFrom(args: LiveArgs, env: Record<string, string | undefined>): OrganizationScanOptions {
  const roleName = args.orgRoleName ?? 'aigis-readonly';
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) throw new UsageError(`--org-role-name: not an IAM role name: ${JSON.stringify(inertText(roleName, 80))}`);
  const sessionName = args.orgSessionName ?? 'aigis-scan';
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new UsageError(`--org-session-name: 2-64 letters, digits and +=,.@-_ (got ${JSON.stringify(inertText(sessionName, 80))})`);
  const duration = args.orgSessionDuration ?? 3600;
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) throw new UsageError(`--org-session-duration: seconds from 900 to 43200, got ${duration}`);
  if (args.orgExternalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(args.orgExternalId)) throw new UsageError('--org-external-id: 2-1224 letters, digits and +=,.@:/-_');
  const concurrency = args.accountConcurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--account-concurrency: expected 1 to 64, got ${concurrency}`);
  // The SDK spends about 1 ms of CPU a call: a large organization can keep one thread busy.
  // Worker threads are opt-in: on a machine whose cores are already busy they cost more than they give.
  const workers = args.workers ?? 0;
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new UsageError(`--workers: expected 0 to 64, got ${workers}`);
  const accounts = list(args.accounts, '--accounts', /^\d{12}$/, 'an account id (12 digits)');
  const excludeAccounts = list(args.excludeAccounts, '--exclude-accounts', /^\d{12}$/, 'an account id (12 digits)');
  const units = list(args.ous, '--ous', /^(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/, 'a unit id (ou-...) or root id (r-...)');
  const shard = parseShard(args.shard, env);
  return {
    roleName,
    sessionName,
    durationSeconds: duration,
    accountConcurrency: concurrency,
    workers,
    ...(args.orgExternalId !== undefined ? { externalId: args.orgExternalId } : {}),
    ...(accounts ? { accounts } : {}),
    ...(excludeAccounts ? { excludeAccounts } : {}),
    ...(units ? { units } : {}),
    ...(shard ? { shard } : {}),
  };
}

/** Names and unit paths of the organization's accounts, for reports. */
export function describeAccounts(organization: Pick<OrganizationInput, 'roots' | 'organizationalUnits' | 'accounts'>): (id: string) => Pick<AccountEntry, 'name' | 'path'> | undefined {
  const placement = accountPlacement({ roots: organization.roots, organizationalUnits: organization.organizationalUnits, accounts: organization.accounts });
  const names = new Map(organization.accounts.map((a) => [a.id, a.name]));
  return (id) => {
    const name = names.get(id);
    const place = placement.get(id);
    if (name === undefined && !place) return undefined;
    return { ...(name !== undefined ? { name } : {}), ...(place ? { path: place.path } : {}) };
  };
}

/** Organizations calls that failed: what they read is absent and the rules reading it say unknown. */
function organizationWarnings(io: Io, errors: readonly CollectionError[]): void {
  for (const e of errors) {
    io.stderr(
      `aigis: warning: ${inertText(e.service)}:${inertText(e.operation)}${e.resource ? ` ${inertText(e.resource)}` : ''} failed (${inertText(e.errorCode)}): ` +
        'the organization rules that read it report "unknown"\n',
    );
  }
}

function progressLine(io: Io, done: number, total: number, outcome: AccountOutcome): void {
  const where = `[${done}/${total}] ${outcome.id}`;
  if (outcome.kind === 'notScanned') io.stderr(`aigis: ${where}: not scanned: ${inertText(outcome.reason, MESSAGE_MAX)}\n`);
  else {
    const errors = outcome.inventory.collectionErrors?.length ?? 0;
    io.stderr(`aigis: ${where}: collected${errors ? ` (${errors} API call${errors === 1 ? '' : 's'} failed; affected checks are unknown)` : ''}\n`);
  }
}

/** `aigis collect --org --output org.jsonl`. */
export async function runCollectOrganization(args: CollectArgs, io: Io, overrides: Partial<CollectOptions> = {}): Promise<number> {
  if (args.output === undefined || args.output.trim() === '' || args.output === '-') {
    throw new UsageError('--output: an organization is written to a file, one account per line (e.g. --output org.jsonl)');
  }
  const org = organizationOptionsFrom(args, io.env);
  const live = { ...collectOptionsFrom(args, io), ...overrides };
  const { collectOrganizationAccounts } = await import('../collectors/organization-accounts.js');
  const file = path.resolve(io.cwd, args.output);
  let writer: OrganizationSnapshotWriter | undefined;
  let total = 0;
  let done = 0;
  let notScanned = 0;
  let organizationId = '';
  try {
    await collectOrganizationAccounts(
      live,
      org,
      async (organization, selected, errors) => {
        organizationWarnings(io, errors);
        organizationId = organization.id;
        total = selected.length;
        io.stderr(`aigis: organization ${inertText(organization.id)}: ${selected.length} of ${organization.accounts.length} accounts selected${org.shard ? ` (shard ${org.shard.index}/${org.shard.count})` : ''}\n`);
        try {
          writer = await OrganizationSnapshotWriter.create(file, organization, org.shard);
        } catch (error) {
          throw new UsageError(`--output: cannot write ${args.output} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
        }
      },
      async (outcome) => {
        done++;
        progressLine(io, done, total, outcome);
        if (outcome.kind === 'account') await writer!.account(outcome.inventory);
        else {
          notScanned++;
          await writer!.notScanned({ id: outcome.id, reason: outcome.reason });
        }
      },
    );
    await writer!.commit();
  } catch (error) {
    await writer?.abort();
    throw error;
  }
  io.stderr(
    `aigis: wrote ${inertText(path.relative(io.cwd, file) || file, MESSAGE_MAX)} (organization ${inertText(organizationId)}, ${total - notScanned} accounts collected, ${notScanned} not scanned)\n`,
  );
  return 0;
}

/** `aigis scan --org`: each account collected, evaluated and dropped, as it arrives. */
export async function scanOrganizationLive(args: LiveArgs, io: Io, scans: AccountScans, overrides: Partial<CollectOptions> = {}): Promise<Combination> {
  const org = organizationOptionsFrom(args, io.env);
  const live = { ...collectOptionsFrom(args, io), ...overrides };
  const { collectOrganizationAccounts } = await import('../collectors/organization-accounts.js');
  let total = 0;
  let done = 0;
  let partition: 'aws' | 'aws-cn' | 'aws-us-gov' = 'aws';
  let contextOf: (id: string) => { organization?: OrganizationContext } = () => ({});
  const organization = await collectOrganizationAccounts(
    live,
    org,
    async (read, selected, errors) => {
      organizationWarnings(io, errors);
      total = selected.length;
      partition = read.partition ?? 'aws';
      const parsed = organizationSchema.parse(read);
      contextOf = (id) => {
        const organization = organizationContextFor(parsed, id);
        return organization ? { organization } : {};
      };
      io.stderr(`aigis: organization ${inertText(read.id)}: ${selected.length} of ${read.accounts.length} accounts selected${org.shard ? ` (shard ${org.shard.index}/${org.shard.count})` : ''}\n`);
    },
    async (outcome) => {
      done++;
      progressLine(io, done, total, outcome);
      if (outcome.kind === 'account') await scans.add({ inventory: outcome.parsed, inputs: [], ...contextOf(outcome.id) });
      else scans.notScanned({ id: outcome.id, partition, reason: outcome.reason });
    },
  );
  return combination(organization.id, organization);
}

export interface Combination {
  label: string;
  describe: (id: string) => Pick<AccountEntry, 'name' | 'path'> | undefined;
}

function combination(label: string, organization: Pick<OrganizationInput, 'roots' | 'organizationalUnits' | 'accounts'>): Combination {
  return { label, describe: describeAccounts(organization) };
}

/**
 * Organization snapshots (whole, or the shards of one `--shard K/N` run): every shard exactly
 * once, all of the same organization as read in the same way; accounts in any number of files,
 * each account once.
 */
export async function scanOrganizationSnapshots(files: { file: string; shown: string }[], scans: AccountScans): Promise<Combination> {
  let first: { shown: string; organization: OrganizationInput; text: string } | undefined;
  const shards = new Map<number, string>();
  let shardCount: number | undefined;
  let unsharded: string | undefined;
  const seen = new Map<string, string>();
  for (const { file, shown } of files) {
    const { header, entries } = await openOrganizationSnapshot(file, shown);
    const text = JSON.stringify(header.organization);
    if (!first) first = { shown, organization: header.organization, text };
    else if (header.organization.id !== first.organization.id) {
      throw new UsageError(`${shown} is a snapshot of organization ${header.organization.id}, ${first.shown} of ${first.organization.id}: give snapshots of one organization`);
    } else if (text !== first.text) {
      throw new UsageError(`${shown} and ${first.shown} describe organization ${header.organization.id} differently (accounts, units or policies changed between the runs): collect the shards again`);
    }
    if (header.shard) {
      if (unsharded) throw new UsageError(`${shown} is shard ${header.shard.index}/${header.shard.count}, ${unsharded} a whole organization: give one or the other`);
      if (shardCount !== undefined && header.shard.count !== shardCount) throw new UsageError(`${shown} is shard ${header.shard.index}/${header.shard.count}, but other shards are of ${shardCount}`);
      shardCount = header.shard.count;
      const earlier = shards.get(header.shard.index);
      if (earlier) throw new UsageError(`${shown} and ${earlier} are both shard ${header.shard.index}/${header.shard.count}`);
      shards.set(header.shard.index, shown);
    } else {
      if (shardCount !== undefined || unsharded) throw new UsageError(`${shown} is a whole organization snapshot beside ${unsharded ?? 'shards'}: give one snapshot or the shards of one run`);
      unsharded = shown;
    }
    for await (const entry of entries) {
      const id = entry.kind === 'account' ? entry.inventory.account.id : entry.account.id;
      const earlier = seen.get(id);
      if (earlier) throw new UsageError(`account ${id} is in both ${earlier} and ${shown} line ${entry.line}`);
      seen.set(id, `${shown} line ${entry.line}`);
      if (entry.kind === 'account') {
        const organization = organizationContextFor(header.organization, id);
        await scans.add({ inventory: entry.inventory, inputs: [], ...(organization ? { organization } : {}) });
      }
      else scans.notScanned({ id, partition: header.organization.partition, reason: entry.account.reason });
    }
  }
  if (shardCount !== undefined) {
    const missing = Array.from({ length: shardCount }, (_, i) => i).filter((i) => !shards.has(i));
    if (missing.length) throw new UsageError(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${shardCount}`).join(', ')} missing: give every shard of the run`);
  }
  return combination(first!.organization.id, first!.organization);
}
