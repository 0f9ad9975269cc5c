/**
 * `aigis policy check` end to end, in-process: findings in every report format, exit codes,
 * locations for SARIF annotations, and precise input errors.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/policies');
const fixture = (name: string) => path.join(FIXTURES, name);

interface Report {
  findings: { ruleId: string; severity: string; verdict: string; message: string; resource: { arn: string; source?: { file: string; line?: number } } }[];
  rules: { id: string }[];
}

function readJson(cwd: string, file = 'aigis-policy-report/aigis-report.json'): Report {
  return JSON.parse(readFileSync(path.join(cwd, file), 'utf8')) as Report;
}

describe('aigis policy check', () => {
  it('clean policies: exit 0 even with --fail-on low, no failing findings', async () => {
    const run = await runCli(['policy', 'check', fixture('clean'), '--account-id', '123456789012', '--fail-on', 'low', '--format', 'json']);
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    expect(readJson(run.cwd).findings).toEqual([]);
  });

  it('risky policies: every kind of finding, exit 1 at --fail-on high', async () => {
    const run = await runCli(['policy', 'check', fixture('risky'), '--account-id', '123456789012', '--fail-on', 'high', '--format', 'json,sarif,html,markdown']);
    expect(run.code).toBe(1);
    const report = readJson(run.cwd);
    const ids = new Set(report.findings.map((f) => f.ruleId));
    for (const id of ['policy-unknown-action', 'policy-privilege-escalation', 'policy-passrole-wildcard', 'policy-allow-not-action', 'policy-public-access', 'policy-cross-account-access', 'policy-confused-deputy', 'policy-full-admin', 'policy-resource-type-mismatch']) {
      expect(ids, id).toContain(id);
    }
    const typo = report.findings.find((f) => f.ruleId === 'policy-unknown-action')!;
    expect(typo.message).toContain('did you mean s3:GetObject?');
    expect(typo.resource.source).toEqual(expect.objectContaining({ file: path.relative(run.cwd, fixture('risky/ml-platform.json')), line: 7, column: 18 }));
    const partner = report.findings.find((f) => f.ruleId === 'policy-cross-account-access')!;
    expect(partner.message).toContain('444455556666');
    for (const ext of ['sarif', 'html', 'md']) expect(existsSync(path.join(run.cwd, `aigis-policy-report/aigis-report.${ext}`)), ext).toBe(true);
    const sarif = JSON.parse(readFileSync(path.join(run.cwd, 'aigis-policy-report/aigis-report.sarif'), 'utf8'));
    const results = sarif.runs[0].results as { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
    expect(results.length).toBe(report.findings.filter((f) => f.verdict === 'fail').length);
    expect(results.some((r) => r.locations[0]!.physicalLocation.region.startLine > 1)).toBe(true);
  });

  it('findings below the threshold do not fail the run', async () => {
    const run = await runCli(['policy', 'check', fixture('risky/public-bucket.json'), '--account-id', '123456789012', '--fail-on', 'critical', '--format', 'json', '--type', 'trust']);
    // As a trust policy the Principal "*" statement is still public (critical).
    expect(run.code).toBe(1);
    const none = await runCli(['policy', 'check', fixture('clean/training-read.json'), '--fail-on', 'info', '--format', 'json']);
    expect(none.code).toBe(0);
  });

  it('grammar errors are findings with statement and field', async () => {
    const run = await runCli(['policy', 'check', fixture('broken/bad-effect.json'), '--format', 'json', '--fail-on', 'high']);
    expect(run.code).toBe(1);
    const report = readJson(run.cwd);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.ruleId).toBe('policy-syntax-error');
    expect(report.findings[0]!.message).toContain('Statement.1.Effect');
    expect(report.findings[0]!.resource.source?.line).toBe(5);
  });

  it('invalid JSON is an input error naming the file (exit 2), and no report is written', async () => {
    const cwd = tempDir();
    copyFileSync(fixture('broken/not-json.json.txt'), path.join(cwd, 'bad.json'));
    const run = await runCli(['policy', 'check', 'bad.json', '--format', 'json'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^aigis: error: bad\.json: is not valid JSON/);
    expect(existsSync(path.join(cwd, 'aigis-policy-report'))).toBe(false);
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['policy', 'check', fixture('clean'), '--type', 'session'])).code).toBe(2);
    expect((await runCli(['policy', 'check', fixture('clean'), '--account-id', '12'])).code).toBe(2);
    expect((await runCli(['policy', 'check', 'does-not-exist.json'])).code).toBe(2);
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'package.json'), '{"name":"x"}');
    const notPolicy = await runCli(['policy', 'check', 'package.json'], cwd);
    expect(notPolicy.code).toBe(2);
    expect(notPolicy.stderr).toContain('is not an IAM policy document');
  });

  it('unwraps AWS CLI output (get-policy-version, get-bucket-policy)', async () => {
    const cwd = tempDir();
    const doc = JSON.parse(readFileSync(fixture('risky/admin.json'), 'utf8'));
    writeFileSync(path.join(cwd, 'version.json'), JSON.stringify({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(doc)), VersionId: 'v1' } }, null, 2));
    writeFileSync(path.join(cwd, 'bucket.json'), JSON.stringify({ Policy: readFileSync(fixture('risky/public-bucket.json'), 'utf8') }));
    const run = await runCli(['policy', 'check', '.', '--format', 'json', '--account-id', '123456789012'], cwd);
    const report = readJson(cwd);
    expect(run.code).toBe(0);
    expect(report.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['policy-full-admin', 'policy-public-access']));
  });

  it('output is deterministic', async () => {
    const a = await runCli(['policy', 'check', fixture('risky'), '--format', 'json']);
    const b = await runCli(['policy', 'check', fixture('risky'), '--format', 'json']);
    const strip = (cwd: string) => readFileSync(path.join(cwd, 'aigis-policy-report/aigis-report.json'), 'utf8');
    expect(strip(a.cwd)).toBe(strip(b.cwd));
  });
});

describe('aigis policy check on hostile input', () => {
  it('deeply nested JSON is an input error at its path; a malformed URL encoding is a finding; never crashes', async () => {
    const cwd = tempDir();
    const deep = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"k":${'['.repeat(300)}1${']'.repeat(300)}}}}]}`;
    writeFileSync(path.join(cwd, 'deep.json'), deep);
    writeFileSync(path.join(cwd, 'encoded.json'), JSON.stringify({ Policy: '%7B%E0%A4%A' }));
    const nested = await runCli(['policy', 'check', 'deep.json', '--format', 'json'], cwd);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/^aigis: error: deep\.json at \$\.Statement\[0\]\.Condition\.StringEquals\.k\[0\]/);
    expect(nested.stderr.trim().split('\n')).toHaveLength(1);
    const run = await runCli(['policy', 'check', 'encoded.json', '--format', 'json', '--fail-on', 'high'], cwd);
    expect(run.stderr).not.toContain('internal error');
    expect(run.code).toBe(1);
    expect(readJson(cwd).findings.map((f) => f.ruleId)).toEqual(['policy-syntax-error']);
  });
});
