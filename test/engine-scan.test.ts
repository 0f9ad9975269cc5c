/**
 * runScan's bookkeeping, independent of any real rule: report order, fingerprints of repeated
 * (rule, resource) pairs, and the resource count. Rules here are generated (fast-check) so that
 * verdicts, severities, ARNs that share long prefixes, repeated ARNs and equal messages all meet.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleSettings, DEFAULT_CONFIG } from '../src/engine/config.js';
import { compareFindings, fingerprintOf, runScan } from '../src/engine/scan.js';
import { SEVERITIES, VERDICTS, defineRule, type Rule, type RuleResult } from '../src/engine/types.js';
import { parseInventory } from '../src/inventory/load.js';
import { loadActionCatalog } from '../src/policy/actions.js';

const TOOL = { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' };
const inventory = parseInventory({ schemaVersion: '1.0', account: { id: '111122223333', partition: 'aws' }, regions: ['us-east-1'], collectionErrors: [] }, 'test');

function ruleYielding(id: string, severity: (typeof SEVERITIES)[number], results: RuleResult[]): Rule {
  return defineRule({
    meta: {
      id,
      title: `Rule ${id}`,
      severity,
      service: 's3',
      resourceTypes: ['AWS::S3::Bucket'],
      description: 'generated',
      rationale: 'generated',
      remediation: { console: [], cli: '', cloudformation: '', terraform: '' },
      references: [],
    },
    *evaluate() {
      yield* results;
    },
  });
}

const arbResult = fc.record({
  verdict: fc.constantFrom(...VERDICTS),
  // Few ARNs with a long shared prefix: repeats and prefix comparisons are the interesting cases.
  arn: fc.constantFrom('arn:aws:s3:::b', 'arn:aws:s3:::a', 'arn:aws:s3:::ab', 'arn:aws:s3:::a-', 'arn:aws:s3:::B', 'arn:aws:s3:::a\u00e9'),
  message: fc.constantFrom('m1', 'm2', 'M', ''),
});

const arbRules = fc.uniqueArray(
  fc.record({
    id: fc.constantFrom('s3-a', 's3-b', 'iam-c', 'bedrock-d', 'kms-e', 's3-a2'),
    severity: fc.constantFrom(...SEVERITIES),
    results: fc.array(arbResult, { maxLength: 12 }),
  }),
  { selector: (r) => r.id, maxLength: 5 },
);

describe('runScan bookkeeping', () => {
  it('orders findings exactly as a stable sort by compareFindings, numbers repeats and counts resources', async () => {
    const catalog = await loadActionCatalog();
    await fc.assert(
      fc.asyncProperty(arbRules, fc.boolean(), async (specs, overrideSeverity) => {
        let sequence = 0;
        const rules = specs.map((spec) =>
          ruleYielding(
            spec.id,
            spec.severity,
            spec.results.map((r) => ({
              verdict: r.verdict,
              resource: { arn: r.arn, type: 'AWS::S3::Bucket', region: 'us-east-1' },
              message: r.message,
              // The yield order, to check that ties keep it.
              evidence: { sequence: sequence++ },
            })),
          ),
        );
        const severityOverrides = overrideSeverity && specs[0] ? { [specs[0].id]: 'info' as const } : undefined;
        const result = await runScan(
          { inventory, rules, frameworks: [], settings: ruleSettings(DEFAULT_CONFIG), catalog, ...(severityOverrides ? { severityOverrides } : {}) },
          TOOL,
        );

        // Expected: every finding in yield order, with the k-th finding of a (rule, ARN) pair
        // fingerprinted as `ARN#k` from the second one on, then a stable sort.
        const expected = specs.flatMap((spec) => {
          const seen = new Map<string, number>();
          return spec.results.map((r) => {
            const k = (seen.get(r.arn) ?? 0) + 1;
            seen.set(r.arn, k);
            return { ruleId: spec.id, fingerprint: fingerprintOf(spec.id, k === 1 ? r.arn : `${r.arn}#${k}`) };
          });
        });
        const actualInYieldOrder = [...result.findings].sort((a, b) => (a.evidence!.sequence as number) - (b.evidence!.sequence as number));
        expect(actualInYieldOrder.map((f) => ({ ruleId: f.ruleId, fingerprint: f.fingerprint }))).toEqual(expected);
        expect(result.findings).toEqual([...actualInYieldOrder].sort(compareFindings));
        expect(new Set(result.findings.map((f) => f.fingerprint)).size).toBe(result.findings.length);
        expect(result.summary.resourcesEvaluated).toBe(new Set(result.findings.map((f) => f.resource.arn)).size);
        if (severityOverrides) expect(result.findings.filter((f) => f.ruleId === specs[0]!.id).every((f) => f.severity === 'info')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('fingerprints are 32 lowercase hex digits and depend on both ids', () => {
    const a = fingerprintOf('s3-block-public-access', 'arn:aws:s3:::bucket');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOf('s3-block-public-access', 'arn:aws:s3:::bucket')).toBe(a);
    expect(fingerprintOf('s3-sse-kms-cmk', 'arn:aws:s3:::bucket')).not.toBe(a);
    expect(fingerprintOf('s3-block-public-access', 'arn:aws:s3:::bucket2')).not.toBe(a);
    // Pinned: a baseline written by an earlier aigis must keep matching.
    expect(fingerprintOf('a', 'b')).toBe('ede15d7c3b2d30fbabf9502146287f20');
  });
});
