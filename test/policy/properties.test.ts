/**
 * Properties of the policy engine over random policies and requests (fast-check):
 * normalization is idempotent; an added Deny never grants; an added Allow never removes access;
 * decisions do not depend on statement or policy order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePolicy, serializePolicy, type NormalizedPolicy } from '../../src/policy/document.js';
import { evaluateRequest, type Decision, type EvaluationRequest, type PolicySet } from '../../src/policy/evaluate.js';
import { arnAccount, arnMatches, arnPatternMatcher, arnPatternPrefix, parseArn } from '../../src/policy/arn.js';

const ACCT = '111122223333';
const ACTIONS = ['s3:GetObject', 's3:Get*', 's3:*', '*', 's3:PutObject', 'iam:PassRole', 'iam:*', 'ec2:RunInstances', 's3:?etObject'];
const RESOURCES = ['*', 'arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/k', 'arn:aws:s3:::b/home/${aws:username}/*', 'arn:aws:s3:::*', `arn:aws:iam::${ACCT}:role/*`, 'arn:aws:s3:::b/${aws:PrincipalTag/team}'];
const KEYS = ['aws:SecureTransport', 'aws:SourceIp', 'aws:PrincipalTag/team', 'aws:TagKeys', 'aws:PrincipalOrgID'];
const OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'Bool', 'IpAddress', 'NotIpAddress', 'ForAllValues:StringEquals', 'ForAnyValue:StringLike', 'StringEqualsIfExists', 'Null', 'ArnLike'];
const VALUES = ['true', 'false', 'red', 'r*', '203.0.113.0/24', 'o-1', 'arn:aws:s3:::b/*'];

const conditionArb = fc.option(
  fc.dictionary(fc.constantFrom(...OPERATORS), fc.dictionary(fc.constantFrom(...KEYS), fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }), { minKeys: 1, maxKeys: 2 }), {
    minKeys: 1,
    maxKeys: 2,
  }),
  { nil: undefined, freq: 2 },
);

const principalArb = fc.oneof(
  fc.constant<unknown>('*'),
  fc.record({ AWS: fc.constantFrom<unknown>('*', ACCT, `arn:aws:iam::${ACCT}:user/alice`, ['444455556666', `arn:aws:iam::${ACCT}:role/app`]) }),
  fc.record({ Service: fc.constant<unknown>('sagemaker.amazonaws.com') }),
);

function statementArb(withPrincipal: boolean) {
  return fc
    .record({
      effect: fc.constantFrom('Allow', 'Deny'),
      notAction: fc.boolean(),
      actions: fc.array(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 }),
      notResource: fc.boolean(),
      resources: fc.array(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
      condition: conditionArb,
      principal: principalArb,
      notPrincipal: fc.boolean(),
      single: fc.boolean(),
    })
    .map((s) => {
      const value = (list: string[]) => (s.single && list.length === 1 ? list[0] : list);
      return {
        Effect: s.effect,
        [s.notAction ? 'NotAction' : 'Action']: value(s.actions),
        [s.notResource ? 'NotResource' : 'Resource']: value(s.resources),
        ...(withPrincipal ? { [s.notPrincipal && s.effect === 'Deny' ? 'NotPrincipal' : 'Principal']: s.principal } : {}),
        ...(s.condition ? { Condition: s.condition } : {}),
      } as Record<string, unknown>;
    });
}

const policyArb = (withPrincipal: boolean) =>
  fc
    .record({ version: fc.constantFrom('2012-10-17', '2012-10-17', '2008-10-17', undefined), statements: fc.array(statementArb(withPrincipal), { minLength: 1, maxLength: 4 }) })
    .map(({ version, statements }) => ({ ...(version ? { Version: version } : {}), Statement: statements.length === 1 && version === undefined ? statements[0] : statements }));

function normalized(raw: unknown): NormalizedPolicy {
  const r = normalizePolicy(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
}

const contextArb = fc.dictionary(
  fc.constantFrom(...KEYS),
  fc.oneof(fc.constantFrom<string | string[] | null>('true', 'false', 'red', '203.0.113.9', '198.51.100.1', 'o-1', null), fc.constant(['a', 'red'])),
  { maxKeys: 5 },
);

const requestArb = fc.record({
  principal: fc.constantFrom(
    { type: 'AWS' as const, id: `arn:aws:iam::${ACCT}:user/alice` },
    { type: 'AWS' as const, id: `arn:aws:sts::${ACCT}:assumed-role/app/s1` },
    { type: 'AWS' as const, id: 'arn:aws:iam::444455556666:role/partner' },
    { type: 'Anonymous' as const },
    { type: 'Service' as const, id: 'sagemaker.amazonaws.com' },
  ),
  action: fc.constantFrom('s3:GetObject', 's3:PutObject', 'iam:PassRole', 'ec2:RunInstances', 's3:ListBucket'),
  resource: fc.constantFrom('arn:aws:s3:::b', 'arn:aws:s3:::b/k', 'arn:aws:s3:::b/home/alice/x', `arn:aws:iam::${ACCT}:role/app`, 'arn:aws:s3:::b/red'),
  resourceAccount: fc.constant(ACCT),
  context: contextArb,
  contextComplete: fc.boolean(),
});

const setArb = fc.record({
  identity: fc.array(policyArb(false), { maxLength: 2 }),
  resource: fc.array(policyArb(true), { maxLength: 1 }),
  boundary: fc.option(fc.array(policyArb(false), { minLength: 1, maxLength: 1 }), { nil: undefined }),
  scp: fc.option(fc.array(policyArb(false), { minLength: 1, maxLength: 1 }), { nil: undefined }),
});

type RawSet = { identity: unknown[]; resource: unknown[]; boundary?: unknown[]; scp?: unknown[] };

function toSet(raw: RawSet): PolicySet {
  const named = (list: unknown[], prefix: string) => list.map((p, i) => ({ id: `${prefix}${i}`, policy: normalized(p) }));
  return {
    identity: named(raw.identity, 'i'),
    resource: named(raw.resource, 'r'),
    ...(raw.boundary ? { boundary: named(raw.boundary, 'b') } : {}),
    ...(raw.scp ? { scps: [named(raw.scp, 's')] } : {}),
  };
}

/** allow > unknown > deny: adding a Deny may only move down, adding an Allow only up. */
const RANK: Record<Decision['decision'], number> = { allow: 2, unknown: 1, implicit_deny: 0, explicit_deny: 0 };

