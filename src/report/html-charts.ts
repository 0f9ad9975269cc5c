/**
 * Charts for the HTML report, drawn here as inline SVG from the ScanResult: no script, nothing
 * fetched, no style attributes (the page's Content-Security-Policy allows neither), only SVG
 * presentation attributes and the classes styled by CHART_CSS.
 *
 * - per framework, its controls by status;
 * - per framework, the share of resources passing per control family (ControlRollup.group), so a
 *   family with one failing bucket out of forty and one where everything fails look different;
 * - failing findings by severity and by service;
 * - in an organization scan, the accounts with the most failing controls.
 *
 * Every chart is a `<figure>` whose svg has role="img", a <title> and a <desc>, followed by a table
 * with the same numbers (its text equivalent). Colours step in lightness so that they read in grey
 * scale, the unknown status is hatched, the lightest categories are outlined, and every bar is
 * labelled in text: no meaning depends on hue. Names (frameworks, families and services can come
 * from user-supplied catalogs and custom rules) are escaped and shortened in the drawing, in full
 * in the tables. Sizes are bounded: at most MAX_CHART_FRAMEWORKS frameworks, MAX_CHART_FAMILIES
 * families per framework, MAX_CHART_SERVICES services and MAX_CHART_ACCOUNTS accounts are drawn,
 * and the rest is counted. Pure and deterministic.
 */
import { accountStandings } from '../engine/accounts.js';
import { isActive, type ControlStatus, type FrameworkRollup, type ScanResult } from '../engine/scan.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { escapeHtml as e } from './html-escape.js';

export const MAX_CHART_FRAMEWORKS = 20;
export const MAX_CHART_FAMILIES = 30;
export const MAX_CHART_SERVICES = 12;
export const MAX_CHART_ACCOUNTS = 20;

export const CHART_STATUSES: readonly ControlStatus[] = ['failing', 'unknown', 'passing', 'not_applicable', 'not_assessed'];

/** How one category is painted. */
export interface ChartColour {
  label: string;
  fill: string;
  /** Stripes over the fill (a hatch pattern), when any. */
  hatch?: string;
  /** Outline, for the lightest fills (they would vanish on white). */
  stroke?: string;
  /** Colour of a number printed on the fill. */
  text: string;
}

const INK = '#1d2733';
const WHITE = '#ffffff';
const OUTLINE = '#8a96a3';

/**
 * Darkest (failing) to lightest (not assessed): each step at least 1.5:1 in luminance contrast
 * from the next, so the order survives a grey-scale print. Unknown is hatched as well.
 */
export const STATUS_COLOURS: Record<ControlStatus, ChartColour> = {
  failing: { label: 'Failing', fill: '#8f1d1d', text: WHITE },
  unknown: { label: 'Unknown', fill: '#8a62cc', hatch: '#6a43ad', text: WHITE },
  passing: { label: 'Passing', fill: '#3f9e62', text: INK },
  not_applicable: { label: 'Not applicable', fill: '#b9c1ca', text: INK },
  not_assessed: { label: 'Not assessed', fill: '#eef1f4', stroke: OUTLINE, text: INK },
};

/** Critical darkest to info lightest; every bar is also labelled with its severity. */
export const SEVERITY_COLOURS: Record<Severity, ChartColour> = {
  critical: { label: 'critical', fill: '#7f1d1d', text: WHITE },
  high: { label: 'high', fill: '#b5470f', text: WHITE },
  medium: { label: 'medium', fill: '#d38b1a', text: INK },
  low: { label: 'low', fill: '#a9c8ee', text: INK },
  info: { label: 'info', fill: '#e8ecf1', stroke: OUTLINE, text: INK },
};

/** The hatch's stripe width out of its period (see paint): for the mean luminance in tests. */
export const HATCH_SHARE = 1 / 3;
const HATCH_PERIOD = 6;

