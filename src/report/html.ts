/**
 * Self-contained HTML report: one file an engineer can hand to an auditor. Inline CSS and JS
 * only, locked down by a hash-based Content-Security-Policy, nothing fetched from the network.
 *
 * Every value printed comes from the scanned account or templates and is escaped; the findings
 * travel once, as compact JSON in a data block (see DATA_FORMAT), never as generated JavaScript,
 * and the page script renders the findings table from it a page at a time. The page is written in
 * chunks (renderHtmlChunks), so a large account never becomes one string: 100k resources give
 * about 43 MB. Without JavaScript the page still shows the summary, frameworks, the first page of
 * failing findings and the per-rule counts of passing ones. Pure and deterministic: same
 * ScanResult, byte-identical HTML.
 */
import { createHash } from 'node:crypto';
import type { CollectionError, SourceLocation } from '../inventory/schema.js';
import { accountStandings, MULTIPLE_ACCOUNTS } from '../engine/accounts.js';
import type { ControlRollup, ControlStatus, FrameworkRollup, ReportedRule, ScanResult } from '../engine/scan.js';
import { SEVERITIES, VERDICTS, type ControlRef, type Finding, type ResourceRef, type Severity, type Verdict } from '../engine/types.js';
import { accountAliasHtml, scanScopeHtml } from './audit-metadata.js';
import { REPORT_CSS, REPORT_JS } from './html-assets.js';
import { chartsSection } from './html-charts.js';
import { deltaHtmlSection } from './html-delta.js';
import { escapeHtml as e, escapeJsonForScript } from './html-escape.js';
import { evidenceTableHtml, referenceHtml } from './html-evidence.js';
import { controlHref, resourceHref, ruleHref } from './html-links.js';
import { aiWorkloadsSection, type WorkloadLinks } from './html-workloads.js';
import { joinChunks } from './json-chunks.js';
import { DEFAULT_REPORT_OPTIONS, type ReportOptions } from './options.js';

const CONTROL_STATUSES: ControlStatus[] = ['failing', 'unknown', 'passing', 'not_applicable', 'not_assessed'];

const VERDICT_LABEL: Record<Verdict, string> = {
  fail: 'Fail',
  unknown: 'Unknown',
  pass: 'Pass',
  not_applicable: 'Not applicable',
};

const STATUS_LABEL: Record<ControlStatus, string> = {
  failing: 'Failing',
  unknown: 'Unknown',
  passing: 'Passing',
  not_applicable: 'Not applicable',
  not_assessed: 'Not assessed',
};

/** Findings per page of the findings table (the static first page has as many). */
export const HTML_PAGE_SIZE = 100;
/** Findings per JSON.stringify call while the data block is written. */
const DATA_BATCH = 512;
/** Rows per chunk of a static table (coverage errors). */
const ROW_BATCH = 1000;


/**
 * What the page script reads, as compact JSON in `<script type="application/json" id="aigis-data">`.
 * Per-rule constants (title, severity, service, controls, remediation) are stated once in `rules`,
 * resources (ARN, name, type, region, template location) once in `resources`, and the values many
 * findings share (evidence, AI reasons, properties, messages with the resource name taken out) once
 * in their tables; a finding is a small tuple of indexes:
 *
 *   format (this layout's version), passedMode (`--passed`), pageSize, verdicts
 *   rules:      [{ id, title, severity, service, frameworks: [framework id], controls: [[framework, [control id]]], remediation? }]
 *   types, regions, properties: string tables
 *   evidence:   distinct evidence values;  ai: distinct lists of reasons a resource serves AI workloads
 *   messages:   distinct messages; a message held by a finding as index -1 - i is messages[i] with each
 *               U+0001 standing for the resource's name
 *   resources:  [arn, name | null, type index, region index, location?]
 *   findings:   [rule, verdict (index in `verdicts`), resource, message, evidence, property, ai, extra?] in
 *               report order (failing, then unknown, then - with `passed: full` - pass and not applicable);
 *               -1 for none, trailing -1s left out; extra: { suppression?, baseline?, and title, severity,
 *               service or controls where the finding differs from its rule }
 *   passed:     [[rule index, [resource index that passed], [resource index not applicable]]] (`passed: list`),
 *               or [[rule index, pass count, not-applicable count]] (`passed: count`)
 *   frameworks: [{ id, name, controls: [[control id, title, status, group | null, [rule index]]] }] for the drill-down
 *               (#/control/FRAMEWORK/CONTROL, #/rule/RULE, #/resource/INDEX in the page address)
 */
const DATA_FORMAT = 1;
/** Stands for the resource name in a templated message (see DATA_FORMAT). */
const NAME_MARK = '\u0001';
/** Shorter names are left in their messages: taking them out would save little and match by chance. */
const MIN_TEMPLATED_NAME = 3;

type ResourceTuple = [string, string | null, number, number] | [string, string | null, number, number, string];

interface RuleEntry {
  id: string;
  title: string;
  severity: Severity;
  service: string;
  frameworks: string[];
  controls: [string, string[]][];
  remediation?: ReportedRule['remediation'];
}

interface PassedGroup {
  rule: number;
  pass: number;
  notApplicable: number;
  /** Resource indexes (`passed: list` only). */
  passList?: number[];
  notApplicableList?: number[];
}

