/**
 * The part of every scanning command that comes after an inventory exists: pick rules and
 * frameworks, evaluate, write the reports, print the summary, decide the exit code. `scan` and
 * `policy check` share it so that their flags and outputs behave the same way.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { checkConfigReferences, ruleEnabled, ruleSettings, severityOverride, type AigisConfig } from '../engine/config.js';
import { applyGate, type GateOptions } from '../engine/gate.js';
import { utcToday } from '../engine/suppressions.js';
import { needsResourceTags, resourceTagsFor, type ResourceTags } from '../engine/resource-tags.js';
import { InputError, UsageError } from '../engine/errors.js';
import { loadFrameworkFiles, loadFrameworks, type Framework } from '../engine/frameworks.js';
import { TOOL_NAME, TOOL_URI, toolVersion } from '../engine/paths.js';
import { loadRules } from '../engine/registry.js';
import { breachesThreshold, reportRules, runScan, SCAN_SCOPES, type ScanResult, type ScanScope } from '../engine/scan.js';
import type { OrganizationContext } from '../engine/organization-context.js';
import { combineAccountScans, type CombineOptions, type UnscannedAccount } from '../engine/accounts.js';
import { configDigest } from '../engine/scan-scope.js';
import { SEVERITIES, type Finding, type Rule, type Severity } from '../engine/types.js';
import type { Inventory } from '../inventory/schema.js';
import { renderConsoleSummary } from '../report/console.js';
import { FORMATS, PASSED_MODES, type FormatName, type PassedMode, type ReportOptions } from '../report/index.js';
import { MESSAGE_MAX, inertText } from '../report/inert.js';
import { planOutputs, writeReports } from '../report/write.js';
import type { Extensions, UserPath } from './extensions.js';
import type { Io } from './io.js';
import { ScanSpill } from './scan-spill.js';

export interface OutputOptions {
  format: string[];
  output?: string;
  failOn?: string;
  framework?: string[];
  /** The console summary's counts line, when the command counts something else than resources. */
  totals?: string;
  /** `--passed`: full, list (default) or count. */
  passed?: string;
  pretty?: boolean;
  /** `--timestamp`: the scan's start time (ISO 8601), written into every report. */
  timestamp?: string;
}

export function parsePassed(value: string | undefined): PassedMode {
  if (value === undefined) return 'list';
  if (!(PASSED_MODES as readonly string[]).includes(value)) throw new UsageError(`--passed: unknown mode "${value}" (choose from ${PASSED_MODES.join(', ')})`);
  return value as PassedMode;
}

export interface Selection {
  rules: Rule[];
  frameworks: Framework[];
  allRules: Rule[];
}

/** `--format json,sarif` and `--format json --format sarif` both work. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

/**
 * A list flag: undefined when the flag was not given; a usage error when it was given with nothing
 * in it (`--rules ""`), which would otherwise read as "no filter" and select everything.
 */
export function listOption(values: readonly (string | number)[] | string | undefined, flag: string): string[] | undefined {
  if (values === undefined) return undefined;
  const list = splitList((Array.isArray(values) ? values : [values]).map(String));
  if (list.length === 0) throw new UsageError(`${flag}: empty value (give one or more, comma-separated, or leave the flag out)`);
  return list;
}

export function parseFormats(values: readonly string[] | undefined): FormatName[] {
  const formats = listOption(values, '--format') ?? ['json', 'sarif', 'html'];
  for (const f of formats) {
    if (!(f in FORMATS)) throw new UsageError(`--format: unknown format "${f}" (choose from ${Object.keys(FORMATS).join(', ')})`);
  }
  return [...new Set(formats)] as FormatName[];
}

export function parseFailOn(value: string | undefined, config: AigisConfig): Severity | undefined {
  const chosen = value ?? config.failOn;
  if (chosen === undefined || chosen === 'none') return undefined;
  if (!(SEVERITIES as readonly string[]).includes(chosen)) {
    throw new UsageError(`--fail-on: unknown severity "${chosen}" (choose from ${SEVERITIES.join(', ')}, none)`);
  }
  return chosen as Severity;
}

export function parseScope(value: string | undefined): ScanScope {
  if (value === undefined) return 'all';
  if (!(SCAN_SCOPES as readonly string[]).includes(value)) throw new UsageError(`--scope: unknown scope "${value}" (choose from ${SCAN_SCOPES.join(', ')})`);
  return value as ScanScope;
}