export const CHART_CSS = `
#charts .chart-intro { margin: 0 0 12px; }
#charts .chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 0 16px; align-items: start; }
figure.chart { margin: 0 0 16px; background: var(--card, #fff); border: 1px solid var(--line, #d9e0e8); border-radius: 8px; padding: 12px 16px; min-width: 0; }
figure.chart figcaption { font-weight: 650; margin: 0 0 4px; }
figure.chart figcaption a { font-weight: 650; }
#charts .chart-note { font-size: 12.5px; color: var(--muted, #5b6b7c); margin: 0 0 6px; }
svg.chart-svg { display: block; max-width: 100%; height: auto; }
svg.chart-svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 13px; }
svg.chart-svg text:not(.seg) { fill: var(--ink, #1d2733); }
svg.chart-svg text.seg { font-size: 11.5px; font-weight: 650; }
svg.chart-svg text.val { fill: var(--muted, #5b6b7c); font-variant-numeric: tabular-nums; }
svg.chart-svg line.axis { stroke: var(--line, #d9e0e8); }
ul.chart-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; margin: 0 0 6px; padding: 0; font-size: 12.5px; }
ul.chart-legend svg { vertical-align: -2px; margin-right: 5px; }
details.chart-data table { font-size: 12.5px; }
details.chart-data caption { text-align: left; font-size: 12.5px; color: var(--muted, #5b6b7c); padding: 4px 10px; }
@media print { details.chart-data { display: none; } figure.chart { break-inside: avoid; } }
`;

/** The charts section; empty when there is nothing to draw (no framework and no finding). */
export function chartsSection(result: ScanResult): string {
  const frameworks = result.frameworks.slice(0, MAX_CHART_FRAMEWORKS);
  const moreFrameworks = result.frameworks.length - frameworks.length;
  const figures: string[] = [];
  if (frameworks.length > 0) figures.push(statusFigure(frameworks, moreFrameworks));
  figures.push(`<div class="chart-grid">${severityFigure(result)}${serviceFigure(result)}</div>`);
  if (frameworks.length > 0) {
    const families = familyShares(result);
    figures.push(
      '<h3>Resources passing per control family</h3>',
      '<p class="chart-note">' +
        e(
          'For each control family: the distinct resources (by ARN) that a rule of the family’s controls judged pass, fail or unknown, ' +
            'and of those, how many had every such judgement pass (passing), at least one fail (failing), or none fail but at least one ' +
            'unknown (unknown). Not-applicable and suppressed findings are left out. A family whose controls no aigis rule evidences has ' +
            'no resources judged.',
        ) +
        '</p>',
      `<div class="chart-grid">${families.map((f, i) => familyFigure(f, i)).join('')}</div>`,
    );
  }
  if (result.accounts) figures.push(accountsFigure(result));
  return ['<section id="charts">', '<h2>Charts</h2>', ...figures, '</section>'].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Layout

interface Layout {
  width: number;
  /** Characters of a row label before it is shortened. */
  labelChars: number;
  barX: number;
  barWidth: number;
  valueX: number;
}

const WIDE: Layout = { width: 1000, labelChars: 46, barX: 330, barWidth: 500, valueX: 842 };
const NARROW: Layout = { width: 620, labelChars: 29, barX: 210, barWidth: 250, valueX: 470 };
const ROW = 28;
const BAR = 18;
const TOP = 6;

function rowY(i: number): number {
  return TOP + i * ROW;
}

function svgHeight(rows: number): number {
  return TOP * 2 + Math.max(1, rows) * ROW - (ROW - BAR);
}

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** A row label cut to `max` characters (code points), with an ellipsis. */
function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' '));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * A filled box; a hatched colour gets vertical stripes, drawn as one dashed line as thick as the
 * box (a pattern would need a `url(#id)` reference, which the report never writes).
 */
