/**
 * Scan-to-scan: what changed between two aigis scans, finding by finding, matched by the stable
 * fingerprint of (rule, resource) (src/engine/fingerprint.ts). Pure: it reads parsed reports (or a
 * ScanResult) and returns data; reading files and printing are the callers' (src/commands/diff-run.ts,
 * the scan's `--compare`).
 *
 * Categories, from the previous state of a fingerprint to its current one (suppressed findings
 * are never failing):
 * - `new`: failing now; before absent, not applicable, suppressed (or, when the previous report
 *   counted its passing resources instead of listing them, possibly passing: see regressedKnown);
 * - `regressed`: passing before, failing now;
 * - `fixed`: failing before; now passing, not applicable or absent;
 * - `suppressed`: failing before, suppressed now (not fixed: accepted);
 * - `stillFailing`: failing in both;
 * - `unknownChanged`: unknown on one side and failing or passing on the other (could be judged
 *   before and no longer, or the reverse); not counted as new or fixed.
 *
 * Reading a JSON report is in diff-report.ts (zod), so that a scan that only writes a delta does
 * not load zod. Bounded: one map per report keyed by fingerprint and a set of the fingerprints still to be
 * placed; the passing lists (millions of ARNs in a large report) are walked once each, hashed,
 * and looked up in that set. No loop over pairs.
 */
import { UsageError } from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import type { ScanResult } from './scan.js';
import { SEVERITY_RANK, type ControlRef, type Severity, type Verdict } from './types.js';

export const DIFF_CATEGORIES = ['new', 'regressed', 'fixed', 'suppressed', 'stillFailing', 'unknownChanged'] as const;
export type DiffCategory = (typeof DIFF_CATEGORIES)[number];

/** Words for each category, for reports and the console. */
export const CATEGORY_LABEL: Record<DiffCategory, string> = {
  new: 'New',
  regressed: 'Regressed (passing before)',
  fixed: 'Fixed',
  suppressed: 'Suppressed since',
  stillFailing: 'Still failing',
  unknownChanged: 'Unknown changes',
};

/** A finding's state before or after, in words (the reports' "passing → failing"). */
export const DIFF_STATE_WORDS: Record<DiffState, string> = {
  fail: 'failing',
  unknown: 'unknown',
  pass: 'passing',
  not_applicable: 'not applicable',
  suppressed: 'suppressed',
  absent: 'absent',
  not_failing: 'not failing',
};

/** The same in a few words, lower case (console lines, badges). */
export const CATEGORY_SHORT: Record<DiffCategory, string> = {
  new: 'new',
  regressed: 'regressed',
  fixed: 'fixed',
  suppressed: 'suppressed since',
  stillFailing: 'still failing',
  unknownChanged: 'unknown changes',
};

/**
 * A fingerprint's state in one report. `absent`: the report lists its passing resources and this
 * one is in neither list nor among the findings (the resource or the rule is gone). `not_failing`:
 * the report counts its passing resources, so passing, not applicable and absent look the same.
 */
export type DiffState = Verdict | 'suppressed' | 'absent' | 'not_failing';

export interface DiffEntry {
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  resource: { arn: string; type?: string; name?: string; region?: string };
  account?: string;
  /** The finding's message on the side that describes it (the failing side for `fixed`). */
  message?: string;
  from: DiffState;
  to: DiffState;
}

export interface ControlDelta {
  framework: string;
  controlId: string;
  frameworkName?: string;
  title?: string;
  counts: Record<DiffCategory, number>;
  fingerprints: Record<DiffCategory, string[]>;
}

export interface ReportInfo {
  /** The file as the user named it (a scan's own result has none). */
  file?: string;
  reportVersion?: string;
  /** How the report gives its passing side: `full` (every finding), `list` (ARNs), `count` (numbers only). */
  passedMode: PassedSide['mode'];
}

