import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/report/json-chunks.js';
import { renderJunitChunks } from '../../src/report/junit.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { buildLargeScanResult } from '../fixtures-report/large-scan-result.js';
import { buildScanResult } from '../fixtures-report/scan-result.js';
import { DEMO_INVENTORY, HOSTILE_NAMES, writeHostileInventory } from './tabular-helpers.js';

const SCHEMA = readFileSync(fileURLToPath(new URL('../schemas/junit.xsd', import.meta.url)), 'utf8');

async function validate(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: 'report.junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: SCHEMA }], maxMemoryPages: 2048 });
  return { valid: result.valid, errors: result.errors.slice(0, 5).map((e) => e.rawMessage) };
}

interface JsonReport {
  summary: { findings: number; byVerdict: Record<string, number>; suppressed: number };
}

async function scan(args: string[], dir = tempDir()) {
  const run = await runCli(['scan', ...args, '--format', 'junit,json', '--output', 'out'], dir);
  expect(run.code, run.stderr).toBeLessThan(2);
  const bytes = readFileSync(path.join(dir, 'out', 'aigis-report.junit.xml'));
  const json = JSON.parse(readFileSync(path.join(dir, 'out', 'aigis-report.json'), 'utf8')) as JsonReport;
  return { bytes, xml: bytes.toString('utf8'), json };
}

/**
 * Counts from the markup itself: every `<` in data is escaped, so each of these tags is an element.
 * Returns the root's declared counts, the counted elements, and whether every suite's counts add up.
 */
function counts(xml: string) {
  const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;
  const root = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(xml)!;
  const suites = xml.split('<testsuite ').slice(1);
  const suiteMismatches: string[] = [];
  for (const suite of suites) {
    const head = /^name="([^"]*)" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(suite)!;
    const found = [count(suite, /<testcase /g), count(suite, /<failure /g), count(suite, /<error /g), count(suite, /<skipped /g)];
    if (found.join() !== [head[2], head[3], head[4], head[5]].join()) suiteMismatches.push(`${head[1]}: declared ${head.slice(2).join()} found ${found.join()}`);
  }
  return {
    declared: { tests: Number(root[1]), failures: Number(root[2]), errors: Number(root[3]) },
    testcases: count(xml, /<testcase /g),
    failures: count(xml, /<failure /g),
    errors: count(xml, /<error /g),
    skipped: count(xml, /<skipped /g),
    suites: suites.length,
    suiteMismatches,
  };
}

describe('aigis scan --format junit', () => {
  it('is valid JUnit XML with one test case per rule x resource, and counts that add up', async () => {
    const { xml, json } = await scan(['--input', DEMO_INVENTORY]);
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    const c = counts(xml);
    const v = json.summary.byVerdict;
    // --passed list: the passing and not-applicable resources are test cases too.
    expect(c.testcases).toBe(json.summary.findings);
    expect(c.declared).toEqual({ tests: c.testcases, failures: c.failures, errors: c.errors });
    expect(c.failures + c.errors + c.skipped).toBe(v.fail! + v.unknown! + v.not_applicable!);
    expect(c.errors).toBeGreaterThan(0);
    expect(c.suiteMismatches).toEqual([]);
    expect(xml).toMatch(/<testcase classname="iam-no-full-admin" name="arn:aws:iam::111122223333:role\/PlatformAdminRole" time="0">\n {6}<failure message="Role PlatformAdminRole has full administrator access[^"]*" type="critical">/);
  });

  it('--passed full gives the same test cases; --passed count leaves out the passing ones and says how many', async () => {
    const list = counts((await scan(['--input', DEMO_INVENTORY])).xml);
    const full = counts((await scan(['--input', DEMO_INVENTORY, '--passed', 'full'])).xml);
    expect(full).toEqual(list);
    const { xml, json } = await scan(['--input', DEMO_INVENTORY, '--passed', 'count']);
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    const c = counts(xml);
    expect(c.testcases).toBe(json.summary.byVerdict.fail! + json.summary.byVerdict.unknown!);
    expect(c.suiteMismatches).toEqual([]);
    const passed = [...xml.matchAll(/<property name="aigis.passed" value="(\d+)"\/>/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(passed).toBe(json.summary.byVerdict.pass);
  });

  it('is byte-identical across runs', async () => {
    const a = await scan(['--input', DEMO_INVENTORY]);
    const b = await scan(['--input', DEMO_INVENTORY]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.xml).not.toContain('timestamp=');
    const stamped = await scan(['--input', DEMO_INVENTORY, '--timestamp']);
    expect(await validate(stamped.xml)).toEqual({ valid: true, errors: [] });
    expect(stamped.xml).toMatch(/<testsuite name="[^"]+" tests="\d+" failures="\d+" errors="\d+" skipped="\d+" time="0" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z">/);
  });

  it('stays valid with hostile names: markup escaped, characters XML forbids replaced', async () => {
    const dir = tempDir();
    const { xml, json } = await scan(['--input', writeHostileInventory(dir), '--passed', 'full'], dir);
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    expect(counts(xml).testcases).toBe(json.summary.findings);
    expect(xml).not.toContain(']]></failure><x');
    expect(xml).toContain(`name="arn:aws:s3:::]]&gt;&lt;/failure&gt;&lt;x a=&quot;&amp;amp;'&gt;"`);
    // Tab, LF and CR in attribute values as character references (attribute normalization would eat them).
    expect(xml).toContain('name="&#9;TAB=1+1"');
    expect(xml).toContain('name="&#13;CR=1+1"');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/);
    expect(xml).toContain('name="arn:aws:s3:::nul\uFFFDbell\uFFFDesc\uFFFD[2J\uFFFD lone\uFFFD end"');
    expect(HOSTILE_NAMES.length).toBeGreaterThan(0);
  });

  it('the schema check is not vacuous', async () => {
    const { xml } = await scan(['--input', DEMO_INVENTORY]);
    expect((await validate(xml.replace(/ errors="\d+"/, ''))).valid).toBe(false);
    expect((await validate(xml.replace('<skipped ', '<skip '))).valid).toBe(false);
    expect((await validate(xml.replace(/tests="\d+"/, 'tests="-1"'))).valid).toBe(false);
  });
});

