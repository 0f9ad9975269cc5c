/**
 * Fuzz: 10,000 random or mutated documents through every public entry point of the policy
 * engine. Nothing may throw: malformed input must come back as errors with a path, and valid
 * input must be evaluated, analysed and validated. Deterministic (seeded) so failures replay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadActionCatalog } from '../../src/policy/actions.js';
import { analyzeExposure, confusedDeputies, effectiveAccess, requiresTls } from '../../src/policy/analyze.js';
import { normalizePolicyInput } from '../../src/policy/document.js';
import { evaluateRequest } from '../../src/policy/evaluate.js';
import { detectPolicyType, validatePolicy } from '../../src/policy/validate.js';
import { checkPolicyText } from '../../src/commands/policy-run.js';
import { InputError } from '../../src/engine/errors.js';
import { mulberry32 } from '../../bench/prng.js';

const dir = path.resolve(__dirname, '../../fixtures/policies');
const seeds: unknown[] = ['clean', 'risky', 'broken']
  .flatMap((sub) => readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, sub, f)))
  .map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown);

const WEIRD: unknown[] = [
  null, true, 0, -1, 1e308, '', '*', '?', '${', '${aws:username', '${*}', '${aws:username, \'x\'}', '%7B%22', 'arn:', 'arn:aws:s3:::', ':::::', 'a'.repeat(300),
  '*?*?*?*?*?*?*?*?', 's3:*Get*Object*', '\u0000', '\uE000', [], {}, [[]], { AWS: [] }, { AWS: '*' }, { Foo: 'x' }, ['*', 1], 'Allow', 'Deny',
  { StringEquals: null }, { StringLike: { 'aws:username': [null] } }, { 'ForAnyValue:': { k: 'v' } }, { IpAddress: { 'aws:SourceIp': '300.1.1.1/99' } },
  '2012-10-17', '2008-10-17', 'arn:aws:iam::123456789012:root', '::1/129', 'fe80::1%eth0',
];

const rng = mulberry32;

function mutate(value: unknown, random: () => number, depth = 0): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  if (random() < 0.08 || depth > 6) return structuredClone(pick(WEIRD));
  if (Array.isArray(value)) {
    const out = value.map((v) => (random() < 0.3 ? mutate(v, random, depth + 1) : v));
    if (random() < 0.1) out.push(structuredClone(pick(WEIRD)));
    if (random() < 0.1) out.splice(Math.floor(random() * out.length), 1);
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (random() < 0.05) continue;
      const key = random() < 0.03 ? pick(['Actions', 'effect', 'Principal', 'NotResource', 'Condition', '']) : k;
      out[key] = random() < 0.35 ? mutate(v, random, depth + 1) : v;
    }
    return out;
  }
  return random() < 0.5 ? structuredClone(pick(WEIRD)) : value;
}

const catalog = await loadActionCatalog();

function exercise(input: unknown, i: number): void {
  const result = normalizePolicyInput(input);
  if (!result.ok) {
    // Plain checks: vitest's expect is too slow to call for every error of 10,000 documents.
    if (result.errors.length === 0 || result.errors.some((e) => typeof e.message !== 'string' || !Array.isArray(e.path))) {
      throw new Error(`malformed error list: ${JSON.stringify(result.errors)}`);
    }
    return;
  }
  const policy = result.document.normalized;
  const type = detectPolicyType(policy);
  for (const principal of [{ type: 'AWS' as const, id: 'arn:aws:iam::123456789012:user/alice' }, { type: 'Anonymous' as const }]) {
    const decision = evaluateRequest(
      { identity: [{ id: 'p', policy }], resource: [{ id: 'r', policy }] },
      { principal, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:SecureTransport': 'true' } },
    );
    if (!['allow', 'explicit_deny', 'implicit_deny', 'unknown'].includes(decision.decision)) throw new Error(`bad decision ${decision.decision}`);
  }
  analyzeExposure(policy, { accountId: '123456789012', kind: type === 'trust' ? 'trust' : 'resource' });
  confusedDeputies(policy);
  requiresTls(policy, 'arn:aws:s3:::b');
  // The catalog-wide analyses are the expensive part: every 10th document is enough to cover them.
  if (i % 10 === 0) {
    effectiveAccess([{ id: 'p', policy }], { catalog, services: ['s3', 'iam'] });
    validatePolicy(policy, { type, catalog, accountId: '123456789012' });
  } else {
    validatePolicy(policy, { type: type === 'identity' ? 'scp' : type, catalog, accountId: '123456789012' });
  }
}

describe('fuzz', () => {
  it('10,000 random and mutated documents: no uncaught exception', () => {
    const random = rng(20260101);
    const randomDocs = fc.sample(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ Version: fc.constantFrom('2012-10-17', 'x'), Statement: fc.jsonValue({ maxDepth: 3 }) })), { numRuns: 3000, seed: 42 });
    let valid = 0;
    for (let i = 0; i < 10_000; i++) {
      const doc = i < randomDocs.length ? randomDocs[i] : mutate(seeds[i % seeds.length], random);
      // Also through the string forms IAM APIs return (JSON text, URL-encoded JSON text).
      const form = i % 3 === 0 ? JSON.stringify(doc) ?? 'null' : i % 3 === 1 ? encodeURIComponent(JSON.stringify(doc) ?? '') : doc;
      try {
        exercise(form, i);
      } catch (error) {
        throw new Error(`document ${i} (${JSON.stringify(form).slice(0, 300)}): ${(error as Error).stack}`);
      }
      if (normalizePolicyInput(doc).ok) valid++;
      if (i % 250 === 0) {
        try {
          checkPolicyText(JSON.stringify(doc) ?? 'null', `fuzz-${i}.json`, { catalog, accountId: '123456789012' });
        } catch (error) {
          // Only the documented input error is allowed out of the command layer.
          expect(error).toBeInstanceOf(InputError);
        }
      }
    }
    // The mutations must keep a good share of documents valid, or the engine itself is never reached.
    expect(valid).toBeGreaterThan(1000);
  });

  it('malformed documents name the statement and field', () => {
    const bad = normalizePolicyInput({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { k: [{}] } } }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]!.path).toEqual(['Statement', 1, 'Condition', 'StringEquals', 'k', 0]);
    const missing = normalizePolicyInput('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]).toEqual({ message: 'a statement needs Action or NotAction', path: ['Statement', 'Action'] });
  });
});