function paint(colour: ChartColour, x: number, y: number, width: number, height: number, title?: string): string {
  const tip = title !== undefined ? `<title>${e(title)}</title>` : '';
  const box = `<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" fill="${colour.fill}"${strokeOf(colour)}>${tip}</rect>`;
  if (!colour.hatch) return box;
  const stripe = num(HATCH_PERIOD * HATCH_SHARE);
  const gap = num(HATCH_PERIOD - HATCH_PERIOD * HATCH_SHARE);
  return (
    box +
    `<line x1="${num(x)}" y1="${num(y + height / 2)}" x2="${num(x + width)}" y2="${num(y + height / 2)}" stroke="${colour.hatch}" ` +
    `stroke-width="${num(height)}" stroke-dasharray="${stripe} ${gap}" aria-hidden="true">${tip}</line>`
  );
}

function strokeOf(colour: ChartColour): string {
  return colour.stroke ? ` stroke="${colour.stroke}" stroke-width="1"` : '';
}

/** An svg chart: role img, named by its <title>, described by its <desc>. */
function svg(chartId: string, layout: Layout, rows: number, title: string, desc: string, body: string): string {
  const height = svgHeight(rows);
  return (
    `<svg class="chart-svg" id="${chartId}-svg" role="img" aria-labelledby="${chartId}-title" aria-describedby="${chartId}-desc" ` +
    `width="${layout.width}" height="${height}" viewBox="0 0 ${layout.width} ${height}">` +
    `<title id="${chartId}-title">${e(title)}</title><desc id="${chartId}-desc">${e(desc)}</desc>${body}</svg>`
  );
}

function rowLabel(layout: Layout, i: number, text: string): string {
  const short = clip(text, layout.labelChars);
  // The full text as a tooltip when shortened.
  const tip = short === text ? '' : `<title>${e(text)}</title>`;
  return `<text x="0" y="${num(rowY(i) + BAR / 2 + 4.5)}">${tip}${e(short)}</text>`;
}

function valueLabel(x: number, i: number, text: string): string {
  return `<text class="val" x="${num(x)}" y="${num(rowY(i) + BAR / 2 + 4.5)}">${e(text)}</text>`;
}

interface Segment {
  n: number;
  colour: ChartColour;
  title: string;
}

/** One stacked bar, full width = `total`; each segment wide enough for its count shows it. */
function stackedBar(layout: Layout, i: number, segments: Segment[], total: number): string {
  const y = rowY(i);
  if (total === 0) {
    const empty = STATUS_COLOURS.not_assessed;
    return `<rect x="${layout.barX}" y="${y}" width="${layout.barWidth}" height="${BAR}" fill="${empty.fill}"${strokeOf(empty)} stroke-dasharray="4 3"/>`;
  }
  const out: string[] = [];
  let before = 0;
  for (const segment of segments) {
    if (segment.n <= 0) continue;
    const x0 = layout.barX + (before / total) * layout.barWidth;
    before += segment.n;
    const x1 = layout.barX + (before / total) * layout.barWidth;
    const width = x1 - x0;
    out.push(paint(segment.colour, x0, y, width, BAR, segment.title));
    const label = String(segment.n);
    if (width >= label.length * 7.5 + 6) {
      out.push(
        `<text class="seg" x="${num(x0 + width / 2)}" y="${num(y + BAR / 2 + 4)}" text-anchor="middle" fill="${segment.colour.text}" aria-hidden="true">${e(label)}</text>`,
      );
    }
  }
  return out.join('');
}

/** One plain bar of `n` out of `max` (bar charts of counts), its count after it. */
function countBar(layout: Layout, i: number, n: number, max: number, colour: ChartColour, title: string, value = String(n)): string {
  const width = max > 0 ? (n / max) * layout.barWidth : 0;
  const y = rowY(i);
  const bar =
    n > 0
      ? paint(colour, layout.barX, y, Math.max(width, 2), BAR, title)
      : '';
  return bar + valueLabel(layout.barX + Math.max(width, 2) + 8, i, value);
}

