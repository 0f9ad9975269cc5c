/**
 * The JUnit XML report, for CI test views (GitLab merge request test reports, Jenkins' JUnit
 * plugin, Azure DevOps' PublishTestResults): one <testsuite> per rule (rule id order), one
 * <testcase> per rule x resource (classname = rule id, name = resource ARN).
 *
 * - fail: <failure message="..." type="severity">;
 * - unknown (data missing or unreadable): <error>, which every one of those readers counts as not
 *   passed (never a silent pass);
 * - not applicable, and failing or unknown findings that are suppressed: <skipped>;
 * - pass: a plain <testcase>. With `--passed list` (the default) the passing and not-applicable
 *   resources come from the per-rule lists; with `--passed count` there are no resource names, so
 *   no passing or skipped test cases: the counts are the suite's `aigis.passed` and
 *   `aigis.notApplicable` properties instead.
 *
 * Only the elements and attributes of the Jenkins JUnit schema (xunit plugin junit-10) are used.
 * Every string is XML-escaped, and characters XML 1.0 forbids (C0 controls but tab, LF and CR,
 * lone surrogates, U+FFFE/U+FFFF), as well as DEL and C1 controls, become U+FFFD: names, tags and
 * messages come from the scanned account or from pull requests. Written in chunks; deterministic.
 */
import type { ReportedRule, ScanResult } from '../engine/scan.js';
import type { Finding } from '../engine/types.js';
import { DEFAULT_REPORT_OPTIONS, type ReportOptions } from './options.js';
import { passedByRule } from './passed.js';

/** Chunks are gathered to about this many characters before they are yielded. */
const CHUNK_CHARS = 64 * 1024;