/** The report's findings arranged for the page: built in one pass over the findings. */
interface HtmlModel {
  rulesById: Map<string, ReportedRule>;
  ruleIndex: Map<string, number>;
  rules: RuleEntry[];
  /** The rule's controls as given (to tell whether a finding's differ). */
  ruleControls: ControlRef[][];
  types: string[];
  regions: string[];
  resources: ResourceTuple[];
  /** Findings of the findings table (indexes into result.findings), in report order. */
  table: number[];
  /** Per table finding: its resource, message, evidence, property and AI reasons (indexes, -1 for none). */
  tableResources: number[];
  tableMessages: number[];
  tableEvidence: number[];
  tableProperties: number[];
  tableAi: number[];
  properties: string[];
  /** JSON texts of the distinct evidence values and AI reason lists. */
  evidence: string[];
  ai: string[];
  messages: string[];
  /** Per rule index, its pass / not-applicable findings when they are not table rows. */
  passed: (PassedGroup | undefined)[];
  services: string[];
  /** The data block's resource index of an ARN (its first entry), for drill-down links. */
  resourceByArn: Map<string, number>;
}

/** The report in chunks: no part of the page is ever one string per report. */
export function* renderHtmlChunks(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Generator<string> {
  const model = buildModel(result, options);
  const title = result.accounts ? `aigis compliance report — ${result.accounts.length} accounts` : `aigis compliance report — account ${result.account.id}`;
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(REPORT_CSS)}'`,
    `script-src '${sha256(REPORT_JS)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  yield [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Built only from constants and base64 hashes (no `"`, `<` or `&`), so it is printed as is.
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="${e(`${result.tool.name} ${result.tool.version}`)}">`,
    `<title>${e(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    header(result, options.timestamp),
    '<main>',
    summarySection(result),
    deltaHtmlSection(result.delta),
    chartsSection(result),
    accountsSection(result),
    // Filled by the page script when the address names a control, rule or resource (#/control/...).
    '<section id="detail" class="detail" hidden aria-live="polite"></section>',
    aiWorkloadsSection(result, workloadLinks(model)),
    frameworksSection(result.frameworks),
    '',
  ].join('\n');
  yield findingsSection(result, model, options);
  yield passedSection(result, model, options);
  yield* coverageSection(result);
  yield rulesSection(result.rules);
  yield [
    '',
    '</main>',
    `<footer>Generated by ${e(result.tool.name)} ${e(result.tool.version)} (${e(result.tool.informationUri)}). ` +
      'Verdicts: fail = violates the control; unknown = could not be decided (data missing or unreadable), never treated as a pass; ' +
      'not applicable = nothing to judge.</footer>',
    '<script type="application/json" id="aigis-data">',
  ].join('\n');
  yield* dataChunks(result, model, options);
  yield ['</script>', `<script>${REPORT_JS}</script>`, '</body>', '</html>', ''].join('\n');
}

/** The whole page as one string: for small results and tests (reports are written from renderHtmlChunks). */
export function renderHtml(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): string {
  return joinChunks(renderHtmlChunks(result, options));
}

function buildModel(result: ScanResult, options: ReportOptions): HtmlModel {
  const rulesById = new Map(result.rules.map((rule) => [rule.id, rule]));
  const ruleIndex = new Map<string, number>();
  const rules: RuleEntry[] = [];
  const ruleControls: ControlRef[][] = [];
  const addRule = (rule: ReportedRule | Finding, id: string, remediation?: ReportedRule['remediation']): number => {
    const index = rules.length;
    ruleIndex.set(id, index);
    rules.push({
      id,
      title: rule.title,
      severity: rule.severity,
      service: rule.service,
      frameworks: frameworkIds(rule.controls),
      controls: groupControls(rule.controls),
      ...(remediation ? { remediation } : {}),
    });
    ruleControls.push(rule.controls);
    return index;
  };
  for (const rule of result.rules) if (!ruleIndex.has(rule.id)) addRule(rule, rule.id, rule.remediation);

  const types = new StringTable();
  const regions = new StringTable();
  // Resources by ARN; the same ARN with another name, type, region or location (rare: a hand-made
  // export) is another resource, found by its full key.
  const byArn = new Map<string, number>();
  const byKey = new Map<string, number>();
  const resources: ResourceTuple[] = [];
  const newResource = (ref: ResourceRef, location: string | undefined): number => {
    const tuple: ResourceTuple = [ref.arn, ref.name ?? null, types.add(ref.type), regions.add(ref.region)];
    resources.push(location !== undefined ? [...tuple, location] : tuple);
    return resources.length - 1;
  };
  const resourceOf = (ref: ResourceRef): number => {
    const location = ref.source ? sourceLocation(ref.source) : undefined;
    const first = byArn.get(ref.arn);
    if (first === undefined) {
      const index = newResource(ref, location);
      byArn.set(ref.arn, index);
      return index;
    }
    const known = resources[first]!;
    if (known[1] === (ref.name ?? null) && types.values[known[2]] === ref.type && regions.values[known[3]] === ref.region && known[4] === location) {
      return first;
    }
    const key = `${ref.arn}\u0000${ref.name ?? '\u0001'}\u0000${ref.type}\u0000${ref.region}\u0000${location ?? ''}`;
    let index = byKey.get(key);
    if (index === undefined) {
      index = newResource(ref, location);
      byKey.set(key, index);
    }
    return index;
  };

  const services = new Set(result.rules.map((r) => r.service));
  const table: number[] = [];
  const tableResources: number[] = [];
  const tableMessages: number[] = [];
  const tableEvidence: number[] = [];
  const tableProperties: number[] = [];
  const tableAi: number[] = [];
  const properties = new StringTable();
  const evidence = new StringTable();
  const ai = new StringTable();
  const aiByArray = new Map<string[], number>();
  const messages = new StringTable();
  const passed: (PassedGroup | undefined)[] = [];
  const findings = result.findings;
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    services.add(finding.service);
    const rule = ruleIndex.get(finding.ruleId) ?? addRule(finding, finding.ruleId);
    const open = finding.verdict === 'fail' || finding.verdict === 'unknown';
    if (open || options.passed === 'full') {
      table.push(i);
      tableResources.push(resourceOf(finding.resource));
      const name = finding.resource.name;
      // Most messages name their resource: without the name, the rule's findings share a few texts.
      if (name !== undefined && name.length >= MIN_TEMPLATED_NAME && finding.message.includes(name) && !finding.message.includes(NAME_MARK)) {
        // Every occurrence, as split/join would (NAME_MARK holds no `$` replacement pattern).
        tableMessages.push(-1 - messages.add(finding.message.replaceAll(name, NAME_MARK)));
      } else {
        tableMessages.push(messages.add(finding.message));
      }
      tableEvidence.push(finding.evidence !== undefined ? evidence.add(JSON.stringify(finding.evidence)) : -1);
      tableProperties.push(finding.property !== undefined ? properties.add(finding.property) : -1);
      if (finding.ai === undefined) tableAi.push(-1);
      else {
        // The engine gives every finding of a resource the same reasons array: stringified once.
        let index = aiByArray.get(finding.ai);
        if (index === undefined) aiByArray.set(finding.ai, (index = ai.add(JSON.stringify(finding.ai))));
        tableAi.push(index);
      }
      continue;
    }
    let group = passed[rule];
    if (!group) {
      group = { rule, pass: 0, notApplicable: 0, ...(options.passed === 'list' ? { passList: [], notApplicableList: [] } : {}) };
      passed[rule] = group;
    }
    if (finding.verdict === 'pass') {
      group.pass++;
      group.passList?.push(resourceOf(finding.resource));
    } else {
      group.notApplicable++;
      group.notApplicableList?.push(resourceOf(finding.resource));
    }
  }
  // Kept apart by the engine (ScanResult.passed), already grouped per rule and ordered.
  for (const g of result.passed ?? []) {
    const reported = rulesById.get(g.ruleId);
    const rule = ruleIndex.get(g.ruleId) ?? (reported ? addRule(reported, g.ruleId, reported.remediation) : undefined);
    if (rule === undefined) continue;
    if (reported) services.add(reported.service);
    passed[rule] = {
      rule,
      pass: g.pass.length,
      notApplicable: g.notApplicable.length,
      ...(options.passed === 'list' ? { passList: g.pass.map(resourceOf), notApplicableList: g.notApplicable.map(resourceOf) } : {}),
    };
  }
  return {
    rulesById,
    ruleIndex,
    rules,
    ruleControls,
    types: types.values,
    regions: regions.values,
    resources,
    table,
    tableResources,
    tableMessages,
    tableEvidence,
    tableProperties,
    tableAi,
    properties: properties.values,
    evidence: evidence.values,
    ai: ai.values,
    messages: messages.values,
    passed,
    services: [...services].sort(),
    resourceByArn: byArn,
  };
}

