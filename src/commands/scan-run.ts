/**
 * `aigis scan`, the run: load the inventory (IaC, snapshot, demo or live), evaluate, report.
 * Loaded by the command's handler (scan.ts) only when a scan runs.
 */
import path from 'node:path';
import type { Baseline } from '../engine/baseline.js';
import type { AigisConfig } from '../engine/config.js';
import type { ScanResult, ScanScope } from '../engine/scan.js';
import { collectIfLarge } from '../engine/heap.js';
import { checkSuppressionRules, resolveToday, type SuppressionSpec } from '../engine/suppressions.js';
import { loadIacInputs, parseParameterOverrides } from '../importers/iac-inputs.js';
import { InputError, UsageError } from '../engine/errors.js';
import { MESSAGE_MAX, inertText } from '../report/inert.js';
import type { Inventory } from '../inventory/schema.js';
import type { Io } from './io.js';
import { checkOrganizationFlags, ORGANIZATION_FLAGS, type LiveArgs } from './collect.js';
import { loadConfigOption } from './config-option.js';
import { resolveExtensions } from './extensions.js';
import { AccountScans, evaluate, listOption, parseFailOn, parsePassed, parseScope, report, selectRulesAndFrameworks } from './pipeline.js';
import { demoInventoryPath, type ScanArgs } from './scan.js';

// Snapshot reading, organization snapshots and baselines validate with zod: loaded by the scans
// that read them, so a scan of templates does not load zod (src/inventory/fast-parse.ts).
const loadInventoryFile: typeof import('../inventory/load.js').loadInventoryFile = async (...args) => (await import('../inventory/load.js')).loadInventoryFile(...args);
const isOrganizationSnapshot: typeof import('../inventory/organization-snapshot.js').isOrganizationSnapshot = async (...args) =>
  (await import('../inventory/organization-snapshot.js')).isOrganizationSnapshot(...args);
const loadBaseline: typeof import('../engine/baseline.js').loadBaseline = async (...args) => (await import('../engine/baseline.js')).loadBaseline(...args);

/** Report locations are relative to the working directory (SARIF resolves them against the checkout). */
export function displayPath(file: string, io: Io): string {
  return path.relative(io.cwd, file) || file;
}

async function loadInventories(args: ScanArgs, io: Io): Promise<{ inventory: Inventory; inputs: string[]; inlineSuppressions?: SuppressionSpec[]; invalid?: InputError[] }> {
  if (args.iac?.length) {
    if (args.accountId !== undefined && !/^\d{12}$/.test(args.accountId)) throw new UsageError(`--account-id: expected 12 digits, got "${args.accountId}"`);
    const loaded = await loadIacInputs(args.iac, {
      cwd: io.cwd,
      snapshots: args.input ?? [],
      parameters: parseParameterOverrides(args.parameters),
      ...(args.accountId ? { accountId: args.accountId } : {}),
    });
    for (const warning of loaded.warnings) io.stderr(`aigis: warning: ${inertText(warning, MESSAGE_MAX)}\n`);
    return { inventory: loaded.inventory, inputs: loaded.inputs, inlineSuppressions: loaded.inlineSuppressions, invalid: loaded.invalid };
  }
  if (args.parameters?.length) throw new UsageError('--parameters applies to CloudFormation templates given with --iac');
  if (args.demo) {
    const file = demoInventoryPath();
    return { inventory: await loadInventoryFile(file, displayPath(file, io)), inputs: [displayPath(file, io)] };
  }
  const inputs = args.input ?? [];
  // Neither --iac, --input nor --demo: scan the live account behind the credential chain (read-only).
  if (inputs.length === 0) return (await import('./collect-run.js')).collectLiveInventory(args, io);
  const file = path.resolve(io.cwd, inputs[0]!);
  return { inventory: await loadInventoryFile(file, displayPath(file, io)), inputs: [displayPath(file, io)] };
}

/** Flags that only a live scan reads (liveOptions), as yargs names them in camelCase. */
const LIVE_FLAGS: [keyof LiveArgs, string][] = [
  ['profile', '--profile'],
  ['region', '--region'],
  ['regions', '--regions'],
  ['roleArn', '--role-arn'],
  ['externalId', '--external-id'],
  ['endpointUrl', '--endpoint-url'],
  ['services', '--services'],
  ['concurrency', '--concurrency'],
  ['since', '--since'],
  ['maxAttempts', '--max-attempts'],
  ['requestTimeout', '--request-timeout'],
  ['stats', '--stats'],
  ['org', '--org'],
  ...ORGANIZATION_FLAGS,
];

