/**
 * `# aigis:suppress RULE reason="..." expires=YYYY-MM-DD` comments in the .tf files of a scanned
 * plan (fixtures/gate/terraform-suppressions): each applies to the findings located in its own
 * resource block, a malformed one stops the run with one line naming the file and line (exit 2),
 * an expired one behaves like an expired config suppression, and hostile .tf files stay bounded.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { suppressionsInTf } from '../../src/importers/terraform/inline-suppressions.js';
import { GATE_FIXTURES, lineOf, readJson, runCli, tempDir } from './helpers.js';

const FIXTURE = path.join(GATE_FIXTURES, 'terraform-suppressions');

/** The fixture in a temp dir (optionally with main.tf edited or more files), scanned from there. */
async function scan(options: { edit?: (mainTf: string) => string; files?: Record<string, string>; today?: string; formats?: string } = {}) {
  const cwd = tempDir('aigis-tfsup-');
  cpSync(FIXTURE, cwd, { recursive: true });
  if (options.edit) writeFileSync(path.join(cwd, 'main.tf'), options.edit(readFileSync(path.join(cwd, 'main.tf'), 'utf8')));
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(path.join(cwd, name), text);
  const out = tempDir('aigis-tfsup-out-');
  const run = await runCli(['scan', '--iac', '.', '--format', options.formats ?? 'json,sarif', '-o', out, '--fail-on', 'none'], {
    cwd,
    env: { AIGIS_TODAY: options.today ?? '2026-06-30' },
  });
  const findings = (): Finding[] => readJson(path.join(out, 'aigis-report.json')).findings;
  return { run, cwd, out, findings };
}

const byResource = (findings: Finding[], ruleId: string) =>
  Object.fromEntries(findings.filter((f) => f.ruleId === ruleId && f.verdict === 'fail').map((f) => [f.resource.source!.logicalId, f.suppression?.source ?? null]));

