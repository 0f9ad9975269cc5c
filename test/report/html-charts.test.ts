/**
 * The HTML report's charts (src/report/html-charts.ts): the numbers drawn and the numbers in each
 * chart's table are the ScanResult's (checked against counts made here independently, on the
 * hand-built result and on the demo through the CLI); hostile names stay text; the palette steps
 * in lightness so that it reads in grey scale; the output is deterministic and bounded.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineAccountScans } from '../../src/engine/accounts.js';
import type { Framework } from '../../src/engine/frameworks.js';
import { compareFindings, rollupFrameworks, summarize, type PassedGroup, type ScanResult } from '../../src/engine/scan.js';
import { SEVERITIES, type Finding } from '../../src/engine/types.js';
import {
  CHART_CSS,
  CHART_STATUSES,
  HATCH_SHARE,
  MAX_CHART_ACCOUNTS,
  MAX_CHART_FAMILIES,
  MAX_CHART_SERVICES,
  SEVERITY_COLOURS,
  STATUS_COLOURS,
  chartsSection,
  familyShares,
  sharePercent,
  type ChartColour,
} from '../../src/report/html-charts.js';
import { REPORT_CSS } from '../../src/report/html-assets.js';
import { renderHtml } from '../../src/report/html.js';
import { FRAMEWORKS, HOSTILE_IMG, HOSTILE_SCRIPT, RULE_METAS, buildFindings, buildScanResult } from '../fixtures-report/scan-result.js';
import { runCli, tempDir } from '../helpers/cli.js';

// ---------------------------------------------------------------------------------------------
// Reading the output

function unescape(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');
}

/** The body rows of the table with this id, as the texts of their cells. */
function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`<table id="${id}">`);
  expect(start, `table ${id}`).toBeGreaterThanOrEqual(0);
  const body = html.slice(html.indexOf('<tbody>', start) + 7, html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) => unescape(cell[1]!)));
}

/** The svg with this id. */
function svgOf(html: string, id: string): string {
  const start = html.indexOf(`<svg class="chart-svg" id="${id}-svg"`);
  expect(start, `svg ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</svg>', start) + 6);
}

/** The <title> texts of the bars (the svg's own title first). */
function titles(svg: string): string[] {
  return [...svg.matchAll(/<title[^>]*>(.*?)<\/title>/g)].map((m) => unescape(m[1]!));
}

/** The numbers printed at the end of the bars of a count chart (class val). */
function values(svg: string): string[] {
  return [...svg.matchAll(/<text class="val"[^>]*>(.*?)<\/text>/g)].map((m) => unescape(m[1]!));
}

// ---------------------------------------------------------------------------------------------
// Independent counts

interface Judgement {
  ruleId: string;
  arn: string;
  verdict: Finding['verdict'];
}

function judgementsOf(result: ScanResult): Judgement[] {
  const out: Judgement[] = result.findings.filter((f) => f.suppression === undefined).map((f) => ({ ruleId: f.ruleId, arn: f.resource.arn, verdict: f.verdict }));
  for (const g of result.passed ?? []) for (const r of g.pass) out.push({ ruleId: g.ruleId, arn: r.arn, verdict: 'pass' });
  return out;
}

/** Per framework, per family in catalog order: [family, controls, resources, fail, unknown, pass], by sets. */
function expectedFamilies(frameworks: { controls: { group?: string; rules: string[] }[] }[], judgements: Judgement[]): (string | number)[][][] {
  return frameworks.map((framework) => {
    const grouped = framework.controls.some((c) => c.group !== undefined);
    const families = new Map<string, { controls: number; rules: Set<string> }>();
    for (const c of framework.controls) {
      const name = grouped ? (c.group ?? '(no family)') : 'All controls';
      const entry = families.get(name) ?? { controls: 0, rules: new Set<string>() };
      entry.controls++;
      for (const r of c.rules) entry.rules.add(r);
      families.set(name, entry);
    }
    return [...families].map(([name, { controls, rules }]) => {
      const judged = judgements.filter((j) => rules.has(j.ruleId) && j.verdict !== 'not_applicable');
      const arns = new Set(judged.map((j) => j.arn));
      const failing = new Set(judged.filter((j) => j.verdict === 'fail').map((j) => j.arn));
      const unknown = new Set(judged.filter((j) => j.verdict === 'unknown' && !failing.has(j.arn)).map((j) => j.arn));
      return [name, controls, arns.size, failing.size, unknown.size, arns.size - failing.size - unknown.size];
    });
  });
}

function failingByService(findings: { verdict: string; service: string; suppression?: unknown }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) if (f.verdict === 'fail' && f.suppression === undefined) counts.set(f.service, (counts.get(f.service) ?? 0) + 1);
  return counts;
}

function statusRows(frameworks: ScanResult['frameworks']): string[][] {
  return frameworks.map((f) => [f.name, String(f.controls.length), ...CHART_STATUSES.map((st) => String(f.totals[st]))]);
}

/** Every chart's svg is role img, named and described by ids that exist, and followed by its table. */
function expectAccessible(html: string): void {
  const ids = [...html.matchAll(/<figure class="chart" id="([^"]+)">/g)].map((m) => m[1]!);
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) {
    const svg = svgOf(html, id);
    expect(svg).toMatch(new RegExp(`^<svg class="chart-svg" id="${id}-svg" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc"`));
    expect(svg).toContain(`<title id="${id}-title">`);
    expect(svg).toContain(`<desc id="${id}-desc">`);
    expect(html).toContain(`<table id="${id}-table">`);
  }
}