export interface ScanDelta {
  previous: ReportInfo;
  current: ReportInfo;
  /**
   * False when the previous report counted its passing resources (`--passed count`): a finding
   * failing now that passed before cannot be told from a new one, and is counted as new.
   */
  regressedKnown: boolean;
  counts: Record<DiffCategory, number>;
  /** Per category, worst first (severity, then rule id, resource ARN, account, fingerprint). */
  findings: Record<DiffCategory, DiffEntry[]>;
  /** Every control one of the findings above evidences, in the reports' framework and control order. */
  controls: ControlDelta[];
}

/** One report, as the diff reads it: a JSON report of either version, or a scan's own result. */
export interface DiffSide {
  info: ReportInfo;
  accountIds?: string[];
  /** Every finding the report holds in full (fail and unknown; all verdicts with `full`). */
  findings: SideFinding[];
  passed: PassedSide;
  controlsByRule: Map<string, readonly ControlRef[]>;
  /** Framework id -> name, and `framework\0control` -> title, in report order. */
  frameworkNames: Map<string, string>;
  controlTitles: Map<string, string | undefined>;
}

export interface SideFinding {
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  verdict: Verdict;
  suppressed: boolean;
  resource: { arn: string; type?: string; name?: string; region?: string };
  account?: string;
  message?: string;
}

/** A finding as one side of a diff holds it: from a scan's result or from a JSON report read back. */
export function sideFinding(
  f: { fingerprint: string; ruleId: string; severity: Severity; verdict: Verdict; suppression?: unknown; account?: string; message?: string },
  resource: SideFinding['resource'],
): SideFinding {
  return {
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    severity: f.severity,
    verdict: f.verdict,
    suppressed: f.suppression !== undefined,
    resource,
    ...(f.account !== undefined ? { account: f.account } : {}),
    ...(f.message !== undefined ? { message: f.message } : {}),
  };
}

export type PassedSide =
  | { mode: 'full' }
  | { mode: 'list'; rules: readonly { ruleId: string; pass: readonly string[]; notApplicable: readonly string[] }[] }
  | { mode: 'count' };

/** A scan's own result as one side (scan --compare): it always knows its passing side. */
export function scanResultSide(result: ScanResult): DiffSide {
  const controlsByRule = new Map<string, readonly ControlRef[]>();
  for (const rule of result.rules) controlsByRule.set(rule.id, rule.controls);
  const { frameworkNames, controlTitles } = frameworkLabels(result.frameworks);
  const passed: PassedSide = result.passed
    ? { mode: 'list', rules: result.passed.map((g) => ({ ruleId: g.ruleId, pass: g.pass.map((r) => r.arn), notApplicable: g.notApplicable.map((r) => r.arn) })) }
    : { mode: 'full' };
  return {
    info: { passedMode: passed.mode },
    accountIds: result.accounts ? result.accounts.map((a) => a.id) : [result.account.id],
    findings: result.findings.map((f) =>
      sideFinding(f, { arn: f.resource.arn, type: f.resource.type, ...(f.resource.name !== undefined ? { name: f.resource.name } : {}), region: f.resource.region }),
    ),
    passed,
    controlsByRule,
    frameworkNames,
    controlTitles,
  };
}

export function frameworkLabels(frameworks: readonly { id: string; name?: string; controls?: readonly { id: string; title?: string }[] }[]) {
  const frameworkNames = new Map<string, string>();
  const controlTitles = new Map<string, string | undefined>();
  for (const fw of frameworks) {
    if (fw.name !== undefined) frameworkNames.set(fw.id, fw.name);
    for (const c of fw.controls ?? []) controlTitles.set(controlKey(fw.id, c.id), c.title);
  }
  return { frameworkNames, controlTitles };
}

function controlKey(framework: string, controlId: string): string {
  return `${framework}\u0000${controlId}`;
}

/**
 * Two reports of different accounts share no fingerprint (ARNs name the account): everything
 * would read as fixed and new. A usage error instead; a side without account ids is not checked.
 */
export function checkSameAccounts(previous: DiffSide, current: DiffSide, previousName: string, currentName: string): void {
  const a = previous.accountIds;
  const b = current.accountIds;
  if (!a || !b || a.some((id) => b.includes(id))) return;
  throw new UsageError(`${previousName} is a report of account${a.length === 1 ? '' : 's'} ${a.join(', ')} and ${currentName} of ${b.join(', ')}: fingerprints of different accounts never match`);
}

