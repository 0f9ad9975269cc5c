/**
 * Scans of several accounts as one result. Each account is evaluated alone (rules see one
 * account's inventory, as in a single-account scan), then the per-account results are combined
 * here: findings carry their account, the summary and control rollups count every account, and
 * `accounts` lists each account with its place in the organization and whether it was scanned.
 *
 * An account that could not be scanned (its role could not be assumed, its snapshot is missing)
 * is never silently absent: every selected rule gets an `unknown` finding on the account, so the
 * controls those rules evidence cannot read as passing for the organization.
 */
import type { CollectionError } from '../inventory/schema.js';
import type { Framework } from './frameworks.js';
import { fingerprintOf } from './fingerprint.js';
import { DEFAULT_CONFIG, ruleSettings } from './config.js';
import { combineScanScopes, configDigest } from './scan-scope.js';
import { compareFindings, isActive, rollupFrameworks, summarize, type PassedGroup, type ReportedRule, type ScanResult } from './scan.js';
import { SEVERITIES, type Finding, type ResourceRef, type Severity } from './types.js';

/** One account of a multi-account scan. */
export interface AccountEntry {
  id: string;
  partition: string;
  alias?: string;
  /** The account's name in the organization, when known. */
  name?: string;
  /** Organizational units from the root down, e.g. "Root/Workloads/ML", when known. */
  path?: string;
  status: 'scanned' | 'not_scanned';
  /** Why the account was not scanned (status not_scanned). */
  reason?: string;
  /** Resources judged in this account (0 when not scanned). */
  resourcesEvaluated: number;
}

/** A collection error, with the account it happened in when the scan covers several. */
export type AccountCollectionError = CollectionError & { account?: string };

/** An account that was not scanned, and why. */
export interface UnscannedAccount {
  id: string;
  partition: string;
  alias?: string;
  name?: string;
  path?: string;
  reason: string;
}

export interface CombineOptions {
  tool: ScanResult['tool'];
  rules: ReportedRule[];
  frameworks: Framework[];
  /** Where the account entries come from (names, OU paths), by account id. */
  describe?: (accountId: string) => Pick<AccountEntry, 'alias' | 'name' | 'path'> | undefined;
  /** The value of `account.id` in the combined result: the organization id when known. */
  label?: string;
  /** `scanScope.configDigest` when no account was scanned (else the accounts' own). */
  configDigest?: string;
}

/** The account id the combined result shows when the organization's id is not known. */
export const MULTIPLE_ACCOUNTS = 'multiple';

/**
 * One result for several accounts. `scans` are ungated per-account results (suppressions and
 * baselines apply once, to the combined findings); account ids must be distinct.
 */
