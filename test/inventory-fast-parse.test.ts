/**
 * Inventory validation without zod (src/inventory/fast-parse.ts): wherever it gives a result, that
 * result must be exactly zod's (values, key order, keys set to undefined, defaults, normalized
 * policies), and an inventory zod rejects must never pass it. Checked on the demo inventory, every
 * inventory the importers build from fixtures/, and seeded mutations of them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { importIacPaths } from '../src/importers/iac/import-paths.js';
import { mergeInventories } from '../src/importers/iac/merge.js';
import type * as FastParse from '../src/inventory/fast-parse.js';
import type * as Load from '../src/inventory/load.js';
import type * as Schema from '../src/inventory/schema.js';

const root = path.resolve(__dirname, '..');

// The compiled modules, as the CLI runs them: the description is checked against dist's schema.js.
const compiled = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(root, 'dist/src', file)).href) as Promise<T>;
const { describeSchema, fastParseInventory, schemaSource } = await compiled<typeof FastParse>('inventory/fast-parse.js');
const { parseInventory } = await compiled<typeof Load>('inventory/load.js');
const { inventorySchema, policyDocument } = await compiled<typeof Schema>('inventory/schema.js');
// Described here from the compiled schema, as the build does (dist/inventory-schema.json may be stale in a tsc-only build).
const described = describeSchema(inventorySchema, policyDocument, schemaSource());
const fastParse = (data: unknown) => fastParseInventory(data, described);

/** Everything that tells two parse results apart: key order, undefined values, prototypes, -0. */
function serialize(value: unknown): string {
  if (value === undefined) return 'u';
  if (value === null) return 'n';
  if (typeof value === 'number') return Object.is(value, -0) ? '#-0' : `#${value}`;
  if (typeof value !== 'object') return `${typeof value}:${JSON.stringify(value)}`;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  const proto = Object.getPrototypeOf(value);
  const kind = proto === Object.prototype ? '' : proto === null ? 'null-proto:' : 'other-proto:';
  return `{${kind}${Reflect.ownKeys(value).map((k) => `${String(k)}=${serialize((value as Record<PropertyKey, unknown>)[k])}`).join(',')}}`;
}

/** Undefined when both agree (or the fast path left the inventory to zod), else what differs. */
function disagreement(data: unknown): string | undefined {
  const fast = fastParse(structuredClone(data));
  if (fast === undefined) return undefined;
  let zod: unknown;
  try {
    zod = parseInventory(structuredClone(data), 'inventory.json');
  } catch (error) {
    return `the fast path accepted an inventory zod rejects: ${(error as Error).message}`;
  }
  const a = serialize(fast);
  const b = serialize(zod);
  if (a === b) return undefined;
  let i = 0;
  while (a[i] === b[i]) i++;
  return `differs: ${a.slice(Math.max(0, i - 120), i + 80)} / ${b.slice(Math.max(0, i - 120), i + 80)}`;
}

async function fixtureInventories(): Promise<[string, unknown][]> {
  const out: [string, unknown][] = [['fixtures/demo/inventory.json', JSON.parse(readFileSync(path.join(root, 'fixtures/demo/inventory.json'), 'utf8'))]];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ya?ml|json|template)$/.test(entry.name)) files.push(file);
    }
  };
  walk(path.join(root, 'fixtures'));
  for (const file of files) {
    let imported;
    try {
      imported = await importIacPaths([file], {});
    } catch {
      continue;
    }
    if (!imported.inventories.length) continue;
    out.push([path.relative(root, file), mergeInventories(imported.inventories, imported.files.map((f) => f.file))]);
  }
  return out;
}

describe('inventory validation without zod', () => {
  it('describes the policy documents and the root object', () => {
    expect(described.nodes[described.root]?.t).toBe('object');
    expect(described.nodes.some((n) => n.t === 'policy')).toBe(true);
  });

  it('gives what zod gives on the demo inventory and every inventory imported from fixtures/', async () => {
    const inventories = await fixtureInventories();
    expect(inventories.length).toBeGreaterThan(20);
    let fast = 0;
    for (const [label, data] of inventories) {
      if (fastParse(structuredClone(data))) fast++;
      expect(disagreement(data), label).toBeUndefined();
    }
    expect(fast).toBeGreaterThan(inventories.length / 2);
  });

  it('gives what zod gives, or leaves it to zod, on seeded mutations', async () => {
    const inventories = (await fixtureInventories()).map(([, data]) => data);
    let state = 4242;
    const rnd = (n: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    const replacements: unknown[] = [undefined, null, '', 'x', 0, -1, 1.5, 2 ** 60, Number.NaN, true, false, [], {}, ['a'], { a: 1 }, '123456789012', '{"Statement":[]}', { Version: '2012-10-17', Statement: [] }];
    /** A random path to a value inside `value`, at most 8 deep. */
    const pick = (value: unknown): (string | number)[] => {
      const at: (string | number)[] = [];
      let node = value;
      for (let d = 0; d < 8; d++) {
        if (typeof node !== 'object' || node === null) break;
        const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
        if (!keys.length || (d > 0 && rnd(4) === 0)) break;
        const key = keys[rnd(keys.length)]!;
        at.push(key);
        node = (node as Record<string | number, unknown>)[key];
      }
      return at;
    };
    let fast = 0;
    for (let n = 0; n < 600; n++) {
      const data = structuredClone(inventories[rnd(inventories.length)]) as Record<string, unknown>;
      const at = pick(data);
      if (!at.length) continue;
      const parent = at.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], data) as Record<string | number, unknown>;
      const last = at[at.length - 1]!;
      const kind = rnd(3);
      if (kind === 0) delete parent[last];
      else if (kind === 1) parent[last] = structuredClone(replacements[rnd(replacements.length)]);
      else if (!Array.isArray(parent)) parent[`extra${rnd(3)}`] = structuredClone(replacements[rnd(replacements.length)]);
      if (fastParse(structuredClone(data))) fast++;
      expect(disagreement(data), `${kind} at ${at.join('.')}`).toBeUndefined();
    }
    expect(fast).toBeGreaterThan(100);
  });
});
