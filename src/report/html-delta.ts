/**
 * Scan-to-scan in the HTML report (`aigis scan --compare OLD.json`): the "Changes since the
 * previous scan" section, right after the summary. Every value from a report (file names, ARNs,
 * names, messages, control titles) is escaped with escapeHtml; classes only (the page's CSP
 * allows no inline style); bounded tables, the rest in the JSON report. DELTA_CSS is appended to
 * the page's stylesheet (html-assets.ts).
 */
import { CATEGORY_LABEL, CATEGORY_SHORT, DIFF_CATEGORIES, type DiffCategory, type DiffEntry, DIFF_STATE_WORDS, type ScanDelta } from '../engine/diff.js';
import { escapeHtml as e } from './html-escape.js';
import { controlHref, ruleHref } from './html-links.js';

/** Rows per table in the section. */
export const MAX_DELTA_ROWS = 200;

export const DELTA_CSS = `
#delta .card.delta-new, #delta .card.delta-regressed { border-top-color: var(--critical); }
#delta .card.delta-new .n, #delta .card.delta-regressed .n { color: var(--critical); }
#delta .card.delta-fixed { border-top-color: var(--pass); } #delta .card.delta-fixed .n { color: var(--pass); }
#delta .card.delta-suppressed, #delta .card.delta-stillFailing { border-top-color: var(--na); }
#delta .card.delta-unknownChanged { border-top-color: var(--unknown); }
.badge.delta-new, .badge.delta-regressed { color: var(--critical); background: var(--critical-bg); border-color: #efb9b9; }
.badge.delta-fixed { color: var(--pass); background: var(--pass-bg); border-color: #a9d8b8; }
.badge.delta-suppressed, .badge.delta-unknownChanged { color: var(--muted); background: #fff; border-color: var(--line); }
#delta .note { border-left: 3px solid var(--unknown); padding: 6px 10px; background: var(--card); }
`;

/** The section, or '' without a delta. */
export function deltaHtmlSection(delta: ScanDelta | undefined): string {
  if (!delta) return '';
  const c = delta.counts;
  const from = delta.previous.file !== undefined ? delta.previous.file : 'the previous report';
  const lead = `Compared with ${from}${delta.previous.reportVersion ? ` (report ${delta.previous.reportVersion})` : ''}: ${c.new} new, ${c.regressed} regressed, ${c.fixed} fixed, ${c.stillFailing} still failing.`;
  const cards = DIFF_CATEGORIES.map(
    (category) => `<div class="card delta-${category}" id="delta-${category}"><div class="n">${e(c[category])}</div><div class="l">${e(CATEGORY_LABEL[category])}</div></div>`,
  );
  const out = ['<section id="delta">', '<h2>Changes since the previous scan</h2>', `<p class="lead">${e(lead)}</p>`, `<div class="cards">${cards.join('')}</div>`];
  if (!delta.regressedKnown) {
    out.push(
      '<p class="note">The previous report counts its passing resources (--passed count) instead of listing them: a finding that passed before cannot be told from a new one, so regressed findings are counted as new.</p>',
    );
  }
  const worse = [...delta.findings.new.map((f) => ['new', f] as const), ...delta.findings.regressed.map((f) => ['regressed', f] as const)];
  out.push(`<div class="subhead">New and regressed findings (${e(worse.length)})</div>`);
  out.push(worse.length ? entryTable('delta-worse', worse) : '<p class="ok">No new or regressed finding.</p>');
  for (const category of ['fixed', 'suppressed', 'unknownChanged'] as const) {
    const list = delta.findings[category];
    if (!list.length) continue;
    out.push(`<details><summary>${e(`${CATEGORY_LABEL[category]} (${list.length})`)}</summary><div class="body">`, entryTable(`delta-${category}-table`, list.map((f) => [category, f] as const)), '</div></details>');
  }
  const changed = delta.controls.filter((k) => k.counts.new + k.counts.regressed + k.counts.fixed + k.counts.suppressed + k.counts.unknownChanged > 0);
  if (changed.length) {
    const rows = changed.slice(0, MAX_DELTA_ROWS).map(
      (k) =>
        `<tr><td>${e(k.frameworkName ?? k.framework)}</td><td><a href="${e(controlHref(k.framework, k.controlId))}">${e(k.controlId)}</a>${k.title !== undefined ? ` <span class="muted">${e(k.title)}</span>` : ''}</td>` +
        (['new', 'regressed', 'fixed', 'suppressed', 'stillFailing'] as const).map((cat) => `<td class="num">${e(k.counts[cat])}</td>`).join('') +
        '</tr>',
    );
    out.push(
      // Per control: collapsed, since a change to one resource touches every control of its rule.
      `<details id="delta-controls-details"><summary>${e(`Controls with changes (${changed.length})`)}</summary>`,
      '<div class="table-wrap"><table id="delta-controls">',
      '<thead><tr><th>Framework</th><th>Control</th><th class="num">New</th><th class="num">Regressed</th><th class="num">Fixed</th><th class="num">Suppressed since</th><th class="num">Still failing</th></tr></thead>',
      `<tbody>${rows.join('\n')}</tbody>`,
      '</table></div>',
      changed.length > MAX_DELTA_ROWS ? `<p class="muted">${e(changed.length - MAX_DELTA_ROWS)} more controls are in the JSON report.</p>` : '',
      '</details>',
    );
  }
  out.push('</section>');
  return out.filter(Boolean).join('\n');
}

function entryTable(id: string, rows: readonly (readonly [DiffCategory, DiffEntry])[]): string {
  const body = rows.slice(0, MAX_DELTA_ROWS).map(([category, f]) => {
    const resource = `${e(f.resource.name ?? f.resource.arn)}${f.resource.type !== undefined ? ` <span class="muted">${e(f.resource.type)}</span>` : ''}${f.resource.name !== undefined ? `<div class="arn">${e(f.resource.arn)}</div>` : ''}${f.account !== undefined ? `<div class="arn">account ${e(f.account)}</div>` : ''}`;
    return (
      `<tr><td><span class="badge delta-${category}">${e(CATEGORY_SHORT[category])}</span> <span class="muted">${e(`was ${DIFF_STATE_WORDS[f.from]}, now ${DIFF_STATE_WORDS[f.to]}`)}</span></td>` +
      `<td><span class="badge sev-${e(f.severity)}">${e(f.severity)}</span></td><td><a class="rule-id" href="${e(ruleHref(f.ruleId))}">${e(f.ruleId)}</a></td><td>${resource}</td><td>${e(f.message ?? '')}</td></tr>`
    );
  });
  return [
    `<div class="table-wrap"><table id="${e(id)}">`,
    '<thead><tr><th>Change</th><th>Severity</th><th>Rule</th><th>Resource</th><th>Finding</th></tr></thead>',
    `<tbody>${body.join('\n')}</tbody>`,
    '</table></div>',
    rows.length > MAX_DELTA_ROWS ? `<p class="muted">${e(rows.length - MAX_DELTA_ROWS)} more are in the JSON report.</p>` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
