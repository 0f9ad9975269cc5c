/**
 * Fuzz with hostile strings (issue 11): 10,000 generated policy files through the parser, the
 * limits, normalization, validation and analysis of `aigis policy check` (checkPolicyText, the
 * function the command runs per file), and the normalized ones through request evaluation and
 * exposure analysis. Strings are built to hurt: runs of `*` and `?`, strings at and past the
 * length limit, Unicode case traps, control characters, policy variables, deep nesting, duplicate
 * keys, byte order marks. Only InputError may come out, and no case may take 2 seconds (the
 * catastrophic bound; a backtracking RegExp took minutes on one such string). Seeded: a failure
 * names its case, and replays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPolicyText } from '../../src/commands/policy-run.js';
import { InputError } from '../../src/engine/errors.js';
import { loadActionCatalog } from '../../src/policy/actions.js';
import { analyzeExposure } from '../../src/policy/analyze.js';
import { normalizePolicyInput } from '../../src/policy/document.js';
import { evaluateRequest } from '../../src/policy/evaluate.js';

const catalog = await loadActionCatalog();

const stars = fc.integer({ min: 1, max: 60 }).map((n) => '*'.repeat(n));
const hostileString = fc.oneof(
  { weight: 15, arbitrary: fc.constantFrom('*', '?', '', ' ', '${aws:username}', '${*}', '${?}', '${$}', '${', '}', '\u0000', '\u001b[2J', '\r\n::error::x', '\uE000', '\uE001', '\uD800', '\u{1F600}', '\u017f', '\u0131', '\u212a', 'İ', 'ß', 'arn:', ':::::', '%7B', '0.0.0.0/0', '::/0', '1e309', 'true', 'NaN') },
  { weight: 15, arbitrary: fc.tuple(fc.constantFrom('s3:', 'iam:', '*:', 'kms:', 'arn:aws:s3:::', 'arn:aws:iam::111122223333:', 'arn:*:*:*:*:', ''), stars, fc.constantFrom('x', 'a', ':', '/', '?', '')).map(([a, b, c]) => a + b + c) },
  // Long wildcard runs, up to the 2,048-character limit.
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom('*a', '?a', 'a*', '*:', ':*', '*?', 'ab'), fc.integer({ min: 1, max: 1000 })).map(([unit, n]) => unit.repeat(n)) },
  { weight: 10, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 10, arbitrary: fc.string({ unit: fc.constantFrom('*', '?', 'a', 'A', ':', '/', '$', '{', '}', '\n', 'ſ', 'K'), maxLength: 60 }) },
  // At and past the limit: an input error naming the path.
  { weight: 1, arbitrary: fc.constantFrom(2047, 2048, 2049, 5000).map((n) => 'a'.repeat(n)) },
);
const action = fc.oneof(fc.constantFrom('*', 's3:GetObject', 'iam:PassRole', 'sts:AssumeRole', 'kms:*', 's3:Get*', 'iam:CreatePolicyVersion', 'sagemaker:CreateTrainingJob'), hostileString, fc.tuple(fc.constantFrom('s3', 'iam', '*', 's?', 'kms'), hostileString).map(([s, n]) => `${s}:${n}`));
const resource = fc.oneof(fc.constantFrom('*', 'arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn:aws:iam::111122223333:role/*', 'arn:aws:kms:us-east-1:111122223333:key/k'), hostileString, hostileString.map((s) => `arn:aws:s3:::${s}`), hostileString.map((s) => `arn:aws:${s}:us-east-1:111122223333:${s}`));
const operator = fc.constantFrom('StringLike', 'StringNotLike', 'StringEquals', 'ArnLike', 'ArnNotLike', 'ForAnyValue:StringLike', 'ForAllValues:ArnLike', 'StringLikeIfExists', 'NumericLessThan', 'DateGreaterThan', 'IpAddress', 'Bool', 'Null', 'BinaryEquals', 'StringLikee', '__proto__', 'constructor');
const conditionKey = fc.oneof(fc.constantFrom('aws:PrincipalOrgID', 'aws:SourceArn', 'aws:SourceAccount', 'kms:CallerAccount', 'aws:userid', 'aws:SecureTransport', 'aws:SourceIp', 's3:prefix', 'aws:PrincipalArn'), hostileString);
const conditionValue = fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.array(hostileString, { maxLength: 3 }));
const condition = fc.dictionary(operator, fc.dictionary(conditionKey, conditionValue, { maxKeys: 2 }), { maxKeys: 2 });
const principal = fc.oneof(fc.constant('*'), fc.record({ AWS: fc.oneof(hostileString, fc.array(fc.oneof(fc.constantFrom('111122223333', '444455556666', 'arn:aws:iam::444455556666:root', '*'), hostileString), { maxLength: 3 })) }), fc.record({ Service: hostileString }), fc.record({ Federated: fc.constantFrom('token.actions.githubusercontent.com', 'cognito-identity.amazonaws.com') }));
const list = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 4 }));
const statement = fc
  .record(
    {
      Sid: hostileString,
      Effect: fc.constantFrom('Allow', 'Deny', 'allow'),
      Action: list(action),
      NotAction: list(action),
      Resource: list(resource),
      NotResource: list(resource),
      Principal: principal,
      NotPrincipal: principal,
      Condition: condition,
      both: fc.integer({ min: 0, max: 9 }),
    },
    { requiredKeys: ['Effect', 'both'] },
  )
  .map(({ both, ...s }) => {
    // Mostly one of each exclusive pair, so that most statements get past the grammar into the
    // analyses; sometimes both (a grammar finding).
    const out: Record<string, unknown> = { ...s };
    if (both > 0) {
      if (out.Action !== undefined) delete out.NotAction;
      if (out.Resource !== undefined) delete out.NotResource;
      if (out.Principal !== undefined) delete out.NotPrincipal;
      if (out.Action === undefined && out.NotAction === undefined) out.Action = 's3:GetObject';
    }
    return out;
  });
const policyDoc = fc.record({ Version: fc.constantFrom('2012-10-17', '2008-10-17', 'x'), Id: hostileString, Statement: fc.oneof(statement, fc.array(statement, { maxLength: 5 })) }, { requiredKeys: ['Statement'] });
/** Nesting around a value: from a few levels to far past the depth limit. */
const deep = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('[', '{"a":')).map(([n, open]) => `${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}`);
const document = fc.oneof(
  { weight: 6, arbitrary: policyDoc.map((d) => JSON.stringify(d)) },
  { weight: 1, arbitrary: policyDoc.map((d) => JSON.stringify({ Policy: JSON.stringify(d) })) },
  { weight: 1, arbitrary: policyDoc.map((d) => JSON.stringify({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(d)) } })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: deep.map((d) => `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"k":${d}}}}}`) },
  // A duplicate key at some object: IAM rejects the document, and so must the reader.
  { weight: 1, arbitrary: policyDoc.map((d) => JSON.stringify(d).replace('"Effect":', '"Effect":"Deny","Effect":')) },
  // Text that is almost JSON.
  { weight: 1, arbitrary: fc.tuple(policyDoc, fc.nat()).map(([d, cut]) => { const t = JSON.stringify(d); return t.slice(0, cut % (t.length + 1)); }) },
);
const form = fc.tuple(document, fc.constantFrom('', '\uFEFF', ' \n'), fc.constantFrom(undefined, 'identity', 'resource', 'trust', 'scp'), fc.boolean());