describe('policy engine properties', () => {
  it('normalization is idempotent (normalize . serialize . normalize = normalize)', () => {
    fc.assert(
      fc.property(fc.oneof(policyArb(false), policyArb(true)), (raw) => {
        const once = normalized(raw);
        const twice = normalized(serializePolicy(once));
        expect(twice).toEqual(once);
        expect(normalized(serializePolicy(twice))).toEqual(twice);
      }),
      { numRuns: 500 },
    );
  });

  it('an added Deny never grants access', () => {
    fc.assert(
      fc.property(setArb, requestArb, statementArb(false), (raw, request, extra) => {
        const deny = { Version: '2012-10-17', Statement: [{ ...extra, Effect: 'Deny' }] };
        const before = evaluateRequest(toSet(raw), request as EvaluationRequest);
        const after = evaluateRequest(toSet({ ...raw, identity: [...raw.identity, deny] }), request as EvaluationRequest);
        expect(RANK[after.decision]).toBeLessThanOrEqual(RANK[before.decision]);
        if (before.decision === 'explicit_deny') expect(after.decision).toBe('explicit_deny');
      }),
      { numRuns: 1000 },
    );
  });

  it('an added Allow never removes access', () => {
    fc.assert(
      fc.property(setArb, requestArb, statementArb(false), (raw, request, extra) => {
        const allow = { Version: '2012-10-17', Statement: [{ ...extra, Effect: 'Allow' }] };
        const before = evaluateRequest(toSet(raw), request as EvaluationRequest);
        const after = evaluateRequest(toSet({ ...raw, identity: [...raw.identity, allow] }), request as EvaluationRequest);
        expect(RANK[after.decision]).toBeGreaterThanOrEqual(RANK[before.decision]);
        if (before.decision === 'explicit_deny') expect(after.decision).toBe('explicit_deny');
      }),
      { numRuns: 1000 },
    );
  });

  it('decisions do not depend on statement or policy order', () => {
    fc.assert(
      fc.property(setArb, requestArb, fc.integer({ min: 1, max: 1_000_000 }), (raw, request, seed) => {
        const shuffle = <T>(list: T[]): T[] => {
          const out = [...list];
          let s = seed;
          for (let i = out.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) % 2147483648;
            const j = s % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        const reorder = (p: unknown) => {
          const doc = p as { Statement: unknown };
          return Array.isArray(doc.Statement) ? { ...doc, Statement: shuffle(doc.Statement) } : doc;
        };
        const shuffled: RawSet = {
          identity: shuffle(raw.identity.map(reorder)),
          resource: raw.resource.map(reorder),
          ...(raw.boundary ? { boundary: raw.boundary.map(reorder) } : {}),
          ...(raw.scp ? { scp: raw.scp.map(reorder) } : {}),
        };
        const a = evaluateRequest(toSet(raw), request as EvaluationRequest);
        const b = evaluateRequest(toSet(shuffled), request as EvaluationRequest);
        expect(b.decision).toBe(a.decision);
        // The deciding statements are the same set (identified by their content, since indexes move).
        const key = (set: PolicySet, d: Decision) =>
          d.statements
            .map((ref) => {
              const pool = [...(set.identity ?? []), ...(set.resource ?? []), ...(set.boundary ?? []), ...(set.scps ?? []).flat()];
              const policy = pool.find((p) => p.id === ref.policyId)!.policy;
              return JSON.stringify(policy.statements.find((s) => s.index === ref.index)) + ref.kind;
            })
            .sort();
        const setA = toSet(raw);
        const setB = toSet(shuffled);
        expect(new Set(key(setB, evaluateRequest(setB, request as EvaluationRequest)).map((k) => k.replace(/"index":\d+,/, '')))).toEqual(
          new Set(key(setA, evaluateRequest(setA, request as EvaluationRequest)).map((k) => k.replace(/"index":\d+,/, ''))),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('ARN shortcuts agree with the general forms', () => {
  // Colon-separated fields (sometimes after `arn:`), each a few characters that matter to patterns.
  const field = fc.array(fc.constantFrom('aws', 's3', '*', '?', '/', 'a', 'b', '123456789012', '\n'), { maxLength: 3 }).map((parts) => parts.join(''));
  const arnish = fc
    .tuple(fc.boolean(), fc.array(field, { maxLength: 7 }))
    .map(([prefixed, fields]) => `${prefixed ? 'arn:' : ''}${fields.join(':')}`);

  it('arnAccount reads what parseArn reads', () => {
    fc.assert(fc.property(arnish, (text) => {
        expect(arnAccount(text)).toBe(parseArn(text)?.account);
      }), { numRuns: 2000 });
  });

  it('a final-star prefix test matches exactly what the pattern regexp matches', () => {
    fc.assert(
      fc.property(arnish, arnish, (pattern, arn) => {
        const prefix = arnPatternPrefix(pattern);
        if (prefix !== undefined) expect(arn.startsWith(prefix)).toBe(arnPatternMatcher(pattern).test(arn));
        expect(arnMatches(pattern, arn)).toBe(pattern === '*' || (!pattern.includes('*') && !pattern.includes('?') ? pattern === arn : arnPatternMatcher(pattern).test(arn)));
      }),
      { numRuns: 3000 },
    );
  });
});