/** A flag the chosen mode never reads is a usage error, not silently ignored. */
function checkModeFlags(args: ScanArgs): void {
  const offline = args.iac?.length ? '--iac' : args.input?.length ? '--input' : args.demo ? '--demo' : undefined;
  if (offline) {
    const live = LIVE_FLAGS.filter(([key]) => args[key] !== undefined).map(([, flag]) => flag);
    if (live.length) {
      throw new UsageError(`${live.join(', ')}: ${live.length === 1 ? 'a flag' : 'flags'} of a live scan, not used with ${offline} (a live scan is one without --input, --iac and --demo)`);
    }
  }
  if (args.accountId !== undefined && !args.iac?.length) throw new UsageError('--account-id applies to CloudFormation templates given with --iac');
  checkOrganizationFlags(args);
}

export async function runScanCommand(args: ScanArgs, io: Io): Promise<number> {
  // Taken first: the reports' "as of" is when the scan started, not when its reports were written.
  const timestamp = args.timestamp ? new Date().toISOString() : undefined;
  checkModeFlags(args);
  const configSource = await loadConfigOption(args.config, io);
  const { config, file: configFile } = configSource;
  const failOn = parseFailOn(args.failOn, config);
  const passed = parsePassed(args.passed);
  const scope = parseScope(args.scope);
  const extensions = resolveExtensions(args, configSource, io);
  const selection = await selectRulesAndFrameworks(
    listOption(args.rules, '--rules') ?? [],
    listOption(args.framework, '--framework') ?? [],
    config,
    configFile,
    listOption(args.skipRules, '--skip-rules') ?? [],
    extensions,
  );
  // Read before the inventory (a live one takes minutes): a bad baseline fails fast.
  const baseline = args.baseline ? await loadBaseline(path.resolve(io.cwd, args.baseline), args.baseline) : undefined;
  const compare = args.compare !== undefined ? await import('./scan-compare.js') : undefined;
  const previous = compare ? await compare.loadPreviousReport(path.resolve(io.cwd, args.compare!), args.compare!) : undefined;
  // The inventory is needed only until the findings exist: scanned in a function of its own so
  // that nothing holds it while the reports are written (at 1M resources it is over a gigabyte).
  const { result, invalid } = await scanInventories(args, io, { selection, config, configFile, baseline, scope, keepPassingFindings: passed === 'full' });
  if (compare && previous) compare.withDelta(result, previous, args.compare!);
  collectIfLarge();
  const code = await report(
    result,
    {
      format: args.format ?? [],
      ...(args.output !== undefined ? { output: args.output } : {}),
      ...(args.passed !== undefined ? { passed: args.passed } : {}),
      pretty: args.pretty === true,
      ...(timestamp !== undefined ? { timestamp } : {}),
    },
    failOn,
    io,
  );
  // Templates that could not be read: the rest was scanned and reported, but the run is an input
  // error, so a gate never passes because a file was unreadable (README: "An invalid template").
  if (invalid?.length) {
    for (const error of invalid) io.stderr(`aigis: error: ${inertText(error.message, MESSAGE_MAX)} (not scanned)\n`);
    return 2;
  }
  return code;
}

interface ScanSettings {
  selection: Awaited<ReturnType<typeof selectRulesAndFrameworks>>;
  config: AigisConfig;
  configFile: string | undefined;
  baseline: Baseline | undefined;
  scope: ScanScope;
  keepPassingFindings: boolean;
}

async function scanInventories(args: ScanArgs, io: Io, settings: ScanSettings): Promise<{ result: ScanResult; invalid?: InputError[] }> {
  if (args.org) return { result: await scanOrganization(args, io, settings) };
  if (!args.iac?.length && !args.demo && args.input?.length) {
    const files = args.input.map((f) => path.resolve(io.cwd, f));
    const organization = await Promise.all(files.map((f) => isOrganizationSnapshot(f)));
    if (organization.some(Boolean)) {
      const other = files.find((_, i) => !organization[i]);
      if (other) throw new UsageError(`--input: ${displayPath(other, io)} is an account snapshot beside organization snapshots: give one kind`);
      return { result: await scanOrganization(args, io, settings, files) };
    }
    if (files.length > 1) return { result: await scanAccounts(args.input, args.baseline, io, settings) };
  }
  const { selection, config, configFile, baseline, scope } = settings;
  const { inventory, inputs, inlineSuppressions, invalid } = await loadInventories(args, io);
  if (inlineSuppressions) checkSuppressionRules(inlineSuppressions, new Set(selection.allRules.map((r) => r.meta.id)));
  checkBaselineAccounts(baseline, args.baseline, [inventory.account.id]);
  const gate = { ...gateOptions(io, settings), ...(inlineSuppressions?.length ? { inlineSuppressions } : {}) };
  const result = await evaluate(inventory, selection, config, inputs, gate, scope, settings.keepPassingFindings);
  return { result, ...(invalid ? { invalid } : {}) };
}

