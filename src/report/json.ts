/**
 * The JSON report: the ScanResult as data, under a versioned envelope. Documented in
 * docs/json-report.md. Key order follows construction order, which is fixed, and findings are
 * sorted by the engine, so the same input always gives the same bytes.
 *
 * Version 2 is proportional to what matters: failing and unknown findings in full, passing and
 * not-applicable ones per rule as a list of resources or a count (`--passed`), what a rule is
 * (title, service, controls) stated once under `rules`, and compact unless `--pretty`.
 */
import type { ScanResult } from '../engine/scan.js';
import type { Finding } from '../engine/types.js';
import { compactJsonChunks, joinChunks, prettyJsonChunks } from './json-chunks.js';
import { DEFAULT_REPORT_OPTIONS, type ReportOptions } from './options.js';
import { passedByRule } from './passed.js';

export const JSON_REPORT_VERSION = '2.0';

/** A finding as the JSON report writes it: the rule's constants are under `rules`. */
export type JsonFinding = Omit<Finding, 'title' | 'service' | 'controls'>;

export function renderJson(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): string {
  return joinChunks(renderJsonChunks(result, options));
}

/** The report in chunks, the findings written one by one (see json-chunks.ts). */
export function* renderJsonChunks(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Generator<string> {
  const report = jsonReport(result, options);
  if (options.pretty) yield* prettyJsonChunks(report, ['findings']);
  else yield* compactJsonChunks(report, [['findings'], ['passed', 'rules']]);
  yield '\n';
}

function jsonReport(result: ScanResult, options: ReportOptions) {
  const mode = options.passed;
  const full = mode === 'full';
  return {
    reportVersion: JSON_REPORT_VERSION,
    tool: result.tool,
    account: result.account,
    inputs: result.inputs,
    summary: result.summary,
    frameworks: result.frameworks,
    rules: result.rules.map(({ id, title, severity, service, resourceTypes, controls }) => ({
      id,
      title,
      severity,
      service,
      resourceTypes,
      controls,
    })),
    // A lazy view: the findings are turned into their JSON form as they are written.
    findings: mapped(full ? result.findings : result.findings.filter(isProblem), jsonFinding),
    passed: mode === 'full' ? { mode } : { mode, rules: passedRules(result, mode) },
    coverage: result.coverage,
    ...(result.scope ? { scope: result.scope } : {}),
    aiWorkloads: result.aiWorkloads,
  };
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
  };
}

/** The array mapped element by element (kept as an array: the chunkers stream arrays). */
function mapped<T, U>(items: readonly T[], fn: (item: T) => U): U[] {
  const out = new Array<U>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = fn(items[i]!);
  return out;
}
