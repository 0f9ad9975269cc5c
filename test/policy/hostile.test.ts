/**
 * `aigis policy check` on policies written to stall, crash or fool it (issue 11), through the CLI:
 * catastrophic wildcards, thousands of statements, huge strings, deep nesting, duplicate keys.
 * Time bounds here are catastrophic-case bounds (each of these inputs used to take minutes or
 * crash), not benchmarks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { loadActionCatalog } from '../../src/policy/actions.js';
import { analyzeExposure, conditionRestrictions } from '../../src/policy/analyze.js';
import { patternCovers } from '../../src/policy/arn.js';
import { normalizePolicy, type NormalizedPolicy, type NormalizedStatement } from '../../src/policy/document.js';
import { validatePolicy } from '../../src/policy/validate.js';

interface Report {
  findings: { ruleId: string; verdict: string; message: string; resource: { arn: string } }[];
}

async function check(files: Record<string, string | Buffer>, args: string[] = []) {
  const cwd = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(cwd, name), content);
  const started = performance.now();
  const run = await runCli(['policy', 'check', ...Object.keys(files), '--format', 'json', '--output', 'out.json', ...args], cwd);
  const seconds = (performance.now() - started) / 1000;
  const report = run.code === 2 ? undefined : (JSON.parse(readFileSync(path.join(cwd, 'out.json'), 'utf8')) as Report);
  return { ...run, seconds, report };
}

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** exit 2 and exactly one stderr line, starting with `start`. */
function inputError(run: { code: number; stderr: string }, start: string): void {
  expect(run.code).toBe(2);
  expect(run.stderr.startsWith(start), run.stderr).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('catastrophic wildcards', () => {
  it('s3: + 30 stars + x in Action, Resource, StringLike and ArnLike: answered at once', async () => {
    const stars = '*'.repeat(30);
    const run = await check({
      'p.json': doc(
        { Effect: 'Allow', Action: `s3:${stars}x`, Resource: '*' },
        { Effect: 'Deny', NotAction: `iam:${stars}y`, Resource: `arn:aws:s3:::${stars}x`, Condition: { StringLike: { 'aws:userid': `${stars}x` }, ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${stars}x` } } },
      ),
    });
    expect(run.code).toBe(0);
    expect(run.seconds).toBeLessThan(10);
    // The patterns are valid and name real actions (those ending in x or y): no unknown-action finding.
    expect(run.report!.findings.map((f) => f.ruleId)).not.toContain('policy-unknown-action');
  });
});

describe('many statements', () => {
  it('10,000 statements finish in seconds (quadratic comparisons took minutes)', async () => {
    const statements = Array.from({ length: 10_000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::bucket-${i}/*` }));
    // Two that another statement covers: the redundancy check still finds them.
    statements.push({ Sid: 'Copy', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::bucket-7/*' });
    statements.push({ Sid: 'Narrow', Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::bucket-9/data/*' });
    const run = await check({ 'p.json': doc(...statements) });
    expect(run.code).toBe(0);
    expect(run.seconds).toBeLessThan(20);
    const redundant = run.report!.findings.filter((f) => f.ruleId === 'policy-redundant-statement').map((f) => f.message);
    expect(redundant).toEqual([
      'statement 10000 (Copy) is redundant: statement 7 (S7) already allows everything it names',
      'statement 10001 (Narrow) is redundant: statement 9 (S9) already allows everything it names',
    ]);
  });

  it('10,000 outsider Denies and public Allows: exposure settled in seconds', async () => {
    const statements = Array.from({ length: 5000 }, (_, i) => [
      { Effect: 'Deny', Principal: '*', Action: `s3:Put${i}*`, Resource: `arn:aws:s3:::b/${i}/*`, Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } },
      { Effect: 'Allow', Principal: '*', Action: `s3:Put${i}*`, Resource: `arn:aws:s3:::b/${i}/x` },
    ]).flat();
    const run = await check({ 'p.json': doc(...statements) }, ['--type', 'resource']);
    expect(run.seconds).toBeLessThan(20);
    // Each Allow is covered by the Deny before it: restricted to the organization, not public.
    expect(run.report!.findings.filter((f) => f.ruleId === 'policy-public-access')).toEqual([]);
  });
});

describe('limits', () => {
  it('a 2 MB ARN: one line naming the file and the JSON path', async () => {
    const run = await check({ 'p.json': doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'a'.repeat(2 * 1024 * 1024)}` }) });
    inputError(run, 'aigis: error: p.json at $.Statement[0].Resource: a string of 2,097,165 characters is longer than the limit of 2,048');
  });

  it('long condition values, keys and actions', async () => {
    const long = 'x'.repeat(3000);
    inputError(await check({ 'p.json': doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringLike: { 'aws:userid': ['ok', long] } } }) }), 'aigis: error: p.json at $.Statement[0].Condition.StringLike["aws:userid"][1]: a string of 3,000');
    inputError(await check({ 'p.json': doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringLike: { [long]: 'x' } } }) }), 'aigis: error: p.json at $.Statement[0].Condition.StringLike: a key of 3,000 characters');
    inputError(await check({ 'p.json': doc({ Effect: 'Allow', Action: [`s3:${long}`], Resource: '*' }) }), 'aigis: error: p.json at $.Statement[0].Action[0]:');
  });

  it('nesting deeper than 32 levels (and deeper than JSON allows at all)', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    inputError(await check({ 'p.json': doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { k: deep } } }) }), 'aigis: error: p.json at $.Statement[0].Condition.StringEquals.k[0]');
    inputError(await check({ 'p.json': `{"Version":"2012-10-17","Statement":[],"X":${'['.repeat(5000)}${']'.repeat(5000)}}` }), 'aigis: error: p.json at $.X');
  });

  it('a document larger than 4 MB; a file larger than 8 MB is not read', async () => {
    const statements = Array.from({ length: 40_000 }, (_, i) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${i}/*`, Sid: `Statement${i}` }));
    inputError(await check({ 'p.json': doc(...statements) }), 'aigis: error: p.json: is 4.');
    inputError(await check({ 'p.json': ' '.repeat(9 * 1024 * 1024) }), 'aigis: error: p.json: is larger than 8 MB');
  });

  it('more than 1,000 distinct action patterns with a wildcard service', async () => {
    const actions = Array.from({ length: 1001 }, (_, i) => `*:Describe${i}*`);
    inputError(await check({ 'p.json': doc({ Effect: 'Allow', Action: actions, Resource: '*' }) }), 'aigis: error: p.json at $.Statement[0].Action[1000]: more than 1,000 distinct action patterns');
    // Up to the limit they are checked, and quickly.
    const run = await check({ 'p.json': doc({ Effect: 'Allow', Action: actions.slice(0, 1000), Resource: '*' }) });
    expect(run.code).toBe(0);
    expect(run.seconds).toBeLessThan(15);
  });
});

describe('duplicate keys and encodings', () => {
  it('"Effect":"Deny","Effect":"Allow" is refused (IAM rejects it; JSON.parse would read Allow)', async () => {
    const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
    inputError(await check({ 'p.json': text }), 'aigis: error: p.json at $.Statement[0].Effect: duplicate key "Effect"');
  });

  it('duplicate keys inside a policy embedded as JSON text (get-bucket-policy output)', async () => {
    const embedded = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}]}';
    inputError(await check({ 'p.json': JSON.stringify({ Policy: embedded }) }), 'aigis: error: p.json at $.Policy.Statement[0].Principal: duplicate key "Principal"');
  });

  it('a UTF-8 byte order mark and UTF-16 are accepted', async () => {
    const text = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    const bom = await check({ 'p.json': `\uFEFF${text}` });
    expect(bom.code).toBe(0);
    const utf16 = await check({ 'p.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) });
    expect(utf16.code).toBe(0);
  });
});

// ---------------------------------------------------------------- same answers as every pair

/** The redundancy check as it compared every pair of statements (before the index). */
function redundantByEveryPair(policy: NormalizedPolicy): string[] {
  const out: string[] = [];
  const key = (s: NormalizedStatement) => JSON.stringify([s.effect, s.principal ?? null, s.notPrincipal ?? null, s.condition]);
  const statements = policy.statements.filter((s) => s.action && (s.resource || (!s.resource && !s.notResource)));
  const covers = (outer: readonly string[], inner: readonly string[], lower: boolean) =>
    inner.every((x) => outer.some((y) => (lower ? y === '*' || patternCovers(y.toLowerCase(), x.toLowerCase()) : patternCovers(y, x))));
  for (const a of statements) {
    for (const b of statements) {
      if (a === b || key(a) !== key(b)) continue;
      if (!covers(b.action!, a.action!, true) || !covers(b.resource ?? ['*'], a.resource ?? ['*'], false)) continue;
      const reverse = covers(a.action!, b.action!, true) && covers(a.resource ?? ['*'], b.resource ?? ['*'], false);
      if (reverse && a.index < b.index) continue;
      out.push(`${a.index}<${b.index}`);
      break;
    }
  }
  return out.sort();
}

/** Deny-on-outsiders restrictions of each `*` Allow, comparing every Deny with every Allow. */
function restrictionsByEveryPair(policy: NormalizedPolicy): Map<number, string[]> {
  const denies = policy.statements.flatMap((s) => {
    if (s.effect !== 'Deny' || !(s.principal?.wildcard || s.principal?.AWS.includes('*'))) return [];
    const r = conditionRestrictions(s.condition, 'deny');
    return r && r.length ? [{ s, r }] : [];
  });
  const covers = (deny: NormalizedStatement, allow: NormalizedStatement) => {
    const actions = deny.action ? (allow.action ? allow.action.every((a) => deny.action!.some((d) => d === '*' || patternCovers(d.toLowerCase(), a.toLowerCase()))) : deny.action.includes('*')) : false;
    if (!actions) return false;
    if (!deny.resource) return !deny.notResource;
    if (deny.resource.includes('*')) return true;
    return (allow.resource ?? ['*']).every((r) => deny.resource!.some((d) => patternCovers(d, r)));
  };
  const out = new Map<number, string[]>();
  for (const allow of policy.statements) {
    if (allow.effect !== 'Allow' || !(allow.principal?.wildcard || allow.principal?.AWS.includes('*') || allow.notPrincipal)) continue;
    const own = conditionRestrictions(allow.condition, 'allow') ?? [];
    out.set(allow.index, [...own, ...denies.filter((d) => covers(d.s, allow)).flatMap((d) => d.r)].map((r) => `${r.key}=${r.values.join(',')}`));
  }
  return out;
}

describe('indexed comparisons find what comparing every pair finds', () => {
  const action = fc.constantFrom('*', 's3:*', 's3:Get*', 's3:GetObject', 's3:getobject', 's3:PutObject', 's3:?etObject', 'iam:PassRole', 'iam:*', '*:Get*', 's*:*');
  const resource = fc.constantFrom('*', 'arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/x', 'arn:aws:s3:::b*', 'arn:aws:s3:::*', '*/x', 'arn:aws:s3:::?/x', 'arn:aws:iam::1:role/*');
  const statement = fc.record(
    {
      Effect: fc.constantFrom('Allow', 'Deny'),
      Principal: fc.constantFrom('*', { AWS: '111122223333' }, undefined),
      Action: fc.array(action, { minLength: 1, maxLength: 3 }),
      Resource: fc.option(fc.array(resource, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      Condition: fc.constantFrom(undefined, { StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } }, { StringEquals: { 'aws:SourceVpce': 'vpce-1' } }),
    },
    { requiredKeys: ['Effect', 'Action'] },
  );
  const policyArb = fc.array(statement, { minLength: 1, maxLength: 8 }).map((statements) => {
    const r = normalizePolicy(JSON.parse(JSON.stringify({ Version: '2012-10-17', Statement: statements })));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.policy;
  });

  it('redundant statements', async () => {
    const catalog = await loadActionCatalog();
    fc.assert(
      fc.property(policyArb, (policy) => {
        const found = validatePolicy(policy, { type: 'scp', catalog })
          .filter((f) => f.code === 'redundant-statement')
          .map((f) => `${f.statementIndex}<${(f.evidence as { coveredBy: number }).coveredBy}`)
          .sort();
        expect(found).toEqual(redundantByEveryPair(policy));
      }),
      { numRuns: 1500 },
    );
  });

  it('Denies that restrict public Allows', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const result = analyzeExposure(policy, { accountId: '123456789012', kind: 'resource' });
        const got = new Map([...result.statements, ...result.restricted].filter((e) => e.accounts.length || e.restrictions.length || e.reason).map((e) => [e.index, e.restrictions.map((r) => `${r.key}=${r.values.join(',')}`)] as const));
        for (const [index, expected] of restrictionsByEveryPair(policy)) expect(got.get(index) ?? [], `statement ${index}`).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });
});