function stateOf(f: SideFinding): DiffState {
  return f.suppressed ? 'suppressed' : f.verdict;
}

/**
 * The pass / not-applicable state of the `wanted` fingerprints in a report that lists its passing
 * ARNs per rule: each listed ARN hashed once and looked up (bounded by the list's length).
 */
function passStates(side: DiffSide, wanted: ReadonlySet<string>): Map<string, DiffState> {
  const found = new Map<string, DiffState>();
  if (side.passed.mode !== 'list' || wanted.size === 0) return found;
  for (const group of side.passed.rules) {
    for (const arn of group.pass) {
      const fp = fingerprintOf(group.ruleId, arn);
      if (wanted.has(fp)) found.set(fp, 'pass');
    }
    for (const arn of group.notApplicable) {
      const fp = fingerprintOf(group.ruleId, arn);
      if (wanted.has(fp) && !found.has(fp)) found.set(fp, 'not_applicable');
    }
  }
  return found;
}

/** What a fingerprint that is not among a report's findings was in it. */
function missingState(side: DiffSide, passStates: Map<string, DiffState>, fp: string): DiffState {
  const state = passStates.get(fp);
  if (state) return state;
  return side.passed.mode === 'count' ? 'not_failing' : 'absent';
}

export function computeDelta(previous: DiffSide, current: DiffSide): ScanDelta {
  const before = new Map<string, SideFinding>();
  for (const f of previous.findings) before.set(f.fingerprint, f);
  const after = new Map<string, SideFinding>();
  for (const f of current.findings) after.set(f.fingerprint, f);

  // Fingerprints whose state on the other side is in a passing list, if anywhere.
  const wantedBefore = new Set<string>();
  for (const f of current.findings) {
    const state = stateOf(f);
    if ((state === 'fail' || state === 'unknown') && !before.has(f.fingerprint)) wantedBefore.add(f.fingerprint);
  }
  const wantedAfter = new Set<string>();
  for (const f of previous.findings) {
    const state = stateOf(f);
    if ((state === 'fail' || state === 'unknown') && !after.has(f.fingerprint)) wantedAfter.add(f.fingerprint);
  }
  const passBefore = passStates(previous, wantedBefore);
  const passAfter = passStates(current, wantedAfter);

  const findings: Record<DiffCategory, DiffEntry[]> = { new: [], regressed: [], fixed: [], suppressed: [], stillFailing: [], unknownChanged: [] };
  const add = (category: DiffCategory, f: SideFinding, from: DiffState, to: DiffState) => {
    findings[category].push({
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      severity: f.severity,
      resource: f.resource,
      ...(f.account !== undefined ? { account: f.account } : {}),
      ...(f.message !== undefined ? { message: f.message } : {}),
      from,
      to,
    });
  };

  for (const f of after.values()) {
    const to = stateOf(f);
    const old = before.get(f.fingerprint);
    const from = old ? stateOf(old) : missingState(previous, passBefore, f.fingerprint);
    if (to === 'fail') {
      if (from === 'fail') add('stillFailing', f, from, to);
      else if (from === 'pass') add('regressed', f, from, to);
      else if (from === 'unknown') add('unknownChanged', f, from, to);
      else add('new', f, from, to);
    } else if (from === 'fail') {
      // The failing side describes what was fixed (its message says what was wrong).
      if (to === 'suppressed') add('suppressed', f, from, to);
      else if (to === 'unknown') add('unknownChanged', f, from, to);
      else add('fixed', old!, from, to);
    } else if ((to === 'unknown' && from === 'pass') || (from === 'unknown' && to === 'pass')) {
      add('unknownChanged', f, from, to);
    }
  }
  for (const f of before.values()) {
    if (after.has(f.fingerprint)) continue;
    const from = stateOf(f);
    const to = missingState(current, passAfter, f.fingerprint);
    if (from === 'fail') add('fixed', f, from, to);
    else if (from === 'unknown' && to === 'pass') add('unknownChanged', f, from, to);
  }
  for (const list of Object.values(findings)) list.sort(compareEntries);

  const counts = Object.fromEntries(DIFF_CATEGORIES.map((c) => [c, findings[c].length])) as Record<DiffCategory, number>;
  return {
    previous: previous.info,
    current: current.info,
    regressedKnown: previous.passed.mode !== 'count',
    counts,
    findings,
    controls: controlDeltas(findings, previous, current),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEntries(a: DiffEntry, b: DiffEntry): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.resource.arn, b.resource.arn) ||
    cmp(a.account ?? '', b.account ?? '') ||
    cmp(a.fingerprint, b.fingerprint)
  );
}