// ---------------------------------------------------------------------------------------------

describe('charts of the hand-built scan result', () => {
  const result = buildScanResult();
  const html = chartsSection(result);

  it('is one section, right after the summary in the page, with its CSS in the page stylesheet', () => {
    expect(html.startsWith('<section id="charts">')).toBe(true);
    expect(html.endsWith('</section>')).toBe(true);
    const page = renderHtml(result);
    expect(page).toContain(html);
    expect(page.indexOf('<section id="charts">')).toBeGreaterThan(page.indexOf('<section id="summary">'));
    expect(page.indexOf('<section id="charts">')).toBeLessThan(page.indexOf('<section id="frameworks">'));
    expect(REPORT_CSS.endsWith(CHART_CSS)).toBe(true);
    // The CSP allows neither style attributes nor references the report could load.
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|url\(|<script|<img|<link|href="(?!#)/i);
    expectAccessible(html);
  });

  it('draws each framework’s controls by status with the rollup’s numbers, in the svg and in the table', () => {
    expect(tableRows(html, 'chart-status-table')).toEqual(statusRows(result.frameworks));
    const bars = titles(svgOf(html, 'chart-status'));
    for (const f of result.frameworks) {
      for (const st of CHART_STATUSES) {
        const title = `${f.name}: ${STATUS_COLOURS[st].label} ${f.totals[st]} of ${f.controls.length} controls`;
        // A status with no control draws no segment.
        expect(bars.includes(title)).toBe(f.totals[st] > 0);
      }
    }
  });

  it('draws failing findings by severity (suppressed excluded) and by service', () => {
    const bySeverity = result.summary.failingBySeverity;
    expect(tableRows(html, 'chart-severity-table')).toEqual(SEVERITIES.map((s) => [s, String(bySeverity[s])]));
    expect(values(svgOf(html, 'chart-severity'))).toEqual(SEVERITIES.map((s) => String(bySeverity[s])));

    const services = [...failingByService(result.findings)].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    // The suppressed cloudtrail failure is not counted.
    expect(services).toEqual([
      ['s3', 3],
      ['iam', 1],
    ]);
    expect(tableRows(html, 'chart-service-table')).toEqual(services.map(([s, n]) => [s, String(n)]));
    expect(values(svgOf(html, 'chart-service'))).toEqual(services.map(([, n]) => String(n)));
    const total = SEVERITIES.reduce((n, s) => n + bySeverity[s], 0);
    expect(services.reduce((n, [, c]) => n + c, 0)).toBe(total);
  });

  it('counts distinct resources passing per control family, as stated', () => {
    const expected = expectedFamilies(result.frameworks, judgementsOf(result));
    result.frameworks.forEach((f, i) => {
      const rows = tableRows(html, `chart-families-${i}-table`);
      expect(rows).toEqual(expected[i]!.map((row) => [...row.map(String), sharePercent(row[5] as number, row[2] as number)]));
    });
    // By hand: NIST Access Control = AC-3 (s3-block-public-access: training-data fails,
    // model-artifacts passes, the hostile bucket is not judged by it) and AC-6 (ml-pipeline fails).
    expect(tableRows(html, 'chart-families-0-table')[0]).toEqual(['Access Control', '2', '3', '2', '0', '1', '33%']);
    // The suppressed CloudTrail failure leaves Audit and Accountability with the unknown Bedrock config only.
    expect(tableRows(html, 'chart-families-0-table')[1]).toEqual(['Audit and Accountability', '1', '1', '0', '1', '0', '0%']);
    const svg = svgOf(html, 'chart-families-0');
    expect(titles(svg)).toContain('Access Control: 2 of 3 resources failing');
    expect(titles(svg)).toContain('Access Control: 1 of 3 resources passing');
    expect(values(svg)[0]).toBe('33% pass · 1/3');
  });

  it('gives the same family counts when passing results are kept apart (ScanResult.passed)', () => {
    const findings = buildFindings();
    const open = findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown');
    const byRule = new Map<string, PassedGroup>();
    for (const f of findings) {
      if (f.verdict !== 'pass' && f.verdict !== 'not_applicable') continue;
      const g = byRule.get(f.ruleId) ?? { ruleId: f.ruleId, pass: [], notApplicable: [] };
      (f.verdict === 'pass' ? g.pass : g.notApplicable).push(f.resource);
      byRule.set(f.ruleId, g);
    }
    const passed = [...byRule.values()];
    const apart = buildScanResult({ findings: open, passed, summary: summarize(open, undefined, passed) });
    expect(familyShares(apart)).toEqual(familyShares(result));
  });

  it('is deterministic', () => {
    expect(chartsSection(buildScanResult())).toBe(html);
    expect(renderHtml(buildScanResult())).toBe(renderHtml(buildScanResult()));
  });

  it('words shares without rounding a gap away', () => {
    expect(sharePercent(0, 0)).toBe('—');
    expect(sharePercent(999, 1000)).toBe('99%');
    expect(sharePercent(1, 1000)).toBe('<1%');
    expect(sharePercent(5, 5)).toBe('100%');
    expect(sharePercent(0, 5)).toBe('0%');
  });
});

describe('hostile names', () => {
  const HOSTILE_SERVICE = '<svg/onload=alert(1)>';
  const frameworks: Framework[] = [
    {
      id: `x"><img src=x onerror=alert(2)>`,
      name: HOSTILE_SCRIPT,
      version: HOSTILE_IMG,
      url: 'javascript:alert(3)',
      controls: [
        { id: '<b>1</b>', title: HOSTILE_IMG, group: HOSTILE_IMG, rules: ['s3-block-public-access'] },
        { id: '2', title: 't', group: `${'A very long family name '.repeat(10)}${HOSTILE_SCRIPT}`, rules: ['iam-no-wildcard-admin'] },
      ],
    },
  ];
  const findings = buildFindings().map((f) => (f.ruleId === 'iam-no-wildcard-admin' ? { ...f, service: HOSTILE_SERVICE } : f));
  const result = buildScanResult({
    findings,
    frameworks: rollupFrameworks(frameworks, findings, new Set(RULE_METAS.map((r) => r.id))),
  });
  const html = chartsSection(result);

  it('prints them as text only: every tag is one the charts write', () => {
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    const allowed = ['section', 'h2', 'h3', 'p', 'figure', 'figcaption', 'ul', 'li', 'svg', 'rect', 'line', 'text', 'title', 'desc', 'details', 'summary', 'div', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'a'];
    expect([...tags].filter((t) => !allowed.includes(t))).toEqual([]);
    // No raw `<` outside those tags, so the attributes are all inside the tags: none is a handler.
    // Attribute values are quoted and escaped (no raw `"` inside): what is left are the names.
    const tagTexts = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0].replace(/="[^"]*"/g, '=""'));
    expect(tagTexts.filter((t) => /\son[a-z]+\s*=|\sstyle=/i.test(t))).toEqual([]);
    expect(html).toContain('&lt;svg/onload=alert(1)&gt;');
    expect(html).toContain(`&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;`);
  });

  it('keeps the full names in the tables and shortens the long ones in the drawing', () => {
    const rows = tableRows(html, 'chart-families-0-table');
    expect(rows.map((r) => r[0])).toEqual(frameworks[0]!.controls.map((c) => c.group));
    expect(tableRows(html, 'chart-service-table').map((r) => r[0])).toContain(HOSTILE_SERVICE);
    const svg = svgOf(html, 'chart-families-0');
    expect(svg).toContain('>A very long family name A ve…</text>');
    expect(tableRows(html, 'chart-status-table')[0]![0]).toBe(HOSTILE_SCRIPT);
  });
});

