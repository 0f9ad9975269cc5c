/**
 * The GitHub Action entry point, run the way a runner runs it: INPUT_* environment (hyphens kept,
 * as the runner writes them), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, RUNNER_TEMP, working
 * directory = a checkout of a repository with a CloudFormation template and a Terraform plan.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatAnnotation, formatOutput, getInput } from '../../src/action/github.js';
import { runAction } from '../../src/action/main.js';
import { packageRoot } from '../../src/engine/paths.js';
import { actionRunner, lineOf, type ActionRunner } from './helpers.js';

const CFN = 'infra/cloudformation/storage.yaml';
const TF = 'infra/terraform/main.tf';

type Runner = ActionRunner;

function runner(inputs: Record<string, string>): Runner {
  return actionRunner(inputs);
}

async function run(r: Runner) {
  let stdout = '';
  let stderr = '';
  const code = await runAction({ stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: r.repo, env: r.env, isTTY: false });
  return { code, stdout, stderr, outputs: parseOutputs(readFileSync(r.outputFile, 'utf8')), summary: readFileSync(r.summaryFile, 'utf8') };
}

/** Parses GITHUB_OUTPUT the way the runner does: name=value lines and name<<DELIM heredocs. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      const eq = line.indexOf('=');
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

describe('action entry point', () => {
  it('scans the repository, writes SARIF, summary and outputs, and fails on high findings', async () => {
    const r = runner({ path: 'infra', 'fail-on': 'high' });
    const res = await run(r);
    expect(res.code).toBe(1);

    expect(res.outputs).toMatchObject({ critical: '0', high: '2', 'sarif-file': 'aigis.sarif', suppressed: '1' });
    expect(Number(res.outputs.failing)).toBeGreaterThanOrEqual(2);
    expect(res.outputs['new-findings']).toBe(res.outputs.failing);
    expect(res.outputs['failing-rules']!.split('\n')).toContain('s3-sse-kms-cmk');
    expect(res.outputs['failing-rules']).toContain('\n'); // a real multi-line output went through the heredoc form

    const sarif = JSON.parse(readFileSync(path.join(r.repo, 'aigis.sarif'), 'utf8'));
    const bySubject = (arn: string) =>
      sarif.runs[0].results.find((x: any) => x.ruleId === 's3-sse-kms-cmk' && x.locations[0].logicalLocations[0].fullyQualifiedName === arn);
    const replica = bySubject('arn:aws:s3:::ci-logs-replica').locations[0].physicalLocation;
    expect(replica.artifactLocation.uri).toBe(CFN);
    expect(replica.region.startLine).toBe(lineOf(path.join(r.repo, CFN), 'BucketEncryption:', 'CiLogsReplica:'));
    const exportsLoc = bySubject('arn:aws:s3:::feature-exports').locations[0].physicalLocation;
    expect(exportsLoc.artifactLocation.uri).toBe(TF);
    expect(exportsLoc.region.startLine).toBe(lineOf(path.join(r.repo, TF), '"aws_s3_bucket_server_side_encryption_configuration" "exports"'));
    expect(bySubject('arn:aws:s3:::ci-logs').suppressions).toHaveLength(1);

    expect(res.summary).toContain('## aigis compliance scan');
    expect(res.summary).toContain(`scanned ${CFN}, infra/terraform/plan.json`);
    expect(res.summary).toContain('<summary>Suppressed (1)</summary>');
    expect(res.summary).toMatch(/\| high \| \[s3-sse-kms-cmk\]\([^)]*\) \| CiLogsReplica \(AWS::S3::Bucket\)<br>infra\/cloudformation\/storage.yaml:\d+ \|/);

    const replicaLine = lineOf(path.join(r.repo, CFN), 'BucketEncryption:', 'CiLogsReplica:');
    expect(res.stdout).toContain(`::error file=${CFN},line=${replicaLine},title=aigis s3-sse-kms-cmk (high)::Default encryption is SSE-S3`);
    expect(res.stdout).toMatch(/::warning file=infra\/terraform\/main.tf,line=\d+,title=aigis s3-versioning \(medium\)::/);
    expect(res.stdout).not.toContain('arn:aws:s3:::ci-logs%0A'); // the suppressed finding is not annotated
    expect(res.stderr).toContain('aigis scan --iac infra --fail-on high --format json,sarif,markdown --output <temp>');
    // The temp report directory is cleaned up.
    expect(readdirSync(r.env.RUNNER_TEMP!).sort()).toEqual(['output', 'summary']);
  });

  it('passes with fail-on none and with fail-on critical; writes extra formats to the output directory', async () => {
    const none = await run(runner({ path: 'infra', 'fail-on': 'none' }));
    expect(none.code).toBe(0);
    const r = runner({ path: 'infra', 'fail-on': 'critical', format: 'html,json', output: 'reports', 'sarif-file': 'out/scan.sarif', annotations: 'false' });
    const res = await run(r);
    expect(res.code).toBe(0);
    expect(res.outputs['sarif-file']).toBe('out/scan.sarif');
    expect(existsSync(path.join(r.repo, 'out', 'scan.sarif'))).toBe(true);
    expect(readFileSync(path.join(r.repo, 'reports', 'aigis-report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(JSON.parse(readFileSync(path.join(r.repo, 'reports', 'aigis-report.json'), 'utf8')).reportVersion).toBe('2.3');
    expect(res.stdout).not.toContain('::error');
  });

  it('runs only the rules of the rules input, without those of skip-rules', async () => {
    const only = await run(runner({ path: 'infra', 'fail-on': 'high', rules: 's3-sse-kms-cmk,s3-versioning' }));
    expect(only.stderr).toContain('--rules s3-sse-kms-cmk --rules s3-versioning');
    expect(only.outputs['failing-rules']!.split('\n').sort()).toEqual(['s3-sse-kms-cmk', 's3-versioning']);
    expect(only.code).toBe(1);
    const skipped = await run(runner({ path: 'infra', 'fail-on': 'high', rules: 's3-sse-kms-cmk\ns3-versioning', 'skip-rules': 's3-sse-kms-cmk' }));
    expect(skipped.outputs['failing-rules']).toBe('s3-versioning');
    expect(skipped.outputs.high).toBe('0');
    expect(skipped.code).toBe(0);
    const unknown = await run(runner({ path: 'infra', 'skip-rules': 'no-such-rule' }));
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('--skip-rules: unknown rule id');
  });

  it('with a baseline, fails only on what the change introduces', async () => {
    // The base-branch scan of the README workflow: baseline only, no summary, no annotations, never fails.
    const first = runner({ path: 'infra', 'fail-on': 'none', 'sarif-file': 'base.sarif', summary: 'false', annotations: 'false' });
    const base = await run(first);
    expect(base.code).toBe(0);
    expect(base.summary).toBe('');
    expect(base.stdout).toBe('');
    const baseline = path.join(first.repo, 'base.sarif');

    const unchanged = runner({ path: 'infra', 'fail-on': 'high', baseline });
    const same = await run(unchanged);
    expect(same.code).toBe(0);
    expect(same.outputs['new-findings']).toBe('0');
    expect(same.summary).toContain('### New failing findings (0)');
    expect(same.stdout).not.toContain('::error');

    const changed = runner({ path: 'infra', 'fail-on': 'high', baseline });
    const template = path.join(changed.repo, CFN);
    writeFileSync(template, `${readFileSync(template, 'utf8')}  Uploads:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: raw-uploads\n`);
    const res = await run(changed);
    expect(res.code).toBe(1);
    expect(res.outputs['new-findings']).toBe(String(Number(res.summary.match(/\((\d+) new since the baseline\)/)![1])));
    expect(Number(res.outputs['new-findings'])).toBeGreaterThanOrEqual(1);
    expect(res.summary).toMatch(/### New failing findings \(\d+\)[\s\S]*Uploads \(AWS::S3::Bucket\)/);
    const annotated = res.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotated.length).toBeGreaterThan(0);
    expect(annotated.every((l) => l.includes('Uploads') || l.includes('raw-uploads'))).toBe(true);
  });

  it('bad input: exit 2, an error annotation and a summary line, no outputs', async () => {
    const r = runner({ path: 'infra', 'fail-on': 'severe' });
    const res = await run(r);
    expect(res.code).toBe(2);
    expect(res.stdout).toContain('::error title=aigis could not run::--fail-on: unknown severity "severe"');
    expect(res.summary).toContain('**aigis could not run:** --fail-on: unknown severity "severe"');
    expect(res.outputs).toEqual({});

    const missing = await run(runner({ path: 'does-not-exist' }));
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('::error title=aigis could not run::');
    expect(missing.stdout).toContain('cannot read input (ENOENT)');

    const badBool = await run(runner({ path: 'infra', annotations: 'maybe' }));
    expect(badBool.code).toBe(2);
  });

  it('reads CloudFormation parameters from a multi-line input and a config file from the checkout', async () => {
    const r = runner({ path: CFN, parameters: 'Environment=prod\n', 'fail-on': 'high' });
    writeFileSync(path.join(r.repo, 'aigis.config.yaml'), 'suppressions:\n  - rule: s3-sse-kms-cmk\n    resource: ci-logs-replica\n    reason: replica of CI logs (RISK-7)\n');
    const res = await run(r);
    expect(res.summary).toContain('training-data-prod');
    expect(res.outputs.suppressed).toBe('2');
    expect(res.outputs.high).toBe('0');
    expect(res.code).toBe(0);
  });
});

describe('runner protocol helpers', () => {
  it('reads inputs with hyphens kept or turned into underscores', () => {
    expect(getInput({ 'INPUT_FAIL-ON': ' medium ' }, 'fail-on')).toBe('medium');
    expect(getInput({ INPUT_FAIL_ON: 'low' }, 'fail-on')).toBe('low');
    expect(getInput({ 'INPUT_FAIL-ON': '' }, 'fail-on')).toBeUndefined();
  });

  it('writes multi-line outputs with a delimiter that is not in the value', () => {
    expect(formatOutput('n', 'v')).toBe('n=v\n');
    let calls = 0;
    const delimiters = ['EOF', 'EOF2'];
    expect(formatOutput('n', 'a\nEOF\nb', () => delimiters[calls++]!)).toBe('n<<EOF2\na\nEOF\nb\nEOF2\n');
  });

  it('escapes workflow command data and properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc');
    expect(formatAnnotation({ level: 'warning', message: 'x\n::error::injected', file: 'a,b.yaml', line: 3 })).toBe('::warning file=a%2Cb.yaml,line=3::x%0A::error::injected\n');
  });
});

const distMain = path.join(packageRoot(), 'dist', 'src', 'action', 'main.js');

// `npm test` compiles to dist/ before running vitest; this runs the compiled entry exactly as
// action.yml does (a separate node process, exit code and files only).
describe.runIf(existsSync(distMain))('compiled action as a child process', () => {
  it('node dist/src/action/main.js exits 1 and writes the runner files', async () => {
    const r = runner({ path: 'infra', 'fail-on': 'high' });
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...r.env };
    const result = await promisify(execFile)(process.execPath, [distMain], { cwd: r.repo, env }).then(
      (ok) => ({ code: 0, stdout: ok.stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error file=infra/cloudformation/storage.yaml');
    expect(parseOutputs(readFileSync(r.outputFile, 'utf8')).high).toBe('2');
    expect(readFileSync(r.summaryFile, 'utf8')).toContain('## aigis compliance scan');
    expect(existsSync(path.join(r.repo, 'aigis.sarif'))).toBe(true);
  }, 60_000);

  // Custom rule modules import the rule API as 'aigis': the compiled CLI maps that name (a module
  // resolve hook), so this runs as the action runs, not in-process under the test runner.
  it('runs custom rules and a company catalog from the rules-dir and framework-file inputs', async () => {
    const r = runner({ path: 'infra', 'fail-on': 'none', 'rules-dir': 'checks', 'framework-file': 'checks/acme-ai-policy.yaml', format: 'json', output: 'reports' });
    cpSync(path.join(packageRoot(), 'examples', 'custom-rules'), path.join(r.repo, 'checks'), { recursive: true });
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...r.env };
    const result = await promisify(execFile)(process.execPath, [distMain], { cwd: r.repo, env }).then(
      (ok) => ({ code: 0, stderr: ok.stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('--rules-dir checks --framework-file checks/acme-ai-policy.yaml');
    const report = JSON.parse(readFileSync(path.join(r.repo, 'reports', 'aigis-report.json'), 'utf8')) as { rules: { id: string }[]; frameworks: { id: string }[] };
    expect(report.rules.map((x) => x.id)).toContain('acme-sagemaker-owner-tag');
    expect(report.frameworks.map((f) => f.id)).toContain('acme-ai-policy');
  }, 60_000);
});

describe('fail-on default', () => {
  it('is high without a config, and the config failOn when the input is not given', async () => {
    expect((await run(runner({ path: 'infra' }))).code).toBe(1);
    const r = runner({ path: 'infra' });
    writeFileSync(path.join(r.repo, 'aigis.config.json'), JSON.stringify({ failOn: 'critical' }));
    const res = await run(r);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('--fail-on critical');
    // An explicit input still wins over the config.
    const explicit = runner({ path: 'infra', 'fail-on': 'medium' });
    writeFileSync(path.join(explicit.repo, 'aigis.config.json'), JSON.stringify({ failOn: 'critical' }));
    expect((await run(explicit)).code).toBe(1);
  });
});
