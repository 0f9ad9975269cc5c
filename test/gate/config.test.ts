/**
 * aigis.config.{json,yaml}: validation errors name the file and the JSON path and exit 2 before
 * any report is written; discovery in the working directory; rule toggles, severity overrides,
 * frameworks and failOn change what the CLI reports and how it exits.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_FIXTURES, GATE_INVENTORY, S3_RULES, readJson, runCli, tempDir, writeText } from './helpers.js';

/** Scans the gate inventory with a config file in a fresh working directory (S3 rules unless `extra` says otherwise). */
async function scanWithConfig(name: string, text: string, extra: string[] = S3_RULES) {
  const dir = tempDir();
  writeText(dir, name, text);
  const run = await runCli(['scan', '--input', GATE_INVENTORY, '--format', 'json', '--output', 'out.json', ...extra], { cwd: dir });
  return { ...run, dir, report: path.join(dir, 'out.json') };
}

describe('config validation errors', () => {
  const cases: { name: string; file: string; text: string; expected: string }[] = [
    {
      name: 'misspelled key inside a suppression',
      file: 'aigis.config.yaml',
      text: 'suppressions:\n  - rule: s3-sse-kms-cmk\n    resourse: ci-logs\n    reason: accepted\n',
      expected: 'aigis.config.yaml at $.suppressions[0].resourse: unknown key "resourse"',
    },
    {
      name: 'suppression without a reason',
      file: 'aigis.config.yaml',
      text: 'suppressions:\n  - rule: s3-sse-kms-cmk\n    resource: ci-logs\n    reason: ok\n  - rule: s3-sse-kms-cmk\n    resource: ci-logs-replica\n',
      expected: 'aigis.config.yaml at $.suppressions[1].reason: a suppression needs a reason',
    },
    {
      name: 'blank reason',
      file: 'aigis.config.json',
      text: JSON.stringify({ suppressions: [{ rule: 's3-sse-kms-cmk', resource: 'ci-logs', reason: '   ' }] }),
      expected: 'aigis.config.json at $.suppressions[0].reason: a suppression needs a reason',
    },
    {
      name: 'impossible expiry date',
      file: 'aigis.config.yaml',
      text: 'suppressions:\n  - rule: s3-sse-kms-cmk\n    resource: ci-logs\n    reason: accepted\n    expires: "2026-02-30"\n',
      expected: 'aigis.config.yaml at $.suppressions[0].expires: expires must be a real calendar date written YYYY-MM-DD',
    },
    {
      name: 'expiry in another format',
      file: 'aigis.config.yaml',
      text: 'suppressions:\n  - rule: s3-sse-kms-cmk\n    resource: ci-logs\n    reason: accepted\n    expires: 31/12/2026\n',
      expected: 'aigis.config.yaml at $.suppressions[0].expires: expires must be a real calendar date written YYYY-MM-DD',
    },
    {
      name: 'unknown severity override',
      file: 'aigis.config.yaml',
      text: 'rules:\n  s3-sse-kms-cmk:\n    severity: urgent\n',
      expected: 'aigis.config.yaml at $.rules["s3-sse-kms-cmk"].severity: expected one of "critical"|"high"|"medium"|"low"|"info"',
    },
    {
      name: 'rule entry of the wrong shape',
      file: 'aigis.config.yaml',
      text: 'rules:\n  s3-sse-kms-cmk: disabled\n',
      expected: 'aigis.config.yaml at $.rules["s3-sse-kms-cmk"]: expected "off", "on" or an object',
    },
    {
      name: 'unknown rule id in rules',
      file: 'aigis.config.yaml',
      text: 'rules:\n  s3-encryption: off\n',
      expected: 'aigis.config.yaml at $.rules["s3-encryption"]: unknown rule id "s3-encryption"',
    },
    {
      name: 'unknown rule id in a suppression',
      file: 'aigis.config.yaml',
      text: 'suppressions:\n  - rule: s3-encryption\n    resource: ci-logs\n    reason: accepted\n',
      expected: 'aigis.config.yaml at $.suppressions[0].rule: unknown rule id "s3-encryption"',
    },
    {
      name: 'rule glob that matches no rule',
      file: 'aigis.config.yaml',
      text: 'suppressions:\n  - rule: dynamodb-*\n    resource: "*"\n    reason: accepted\n',
      expected: 'aigis.config.yaml at $.suppressions[0].rule: pattern "dynamodb-*" matches no rule',
    },
    {
      name: 'unknown framework',
      file: 'aigis.config.yaml',
      text: 'frameworks: [hipaa, pci-dss]\n',
      expected: 'aigis.config.yaml at $.frameworks[1]: unknown framework "pci-dss"',
    },
    {
      name: 'bad failOn',
      file: 'aigis.config.json',
      text: '{"failOn": "severe"}',
      expected: 'aigis.config.json at $.failOn: expected one of "critical", "high", "medium", "low", "info", "none"',
    },
    {
      name: 'empty Bedrock model pattern',
      file: 'aigis.config.json',
      text: '{"bedrock": {"approvedModels": ["anthropic.claude-3-*", ""]}}',
      expected: 'aigis.config.json at $.bedrock.approvedModels[1]:',
    },
    {
      name: 'unknown top-level key',
      file: 'aigis.config.json',
      text: '{"suppression": []}',
      expected: 'aigis.config.json at $.suppression: unknown key "suppression"',
    },
    { name: 'invalid JSON', file: 'aigis.config.json', text: '{"rules": {', expected: 'aigis.config.json: is not valid JSON' },
    { name: 'invalid YAML', file: 'aigis.config.yaml', text: 'rules: [\n', expected: 'aigis.config.yaml: is not valid YAML' },
  ];

  for (const c of cases) {
    it(`${c.name}: exit 2, file and JSON path named, no report written`, async () => {
      const run = await scanWithConfig(c.file, c.text);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`aigis: error: ${c.expected}`);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(run.report)).toBe(false);
    });
  }

  it('an explicit --config that does not exist is an input error', async () => {
    const run = await runCli(['scan', '--input', GATE_INVENTORY, '--config', 'missing.yaml', '--format', 'json', '-o', 'x.json'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('aigis: error: missing.yaml: cannot read config file (ENOENT)');
  });
});