describe('bounded size', () => {
  it('draws at most MAX_CHART_SERVICES services and adds the rest up', () => {
    const base = buildFindings().find((f) => f.verdict === 'fail' && f.suppression === undefined)!;
    const findings: Finding[] = [];
    for (let s = 0; s < 40; s++) for (let n = 0; n <= s % 5; n++) findings.push({ ...base, service: `svc-${String(s).padStart(2, '0')}`, resource: { ...base.resource, arn: `${base.resource.arn}-${s}-${n}` } });
    findings.sort(compareFindings);
    const html = chartsSection(buildScanResult({ findings, summary: summarize(findings) }));
    const rows = tableRows(html, 'chart-service-table');
    expect(rows).toHaveLength(MAX_CHART_SERVICES + 1);
    expect(rows.at(-1)![0]).toBe(`${40 - MAX_CHART_SERVICES} other services`);
    expect(rows.reduce((n, r) => n + Number(r[1]), 0)).toBe(findings.length);
    // Most first, ties by name.
    expect(rows[0]).toEqual(['svc-04', '5']);
    expect(rows[1]).toEqual(['svc-09', '5']);
  });

  it('draws at most MAX_CHART_FAMILIES families of a framework and says how many more', () => {
    const framework: Framework = {
      id: 'many',
      name: 'Many families',
      version: '1',
      url: 'https://example.com',
      controls: Array.from({ length: 45 }, (_, i) => ({ id: `C-${i}`, title: `Control ${i}`, group: `Family ${i}`, rules: ['s3-block-public-access'] })),
    };
    const result = buildScanResult({ frameworks: rollupFrameworks([framework], buildFindings(), new Set(RULE_METAS.map((r) => r.id))) });
    const html = chartsSection(result);
    expect(tableRows(html, 'chart-families-0-table')).toHaveLength(MAX_CHART_FAMILIES);
    expect(html).toContain(`${45 - MAX_CHART_FAMILIES} more families not drawn`);
  });
});