/** Each control the changed findings' rules evidence (the current report's mapping first, then the previous one's). */
function controlDeltas(findings: Record<DiffCategory, DiffEntry[]>, previous: DiffSide, current: DiffSide): ControlDelta[] {
  const controlsOf = (ruleId: string) => current.controlsByRule.get(ruleId) ?? previous.controlsByRule.get(ruleId) ?? [];
  const byKey = new Map<string, ControlDelta>();
  for (const category of DIFF_CATEGORIES) {
    for (const entry of findings[category]) {
      for (const ref of controlsOf(entry.ruleId)) {
        const key = controlKey(ref.framework, ref.controlId);
        let delta = byKey.get(key);
        if (!delta) {
          const frameworkName = current.frameworkNames.get(ref.framework) ?? previous.frameworkNames.get(ref.framework);
          const title = current.controlTitles.get(key) ?? previous.controlTitles.get(key);
          delta = {
            framework: ref.framework,
            controlId: ref.controlId,
            ...(frameworkName !== undefined ? { frameworkName } : {}),
            ...(title !== undefined ? { title } : {}),
            counts: { new: 0, regressed: 0, fixed: 0, suppressed: 0, stillFailing: 0, unknownChanged: 0 },
            fingerprints: { new: [], regressed: [], fixed: [], suppressed: [], stillFailing: [], unknownChanged: [] },
          };
          byKey.set(key, delta);
        }
        // A rule lists a control once; a duplicated pair in a hand-edited report would count twice.
        const list = delta.fingerprints[category];
        if (list[list.length - 1] === entry.fingerprint) continue;
        list.push(entry.fingerprint);
        delta.counts[category]++;
      }
    }
  }
  // The reports' order (frameworks, then their controls), then any other control by id.
  const order = new Map<string, number>();
  for (const side of [current, previous]) for (const key of side.controlTitles.keys()) if (!order.has(key)) order.set(key, order.size);
  const frameworkOrder = new Map<string, number>();
  for (const side of [current, previous]) for (const key of side.controlTitles.keys()) {
    const fw = key.slice(0, key.indexOf('\u0000'));
    if (!frameworkOrder.has(fw)) frameworkOrder.set(fw, frameworkOrder.size);
  }
  const rank = (m: Map<string, number>, k: string) => m.get(k) ?? Number.MAX_SAFE_INTEGER;
  return [...byKey.entries()]
    .sort(
      ([ka, a], [kb, b]) =>
        rank(frameworkOrder, a.framework) - rank(frameworkOrder, b.framework) || cmp(a.framework, b.framework) || rank(order, ka) - rank(order, kb) || cmp(a.controlId, b.controlId),
    )
    .map(([, delta]) => delta);
}

/** Whether a new or regressed finding has `failOn`'s severity or higher (`aigis diff --fail-on`). */
export function deltaBreaches(delta: ScanDelta, failOn: Severity | undefined): boolean {
  if (!failOn) return false;
  const threshold = SEVERITY_RANK[failOn];
  return [...delta.findings.new, ...delta.findings.regressed].some((e) => SEVERITY_RANK[e.severity] >= threshold);
}

/** The JSON report's compact `delta` (version 2.3): the previous report, counts and fingerprints per category. */
export function compactDelta(delta: ScanDelta) {
  return {
    previous: delta.previous,
    regressedKnown: delta.regressedKnown,
    counts: delta.counts,
    ...Object.fromEntries(DIFF_CATEGORIES.map((c) => [c, delta.findings[c].map((e) => e.fingerprint)])),
  };
}
