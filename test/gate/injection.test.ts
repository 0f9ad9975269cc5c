/**
 * Terminal and CI injection (issue 11, item 5), one test per output channel: text from the input
 * (bucket names and ARNs, tags, policy Sids, collection errors, JSON keys, file names, config
 * values) that holds OSC/CSI sequences, BEL, CR, newlines followed by workflow commands, legacy
 * `##[command]` markers and bidi overrides comes out inert: no raw control, bidi or invisible
 * character, and no line that the GitHub runner would read as a command, except aigis's own
 * annotation lines, whose properties and message are escaped.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/main.js';
import { runCollectCommand } from '../../src/commands/collect-run.js';
import type { Io } from '../../src/commands/io.js';
import { FAULTS, awsError, installFakeAccount, testOptions, type FakeAccount } from '../collectors/fake-account.js';
import { GATE_FIXTURES, runCli, tempDir } from './helpers.js';

/** Every trick at once: OSC title + BEL, clear screen, CR overwrite, forged lines, legacy marker, bidi, zero-width, C1 CSI. */
const EVIL = 'evil\x1b]0;pwned\x07\x1b[2J\rX\n::error file=x::forged\n::add-mask::x \u202egnp.exe\u2066 ##[error]legacy\u200b\x9b31m';
/** The same, as it must be shown. */
const SHOWN = 'evil\\x1b]0;pwned\\x07\\x1b[2J\\rX\\n::error file=x::forged\\n::add-mask::x \\u{202e}gnp.exe\\u{2066} ##\\[error]legacy\\u{200b}\\x9b31m';

/** Raw characters that must never reach a terminal or a log (line feeds between lines excepted). */
const UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/u;
/** aigis's own annotations: level, escaped properties (no raw `:` or `,` inside a value), message. */
const OWN_ANNOTATION = /^::(error|warning) (file=[^:,]+,)?(line=\d+,)?title=aigis [^:,]+::\S/;

function expectInert(text: string, ownAnnotations = false): void {
  expect(text, 'raw control, bidi or invisible character').not.toMatch(UNSAFE);
  for (const line of text.split('\n')) {
    expect(line, 'legacy workflow command').not.toContain('##[');
    if (/^\s*::/.test(line)) {
      expect(ownAnnotations, `workflow command in the log: ${line}`).toBe(true);
      expect(line).toMatch(OWN_ANNOTATION);
    }
  }
}

const minimal = { schemaVersion: '1.0', account: { id: '123456789012' }, regions: ['us-east-1'] };

