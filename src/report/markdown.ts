/**
 * Markdown summary for a pull-request comment or a GitHub job summary ($GITHUB_STEP_SUMMARY):
 * totals, failing controls per framework, the failing findings (only the new ones up front when
 * a baseline was given), unknowns, suppressions and expired suppressions.
 *
 * Every string that comes from the scanned inventory (resource names, ARNs, messages, reasons)
 * is attacker-controlled in a pull request, so it is escaped for both Markdown and HTML: it can
 * neither break the table, nor inject links/images/HTML, nor @-mention people, nor carry
 * terminal control sequences or bidi overrides into a log that prints the file.
 *
 * Pure and deterministic: no clock, no environment; order follows the engine's sorted findings.
 */
import { accountStandings, failingAccountsByControl } from '../engine/accounts.js';
import type { ScanResult } from '../engine/scan.js';
import { EXPIRED_EVIDENCE_KEY } from '../engine/suppressions.js';
import { workloadFindings } from '../engine/workload-findings.js';
import { SEVERITIES, type Finding } from '../engine/types.js';
import { aliasSuffix, auditMetadataMarkdown } from './audit-metadata.js';
import { escapeControls } from './inert.js';
import type { ReportOptions } from './options.js';
import { deltaMarkdown } from './markdown-delta.js';

/** Rows per table: keeps a comment well under GitHub's 65,536-character limit. */
export const MAX_ROWS = 50;

/** Longest cell or inline value, in characters of input (a comment must stay under 65,536 characters). */
export const MAX_CELL = 1000;

/**
 * Escapes text for a GFM paragraph or table cell: newlines flattened, control, bidi and
 * invisible characters shown as visible escapes (`\x1b`, `\u{202e}`), length bounded, the
 * inline syntax characters backslash-escaped (with `[` and `]` escaped no link or image can
 * form, so `(`, `)` and `!` are harmless), HTML metacharacters as entities, a zero-width space
 * after `@` so that `@org/team` cannot notify anyone (an entity such as `&#64;` is decoded before
 * GitHub looks for mentions), and one inside `://` and `www.` so that no URL is autolinked.
 */
