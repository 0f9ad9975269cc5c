/**
 * Scan-to-scan in Markdown: the "Changes since the previous scan" section of the scan's Markdown
 * report (`aigis scan --compare`) and the body of `aigis diff`'s aigis-diff.md. Every value from
 * a report (file names, ARNs, names, messages, control titles) goes through escapeMarkdown.
 * Bounded like the scan's tables (MAX_ROWS rows each); deterministic (the delta is sorted).
 */
import { CATEGORY_LABEL, DIFF_CATEGORIES, type DiffCategory, type DiffEntry, DIFF_STATE_WORDS, type ScanDelta } from '../engine/diff.js';
import { MAX_ROWS, escapeMarkdown as e } from './markdown.js';

/** `3 new, 1 regressed, ...`: the counts in words. */
export function deltaCountsText(delta: ScanDelta): string {
  const c = delta.counts;
  return [
    `${c.new} new`,
    `${c.regressed} regressed`,
    `${c.fixed} fixed`,
    `${c.suppressed} suppressed since`,
    `${c.stillFailing} still failing`,
    `${c.unknownChanged} unknown change${c.unknownChanged === 1 ? '' : 's'}`,
  ].join(', ');
}

/** Why regressed may read 0: the previous report counted its passing resources. */
export const REGRESSED_UNKNOWN_NOTE =
  'The previous report counts its passing resources (`--passed count`) instead of listing them: a finding that passed before cannot be told from a new one, so regressed findings are counted as new.';

/**
 * The section for the scan's Markdown report; nothing without a delta. `level` is the heading
 * level of the section (`###` in the scan report).
 */
export function deltaMarkdown(delta: ScanDelta | undefined, level = 3): string[] {
  if (!delta) return [];
  const h = '#'.repeat(level);
  const from = delta.previous.file !== undefined ? e(delta.previous.file) : 'the previous report';
  return [`${h} Changes since the previous scan`, '', `Compared with ${from}${delta.previous.reportVersion ? ` (report ${e(delta.previous.reportVersion)})` : ''}.`, '', ...deltaBody(delta, level + 1)];
}

/** The counts, the controls with changes and the changed findings, under `level` headings. */
export function deltaBody(delta: ScanDelta, level: number): string[] {
  const h = '#'.repeat(level);
  const c = delta.counts;
  const out: string[] = [];
  out.push('| Change | Findings |', '| --- | ---: |');
  for (const category of DIFF_CATEGORIES) out.push(`| ${CATEGORY_LABEL[category]} | ${c[category]} |`);
  out.push('');
  if (!delta.regressedKnown) out.push(`> ${REGRESSED_UNKNOWN_NOTE}`, '');

  const changed = delta.controls.filter((k) => k.counts.new + k.counts.regressed + k.counts.fixed + k.counts.suppressed + k.counts.unknownChanged > 0);
  if (changed.length) {
    out.push(`${h} Controls with changes (${changed.length})`, '', '| Framework | Control | New | Regressed | Fixed | Suppressed since | Still failing |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const k of changed.slice(0, MAX_ROWS)) {
      out.push(
        `| ${e(k.frameworkName ?? k.framework)} | ${e(k.controlId)}${k.title !== undefined ? ` ${e(k.title)}` : ''} | ${k.counts.new} | ${k.counts.regressed} | ${k.counts.fixed} | ${k.counts.suppressed} | ${k.counts.stillFailing} |`,
      );
    }
    if (changed.length > MAX_ROWS) out.push('', `… and ${changed.length - MAX_ROWS} more controls (see the JSON).`);
    out.push('');
  }

  const worse = [...delta.findings.new.map((f) => ['new', f] as const), ...delta.findings.regressed.map((f) => ['regressed', f] as const)];
  out.push(`${h} New and regressed findings (${worse.length})`, '');
  out.push(...(worse.length ? entryTable(worse) : ['None.']), '');
  for (const category of ['fixed', 'suppressed', 'unknownChanged'] as const satisfies readonly DiffCategory[]) {
    const list = delta.findings[category];
    if (!list.length) continue;
    out.push('<details>', `<summary>${CATEGORY_LABEL[category]} (${list.length})</summary>`, '', ...entryTable(list.map((f) => [category, f] as const)), '', '</details>', '');
  }
  while (out[out.length - 1] === '') out.pop();
  out.push('');
  return out;
}

function entryTable(rows: readonly (readonly [DiffCategory, DiffEntry])[]): string[] {
  const out = ['| Change | Severity | Rule | Resource | Finding |', '| --- | --- | --- | --- | --- |'];
  for (const [category, f] of rows.slice(0, MAX_ROWS)) {
    const change = `${category === 'unknownChanged' ? 'unknown' : category === 'stillFailing' ? 'still failing' : category}: ${DIFF_STATE_WORDS[f.from]} → ${DIFF_STATE_WORDS[f.to]}`;
    const resource = `${e(f.resource.name ?? f.resource.arn)}${f.resource.type !== undefined ? ` (${e(f.resource.type)})` : ''}${f.resource.name !== undefined ? `<br>${e(f.resource.arn)}` : ''}${f.account !== undefined ? `<br>account ${e(f.account)}` : ''}`;
    out.push(`| ${change} | ${f.severity} | ${e(f.ruleId)} | ${resource} | ${e(f.message ?? '')} |`);
  }
  if (rows.length > MAX_ROWS) out.push('', `… and ${rows.length - MAX_ROWS} more (see the JSON).`);
  return out;
}

/** aigis-diff.md: `aigis diff OLD NEW` as a Markdown document (a pull-request comment, a job summary). */
export function renderDiffMarkdown(delta: ScanDelta, tool: { name: string; version: string }): string {
  const previous = delta.previous.file ?? 'previous';
  const current = delta.current.file ?? 'current';
  const out = [
    '## aigis diff',
    '',
    `${e(previous)}${delta.previous.reportVersion ? ` (report ${e(delta.previous.reportVersion)})` : ''} → ${e(current)}${delta.current.reportVersion ? ` (report ${e(delta.current.reportVersion)})` : ''} · ${e(tool.name)} ${e(tool.version)}`,
    '',
    `**${deltaCountsText(delta)}**`,
    '',
    ...deltaBody(delta, 3),
  ];
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
