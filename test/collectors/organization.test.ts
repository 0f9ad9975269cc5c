/**
 * Organization scans end to end over loopback (issue 13): a simulated organization (units, an SCP,
 * a delegated administrator, an account that refuses AssumeRole, one that throttles it, a
 * suspended one) answers Organizations and STS for the management credentials and forwards each
 * member account's calls to that account's own loopback AWS. `collect --org`, `scan --org`, a scan
 * of the snapshot and a merge of shards (by flag and by the array-job index variables) must give
 * byte-identical reports, and unscanned accounts must be there, unknown.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/commands/io.js';
import { collectOrganizationAccounts, shardOf, type AccountOutcome } from '../../src/collectors/organization-accounts.js';
import { startLoopbackOrganization, useManagementEnv, type LoopbackOrganization, type SimulatedOrganization } from '../helpers/loopback-org.js';

const MANAGEMENT = '100000000000';
const ML_PROD = '200000000001';
const ML_DEV = '200000000002';
const DATA = '300000000003';
const DENIED = '400000000004';
const SUSPENDED = '500000000005';
const THROTTLED = '600000000006';

const SCP = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyUnapprovedModels', Effect: 'Deny', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], NotResource: 'arn:aws:bedrock:*::foundation-model/anthropic.*' }],
});

const ORGANIZATION: SimulatedOrganization = {
  id: 'o-abcdef1234',
  managementAccountId: MANAGEMENT,
  rootId: 'r-ab12',
  units: [
    { id: 'ou-ab12-workload', name: 'Workloads', parentId: 'r-ab12' },
    { id: 'ou-ab12-mlunit01', name: 'ML', parentId: 'ou-ab12-workload' },
    { id: 'ou-ab12-sandbox1', name: 'Sandbox', parentId: 'r-ab12' },
  ],
  accounts: [
    { id: MANAGEMENT, name: 'management', parentId: 'r-ab12' },
    { id: ML_PROD, name: 'ml-prod', parentId: 'ou-ab12-mlunit01' },
    { id: ML_DEV, name: 'ml-dev', parentId: 'ou-ab12-mlunit01' },
    { id: DATA, name: 'data-lake', parentId: 'ou-ab12-workload' },
    { id: DENIED, name: 'locked', parentId: 'ou-ab12-sandbox1', denyAssumeRole: true },
    { id: SUSPENDED, name: 'old', parentId: 'ou-ab12-sandbox1', status: 'SUSPENDED' },
    { id: THROTTLED, name: 'busy', parentId: 'ou-ab12-sandbox1', throttleAssumeRole: 2 },
  ],
  policies: [{ id: 'p-approvedmodels', name: 'approved-models', type: 'SERVICE_CONTROL_POLICY', content: SCP, targets: ['ou-ab12-workload'] }],
  delegatedAdministrators: [{ accountId: DATA, services: ['guardduty.amazonaws.com', 'securityhub.amazonaws.com'] }],
};

let restoreEnv: () => void;
let org: LoopbackOrganization;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aigis-org-'));
  org = await startLoopbackOrganization(ORGANIZATION, { pageSize: 2 });
  restoreEnv = useManagementEnv(org.url, dir);
});
afterAll(async () => {
  await org.close();
  restoreEnv();
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; stdout: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir, env: { ...process.env, ...env }, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** The connections a scan of the organization may open with one HTTP handler shared by every account. */
const LIMIT_CONNECTIONS = 40;
const LIVE = ['--region', 'us-east-1', '--services', 's3,kms,iam', '--max-attempts', '4', '--org-external-id', 'aigis-ext-1'];
const REPORT = ['-f', 'json,sarif,html,markdown', '--fail-on', 'none'];