class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  add(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(value, i);
      this.values.push(value);
    }
    return i;
  }
}

function frameworkIds(controls: ControlRef[]): string[] {
  return [...new Set(controls.map((c) => c.framework))];
}

/** Controls per framework, in the order given: `[[framework, [control ids]]]`. */
function groupControls(controls: ControlRef[]): [string, string[]][] {
  const byFramework = new Map<string, string[]>();
  for (const c of controls) {
    const ids = byFramework.get(c.framework);
    if (ids) ids.push(c.controlId);
    else byFramework.set(c.framework, [c.controlId]);
  }
  return [...byFramework];
}

function sameControls(a: ControlRef[], b: ControlRef[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.framework !== b[i]!.framework || a[i]!.controlId !== b[i]!.controlId) return false;
  return true;
}

function sourceLocation(source: SourceLocation): string {
  return `${source.file}${source.line !== undefined ? `:${source.line}` : ''}${source.logicalId ? ` (${source.logicalId})` : ''}`;
}

/** The data block's JSON, escaped for a script element, in chunks of a few hundred elements. */
function* dataChunks(result: ScanResult, model: HtmlModel, options: ReportOptions): Generator<string> {
  const head = {
    format: DATA_FORMAT,
    passedMode: options.passed,
    pageSize: HTML_PAGE_SIZE,
    verdicts: VERDICTS,
    types: model.types,
    regions: model.regions,
    properties: model.properties,
    rules: model.rules,
    // For the drill-down: each control with its status and its rules (indexes in `rules`).
    frameworks: result.frameworks.map((f) => ({
      id: f.id,
      name: f.name,
      controls: f.controls.map((c) => [c.id, c.title, c.status, c.group ?? null, c.rules.map((r) => model.ruleIndex.get(r)).filter((i) => i !== undefined)]),
    })),
  };
  const open = JSON.stringify(head);
  yield escapeJsonForScript(`${open.slice(0, -1)},"evidence":[`);
  // Already JSON texts: joined, not serialized again.
  yield* rawArrayChunks(model.evidence);
  yield '],"ai":[';
  yield* rawArrayChunks(model.ai);
  yield '],"messages":[';
  yield* arrayChunks(model.messages.length, (i) => model.messages[i]);
  yield '],"resources":[';
  yield* arrayChunks(model.resources.length, (i) => model.resources[i]);
  yield '],"findings":[';
  const verdictIndex = new Map<Verdict, number>(VERDICTS.map((v, i) => [v, i]));
  yield* arrayChunks(model.table.length, (i) => {
    const finding = result.findings[model.table[i]!]!;
    const rule = model.ruleIndex.get(finding.ruleId)!;
    const tuple: unknown[] = [
      rule,
      verdictIndex.get(finding.verdict),
      model.tableResources[i],
      model.tableMessages[i],
      model.tableEvidence[i],
      model.tableProperties[i],
      model.tableAi[i],
    ];
    const extra = findingExtra(finding, model.rules[rule]!, model.ruleControls[rule]!);
    if (extra) tuple.push(extra);
    else while (tuple.length > 4 && tuple[tuple.length - 1] === -1) tuple.pop();
    return tuple;
  });
  yield '],"passed":[';
  // `list`: the resources per rule; `count`: only how many (the drill-down shows the numbers).
  const groups = options.passed === 'full' ? [] : model.passed.filter((g): g is PassedGroup => g !== undefined);
  yield* arrayChunks(groups.length, (i) => {
    const g = groups[i]!;
    return options.passed === 'list' ? [g.rule, g.passList, g.notApplicableList] : [g.rule, g.pass, g.notApplicable];
  });
  yield ']}\n';
}