/** A public, unencrypted bucket whose every free-text field is hostile, and a hostile collection error. */
function hostileSnapshot(): object {
  return {
    ...minimal,
    collectionErrors: [{ service: EVIL, region: EVIL, operation: EVIL, resource: EVIL, errorCode: EVIL, message: EVIL }],
    s3: {
      buckets: [
        {
          arn: `arn:aws:s3:::${EVIL}`,
          region: 'us-east-1',
          name: EVIL,
          tags: { owner: EVIL, [EVIL]: 'x' },
          publicAccessBlock: null,
          encryption: null,
          policy: {
            Version: '2012-10-17',
            Statement: [{ Sid: EVIL, Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::evil/*' }],
          },
        },
      ],
    },
  };
}

function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('CLI channels', () => {
  it('console summary on stderr: findings, ARNs, messages and collection errors are inert', async () => {
    const dir = tempDir();
    const snapshot = writeJson(dir, 'snap.json', hostileSnapshot());
    const run = await runCli(['scan', '--input', snapshot, '--format', 'json,markdown', '--output', 'out', '--fail-on', 'none'], { cwd: dir });
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Failing:');
    expect(run.stderr).toContain(`arn:aws:s3:::${SHOWN}`);
    expect(run.stderr).toMatch(/Coverage: 1 collection error/);
    expect(run.stderr).toContain(`${SHOWN}/${SHOWN} ${SHOWN} ${SHOWN}: ${SHOWN}`);
    expectInert(run.stderr);
    expect(run.stdout).toBe('');

    // The Markdown report (PR comment / job summary) from the same scan.
    const md = readFileSync(path.join(dir, 'out', 'aigis-report.md'), 'utf8');
    expectInert(md);
    expect(md).toContain('\\\\x1b\\]0;pwned\\\\x07');
    expect(md).toContain('\\\\u{202e}gnp.exe');
    // The data is still all there for machines: JSON keeps it exactly.
    const json = JSON.parse(readFileSync(path.join(dir, 'out', 'aigis-report.json'), 'utf8'));
    expect(json.findings.some((f: { resource: { arn: string } }) => f.resource.arn === `arn:aws:s3:::${EVIL}`)).toBe(true);
  });

  it('one-line errors on stderr: file names, JSON keys and flags from the input are inert', async () => {
    const dir = tempDir();
    const cases: { argv: string[]; lines: number }[] = [
      // A file name (Linux allows every byte but `/` and NUL).
      { argv: ['scan', '--input', path.join(dir, `${EVIL}.json`)], lines: 1 },
      // A JSON key in the path of a schema error.
      { argv: ['scan', '--input', writeJson(dir, 'key.json', { ...minimal, s3: { buckets: [{ arn: 'arn:aws:s3:::b', region: 'us-east-1', name: 'b', tags: { [EVIL]: 5 } }] } })], lines: 1 },
      // A value quoted in an error (config rule pattern).
      { argv: ['scan', '--demo', '--config', writeJson(dir, 'c.json', { rules: { [EVIL]: 'off' } })], lines: 1 },
      // A flag name: a usage error keeps its own second line, the hint.
      { argv: ['scan', '--demo', `--${EVIL.replace(/\n/g, ' ')}`], lines: 2 },
    ];
    for (const { argv, lines } of cases) {
      const run = await runCli(argv, { cwd: dir });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^aigis: error: /);
      expect(run.stderr).not.toMatch(/internal error/);
      expect(run.stderr.endsWith('\n')).toBe(true);
      expect(run.stderr.slice(0, -1).split('\n'), run.stderr).toHaveLength(lines);
      if (lines === 2) expect(run.stderr).toMatch(/\nRun `aigis --help` for usage\.\n$/);
      expect(run.stderr).toMatch(/\\x1b\]0;pwned\\x07|\\u001b\]0;pwned\\u0007/);
      expectInert(run.stderr);
    }
  });

  it('scan warnings on stderr: a config suppression that matches nothing names its pattern inert', async () => {
    const dir = tempDir();
    const snapshot = writeJson(dir, 'snap.json', hostileSnapshot());
    const config = writeJson(dir, 'aigis.config.json', { suppressions: [{ rule: 's3-sse-kms-cmk', resource: `${EVIL}-elsewhere`, reason: EVIL }] });
    const run = await runCli(['scan', '--input', snapshot, '--config', config, '--format', 'json', '--output', 'out'], { cwd: dir });
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.stderr).toMatch(/^aigis: warning: suppression .* matches no failing or unknown finding/m);
    expect(run.stderr).toContain(`${SHOWN}-elsewhere`);
    expectInert(run.stderr);
  });
});

describe('policy check channel', () => {
  it('console summary of `aigis policy check`: a hostile policy file name and Sid are inert', async () => {
    const dir = tempDir();
    const file = writeJson(dir, `${EVIL.replace(/\n/g, ' ')}.json`, {
      Version: '2012-10-17',
      Statement: [{ Sid: EVIL, Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    const run = await runCli(['policy', 'check', file, '--format', 'json', '--output', 'out', '--fail-on', 'none'], { cwd: dir });
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Failing:');
    expect(run.stderr).toContain('\\x1b]0;pwned\\x07');
    expectInert(run.stderr);
  });
});

describe('collect channel', () => {
  let account: FakeAccount | undefined;
  afterEach(() => account?.restore());

  it('collection-error warning, progress and stats lines on stderr are inert', async () => {
    account = installFakeAccount();
    account.handlers['s3:GetBucketEncryption'] = () => {
      throw awsError(EVIL, 403, EVIL);
    };
    account.handlers['kms:GetKeyPolicy'] = () => {
      throw FAULTS.AccessDenied();
    };
    const dir = tempDir();
    const err: string[] = [];
    const io: Io = { stdout: () => undefined, stderr: (t) => err.push(t), cwd: dir, env: {}, isTTY: false };
    const code = await runCollectCommand({ output: 'snap.json', stats: true }, io, testOptions());
    expect(code).toBe(0);
    const stderr = err.join('');
    expect(stderr).toMatch(/^aigis: warning: \d+ API calls failed/m);
    expect(stderr).toContain(`s3:GetBucketEncryption ${SHOWN} x`);
    expect(stderr).toMatch(/^aigis: collected s3 /m);
    expectInert(stderr);
    // The snapshot keeps the code as AWS (here: the fake) sent it.
    expect(readFileSync(path.join(dir, 'snap.json'), 'utf8')).toContain(JSON.stringify(EVIL).slice(1, -1));
  });
});

describe('GitHub Action channels', () => {
  /** The gate fixture repository plus a template with a hostile file name, policy Sids and tag. */
  function hostileRunner() {
    const repo = tempDir('aigis-action-repo-');
    cpSync(path.join(GATE_FIXTURES, 'repo'), repo, { recursive: true });
    const templateDir = path.join(repo, 'infra', 'cloudformation');
    mkdirSync(templateDir, { recursive: true });
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Evil: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'evil-bucket',
            Tags: [{ Key: 'owner', Value: EVIL }],
            BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          },
        },
        EvilRole: {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: 'evil-role',
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
            },
            Policies: [{ PolicyName: 'admin', PolicyDocument: { Version: '2012-10-17', Statement: [{ Sid: EVIL, Effect: 'Allow', Action: '*', Resource: '*' }] } }],
          },
        },
        EvilPolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'Evil' },
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Sid: EVIL, Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::evil-bucket/*' }],
            },
          },
        },
      },
    };
    // File names reach the annotation `file=` property, the log and the summary.
    writeFileSync(path.join(templateDir, 'evil\x1b[2J,v:l\u202e ##[error]x\n::error file=y::forged.json'), JSON.stringify(template, null, 2));
    const runnerDir = tempDir('aigis-runner-');
    const outputFile = path.join(runnerDir, 'output');
    const summaryFile = path.join(runnerDir, 'summary');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const env: NodeJS.ProcessEnv = {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: repo,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: runnerDir,
      INPUT_PATH: 'infra',
      'INPUT_FAIL-ON': 'high',
    };
    return { repo, env, summaryFile };
  }

  async function run() {
    const r = hostileRunner();
    let stdout = '';
    let stderr = '';
    const code = await runAction({ stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: r.repo, env: r.env, isTTY: false });
    return { code, stdout, stderr, summary: readFileSync(r.summaryFile, 'utf8') };
  }

  it('annotations on stdout: only aigis own lines, with escaped properties and message', async () => {
    const res = await run();
    expect(res.stderr).not.toMatch(/internal error/);
    expect(res.code).toBe(1);
    expectInert(res.stdout, true);
    const lines = res.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => OWN_ANNOTATION.test(l))).toBe(true);
    const evil = lines.find((l) => l.includes('iam-no-full-admin'));
    expect(evil, res.stdout).toBeDefined();
    // The hostile file name: `,` and `:` as %2C/%3A, controls and the line feed as visible escapes.
    expect(evil).toContain('file=infra/cloudformation/evil\\x1b[2J%2Cv%3Al\\u{202e} ##\\[error]x\\n%3A%3Aerror file=y%3A%3Aforged.json,');
    // The Sid in the message, escaped; the message's own line break as %0A.
    expect(evil).toContain('\\x1b]0;pwned\\x07\\x1b[2J\\rX\\n::error file=x::forged');
    expect(evil).toMatch(/%0AResource: arn:aws:iam::\d{12}:role\/evil-role$/);
  });

  it('log lines on stderr: the command line, the console summary and warnings are inert', async () => {
    const res = await run();
    expect(res.stderr).toMatch(/^aigis scan --iac infra /);
    expect(res.stderr).toContain('Failing:');
    expectInert(res.stderr);
  });

  it('job summary (Markdown): no raw control or bidi character, tables intact', async () => {
    const res = await run();
    expect(res.summary).toContain('## aigis compliance scan');
    expectInert(res.summary);
    expect(res.summary).toContain('\\\\x1b\\]0;pwned\\\\x07');
    for (const row of res.summary.split('\n').filter((l) => l.startsWith('| '))) {
      expect(row.endsWith(' |') || row.endsWith('|'), row).toBe(true);
    }
  });

  it('an input error: the error annotation and summary line are inert', async () => {
    const r = hostileRunner();
    r.env.INPUT_PATH = `infra/${EVIL}`;
    let stdout = '';
    let stderr = '';
    const code = await runAction({ stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: r.repo, env: r.env, isTTY: false });
    expect(code).toBe(2);
    expectInert(stdout, true);
    expect(stdout).toMatch(/^::error title=aigis could not run::/);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expectInert(stderr);
    const summary = readFileSync(r.summaryFile, 'utf8');
    expectInert(summary);
    expect(summary).toContain('**aigis could not run:**');
  });
});
