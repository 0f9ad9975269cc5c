/**
 * The CLI through its public entry point: exit codes, outputs, determinism and the bad-input
 * contract (one line naming the file and JSON path, exit 2, no stack trace, no output file).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';

const root = path.resolve(__dirname, '..');
const demo = path.join(root, 'fixtures/demo/inventory.json');

function writeJson(dir: string, name: string, data: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

const minimal = { schemaVersion: '1.0', account: { id: '123456789012' }, regions: ['us-east-1'] };

describe('aigis scan', () => {
  it('scans the demo, writes json, sarif and html, and prints a summary', async () => {
    const run = await runCli(['scan', '--demo', '--output', 'out']);
    expect(run.code).toBe(0);
    expect(readdirSync(path.join(run.cwd, 'out')).sort()).toEqual(['aigis-report.html', 'aigis-report.json', 'aigis-report.sarif']);
    expect(run.stderr).toMatch(/findings on \d+ resources/);
    expect(run.stderr).toContain('wrote out/aigis-report.json');
    const report = JSON.parse(readFileSync(path.join(run.cwd, 'out/aigis-report.json'), 'utf8'));
    expect(report.summary.byVerdict.fail).toBeGreaterThan(0);
    expect(report.frameworks.map((f: { id: string }) => f.id).sort()).toEqual([
      'aws-ai-security',
      'eu-ai-act',
      'gdpr',
      'hipaa',
      'iso-42001',
      'nist-800-53-r5',
      'nist-ai-rmf',
      'owasp-llm-top-10',
      'soc2',
    ]);
  });

  it('exits 1 when a failing finding is at or above --fail-on, 0 below it', async () => {
    // s3-sse-kms-cmk is a high-severity rule that fails on the demo account.
    const only = ['--rules', 's3-sse-kms-cmk', '-f', 'json'];
    expect((await runCli(['scan', '--demo', ...only, '--fail-on', 'high'])).code).toBe(1);
    expect((await runCli(['scan', '--demo', ...only, '--fail-on', 'medium'])).code).toBe(1);
    expect((await runCli(['scan', '--demo', ...only, '--fail-on', 'critical'])).code).toBe(0);
    expect((await runCli(['scan', '--demo', ...only])).code).toBe(0);
  });

  it('is deterministic: the same input gives byte-identical JSON and SARIF', async () => {
    const a = await runCli(['scan', '--demo', '-f', 'json,sarif', '-o', 'r1']);
    const b = await runCli(['scan', '--demo', '-f', 'json', '-f', 'sarif', '-o', 'r2'], a.cwd);
    const c = await runCli(['scan', '--input', path.relative(a.cwd, demo), '-f', 'json,sarif', '-o', 'r3'], a.cwd);
    for (const file of ['aigis-report.json', 'aigis-report.sarif']) {
      const first = readFileSync(path.join(a.cwd, 'r1', file));
      expect(readFileSync(path.join(a.cwd, 'r2', file)).equals(first)).toBe(true);
      expect(readFileSync(path.join(a.cwd, 'r3', file)).equals(first)).toBe(true);
    }
  });

  it('writes a single file when one format and a file path are given', async () => {
    const run = await runCli(['scan', '--demo', '-f', 'sarif', '-o', 'results.sarif']);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(run.cwd, 'results.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('writes one format to standard output with --output - (or -o -), the summary to stderr', async () => {
    const file = await runCli(['scan', '--demo', '-f', 'json', '-o', 'r.json']);
    for (const flags of [['--output', '-'], ['-o', '-'], ['--output=-']]) {
      const run = await runCli(['scan', '--demo', '-f', 'json', ...flags], file.cwd);
      expect(run.code, run.stderr).toBe(file.code);
      expect(run.stdout).toBe(readFileSync(path.join(file.cwd, 'r.json'), 'utf8'));
      expect(run.stderr).toContain('wrote standard output');
    }
    const several = await runCli(['scan', '--demo', '--output', '-']);
    expect(several.code).toBe(2);
    expect(several.stderr).toBe('aigis: error: --output -: standard output takes one format, not 3 (choose it with --format)\n');
    expect(several.stdout).toBe('');
  });

  it('filters by --rules and --framework', async () => {
    const run = await runCli(['scan', '--demo', '-f', 'json', '-o', 'r.json', '--rules', 's3-sse-kms-cmk', '--framework', 'hipaa']);
    const report = JSON.parse(readFileSync(path.join(run.cwd, 'r.json'), 'utf8'));
    expect(new Set(report.findings.map((f: { ruleId: string }) => f.ruleId))).toEqual(new Set(['s3-sse-kms-cmk']));
    expect(report.frameworks.map((f: { id: string }) => f.id)).toEqual(['hipaa']);
  });

  it('leaves out the rules of --skip-rules, after --rules and the config', async () => {
    const run = await runCli(['scan', '--demo', '-f', 'json', '-o', 'r.json', '--skip-rules', 's3-sse-kms-cmk,s3-versioning']);
    expect(run.code, run.stderr).toBe(0);
    const ran = (JSON.parse(readFileSync(path.join(run.cwd, 'r.json'), 'utf8')).rules as { id: string }[]).map((r) => r.id);
    expect(ran.length).toBeGreaterThan(10);
    expect(ran).not.toContain('s3-sse-kms-cmk');
    expect(ran).not.toContain('s3-versioning');
    const both = await runCli(['scan', '--demo', '-f', 'json', '-o', 'r.json', '--rules', 's3-sse-kms-cmk,s3-versioning', '--skip-rules', 's3-versioning']);
    expect((JSON.parse(readFileSync(path.join(both.cwd, 'r.json'), 'utf8')).rules as { id: string }[]).map((r) => r.id)).toEqual(['s3-sse-kms-cmk']);
    const unknown = await runCli(['scan', '--demo', '--skip-rules', 's3-nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('aigis: error: --skip-rules: unknown rule id "s3-nope" (see `aigis rules`)\n');
  });

  it('applies config: disabled rules, severity overrides, Bedrock allowlist', async () => {
    const dir = tempDir();
    writeJson(dir, 'aigis.config.json', {
      rules: { 's3-block-public-access': 'off', 's3-sse-kms-cmk': { severity: 'critical' } },
      bedrock: { approvedModels: ['*'] },
    });
    const run = await runCli(['scan', '--demo', '-f', 'json', '-o', 'r.json', '--config', 'aigis.config.json'], dir);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    const ids = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
    expect(ids.has('s3-block-public-access')).toBe(false);
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 's3-sse-kms-cmk').every((f: { severity: string }) => f.severity === 'critical')).toBe(true);
    // With every model approved, no principal fails the allowlist (custom models are judged on their base).
    expect(report.findings.some((f: { ruleId: string; verdict: string; resource: { type: string } }) => f.ruleId === 'bedrock-model-allowlist' && f.verdict === 'fail' && f.resource.type.startsWith('AWS::IAM'))).toBe(false);
    expect(run.code).toBe(0);
  });
});

describe('bad input: one line naming the file and JSON path, exit 2, no output file', () => {
  const cases: { name: string; setup: (dir: string) => string[]; expect: RegExp }[] = [
    { name: 'malformed JSON', setup: (d) => ['--input', writeJson(d, 'bad.json', '{"schemaVersion": "1.0",,}')], expect: /bad\.json: is not valid JSON/ },
    { name: 'wrong schemaVersion', setup: (d) => ['--input', writeJson(d, 'v.json', { ...minimal, schemaVersion: '9.9' })], expect: /v\.json at \$\.schemaVersion: unsupported schemaVersion "9\.9"/ },
    { name: 'missing schemaVersion', setup: (d) => ['--input', writeJson(d, 'nv.json', { account: { id: '123456789012' } })], expect: /nv\.json at \$\.schemaVersion: missing schemaVersion/ },
    { name: 'missing field', setup: (d) => ['--input', writeJson(d, 'm.json', { ...minimal, s3: { buckets: [{ arn: 'arn:aws:s3:::x', region: 'us-east-1' }] } })], expect: /m\.json at \$\.s3\.buckets\[0\]\.name: / },
    { name: 'mistyped field', setup: (d) => ['--input', writeJson(d, 't.json', { ...minimal, account: { id: 1234 } })], expect: /t\.json at \$\.account\.id: / },
    { name: 'malformed policy inside the inventory', setup: (d) => ['--input', writeJson(d, 'p.json', { ...minimal, iam: { roles: [{ arn: 'arn:aws:iam::123456789012:role/r', name: 'r', region: 'global', trustPolicy: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'x' } }, { Effect: 'Maybe', Action: 'x' }] } }] } })], expect: /p\.json at \$\.iam\.roles\[0\]\.trustPolicy\.Statement\[1\]\.Effect: Effect must be "Allow" or "Deny"/ },
    { name: 'unreadable input', setup: (d) => ['--input', path.join(d, 'missing.json')], expect: /missing\.json: cannot read input \(ENOENT\)/ },
    { name: 'input is a directory', setup: (d) => ['--input', d], expect: /cannot read input \(EISDIR\)/ },
    { name: 'unknown rule id', setup: () => ['--demo', '--rules', 's3-nope'], expect: /--rules: unknown rule id "s3-nope"/ },
    { name: 'unknown framework', setup: () => ['--demo', '--framework', 'pci'], expect: /--framework: unknown framework "pci"/ },
    { name: 'unknown format', setup: () => ['--demo', '--format', 'pdf'], expect: /--format: unknown format "pdf"/ },
    { name: 'bad --fail-on', setup: () => ['--demo', '--fail-on', 'severe'], expect: /--fail-on: unknown severity "severe"/ },
    { name: 'unknown flag', setup: () => ['--demo', '--frobnicate'], expect: /Unknown argument: frobnicate/ },
    { name: 'config with unknown rule id', setup: (d) => ['--demo', '--config', writeJson(d, 'c.json', { rules: { 'no-such-rule': 'off' } })], expect: /c\.json at \$\.rules\["no-such-rule"\]: unknown rule id/ },
    { name: 'config with a bad value', setup: (d) => ['--demo', '--config', writeJson(d, 'c2.json', { bedrock: { approvedModels: 'anthropic.*' } })], expect: /c2\.json at \$\.bedrock\.approvedModels: / },
    { name: 'malformed YAML config', setup: (d) => ['--demo', '--config', writeJson(d, 'c3.yaml', 'rules: [unclosed')], expect: /c3\.yaml: is not valid YAML/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = tempDir();
      const run = await runCli(['scan', ...c.setup(dir), '--output', 'out'], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(c.expect);
      expect(run.stderr.trim().split('\n')[0]).toMatch(/^aigis: error: /);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    });
  }

  it('unwritable output: exit 2 and no partial file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'blocker'), 'a file where a directory should be');
    const run = await runCli(['scan', '--demo', '--output', 'blocker/reports'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/blocker\/reports.*cannot (create output directory|write output)/);
    expect(readdirSync(dir)).toEqual(['blocker']);
  });

  it('a report that cannot be written does not stop the others, and leaves no temp file behind', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'out', 'aigis-report.sarif'), { recursive: true }); // rename onto a directory fails
    const run = await runCli(['scan', '--demo', '--output', 'out'], dir);
    expect(run.code).toBe(2);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['aigis-report.html', 'aigis-report.json', 'aigis-report.sarif']);
    expect(statSync(path.join(dir, 'out', 'aigis-report.sarif')).isDirectory()).toBe(true);
    expect(readdirSync(path.join(dir, 'out', 'aigis-report.sarif'))).toEqual([]);
    expect(run.stderr).toMatch(/^aigis: error: .*aigis-report\.sarif: cannot write output \(EISDIR/m);
    expect(run.stderr).toContain('wrote out/aigis-report.json');
    JSON.parse(readFileSync(path.join(dir, 'out', 'aigis-report.json'), 'utf8'));
  });
});

describe('other commands', () => {
  it('rules lists every rule with severity and controls', async () => {
    const run = await runCli(['rules', '--json']);
    const rows = JSON.parse(run.stdout);
    expect(rows.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['s3-block-public-access', 'bedrock-model-allowlist']));
    for (const row of rows) expect(row.controls.length).toBeGreaterThan(0);
  });

  it('rules --json lists the controls each rule evidences (test/frameworks.test.ts checks which)', async () => {
    const rows = JSON.parse((await runCli(['rules', '--json'])).stdout) as { id: string; controls: string[] }[];
    for (const row of rows) expect(row.controls.length, row.id).toBeGreaterThan(0);
    expect(rows.find((r) => r.id === 's3-sse-kms-cmk')?.controls).toContain('nist-800-53-r5:SC-28');
  });

  it('frameworks lists the catalogs and one framework in detail', async () => {
    expect((await runCli(['frameworks'])).stdout).toMatch(/nist-800-53-r5 .* \d+ controls/);
    const detail = await runCli(['frameworks', 'nist-800-53-r5']);
    expect(detail.stdout).toContain('SC-28');
    expect((await runCli(['frameworks', 'iso'])).code).toBe(2);
  });

  it('frameworks ID shows the coverage: controls assessed by at least one rule and the ones that are not', async () => {
    const text = (await runCli(['frameworks', 'owasp-llm-top-10'])).stdout;
    expect(text).toMatch(/^Coverage: \d+ of 10 controls assessed by at least one rule; not assessed: .*LLM05:2025/m);
    const fw = JSON.parse((await runCli(['frameworks', 'owasp-llm-top-10', '--json'])).stdout) as {
      controls: { id: string; rules: string[] }[];
      coverage: { controls: number; assessed: number; notAssessed: string[] };
    };
    expect(fw.coverage.controls).toBe(fw.controls.length);
    expect(fw.coverage.notAssessed).toEqual(fw.controls.filter((c) => !c.rules.length).map((c) => c.id));
    expect(fw.coverage.assessed).toBe(fw.controls.length - fw.coverage.notAssessed.length);
    expect(fw.coverage.notAssessed).toContain('LLM05:2025');
  });

  it('validate accepts the demo and rejects a broken file', async () => {
    const ok = await runCli(['validate', demo]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/valid inventory/);
    const dir = tempDir();
    const bad = await runCli(['validate', writeJson(dir, 'x.json', { ...minimal, regions: 'us-east-1' })], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/x\.json at \$\.regions: /);
  });

  it('validate prints the file name inert (a terminal escape in a name stays visible text)', async () => {
    const dir = tempDir();
    const name = 'snap\u001b]0;pwned\u0007.json';
    writeFileSync(path.join(dir, name), readFileSync(demo));
    const run = await runCli(['validate', name], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u001b\u0007]/);
    expect(run.stdout).toContain('snap\\x1b]0;pwned\\x07.json: valid inventory');
  });

  it('no command is a usage error', async () => {
    expect((await runCli([])).code).toBe(2);
  });
});

describe('the installed binary', () => {
  it('runs as a real process with the documented exit codes and no stack trace', () => {
    const bin = path.join(root, 'bin/aigis.js');
    const dir = tempDir();
    const ok = spawnSync(process.execPath, [bin, 'scan', '--demo', '-o', dir, '--fail-on', 'high'], { encoding: 'utf8' });
    expect(ok.status).toBe(1);
    const bad = spawnSync(process.execPath, [bin, 'scan', '--input', path.join(dir, 'nope.json')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
