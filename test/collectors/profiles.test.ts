/**
 * `--profile NAME` (or AWS_PROFILE) naming no profile is one line naming the profile and the files
 * searched; the SDK's Node version warning never comes before aigis's one-line errors.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { profileNames } from '../../src/collectors/profiles.js';
import type { Io } from '../../src/commands/io.js';

const ENV_KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
];
const saved: Record<string, string | undefined> = {};
let dir: string;
let configFile: string;
let credentialsFile: string;
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aigis-profiles-'));
  configFile = path.join(dir, 'config');
  credentialsFile = path.join(dir, 'credentials');
  await writeFile(
    configFile,
    [
      '[default]',
      'region = us-east-1',
      '[profile audit]   # the read-only role',
      'region = eu-west-1',
      '[sso-session corp]',
      'sso_region = eu-west-1',
      '; [profile commented]',
      '',
    ].join('\n'),
  );
  await writeFile(credentialsFile, ['[ci]', 'aws_access_key_id = AKIDEXAMPLE', 'aws_secret_access_key = secret', ''].join('\n'));
  for (const key of ENV_KEYS) saved[key] = process.env[key];
  process.on('warning', onWarning);
});

afterAll(async () => {
  process.off('warning', onWarning);
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  for (const key of ENV_KEYS) delete process.env[key];
  process.env.AWS_CONFIG_FILE = configFile;
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});
afterEach(() => {
  warnings.length = 0;
});

function bufferIo(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, env: process.env, isTTY: false };
}

describe('named profiles', () => {
  it('reads profile names as the SDK does', () => {
    const config = profileNames('[default]\n[profile audit]\n[profile "quoted"]\n[sso-session corp]\n[services s]\n[plain]\n# [profile gone]\n', 'config');
    expect([...config].sort()).toEqual(['audit', 'default', 'quoted']);
    const credentials = profileNames('[ci]\r\n[default] ; comment\n[profile x]\n', 'credentials');
    expect([...credentials].sort()).toEqual(['ci', 'default']);
  });

  it('`collect --profile missing` names the profile and both files, in one line, exit 2', async () => {
    const io = bufferIo();
    const code = await main(['collect', '--profile', 'missing', '--output', 'never.json'], io);
    expect(code).toBe(2);
    expect(io.err.join('')).toBe(`aigis: error: --profile missing: no such profile in ${configFile} or ${credentialsFile}\n`);
    expect(io.out).toEqual([]);
  });

  it('a live `scan --profile` and AWS_PROFILE are checked the same way', async () => {
    let io = bufferIo();
    expect(await main(['scan', '--profile', 'commented'], io)).toBe(2);
    expect(io.err.join('')).toBe(`aigis: error: --profile commented: no such profile in ${configFile} or ${credentialsFile}\n`);

    process.env.AWS_PROFILE = 'nope';
    io = bufferIo();
    expect(await main(['collect'], io)).toBe(2);
    expect(io.err.join('')).toBe(`aigis: error: AWS_PROFILE=nope: no such profile in ${configFile} or ${credentialsFile}\n`);
  });

  // First to build SDK clients in this process: the SDK warns once per process.
  it('an error after SDK clients exist is exactly one line, with no Node version warning before it', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    const io = bufferIo();
    const code = await main(['collect', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', '--max-attempts', '1'], io);
    await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
    expect(code).toBe(2);
    expect(io.err.join('').split('\n')).toHaveLength(2); // one line and its newline
    // On Node < 22 the SDK would print NodeVersionSupportWarning here (Node 20 is supported by aigis).
    expect(warnings.filter((w) => w.includes('NodeVersionSupportWarning'))).toEqual([]);
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
  });

  it('profiles of either file are accepted (the run goes on to identify the account)', async () => {
    for (const profile of ['audit', 'ci', 'default']) {
      const io = bufferIo();
      // Nothing listens on port 9: the run gets past the profile check and fails at STS.
      const code = await main(['collect', '--profile', profile, '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', '--max-attempts', '1'], io);
      expect(code).toBe(2);
      const err = io.err.join('');
      expect(err).not.toContain('no such profile');
      expect(err).toMatch(/^aigis: error: cannot identify the AWS account \(sts:GetCallerIdentity failed: [A-Za-z]+\)/);
    }
  });
});
