/**
 * Inventory validation without loading zod, for the inventories aigis builds itself from
 * templates and plans: loading zod and building the inventory schema took about a fifth of a
 * one-template scan. The build (scripts/build-catalog.ts) describes the zod schema of
 * src/inventory/schema.ts as plain JSON (dist/inventory-schema.json, describeSchema below); this
 * module walks an inventory against that description and gives what `inventorySchema.parse` gives
 * (same values, key order, defaults, normalized policies) when the inventory is valid and uses
 * only what the description covers. Anything else (an invalid value, a schema part it does not
 * know, a description built from another schema.js or zod) gives undefined, and the caller
 * validates with zod, which also owns every error message. test/inventory-fast-parse.test.ts
 * compares the two on every inventory in the fixtures and on mutations of them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../engine/paths.js';
import { normalizePolicyInput } from '../policy/document.js';
import type { Inventory } from './schema.js';

/** One schema node; children are indexes into SchemaDescription.nodes. */
export type SchemaNode =
  | { t: 'object'; keys: [key: string, node: number, optin: string | null, optout: string | null][] }
  | { t: 'string'; min?: number; regex?: [source: string, flags: string][] }
  | { t: 'number'; safeint?: true; gt?: [value: number, inclusive: boolean][] }
  | { t: 'boolean' }
  | { t: 'enum'; values: (string | number)[] }
  | { t: 'literal'; values: (string | number | boolean | null)[] }
  | { t: 'array'; element: number }
  | { t: 'record'; value: number }
  | { t: 'optional'; inner: number; defaultedInner: boolean }
  | { t: 'nullable'; inner: number }
  | { t: 'default'; inner: number; value: unknown }
  | { t: 'policy' }
  | { t: 'unknown' }
  | { t: 'unsupported'; what: string };

export interface SchemaDescription {
  format: 1;
  /** sha256 of the compiled schema module and the zod version the description was made from. */
  source: string;
  root: number;
  nodes: SchemaNode[];
}

/** The description the build wrote, when it was made from the schema.js and zod in use (else the fast path is off). */
export function builtSchemaDescription(): SchemaDescription | undefined {
  return description();
}

/** Where the build writes the description: next to the compiled code, like the action catalog. */
export function schemaDescriptionPath(): string {
  return path.join(packageRoot(), 'dist', 'inventory-schema.json');
}

/** What the description must have been made from: this schema.js and this zod. */
export function schemaSource(): string {
  const schemaFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.js');
  const zodVersion = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('zod/package.json'), 'utf8')) as { version: string }).version;
  return createHash('sha256').update(readFileSync(schemaFile)).update(`\u0000zod ${zodVersion}`).digest('hex');
}

class Doubt extends Error {}
const doubt = (): never => {
  throw new Doubt();
};

let loaded: { description: SchemaDescription | undefined } | undefined;
/** A string node's patterns, compiled once (a large snapshot checks millions of strings). */
const compiledPatterns = new WeakMap<[string, string][], RegExp[]>();

function patternsOf(regex: [source: string, flags: string][]): RegExp[] {
  let patterns = compiledPatterns.get(regex);
  if (!patterns) compiledPatterns.set(regex, (patterns = regex.map(([source, flags]) => new RegExp(source, flags))));
  return patterns;
}

function description(): SchemaDescription | undefined {
  if (!loaded) {
    let found: SchemaDescription | undefined;
    try {
      const candidate = JSON.parse(readFileSync(schemaDescriptionPath(), 'utf8')) as SchemaDescription;
      if (candidate.format === 1 && Array.isArray(candidate.nodes) && candidate.source === schemaSource()) found = candidate;
    } catch {
      found = undefined;
    }
    loaded = { description: found };
  }
  return loaded.description;
}

/**
 * `inventorySchema.parse(data)` when the inventory is valid and within the description, else
 * undefined (validate with zod then).
 */
