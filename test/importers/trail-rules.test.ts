/**
 * Trail event selectors from CloudFormation (EventSelectors, AdvancedEventSelectors) and from a
 * Terraform plan (event_selector, advanced_event_selector) give the data event, trail bucket and
 * data class rules the same facts, and so the same verdicts, as a snapshot of the deployed
 * platform (fixtures/iac/trail). Where the snapshot fails a bucket for want of a trail, the
 * templates, which show only the trails they declare, say unknown.
 */
import { describe, expect, it } from 'vitest';
import { importCloudFormation, importTerraformPlan } from '../../src/importers/iac/index.js';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/schema.js';
import { fixture } from './helpers.js';

const ACCOUNT = '111122223333';
const template = fixture('trail/template.yaml');
const plan = fixture('trail/plan.json');
const snapshot = fixture('trail/snapshot.json');
const RULES = ['cloudtrail-s3-data-events', 'cloudtrail-bedrock-data-events', 'cloudtrail-bucket-protected', 's3-data-class-requirements'];

const fromPlan = (data: unknown) => parseInventory(importTerraformPlan(JSON.stringify(data), plan.file, { accountId: ACCOUNT }), plan.file);
const inventories: Record<string, Inventory> = {
  cloudformation: parseInventory(importCloudFormation(template.text, template.file, { accountId: ACCOUNT, region: 'us-east-1' }), template.file),
  terraform: fromPlan(JSON.parse(plan.text)),
  snapshot: parseInventory(JSON.parse(snapshot.text), snapshot.file),
};

async function verdicts(inventory: Inventory): Promise<Map<string, string>> {
  const rules = (await loadRules()).filter((r) => RULES.includes(r.meta.id));
  expect(rules).toHaveLength(RULES.length);
  const result = await runScan({ inventory, rules, frameworks: [], settings: ruleSettings(DEFAULT_CONFIG) }, { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' });
  return new Map(result.findings.map((f) => [`${f.ruleId} ${f.resource.arn}`, f.verdict]));
}

const trail = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
const bucket = (name: string) => `arn:aws:s3:::${name}`;
const bedrockRegion = `arn:aws:bedrock:us-east-1:${ACCOUNT}:cloudtrail-data-events`;

describe('trail selectors from CloudFormation, a Terraform plan and a snapshot', () => {
  it('carry the same selectors', () => {
    const selectors = (inventory: Inventory) =>
      [...(inventory.cloudtrail?.trails ?? [])]
        .sort((a, b) => a.arn.localeCompare(b.arn))
        .map((t) => ({ arn: t.arn, isLogging: t.isLogging, multi: t.isMultiRegionTrail, bucket: t.s3BucketName, eventSelectors: t.eventSelectors, advancedEventSelectors: t.advancedEventSelectors }));
    const expected = selectors(inventories.snapshot!);
    expect(expected).toHaveLength(2);
    expect(selectors(inventories.cloudformation!)).toEqual(expected);
    expect(selectors(inventories.terraform!)).toEqual(expected);
  });

  it('give the same verdicts, except where only the account can show a trail is missing', async () => {
    const expected: Record<string, string> = {
      [`cloudtrail-s3-data-events ${bucket('trail-training-data')}`]: 'pass',
      [`cloudtrail-bedrock-data-events ${bedrockRegion}`]: 'pass',
      [`cloudtrail-bucket-protected ${trail('trail-data-events')}`]: 'pass',
      [`cloudtrail-bucket-protected ${trail('trail-regional')}`]: 'unknown',
      [`s3-data-class-requirements ${bucket('trail-training-data')}`]: 'pass',
      [`s3-data-class-requirements ${bucket('trail-features')}`]: 'fail',
      [`s3-data-class-requirements ${bucket('trail-audit-logs')}`]: 'not_applicable',
    };
    const all = Object.fromEntries(await Promise.all(Object.entries(inventories).map(async ([kind, inv]) => [kind, await verdicts(inv)] as const)));
    for (const kind of ['cloudformation', 'terraform', 'snapshot']) {
      for (const [key, verdict] of Object.entries(expected)) expect(`${kind}: ${key} ${all[kind]!.get(key)}`).toBe(`${kind}: ${key} ${verdict}`);
    }
    // The regional trail records only trail-features/raw/: the deployed account shows no other trail
    // (fail); the templates show only their own trails (unknown).
    const features = `cloudtrail-s3-data-events ${bucket('trail-features')}`;
    expect(all.snapshot!.get(features)).toBe('fail');
    expect(all.cloudformation!.get(features)).toBe('unknown');
    expect(all.terraform!.get(features)).toBe('unknown');
    // Nothing else differs.
    for (const kind of ['cloudformation', 'terraform']) {
      const differing = [...all.snapshot!.keys()].filter((key) => key !== features && all[kind]!.get(key) !== all.snapshot!.get(key));
      expect(differing, kind).toEqual([]);
    }
  });

  it('a selector value known only after apply leaves the plan\'s selectors unknown, never a guess', async () => {
    const data = JSON.parse(plan.text) as {
      planned_values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } };
      resource_changes: { address: string; change: { after_unknown: Record<string, unknown> } }[];
    };
    const planned = data.planned_values.root_module.resources.find((r) => r.address === 'aws_cloudtrail.data')!;
    const selectors = planned.values.advanced_event_selector as { field_selector: { starts_with: unknown }[] }[];
    // starts_with = ["${aws_s3_bucket.training_data.arn}/"]: the ARN is computed, so the plan has null there.
    selectors[1]!.field_selector[2]!.starts_with = [null];
    const change = data.resource_changes.find((r) => r.address === 'aws_cloudtrail.data')!;
    change.change.after_unknown.advanced_event_selector = [{}, { field_selector: [{}, {}, { starts_with: [true] }] }, {}];
    const inventory = fromPlan(data);
    const t = inventory.cloudtrail!.trails.find((x) => x.name === 'trail-data-events')!;
    expect(t.advancedEventSelectors).toBeUndefined();
    expect(t.eventSelectors).toBeNull();
    expect(t.unresolved).toContain('AdvancedEventSelectors');
    const result = await verdicts(inventory);
    expect(result.get(`cloudtrail-s3-data-events ${bucket('trail-training-data')}`)).toBe('unknown');
    expect(result.get(`cloudtrail-bedrock-data-events ${bedrockRegion}`)).toBe('unknown');
  });

  it('an unknown classic data resource value leaves the classic selectors unknown', () => {
    const data = JSON.parse(plan.text) as {
      planned_values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } };
      resource_changes: { address: string; change: { after_unknown: Record<string, unknown> } }[];
    };
    const planned = data.planned_values.root_module.resources.find((r) => r.address === 'aws_cloudtrail.regional')!;
    (planned.values.event_selector as { data_resource: { values: unknown }[] }[])[0]!.data_resource[0]!.values = [null];
    data.resource_changes.find((r) => r.address === 'aws_cloudtrail.regional')!.change.after_unknown.event_selector = [{ data_resource: [{ values: [true] }] }];
    const t = fromPlan(data).cloudtrail!.trails.find((x) => x.name === 'trail-regional')!;
    expect(t.eventSelectors).toBeUndefined();
    expect(t.advancedEventSelectors).toBeNull();
    expect(t.unresolved).toContain('EventSelectors');
  });
});