function gateOptions(io: Io, settings: ScanSettings) {
  const { configFile, baseline } = settings;
  return {
    today: resolveToday(io.env),
    ...(configFile ? { configFile } : {}),
    ...(baseline ? { baseline } : {}),
    warn: (line: string) => io.stderr(`aigis: warning: ${inertText(line, MESSAGE_MAX)}\n`),
  };
}

/** A baseline of other accounts has no fingerprint in common with this scan: a usage error, not a silent "all new". */
function checkBaselineAccounts(baseline: Baseline | undefined, flag: string | undefined, scanned: string[]): void {
  if (!baseline?.accountIds || scanned.some((id) => baseline.accountIds!.includes(id))) return;
  const of = baseline.accountIds.length === 1 ? `account ${baseline.accountIds[0]}` : `accounts ${baseline.accountIds.join(', ')}`;
  const scan = scanned.length === 1 ? `account ${scanned[0]}` : `accounts ${scanned.join(', ')}`;
  throw new UsageError(`--baseline ${flag}: a report of ${of}, but this scan is of ${scan}; fingerprints of different accounts never match`);
}

/**
 * An organization: live (`--org`) or from its snapshots (`files`). Reports name the organization
 * and each account's name and units; they name no input file, so that a live scan, a scan of its
 * snapshot and a merge of its shards give the same bytes.
 */
async function scanOrganization(args: ScanArgs, io: Io, settings: ScanSettings, files?: string[]): Promise<ScanResult> {
  const { selection, config, scope, baseline } = settings;
  const { scanOrganizationLive, scanOrganizationSnapshots } = await import('./org-run.js');
  if (files) {
    const resolved = files.map((file) => ({ file, shown: displayPath(file, io) }));
    const twice = resolved.findIndex((f, i) => resolved.findIndex((g) => g.file === f.file) !== i);
    if (twice >= 0) throw new UsageError(`--input: ${resolved[twice]!.shown} is given twice`);
  }
  const scans = new AccountScans(selection, config, scope, settings.keepPassingFindings);
  try {
    const { label, describe } = files
      ? await scanOrganizationSnapshots(files.map((file) => ({ file, shown: displayPath(file, io) })), scans)
      : await scanOrganizationLive(args, io, scans);
    checkBaselineAccounts(baseline, args.baseline, scans.accountIds.sort());
    return await scans.finish(gateOptions(io, settings), describe, label);
  } finally {
    await scans.dispose();
  }
}

/**
 * Several snapshot files, one account each: each is read, evaluated and dropped before the next
 * (one inventory in memory at a time), and the results combined (src/engine/accounts.ts).
 */
async function scanAccounts(files: string[], baselineFlag: string | undefined, io: Io, settings: ScanSettings): Promise<ScanResult> {
  const { selection, config, baseline, scope } = settings;
  const resolved = files.map((f) => path.resolve(io.cwd, f));
  const twice = resolved.findIndex((f, i) => resolved.indexOf(f) !== i);
  if (twice >= 0) throw new UsageError(`--input: ${displayPath(resolved[twice]!, io)} is given twice`);
  const seen = new Map<string, string>();
  const scans = new AccountScans(selection, config, scope, settings.keepPassingFindings);
  let result: ScanResult;
  try {
    for (const input of files) {
      const file = path.resolve(io.cwd, input);
      const shown = displayPath(file, io);
      const inventory = await loadInventoryFile(file, shown);
      const earlier = seen.get(inventory.account.id);
      if (earlier !== undefined) {
        throw new UsageError(`--input: ${shown} and ${earlier} are both snapshots of account ${inventory.account.id} (give each account once)`);
      }
      seen.set(inventory.account.id, shown);
      await scans.add({ inventory, inputs: [shown] });
    }
    result = await scans.finish(gateOptions(io, settings));
  } finally {
    await scans.dispose();
  }
  checkBaselineAccounts(baseline, baselineFlag, (result.accounts ?? []).map((a) => a.id));
  return result;
}

/** `aigis merge`: organization snapshots only (an account snapshot is a usage error naming it). */
export async function runMergeCommand(snapshots: string[], args: ScanArgs, io: Io): Promise<number> {
  if (args.input?.length || args.demo || args.iac?.length) throw new UsageError('merge: give the snapshots as arguments, without --input, --demo or --iac');
  for (const file of snapshots) {
    if (!(await isOrganizationSnapshot(path.resolve(io.cwd, file)))) {
      throw new UsageError(`merge: ${file} is not an organization snapshot (written by \`aigis collect --org\`)`);
    }
  }
  return runScanCommand({ ...args, input: snapshots }, io);
}