describe('config discovery and effects', () => {
  it('discovers aigis.config.yaml in the working directory', async () => {
    const run = await scanWithConfig('aigis.config.yml', 'rules:\n  s3-block-public-access: off\n', []);
    expect(run.code).toBe(0);
    const ids = readJson(run.report).rules.map((r: { id: string }) => r.id);
    expect(ids).toContain('s3-sse-kms-cmk');
    expect(ids).not.toContain('s3-block-public-access');
  });

  it('refuses to guess between two config files', async () => {
    const dir = tempDir();
    writeText(dir, 'aigis.config.json', '{}');
    writeText(dir, 'aigis.config.yaml', 'failOn: high\n');
    const run = await runCli(['scan', '--input', GATE_INVENTORY, '--format', 'json', '-o', 'x.json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('more than one config file');
    expect(run.stderr).toContain('aigis.config.json, aigis.config.yaml');
  });

  it('--config picks a file elsewhere and wins over discovery', async () => {
    const dir = tempDir();
    writeText(dir, 'aigis.config.yaml', 'rules: { s3-sse-kms-cmk: off }\n');
    writeText(dir, 'strict.json', JSON.stringify({ failOn: 'high' }));
    const run = await runCli(['scan', '--input', GATE_INVENTORY, '--config', 'strict.json', '--format', 'json', '-o', 'x.json', ...S3_RULES], { cwd: dir });
    expect(run.code).toBe(1);
    expect(readJson(path.join(dir, 'x.json')).rules).toHaveLength(2);
  });

  it('failOn from the config sets the exit code; --fail-on overrides it', async () => {
    expect((await scanWithConfig('aigis.config.yaml', 'failOn: high\n')).code).toBe(1);
    expect((await scanWithConfig('aigis.config.yaml', 'failOn: critical\n')).code).toBe(0);
    expect((await scanWithConfig('aigis.config.yaml', 'failOn: none\n', [...S3_RULES, '--fail-on', 'high'])).code).toBe(1);
    expect((await scanWithConfig('aigis.config.yaml', 'failOn: high\n', [...S3_RULES, '--fail-on', 'none'])).code).toBe(0);
  });

  it('a severity override changes the findings and the threshold they are judged against', async () => {
    const run = await scanWithConfig('aigis.config.yaml', 'failOn: high\nrules:\n  s3-sse-kms-cmk: { severity: low }\n  s3-block-public-access: { enabled: false }\n', ['--framework', 'hipaa']);
    const report = readJson(run.report);
    const sse = report.findings.filter((f: { ruleId: string; verdict: string }) => f.ruleId === 's3-sse-kms-cmk' && f.verdict === 'fail');
    expect(sse.map((f: { severity: string }) => f.severity)).toEqual(['low', 'low']);
    expect(report.rules.find((r: { id: string }) => r.id === 's3-sse-kms-cmk').severity).toBe('low');
    expect(report.rules.some((r: { id: string }) => r.id === 's3-block-public-access')).toBe(false);
    // Nothing left at high or above in the S3 part; other rules may still fail on this small inventory.
    expect(report.findings.some((f: { ruleId: string; verdict: string; severity: string }) => f.ruleId.startsWith('s3-') && f.verdict === 'fail' && f.severity === 'high')).toBe(false);
  });

  it('frameworks from the config limit the rollup', async () => {
    const run = await scanWithConfig('aigis.config.json', JSON.stringify({ frameworks: ['hipaa'] }));
    expect(readJson(run.report).frameworks.map((f: { id: string }) => f.id)).toEqual(['hipaa']);
  });
});

describe('the README example config', () => {
  it('is valid and takes effect', async () => {
    const text = readFileSync(path.join(GATE_FIXTURES, 'aigis.config.example.yaml'), 'utf8');
    const run = await scanWithConfig('aigis.config.yaml', text, []);
    expect(run.stderr).not.toContain('error');
    const report = readJson(run.report);
    expect(report.frameworks.map((f: { id: string }) => f.id)).toEqual(['hipaa', 'soc2']);
    expect(report.rules.some((r: { id: string }) => r.id === 's3-access-logging')).toBe(false);
    expect(report.findings.find((f: { ruleId: string; resource: { name?: string } }) => f.ruleId === 's3-sse-kms-cmk' && f.resource.name === 'ci-logs').suppression.reason).toBe(
      'CI build logs, no customer data (RISK-7)',
    );
  });
});