async function readLines(file: string): Promise<any[]> {
  return (await readFile(path.join(dir, file), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
}

async function sameReports(a: string, b: string): Promise<void> {
  for (const file of ['aigis-report.json', 'aigis-report.sarif', 'aigis-report.html', 'aigis-report.md']) {
    expect(await readFile(path.join(dir, b, file), 'utf8'), `${b}/${file}`).toBe(await readFile(path.join(dir, a, file), 'utf8'));
  }
}

describe('aigis collect --org', () => {
  it('writes the organization and every account, in id order, the unreachable ones as not scanned', async () => {
    const result = await run(['collect', '--org', '-o', 'org.jsonl', ...LIVE]);
    expect(result.code, result.stderr).toBe(0);
    const [header, ...accounts] = await readLines('org.jsonl');
    expect(header.aigisOrganizationSnapshot).toBe('1.0');
    expect(header.organization).toMatchObject({ id: 'o-abcdef1234', managementAccountId: MANAGEMENT, roots: [{ id: 'r-ab12', name: 'Root' }] });
    expect(header.organization.organizationalUnits.map((u: any) => u.id)).toEqual(['ou-ab12-mlunit01', 'ou-ab12-sandbox1', 'ou-ab12-workload']);
    expect(header.organization.accounts.map((a: any) => a.id)).toEqual([MANAGEMENT, ML_PROD, ML_DEV, DATA, DENIED, SUSPENDED, THROTTLED]);
    expect(header.organization.policies).toEqual([{ id: 'p-approvedmodels', name: 'approved-models', type: 'SERVICE_CONTROL_POLICY', awsManaged: false, content: SCP, targets: ['ou-ab12-workload'] }]);
    expect(header.organization.delegatedAdministrators).toEqual([{ accountId: DATA, services: ['guardduty.amazonaws.com', 'securityhub.amazonaws.com'] }]);

    expect(accounts.map((a) => a.account?.id ?? a.notScanned.id)).toEqual([MANAGEMENT, ML_PROD, ML_DEV, DATA, DENIED, SUSPENDED, THROTTLED]);
    const scanned = accounts.filter((a) => a.schemaVersion);
    expect(scanned.map((a) => a.account.id)).toEqual([MANAGEMENT, ML_PROD, ML_DEV, DATA, THROTTLED].filter((id) => id !== MANAGEMENT || org.accounts.has(id)));
    // Each account answered with its own resources.
    for (const inventory of scanned) expect(inventory.s3.buckets.map((b: any) => b.name)).toContain(`training-data-${inventory.account.id}`);
    const denied = accounts.find((a) => a.notScanned?.id === DENIED).notScanned;
    expect(denied.reason).toMatch(new RegExp(`^could not assume arn:aws:iam::${DENIED}:role/aigis-readonly: AccessDenied`));
    expect(accounts.find((a) => a.notScanned?.id === SUSPENDED).notScanned.reason).toBe('the account is SUSPENDED');
    // Throttled twice, then assumed: retried, not given up.
    expect(org.assumeRoleCalls.get(THROTTLED)).toBe(3);
    const params = org.assumeRoleParams.find((p) => p.get('RoleArn') === `arn:aws:iam::${ML_PROD}:role/aigis-readonly`)!;
    expect([params.get('RoleSessionName'), params.get('ExternalId'), params.get('DurationSeconds')]).toEqual(['aigis-scan', 'aigis-ext-1', '3600']);
    expect(result.stderr).toContain(`[5/7] ${DENIED}: not scanned: could not assume`);
  });

  it('selects accounts by unit, inclusion and exclusion, and refuses ids not in the organization', async () => {
    expect((await run(['collect', '--org', '-o', 'ml.jsonl', '--ous', 'ou-ab12-workload', '--exclude-accounts', ML_DEV, ...LIVE])).code).toBe(0);
    const [, ...accounts] = await readLines('ml.jsonl');
    expect(accounts.map((a) => a.account.id)).toEqual([ML_PROD, DATA]);
    const bad = await run(['collect', '--org', '-o', 'x.jsonl', '--accounts', '999999999999', ...LIVE]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('aigis: error: account 999999999999 is not in organization o-abcdef1234\n');
    const flag = await run(['collect', '-o', 'x.json', '--ous', 'ou-ab12-workload', ...LIVE.slice(0, 6)]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('aigis: error: --ous: a flag of an organization scan, used only with --org\n');
  });
});

describe('one report for the organization, however it was collected', () => {
  it('scan --org, a scan of the snapshot and merges of shards give the same bytes', async () => {
    expect((await run(['scan', '--org', ...LIVE, ...REPORT, '-o', 'live'])).code).toBe(0);
    expect((await run(['collect', '--org', '-o', 'whole.jsonl', ...LIVE])).code).toBe(0);
    expect((await run(['scan', '--input', 'whole.jsonl', ...REPORT, '-o', 'whole'])).code).toBe(0);
    await sameReports('live', 'whole');

    // Three shards: by flag, and by the array-job index variables (AWS Batch, Kubernetes).
    expect((await run(['collect', '--org', '--shard', '0/3', '-o', 'shard-0.jsonl', ...LIVE])).code).toBe(0);
    expect((await run(['collect', '--org', '--shard', '3', '-o', 'shard-1.jsonl', ...LIVE], { AWS_BATCH_JOB_ARRAY_INDEX: '1' })).code).toBe(0);
    expect((await run(['collect', '--org', '--shard', '3', '-o', 'shard-2.jsonl', ...LIVE], { JOB_COMPLETION_INDEX: '2' })).code).toBe(0);
    const ids = ORGANIZATION.accounts.map((a) => a.id);
    for (const k of [0, 1, 2]) {
      const [header, ...accounts] = await readLines(`shard-${k}.jsonl`);
      expect(header.shard).toEqual({ index: k, count: 3 });
      expect(accounts.map((a) => a.account?.id ?? a.notScanned.id)).toEqual(ids.filter((id) => shardOf(id, 3) === k));
    }
    const merged = await run(['merge', 'shard-2.jsonl', 'shard-0.jsonl', 'shard-1.jsonl', ...REPORT, '-o', 'merged']);
    expect(merged.code, merged.stderr).toBe(0);
    await sameReports('live', 'merged');

    const report = JSON.parse(await readFile(path.join(dir, 'live', 'aigis-report.json'), 'utf8'));
    expect(report.account.id).toBe('o-abcdef1234');
    expect(report.inputs).toEqual([]);
    expect(report.accounts.map((a: any) => [a.id, a.status, a.path])).toEqual([
      [MANAGEMENT, 'scanned', 'Root'],
      [ML_PROD, 'scanned', 'Root/Workloads/ML'],
      [ML_DEV, 'scanned', 'Root/Workloads/ML'],
      [DATA, 'scanned', 'Root/Workloads'],
      [DENIED, 'not_scanned', 'Root/Sandbox'],
      [SUSPENDED, 'not_scanned', 'Root/Sandbox'],
      [THROTTLED, 'scanned', 'Root/Sandbox'],
    ]);
    const unknownOnDenied = report.findings.filter((f: any) => f.account === DENIED);
    expect(unknownOnDenied.length).toBe(report.rules.length);
    expect(unknownOnDenied.every((f: any) => f.verdict === 'unknown')).toBe(true);
    expect(merged.stderr.split('\n')[0]).toMatch(/— 7 accounts of o-abcdef1234 \(aws\)$/);

    // The organization rules judge each account from its place: the approved-models SCP covers the
    // Workloads unit and below; no opt-out policy; GuardDuty and Security Hub delegated, Macie and Config not.
    const verdicts = (rule: string) => Object.fromEntries(report.findings.filter((f: any) => f.ruleId === rule).map((f: any) => [f.account, f.verdict]));
    expect(verdicts('org-scp-bedrock-approved-models')).toEqual({ [DENIED]: 'unknown', [SUSPENDED]: 'unknown', [THROTTLED]: 'fail' });
    const passed = report.passed.rules.find((r: any) => r.ruleId === 'org-scp-bedrock-approved-models');
    expect(JSON.stringify(passed)).toContain(`arn:aws:iam::${ML_PROD}:root`);
    for (const account of [ML_DEV, DATA]) expect(JSON.stringify(passed)).toContain(`arn:aws:iam::${account}:root`);
    // SCPs do not apply to the management account.
    expect(JSON.stringify(passed)).toContain(`arn:aws:iam::${MANAGEMENT}:root`);
    expect(verdicts('org-security-services-delegated-admin')).toEqual({
      [MANAGEMENT]: 'fail', [ML_PROD]: 'fail', [ML_DEV]: 'fail', [DATA]: 'fail', [DENIED]: 'unknown', [SUSPENDED]: 'unknown', [THROTTLED]: 'fail',
    });
    expect(report.findings.find((f: any) => f.ruleId === 'org-security-services-delegated-admin' && f.account === ML_PROD).message).toContain('no delegated administrator for Macie, AWS Config');
    expect(verdicts('org-ai-services-opt-out')[ML_PROD]).toBe('fail');
  });

  it('collects accounts on worker threads with the same bytes as on the main thread (the built CLI)', async () => {
    // Workers run the compiled collector (dist/): the CLI as a user runs it, in child processes.
    const cli = path.resolve(__dirname, '../../bin/aigis.js');
    const scan = (workers: string) =>
      promisify(execFile)(process.execPath, [cli, 'scan', '--org', ...LIVE, '--account-concurrency', '3', '--workers', workers, '-f', 'json', '--fail-on', 'none', '-o', `workers-${workers}.json`], {
        cwd: dir,
        env: process.env,
      });
    const [single, threaded] = await Promise.all([scan('0'), scan('2')]);
    expect(threaded.stderr).toContain('7 of 7 accounts selected');
    expect(threaded.stderr).toMatch(/\[7\/7\] \d{12}: /);
    expect(single.stderr.split('\n').filter((l) => l.startsWith('aigis: ['))).toEqual(threaded.stderr.split('\n').filter((l) => l.startsWith('aigis: [')));
    const report = await readFile(path.join(dir, 'workers-2.json'), 'utf8');
    expect(JSON.parse(report).accounts.filter((a: { status: string }) => a.status === 'scanned')).toHaveLength(5);
    expect(report).toBe(await readFile(path.join(dir, 'workers-0.json'), 'utf8'));
  });

  it('refuses a missing shard, a shard given twice, and shards beside a whole snapshot', async () => {
    for (const k of [0, 1]) expect((await run(['collect', '--org', '--shard', `${k}/2`, '-o', `two-${k}.jsonl`, ...LIVE])).code).toBe(0);
    const missing = await run(['merge', 'two-0.jsonl', ...REPORT, '-o', 'm1']);
    expect(missing.stderr).toBe('aigis: error: shard 1/2 missing: give every shard of the run\n');
    await writeFile(path.join(dir, 'copy.jsonl'), await readFile(path.join(dir, 'two-0.jsonl')));
    const twice = await run(['merge', 'two-0.jsonl', 'copy.jsonl', 'two-1.jsonl', ...REPORT, '-o', 'm2']);
    expect(twice.stderr).toBe('aigis: error: copy.jsonl and two-0.jsonl are both shard 0/2\n');
    expect((await run(['collect', '--org', '-o', 'all.jsonl', ...LIVE])).code).toBe(0);
    const mixed = await run(['merge', 'all.jsonl', 'two-0.jsonl', ...REPORT, '-o', 'm3']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^aigis: error: two-0\.jsonl is shard 0\/2, all\.jsonl a whole organization/);
    const account = await run(['merge', 'org.jsonl', 'missing.json', ...REPORT, '-o', 'm4']);
    expect(account.code).toBe(2);
    const shard = await run(['collect', '--org', '--shard', '3', '-o', 'x.jsonl', ...LIVE], {});
    expect(shard.stderr).toBe('aigis: error: --shard 3: no shard index (give K/3, or set AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX)\n');
  });
});

describe('an organization whose policies cannot be read', () => {
  it('says which call failed, leaves the policies absent, and the SCP rules unknown', async () => {
    const denied = await startLoopbackOrganization({ ...ORGANIZATION, accounts: ORGANIZATION.accounts.slice(0, 2), deniedOperations: ['ListPolicies'] });
    try {
      const result = await run(['scan', '--org', ...LIVE, '-f', 'json', '-o', 'denied.json', '--fail-on', 'none', '--rules', 'org-scp-bedrock-approved-models'], { AWS_ENDPOINT_URL: denied.url });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('aigis: warning: organizations:ListPolicies failed (AccessDeniedException): the organization rules that read it report "unknown"');
      const report = JSON.parse(await readFile(path.join(dir, 'denied.json'), 'utf8'));
      const verdicts = report.findings.filter((f: any) => f.account === ML_PROD).map((f: any) => f.verdict);
      expect(verdicts).toEqual(['unknown']);
    } finally {
      await denied.close();
    }
  });
});

describe('connections across accounts', () => {
  it('reuses the HTTP connections of one account for the next', async () => {
    const fresh = await startLoopbackOrganization({ ...ORGANIZATION, accounts: ORGANIZATION.accounts.map((a) => ({ id: a.id, name: a.name, parentId: a.parentId })) });
    try {
      const result = await run(['scan', '--org', ...LIVE, '--account-concurrency', '1', '-f', 'json', '-o', 'connections.json', '--fail-on', 'none'], { AWS_ENDPOINT_URL: fresh.url });
      expect(result.code, result.stderr).toBe(0);
      const calls = [...fresh.accounts.values()].reduce((n, a) => n + [...a.requests.values()].reduce((m, c) => m + c, 0), 0);
      expect(calls).toBeGreaterThan(100);
      // One account at a time, 8 calls per service: the connections of the first account carry the
      // other six (20 here; a handler per client, as before, opened 192).
      expect(fresh.connections, `${fresh.connections} connections for ${calls} calls`).toBeLessThanOrEqual(LIMIT_CONNECTIONS);
    } finally {
      await fresh.close();
    }
  });
});

describe('an organization with one slow account', () => {
  it('hands accounts on in id order and starts at most a window of accounts past the slow one', async () => {
    // The first account answers every call after 400 ms; nine fast ones follow it. Two accounts at
    // a time: without a window the nine would all be collected and held before the first is done.
    const ids = Array.from({ length: 10 }, (_, i) => String(700000000000 + i));
    const slow = await startLoopbackOrganization({
      ...ORGANIZATION,
      managementAccountId: ids[0]!,
      accounts: ids.map((id, i) => ({ id, name: `account-${i}`, parentId: 'ou-ab12-sandbox1', ...(i === 0 ? { latencyMs: 400 } : {}) })),
      policies: [],
    });
    try {
      const handed: string[] = [];
      let startedAtFirstHandoff = -1;
      let assumedAtFirstHandoff = -1;
      await collectOrganizationAccounts(
        { region: 'us-east-1', services: ['kms'], endpointUrl: slow.url, maxAttempts: 2 },
        { roleName: 'aigis-readonly', sessionName: 'aigis-test', durationSeconds: 900, accountConcurrency: 2 },
        async () => undefined,
        async (outcome) => {
          if (handed.length === 0) {
            startedAtFirstHandoff = ids.filter((id) => slow.accounts.get(id)!.requests.size > 0).length;
            assumedAtFirstHandoff = ids.filter((id) => slow.assumeRoleCalls.has(id)).length;
          }
          handed.push(outcome.id);
        },
      );
      expect(handed).toEqual(ids);
      expect(startedAtFirstHandoff).toBeGreaterThan(1);
      expect(startedAtFirstHandoff).toBeLessThanOrEqual(4);
      // Roles are assumed ahead of the accounts' slots, but never more than the concurrency ahead.
      expect(assumedAtFirstHandoff).toBeGreaterThan(startedAtFirstHandoff);
      expect(assumedAtFirstHandoff).toBeLessThanOrEqual(startedAtFirstHandoff + 2);
    } finally {
      await slow.close();
    }
  });
});

describe('a member role that reaches another account', () => {
  for (const workers of [0, 1]) {
    it(`is not scanned, with the account it answered as${workers ? ' (on a worker thread)' : ''}`, async () => {
      const [first, wrong, last] = ['710000000000', '710000000001', '710000000002'];
      const misrouted = await startLoopbackOrganization({
        ...ORGANIZATION,
        managementAccountId: first!,
        accounts: [
          { id: first!, name: 'first', parentId: 'ou-ab12-sandbox1' },
          { id: wrong!, name: 'wrong', parentId: 'ou-ab12-sandbox1', answersAs: first! },
          { id: last!, name: 'last', parentId: 'ou-ab12-sandbox1' },
        ],
        policies: [],
      });
      try {
        const outcomes: AccountOutcome[] = [];
        // Worker threads run the compiled collector (dist/, built by `npm test` before vitest).
        const collect: typeof collectOrganizationAccounts = workers
          ? ((await import(pathToFileURL(path.resolve(__dirname, '../../dist/src/collectors/organization-accounts.js')).href)) as typeof import('../../src/collectors/organization-accounts.js')).collectOrganizationAccounts
          : collectOrganizationAccounts;
        await collect(
          { region: 'us-east-1', services: ['kms'], endpointUrl: misrouted.url, maxAttempts: 2 },
          { roleName: 'aigis-readonly', sessionName: 'aigis-test', durationSeconds: 900, accountConcurrency: 2, workers },
          async () => undefined,
          async (outcome) => void outcomes.push(outcome),
        );
        expect(outcomes.map((o) => [o.id, o.kind])).toEqual([
          [first, 'account'],
          [wrong, 'notScanned'],
          [last, 'account'],
        ]);
        expect(outcomes[1]).toMatchObject({ reason: `arn:aws:iam::${wrong}:role/aigis-readonly answered as account ${first}` });
      } finally {
        await misrouted.close();
      }
    });
  }
});
