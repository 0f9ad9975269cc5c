/**
 * summarizeAccess (the union of each policy's own answer) says what the engine's whole answer
 * says, whenever it answers: random policy lists (fast-check), and every principal of a synthetic
 * account, for service-scoped and action-scoped questions.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticInventory } from '../../bench/synthetic.js';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { buildAiAssetGraph } from '../../src/engine/ai-graph.js';
import { InventoryIndex } from '../../src/engine/inventory-index.js';
import { parseInventory } from '../../src/inventory/load.js';
import { summarizeAccess, type AccessSummary } from '../../src/policy/access-union.js';
import { loadActionCatalog, type ActionCatalog } from '../../src/policy/actions.js';
import { effectiveAccess, type EffectiveAccessOptions } from '../../src/policy/analyze.js';
import { normalizePolicy } from '../../src/policy/document.js';
import { ESCALATION_ACTIONS } from '../../src/policy/escalation.js';
import type { NamedPolicy } from '../../src/policy/evaluate.js';
import { principalPolicySets } from '../../src/policy/principal-policies.js';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog();
});

/** What the summary must equal: the same facts read off the engine's whole answer. */
function expected(policies: readonly NamedPolicy[], options: EffectiveAccessOptions, limit: number): AccessSummary {
  const access = effectiveAccess(policies, options);
  const seen = new Set<string>();
  const statements = access.actions
    .flatMap((a) => a.statements)
    .filter((s) => {
      const key = `${s.policyId}\u0000${s.index}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return {
    actionCount: access.actions.length,
    firstActions: access.actions.slice(0, limit).map((a) => a.action),
    statements,
    conditional: access.actions.every((a) => a.conditional),
    services: new Set(access.actions.map((a) => a.action.toLowerCase().split(':')[0]!)),
  };
}

function comparable(summary: AccessSummary) {
  return { ...summary, statements: summary.statements.map((s) => ({ ...s })), services: [...summary.services].sort() };
}

const ACTIONS = ['sagemaker:Describe*', 'sagemaker:List*', 'sagemaker:CreateTrainingJob', 'bedrock:InvokeModel', 'bedrock:*', 'bedrock:Get*', '*', 's3:*', 'iam:PassRole', 'iam:*', 'ec2:RunInstances', 'logs:PutLogEvents'];
const RESOURCES = ['*', 'arn:aws:s3:::b/*', 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1', 'arn:aws:iam::111122223333:role/*'];

const statementArb = fc.record({
  effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
  notAction: fc.boolean(),
  actions: fc.array(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 }),
  notResource: fc.boolean(),
  resources: fc.array(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
  condition: fc.boolean(),
  sid: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
});

const policyListArb = fc.array(
  fc.record({ id: fc.constantFrom('inline policy a', 'inline policy b', 'customer managed policy p', 'group g: inline policy a'), statements: fc.array(statementArb, { minLength: 1, maxLength: 4 }) }),
  { minLength: 0, maxLength: 4 },
);

type PolicyList = typeof policyListArb extends fc.Arbitrary<infer T> ? T : never;

function toNamed(list: PolicyList): NamedPolicy[] {
  return list.map(({ id, statements }) => {
    const result = normalizePolicy({
      Version: '2012-10-17',
      Statement: statements.map((s) => ({
        ...(s.sid ? { Sid: s.sid } : {}),
        Effect: s.effect,
        [s.notAction ? 'NotAction' : 'Action']: s.actions,
        [s.notResource ? 'NotResource' : 'Resource']: s.resources,
        ...(s.condition ? { Condition: { Bool: { 'aws:SecureTransport': 'true' } } } : {}),
      })),
    });
    if (!result.ok) throw new Error('test policy did not normalize');
    return { id, policy: result.policy };
  });
}

describe('summarizeAccess', () => {
  it('equals the summary of the whole answer for random policy lists, or declines', () => {
    const scopes: Pick<EffectiveAccessOptions, 'services' | 'actions' | 'resource'>[] = [
      { services: ['bedrock', 'sagemaker'] },
      { services: ['s3'] },
      { actions: ESCALATION_ACTIONS },
      { services: ['bedrock'], resource: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1' },
    ];
    let answered = 0;
    fc.assert(
      fc.property(policyListArb, fc.constantFrom(...scopes), fc.integer({ min: 1, max: 30 }), (list, scope, limit) => {
        const policies = toNamed(list);
        const options = { catalog, ...scope };
        const summary = summarizeAccess(policies, options, limit);
        const denies = policies.some((p) => p.policy.statements.some((s) => s.effect === 'Deny'));
        if (!denies) expect(summary).toBeDefined();
        if (!summary) return;
        answered++;
        expect(comparable(summary)).toEqual(comparable(expected(policies, options, limit)));
      }),
      { numRuns: 300, seed: 9 },
    );
    expect(answered).toBeGreaterThan(100);
  });

  it('declines when a permissions boundary could take part of the union back', () => {
    const [policy] = toNamed([{ id: 'inline policy a', statements: [{ effect: 'Allow', notAction: false, actions: ['*'], notResource: false, resources: ['*'], condition: false, sid: undefined }] }]);
    expect(summarizeAccess([policy!], { catalog, services: ['bedrock'], boundary: [policy!] }, 20)).toBeUndefined();
  });

  it('equals the summary of the whole answer for every principal of a synthetic account', () => {
    const inventory = parseInventory(buildSyntheticInventory(4000), 'synthetic.json');
    const index = new InventoryIndex(inventory);
    const settings = ruleSettings(DEFAULT_CONFIG);
    const context = { inventory, index, catalog, settings, ai: buildAiAssetGraph(inventory, index, { resources: [] }) };
    let answered = 0;
    for (const principal of principalPolicySets(context, { includeGroupPolicies: true })) {
      for (const scope of [{ services: ['bedrock', 'sagemaker'] }, { actions: ESCALATION_ACTIONS }]) {
        const options = { catalog, ...scope };
        const summary = summarizeAccess(principal.policies, options, 20);
        if (!summary) continue;
        answered++;
        expect(comparable(summary)).toEqual(comparable(expected(principal.policies, options, 20)));
      }
    }
    expect(answered).toBeGreaterThan(1000);
  });
});