interface SuitePlan {
  rule: ReportedRule;
  /** Indexes into result.findings, in the engine's order. */
  findings: number[];
  pass: string[];
  notApplicable: string[];
  /** `--passed count`: how many passed / were not applicable (no test cases for them). */
  passCount: number;
  notApplicableCount: number;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export function* renderJunitChunks(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Generator<string> {
  const suites = planSuites(result, options);
  const total = { tests: 0, failures: 0, errors: 0 };
  for (const s of suites) {
    total.tests += s.tests;
    total.failures += s.failures;
    total.errors += s.errors;
  }
  const timestamp = options.timestamp;
  const scanProperties = auditProperties(result);
  let out =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${attr(result.tool.name)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="0">\n`;
  for (const suite of suites) {
    const { rule } = suite;
    out +=
      `  <testsuite name="${attr(rule.id)}" tests="${suite.tests}" failures="${suite.failures}" errors="${suite.errors}" skipped="${suite.skipped}" time="0"` +
      (timestamp !== undefined ? ` timestamp="${attr(timestamp)}"` : '') +
      '>\n    <properties>\n' +
      property('aigis.title', rule.title) +
      property('aigis.severity', rule.severity) +
      property('aigis.service', rule.service) +
      property('aigis.controls', controlList(rule.controls)) +
      (options.passed === 'count' ? property('aigis.passed', String(suite.passCount)) + property('aigis.notApplicable', String(suite.notApplicableCount)) : '') +
      scanProperties +
      '    </properties>\n';
    for (const i of suite.findings) {
      out += testcase(result.findings[i]!);
      if (out.length >= CHUNK_CHARS) {
        yield out;
        out = '';
      }
    }
    for (const arn of suite.pass) {
      out += `    <testcase classname="${attr(rule.id)}" name="${attr(arn)}" time="0"/>\n`;
      if (out.length >= CHUNK_CHARS) {
        yield out;
        out = '';
      }
    }
    for (const arn of suite.notApplicable) {
      out += `    <testcase classname="${attr(rule.id)}" name="${attr(arn)}" time="0">\n      <skipped message="not applicable"/>\n    </testcase>\n`;
      if (out.length >= CHUNK_CHARS) {
        yield out;
        out = '';
      }
    }
    out += '  </testsuite>\n';
  }
  out += '</testsuites>\n';
  yield out;
}

/** Per rule (id order): which findings and passing resources become test cases, and the counts. */
function planSuites(result: ScanResult, options: ReportOptions): SuitePlan[] {
  const rules = [...result.rules].sort((a, b) => cmp(a.id, b.id));
  const byRule = new Map<string, SuitePlan>();
  for (const rule of rules) {
    byRule.set(rule.id, { rule, findings: [], pass: [], notApplicable: [], passCount: 0, notApplicableCount: 0, tests: 0, failures: 0, errors: 0, skipped: 0 });
  }
  const full = options.passed === 'full';
  const findings = result.findings;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const problem = f.verdict === 'fail' || f.verdict === 'unknown';
    // Outside `full`, passing findings are written from the per-rule lists below (or only counted).
    if (!problem && !full) continue;
    const suite = byRule.get(f.ruleId);
    if (!suite) continue;
    suite.findings.push(i);
    suite.tests++;
    const kind = outcome(f);
    if (kind === 'failure') suite.failures++;
    else if (kind === 'error') suite.errors++;
    else if (kind === 'skipped') suite.skipped++;
  }
  // In `full` mode the engine keeps passing findings as findings; groups exist only if it kept them apart.
  const groups = full ? (result.passed ? passedByRule(result) : []) : passedByRule(result);
  for (const group of groups) {
    const suite = byRule.get(group.ruleId);
    if (!suite) continue;
    if (options.passed === 'count') {
      suite.passCount = group.pass.length;
      suite.notApplicableCount = group.notApplicable.length;
      continue;
    }
    suite.pass = group.pass;
    suite.notApplicable = group.notApplicable;
    suite.tests += group.pass.length + group.notApplicable.length;
    suite.skipped += group.notApplicable.length;
  }
  return [...byRule.values()];
}

type Outcome = 'failure' | 'error' | 'skipped' | 'pass';

function outcome(f: Finding): Outcome {
  if (f.verdict === 'not_applicable') return 'skipped';
  if (f.verdict === 'pass') return 'pass';
  if (f.suppression) return 'skipped';
  return f.verdict === 'fail' ? 'failure' : 'error';
}

function testcase(f: Finding): string {
  const open = `    <testcase classname="${attr(f.ruleId)}" name="${attr(f.resource.arn)}" time="0"`;
  const kind = outcome(f);
  if (kind === 'pass') return `${open}/>\n`;
  if (kind === 'skipped') {
    const why = f.suppression
      ? `suppressed (${f.verdict}): ${f.suppression.reason}${f.suppression.expires ? ` (expires ${f.suppression.expires})` : ''}`
      : `not applicable: ${f.message}`;
    return `${open}>\n      <skipped message="${attr(why)}"/>\n    </testcase>\n`;
  }
  return `${open}>\n      <${kind} message="${attr(f.message)}" type="${attr(f.severity)}">${text(details(f))}</${kind}>\n    </testcase>\n`;
}

/** The failure body: what the finding is about, one fact per line. */
function details(f: Finding): string {
  const r = f.resource;
  const lines = [
    `${f.title} (${f.severity}, ${f.verdict === 'unknown' ? 'unknown: could not be checked' : 'failed'})`,
    f.message,
    `Resource: ${r.arn} (${r.type}, ${r.region})`,
  ];
  if (r.name !== undefined) lines.push(`Name: ${r.name}`);
  if (f.account !== undefined) lines.push(`Account: ${f.account}`);
  if (r.source) lines.push(`Source: ${r.source.file}${r.source.line !== undefined ? `:${r.source.line}` : ''}`);
  if (f.controls.length > 0) lines.push(`Controls: ${controlList(f.controls)}`);
  if (f.baseline !== undefined) lines.push(`Baseline: ${f.baseline}`);
  lines.push(`Fingerprint: ${f.fingerprint}`);
  return lines.join('\n');
}

function controlList(controls: { framework: string; controlId: string }[]): string {
  return controls.map((c) => `${c.framework}:${c.controlId}`).join('; ');
}

/**
 * The scan's audit metadata, in every suite's properties (JUnit has no properties on
 * `<testsuites>`): account, alias, Regions, services, inputs, config digest.
 */
function auditProperties(result: ScanResult): string {
  const scope = result.scanScope;
  return (
    property('aigis.account', result.account.id) +
    (result.account.alias !== undefined ? property('aigis.accountAlias', result.account.alias) : '') +
    (scope
      ? property('aigis.regions', scope.regions.join(',')) +
        property('aigis.services', scope.services.join(',')) +
        property('aigis.inputs', scope.inputs.join(',')) +
        property('aigis.configDigest', scope.configDigest)
      : '')
  );
}

function property(name: string, value: string): string {
  return `      <property name="${attr(name)}" value="${attr(value)}"/>\n`;
}

/**
 * Characters XML 1.0 cannot hold (C0 controls but tab, LF and CR; lone surrogates; U+FFFE and
 * U+FFFF) and ones it discourages (DEL, C1 controls) become U+FFFD.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** For a double-quoted attribute value: tab, LF and CR as character references survive attribute normalization. */
export function attr(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]!);
}

/** For element content (`>` escaped too, so `]]>` cannot appear). */
export function text(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]!);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