/**
 * Rules and frameworks after --rules / --skip-rules / --framework / config; unknown ids are usage
 * errors. `--skip-rules` applies last: it removes rules from what --rules or the config selected.
 */
export async function selectRulesAndFrameworks(
  ruleIds: string[],
  frameworkIds: string[],
  config: AigisConfig,
  configFile?: string,
  skipIds: string[] = [],
  /** Custom rule directories and framework files (src/commands/extensions.ts). */
  extensions?: Extensions,
): Promise<Selection> {
  const builtInRules = await loadRules();
  const allRules = extensions?.rulesDirs.length ? await withCustomRules(builtInRules, extensions.rulesDirs) : builtInRules;
  const known = new Set(allRules.map((r) => r.meta.id));
  for (const [i, id] of Object.keys(config.rules).entries()) {
    if (!known.has(id)) throw new InputError(configFile ?? 'config', ['rules', id], `unknown rule id "${id}" (index ${i}; see \`aigis rules\`)`);
  }
  for (const id of ruleIds) {
    if (!known.has(id)) throw new UsageError(`--rules: unknown rule id "${id}" (see \`aigis rules\`)`);
  }
  for (const id of skipIds) {
    if (!known.has(id)) throw new UsageError(`--skip-rules: unknown rule id "${id}" (see \`aigis rules\`)`);
  }
  const skipped = new Set(skipIds);
  const rules = allRules.filter((r) => !skipped.has(r.meta.id) && (ruleIds.length ? ruleIds.includes(r.meta.id) : ruleEnabled(config, r.meta.id)));
  const builtInFrameworks = await loadFrameworks(known);
  const allFrameworks = extensions?.frameworkFiles.length
    ? [...builtInFrameworks, ...(await loadFrameworkFiles(extensions.frameworkFiles, known, builtInFrameworks))]
    : builtInFrameworks;
  checkConfigReferences(config, configFile ?? 'config', known, new Set(allFrameworks.map((f) => f.id)));
  const wanted = frameworkIds.length ? frameworkIds : (config.frameworks ?? []);
  for (const id of wanted) {
    if (!allFrameworks.some((f) => f.id === id)) {
      throw new UsageError(`--framework: unknown framework "${id}" (choose from ${allFrameworks.map((f) => f.id).join(', ')})`);
    }
  }
  const frameworks = wanted.length ? allFrameworks.filter((f) => wanted.includes(f.id)) : allFrameworks;
  return { rules, frameworks, allRules };
}

/**
 * The built-in rules and the custom ones of `dirs` (src/engine/custom-rules.ts, loaded only when
 * there are some), in the registry's order: by id.
 */
export async function withCustomRules(builtIn: Rule[], dirs: readonly UserPath[]): Promise<Rule[]> {
  const { loadCustomRules } = await import('../engine/custom-rules.js');
  const custom = await loadCustomRules(dirs, builtIn);
  return [...builtIn, ...custom].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
}

export async function evaluate(
  inventory: Inventory,
  selection: Selection,
  config: AigisConfig,
  inputs: string[],
  gate?: GateOptions & { warn?: (line: string) => void },
  scope: ScanScope = 'all',
  /** Pass and not-applicable results as findings (`--passed full`), else as resources per rule. */
  keepPassingFindings = true,
): Promise<ScanResult> {
  const result = await scanOne(inventory, selection, config, inputs, scope, keepPassingFindings);
  // Suppressions by tag read the tags of the findings' resources while the inventory is at hand.
  const tags = needsResourceTags(config.suppressions) ? resourceTagsFor(inventory, result.findings) : undefined;
  return gateResult(result, selection, config, tags ? { ...(gate ?? { today: utcToday() }), tagsOf: (f) => tags.get(f.resource.arn) } : gate);
}

/** An inventory of one account, and the files it came from (report locations). */
export interface AccountSource {
  inventory: Inventory;
  inputs: string[];
  /** The account's organization, in an organization scan. */
  organization?: OrganizationContext;
}

/**
 * Several accounts, each evaluated alone as it arrives (`add`: only one inventory is held at a
 * time), then combined into one result (src/engine/accounts.ts) and gated once (`finish`). Each
 * account's result waits on disk until then (one JSON line per account in a temp file), so that
 * a scan of many accounts holds one account's result while it collects, not all of them.
 */