function* rawArrayChunks(texts: string[]): Generator<string> {
  for (let start = 0; start < texts.length; start += DATA_BATCH) {
    yield escapeJsonForScript(`${start > 0 ? ',' : ''}${texts.slice(start, start + DATA_BATCH).join(',')}`);
  }
}

function* arrayChunks(length: number, item: (i: number) => unknown): Generator<string> {
  for (let start = 0; start < length; start += DATA_BATCH) {
    const end = Math.min(length, start + DATA_BATCH);
    const batch: unknown[] = [];
    for (let i = start; i < end; i++) batch.push(item(i));
    const text = JSON.stringify(batch);
    yield escapeJsonForScript(`${start > 0 ? ',' : ''}${text.slice(1, -1)}`);
  }
}

/** What a finding says beyond its rule and resource; undefined when nothing. */
function findingExtra(finding: Finding, rule: RuleEntry, ruleControls: ControlRef[]): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  let any = false;
  const set = (key: string, value: unknown): void => {
    extra[key] = value;
    any = true;
  };
  if (finding.title !== rule.title) set('title', finding.title);
  if (finding.severity !== rule.severity) set('severity', finding.severity);
  if (finding.service !== rule.service) set('service', finding.service);
  if (!sameControls(finding.controls, ruleControls)) set('controls', groupControls(finding.controls));
  if (finding.suppression !== undefined) set('suppression', finding.suppression);
  if (finding.baseline !== undefined) set('baseline', finding.baseline);
  return any ? extra : undefined;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function header(result: ScanResult, timestamp: string | undefined): string {
  const inputs = result.inputs.length > 0 ? result.inputs.join(', ') : 'live account scan';
  return [
    '<header class="report">',
    '<h1>AI workload compliance report</h1>',
    `<div class="sub">Compliance posture of AI-relevant AWS resources${
      result.frameworks.length ? ` against ${e(result.frameworks.map((f) => f.name).join(' · '))}` : ''
    }</div>`,
    '<dl>',
    result.accounts
      ? `<div><dt>Accounts</dt><dd>${e(result.accounts.length)}${result.account.id !== MULTIPLE_ACCOUNTS ? ` (${e(result.account.id)})` : ''}</dd></div>`
      : `<div><dt>Account</dt><dd>${e(result.account.id)}</dd></div>`,
    ...accountAliasHtml(result),
    `<div><dt>Partition</dt><dd>${e(result.account.partition)}</dd></div>`,
    `<div><dt>Input</dt><dd>${e(inputs)}</dd></div>`,
    ...scanScopeHtml(result),
    `<div><dt>Resources evaluated</dt><dd>${e(result.summary.resourcesEvaluated)}</dd></div>`,
    `<div><dt>Rules</dt><dd>${e(result.rules.length)}</dd></div>`,
    `<div><dt>Tool</dt><dd>${e(result.tool.name)} ${e(result.tool.version)}</dd></div>`,
    ...(timestamp !== undefined ? [`<div><dt>Scanned at</dt><dd><time datetime="${e(timestamp)}">${e(timestamp.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time></dd></div>`] : []),
    '</dl>',
    '</header>',
  ].join('\n');
}

function summarySection(result: ScanResult): string {
  const s = result.summary;
  const failing = SEVERITIES.reduce((n, sev) => n + s.failingBySeverity[sev], 0);
  const worst = SEVERITIES.filter((sev) => s.failingBySeverity[sev] > 0)
    .slice(0, 2)
    .map((sev) => `${s.failingBySeverity[sev]} ${sev}`);
  const lead =
    failing === 0
      ? 'No active failing findings.'
      : `${failing} active failing finding${failing === 1 ? '' : 's'}${worst.length ? ` (${worst.join(', ')})` : ''}.`;
  const unknownNote =
    s.byVerdict.unknown > 0
      ? ` ${s.byVerdict.unknown} check${s.byVerdict.unknown === 1 ? ' could not be decided and needs' : 's could not be decided and need'} review.`
      : '';
  const cards = (items: string[]): string => `<div class="cards">${items.join('')}</div>`;
  const card = (cls: string, n: number, label: string, id: string): string =>
    `<div class="card ${cls}" id="${e(id)}"><div class="n">${e(n)}</div><div class="l">${e(label)}</div></div>`;
  return [
    '<section id="summary">',
    '<h2>Summary</h2>',
    `<p class="lead">${e(lead + unknownNote)}</p>`,
    '<div class="subhead">Failing findings by severity (suppressed excluded)</div>',
    cards(SEVERITIES.map((sev) => card(`sev-${sev}`, s.failingBySeverity[sev], sev, `total-severity-${sev}`))),
    '<div class="subhead">Findings by verdict</div>',
    cards([
      ...VERDICTS.map((v) => card(`v-${v}`, s.byVerdict[v], VERDICT_LABEL[v], `total-verdict-${v}`)),
      card('neutral', s.suppressed, 'Suppressed', 'total-suppressed'),
      ...(s.newFailing !== undefined ? [card('neutral', s.newFailing, 'New failing (vs baseline)', 'total-new')] : []),
    ]),
    '</section>',
  ].join('\n');
}