export function fastParseInventory(data: unknown, schema: SchemaDescription | undefined = description()): Inventory | undefined {
  if (!schema) return undefined;
  try {
    return run(schema, schema.root, data, 0) as Inventory;
  } catch (error) {
    if (error instanceof Doubt) return undefined;
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** zod's util.isPlainObject (records accept only these). */
function isPlainObject(value: unknown): value is Record<PropertyKey, unknown> {
  if (!isObject(value)) return false;
  const ctor = (value as { constructor?: unknown }).constructor;
  if (ctor === undefined) return true;
  if (typeof ctor !== 'function') return true;
  const prototype = (ctor as { prototype?: unknown }).prototype;
  if (!isObject(prototype)) return false;
  return Object.prototype.hasOwnProperty.call(prototype, 'isPrototypeOf');
}

/** zod's util.shallowClone, for default values. */
function shallowClone(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (isPlainObject(value)) return { ...value };
  return value;
}

/**
 * The parser of one list's elements (`path`: a top-level list's key, or a section's key and its
 * list's key), for reading a large snapshot element by element: what zod's element schema gives
 * for a valid element, undefined otherwise (validate that one with zod, which owns the messages).
 * Undefined when the description is missing or has no such plain list.
 *
 * Equal strings of the parsed elements come out as one string (`strings`, shared across the
 * lists of one snapshot): JSON.parse makes a copy of every ARN, region and tag value each time it
 * appears, and a large account repeats them (the role, key and bucket ARNs jobs reference, policy
 * names, tag values): the inventory of a 100k-resource snapshot is 15% smaller in memory.
 */
export function listElementParser(
  path: readonly string[],
  strings: Map<string, string>,
  schema: SchemaDescription | undefined = description(),
): ((value: unknown) => unknown) | undefined {
  if (!schema) return undefined;
  let index = schema.root;
  for (const key of path) {
    const node = schema.nodes[unwrapped(schema, index)];
    const entry = node?.t === 'object' ? node.keys.find(([name]) => name === key) : undefined;
    if (!entry) return undefined;
    index = entry[1];
  }
  const list = schema.nodes[unwrapped(schema, index)];
  if (list?.t !== 'array') return undefined;
  const element = list.element;
  // The depth the element has in the whole document, as fastParseInventory would count it.
  const depth = path.length + 1;
  return (value) => {
    try {
      return run(schema, element, value, depth, strings);
    } catch (error) {
      if (error instanceof Doubt) return undefined;
      throw error;
    }
  };
}

/** Past optional, nullable and default wrappers. */
function unwrapped(schema: SchemaDescription, index: number): number {
  for (let node = schema.nodes[index]; node && (node.t === 'optional' || node.t === 'nullable' || node.t === 'default'); node = schema.nodes[index]) index = node.inner;
  return index;
}

/** Strings longer than this are rarely repeated: not worth a lookup. */
const SHARED_STRING_MAX = 512;

function run(schema: SchemaDescription, index: number, value: unknown, depth: number, strings?: Map<string, string>): unknown {
  if (depth > 64) doubt();
  const node = schema.nodes[index];
  if (!node) return doubt();
  switch (node.t) {
    case 'object': {
      if (!isObject(value)) doubt();
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, child, optin, optout] of node.keys) {
        if (key === '__proto__') continue;
        const present = key in input;
        if (!present && optout === 'optional' && optin === 'optional') continue;
        if (!present && optin === null) doubt();
        const result = run(schema, child, input[key], depth + 1, strings);
        if (result === undefined) {
          if (present || (optin === 'defaulted' && optout !== 'optional')) out[key] = undefined;
        } else {
          out[key] = result;
        }
      }
      return out;
    }
    case 'string': {
      if (typeof value !== 'string') doubt();
      const text = value as string;
      if (node.min !== undefined && text.length < node.min) doubt();
      if (node.regex) {
        for (const pattern of patternsOf(node.regex)) {
          pattern.lastIndex = 0;
          if (!pattern.test(text)) doubt();
        }
      }
      if (strings !== undefined && text.length <= SHARED_STRING_MAX) {
        const known = strings.get(text);
        if (known !== undefined) return known;
        strings.set(text, text);
      }
      return text;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) doubt();
      const n = value as number;
      if (node.safeint && !Number.isSafeInteger(n)) doubt();
      for (const [limit, inclusive] of node.gt ?? []) if (inclusive ? !(n >= limit) : !(n > limit)) doubt();
      return n;
    }
    case 'boolean':
      if (typeof value !== 'boolean') doubt();
      return value;
    case 'enum':
    case 'literal':
      if (!(node.values as unknown[]).includes(value)) doubt();
      return value;
    case 'array': {
      if (!Array.isArray(value)) doubt();
      const input = value as unknown[];
      const out = new Array<unknown>(input.length);
      for (let i = 0; i < input.length; i++) out[i] = run(schema, node.element, input[i], depth + 1, strings);
      return out;
    }
    case 'record': {
      if (!isPlainObject(value)) doubt();
      const input = value as Record<PropertyKey, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Reflect.ownKeys(input)) {
        if (key === '__proto__') continue;
        if (!Object.prototype.propertyIsEnumerable.call(input, key)) continue;
        if (typeof key !== 'string') doubt();
        out[key as string] = run(schema, node.value, input[key], depth + 1, strings);
      }
      return out;
    }
    case 'optional':
      if (value === undefined) return node.defaultedInner ? run(schema, node.inner, value, depth + 1, strings) : undefined;
      return run(schema, node.inner, value, depth + 1, strings);
    case 'nullable':
      return value === null ? null : run(schema, node.inner, value, depth + 1, strings);
    case 'default': {
      if (value === undefined) return shallowClone(node.value);
      const result = run(schema, node.inner, value, depth + 1, strings);
      return result === undefined ? shallowClone(node.value) : result;
    }
    case 'policy': {
      const result = normalizePolicyInput(value);
      if (!result.ok) doubt();
      return (result as { document: unknown }).document;
    }
    case 'unknown':
      return value;
    default:
      return doubt();
  }
}