export class AccountScans {
  private readonly ids: string[] = [];
  private readonly unscanned: UnscannedAccount[] = [];
  private spill: Promise<ScanSpill> | undefined;
  private readonly large: ScanResult[] = [];
  /** `account NUL arn` -> tags of resources with failing or unknown findings, when suppressions match by tag. */
  private readonly tags = new Map<string, ResourceTags>();

  constructor(
    private readonly selection: Selection,
    private readonly config: AigisConfig,
    private readonly scope: ScanScope = 'all',
    private readonly keepPassingFindings = true,
  ) {}

  async add(source: AccountSource): Promise<void> {
    const scan = await scanOne(source.inventory, this.selection, this.config, source.inputs, this.scope, this.keepPassingFindings, source.organization);
    this.ids.push(scan.account.id);
    if (needsResourceTags(this.config.suppressions)) {
      for (const [arn, tags] of resourceTagsFor(source.inventory, scan.findings)) this.tags.set(`${scan.account.id}\u0000${arn}`, tags);
    }
    // The combination recomputes rules and rollups once for all accounts: an account's own copies
    // (a control rollup per framework, a rule list) would only take room.
    const kept = { ...scan, rules: [], frameworks: [] };
    // A very large account stays in memory: its line could pass the longest string V8 allows.
    if (scan.findings.length > SPILL_MAX_FINDINGS) this.large.push(kept);
    else await (await (this.spill ??= ScanSpill.create())).append(kept);
  }

  notScanned(account: UnscannedAccount): void {
    this.unscanned.push(account);
  }

  /** Removes what waits on disk (after `finish`, or instead of it when the scan stopped). */
  async dispose(): Promise<void> {
    const spill = this.spill;
    this.spill = undefined;
    if (spill) await (await spill).remove();
  }

  get accountIds(): string[] {
    return [...this.ids, ...this.unscanned.map((u) => u.id)];
  }

  async finish(gate?: GateOptions & { warn?: (line: string) => void }, describe?: CombineOptions['describe'], label?: string): Promise<ScanResult> {
    const { selection, config } = this;
    const spill = this.spill ? await this.spill : undefined;
    let scans: ScanResult[];
    try {
      scans = [...(spill ? await spill.readAll() : []), ...this.large];
    } finally {
      await this.dispose();
    }
    const combined = combineAccountScans(scans, this.unscanned, {
      tool: { name: TOOL_NAME, version: toolVersion(), informationUri: TOOL_URI },
      rules: reportRules({ rules: selection.rules, frameworks: selection.frameworks, severityOverrides: severityOverrides(selection, config) }),
      frameworks: selection.frameworks,
      ...(describe ? { describe } : {}),
      ...(label !== undefined ? { label } : {}),
      configDigest: digestOfConfig(selection, config, this.scope),
    });
    const tagged = this.tags.size ? { ...(gate ?? { today: utcToday() }), tagsOf: (f: Finding) => this.tags.get(`${f.account ?? ''}\u0000${f.resource.arn}`) } : gate;
    return gateResult(combined, selection, config, tagged);
  }
}

/** Accounts with more findings than this are kept in memory rather than written to the spill. */
const SPILL_MAX_FINDINGS = 100_000;

function severityOverrides(selection: Selection, config: AigisConfig): Record<string, Severity> {
  const overrides: Record<string, Severity> = {};
  for (const rule of selection.rules) {
    const s = severityOverride(config, rule.meta.id);
    if (s) overrides[rule.meta.id] = s;
  }
  return overrides;
}

/** `scanScope.configDigest`: the effective settings of this run (src/engine/scan-scope.ts). */
function digestOfConfig(selection: Selection, config: AigisConfig, scope: ScanScope): string {
  return configDigest({
    rules: selection.rules.map((r) => r.meta.id),
    frameworks: selection.frameworks.map((f) => f.id),
    severityOverrides: severityOverrides(selection, config),
    settings: ruleSettings(config),
    suppressions: config.suppressions,
    scope,
  });
}

/** Evaluation alone: no suppression or baseline yet. */
async function scanOne(
  inventory: Inventory,
  selection: Selection,
  config: AigisConfig,
  inputs: string[],
  scope: ScanScope,
  keepPassingFindings: boolean,
  organization?: OrganizationContext,
): Promise<ScanResult> {
  return runScan(
    {
      inventory,
      rules: selection.rules,
      frameworks: selection.frameworks,
      settings: ruleSettings(config),
      severityOverrides: severityOverrides(selection, config),
      inputs,
      scope,
      keepPassingFindings,
      ...(organization ? { organization } : {}),
      configDigest: digestOfConfig(selection, config, scope),
    },
    { name: TOOL_NAME, version: toolVersion(), informationUri: TOOL_URI },
  );
}

