/**
 * The policy-engine rules, driven by fixtures/policies/rules/<rule-id>.json (same shape as the
 * core rules' fixtures): inventory fragments and the verdict expected per resource ARN. Each rule
 * is shown passing, failing and answering unknown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import type { Verdict } from '../../src/engine/types.js';
import { organizationContextFor } from '../../src/engine/organization-context.js';
import { parseInventory } from '../../src/inventory/load.js';
import { organizationSchema } from '../../src/inventory/organization-schema.js';

interface RuleFixture {
  rule: string;
  cases: {
    name: string;
    inventory: Record<string, unknown>;
    /** The organization the account (123456789012) belongs to: the case is judged as in an organization scan. */
    organization?: Record<string, unknown>;
    expect: Record<string, Verdict>;
    messages?: Record<string, string>;
  }[];
}

const dir = path.resolve(__dirname, '../../fixtures/policies/rules');
const fixtures: RuleFixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as RuleFixture);
const rules = await loadRules();
const tool = { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' };

const POLICY_RULES = [
  's3-bucket-policy-not-public',
  's3-bucket-policy-requires-tls',
  'kms-key-policy-not-public',
  'iam-role-trust-not-public',
  'iam-role-trust-confused-deputy',
  'iam-no-full-admin',
  'iam-no-passrole-wildcard',
  'iam-no-privilege-escalation',
];

describe('policy-engine rules', () => {
  it('every policy rule is registered and has a fixture with pass, fail and unknown', () => {
    for (const id of POLICY_RULES) {
      expect(rules.some((r) => r.meta.id === id), id).toBe(true);
      const fixture = fixtures.find((f) => f.rule === id);
      expect(fixture, id).toBeDefined();
      const verdicts = new Set(fixture!.cases.flatMap((c) => Object.values(c.expect)));
      expect([...verdicts]).toEqual(expect.arrayContaining(['pass', 'fail', 'unknown']));
    }
  });

  it('every policy rule is mapped to a control in each of the four frameworks', async () => {
    const { loadFrameworks } = await import('../../src/engine/frameworks.js');
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    for (const id of ['hipaa', 'gdpr', 'nist-800-53-r5', 'soc2']) {
      const framework = frameworks.find((f) => f.id === id);
      expect(framework, id).toBeDefined();
      const mapped = new Set(framework!.controls.flatMap((c) => c.rules));
      for (const rule of POLICY_RULES) expect(mapped.has(rule), `${rule} in ${id}`).toBe(true);
    }
  });

  for (const fixture of fixtures) {
    describe(fixture.rule, () => {
      const rule = rules.find((r) => r.meta.id === fixture.rule)!;
      for (const testCase of fixture.cases) {
        it(testCase.name, async () => {
          const inventory = parseInventory(
            { schemaVersion: '1.0', account: { id: '123456789012', partition: 'aws' }, regions: ['us-east-1'], ...testCase.inventory },
            `${fixture.rule}.json`,
          );
          const organization = testCase.organization ? organizationContextFor(organizationSchema.parse(testCase.organization), inventory.account.id) : undefined;
          if (testCase.organization) expect(organization, 'the account is in the fixture organization').toBeDefined();
          const result = await runScan({ inventory, rules: [rule], frameworks: [], settings: ruleSettings(DEFAULT_CONFIG), ...(organization ? { organization } : {}) }, tool);
          const byArn = new Map(result.findings.map((f) => [f.resource.arn, f]));
          for (const [arn, verdict] of Object.entries(testCase.expect)) {
            const found = byArn.get(arn);
            expect(found, `a finding for ${arn}`).toBeDefined();
            expect({ arn, verdict: found!.verdict, message: found!.message }).toMatchObject({ arn, verdict });
          }
          for (const [arn, fragment] of Object.entries(testCase.messages ?? {})) expect(byArn.get(arn)?.message).toContain(fragment);
          expect(result.findings.length).toBe(new Set(result.findings.map((f) => f.resource.arn)).size);
          expect(result.findings.length).toBe(Object.keys(testCase.expect).length);
        });
      }
    });
  }
});
