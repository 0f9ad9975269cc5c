import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsvChunks } from '../../src/report/csv.js';
import { buildLargeScanResult } from '../fixtures-report/large-scan-result.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { DEMO_INVENTORY, HOSTILE_NAMES, parseCsv, writeHostileInventory } from './tabular-helpers.js';

interface JsonFinding {
  ruleId: string;
  verdict: string;
  fingerprint: string;
  resource: { arn: string; source?: { file: string; line?: number } };
}
interface JsonReport {
  summary: { findings: number; byVerdict: Record<string, number> };
  rules: { id: string; controls: { framework: string; controlId: string }[] }[];
  findings: JsonFinding[];
}

/** Scans with csv and json; returns the parsed CSV (header first) and the JSON report. */
async function scan(args: string[], dir = tempDir()) {
  const run = await runCli(['scan', ...args, '--format', 'csv,json', '--output', 'out'], dir);
  expect(run.code, run.stderr).toBeLessThan(2);
  const bytes = readFileSync(path.join(dir, 'out', 'aigis-report.csv'));
  const text = bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows = parseCsv(text.slice(1));
  const json = JSON.parse(readFileSync(path.join(dir, 'out', 'aigis-report.json'), 'utf8')) as JsonReport;
  return { bytes, text, rows, json };
}

const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);

describe('aigis scan --format csv', () => {
  it('writes a header and one row per failing or unknown finding, in the JSON report order', async () => {
    const { rows, json } = await scan(['--input', DEMO_INVENTORY]);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const body = rows.slice(1);
    expect(body.length).toBe(json.summary.byVerdict.fail! + json.summary.byVerdict.unknown!);
    expect(body.length).toBe(json.findings.length);
    for (const [i, row] of body.entries()) {
      expect(row.length).toBe(CSV_COLUMNS.length);
      const f = json.findings[i]!;
      expect([row[col('rule_id')], row[col('verdict')], row[col('resource_arn')], row[col('fingerprint')]]).toEqual([f.ruleId, f.verdict, f.resource.arn, f.fingerprint]);
    }
    // Controls as framework:control, joined with "; ".
    const first = body[0]!;
    const rule = json.rules.find((r) => r.id === first[col('rule_id')])!;
    expect(first[col('controls')]).toBe(rule.controls.map((c) => `${c.framework}:${c.controlId}`).join('; '));
    expect(first[col('controls')]).toMatch(/^[^;]+:[^;]+(; [^;]+:[^;]+)+$/);
  });

  it('adds the pass and not-applicable rows with --passed full only', async () => {
    const { rows, json } = await scan(['--input', DEMO_INVENTORY, '--passed', 'full']);
    const body = rows.slice(1);
    expect(body.length).toBe(json.summary.findings);
    expect(body.length).toBe(json.findings.length);
    const verdicts = new Set(body.map((r) => r[col('verdict')]));
    expect([...verdicts].sort()).toEqual(['fail', 'not_applicable', 'pass', 'unknown']);
    expect(body.map((r) => r[col('fingerprint')])).toEqual(json.findings.map((f) => f.fingerprint));
    const count = await scan(['--input', DEMO_INVENTORY, '--passed', 'count']);
    expect(count.rows.length - 1).toBe(json.summary.byVerdict.fail! + json.summary.byVerdict.unknown!);
  });

  it('is byte-identical across runs', async () => {
    const a = await scan(['--input', DEMO_INVENTORY, '--passed', 'full']);
    const b = await scan(['--input', DEMO_INVENTORY, '--passed', 'full']);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.rows[0]).not.toContain('scanned_at');
    // --timestamp: the scan time as a last column on every row.
    const stamped = await scan(['--input', DEMO_INVENTORY, '--timestamp']);
    expect(stamped.rows[0]).toEqual([...CSV_COLUMNS, 'scanned_at']);
    const times = new Set(stamped.rows.slice(1).map((r) => r[CSV_COLUMNS.length]));
    expect([...times]).toHaveLength(1);
    expect([...times][0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('escapes spreadsheet formulas and replaces control characters in hostile names', async () => {
    const dir = tempDir();
    const inventory = writeHostileInventory(dir);
    const { text, rows, json } = await scan(['--input', inventory, '--passed', 'full'], dir);
    expect(rows.length - 1).toBe(json.findings.length);
    // No cell a spreadsheet would evaluate: every one that started with = + - @ tab or CR has a leading '.
    for (const row of rows) {
      for (const cell of row) expect(/^[=+\-@\t\r]/.test(cell), JSON.stringify(cell)).toBe(false);
    }
    const arns = new Set(rows.slice(1).map((r) => r[col('resource_arn')]));
    for (const name of HOSTILE_NAMES.slice(0, 6)) expect(arns.has(`'${name}`), JSON.stringify(name)).toBe(true);
    // Markup is data in CSV: kept as written, quoted.
    expect(arns.has(`arn:aws:s3:::${HOSTILE_NAMES[6]}`)).toBe(true);
    // Terminal escapes, NUL, BEL and lone surrogates become U+FFFD; tab, LF and CR only inside quoted cells.
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    expect(arns.has('arn:aws:s3:::nul\uFFFDbell\uFFFDesc\uFFFD[2J\ufffe lone\uFFFD end')).toBe(true);
    // Every finding is a row, whatever its strings: the fingerprints match the JSON report's.
    expect(rows.slice(1).map((r) => r[col('fingerprint')])).toEqual(json.findings.map((f) => f.fingerprint));
  });

  it('gives the template file and line of resources read from IaC', async () => {
    const template = fileURLToPath(new URL('../../fixtures/iac/cloudformation/ml-platform.yaml', import.meta.url));
    const { rows, json } = await scan(['--iac', template]);
    const withSource = json.findings.filter((f) => f.resource.source?.line !== undefined);
    expect(withSource.length).toBeGreaterThan(0);
    for (const [i, f] of json.findings.entries()) {
      const row = rows[i + 1]!;
      expect(row[col('source_file')]).toBe(f.resource.source?.file ?? '');
      expect(row[col('source_line')]).toBe(f.resource.source?.line !== undefined ? String(f.resource.source.line) : '');
    }
    expect(rows[1 + json.findings.indexOf(withSource[0]!)]![col('source_file')]).toMatch(/ml-platform\.yaml$/);
  });
});

describe('renderCsvChunks', () => {
  it('writes a large report in bounded chunks, one row per finding, suppressions and IaC lines included', () => {
    const result = buildLargeScanResult(2_000);
    const chunks = [...renderCsvChunks(result, { passed: 'full', pretty: false })];
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1 << 20);
    const rows = parseCsv(chunks.join('').slice(1));
    expect(rows.length - 1).toBe(result.findings.length);
    const suppressed = result.findings.findIndex((f) => f.suppression !== undefined);
    expect(suppressed).toBeGreaterThanOrEqual(0);
    expect(rows[suppressed + 1]![col('suppressed')]).toContain(result.findings[suppressed]!.suppression!.reason);
    const located = result.findings.findIndex((f) => f.resource.source?.line !== undefined);
    expect(rows[located + 1]![col('source_line')]).toBe(String(result.findings[located]!.resource.source!.line));
  });
});