function axis(layout: Layout, rows: number): string {
  return `<line class="axis" x1="${layout.barX - 0.5}" y1="${TOP - 3}" x2="${layout.barX - 0.5}" y2="${svgHeight(rows) - TOP + 3}"/>`;
}

/** The colour key (the tables carry the same meaning for assistive technology, so it is hidden from it). */
function legend(entries: ChartColour[]): string {
  const items = entries.map(
    (colour) => `<li><svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">${paint(colour, 0.5, 0.5, 13, 13)}</svg>${e(colour.label)}</li>`,
  );
  return `<ul class="chart-legend" aria-hidden="true">${items.join('')}</ul>`;
}

function dataTable(chartId: string, caption: string, head: string[], rows: (string | number)[][], numeric: boolean[]): string {
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''} scope="col">${e(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${e(cell)}</th>` : `<td${numeric[i] ? ' class="num"' : ''}>${e(cell)}</td>`)).join('')}</tr>`)
    .join('');
  return (
    `<details class="chart-data"><summary>Table: ${e(caption)}</summary><div class="table-wrap"><table id="${chartId}-table">` +
    `<caption>${e(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div></details>`
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `part` of `whole` as a whole percentage, never rounded up to 100% nor down to 0%. */
export function sharePercent(part: number, whole: number): string {
  if (whole === 0) return '—';
  if (part === whole) return '100%';
  if (part === 0) return '0%';
  const p = Math.floor((part * 100) / whole);
  return p === 0 ? '<1%' : `${p}%`;
}

// ---------------------------------------------------------------------------------------------
// Controls by status

function statusFigure(frameworks: FrameworkRollup[], more: number): string {
  const id = 'chart-status';
  const body = frameworks.map((f, i) => {
    const total = f.controls.length;
    const segments = CHART_STATUSES.map((st) => ({
      n: f.totals[st],
      colour: STATUS_COLOURS[st],
      title: `${f.name}: ${STATUS_COLOURS[st].label} ${f.totals[st]} of ${total} controls`,
    }));
    return rowLabel(WIDE, i, f.name) + stackedBar(WIDE, i, segments, total) + valueLabel(WIDE.valueX, i, plural(total, 'control'));
  });
  const title = 'Controls by status, per framework';
  const desc =
    frameworks.map((f) => `${f.name}: ${CHART_STATUSES.map((st) => `${f.totals[st]} ${STATUS_COLOURS[st].label.toLowerCase()}`).join(', ')}`).join('; ') +
    '. The same numbers are in the table below the chart.';
  const rows = frameworks.map((f) => [f.name, f.controls.length, ...CHART_STATUSES.map((st) => f.totals[st])]);
  return [
    `<figure class="chart" id="${id}">`,
    `<figcaption>${e(title)}</figcaption>`,
    '<p class="chart-note">Each bar is one framework’s controls, from failing to not assessed; a control fails when any active finding of its rules fails.</p>',
    legend(CHART_STATUSES.map((st) => STATUS_COLOURS[st])),
    svg(id, WIDE, frameworks.length, title, desc, body.join('')),
    more > 0 ? `<p class="chart-note">${e(`${plural(more, 'more framework')} not drawn; the Frameworks section lists every one.`)}</p>` : '',
    dataTable(id, title, ['Framework', 'Controls', ...CHART_STATUSES.map((st) => STATUS_COLOURS[st].label)], rows, [false, true, true, true, true, true, true]),
    '</figure>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Failing findings by severity and by service

function severityFigure(result: ScanResult): string {
  const id = 'chart-severity';
  const counts = result.summary.failingBySeverity;
  const max = Math.max(0, ...SEVERITIES.map((s) => counts[s]));
  const body = SEVERITIES.map(
    (s, i) => rowLabel(NARROW, i, s) + countBar(NARROW, i, counts[s], max, SEVERITY_COLOURS[s], `${s}: ${plural(counts[s], 'failing finding')}`),
  );
  const title = 'Failing findings by severity';
  const desc = `${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')} (suppressed findings excluded). The same numbers are in the table below the chart.`;
  return [
    `<figure class="chart" id="${id}">`,
    `<figcaption>${e(title)}</figcaption>`,
    '<p class="chart-note">Active failing findings (suppressed ones excluded).</p>',
    svg(id, NARROW, SEVERITIES.length, title, desc, axis(NARROW, SEVERITIES.length) + body.join('')),
    dataTable(
      id,
      title,
      ['Severity', 'Failing findings'],
      SEVERITIES.map((s) => [s, counts[s]]),
      [false, true],
    ),
    '</figure>',
  ].join('\n');
}

/** Active failing findings per service, most first (then by name). */
export function failingByService(result: ScanResult): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of result.findings) {
    if (f.verdict !== 'fail' || !isActive(f)) continue;
    counts.set(f.service, (counts.get(f.service) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function serviceFigure(result: ScanResult): string {
  const id = 'chart-service';
  const all = failingByService(result);
  // One service over the cap is drawn rather than called "1 other service".
  const cap = all.length > MAX_CHART_SERVICES + 1 ? MAX_CHART_SERVICES : all.length;
  const shown = all.slice(0, cap);
  const rest = all.slice(cap);
  const rows: [string, number][] = [...shown];
  if (rest.length > 0) rows.push([`${plural(rest.length, 'other service')}`, rest.reduce((n, [, c]) => n + c, 0)]);
  const max = Math.max(0, ...rows.map(([, n]) => n));
  const colour: ChartColour = { ...STATUS_COLOURS.failing, label: 'Failing findings' };
  const body = rows.map(([service, n], i) => rowLabel(NARROW, i, service) + countBar(NARROW, i, n, max, colour, `${service}: ${plural(n, 'failing finding')}`));
  const title = 'Failing findings by service';
  const desc =
    rows.length === 0
      ? 'No active failing findings.'
      : `${rows.map(([s, n]) => `${s}: ${n}`).join(', ')} (suppressed findings excluded). The same numbers are in the table below the chart.`;
  return [
    `<figure class="chart" id="${id}">`,
    `<figcaption>${e(title)}</figcaption>`,
    `<p class="chart-note">${e(rows.length === 0 ? 'No active failing findings.' : 'Active failing findings per service of the rule that found them, most first.')}</p>`,
    svg(id, NARROW, rows.length, title, desc, axis(NARROW, rows.length) + body.join('')),
    dataTable(id, title, ['Service', 'Failing findings'], rows, [false, true]),
    '</figure>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Resources passing per control family

export interface FamilyShare {
  /** The family (ControlRollup.group); `(no family)` for controls without one, `All controls` when none has one. */
  family: string;
  controls: number;
  /** Distinct resources (by ARN) a rule of the family's controls judged pass, fail or unknown. */
  resources: number;
  /** Of those: at least one fail. */
  fail: number;
  /** No fail, at least one unknown. */
  unknown: number;
  /** Every judgement passed. */
  pass: number;
}

export interface FrameworkFamilies {
  framework: FrameworkRollup;
  families: FamilyShare[];
  /** Families over MAX_CHART_FAMILIES, not counted. */
  more: number;
}

const NO_FAMILY = '(no family)';
const ALL_CONTROLS = 'All controls';
const STATE_PASS = 1;
const STATE_UNKNOWN = 2;
const STATE_FAIL = 3;

/**
 * Per framework (the first MAX_CHART_FRAMEWORKS), per control family in catalog order (the first
 * MAX_CHART_FAMILIES), the distinct resources its controls' rules judged and how they fared. One
 * pass over the findings, then per family one pass over its rules' judgements.
 */
export function familyShares(result: ScanResult): FrameworkFamilies[] {
  const plans = result.frameworks.slice(0, MAX_CHART_FRAMEWORKS).map((framework) => {
    const grouped = framework.controls.some((c) => c.group !== undefined);
    const byFamily = new Map<string, { controls: number; rules: Set<string> }>();
    for (const control of framework.controls) {
      const family = grouped ? (control.group ?? NO_FAMILY) : ALL_CONTROLS;
      let entry = byFamily.get(family);
      if (!entry) byFamily.set(family, (entry = { controls: 0, rules: new Set() }));
      entry.controls++;
      for (const rule of control.rules) entry.rules.add(rule);
    }
    const families = [...byFamily];
    return { framework, families: families.slice(0, MAX_CHART_FAMILIES), more: Math.max(0, families.length - MAX_CHART_FAMILIES) };
  });

  // Per rule, its judgements as resource index * 4 + state.
  const judged = new Map<string, number[]>();
  for (const plan of plans) for (const [, family] of plan.families) for (const rule of family.rules) if (!judged.has(rule)) judged.set(rule, []);
  const resourceIndex = new Map<string, number>();
  const add = (list: number[], arn: string, state: number): void => {
    let index = resourceIndex.get(arn);
    if (index === undefined) resourceIndex.set(arn, (index = resourceIndex.size));
    list.push(index * 4 + state);
  };
  const findings = result.findings;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (f.verdict === 'not_applicable' || !isActive(f)) continue;
    const list = judged.get(f.ruleId);
    if (list) add(list, f.resource.arn, f.verdict === 'fail' ? STATE_FAIL : f.verdict === 'unknown' ? STATE_UNKNOWN : STATE_PASS);
  }
  for (const group of result.passed ?? []) {
    const list = judged.get(group.ruleId);
    if (list) for (const ref of group.pass) add(list, ref.arn, STATE_PASS);
  }

  const worst = new Uint8Array(resourceIndex.size);
  const touched: number[] = [];
  return plans.map(({ framework, families, more }) => ({
    framework,
    more,
    families: families.map(([family, { controls, rules }]): FamilyShare => {
      for (const rule of rules) {
        for (const entry of judged.get(rule) ?? []) {
          const index = Math.floor(entry / 4);
          const state = entry % 4;
          if (worst[index] === 0) touched.push(index);
          if (state > worst[index]!) worst[index] = state;
        }
      }
      const share: FamilyShare = { family, controls, resources: touched.length, fail: 0, unknown: 0, pass: 0 };
      for (const index of touched) {
        const state = worst[index];
        if (state === STATE_FAIL) share.fail++;
        else if (state === STATE_UNKNOWN) share.unknown++;
        else share.pass++;
        worst[index] = 0;
      }
      touched.length = 0;
      return share;
    }),
  }));
}

function familyFigure({ framework, families, more }: FrameworkFamilies, n: number): string {
  const id = `chart-families-${n}`;
  const body = families.map((f, i) => {
    const segments: Segment[] = [
      { n: f.fail, colour: STATUS_COLOURS.failing, title: `${f.family}: ${f.fail} of ${f.resources} resources failing` },
      { n: f.unknown, colour: STATUS_COLOURS.unknown, title: `${f.family}: ${f.unknown} of ${f.resources} resources unknown` },
      { n: f.pass, colour: STATUS_COLOURS.passing, title: `${f.family}: ${f.pass} of ${f.resources} resources passing` },
    ];
    const value = f.resources === 0 ? 'no resources judged' : `${sharePercent(f.pass, f.resources)} pass · ${f.pass}/${f.resources}`;
    return rowLabel(NARROW, i, f.family) + stackedBar(NARROW, i, segments, f.resources) + valueLabel(NARROW.valueX, i, value);
  });
  const title = `${framework.name}: resources passing per control family`;
  const desc =
    families
      .map((f) =>
        f.resources === 0
          ? `${f.family}: no resources judged`
          : `${f.family}: ${f.pass} of ${f.resources} resources passing (${sharePercent(f.pass, f.resources)}), ${f.fail} failing, ${f.unknown} unknown`,
      )
      .join('; ') + '. The same numbers are in the table below the chart.';
  const rows = families.map((f) => [f.family, f.controls, f.resources, f.fail, f.unknown, f.pass, sharePercent(f.pass, f.resources)]);
  return [
    `<figure class="chart" id="${id}">`,
    `<figcaption><a href="#framework-${e(framework.id)}">${e(framework.name)}</a></figcaption>`,
    n === 0 ? legend([STATUS_COLOURS.failing, STATUS_COLOURS.unknown, STATUS_COLOURS.passing]) : '',
    families.length === 0
      ? '<p class="chart-note">This framework has no controls.</p>'
      : svg(id, NARROW, families.length, title, desc, body.join('')),
    more > 0 ? `<p class="chart-note">${e(`${plural(more, 'more family', 'more families')} not drawn; the framework’s table lists every control.`)}</p>` : '',
    dataTable(
      id,
      title,
      ['Control family', 'Controls', 'Resources judged', 'Failing', 'Unknown', 'Passing', 'Passing share'],
      rows,
      [false, true, true, true, true, true, true],
    ),
    '</figure>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Accounts by failing controls

function accountsFigure(result: ScanResult): string {
  const id = 'chart-accounts';
  const standings = accountStandings(result)
    .map((s) => ({
      entry: s.entry,
      controls: Object.values(s.failingControls).reduce((n, c) => n + c, 0),
    }))
    .sort((a, b) => b.controls - a.controls || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0));
  const shown = standings.slice(0, MAX_CHART_ACCOUNTS);
  const more = standings.length - shown.length;
  // Against every control of the report's frameworks: a full bar is an account failing everything.
  const controls = result.frameworks.reduce((n, f) => n + f.controls.length, 0);
  const max = Math.max(controls, ...shown.map((s) => s.controls));
  const label = (s: (typeof shown)[number]): string =>
    `${s.entry.id}${s.entry.name ? ` ${s.entry.name}` : ''}${s.entry.status === 'not_scanned' ? ' (not scanned)' : ''}`;
  const colour: ChartColour = { ...STATUS_COLOURS.failing, label: 'Failing controls' };
  const body = shown.map((s, i) => rowLabel(WIDE, i, label(s)) + countBar(WIDE, i, s.controls, max, colour, `${label(s)}: ${s.controls} of ${controls} controls failing`, `${s.controls} of ${controls}`));
  const title = `Accounts by failing controls${more > 0 ? ` (top ${shown.length} of ${standings.length})` : ''}`;
  const desc = `${shown.map((s) => `${label(s)}: ${s.controls}`).join(', ')}${more > 0 ? `, and ${plural(more, 'more account')}` : ''}. The same numbers are in the table below the chart.`;
  return [
    `<figure class="chart" id="${id}">`,
    `<figcaption>${e(title)}</figcaption>`,
    `<p class="chart-note">Failing controls of each account, out of the ${e(controls)} controls of the report’s frameworks (a control of two frameworks counts twice), most first. ` +
      'An account that was not scanned has no failing control: every rule is unknown there.</p>',
    svg(id, WIDE, shown.length, title, desc, axis(WIDE, shown.length) + body.join('')),
    more > 0 ? `<p class="chart-note">${e(`And ${plural(more, 'more account')}: the Accounts section lists every one.`)}</p>` : '',
    dataTable(
      id,
      title,
      ['Account', 'Name', 'Failing controls'],
      shown.map((s) => [s.entry.id + (s.entry.status === 'not_scanned' ? ' (not scanned)' : ''), s.entry.name ?? '', s.controls]),
      [false, false, true],
    ),
    '</figure>',
  ].join('\n');
}