const MAX_ACCOUNT_ROWS = 500;

/** A multi-account scan: the accounts worst first, with what fails in each (empty otherwise). */
function accountsSection(result: ScanResult): string {
  if (!result.accounts) return '';
  const standings = accountStandings(result);
  const rows = standings.slice(0, MAX_ACCOUNT_ROWS).map(({ entry, fail, unknown, failingBySeverity, failingControls }) => {
    const controls = Object.values(failingControls).reduce((n, c) => n + c, 0);
    const status = entry.status === 'not_scanned' ? `Not scanned: ${entry.reason ?? ''}` : 'Scanned';
    return (
      `<tr><td>${e(entry.id)}</td><td>${e(entry.name ?? '')}${entry.alias !== undefined ? `<div class="muted">alias ${e(entry.alias)}</div>` : ''}</td><td>${e(entry.path ?? '')}</td><td>${e(status)}</td>` +
      `<td class="num">${e(fail)}</td><td class="num">${e(failingBySeverity.critical)}</td><td class="num">${e(failingBySeverity.high)}</td>` +
      `<td class="num">${e(unknown)}</td><td class="num">${e(controls)}</td><td class="num">${e(entry.resourcesEvaluated)}</td></tr>`
    );
  });
  return [
    '<section id="accounts">',
    '<h2>Accounts</h2>',
    '<p class="muted">Worst first: most critical failing findings, then high, and so on. Failing controls are counted in every framework of the report. ' +
      'An account that was not scanned has every rule unknown.</p>',
    '<div class="table-wrap"><table id="account-table">',
    '<thead><tr><th>Account</th><th>Name</th><th>Organizational unit</th><th>Status</th><th class="num">Failing</th><th class="num">Critical</th>' +
      '<th class="num">High</th><th class="num">Unknown</th><th class="num">Failing controls</th><th class="num">Resources</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
    standings.length > MAX_ACCOUNT_ROWS ? `<p class="muted">${e(standings.length - MAX_ACCOUNT_ROWS)} more accounts are in the JSON report.</p>` : '',
    '</section>',
  ].join('\n');
}

function frameworksSection(frameworks: FrameworkRollup[]): string {
  if (frameworks.length === 0) {
    return '<section id="frameworks"><h2>Frameworks</h2><p class="muted">No framework was selected for this scan.</p></section>';
  }
  const overview = frameworks.map(
    (f) =>
      `<tr><td><a href="#framework-${e(f.id)}">${e(f.name)}</a></td><td class="num">${e(f.controls.length)}</td>` +
      CONTROL_STATUSES.map((st) => `<td class="num">${e(f.totals[st])}</td>`).join('') +
      '</tr>',
  );
  return [
    '<section id="frameworks">',
    '<h2>Frameworks</h2>',
    '<p class="muted">A control is failing when any active finding of its rules fails, unknown when none fails but some could not be decided, ' +
      'passing when its rules passed, not applicable when they found nothing to judge, and not assessed when no aigis rule evidences it ' +
      '(it needs evidence from outside this scan).</p>',
    '<div class="table-wrap overview"><table id="framework-overview">',
    '<thead><tr><th>Framework</th><th class="num">Controls</th>' +
      CONTROL_STATUSES.map((st) => `<th class="num">${e(STATUS_LABEL[st])}</th>`).join('') +
      '</tr></thead>',
    `<tbody>${overview.join('\n')}</tbody>`,
    '</table></div>',
    ...frameworks.map(frameworkBlock),
    '</section>',
  ].join('\n');
}

/** Failing and unknown controls first, in catalog order; the others collapsed behind their counts. */
function frameworkBlock(framework: FrameworkRollup): string {
  const total = framework.controls.length;
  const legend = CONTROL_STATUSES.map(
    (st) => `<span><span class="badge st-${st}">${e(STATUS_LABEL[st])}</span> ${e(framework.totals[st])}</span>`,
  ).join('');
  const row = (control: ControlRollup): string =>
    [
      '<tr>',
      `<td class="mono ctl-id"><a href="${e(controlHref(framework.id, control.id))}">${e(control.id)}</a></td>`,
      `<td>${e(control.title)}</td>`,
      `<td>${e(control.group ?? '')}</td>`,
      `<td><span class="badge st-${control.status}">${e(STATUS_LABEL[control.status])}</span></td>`,
      `<td>${control.rules.length ? control.rules.map((r) => `<a class="rule-id" href="${e(ruleHref(r))}">${e(r)}</a>`).join('<br>') : '<span class="muted">—</span>'}</td>`,
      ...VERDICTS.map((v) => `<td class="num">${e(control.counts[v])}</td>`),
      '</tr>',
    ].join('');
  const head =
    '<thead><tr><th>Control</th><th>Title</th><th>Group</th><th>Status</th><th>Rules</th>' +
    '<th class="num">Fail</th><th class="num">Unknown</th><th class="num">Pass</th><th class="num">N/A</th></tr></thead>';
  const table = (controls: ControlRollup[]): string => `<div class="table-wrap"><table>${head}<tbody>${controls.map(row).join('\n')}</tbody></table></div>`;
  const open = framework.controls.filter((c) => c.status === 'failing' || c.status === 'unknown');
  const rest = framework.controls.filter((c) => c.status !== 'failing' && c.status !== 'unknown');
  const restCounts = CONTROL_STATUSES.filter((st) => st !== 'failing' && st !== 'unknown' && framework.totals[st] > 0)
    .map((st) => `${framework.totals[st]} ${STATUS_LABEL[st].toLowerCase()}`)
    .join(', ');
  return [
    `<div class="framework" id="framework-${e(framework.id)}">`,
    `<h3>${e(framework.name)} <span class="muted">${e(framework.version)}</span></h3>`,
    `<div class="meta">${e(framework.id)} · ${e(total)} controls · ${referenceHtml(framework.url)}</div>`,
    statusBar(framework),
    `<div class="legend">${legend}</div>`,
    open.length ? table(open) : '<p class="muted">No failing or unknown control.</p>',
    rest.length ? `<details class="controls-rest"><summary>${e(`Other controls: ${restCounts}`)}</summary>${table(rest)}</details>` : '',
    '</div>',
  ].join('\n');
}

