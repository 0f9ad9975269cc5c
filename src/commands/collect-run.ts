/**
 * `aigis collect`, the run: a live collection with progress, notes and error summary, and the
 * snapshot written. Also the live collection behind `aigis scan` without --input/--iac/--demo.
 * Loaded only when a command runs one; the AWS SDK clients are loaded by collectInventory, per
 * service.
 */
import path from 'node:path';
import { snapshotJson, writeFileAtomic } from '../collectors/canonical.js';
import type { CollectResult } from '../collectors/index.js';
import { COLLECTOR_NAMES, parseRegions, type CollectOptions, type CollectorName } from '../collectors/options.js';
import { createProgressReporter, formatStats } from '../collectors/progress.js';
import { UsageError } from '../engine/errors.js';
import { parseInventoryText } from '../inventory/load.js';
import type { Inventory } from '../inventory/schema.js';
import { MESSAGE_MAX, inertText } from '../report/inert.js';
import type { Io } from './io.js';
import { checkOrganizationFlags, type CollectArgs, type LiveArgs } from './collect.js';

function positiveInteger(value: number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag}: expected a positive integer, got ${value}`);
  return value;
}

export function parseSinceDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\s*d?$/i.exec(value.trim());
  if (!match || Number(match[1]) < 1) throw new UsageError(`--since: expected a number of days such as 90 or 90d, got ${JSON.stringify(value)}`);
  return Number(match[1]);
}

/**
 * `--profile ""` or `--regions ,` would otherwise read as "not given" and silently fall back to the
 * default (another profile, every service): a usage error instead.
 */
function rejectEmptyValues(args: LiveArgs): void {
  const strings: [string | undefined, string][] = [
    [args.profile, '--profile'],
    [args.region, '--region'],
    [args.roleArn, '--role-arn'],
    [args.externalId, '--external-id'],
    [args.endpointUrl, '--endpoint-url'],
    [args.since, '--since'],
  ];
  for (const [value, flag] of strings) {
    if (value !== undefined && String(value).trim() === '') throw new UsageError(`${flag}: empty value`);
  }
  const lists: [(string | number)[] | undefined, string][] = [
    [args.services, '--services'],
    [args.regions, '--regions'],
    [args.concurrency, '--concurrency'],
  ];
  for (const [values, flag] of lists) {
    if (values !== undefined && values.flatMap((v) => String(v).split(/[\s,]+/)).filter(Boolean).length === 0) {
      throw new UsageError(`${flag}: empty value (give one or more, comma-separated, or leave the flag out)`);
    }
  }
}

export function collectOptionsFrom(args: LiveArgs & { timestamp?: boolean }, io: Io): CollectOptions {
  rejectEmptyValues(args);
  const services = args.services?.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  for (const service of services ?? []) {
    if (!(COLLECTOR_NAMES as readonly string[]).includes(service)) {
      throw new UsageError(`--services: unknown service ${JSON.stringify(service)} (choose from ${COLLECTOR_NAMES.join(', ')})`);
    }
  }
  if (args.externalId && !args.roleArn) throw new UsageError('--external-id needs --role-arn');
  if (args.roleArn && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(args.roleArn)) {
    throw new UsageError(`--role-arn: not an IAM role ARN: ${args.roleArn}`);
  }
  const options: CollectOptions = {};
  if (args.profile) options.profile = args.profile;
  if (args.region) options.region = args.region;
  const regions = parseRegions(args.regions);
  if (regions) options.regions = regions;
  if (args.roleArn) options.roleArn = args.roleArn;
  if (args.externalId) options.externalId = args.externalId;
  const endpoint = args.endpointUrl ?? io.env.AWS_ENDPOINT_URL;
  if (endpoint) {
    if (!/^https?:\/\/[^\s]+$/.test(endpoint)) throw new UsageError(`--endpoint-url: expected an http(s) URL, got ${JSON.stringify(endpoint)}`);
    options.endpointUrl = endpoint;
  }
  if (services?.length) options.services = services as CollectorName[];
  for (const part of (args.concurrency ?? []).flatMap((v) => String(v).split(/[\s,]+/)).filter(Boolean)) {
    const match = /^(?:([a-z0-9-]+)=)?(\d+)$/.exec(part);
    const value = match ? positiveInteger(Number(match[2]), '--concurrency') : undefined;
    if (!match || !value) throw new UsageError(`--concurrency: expected N or service=N (e.g. 8 or s3=16), got ${JSON.stringify(part)}`);
    if (match[1]) options.serviceConcurrency = { ...options.serviceConcurrency, [match[1]]: value };
    else options.concurrency = value;
  }
  const since = parseSinceDays(args.since);
  if (since) options.sinceDays = since;
  const maxAttempts = positiveInteger(args.maxAttempts, '--max-attempts');
  if (maxAttempts) options.maxAttempts = maxAttempts;
  const requestTimeout = positiveInteger(args.requestTimeout, '--request-timeout');
  if (requestTimeout) options.requestTimeoutMs = requestTimeout;
  if (args.timestamp) options.timestamp = true;
  return options;
}

/** Runs a live collection with progress on stderr, then prints notes, an error summary and (with --stats) the figures. */
export async function collectLive(args: LiveArgs & { timestamp?: boolean }, io: Io, overrides: Partial<CollectOptions> = {}): Promise<CollectResult> {
  const options = { ...collectOptionsFrom(args, io), ...overrides };
  const progress = createProgressReporter({ isTTY: io.isTTY, write: (text) => io.stderr(text) });
  let result: CollectResult;
  try {
    const { collectInventory } = await import('../collectors/index.js');
    result = await collectInventory(options, { onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
  const errors = result.inventory.collectionErrors ?? [];
  if (errors.length) {
    const byCode = new Map<string, number>();
    for (const e of errors) byCode.set(`${e.service}:${e.operation} ${e.errorCode}`, (byCode.get(`${e.service}:${e.operation} ${e.errorCode}`) ?? 0) + 1);
    const top = [...byCode.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
    io.stderr(
      `aigis: warning: ${errors.length} API call${errors.length === 1 ? '' : 's'} failed; the affected checks report "unknown" ` +
        `(${top.map(([k, n]) => `${inertText(k)} x${n}`).join(', ')}${byCode.size > top.length ? ', ...' : ''}). See collectionErrors in the snapshot.\n`,
    );
  }
  for (const note of result.stats.notes) io.stderr(`aigis: note: ${inertText(note, MESSAGE_MAX)}\n`);
  if (args.stats) io.stderr(formatStats(result.stats));
  return result;
}

/**
 * The live inventory exactly as `scan --input` would read it back from the snapshot: serialized
 * and parsed by the same code, so a live scan and a scan of its snapshot give identical findings.
 */
export async function collectLiveInventory(args: LiveArgs, io: Io, overrides: Partial<CollectOptions> = {}): Promise<{ inventory: Inventory; inputs: string[] }> {
  const result = await collectLive(args, io, overrides);
  const inventory = parseInventoryText(snapshotJson(result.inventory), 'live scan');
  return { inventory, inputs: [`aws:${inventory.account.id}`] };
}

export async function runCollectCommand(args: CollectArgs, io: Io, overrides: Partial<CollectOptions> = {}): Promise<number> {
  checkOrganizationFlags(args);
  // Checked before collecting: an empty --output must not read as "stdout" after minutes of work.
  if (args.output !== undefined && args.output.trim() === '') throw new UsageError('--output: empty path (use - for stdout)');
  const result = await collectLive(args, io, overrides);
  const text = snapshotJson(result.inventory);
  if (!args.output || args.output === '-') {
    io.stdout(text);
    return 0;
  }
  const file = path.resolve(io.cwd, args.output);
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    throw new UsageError(`--output: cannot write ${args.output} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const inventory = result.inventory;
  const counts = [
    `${inventory.s3?.buckets.length ?? 0} buckets`,
    `${(inventory.iam?.roles?.length ?? 0) + (inventory.iam?.users?.length ?? 0)} IAM principals`,
    `${inventory.kms?.keys.length ?? 0} KMS keys`,
  ].join(', ');
  io.stderr(`aigis: wrote ${inertText(path.relative(io.cwd, file) || file, MESSAGE_MAX)} (account ${inertText(inventory.account.id)}, ${inventory.regions?.length ?? 0} region(s), ${counts})\n`);
  return 0;
}