export function combineAccountScans(given: ScanResult[], notScanned: UnscannedAccount[], options: CombineOptions): ScanResult {
  // What the organization says of an unscanned account (its name, its units) unless given.
  const unscanned = notScanned.map((u) => ({ ...options.describe?.(u.id), ...u }));
  // Account order, whatever order the inputs came in: the same accounts give the same bytes.
  const scans = [...given].sort((a, b) => cmp(a.account.id, b.account.id));
  const seen = new Set<string>();
  for (const id of [...scans.map((s) => s.account.id), ...unscanned.map((u) => u.id)]) {
    if (seen.has(id)) throw new Error(`account ${id} appears twice in one scan`);
    seen.add(id);
  }
  const partitions = new Set([...scans.map((s) => s.account.partition), ...unscanned.map((u) => u.partition)]);
  if (partitions.size > 1) throw new Error(`accounts of different partitions (${[...partitions].sort().join(', ')}) cannot be scanned together`);
  const partition = [...partitions][0] ?? 'aws';

  const findings: Finding[] = [];
  for (const scan of scans) for (const f of scan.findings) findings.push(withAccount(f, scan.account.id));
  for (const account of unscanned) findings.push(...unscannedFindings(account, options.rules));
  // Each list is sorted already; one stable sort puts them in report order. ARNs name their
  // account (S3 bucket names are global), so the account breaks the rare remaining tie.
  findings.sort((a, b) => compareFindings(a, b) || cmp(a.account ?? '', b.account ?? ''));

  const passed = combinePassed(scans, options.rules);
  const resourcesEvaluated = scans.reduce((n, s) => n + s.summary.resourcesEvaluated, 0) + unscanned.length;
  const accounts: AccountEntry[] = [
    ...scans.map((s): AccountEntry => ({
      id: s.account.id,
      partition: s.account.partition,
      // The alias the account's own scan read (iam:ListAccountAliases); the organization gives names and units.
      ...(s.account.alias !== undefined ? { alias: s.account.alias } : {}),
      ...options.describe?.(s.account.id),
      status: 'scanned',
      resourcesEvaluated: s.summary.resourcesEvaluated,
    })),
    ...unscanned.map((u): AccountEntry => ({
      id: u.id,
      partition: u.partition,
      ...(u.alias !== undefined ? { alias: u.alias } : {}),
      ...(u.name !== undefined ? { name: u.name } : {}),
      ...(u.path !== undefined ? { path: u.path } : {}),
      status: 'not_scanned',
      reason: u.reason,
      resourcesEvaluated: 0,
    })),
  ].sort((a, b) => cmp(a.id, b.id));

  const collectionErrors: AccountCollectionError[] = scans
    .flatMap((s) => s.coverage.collectionErrors.map((e) => ({ ...e, account: s.account.id })))
    .sort((a, b) => cmp(a.account, b.account));
  const scope = scans.find((s) => s.scope)?.scope;
  const activeRules = new Set(options.rules.map((r) => r.id));
  const inputs = scans.flatMap((s) => s.inputs);
  return {
    tool: options.tool,
    account: { id: options.label ?? MULTIPLE_ACCOUNTS, partition },
    accounts,
    inputs,
    rules: options.rules,
    findings,
    frameworks: rollupFrameworks(options.frameworks, findings, activeRules, passed),
    summary: summarize(findings, resourcesEvaluated, passed),
    coverage: { collectionErrors },
    aiWorkloads: scans
      .flatMap((s) => s.aiWorkloads)
      .sort((a, b) => cmp(a.type, b.type) || cmp(a.arn, b.arn)),
    ...(scope ? { scope } : {}),
    ...(passed ? { passed } : {}),
    scanScope: combineScanScopes(
      scans.map((s) => s.scanScope),
      options.rules.map((r) => r.service),
      inputs,
      options.configDigest ??
        scans.find((s) => s.scanScope)?.scanScope?.configDigest ??
        // No digest given and no account scanned: that of the rules and frameworks with default settings.
        configDigest({
          rules: options.rules.map((r) => r.id),
          frameworks: options.frameworks.map((f) => f.id),
          severityOverrides: {},
          settings: ruleSettings(DEFAULT_CONFIG),
          suppressions: [],
          scope: scope ?? 'all',
        }),
    ),
  };
}

function withAccount(finding: Finding, account: string): Finding {
  finding.account = account;
  return finding;
}

/** The account itself, as account-wide rules name it. */
export function accountRootRef(id: string, partition: string): ResourceRef {
  return { arn: `arn:${partition}:iam::${id}:root`, type: 'AWS::::Account', region: 'global', name: id };
}

function unscannedFindings(account: UnscannedAccount, rules: ReportedRule[]): Finding[] {
  const resource = accountRootRef(account.id, account.partition);
  const where = account.path ? ` (${account.path})` : '';
  return rules.map((rule) => ({
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    verdict: 'unknown' as const,
    service: rule.service,
    resource,
    message: `Account ${account.id}${where} was not scanned (${account.reason}), so ${rule.id} could not be evaluated there.`,
    controls: rule.controls,
    fingerprint: fingerprintOf(rule.id, resource.arn),
    account: account.id,
  }));
}

/** Each rule's passing resources across accounts, in rule order and ARN order. */
function combinePassed(scans: ScanResult[], rules: ReportedRule[]): PassedGroup[] | undefined {
  if (!scans.some((s) => s.passed)) return undefined;
  const byRule = new Map<string, { pass: ResourceRef[]; notApplicable: ResourceRef[] }>();
  for (const scan of scans) {
    for (const group of scan.passed ?? []) {
      let entry = byRule.get(group.ruleId);
      if (!entry) byRule.set(group.ruleId, (entry = { pass: [], notApplicable: [] }));
      // One at a time: spreading a large account's list into push() overflows the stack.
      for (const ref of group.pass) entry.pass.push(ref);
      for (const ref of group.notApplicable) entry.notApplicable.push(ref);
    }
  }
  const byArn = (a: ResourceRef, b: ResourceRef) => cmp(a.arn, b.arn);
  const groups: PassedGroup[] = [];
  for (const rule of rules) {
    const entry = byRule.get(rule.id);
    if (entry) groups.push({ ruleId: rule.id, pass: entry.pass.sort(byArn), notApplicable: entry.notApplicable.sort(byArn) });
  }
  return groups;
}