describe('organization scan: accounts by failing controls', () => {
  function accountScan(id: string): ScanResult {
    const findings = buildFindings().map((f) => ({ ...f, resource: { ...f.resource, arn: f.resource.arn.replace('123456789012', id) } }));
    return buildScanResult({ account: { id, partition: 'aws' }, findings });
  }

  it('lists the top accounts, most failing controls first, with the accounts table’s count', () => {
    const scans = Array.from({ length: MAX_CHART_ACCOUNTS + 4 }, (_, i) => {
      const scan = accountScan(String(100000000000 + i));
      // Fewer failures in some accounts: only the first i % 4 failing rules kept.
      const failing = [...new Set(scan.findings.filter((f) => f.verdict === 'fail').map((f) => f.ruleId))].sort().slice(0, i % 4);
      scan.findings = scan.findings.filter((f) => f.verdict !== 'fail' || failing.includes(f.ruleId));
      return scan;
    });
    const result = combineAccountScans(scans, [{ id: '999999999999', partition: 'aws', name: HOSTILE_IMG, reason: 'AccessDenied' }], {
      tool: buildScanResult().tool,
      rules: buildScanResult().rules,
      frameworks: FRAMEWORKS,
    });
    const html = chartsSection(result);
    expectAccessible(html);
    const page = renderHtml(result);
    // The accounts table's "Failing controls" column, by account.
    const accountRows = tableRows(page.replace('<table id="account-table">', '<table id="accounts-x">'), 'accounts-x');
    const failingControls = new Map(accountRows.map((r) => [r[0]!, Number(r[8])]));
    const expected = [...failingControls].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_CHART_ACCOUNTS);
    const rows = tableRows(html, 'chart-accounts-table');
    expect(rows.map((r) => [r[0]!.replace(' (not scanned)', ''), Number(r[2])])).toEqual(expected);
    const controls = result.frameworks.reduce((n, f) => n + f.controls.length, 0);
    expect(rows.map((r) => `${r[2]} of ${controls}`)).toEqual(values(svgOf(html, 'chart-accounts')));
    expect(html).toContain(`And ${result.accounts!.length - MAX_CHART_ACCOUNTS} more accounts`);
    expect(expected[0]![1]).toBeGreaterThan(expected.at(-1)![1]);
  });
});