const PRINCIPALS = [{ type: 'AWS' as const, id: 'arn:aws:iam::444455556666:user/x' }, { type: 'Anonymous' as const }];

describe('fuzz: hostile policy files', () => {
  it('10,000 cases: only input errors come out, and none takes 2 seconds', () => {
    const cases = fc.sample(form, { numRuns: 10_000, seed: 20261130 });
    let slowest = 0;
    let slowestCase = -1;
    const outcomes = { findings: 0, inputErrors: 0, skipped: 0 };
    cases.forEach(([text, lead, type, withAccount], i) => {
      const started = performance.now();
      try {
        const checked = checkPolicyText(lead + text, 'fuzz.json', { catalog, ...(type ? { type } : {}), ...(withAccount ? { accountId: '111122223333' } : {}) });
        if (checked) outcomes.findings++;
        else outcomes.skipped++;
        const normalized = normalizePolicyInput(text);
        if (normalized.ok && i % 4 === 0) {
          const policy = normalized.document.normalized;
          for (const principal of PRINCIPALS) {
            evaluateRequest(
              { identity: [{ id: 'p', policy }], resource: [{ id: 'r', policy }] },
              { principal, action: 's3:GetObject', resource: `arn:aws:s3:::b/${'a'.repeat(i % 3000)}`, context: { 'aws:userid': 'x'.repeat(i % 500), 'aws:SecureTransport': 'true' } },
            );
          }
          analyzeExposure(policy, { accountId: '111122223333', kind: 'resource' });
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw new Error(`case ${i} (${JSON.stringify((lead + text).slice(0, 300))}): ${(error as Error).stack}`);
        // One line naming the file: what the CLI prints.
        if (error.message.includes('\n') || !error.message.startsWith('fuzz.json')) throw new Error(`case ${i}: input error not one line naming the file: ${JSON.stringify(error.message.slice(0, 300))}`);
        outcomes.inputErrors++;
      }
      const took = performance.now() - started;
      if (took > slowest) {
        slowest = took;
        slowestCase = i;
      }
    });
    expect(slowest, `slowest: case ${slowestCase}, ${slowest.toFixed(0)} ms`).toBeLessThan(2000);
    // Both sides of the reader are exercised: documents analysed, and documents refused.
    expect(outcomes.findings).toBeGreaterThan(3000);
    expect(outcomes.inputErrors).toBeGreaterThan(500);
  });
});
