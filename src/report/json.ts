/**
 * The JSON report: the ScanResult as data, under a versioned envelope. Documented in
 * docs/json-report.md. Key order follows construction order, which is fixed, and findings are
 * sorted by the engine, so the same input always gives the same bytes.
 *
 * Version 2 is proportional to what matters: failing and unknown findings in full, passing and
 * not-applicable ones per rule as a list of resources or a count (`--passed`), what a rule is
 * (title, service, controls) stated once under `rules`, and compact unless `--pretty`.
 */
import { accountStandings, failingAccountsByControl } from '../engine/accounts.js';
import { compactDelta } from '../engine/diff.js';
import type { ScanResult } from '../engine/scan.js';
import type { Finding } from '../engine/types.js';
import { ChunkedJson, compactJsonChunks, joinChunks, prettyJsonChunks, stringListChunks } from './json-chunks.js';
import { DEFAULT_REPORT_OPTIONS, type ReportOptions } from './options.js';
import { passedByRule } from './passed.js';

export const JSON_REPORT_VERSION = '2.3';

/** A finding as the JSON report writes it: the rule's constants are under `rules`. */
export type JsonFinding = Omit<Finding, 'title' | 'service' | 'controls'>;

export function renderJson(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): string {
  return joinChunks(renderJsonChunks(result, options));
}

/** The report in chunks, the findings written one by one (see json-chunks.ts). */
export function* renderJsonChunks(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Generator<string> {
  const report = jsonReport(result, options);
  // Each finding takes its JSON form as it is written: copies of them all never exist at once.
  const map = (f: unknown) => jsonFinding(f as Finding);
  if (options.pretty) yield* prettyJsonChunks(report, ['findings'], map);
  // A rule's passing resources and the AI workloads each run to tens of megabytes at 1M
  // resources: written piece by piece too, never as one string.
  else yield* compactJsonChunks(report, [['findings'], ['passed', 'rules'], ['aiWorkloads']], [map, passedGroupChunks], ['ruleId', undefined, 'type']);
  yield '\n';
}

function jsonReport(result: ScanResult, options: ReportOptions) {
  const mode = options.passed;
  const full = mode === 'full';
  return {
    reportVersion: JSON_REPORT_VERSION,
    tool: result.tool,
    account: result.account,
    ...(result.accounts ? { accounts: jsonAccounts(result) } : {}),
    inputs: result.inputs,
    ...(result.scanScope ? { scanScope: result.scanScope } : {}),
    ...(options.timestamp !== undefined ? { scannedAt: options.timestamp } : {}),
    summary: result.summary,
    ...(result.delta ? { delta: compactDelta(result.delta) } : {}),
    frameworks: result.accounts ? withFailingAccounts(result) : result.frameworks,
    rules: result.rules.map(({ id, title, severity, service, resourceTypes, controls }) => ({
      id,
      title,
      severity,
      service,
      resourceTypes,
      controls,
    })),
    // Turned into their JSON form (jsonFinding) as they are written.
    findings: full ? result.findings : result.findings.filter(isProblem),
    passed: mode === 'full' ? { mode } : { mode, rules: passedRules(result, mode) },
    coverage: result.coverage,
    ...(result.scope ? { scope: result.scope } : {}),
    aiWorkloads: result.aiWorkloads,
  };
}

/** `{"ruleId":...,"pass":[...],"notApplicable":[...]}` as JSON.stringify writes it, the lists in pieces. */
function passedGroupChunks(item: unknown): unknown {
  const group = item as { ruleId: string; pass: unknown; notApplicable: unknown };
  if (!Array.isArray(group.pass) || !Array.isArray(group.notApplicable) || Object.keys(group).join() !== 'ruleId,pass,notApplicable') return group;
  const pass = group.pass as string[];
  const notApplicable = group.notApplicable as string[];
  return new ChunkedJson(function* () {
    yield `{"ruleId":${JSON.stringify(group.ruleId)},"pass":`;
    yield* stringListChunks(pass);
    yield ',"notApplicable":';
    yield* stringListChunks(notApplicable);
    yield '}';
  });
}

function isProblem(finding: Finding): boolean {
  return finding.verdict === 'fail' || finding.verdict === 'unknown';
}

function passedRules(result: ScanResult, mode: 'list' | 'count') {
  const groups = passedByRule(result);
  if (mode === 'list') return groups;
  return groups.map((g) => ({ ruleId: g.ruleId, pass: g.pass.length, notApplicable: g.notApplicable.length }));
}

/** Key order fixed here, whatever order the finding object was built in. */
function jsonFinding(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    verdict: f.verdict,
    resource: f.resource,
    message: f.message,
    evidence: f.evidence,
    property: f.property,
    ai: f.ai,
    fingerprint: f.fingerprint,
    suppression: f.suppression,
    baseline: f.baseline,
    account: f.account,
  };
}

/** Each account (id order) with what fails there: a multi-account scan only. */
function jsonAccounts(result: ScanResult) {
  return accountStandings(result)
    .sort((a, b) => (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0))
    .map(({ entry, fail, unknown, failingBySeverity, failingControls }) => ({ ...entry, fail, unknown, failingBySeverity, failingControls }));
}

/** Each failing control with the accounts it fails in and on how many resources. */
function withFailingAccounts(result: ScanResult) {
  const byControl = failingAccountsByControl(result);
  return result.frameworks.map((framework) => ({
    ...framework,
    controls: framework.controls.map((control) => {
      const failingAccounts = byControl.get(framework.id)?.get(control.id);
      return failingAccounts ? { ...control, failingAccounts } : control;
    }),
  }));
}