describe('renderJunitChunks', () => {
  it('reports suppressed failures as skipped, and the scan time when one is given', async () => {
    const result = buildScanResult();
    const suppressed = result.findings.find((f) => f.suppression && (f.verdict === 'fail' || f.verdict === 'unknown'))!;
    expect(suppressed).toBeDefined();
    const xml = joinChunks(renderJunitChunks(result, { passed: 'list', pretty: false, timestamp: '2026-12-01T00:00:00Z' }));
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    expect(xml).toContain(' timestamp="2026-12-01T00:00:00Z"');
    const escaped = suppressed.resource.arn.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const at = xml.indexOf(`<testcase classname="${suppressed.ruleId}" name="${escaped}"`);
    expect(at).toBeGreaterThan(0);
    expect(xml.slice(at, xml.indexOf('</testcase>', at))).toContain(`<skipped message="suppressed (${suppressed.verdict}): `);
    expect(joinChunks(renderJunitChunks(result, { passed: 'list', pretty: false }))).not.toContain('timestamp=');
  });

  it('writes a large report in bounded chunks, valid, with counts that add up', async () => {
    const result = buildLargeScanResult(2_000);
    const chunks = [...renderJunitChunks(result, { passed: 'list', pretty: false })];
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1 << 20);
    const xml = chunks.join('');
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    const c = counts(xml);
    expect(c.testcases).toBe(result.summary.findings);
    expect(c.suiteMismatches).toEqual([]);
    expect(c.declared).toEqual({ tests: c.testcases, failures: c.failures, errors: c.errors });
  });
});

/**
 * Where the JUnit XSD most CI servers' readers follow is named (junit-10.xsd of Jenkins' xUnit
 * plugin, https://github.com/jenkinsci/xunit-plugin, src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/),
 * the same reports are validated against it too. It is not in this repository (test/schemas/README.md).
 */
const jenkinsXsd = process.env.AIGIS_JUNIT_XSD;

describe.skipIf(!jenkinsXsd)('aigis scan --format junit against Jenkins\' junit-10.xsd (AIGIS_JUNIT_XSD)', () => {
  const validateJenkins = async (xml: string) => {
    const result = await validateXML({ xml: [{ fileName: 'report.junit.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: readFileSync(jenkinsXsd!, 'utf8') }], maxMemoryPages: 2048 });
    return { valid: result.valid, errors: result.errors.slice(0, 5).map((e) => e.rawMessage) };
  };

  it('accepts the demo report, with --timestamp, with hostile names, and a large one', async () => {
    const dir = tempDir();
    const reports = [(await scan(['--input', DEMO_INVENTORY], dir)).xml, (await scan(['--input', DEMO_INVENTORY, '--timestamp'])).xml];
    reports.push((await scan(['--input', writeHostileInventory(tempDir())])).xml);
    reports.push(joinChunks(renderJunitChunks(buildLargeScanResult(2_000))));
    for (const xml of reports) expect(await validateJenkins(xml)).toEqual({ valid: true, errors: [] });
  });

  it('rejects a report that breaks it (the check is not vacuous)', async () => {
    const { xml } = await scan(['--input', DEMO_INVENTORY]);
    expect((await validateJenkins(xml.replace('<testsuites ', '<testsuites bogus="1" '))).valid).toBe(false);
  });
});