/** Suppressions and baseline (src/engine/gate.ts); without a gate, config suppressions still apply. */
function gateResult(result: ScanResult, selection: Selection, config: AigisConfig, gate?: GateOptions & { warn?: (line: string) => void }): ScanResult {
  const gated = applyGate(result, config, selection.frameworks, gate ?? { today: utcToday() });
  for (const line of gated.warnings) gate?.warn?.(line);
  return gated.result;
}

/**
 * `--output -`: the one format on standard output (a pipe, a pre-commit hook's log), the console
 * summary on standard error as always. Stdout cannot be renamed into place: a renderer that fails
 * midway leaves what it wrote, and the exit code (2) says the output is incomplete.
 */
function reportToStdout(result: ScanResult, formats: FormatName[], reportOptions: ReportOptions, totals: string | undefined, failOn: Severity | undefined, io: Io): number {
  if (formats.length !== 1) throw new UsageError(`--output -: standard output takes one format, not ${formats.length} (choose it with --format)`);
  let failure: Error | undefined;
  try {
    const content = FORMATS[formats[0]!].render(result, reportOptions);
    if (typeof content === 'string') io.stdout(content);
    else for (const chunk of content) io.stdout(chunk);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  }
  io.stderr(renderConsoleSummary(result, failure ? [] : ['standard output'], totals));
  if (failure) {
    io.stderr(`aigis: error: ${inertText(`standard output: report incomplete (internal error: ${failure.message})`, MESSAGE_MAX)}\n`);
    return 2;
  }
  return breachesThreshold(result.findings, failOn) ? 1 : 0;
}

/**
 * With several formats --output is a directory. A path that looks like a file (`-o report.json`)
 * would become a directory of that name: a usage error, unless it already is a directory.
 */
async function checkOutputForFormats(output: string | undefined, formats: readonly FormatName[], cwd: string): Promise<void> {
  if (output === undefined) return;
  if (output.trim() === '') throw new UsageError('--output: empty path');
  // A trailing slash says "directory" as plainly as a missing extension does.
  if (formats.length < 2 || path.extname(output) === '' || /[\\/]$/.test(output)) return;
  const existing = await stat(path.resolve(cwd, output)).catch(() => undefined);
  if (existing?.isDirectory()) return;
  throw new UsageError(
    `--output ${output}: with several formats (${formats.join(', ')}) the output is a directory; give a directory such as aigis-report/, or one --format`,
  );
}

/**
 * Renders and writes every requested format, each streamed into its own file; prints the summary;
 * returns the exit code. A format that fails is reported and makes the run exit 2, but the others
 * are still written.
 */
export async function report(result: ScanResult, options: OutputOptions, failOn: Severity | undefined, io: Io): Promise<number> {
  const formats = parseFormats(options.format);
  const reportOptions: ReportOptions = {
    passed: parsePassed(options.passed),
    pretty: options.pretty === true,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  };
  if (options.output === '-') return reportToStdout(result, formats, reportOptions, options.totals, failOn, io);
  await checkOutputForFormats(options.output, formats, io.cwd);
  const plan = await planOutputs(
    options.output,
    formats.map((f) => ({ format: f, extension: FORMATS[f].extension })),
    io.cwd,
  );
  const outcomes = await writeReports(formats.map((f) => ({ path: plan.get(f)!, render: () => FORMATS[f].render(result, reportOptions) })));
  const written = outcomes.filter((o) => !o.error).map((o) => path.relative(io.cwd, o.path) || o.path);
  io.stderr(renderConsoleSummary(result, written, options.totals));
  const failed = outcomes.filter((o) => o.error);
  for (const { path: file, error } of failed) {
    const shown = path.relative(io.cwd, file) || file;
    // An input or I/O error names the file already; anything else is a renderer's bug.
    const line = error instanceof InputError ? error.message : `${shown}: report not written (internal error: ${error!.message})`;
    io.stderr(`aigis: error: ${inertText(line, MESSAGE_MAX)}\n`);
  }
  if (failed.length) return 2;
  return breachesThreshold(result.findings, failOn) ? 1 : 0;
}