/** Stacked bar of control statuses, drawn with SVG attributes (the CSP forbids style attributes). */
function statusBar(framework: FrameworkRollup): string {
  const total = framework.controls.length;
  if (total === 0) return '';
  let x = 0;
  const rects: string[] = [];
  for (const st of CONTROL_STATUSES) {
    const n = framework.totals[st];
    if (n === 0) continue;
    const width = (n / total) * 100;
    rects.push(`<rect class="st-${st}" x="${round(x)}" y="0" width="${round(width)}" height="10"><title>${e(`${STATUS_LABEL[st]}: ${n}`)}</title></rect>`);
    x += width;
  }
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${e(
    CONTROL_STATUSES.map((st) => `${STATUS_LABEL[st]} ${framework.totals[st]}`).join(', '),
  )}">${rects.join('')}</svg>`;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

function findingsSection(result: ScanResult, model: HtmlModel, options: ReportOptions): string {
  const option = (value: string, label: string): string => `<option value="${e(value)}">${e(label)}</option>`;
  const n = model.table.length;
  const verdicts = options.passed === 'full' ? VERDICTS : VERDICTS.filter((v) => v === 'fail' || v === 'unknown');
  const filters = [
    // Hidden until the script runs: without JavaScript they could not work.
    '<div class="filters" id="filters" role="search" hidden>',
    `<label>Framework<select id="filter-framework">${option('', 'All frameworks')}${result.frameworks.map((f) => option(f.id, f.name)).join('')}</select></label>`,
    `<label>Severity<select id="filter-severity">${option('', 'All severities')}${SEVERITIES.map((s) => option(s, s)).join('')}</select></label>`,
    `<label>Service<select id="filter-service">${option('', 'All services')}${model.services.map((s) => option(s, s)).join('')}</select></label>`,
    `<label>Verdict<select id="filter-verdict">${option('', 'All verdicts')}${options.passed === 'full' ? option('open', 'Fail + unknown') : ''}${verdicts.map((v) => option(v, VERDICT_LABEL[v])).join('')}</select></label>`,
    `<label>AI<select id="filter-ai">${option('', 'All resources')}${option('ai', 'AI resources')}${option('other', 'Other resources')}</select></label>`,
    `<label>Suppressed<select id="filter-suppressed">${option('show', 'Include')}${option('hide', 'Exclude')}${option('only', 'Only suppressed')}</select></label>`,
    '<label>Search<input type="search" id="filter-text" placeholder="ARN, name, rule, message" autocomplete="off"></label>',
    '<button type="button" id="filter-reset">Reset</button>',
    '</div>',
  ].join('\n');
  const pages = Math.max(1, Math.ceil(n / HTML_PAGE_SIZE));
  const firstPage = model.table.slice(0, HTML_PAGE_SIZE);
  const passedCount = result.summary.byVerdict.pass + result.summary.byVerdict.not_applicable;
  const scope =
    options.passed === 'full'
      ? 'Every finding, failing first, then unknown, passing and not applicable.'
      : `Failing and unknown findings, most severe first. The ${passedCount} pass and not-applicable finding${passedCount === 1 ? ' is' : 's are'} ` +
        `counted per rule under <a href="#passed">Passed and not applicable</a>.`;
  const pager = [
    '<div class="pager" id="pager" hidden>',
    '<button type="button" id="page-first">First</button>',
    '<button type="button" id="page-prev">Previous</button>',
    `<label>Page <input type="number" id="page-number" min="1" max="${pages}" value="1"></label>`,
    '<button type="button" id="page-next">Next</button>',
    '<button type="button" id="page-last">Last</button>',
    '</div>',
  ].join('');
  return [
    '<section id="findings">',
    '<h2>Findings</h2>',
    `<p class="muted">${scope}</p>`,
    filters,
    n > HTML_PAGE_SIZE
      ? `<noscript><p class="note">JavaScript is off: this page shows the first ${HTML_PAGE_SIZE} of ${n} findings (failing and unknown first). ` +
        'Paging, filters and the lists of passing resources need JavaScript; the JSON report has every finding.</p></noscript>'
      : '<noscript><p class="note">JavaScript is off: filters and the lists of passing resources need it; every finding is shown below.</p></noscript>',
    `<p class="count-line"><strong id="visible-count">${pageCount(n, n)}</strong> <span class="muted" id="page-info">${pageInfo(0, n)}</span></p>`,
    pager,
    n === 0
      ? result.findings.length === 0
        ? '<div class="empty">The rules produced no findings: no resources of the evaluated types were found.</div>'
        : '<div class="empty">No failing or unknown findings.</div>'
      : [
          '<div class="table-wrap"><table id="findings-table">',
          '<thead><tr><th class="w-sev">Severity</th><th class="w-verdict">Verdict</th><th class="w-rule">Rule</th><th class="w-resource">Resource</th>' +
            '<th class="w-finding">Finding</th><th class="w-controls">Controls</th><th class="w-sup">Suppressed</th></tr></thead>',
          // The first page, rendered here so that the page shows it without JavaScript; the script
          // renders every page (this one included) from the data block.
          `<tbody id="findings-body">\n${firstPage.map((index, i) => findingRow(result.findings[index]!, i, model.rulesById.get(result.findings[index]!.ruleId))).join('\n')}\n</tbody>`,
          '</table></div>',
        ].join('\n'),
    '<div class="empty" id="no-match" hidden>No findings match these filters.</div>',
    '</section>',
    '',
  ].join('\n');
}

/** Same text as the page script's (REPORT_JS). */
function pageCount(matching: number, total: number): string {
  return `${matching} of ${total} findings`;
}

/** Same text as the page script's (REPORT_JS), for page `page` (from 0) of `matching` rows. */
function pageInfo(page: number, matching: number): string {
  if (matching === 0) return 'no rows';
  const pages = Math.ceil(matching / HTML_PAGE_SIZE);
  return `rows ${page * HTML_PAGE_SIZE + 1}–${Math.min(matching, (page + 1) * HTML_PAGE_SIZE)} · page ${page + 1} of ${pages}`;
}

/**
 * Pass and not-applicable findings per rule when they are not table rows (`--passed list|count`):
 * a count per rule, and with `list` a collapsed list of the resources, built by the script when opened.
 */
function passedSection(result: ScanResult, model: HtmlModel, options: ReportOptions): string {
  if (options.passed === 'full') return '';
  const groups = model.passed.filter((g): g is PassedGroup => g !== undefined);
  const { pass, not_applicable: notApplicable } = result.summary.byVerdict;
  const intro =
    `<p class="muted">${e(pass)} pass and ${e(notApplicable)} not-applicable finding${notApplicable === 1 ? '' : 's'}, per rule` +
    (options.passed === 'list'
      ? '. Open a rule to list its resources (needs JavaScript).'
      : ' (counts only: this report was written with <code>--passed count</code>; <code>--passed list</code> lists the resources).') +
    '</p>';
  if (groups.length === 0) {
    return ['<section id="passed">', '<h2>Passed and not applicable</h2>', intro, '</section>', ''].join('\n');
  }
  const rows = groups.map((group) => {
    const rule = model.rules[group.rule]!;
    const list =
      options.passed === 'list'
        ? `<details class="passed-list" data-rule="${group.rule}"><summary>Resources</summary><div class="body">` +
          '<p class="muted">The list is built by the page script; the JSON report has it too.</p></div></details>'
        : '';
    return (
      `<tr><td><a class="rule-id" href="${e(ruleHref(rule.id))}">${e(rule.id)}</a><div>${e(rule.title)}</div>${list}</td>` +
      `<td><span class="badge sev-${rule.severity}">${e(rule.severity)}</span></td>` +
      `<td class="num">${e(group.pass)}</td><td class="num">${e(group.notApplicable)}</td></tr>`
    );
  });
  return [
    '<section id="passed">',
    '<h2>Passed and not applicable</h2>',
    intro,
    `<details id="passed-details"><summary>${e(`${groups.length} rule${groups.length === 1 ? '' : 's'}: ${pass} pass, ${notApplicable} not applicable`)}</summary>`,
    '<div class="table-wrap"><table id="passed-table">',
    '<thead><tr><th>Rule</th><th>Severity</th><th class="num">Pass</th><th class="num">Not applicable</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
    '</details>',
    '</section>',
    '',
  ].join('\n');
}


function workloadLinks(model: HtmlModel): WorkloadLinks {
  return {
    resource: (arn) => {
      const index = model.resourceByArn.get(arn);
      return index !== undefined ? resourceHref(index) : undefined;
    },
    rule: ruleHref,
  };
}

function findingRow(finding: Finding, index: number, rule: ReportedRule | undefined): string {
  const r = finding.resource;
  const location = r.source ? sourceLocation(r.source) : undefined;
  const baseline =
    finding.baseline === 'new'
      ? ' <span class="badge new">new</span>'
      : finding.baseline === 'existing'
        ? ' <span class="badge existing">baseline</span>'
        : '';
  const controls = finding.controls.length ? controlLines(finding.controls) : '<span class="muted">—</span>';
  const suppressed = finding.suppression
    ? `<div class="suppressed"><span class="badge v-not_applicable">Suppressed</span><span class="why">${e(finding.suppression.reason)}</span>` +
      `<span class="muted">${e(finding.suppression.source)}${finding.suppression.expires ? ` · expires ${e(finding.suppression.expires)}` : ''}</span></div>`
    : '<span class="muted">No</span>';
  return [
    `<tr class="finding${finding.suppression ? ' sup' : ''}" id="finding-${index}">`,
    `<td><span class="badge sev-${finding.severity}">${e(finding.severity)}</span></td>`,
    `<td><span class="badge v-${finding.verdict}">${e(VERDICT_LABEL[finding.verdict])}</span>${baseline}</td>`,
    `<td><a class="rule-id" href="#rule-${e(finding.ruleId)}">${e(finding.ruleId)}</a><div>${e(finding.title)}</div></td>`,
    `<td>${r.name !== undefined ? `<div class="rname">${e(r.name)}</div>` : ''}<div class="arn">${e(r.arn)}</div>` +
      `<div class="muted">${e(r.type)} · ${e(r.region)}</div>${location ? `<div class="muted mono">${e(location)}</div>` : ''}` +
      `${finding.ai ? `<div class="ai-why">AI: ${e(finding.ai.join('; '))}</div>` : ''}</td>`,
    `<td><p class="msg">${e(finding.message)}</p>${findingDetails(finding, rule)}</td>`,
    `<td>${controls}</td>`,
    `<td>${suppressed}</td>`,
    '</tr>',
  ].join('');
}

/** One line per framework (`hipaa 164.312(a)(1) · 164.312(b)`): rules often map to many controls. */
function controlLines(controls: ControlRef[]): string {
  const byFramework = new Map<string, string[]>();
  for (const c of controls) byFramework.set(c.framework, [...(byFramework.get(c.framework) ?? []), c.controlId]);
  return [...byFramework]
    .map(
      ([framework, ids]) =>
        `<div class="ctl-line"><span class="fw">${e(framework)}</span> ${ids.map((id) => `<a class="cid" href="${e(controlHref(framework, id))}">${e(id)}</a>`).join(' · ')}</div>`,
    )
    .join('');
}

function findingDetails(finding: Finding, rule: ReportedRule | undefined): string {
  const parts: string[] = [];
  if (finding.evidence !== undefined) {
    parts.push(`<details><summary>Evidence</summary><div class="body">${evidenceTableHtml(finding.evidence)}</div></details>`);
  }
  // Remediation is printed where action is needed; passing findings link to the rule instead.
  if (rule && (finding.verdict === 'fail' || finding.verdict === 'unknown')) {
    parts.push(`<details><summary>Remediation</summary><div class="body">${remediation(rule, finding.property)}</div></details>`);
  }
  return parts.join('');
}

function remediation(rule: ReportedRule, property: string | undefined): string {
  const r = rule.remediation;
  const out: string[] = [];
  if (property) out.push(`<h4>Setting</h4><code>${e(property)}</code>`);
  if (r.console.length > 0) out.push(`<h4>Console</h4><ol class="steps">${r.console.map((step) => `<li>${e(step)}</li>`).join('')}</ol>`);
  if (r.cli.trim()) out.push(`<h4>AWS CLI</h4><pre><code>${e(r.cli.trimEnd())}</code></pre>`);
  if (r.cloudformation.trim()) out.push(`<h4>CloudFormation</h4><pre><code>${e(r.cloudformation.trimEnd())}</code></pre>`);
  if (r.terraform.trim()) out.push(`<h4>Terraform</h4><pre><code>${e(r.terraform.trimEnd())}</code></pre>`);
  return out.join('');
}

function* coverageSection(result: ScanResult): Generator<string> {
  const errors = result.coverage.collectionErrors;
  const unknown = result.summary.byVerdict.unknown;
  const intro =
    '<p>Settings aigis could not read are listed here. Checks that depend on them report <strong>unknown</strong>; they never pass silently. ' +
    `${e(unknown)} finding${unknown === 1 ? ' is' : 's are'} unknown.</p>`;
  if (errors.length === 0) {
    yield ['<section id="coverage">', '<h2>Coverage: what could not be read</h2>', intro, '<div class="ok">Every collection call succeeded.</div>', '</section>', ''].join(
      '\n',
    );
    return;
  }
  yield [
    '<section id="coverage">',
    '<h2>Coverage: what could not be read</h2>',
    intro,
    '<div class="table-wrap"><table id="coverage-table">',
    '<thead><tr><th>Service</th><th>Operation</th><th>Region</th><th>Resource</th><th>Error</th><th>Message</th></tr></thead>',
    '<tbody>',
  ].join('\n');
  for (let start = 0; start < errors.length; start += ROW_BATCH) {
    yield `${start > 0 ? '\n' : ''}${errors.slice(start, start + ROW_BATCH).map(errorRow).join('\n')}`;
  }
  yield ['</tbody>', '</table></div>', '</section>', ''].join('\n');
}

function errorRow(error: CollectionError): string {
  return [
    '<tr>',
    `<td class="nowrap">${e(error.service)}</td>`,
    `<td class="mono">${e(error.operation)}</td>`,
    `<td class="nowrap">${e(error.region ?? '—')}</td>`,
    `<td class="arn">${e(error.resource ?? '—')}</td>`,
    `<td class="mono">${e(error.errorCode)}</td>`,
    `<td>${e(error.message ?? '')}</td>`,
    '</tr>',
  ].join('');
}

function rulesSection(rules: ReportedRule[]): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const blocks = sorted.map((rule) =>
    [
      `<div class="rule" id="rule-${e(rule.id)}">`,
      `<h3><span class="badge sev-${rule.severity}">${e(rule.severity)}</span> <span class="rule-id">${e(rule.id)}</span> — ${e(rule.title)}</h3>`,
      `<p class="muted">Service: ${e(rule.service)} · Resource types: ${e(rule.resourceTypes.join(', '))} · <a href="${e(ruleHref(rule.id))}">its findings</a></p>`,
      `<p>${e(rule.description)}</p>`,
      `<p><strong>Why it matters.</strong> ${e(rule.rationale)}</p>`,
      rule.controls.length
        ? `<div class="rule-controls">${controlLines(rule.controls)}</div>`
        : '<p class="muted">Not mapped to a control of the selected frameworks.</p>',
      rule.references.length ? `<ul class="refs">${rule.references.map((ref) => `<li>${referenceHtml(ref)}</li>`).join('')}</ul>` : '',
      '</div>',
    ].join('\n'),
  );
  return [
    '<section id="rules">',
    '<h2>Rules</h2>',
    `<details id="rules-details"><summary>${e(`${sorted.length} rules: what each checks, why it matters and its references`)}</summary>`,
    ...blocks,
    '</details>',
    '</section>',
  ].join('\n');
}