describe('grey scale', () => {
  const channel = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (hex: string): number => {
    const n = Number.parseInt(hex.slice(1), 16);
    return 0.2126 * channel(n >> 16) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  };
  /** What the eye averages over a hatched fill. */
  const effective = (c: ChartColour): number => (c.hatch ? (1 - HATCH_SHARE) * luminance(c.fill) + HATCH_SHARE * luminance(c.hatch) : luminance(c.fill));
  const contrast = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

  it('steps the control statuses from dark to light, each at least 1.4:1 from the next', () => {
    const steps = CHART_STATUSES.map((st) => effective(STATUS_COLOURS[st]));
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]!, CHART_STATUSES[i]).toBeGreaterThan(steps[i - 1]!);
      expect(contrast(steps[i]!, steps[i - 1]!), `${CHART_STATUSES[i - 1]} / ${CHART_STATUSES[i]}`).toBeGreaterThanOrEqual(1.4);
    }
    // The hatch is a second cue; the lightest is outlined so that it shows on white.
    expect(STATUS_COLOURS.unknown.hatch).toBeDefined();
    expect(STATUS_COLOURS.not_assessed.stroke).toBeDefined();
  });

  it('steps the severities from dark (critical) to light (info), each at least 1.4:1 from the next', () => {
    const steps = SEVERITIES.map((s) => effective(SEVERITY_COLOURS[s]));
    for (let i = 1; i < steps.length; i++) {
      expect(contrast(steps[i]!, steps[i - 1]!), `${SEVERITIES[i - 1]} / ${SEVERITIES[i]}`).toBeGreaterThanOrEqual(1.4);
      expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
    }
  });

  it('prints counts on a bar in a colour that reads on it (at least 3:1)', () => {
    for (const st of CHART_STATUSES) {
      const c = STATUS_COLOURS[st];
      const darkest = Math.min(luminance(c.fill), c.hatch ? luminance(c.hatch) : 1);
      const lightest = Math.max(luminance(c.fill), c.hatch ? luminance(c.hatch) : 0);
      const text = luminance(c.text);
      expect(Math.min(contrast(text, darkest), contrast(text, lightest)), st).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('the demo through the CLI', () => {
  it('charts the numbers of the JSON report of the same scan', async () => {
    const dir = tempDir();
    const run = await runCli(['scan', '--demo', '-f', 'html,json', '-o', 'out', '--fail-on', 'none'], dir);
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'out', 'aigis-report.html'), 'utf8');
    const report = JSON.parse(readFileSync(path.join(dir, 'out', 'aigis-report.json'), 'utf8'));
    expectAccessible(html);

    expect(tableRows(html, 'chart-status-table')).toEqual(statusRows(report.frameworks));
    expect(tableRows(html, 'chart-severity-table')).toEqual(SEVERITIES.map((s) => [s, String(report.summary.failingBySeverity[s])]));

    const serviceOf = new Map<string, string>(report.rules.map((r: { id: string; service: string }) => [r.id, r.service]));
    const services = [...failingByService(report.findings.map((f: Finding) => ({ ...f, service: serviceOf.get(f.ruleId)! })))].sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
    );
    const capped = services.length > MAX_CHART_SERVICES + 1 ? [...services.slice(0, MAX_CHART_SERVICES), [`${services.length - MAX_CHART_SERVICES} other services`, services.slice(MAX_CHART_SERVICES).reduce((n, [, c]) => n + c, 0)]] : services;
    expect(tableRows(html, 'chart-service-table')).toEqual(capped.map(([s, n]) => [s, String(n)]));

    // Families: from the report's failing and unknown findings and its per-rule lists of passing resources.
    const judgements: Judgement[] = report.findings.filter((f: Finding) => f.suppression === undefined).map((f: Finding) => ({ ruleId: f.ruleId, arn: f.resource.arn, verdict: f.verdict }));
    for (const g of report.passed.rules) for (const arn of g.pass) judgements.push({ ruleId: g.ruleId, arn, verdict: 'pass' });
    const expected = expectedFamilies(report.frameworks, judgements);
    report.frameworks.forEach((_: unknown, i: number) => {
      expect(tableRows(html, `chart-families-${i}-table`)).toEqual(expected[i]!.map((row) => [...row.map(String), sharePercent(row[5] as number, row[2] as number)]));
    });
    // The point of the chart: the demo's families do not all look alike.
    const shares = new Set(expected.flat().filter((row) => (row[2] as number) > 0).map((row) => sharePercent(row[5] as number, row[2] as number)));
    expect(shares.size).toBeGreaterThan(5);
  });
});
