/**
 * Data-driven rule tests: every rule has fixtures/rules/<rule-id>.json with inventory fragments
 * and the verdict expected per resource ARN. Each rule must be shown passing, failing and
 * answering unknown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleSettings, DEFAULT_CONFIG } from '../src/engine/config.js';
import { loadRules } from '../src/engine/registry.js';
import { runScan } from '../src/engine/scan.js';
import type { RuleSettings, Verdict } from '../src/engine/types.js';
import { parseInventory } from '../src/inventory/load.js';
import { organizationContextFor } from '../src/engine/organization-context.js';
import { organizationSchema } from '../src/inventory/organization-schema.js';

interface RuleFixture {
  rule: string;
  /** Settings that differ from the defaults (each key replaces the default's). */
  settings?: Partial<RuleSettings>;
  cases: {
    name: string;
    /** Settings for this case only (each key replaces the fixture's and the default's). */
    settings?: Partial<RuleSettings>;
    inventory: Record<string, unknown>;
    /** The organization the account (123456789012) belongs to: the case is judged as in an organization scan. */
    organization?: Record<string, unknown>;
    expect: Record<string, Verdict>;
    messages?: Record<string, string>;
  }[];
}

const dir = path.resolve(__dirname, '../fixtures/rules');
const fixtures: RuleFixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as RuleFixture);

const rules = await loadRules();
const tool = { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' };

describe('rule fixtures', () => {
  it('the six core rules each have a fixture covering pass, fail and unknown', () => {
    for (const id of ['s3-block-public-access', 's3-sse-kms-cmk', 'cloudtrail-multi-region-logging', 'iam-no-s3-wildcard', 'bedrock-model-allowlist', 'sagemaker-network-isolation']) {
      const fixture = fixtures.find((f) => f.rule === id);
      expect(fixture, `fixtures/rules/${id}.json`).toBeDefined();
      const verdicts = new Set(fixture!.cases.flatMap((c) => Object.values(c.expect)));
      expect([...verdicts]).toEqual(expect.arrayContaining(['pass', 'fail', 'unknown']));
    }
  });

  for (const fixture of fixtures) {
    describe(fixture.rule, () => {
      const rule = rules.find((r) => r.meta.id === fixture.rule);
      it('exists', () => expect(rule).toBeDefined());
      for (const testCase of fixture.cases) {
        it(testCase.name, async () => {
          const inventory = parseInventory(
            { schemaVersion: '1.0', account: { id: '123456789012', partition: 'aws' }, regions: ['us-east-1', 'eu-west-1'], ...testCase.inventory },
            `${fixture.rule}.json`,
          );
          const organization = testCase.organization ? organizationContextFor(organizationSchema.parse(testCase.organization), inventory.account.id) : undefined;
          if (testCase.organization) expect(organization, 'the account is in the fixture organization').toBeDefined();
          const result = await runScan(
            { inventory, rules: [rule!], frameworks: [], settings: { ...ruleSettings(DEFAULT_CONFIG), ...fixture.settings, ...testCase.settings }, ...(organization ? { organization } : {}) },
            tool,
          );
          const byArn = new Map<string, { verdict: Verdict; message: string }[]>();
          for (const f of result.findings) byArn.set(f.resource.arn, [...(byArn.get(f.resource.arn) ?? []), f]);
          for (const [arn, verdict] of Object.entries(testCase.expect)) {
            const found = byArn.get(arn);
            expect(found, `a finding for ${arn}`).toHaveLength(1);
            expect({ arn, verdict: found![0]!.verdict, message: found![0]!.message }).toMatchObject({ arn, verdict });
          }
          for (const [arn, fragment] of Object.entries(testCase.messages ?? {})) {
            expect(byArn.get(arn)?.[0]?.message).toContain(fragment);
          }
          // Every resource of the case gets exactly one verdict from the rule.
          expect(result.findings.length).toBe(new Set(result.findings.map((f) => f.resource.arn)).size);
        });
      }
    });
  }
});
