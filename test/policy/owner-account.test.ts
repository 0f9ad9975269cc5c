/**
 * `policy check` without --account-id: the owning account is taken from the document when it
 * shows one (Resource ARNs, kms:CallerAccount, a key policy's kms:* grant to an account root);
 * otherwise a named account is `unknown`, never a cross-account failure (it may be the owner).
 * And the console summary says what was analysed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inferOwnerAccount } from '../../src/policy/analyze.js';
import { normalizePolicy } from '../../src/policy/document.js';

const OWNER = path.resolve(__dirname, '../../fixtures/policies/owner');

interface Report {
  findings: { ruleId: string; verdict: string; message: string; resource: { arn: string }; evidence: Record<string, unknown> }[];
  summary: { resourcesEvaluated: number };
}

async function check(file: string, ...args: string[]) {
  const run = await runCli(['policy', 'check', path.join(OWNER, file), '--format', 'json', '--output', 'out.json', ...args]);
  const report = JSON.parse(readFileSync(path.join(run.cwd, 'out.json'), 'utf8')) as Report;
  return { ...run, report, crossAccount: report.findings.filter((f) => f.ruleId === 'policy-cross-account-access') };
}

describe('the owning account of a policy checked without --account-id', () => {
  it("a key policy's own account is not cross-account (kms:* root grant and kms:CallerAccount agree)", async () => {
    const run = await check('kms-own-account.json', '--fail-on', 'low');
    expect(run.crossAccount).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('another account granted by the key policy still fails, naming the inferred owner', async () => {
    const run = await check('kms-shared-with-partner.json', '--fail-on', 'medium');
    expect(run.code).toBe(1);
    expect(run.crossAccount).toHaveLength(1);
    expect(run.crossAccount[0]).toMatchObject({ verdict: 'fail', evidence: { accounts: ['444455556666'], ownerAccount: '111122223333' } });
    expect(run.crossAccount[0]!.message).toContain('owning account 111122223333');
  });

  it('the account in the Resource ARN owns a queue policy', async () => {
    const run = await check('queue-policy.json');
    expect(run.crossAccount.map((f) => [f.resource.arn.split('#')[1], f.verdict, f.evidence.accounts])).toEqual([['statement-1', 'fail', ['444455556666']]]);
  });

  it('a document that does not show its owner: unknown, not fail (exit 0 at --fail-on low)', async () => {
    const run = await check('bucket-policy-no-owner.json', '--fail-on', 'low');
    expect(run.code).toBe(0);
    expect(run.crossAccount).toHaveLength(1);
    expect(run.crossAccount[0]!.verdict).toBe('unknown');
    expect(run.crossAccount[0]!.message).toContain('give --account-id');
    // With the owner given, the same grant is a failure.
    const given = await check('bucket-policy-no-owner.json', '--account-id', '111122223333', '--fail-on', 'low');
    expect(given.code).toBe(1);
    expect(given.crossAccount[0]!.verdict).toBe('fail');
    // And --account-id wins over what the document shows: both the root grant and the "*" tied
    // to kms:CallerAccount then name another account.
    const other = await check('kms-own-account.json', '--account-id', '999999999999');
    expect(other.crossAccount.map((f) => [f.verdict, f.evidence.accounts])).toEqual([
      ['fail', ['111122223333']],
      ['fail', ['111122223333']],
    ]);
  });

  it('two accounts in the evidence: no owner', () => {
    const policy = (statements: object[]) => {
      const r = normalizePolicy({ Version: '2012-10-17', Statement: statements });
      if (!r.ok) throw new Error('invalid');
      return r.policy;
    };
    const root = (account: string) => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });
    expect(inferOwnerAccount(policy([root('111122223333')]))).toEqual({ account: '111122223333', evidence: ['key policy grant of kms:* to the account root'] });
    expect(inferOwnerAccount(policy([root('111122223333'), root('444455556666')]))).toBeUndefined();
    // A root grant counts only in a key policy (all actions KMS): elsewhere it says nothing about the owner.
    expect(inferOwnerAccount(policy([{ ...root('111122223333'), Action: ['kms:*', 's3:GetObject'] }]))).toBeUndefined();
    expect(inferOwnerAccount(policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]))).toBeUndefined();
  });
});

describe('the console summary of a policy check', () => {
  it('says how many documents and statements were analysed, and the findings by verdict', async () => {
    const run = await runCli(['policy', 'check', OWNER, '--format', 'json', '--output', 'out.json']);
    const lines = run.stderr.split('\n');
    expect(lines[1]).toBe('4 policy documents, 7 statements: 3 findings: 2 fail, 1 unknown, 0 pass, 0 not applicable');
    expect(run.stderr).not.toMatch(/findings on \d+ resources/);
    const report = JSON.parse(readFileSync(path.join(run.cwd, 'out.json'), 'utf8')) as Report;
    expect(report.summary.resourcesEvaluated).toBe(4);
  });

  it('a clean single policy: 1 policy document, 0 findings', async () => {
    const run = await runCli(['policy', 'check', path.join(OWNER, 'kms-own-account.json'), '--format', 'json', '--output', 'out.json']);
    expect(run.stderr.split('\n')[1]).toBe('1 policy document, 2 statements: 0 findings: 0 fail, 0 unknown, 0 pass, 0 not applicable');
  });
});