export function escapeMarkdown(text: string): string {
  return escapeControls(text.replace(/\r\n?|\n/g, ' '), MAX_CELL)
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@&#8203;')
    .replace(/:\/\//g, ':&#8203;//')
    .replace(/\b(www)\./gi, '$1&#8203;.');
}

const e = escapeMarkdown;

function ruleLink(result: ScanResult, ruleId: string): string {
  const base = result.tool.informationUri.replace(/\/+$/, '');
  return `[${e(ruleId)}](${base}/blob/main/docs/rules.md#${encodeURIComponent(ruleId)})`;
}

function resourceCell(finding: Finding): string {
  const { resource } = finding;
  const source = resource.source;
  if (source?.logicalId !== undefined) {
    const property = finding.property !== undefined ? source.properties?.[finding.property] : undefined;
    const line = property?.line ?? source.line;
    const file = property?.file ?? source.file;
    return `${e(source.logicalId)} (${e(resource.type)})<br>${e(file)}${line !== undefined ? `:${line}` : ''}`;
  }
  return `${e(resource.name ?? resource.arn)} (${e(resource.type)})${resource.name !== undefined ? `<br>${e(resource.arn)}` : ''}${aiNote(finding)}`;
}

/** "AI: training data of training job X (+2 more)": why the resource matters to the AI estate. */
function aiNote(finding: Finding): string {
  const reasons = finding.ai;
  if (!reasons?.length) return '';
  return `<br>AI: ${e(reasons[0]!)}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}`;
}

/** One line per AI workload: what it is and what it uses, bounded like the tables. */
/** Worst first, each with the active failing and unknown findings on it and on what it uses (src/engine/workload-findings.ts). */
function workloadLines(result: ScanResult): string[] {
  const lines = workloadFindings(result)
    .slice(0, MAX_ROWS)
    .map(({ workload: w, bySeverity, unknown }) => {
      const uses = w.uses.slice(0, 12).map((u) => `${e(u.relation)}: ${e(u.resource)}`);
      const more = w.uses.length > 12 ? `; … ${w.uses.length - 12} more` : '';
      const counts = [...SEVERITIES.filter((s) => bySeverity[s] > 0).map((s) => `${bySeverity[s]} ${s}`), ...(unknown > 0 ? [`${unknown} unknown`] : [])];
      return `- **${e(w.name)}** (${e(w.type)}, ${e(w.region)})${counts.length ? `: ${counts.join(', ')}` : ': no failing findings'}${uses.length ? ` → ${uses.join('; ')}${more}` : ''}`;
    });
  if (result.aiWorkloads.length > MAX_ROWS) lines.push('', `… and ${result.aiWorkloads.length - MAX_ROWS} more (see the JSON report).`);
  return lines;
}

function findingsTable(result: ScanResult, findings: Finding[], withBaseline: boolean): string[] {
  const lines = ['| Severity | Rule | Resource | Finding |', '| --- | --- | --- | --- |'];
  for (const f of findings.slice(0, MAX_ROWS)) {
    const expired = f.evidence?.[EXPIRED_EVIDENCE_KEY] as { expires?: string } | undefined;
    const notes = [
      withBaseline && f.baseline === 'existing' ? 'existing' : '',
      expired?.expires ? `suppression expired on ${e(expired.expires)}` : '',
    ].filter(Boolean);
    lines.push(
      `| ${f.severity}${notes.length ? ` (${notes.join(', ')})` : ''} | ${ruleLink(result, f.ruleId)} | ${resourceCell(f)} | ${e(f.message)} |`,
    );
  }
  if (findings.length > MAX_ROWS) lines.push('', `… and ${findings.length - MAX_ROWS} more (see the SARIF or JSON report).`);
  return lines;
}

function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

export function renderMarkdown(result: ScanResult, options?: Pick<ReportOptions, 'timestamp'>): string {
  const { summary } = result;
  const hasBaseline = summary.newFailing !== undefined;
  const active = result.findings.filter((f) => f.suppression === undefined);
  const failing = active.filter((f) => f.verdict === 'fail');
  const unknown = active.filter((f) => f.verdict === 'unknown');
  const suppressed = result.findings.filter((f) => f.suppression !== undefined);
  const expired = active.filter((f) => f.evidence?.[EXPIRED_EVIDENCE_KEY] !== undefined);
  const newFailing = failing.filter((f) => f.baseline === 'new');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

  const out: string[] = ['## aigis compliance scan', ''];
  const headline = failing.length
    ? `**${plural(failing.length, 'failing finding')}**${hasBaseline ? ` (${summary.newFailing} new since the baseline)` : ''}`
    : '**No failing findings**';
  out.push(
    `${headline} on ${plural(summary.resourcesEvaluated, 'resource')} · ${summary.byVerdict.unknown} unknown · ${summary.byVerdict.pass} passing · ${summary.suppressed} suppressed`,
    '',
    `${result.accounts ? `${result.accounts.length} accounts` : `Account ${e(result.account.id)}${aliasSuffix(result.account.alias, e)}`} (${e(result.account.partition)})${result.inputs.length ? ` · scanned ${result.inputs.map(e).join(', ')}` : ''} · ${e(result.tool.name)} ${e(result.tool.version)}${options?.timestamp !== undefined ? ` · as of ${e(options.timestamp)}` : ''}`,
    '',
    ...auditMetadataMarkdown(result, e),
  );

  out.push(hasBaseline ? '| Severity | Failing | New |' : '| Severity | Failing |', hasBaseline ? '| --- | ---: | ---: |' : '| --- | ---: |');
  for (const s of SEVERITIES) {
    const n = summary.failingBySeverity[s];
    out.push(hasBaseline ? `| ${s} | ${n} | ${newFailing.filter((f) => f.severity === s).length} |` : `| ${s} | ${n} |`);
  }
  out.push('');

  out.push(...deltaMarkdown(result.delta));
  if (result.accounts) out.push(...accountsTable(result));

  if (result.frameworks.length) {
    out.push('### Controls', '', '| Framework | Failing | Unknown | Passing | Not applicable | Not assessed |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const fw of result.frameworks) {
      const t = fw.totals;
      const notSelected = fw.controls.filter((c) => c.notSelected).length;
      const notAssessed = notSelected ? `${t.not_assessed} (${notSelected}: rules not selected in this run)` : `${t.not_assessed}`;
      out.push(`| ${e(fw.name)} | ${t.failing} | ${t.unknown} | ${t.passing} | ${t.not_applicable} | ${notAssessed} |`);
    }
    out.push('');
    const failingControls = result.frameworks.filter((fw) => fw.totals.failing > 0);
    if (failingControls.length) {
      out.push('Failing controls:', '');
      for (const fw of failingControls) {
        const controls = fw.controls.filter((c) => c.status === 'failing').map((c) => `${e(c.id)} ${e(c.title)}`);
        out.push(`- **${e(fw.name)}**: ${controls.join('; ')}`);
      }
      out.push('');
      if (result.accounts) out.push(...details('Accounts failing each control', controlAccountsTable(result)), '');
    }
  }

  if (result.aiWorkloads.length) {
    const scopeNote = result.scope === 'ai' ? ' (findings narrowed to AI resources and account-wide controls)' : '';
    out.push(...details(`AI workloads (${result.aiWorkloads.length})${scopeNote}`, workloadLines(result)), '');
  }

  if (hasBaseline) {
    out.push(`### New failing findings (${newFailing.length})`, '');
    out.push(...(newFailing.length ? findingsTable(result, newFailing, false) : ['None: this change introduces no failing finding.']), '');
    const existing = failing.filter((f) => f.baseline !== 'new');
    if (existing.length) out.push(...details(`Failing findings already in the baseline (${existing.length})`, findingsTable(result, existing, false)), '');
  } else if (failing.length) {
    out.push(`### Failing findings (${failing.length})`, '', ...findingsTable(result, failing, false), '');
  }

  if (unknown.length) {
    out.push(
      ...details(
        `Unknown: could not be decided from the input (${unknown.length})`,
        findingsTable(result, unknown, hasBaseline),
      ),
      '',
    );
  }

  if (expired.length) {
    out.push(`### Expired suppressions (${expired.length})`, '', '| Rule | Resource | Expired on | Reason |', '| --- | --- | --- | --- |');
    for (const f of expired.slice(0, MAX_ROWS)) {
      const note = f.evidence?.[EXPIRED_EVIDENCE_KEY] as { expires?: string; reason?: string };
      out.push(`| ${ruleLink(result, f.ruleId)} | ${resourceCell(f)} | ${e(note.expires ?? '')} | ${e(note.reason ?? '')} |`);
    }
    out.push('');
  }

  if (suppressed.length) {
    const body = ['| Rule | Resource | Reason | Expires | Declared in |', '| --- | --- | --- | --- | --- |'];
    for (const f of suppressed.slice(0, MAX_ROWS)) {
      const s = f.suppression!;
      body.push(`| ${ruleLink(result, f.ruleId)} | ${resourceCell(f)} | ${e(s.reason)} | ${e(s.expires ?? 'never')} | ${e(s.source)} |`);
    }
    if (suppressed.length > MAX_ROWS) body.push('', `… and ${suppressed.length - MAX_ROWS} more.`);
    out.push(...details(`Suppressed (${suppressed.length})`, body), '');
  }

  const errors = result.coverage.collectionErrors.length;
  if (errors) out.push(`${plural(errors, 'collection error')}: affected verdicts are unknown (see the JSON report).`, '');
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** A multi-account scan: each account with what fails there, worst first. */
function accountsTable(result: ScanResult): string[] {
  const standings = accountStandings(result);
  const out = ['### Accounts', '', '| Account | Name | Organizational unit | Failing | Critical | High | Unknown | Resources |', '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const { entry, fail, unknown, failingBySeverity } of standings.slice(0, MAX_ROWS)) {
    const failing = entry.status === 'not_scanned' ? `not scanned: ${e(entry.reason ?? '')}` : `${fail}`;
    out.push(
      `| ${e(entry.id)} | ${e(entry.name ?? '')}${entry.alias !== undefined ? ` (alias ${e(entry.alias)})` : ''} | ${e(entry.path ?? '')} | ${failing} | ${failingBySeverity.critical} | ${failingBySeverity.high} | ${unknown} | ${entry.resourcesEvaluated} |`,
    );
  }
  if (standings.length > MAX_ROWS) out.push('', `${standings.length - MAX_ROWS} more accounts are in the JSON report.`);
  out.push('');
  return out;
}

const MAX_ACCOUNTS_PER_CONTROL = 10;

/** Each failing control with the accounts it fails in (most failing resources first). */
function controlAccountsTable(result: ScanResult): string[] {
  const byControl = failingAccountsByControl(result);
  const out = ['| Framework | Control | Accounts (failing resources) |', '| --- | --- | --- |'];
  let rows = 0;
  for (const fw of result.frameworks) {
    for (const [controlId, accounts] of byControl.get(fw.id) ?? []) {
      if (rows++ >= MAX_ROWS) break;
      const shown = accounts.slice(0, MAX_ACCOUNTS_PER_CONTROL).map((a) => `${e(a.account)} (${a.resources})`);
      const more = accounts.length > MAX_ACCOUNTS_PER_CONTROL ? ` and ${accounts.length - MAX_ACCOUNTS_PER_CONTROL} more` : '';
      out.push(`| ${e(fw.name)} | ${e(controlId)} | ${shown.join(', ')}${more} |`);
    }
  }
  return out;
}
