/**
 * Baselines: previous JSON or SARIF reports mark findings new/existing; only new failing
 * findings break --fail-on; fingerprints survive reordering, line moves and unrelated additions;
 * a bad baseline is an input error naming the file and JSON path.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_FIXTURES, GATE_INVENTORY, S3_RULES, readJson, runCli, tempDir, writeText } from './helpers.js';

interface JsonFinding {
  ruleId: string;
  verdict: string;
  fingerprint: string;
  baseline?: string;
  resource: { arn: string; name?: string };
}

function inventoryVariant(mutate: (inv: any) => void): string {
  const inv = readJson(GATE_INVENTORY);
  mutate(inv);
  const dir = tempDir();
  return writeText(dir, 'inventory.json', JSON.stringify(inv, null, 2));
}

const newBucket = {
  arn: 'arn:aws:s3:::new-bucket',
  region: 'us-east-1',
  name: 'new-bucket',
  publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
  encryption: { rules: [{ sseAlgorithm: 'AES256' }] },
  policy: null,
};

async function makeBaseline(dir: string) {
  const run = await runCli(['scan', '--input', GATE_INVENTORY, '--format', 'json,sarif', '-o', 'base', ...S3_RULES], { cwd: dir });
  expect(run.code).toBe(0);
  return { json: 'base/aigis-report.json', sarif: 'base/aigis-report.sarif' };
}

async function scanAgainst(dir: string, input: string, baseline: string, formats = 'json,markdown') {
  const run = await runCli(['scan', '--input', input, '--baseline', baseline, '--fail-on', 'high', '--format', formats, '-o', 'now', ...S3_RULES], { cwd: dir });
  const json = existsSync(path.join(dir, 'now', 'aigis-report.json')) ? readJson(path.join(dir, 'now', 'aigis-report.json')) : undefined;
  const md = existsSync(path.join(dir, 'now', 'aigis-report.md')) ? readFileSync(path.join(dir, 'now', 'aigis-report.md'), 'utf8') : '';
  return { ...run, json, md };
}

describe.each(['json', 'sarif'] as const)('baseline from a %s report', (kind) => {
  it('only the new failing finding counts toward --fail-on', async () => {
    const dir = tempDir();
    const base = await makeBaseline(dir);
    const input = inventoryVariant((inv) => inv.s3.buckets.push(newBucket));
    const run = await scanAgainst(dir, input, base[kind]);
    expect(run.code).toBe(1);
    const failing = (run.json.findings as JsonFinding[]).filter((f) => f.verdict === 'fail');
    expect(failing.map((f) => [f.ruleId, f.resource.name, f.baseline])).toEqual([
      ['s3-block-public-access', 'public-datasets', 'existing'],
      ['s3-sse-kms-cmk', 'ci-logs', 'existing'],
      ['s3-sse-kms-cmk', 'ci-logs-replica', 'existing'],
      ['s3-sse-kms-cmk', 'new-bucket', 'new'],
    ]);
    expect(run.json.summary.newFailing).toBe(1);
    expect(run.md).toContain('(1 new since the baseline)');
    expect(run.md).toContain('### New failing findings (1)');
    const newSection = run.md.split('### New failing findings (1)')[1]!.split('<details>')[0]!;
    expect(newSection).toContain('new-bucket');
    expect(newSection).not.toContain('ci-logs');
    expect(run.md).toContain('<summary>Failing findings already in the baseline (3)</summary>');
  });

  it('reordered resources and unchanged findings do not fail the gate', async () => {
    const dir = tempDir();
    const base = await makeBaseline(dir);
    const input = inventoryVariant((inv) => inv.s3.buckets.reverse());
    const run = await scanAgainst(dir, input, base[kind], 'json,sarif');
    expect(run.code).toBe(0);
    expect(run.json.summary.newFailing).toBe(0);
    const baseFingerprints = (readJson(path.join(dir, base.json)).findings as JsonFinding[]).map((f) => f.fingerprint).sort();
    expect((run.json.findings as JsonFinding[]).map((f) => f.fingerprint).sort()).toEqual(baseFingerprints);
    const sarif = readJson(path.join(dir, 'now', 'aigis-report.sarif'));
    expect(new Set(sarif.runs[0].results.map((r: { baselineState: string }) => r.baselineState))).toEqual(new Set(['unchanged']));
  });
});

describe('IaC fingerprints', () => {
  it('survive inserting unrelated resources above and reordering the template', async () => {
    const dir = tempDir();
    cpSync(path.join(GATE_FIXTURES, 'repo', 'infra', 'cloudformation', 'storage.yaml'), path.join(dir, 'storage.yaml'));
    const first = await runCli(['scan', '--iac', 'storage.yaml', '--format', 'json', '-o', 'base.json'], { cwd: dir });
    expect(first.code).toBe(0);
    const template = readFileSync(path.join(dir, 'storage.yaml'), 'utf8');
    const [head, resources] = template.split('Resources:\n') as [string, string];
    const blocks = resources.split(/\n(?=  \w)/);
    const moved = `${head}Resources:\n  Unrelated:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: unrelated\n${[...blocks].reverse().join('\n').replace(/\n*$/, '\n')}`;
    writeFileSync(path.join(dir, 'storage.yaml'), moved);
    const second = await runCli(['scan', '--iac', 'storage.yaml', '--baseline', 'base.json', '--fail-on', 'low', '--format', 'json', '-o', 'now.json'], { cwd: dir });
    const before = readJson(path.join(dir, 'base.json')).findings as (JsonFinding & { resource: { source?: { line?: number } } })[];
    const after = readJson(path.join(dir, 'now.json')).findings as (JsonFinding & { resource: { source?: { line?: number } } })[];
    // The lines did move...
    const line = (list: typeof before) => list.find((f) => f.resource.name === 'ci-logs-replica')!.resource.source!.line;
    expect(line(after)).not.toBe(line(before));
    // ...but every finding kept its fingerprint, so nothing is new and the gate passes.
    expect(after.map((f) => f.fingerprint).sort()).toEqual(before.map((f) => f.fingerprint).sort());
    expect(after.filter((f) => f.baseline === 'new')).toEqual([]);
    expect(second.code).toBe(0);
  });
});

describe('bad baselines', () => {
  const cases: { name: string; content: string; expected: string }[] = [
    { name: 'not JSON', content: '<html>', expected: 'prev.json: baseline is not valid JSON' },
    { name: 'an array', content: '[]', expected: 'prev.json: baseline must be an aigis JSON report or an aigis SARIF log' },
    { name: 'an inventory, not a report', content: JSON.stringify({ schemaVersion: '1.0', account: { id: '111122223333' } }), expected: 'prev.json: baseline must be an aigis JSON report (with reportVersion) or a SARIF log (with runs)' },
    {
      name: 'a report with a mangled fingerprint',
      content: JSON.stringify({ reportVersion: '1.0', findings: [{ ruleId: 'x', verdict: 'fail', fingerprint: 'abc' }] }),
      expected: 'prev.json at $.findings[0].fingerprint: expected an aigis fingerprint',
    },
    { name: 'a report from the future', content: JSON.stringify({ reportVersion: '3.0', findings: [] }), expected: 'prev.json at $.reportVersion: unsupported reportVersion' },
    {
      name: 'SARIF from another tool',
      content: JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'checkov' } }, results: [] }] }),
      expected: 'prev.json at $.runs[0].tool.driver.name: run was produced by "checkov", not aigis',
    },
    {
      name: 'SARIF without aigis fingerprints',
      content: JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'aigis' } }, results: [{ ruleId: 'x', partialFingerprints: {} }] }] }),
      expected: 'prev.json at $.runs[0].results[0].partialFingerprints["aigis/v1"]:',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 2 with file and path, no report`, async () => {
      const dir = tempDir();
      writeText(dir, 'prev.json', c.content);
      const run = await runCli(['scan', '--input', GATE_INVENTORY, '--baseline', 'prev.json', '--format', 'json', '-o', 'out.json'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`aigis: error: ${c.expected}`);
      expect(existsSync(path.join(dir, 'out.json'))).toBe(false);
    });
  }

  it('a missing baseline file', async () => {
    const run = await runCli(['scan', '--input', GATE_INVENTORY, '--baseline', 'nope.sarif', '--format', 'json', '-o', 'out.json'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('aigis: error: nope.sarif: cannot read baseline (ENOENT)');
  });
});

describe('IaC fingerprints across file moves', () => {
  it('moving a template to another directory keeps the fingerprint of every named resource', async () => {
    const dir = tempDir();
    cpSync(path.join(GATE_FIXTURES, 'repo', 'infra', 'cloudformation', 'storage.yaml'), path.join(dir, 'storage.yaml'));
    await runCli(['scan', '--iac', 'storage.yaml', '--format', 'json', '-o', 'base.json'], { cwd: dir });
    cpSync(path.join(dir, 'storage.yaml'), path.join(dir, 'stacks', 'prod', 'storage.yaml'));
    const run = await runCli(['scan', '--iac', 'stacks', '--baseline', 'base.json', '--fail-on', 'low', '--format', 'json', '-o', 'now.json'], { cwd: dir });
    const before = readJson(path.join(dir, 'base.json')).findings as JsonFinding[];
    const after = readJson(path.join(dir, 'now.json')).findings as (JsonFinding & { resource: { source?: { file: string } } })[];
    expect(after.find((f) => f.resource.name === 'ci-logs-replica')!.resource.source!.file).toBe('stacks/prod/storage.yaml');
    // Unnamed resources (here the KMS key) get names unique to their template's path, as a stack's
    // resources are unique to the stack: that is what keeps two templates' `Key`s apart.
    const named = (list: JsonFinding[]) =>
      list.filter((f) => (f.resource as { source?: { logicalId?: string } }).source?.logicalId !== 'DataKey').map((f) => f.fingerprint).sort();
    expect(named(after).length).toBeGreaterThan(20);
    expect(named(after)).toEqual(named(before));
    expect(run.code).toBe(0);
  });
});
