/**
 * schema/inventory.schema.json is generated from the zod schema (`npm run schema`). These tests
 * keep it from going stale and check that it accepts what aigis accepts and rejects what it rejects.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/engine/paths.js';
import { parseInventory } from '../src/inventory/load.js';
import { buildSyntheticInventory, countResources } from '../bench/synthetic.js';
import { INVENTORY_SCHEMA_ID, inventorySchemaPath, renderInventoryJsonSchema } from '../scripts/generate-schema.js';

const committedText = readFileSync(inventorySchemaPath(), 'utf8');
const committed = JSON.parse(committedText) as Record<string, unknown>;
const demoFile = path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json');
const demo = JSON.parse(readFileSync(demoFile, 'utf8')) as Record<string, unknown>;

let compiled: ValidateFunction | undefined;
/** Compiled once: ajv compilation of this schema takes most of a second. */
function compile(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(committed);
  return compiled;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

describe('schema/inventory.schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema` to regenerate)', () => {
    expect(committedText).toBe(renderInventoryJsonSchema());
  });

  it('is a draft 2020-12 schema with an id, a title and a description', () => {
    expect(committed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(committed.$id).toBe(INVENTORY_SCHEMA_ID);
    expect(committed.title).toMatch(/^aigis inventory \d+\.\d+$/);
    expect(typeof committed.description).toBe('string');
  });

  it('compiles under ajv strict mode', () => {
    expect(() => new Ajv2020({ strict: true }).compile(committed)).not.toThrow();
  });

  it('accepts the demo inventory', () => {
    const validate = compile();
    const ok = validate(demo);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('describes policy fields as an object or a JSON string', () => {
    const text = JSON.stringify(committed);
    expect(text).toContain('A policy document object or JSON string');
    const validate = compile();
    const withStringPolicy = clone(demo) as { s3: { buckets: { policy?: unknown }[] } };
    withStringPolicy.s3.buckets[0]!.policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    expect(validate(withStringPolicy)).toBe(true);
    withStringPolicy.s3.buckets[0]!.policy = 42;
    expect(validate(withStringPolicy)).toBe(false);
  });

  it.each([
    ['a short account id', (d: any) => void (d.account.id = '1234')],
    ['a missing schemaVersion', (d: any) => void delete d.schemaVersion],
    ['another schemaVersion', (d: any) => void (d.schemaVersion = '2.0')],
    ['a bucket without a name', (d: any) => void delete d.s3.buckets[0].name],
    ['an unknown key manager', (d: any) => void (d.kms.keys[0].keyManager = 'PARTNER')],
    ['a string where a boolean belongs', (d: any) => void (d.cloudtrail.trails[0].isMultiRegionTrail = 'true')],
    ['an unknown network access type', (d: any) => void (d.sagemaker.domains[0].appNetworkAccessType = 'Hybrid')],
    ['a collection error without an operation', (d: any) => void delete d.collectionErrors[0].operation],
  ])('rejects %s, as the loader does', (_label, mutate) => {
    const broken = clone(demo);
    mutate(broken);
    expect(compile()(broken)).toBe(false);
    expect(() => parseInventory(broken, 'broken.json')).toThrow();
  });
});

describe('the bench synthetic inventory', () => {
  it('is valid under both the JSON Schema and the loader, with exactly the resources asked for', () => {
    const synthetic = buildSyntheticInventory(1_500);
    expect(countResources(synthetic)).toBe(1_500);
    const validate = compile();
    expect(validate(synthetic), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const inventory = parseInventory(synthetic, 'synthetic.json');
    expect(inventory.iam?.roles.length).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildSyntheticInventory(700))).toBe(JSON.stringify(buildSyntheticInventory(700)));
  });
});