/** The zod internals describeSchema reads. */
interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string; checks?: { _zod: { def: Record<string, unknown> & { check: string } } }[] }; optin?: string; optout?: string };
}

/**
 * The description of a zod schema, for the build: every node the interpreter above knows, and
 * `unsupported` (validated by zod) for the rest. `policy`: the policy document schema (a
 * transform the interpreter runs itself).
 */
export function describeSchema(root: unknown, policy: unknown, source: string): SchemaDescription {
  const nodes: SchemaNode[] = [];
  const indexes = new Map<unknown, number>();
  const visit = (schema: unknown): number => {
    const known = indexes.get(schema);
    if (known !== undefined) return known;
    const index = nodes.length;
    indexes.set(schema, index);
    nodes.push({ t: 'unsupported', what: 'pending' });
    nodes[index] = describe(schema as ZodLike);
    return index;
  };
  const unsupported = (what: string): SchemaNode => ({ t: 'unsupported', what });
  const describe = (schema: ZodLike): SchemaNode => {
    if (schema === policy) return { t: 'policy' };
    const def = schema._zod.def;
    const checks = (def.checks ?? []).map((c) => c._zod.def);
    // `when` (min_length's: skip values without a length) never skips a value of the right type;
    // `abort` only matters once a check has failed.
    const onlyChecks = (allowed: string[]) => checks.every((c) => allowed.includes(c.check) && (c.when === undefined || c.check === 'min_length'));
    switch (def.type) {
      case 'object': {
        if (def.catchall !== undefined || checks.length) return unsupported('object with catchall or checks');
        const shape = def.shape as Record<string, ZodLike>;
        if (Object.getOwnPropertySymbols(shape).length) return unsupported('symbol keys');
        return { t: 'object', keys: Object.keys(shape).map((key) => [key, visit(shape[key]), shape[key]!._zod.optin ?? null, shape[key]!._zod.optout ?? null]) };
      }
      case 'string': {
        if (def.coerce || !onlyChecks(['min_length', 'string_format'])) return unsupported('string checks');
        const node: SchemaNode & { t: 'string' } = { t: 'string' };
        for (const c of checks) {
          if (c.check === 'min_length') node.min = Math.max(node.min ?? 0, c.minimum as number);
          else if (c.format === 'regex' && c.pattern instanceof RegExp) (node.regex ??= []).push([c.pattern.source, c.pattern.flags]);
          else return unsupported(`string format ${String(c.format)}`);
        }
        return node;
      }
      case 'number': {
        if (def.coerce || !onlyChecks(['number_format', 'greater_than'])) return unsupported('number checks');
        const node: SchemaNode & { t: 'number' } = { t: 'number' };
        for (const c of checks) {
          if (c.check === 'number_format' && c.format === 'safeint') node.safeint = true;
          else if (c.check === 'greater_than' && typeof c.value === 'number') (node.gt ??= []).push([c.value, c.inclusive === true]);
          else return unsupported('number check');
        }
        return node;
      }
      case 'boolean':
        return def.coerce || checks.length ? unsupported('boolean') : { t: 'boolean' };
      case 'enum': {
        const values = Object.values(def.entries as Record<string, unknown>);
        if (checks.length || !values.every((v) => typeof v === 'string') || Object.keys(def.entries as object).some((k) => (def.entries as Record<string, unknown>)[k] !== k)) return unsupported('enum');
        return { t: 'enum', values: values as string[] };
      }
      case 'literal': {
        const values = def.values as unknown[];
        if (checks.length || !values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) return unsupported('literal');
        return { t: 'literal', values: values as (string | number | boolean | null)[] };
      }
      case 'array':
        return checks.length ? unsupported('array checks') : { t: 'array', element: visit(def.element) };
      case 'record': {
        const key = (def.keyType as ZodLike)._zod.def;
        if (checks.length || def.mode !== undefined && def.mode !== 'strict' || key.type !== 'string' || (key.checks ?? []).length || key.coerce) return unsupported('record');
        return { t: 'record', value: visit(def.valueType) };
      }
      case 'optional': {
        const inner = def.innerType as ZodLike;
        return checks.length ? unsupported('optional') : { t: 'optional', inner: visit(inner), defaultedInner: inner._zod.optin === 'defaulted' };
      }
      case 'nullable':
        return checks.length ? unsupported('nullable') : { t: 'nullable', inner: visit(def.innerType) };
      case 'default': {
        const value = (def as unknown as { defaultValue: unknown }).defaultValue;
        const plain = value === null || ['string', 'number', 'boolean'].includes(typeof value) || (Array.isArray(value) && value.length === 0);
        return checks.length || !plain ? unsupported('default') : { t: 'default', inner: visit(def.innerType), value };
      }
      case 'unknown':
        return checks.length ? unsupported('unknown') : { t: 'unknown' };
      default:
        return unsupported(def.type);
    }
  };
  const rootIndex = visit(root);
  return { format: 1, source, root: rootIndex, nodes };
}
