/**
 * The JSON report (version 2): failing and unknown findings in full, passing and not-applicable
 * ones per rule as a list or a count (`--passed`), the rule's constants stated once under
 * `rules`, compact unless `--pretty`, byte-identical across runs. Reports of version 1 still load
 * as baselines.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBaseline } from '../../src/engine/baseline.js';
import { compactJsonChunks, joinChunks } from '../../src/report/json-chunks.js';
import { JSON_REPORT_VERSION, renderJson, renderJsonChunks } from '../../src/report/json.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { buildScanResult } from '../fixtures-report/scan-result.js';

const result = buildScanResult();
const parse = (text: string) => JSON.parse(text) as Record<string, any>;

describe('compactJsonChunks', () => {
  it('is the value JSON.stringify writes, with the streamed arrays one element per line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 6 }),
        fc.array(fc.jsonValue(), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue(), { maxKeys: 4 }),
        (a, b, siblings) => {
          const root = { ...siblings, first: a, nested: { mid: siblings, second: b } };
          const text = joinChunks(compactJsonChunks(root, [['first'], ['nested', 'second']]));
          expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(root)));
          // Without the layout newlines, exactly the compact form (JSON strings hold no raw newline).
          expect(text.replaceAll('\n', '')).toBe(JSON.stringify(root));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes each element of a streamed array on a line of its own, across chunk boundaries', () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ i, text: 'x'.repeat(i % 50), none: undefined }));
    const chunks = [...compactJsonChunks({ head: 1, items, tail: [] }, [['items'], ['tail']])];
    expect(chunks.length).toBeGreaterThan(3);
    const lines = chunks.join('').split('\n');
    expect(lines).toHaveLength(3000 + 2);
    expect(lines[1]).toBe('{"i":0,"text":""},');
    expect(JSON.parse(chunks.join('')).items).toHaveLength(3000);
  });

  it('gives the same bytes when elements are serialized a batch at a time (firstKeys), even when an element holds the separator', () => {
    const element = fc.record({ ruleId: fc.string({ maxLength: 4 }), rest: fc.jsonValue() });
    // Elements that hold `},{"ruleId":` inside themselves, and some that do not start with ruleId.
    const tricky = fc.oneof(
      element,
      fc.record({ ruleId: fc.string({ maxLength: 4 }), evidence: fc.array(fc.record({ ruleId: fc.string({ maxLength: 3 }) }), { maxLength: 3 }) }),
      fc.record({ other: fc.string({ maxLength: 3 }), ruleId: fc.string({ maxLength: 3 }) }),
      fc.record({ ruleId: fc.integer() }),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 1200 }), (items) => {
        const root = { head: 1, items, tail: 'end' };
        const plain = joinChunks(compactJsonChunks(root, [['items']]));
        expect(joinChunks(compactJsonChunks(root, [['items']], [], ['ruleId']))).toBe(plain);
        const mapped = (x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? { ruleId: 'r', ...x } : x);
        expect(joinChunks(compactJsonChunks(root, [['items']], [mapped], ['ruleId']))).toBe(joinChunks(compactJsonChunks(root, [['items']], [mapped])));
      }),
      { numRuns: 60 },
    );
    // Large batches of findings-like elements, one of them holding the separator in its evidence.
    const items = Array.from({ length: 2000 }, (_, i) => ({ ruleId: `r${i % 7}`, message: 'm', evidence: i === 700 ? { list: [{ a: 1 }, { ruleId: 'x' }] } : { i } }));
    const root = { items };
    expect(joinChunks(compactJsonChunks(root, [['items']], [], ['ruleId']))).toBe(joinChunks(compactJsonChunks(root, [['items']])));
  });
});

describe('JSON report version 2', () => {
  it('holds failing and unknown findings in full, without the rule constants', () => {
    const report = parse(renderJson(result));
    expect(report.reportVersion).toBe(JSON_REPORT_VERSION);
    expect(JSON_REPORT_VERSION).toMatch(/^2\./);
    const problems = result.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown');
    expect(report.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(problems.map((f) => f.fingerprint));
    for (const f of report.findings) {
      expect(Object.keys(f)).not.toContain('controls');
      expect(Object.keys(f)).not.toContain('title');
      expect(f.verdict === 'fail' || f.verdict === 'unknown').toBe(true);
    }
    // Controls stated once, per rule.
    for (const rule of result.rules) {
      expect(report.rules.find((r: { id: string }) => r.id === rule.id).controls).toEqual(rule.controls);
    }
  });

  it('lists passing and not-applicable resources per rule by default (--passed list)', () => {
    const report = parse(renderJson(result));
    expect(report.passed.mode).toBe('list');
    const expected = new Map<string, { pass: string[]; notApplicable: string[] }>();
    for (const f of result.findings) {
      if (f.verdict !== 'pass' && f.verdict !== 'not_applicable') continue;
      const entry = expected.get(f.ruleId) ?? { pass: [], notApplicable: [] };
      (f.verdict === 'pass' ? entry.pass : entry.notApplicable).push(f.resource.arn);
      expected.set(f.ruleId, entry);
    }
    expect(expected.size).toBeGreaterThan(0);
    const got = new Map(report.passed.rules.map((r: { ruleId: string; pass: string[]; notApplicable: string[] }) => [r.ruleId, { pass: r.pass, notApplicable: r.notApplicable }]));
    expect(got).toEqual(expected);
  });

  it('gives counts only with --passed count, and every finding with --passed full', () => {
    const counts = parse(renderJson(result, { passed: 'count', pretty: false }));
    expect(counts.passed.mode).toBe('count');
    const list = parse(renderJson(result));
    for (const [i, entry] of counts.passed.rules.entries()) {
      expect(entry).toEqual({ ruleId: list.passed.rules[i].ruleId, pass: list.passed.rules[i].pass.length, notApplicable: list.passed.rules[i].notApplicable.length });
    }
    const full = parse(renderJson(result, { passed: 'full', pretty: false }));
    expect(full.passed).toEqual({ mode: 'full' });
    expect(full.findings).toHaveLength(result.findings.length);
  });

  it('writes a rule with many passing resources, and many AI workloads, in bounded pieces with the same value', () => {
    const arns = Array.from({ length: 30_000 }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(6, '0')}`);
    const ref = (arn: string) => ({ arn, type: 'AWS::S3::Bucket', region: 'us-east-1', name: arn.slice(13) });
    const large = {
      ...result,
      findings: result.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown'),
      passed: [{ ruleId: result.rules[0]!.id, pass: arns.map(ref), notApplicable: arns.slice(0, 7).map(ref) }],
      aiWorkloads: arns.map((arn, i) => ({ type: 'AWS::SageMaker::TrainingJob', arn: `${arn}-job`, name: `job-${i}`, region: 'us-east-1', uses: [{ relation: 'training data', resource: arn }] })),
    };
    const chunks = [...renderJsonChunks(large)];
    // About 1.5 MB of ARNs in the group and 4 MB of workloads, none of it as one string.
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(600_000);
    const text = chunks.join('');
    const report = parse(text);
    expect(report.passed.rules).toEqual([{ ruleId: result.rules[0]!.id, pass: arns, notApplicable: arns.slice(0, 7) }]);
    expect(report.aiWorkloads).toEqual(large.aiWorkloads);
    // Each workload on a line of its own, like findings and passed.rules entries.
    expect(text).toContain('"aiWorkloads":[\n{"type":"AWS::SageMaker::TrainingJob","arn":"arn:aws:s3:::bucket-000000-job"');
    expect(text.split('\n').length).toBeGreaterThan(30_000);
  });

  it('is compact by default and the same value when --pretty', () => {
    const compact = renderJson(result);
    const pretty = renderJson(result, { passed: 'list', pretty: true });
    expect(pretty.length).toBeGreaterThan(compact.length * 1.3);
    expect(pretty).toContain('\n  "reportVersion": ');
    expect(parse(pretty)).toEqual(parse(compact));
    expect(renderJson(buildScanResult())).toBe(compact);
  });
});

describe('baselines', () => {
  it('reads reports of version 2 (any --passed mode) and of version 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aigis-json-'));
    const failing = new Set(result.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown').map((f) => f.fingerprint));
    for (const passed of ['list', 'count', 'full'] as const) {
      const file = path.join(dir, `${passed}.json`);
      writeFileSync(file, renderJson(result, { passed, pretty: passed === 'full' }));
      expect((await loadBaseline(file)).fingerprints).toEqual(failing);
    }
    // Version 1: every finding in full, each with title, service and controls, pretty-printed.
    const v1 = path.join(dir, 'v1.json');
    writeFileSync(
      v1,
      JSON.stringify({ reportVersion: '1.0', tool: result.tool, account: result.account, inputs: result.inputs, summary: result.summary, frameworks: result.frameworks, findings: result.findings }, null, 2),
    );
    const baseline = await loadBaseline(v1);
    expect(baseline.fingerprints).toEqual(failing);
    expect(baseline.accountIds).toEqual([result.account.id]);
  });
});

describe('aigis scan --passed and --pretty', () => {
  it('writes the chosen shape, and refuses an unknown mode with exit 2', async () => {
    const dir = tempDir();
    const count = await runCli(['scan', '--demo', '--format', 'json', '--passed', 'count', '-o', 'c.json'], dir);
    expect(count.code, count.stderr).toBe(0);
    const report = parse(readFileSync(path.join(dir, 'c.json'), 'utf8'));
    expect(report.passed.mode).toBe('count');
    expect(report.passed.rules.reduce((n: number, r: { pass: number }) => n + r.pass, 0)).toBe(report.summary.byVerdict.pass);
    const pretty = await runCli(['scan', '--demo', '--format', 'json,sarif', '--pretty', '-o', 'p'], dir);
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'p', 'aigis-report.sarif'), 'utf8')).toContain('\n  "version": "2.1.0"');
    const bad = await runCli(['scan', '--demo', '--passed', 'some', '-o', 'x'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('aigis: error: --passed: unknown mode "some" (choose from full, list, count)\n');
  });
});