describe('Terraform inline suppressions', () => {
  it('apply to their own resource block only, with the reason in JSON and SARIF', async () => {
    const { run, findings, out } = await scan();
    expect(run.code).toBe(0);
    const main = path.join(FIXTURE, 'main.tf');
    const scratchLine = lineOf(main, 'aigis:suppress s3-*');
    // s3-* above aws_s3_bucket.scratch: every S3 rule on scratch, none on the other buckets.
    expect(byResource(findings(), 's3-versioning')).toEqual({
      'aws_s3_bucket.model_artifacts': null,
      'aws_s3_bucket.raw_uploads': null,
      'aws_s3_bucket.scratch': `main.tf:${scratchLine}`,
    });
    expect(byResource(findings(), 's3-access-logging')['aws_s3_bucket.training_data']).toBeNull();
    // Inside the encryption block of model_artifacts: the finding SARIF puts there, not raw_uploads'.
    expect(byResource(findings(), 's3-sse-kms-cmk')).toEqual({
      'aws_s3_bucket.model_artifacts': `main.tf:${lineOf(main, 'aigis:suppress s3-sse-kms-cmk')}`,
      'aws_s3_bucket.raw_uploads': null,
      'aws_s3_bucket.scratch': `main.tf:${scratchLine}`,
    });
    // Another rule on a resource with a directive is not covered.
    expect(byResource(findings(), 'cloudtrail-cloudwatch-logs')['aws_cloudtrail.app']).toBeNull();
    // In a module's own directory.
    const grounding = findings().find((f) => f.ruleId === 'bedrock-guardrail-contextual-grounding' && f.verdict === 'fail')!;
    expect(grounding.suppression).toEqual({
      reason: 'No retrieval behind this guardrail (RISK-41)',
      source: `modules/guardrails/main.tf:${lineOf(path.join(FIXTURE, 'modules/guardrails/main.tf'), 'aigis:suppress')}`,
    });
    const model = findings().find((f) => f.ruleId === 's3-sse-kms-cmk' && f.resource.source!.logicalId === 'aws_s3_bucket.model_artifacts')!;
    expect(model.suppression).toEqual({ reason: 'Open model weights, published on purpose (RISK-20)', expires: '2099-12-31', source: expect.stringMatching(/^main\.tf:\d+$/) });
    const sarif = readJson(path.join(out, 'aigis-report.sarif'));
    const result = sarif.runs[0].results.find(
      (r: any) => r.ruleId === 's3-sse-kms-cmk' && r.locations[0].logicalLocations[0].fullyQualifiedName.includes('model-artifacts'),
    );
    expect(result.suppressions).toEqual([expect.objectContaining({ status: 'accepted', justification: 'Open model weights, published on purpose (RISK-20)' })]);
    expect(run.stderr).not.toContain('warning: suppression');
  });

  it('an expired directive stops suppressing from the next day, warns and marks the finding', async () => {
    const line = lineOf(path.join(FIXTURE, 'main.tf'), 'aigis:suppress cloudtrail-log-file-validation');
    const before = await scan({ today: '2026-06-30' });
    expect(byResource(before.findings(), 'cloudtrail-log-file-validation')).toEqual({ 'aws_cloudtrail.app': `main.tf:${line}` });
    const after = await scan({ today: '2026-07-01' });
    expect(byResource(after.findings(), 'cloudtrail-log-file-validation')).toEqual({ 'aws_cloudtrail.app': null });
    expect(after.run.stderr).toContain(
      `aigis: warning: suppression main.tf:${line} (rule cloudtrail-log-file-validation, resource aws_cloudtrail.app) expired on 2026-06-30: 1 finding counts again`,
    );
    const app = after.findings().find((f) => f.ruleId === 'cloudtrail-log-file-validation')!;
    expect(app.evidence?.suppressionExpired).toEqual({ expires: '2026-06-30', reason: 'Validated in the log archive account (RISK-33)', source: `main.tf:${line}` });
  });

  it('reads // comments and comment lines between the directive and the resource; the same bytes every run', async () => {
    const edit = (tf: string) =>
      tf.replace('resource "aws_s3_bucket" "raw_uploads" {', '// aigis:suppress s3-versioning reason="Append-only \\"uploads\\""\n// owner: data team\nresource "aws_s3_bucket" "raw_uploads" {');
    const a = await scan({ edit });
    const raw = a.findings().find((f) => f.ruleId === 's3-versioning' && f.resource.source!.logicalId === 'aws_s3_bucket.raw_uploads')!;
    expect(raw.suppression?.reason).toBe('Append-only "uploads"');
    const b = await scan({ edit });
    for (const name of ['aigis-report.json', 'aigis-report.sarif']) {
      expect(readFileSync(path.join(a.out, name), 'utf8')).toBe(readFileSync(path.join(b.out, name), 'utf8'));
    }
  });

  const malformed: { name: string; directive: string; expected: string; at?: 'above' | 'inside' | 'floating' | 'trailing' }[] = [
    { name: 'no reason', directive: '# aigis:suppress s3-versioning', expected: 'aigis:suppress needs reason="..." (why the risk is accepted)' },
    { name: 'empty reason', directive: '# aigis:suppress s3-versioning reason=""', expected: 'aigis:suppress needs reason="..."' },
    { name: 'no rule', directive: '# aigis:suppress reason="x"', expected: 'aigis:suppress needs a rule id (or a glob over rule ids) first' },
    { name: 'bad date', directive: '# aigis:suppress s3-versioning reason="x" expires=2026-02-30', expected: 'expires must be a real calendar date written YYYY-MM-DD, got "2026-02-30"' },
    { name: 'unknown key', directive: '# aigis:suppress s3-versioning reason="x" until=2026-01-01', expected: 'aigis:suppress: unknown key "until" (expected reason and expires)' },
    { name: 'unclosed quote', directive: '# aigis:suppress s3-versioning reason="x', expected: 'aigis:suppress: a quoted value has no closing quote' },
    { name: 'a typo in the word', directive: '# aigis:supress s3-versioning reason="x"', expected: 'unknown directive "aigis:supress"' },
    { name: 'unknown rule id', directive: '# aigis:suppress s3-encrypted reason="x"', expected: 'unknown rule id "s3-encrypted" (see `aigis rules`)' },
    { name: 'a glob that matches no rule', directive: '# aigis:suppress nosuch-* reason="x"', expected: 'pattern "nosuch-*" matches no rule' },
    { name: 'not above a resource', directive: '# aigis:suppress s3-versioning reason="x"', at: 'floating', expected: 'must be inside or directly above a resource "TYPE" "NAME" block' },
    { name: 'after code on a line', directive: '  bucket_prefix = "scratch-" # aigis:suppress s3-versioning reason="x"', at: 'trailing', expected: 'must be a comment line of its own' },
  ];
  for (const c of malformed) {
    it(`a malformed directive (${c.name}): exit 2 with one line naming the file and line`, async () => {
      const anchor = 'resource "aws_s3_bucket" "raw_uploads" {';
      const edit = (tf: string) => {
        if (c.at === 'floating') return tf.replace(anchor, `${c.directive}\n\n${anchor}`);
        if (c.at === 'trailing') return tf.replace('  bucket_prefix = "scratch-"', c.directive);
        return tf.replace(anchor, `${c.directive}\n${anchor}`);
      };
      const { run, cwd } = await scan({ edit });
      expect(run.code).toBe(2);
      const line = lineOf(path.join(cwd, 'main.tf'), c.at === 'trailing' ? 'bucket_prefix = "scratch-" #' : c.directive.trim());
      const errors = run.stderr.split('\n').filter((l) => l.startsWith('aigis: error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`aigis: error: main.tf:${line}: `);
      expect(errors[0]).toContain(c.expected);
    });
  }

  it('a directive in a module block (not a resource) is an error', async () => {
    const { run } = await scan({ edit: (tf) => tf.replace('module "guardrails" {', 'module "guardrails" {\n  # aigis:suppress s3-versioning reason="x"') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/aigis: error: main\.tf:\d+: aigis:suppress must be inside or directly above a resource "TYPE" "NAME" block \(this block is not a resource\)/);
  });

  it('ignores directive-like text in strings, heredocs and block comments', () => {
    const tf = [
      'resource "aws_iam_policy" "p" {',
      '  description = "# aigis:suppress nothing"',
      '  policy = <<EOF',
      '# aigis:suppress not-a-directive',
      'EOF',
      '}',
      '/*',
      '# aigis:suppress inside a block comment',
      '*/',
    ].join('\n');
    expect(suppressionsInTf(tf, 'x.tf')).toEqual([]);
  });
});

describe('hostile .tf files stay bounded', () => {
  it('a very long line, many comments and a flood of directives: one clear error or none, quickly', async () => {
    const longLine = `  tags = { k = "${'a'.repeat(3 * 1024 * 1024)}" }`;
    const comments = Array.from({ length: 100_000 }, (_, i) => `# aigis note ${i} ${'#'.repeat(20)}`).join('\n');
    const started = Date.now();
    const quiet = await scan({
      files: { 'noise.tf': `${comments}\n# aigis:suppress s3-versioning reason="x"\nresource "aws_s3_bucket" "noise" {\n${longLine}\n${'// aigis'.repeat(50_000)}\n}\n` },
    });
    expect(quiet.run.code).toBe(0);
    // The file was read: its one directive is there, scoped to its block, and matches nothing.
    expect(quiet.run.stderr).toContain('aigis: warning: suppression noise.tf:100001 (rule s3-versioning, resource aws_s3_bucket.noise) matches no failing or unknown finding');
    const flood = await scan({
      files: { 'flood.tf': `resource "aws_s3_bucket" "noise" {\n${'  # aigis:suppress s3-versioning reason="x"\n'.repeat(5000)}}\n` },
    });
    expect(flood.run.code).toBe(2);
    expect(flood.run.stderr).toContain('aigis: error: flood.tf:1002: more than 1000 aigis:suppress comments in one file');
    const long = await scan({ files: { 'long.tf': `# aigis:suppress s3-versioning reason="${'x'.repeat(1_000_000)}"\nresource "aws_s3_bucket" "x" {\n}\n` } });
    expect(long.run.code).toBe(2);
    expect(long.run.stderr).toContain('aigis: error: long.tf:1: aigis:suppress comment longer than 2000 characters');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a quote-heavy or star-heavy directive costs a line scan, not backtracking', () => {
    const started = Date.now();
    const stars = `# aigis:suppress ${'*a'.repeat(900)}b reason="x"\nresource "aws_s3_bucket" "b" {\n}\n`;
    expect(suppressionsInTf(stars, 's.tf')).toHaveLength(1);
    const escapes = `# aigis:suppress s3-versioning reason="${'\\"'.repeat(900)}"\nresource "aws_s3_bucket" "b" {\n}\n`;
    expect(suppressionsInTf(escapes, 'e.tf')[0]!.reason).toBe('"'.repeat(900));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('many directives against many findings', () => {
  it('compares a finding only with the blocks of its own file', async () => {
    const { applySuppressions } = await import('../../src/engine/suppressions.js');
    const tf = Array.from({ length: 1000 }, (_, i) => `# aigis:suppress s3-versioning reason="r${i}"\nresource "aws_s3_bucket" "b${i}" {\n}\n`).join('');
    const specs = suppressionsInTf(tf, 'big.tf');
    expect(specs).toHaveLength(1000);
    const findings = Array.from({ length: 20_000 }, (_, i): Finding => ({
      ruleId: 's3-versioning',
      title: 't',
      severity: 'low',
      verdict: 'fail',
      service: 's3',
      resource: { arn: `arn:aws:s3:::b${i}`, type: 'AWS::S3::Bucket', region: 'us-east-1', source: { file: i % 2 ? 'big.tf' : 'other.tf', line: 3 * (i % 1000) + 2, logicalId: `aws_s3_bucket.b${i % 1000}` } },
      message: 'm',
      controls: [],
      fingerprint: String(i),
    }));
    const started = Date.now();
    const out = applySuppressions(findings, specs, '2026-01-01', ['s3-versioning']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(out.findings.filter((f) => f.suppression).length).toBe(10_000);
    expect(out.findings[1]!.suppression?.reason).toBe('r1');
  });
});