/** An account's standing, for reports: what fails there and how badly. */
export interface AccountStanding {
  entry: AccountEntry;
  fail: number;
  unknown: number;
  failingBySeverity: Record<Severity, number>;
  /** Failing controls per framework id. */
  failingControls: Record<string, number>;
}

/**
 * Each account's failing and unknown findings (active ones: suppressed findings do not count)
 * and failing controls, worst first: critical failures, then high, ..., then unknown findings,
 * then account id.
 */
export function accountStandings(result: ScanResult): AccountStanding[] {
  const standings = new Map<string, AccountStanding>();
  for (const entry of result.accounts ?? []) {
    standings.set(entry.id, {
      entry,
      fail: 0,
      unknown: 0,
      failingBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>,
      failingControls: Object.fromEntries(result.frameworks.map((f) => [f.id, 0])),
    });
  }
  const failingRules = new Map<string, Set<string>>();
  for (const f of result.findings) {
    const standing = f.account !== undefined ? standings.get(f.account) : undefined;
    if (!standing || !isActive(f)) continue;
    if (f.verdict === 'unknown') standing.unknown++;
    if (f.verdict !== 'fail') continue;
    standing.fail++;
    standing.failingBySeverity[f.severity]++;
    let rules = failingRules.get(f.account!);
    if (!rules) failingRules.set(f.account!, (rules = new Set()));
    rules.add(f.ruleId);
  }
  for (const [account, rules] of failingRules) {
    const standing = standings.get(account)!;
    for (const framework of result.frameworks) {
      standing.failingControls[framework.id] = framework.controls.filter((c) => c.rules.some((r) => rules.has(r))).length;
    }
  }
  const rank = (s: AccountStanding) => SEVERITIES.map((sev) => s.failingBySeverity[sev]);
  return [...standings.values()].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    // SEVERITIES runs from critical down to info.
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i]! - ra[i]!;
    return b.unknown - a.unknown || cmp(a.entry.id, b.entry.id);
  });
}

/** For one control, the accounts where it fails and on how many resources, most resources first. */
export interface FailingAccount {
  account: string;
  resources: number;
}

/** Per framework id and control id, the accounts where the control fails (active failing findings). */
export function failingAccountsByControl(result: ScanResult): Map<string, Map<string, FailingAccount[]>> {
  // rule id -> account -> failing resource ARNs
  const byRule = new Map<string, Map<string, Set<string>>>();
  for (const f of result.findings) {
    if (f.verdict !== 'fail' || f.account === undefined || !isActive(f)) continue;
    let accounts = byRule.get(f.ruleId);
    if (!accounts) byRule.set(f.ruleId, (accounts = new Map()));
    let arns = accounts.get(f.account);
    if (!arns) accounts.set(f.account, (arns = new Set()));
    arns.add(f.resource.arn);
  }
  const out = new Map<string, Map<string, FailingAccount[]>>();
  for (const framework of result.frameworks) {
    const controls = new Map<string, FailingAccount[]>();
    for (const control of framework.controls) {
      if (control.status !== 'failing') continue;
      const resources = new Map<string, Set<string>>();
      for (const ruleId of control.rules) {
        for (const [account, arns] of byRule.get(ruleId) ?? []) {
          let set = resources.get(account);
          if (!set) resources.set(account, (set = new Set()));
          for (const arn of arns) set.add(arn);
        }
      }
      const list = [...resources].map(([account, arns]) => ({ account, resources: arns.size }));
      list.sort((a, b) => b.resources - a.resources || cmp(a.account, b.account));
      if (list.length) controls.set(control.id, list);
    }
    out.set(framework.id, controls);
  }
  return out;
}

function cmp(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
