/**
 * Reading inventory snapshots of any size (issue 12): the file as bytes, never as one string.
 *
 * A 1M-resource snapshot is about 600 MB: more than V8's longest string, and reading it the
 * simple way (text, then `JSON.parse`, then one zod parse that copies everything) peaks at about
 * three inventories. Here a small byte-level scanner walks the document's outer structure (the
 * top-level object, its sections, and the resource lists in them), and each element of those
 * lists is decoded, `JSON.parse`d and validated with its own zod schema on its own, so the peak
 * is about the file's bytes plus one validated inventory.
 *
 * Every guarantee of the whole-text reader (input-text.ts, load.ts) holds, with the same
 * messages: UTF-8 or UTF-16 with or without BOM, invalid bytes refused; a syntax error is one
 * line with its line and column (the first in the document); duplicate keys and nesting deeper
 * than MAX_JSON_DEPTH refused with their JSON path; schemaVersion checked before the schema; a
 * schema error names its JSON path in the whole document (`$.s3.buckets[12].name`) and counts
 * every problem; unknown keys are dropped. Errors keep the old precedence: encoding, then
 * syntax, then structure, then schemaVersion, then the schema.
 *
 * Bounded: one pass over the bytes (strings skipped byte by byte, a type stack for brackets),
 * each element parsed once; only an error costs a second look (line and column are computed from
 * the byte offset when one is reported).
 */
import { isUtf8 } from 'node:buffer';
import { open, readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import { InputError, formatIssueSummary } from '../engine/errors.js';
import { listElementParser, type SchemaDescription } from './fast-parse.js';
import { MAX_INPUT_BYTES, MAX_JSON_DEPTH, decodeInput, detectEncoding, jsonSyntaxErrorParts, parseJsonText } from './input-text.js';
import { SCHEMA_VERSION, inventorySchema, type Inventory } from './schema.js';

/** From this size on, validation uses zod's compiled validators (parseInventory's 2,000 list items). */
const JIT_FROM_BYTES = 1024 * 1024;
const JITLESS = { jitless: true } as const;

/** Largest snapshot read (the largest Buffer Node allocates); templates, plans and policies keep their own limits. */
export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024 * 1024;

export interface SnapshotReadOptions {
  /** Largest file read; MAX_SNAPSHOT_BYTES by default. */
  maxBytes?: number;
  /**
   * A syntax error in a file up to this size is described by the whole-text parser (exactly as
   * before, V8's context quote included); larger files get the same message rebuilt from a window
   * around the error. MAX_INPUT_BYTES by default; tests set 0 to exercise the window.
   */
  exactErrorBytes?: number;
  /**
   * The description list elements are parsed with before zod (src/inventory/fast-parse.ts): the
   * build's by default; null for zod alone. Tests compare the two.
   */
  schemaDescription?: SchemaDescription | null;
}

/** The schemaVersion checks done before the schema (a missing or other version says so, not "invalid"). */
export function checkSchemaVersion(data: unknown, file: string): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return;
  const version = (data as Record<string, unknown>).schemaVersion;
  if (version === undefined) throw new InputError(file, ['schemaVersion'], `missing schemaVersion (expected "${SCHEMA_VERSION}")`);
  if (version !== SCHEMA_VERSION) {
    throw new InputError(file, ['schemaVersion'], `unsupported schemaVersion ${JSON.stringify(version)} (this aigis reads "${SCHEMA_VERSION}")`);
  }
}

/** Reads and validates a snapshot file; every failure is an InputError naming `label`. */
export async function readSnapshotFile(file: string, label = file, options: SnapshotReadOptions = {}): Promise<Inventory> {
  return parseSnapshotBytes(await readSnapshotBytes(file, label, options.maxBytes), label, options);
}

/** The file's bytes, refused when larger than `maxBytes` (same messages as readInputFile). */
export async function readSnapshotBytes(file: string, label = file, maxBytes = MAX_SNAPSHOT_BYTES): Promise<Buffer> {
  const tooLarge = () => new InputError(label, [], `is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError(label, [], 'cannot read input (EISDIR): it is a directory');
    if (info.size > maxBytes) throw tooLarge();
    if (!info.isFile()) {
      // A pipe or device: its size is not known beforehand.
      const bytes = await readFile(file);
      if (bytes.length > maxBytes) throw tooLarge();
      return bytes;
    }
    // fs.readFile stops at 2 GB; read into one buffer in 64 MB steps instead.
    handle = await open(file, 'r');
    const bytes = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, Math.min(bytes.length - filled, 64 * 1024 * 1024), filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled < bytes.length ? bytes.subarray(0, filled) : bytes;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(label, [], `cannot read input (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    await handle?.close();
  }
}

/** A snapshot's bytes -> the validated inventory (see the file comment). */
export function parseSnapshotBytes(bytes: Buffer, file: string, options: SnapshotReadOptions = {}): Inventory {
  const body = utf8Body(bytes, file);
  // zod compiles a validator per object schema on first use: worth it for a large snapshot, most of
  // the time for a small one (as parseInventory decides by list items; about 600 bytes each).
  const jitless = bytes.length < JIT_FROM_BYTES;
  const scanner = new SnapshotScanner(body.bytes, body.start, file, jitless, options.schemaDescription);
  let root: unknown;
  try {
    root = scanner.document();
  } catch (error) {
    if (!(error instanceof SyntaxAnomaly)) throw error;
    if (bytes.length <= (options.exactErrorBytes ?? MAX_INPUT_BYTES)) {
      // The whole-text reader's own message (it reports the same first error).
      try {
        parseJsonText(decodeInput(bytes, file), file);
      } catch (exact) {
        // Only its syntax error: near V8's longest string, decoding itself fails (and says "not UTF-8").
        if (exact instanceof InputError && exact.detail.startsWith('is not valid JSON')) throw exact;
      }
    }
    throw scanner.describe(error);
  }
  if (scanner.structureError) throw scanner.structureError;
  checkSchemaVersion(root, file);
  const parsed = jitless ? inventorySchema.safeParse(root, { jitless }) : inventorySchema.safeParse(root);
  const issues = parsed.success ? [] : parsed.error.issues;
  if (issues.length > 0 || scanner.groups.length > 0) {
    // zod reports in schema order: the sections' lists sit where their (empty) stand-ins were.
    let first: IssueLike | undefined = issues[0] && { message: issues[0].message, path: issues[0].path };
    let firstOrder = first ? orderOf(first.path) : undefined;
    let count = issues.length;
    for (const group of scanner.groups) {
      count += group.count;
      if (!firstOrder || compareOrder(group.order, firstOrder) < 0) {
        first = group.first;
        firstOrder = group.order;
      }
    }
    throw new InputError(file, first?.path ?? [], formatIssueSummary(first, count));
  }
  const inventory = parsed.data as Inventory;
  for (const { path, elements } of scanner.streamed) {
    let holder = inventory as unknown as Record<string, unknown>;
    for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
    holder[path[path.length - 1]!] = elements;
  }
  return inventory;
}

// ------------------------------------------------------------------------------------ encoding

/** The document as UTF-8 bytes and where it starts (after byte order marks), validated. */
function utf8Body(bytes: Buffer, file: string): { bytes: Buffer; start: number } {
  const { encoding, bomLength } = detectEncoding(bytes);
  let body: Buffer;
  let start = 0;
  if (encoding === 'utf-8') {
    if (!isUtf8(bytes.subarray(bomLength))) {
      throw new InputError(file, [], 'is not valid UTF-8 text (invalid byte sequence; save it as UTF-8 or UTF-16)');
    }
    body = bytes;
    start = bomLength;
  } else {
    body = transcodeUtf16(bytes.subarray(bomLength), encoding, file);
  }
  // decodeInput and parseJsonText each drop one more U+FEFF after the byte order mark.
  for (let k = 0; k < 2 && body[start] === 0xef && body[start + 1] === 0xbb && body[start + 2] === 0xbf; k++) start += 3;
  return { bytes: body, start };
}

/** UTF-16 (LE or BE) -> UTF-8, a megabyte at a time; same errors as decodeInput. */
function transcodeUtf16(body: Buffer, encoding: 'utf-16le' | 'utf-16be', file: string): Buffer {
  const name = encoding.toUpperCase();
  if (body.length % 2) throw new InputError(file, [], `is not valid ${name} text (odd number of bytes)`);
  const decoder = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
  const parts: Buffer[] = [];
  const step = 1024 * 1024;
  try {
    for (let i = 0; i < body.length; i += step) {
      let chunk = body.subarray(i, Math.min(body.length, i + step));
      if (encoding === 'utf-16be') chunk = Buffer.from(chunk).swap16();
      parts.push(Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    }
    parts.push(Buffer.from(decoder.decode(), 'utf8'));
  } catch {
    throw new InputError(file, [], `is not valid ${name} text (invalid byte sequence)`);
  }
  return Buffer.concat(parts);
}

// ------------------------------------------------------------------------------------ schema

interface IssueLike {
  message: string;
  path: PropertyKey[];
}

/** Order of a path in zod's report: the top-level key's and the section key's place in their shapes. */
type Order = readonly [number, number];

interface ListSpec {
  element: z.ZodType;
  order: Order;
}

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  checks?: unknown[];
}

const defOf = (schema: z.ZodType) => schema._zod.def as unknown as SchemaDef;

function unwrap(schema: z.ZodType): z.ZodType {
  for (let def = defOf(schema); (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType; def = defOf(schema)) {
    schema = def.innerType;
  }
  return schema;
}

/** The element schema of a plain list (no length checks, so an empty stand-in passes as it would). */
function listElement(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(unwrap(schema));
  return def.type === 'array' && def.element && !def.checks?.length ? def.element : undefined;
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(unwrap(schema));
  return def.type === 'object' ? def.shape : undefined;
}

let schemaPlan: { lists: Map<string, ListSpec>; top: Map<string, number>; sections: Map<string, Map<string, number>> } | undefined;

/** Which lists are read element by element: top-level lists and the lists of top-level sections. */
function plan() {
  if (schemaPlan) return schemaPlan;
  const lists = new Map<string, ListSpec>();
  const top = new Map<string, number>();
  const sections = new Map<string, Map<string, number>>();
  const shape = shapeOf(inventorySchema)!;
  Object.keys(shape).forEach((key, i) => {
    top.set(key, i);
    const element = listElement(shape[key]!);
    if (element) lists.set(key, { element, order: [i, -1] });
    const section = shapeOf(shape[key]!);
    if (!section) return;
    const places = new Map<string, number>();
    sections.set(key, places);
    Object.keys(section).forEach((sub, j) => {
      places.set(sub, j);
      const inner = listElement(section[sub]!);
      if (inner) lists.set(`${key}\u0000${sub}`, { element: inner, order: [i, j] });
    });
  });
  return (schemaPlan = { lists, top, sections });
}

function orderOf(path: readonly PropertyKey[]): Order {
  const { top, sections } = plan();
  const key = String(path[0]);
  return [top.get(key) ?? -1, path.length > 1 ? (sections.get(key)?.get(String(path[1])) ?? -1) : -1];
}

const compareOrder = (a: Order, b: Order) => a[0] - b[0] || a[1] - b[1];

// ------------------------------------------------------------------------------------ scanner

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const LF = 0x0a;
/** V8's "Unexpected token" messages (positionless), in their quoting forms. */
const UNEXPECTED_TOKEN = /^Unexpected token '([\s\S])', \.\.\."([\s\S]*)"(\.\.\.)? is not valid JSON$/;
const CONTEXT_PAD = ' '.repeat(32);
/** A syntax error's window grows up to this before the message falls back to "syntax error". */
const MAX_WINDOW = 64 * 1024 * 1024;

/**
 * The scanner stopped at a syntax error. `prefix` is JSON text that puts a parser in the state
 * the scanner was in at byte `at` (e.g. `{"k":[null,` inside an array after a comma), so that
 * `JSON.parse(prefix + bytes from at)` reports the document's error; `scanEnd` is where the
 * scanner noticed it.
 */
class SyntaxAnomaly {
  constructor(
    readonly at: number,
    readonly prefix: string,
    readonly scanEnd: number,
  ) {}
}

interface Scanned {
  value: unknown;
  end: number;
}

/** Hash of a key's UTF-16 units (for simple keys, the same as their bytes'). */
function hashKey(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  return hash;
}

/** Levels whose brackets and keys containerEnd tracks: past MAX_JSON_DEPTH the document is refused anyway. */
const TRACKED = MAX_JSON_DEPTH + 1;
/** Objects with more keys than this switch from comparing hashes to a set (as checkJsonStructure does). */
const LINEAR_KEYS = 24;

/**
 * containerEnd's stacks, allocated once: per level its bracket, where its keys start on the key
 * stack, its current key and index, and its key set once it has many keys; per key its hash and
 * where it starts. Bounded: TRACKED levels of at most LINEAR_KEYS keys each.
 */
class Levels {
  readonly kinds = new Uint8Array(TRACKED);
  readonly firstKey = new Int32Array(TRACKED);
  readonly keyOf = new Float64Array(TRACKED);
  readonly index = new Float64Array(TRACKED);
  readonly sets: (Set<string> | undefined)[] = new Array<Set<string> | undefined>(TRACKED).fill(undefined);
  readonly hashes = new Int32Array(TRACKED * LINEAR_KEYS);
  readonly keyStarts = new Float64Array(TRACKED * LINEAR_KEYS);
}

class SnapshotScanner {
  /** The first duplicate key or too-deep nesting, in document order. */
  structureError: InputError | undefined;
  /** Per list with schema problems: the first problem and how many. */
  readonly groups: { order: Order; first: IssueLike; count: number }[] = [];
  /** Validated lists, to put in place of their stand-ins. */
  readonly streamed: { path: string[]; elements: unknown[] }[] = [];
  private versionRefused = false;
  /** Per list (by its key path), the fast parser of its elements (src/inventory/fast-parse.ts), or null without one. */
  private readonly parsers = new Map<string, ((value: unknown) => unknown) | null>();
  /** One string per distinct value across the snapshot's lists (see listElementParser). */
  private readonly strings = new Map<string, string>();
  /** JSON text for the containers around the current value (see SyntaxAnomaly). */
  private readonly stack: string[] = [];
  private readonly levels = new Levels();
  private readonly n: number;

  constructor(
    private readonly b: Buffer,
    private readonly start: number,
    private readonly file: string,
    private readonly jitless: boolean,
    private readonly schemaDescription?: SchemaDescription | null,
  ) {
    this.n = b.length;
  }

  document(): unknown {
    const root = this.value(this.ws(this.start), [], 0, false);
    const after = this.ws(root.end);
    if (after < this.n) throw this.anomaly(root.end, 'null', after + 1);
    return root.value;
  }

  /** Schema validation is pointless once an earlier-reported error is known. */
  private get validating(): boolean {
    return !this.structureError && !this.versionRefused;
  }

  private value(pos: number, path: (string | number)[], depth: number, inObject: boolean): Scanned {
    const c = this.b[pos];
    if (c === OPEN_BRACE && depth <= 1) return this.object(pos, path, depth);
    if (c === OPEN_BRACKET && (depth <= 1 || (depth === 2 && inObject))) return this.array(pos, path as string[], depth);
    return this.slice(pos, path);
  }

  private object(pos: number, path: (string | number)[], depth: number): Scanned {
    const b = this.b;
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    pos = this.ws(pos + 1);
    if (b[pos] === CLOSE_BRACE) return { value: result, end: pos + 1 };
    for (let first = true; ; first = false) {
      const expectKey = first ? '{' : '{"k":null,';
      if (b[pos] !== QUOTE) throw this.anomaly(pos, expectKey, pos + 1);
      const keyEnd = this.stringEnd(pos);
      if (keyEnd < 0) throw this.anomaly(pos, expectKey, this.n);
      let key: string;
      try {
        key = JSON.parse(b.toString('utf8', pos, keyEnd + 1)) as string;
      } catch {
        throw this.anomaly(pos, expectKey, keyEnd + 1);
      }
      const colon = this.ws(keyEnd + 1);
      // V8 words a missing colon after the first key differently from one after a later key.
      if (b[colon] !== COLON) throw this.anomaly(keyEnd + 1, first ? '{"k"' : '{"k":null,"k"', colon + 1);
      const memberPath = [...path, key];
      if (seen.has(key)) {
        this.refuse(new InputError(this.file, memberPath, `duplicate key "${key}" (line ${this.lineAt(pos)}): each key may appear once`));
      }
      seen.add(key);
      this.stack.push('{"k":');
      const member = this.value(this.ws(colon + 1), memberPath, depth + 1, true);
      this.stack.pop();
      // Not `result[key] =`: a "__proto__" key is data, as JSON.parse makes it.
      Object.defineProperty(result, key, { value: member.value, enumerable: true, writable: true, configurable: true });
      if (depth === 0 && key === 'schemaVersion' && member.value !== SCHEMA_VERSION) this.versionRefused = true;
      pos = this.ws(member.end);
      if (b[pos] === COMMA) {
        pos = this.ws(pos + 1);
        continue;
      }
      if (b[pos] === CLOSE_BRACE) return { value: result, end: pos + 1 };
      throw this.anomaly(member.end, '{"k":null', pos + 1);
    }
  }

  /** A list: a schema list is validated element by element and stands in as []; others are kept as they are. */
  private array(pos: number, path: string[], depth: number): Scanned {
    const b = this.b;
    const listKey = path.length >= 1 && path.length <= 2 && path.every((p) => typeof p === 'string') ? path.join('\u0000') : undefined;
    const spec = listKey === undefined ? undefined : plan().lists.get(listKey);
    const fast = spec ? this.parserOf(listKey!, path) : null;
    const items: unknown[] = [];
    let group: (typeof this.groups)[number] | undefined;
    pos = this.ws(pos + 1);
    if (b[pos] !== CLOSE_BRACKET) {
      for (let index = 0; ; index++) {
        this.stack.push('[');
        const item = this.value(pos, [...path, index], depth + 1, false);
        this.stack.pop();
        if (!spec) items.push(item.value);
        else if (this.validating) group = this.validateElement(spec, fast, item.value, path, index, items, group);
        pos = this.ws(item.end);
        if (b[pos] === COMMA) {
          pos = this.ws(pos + 1);
          if (b[pos] === CLOSE_BRACKET) throw this.anomaly(pos, '[null,', pos + 1);
          continue;
        }
        if (b[pos] === CLOSE_BRACKET) break;
        throw this.anomaly(item.end, '[null', pos + 1);
      }
    }
    if (!spec) return { value: items, end: pos + 1 };
    if (this.validating && !group) this.streamed.push({ path, elements: items });
    return { value: [], end: pos + 1 };
  }

  /** One element of a schema list: kept when valid, else counted in the list's group of problems (returned). */
  private validateElement(
    spec: ListSpec,
    fast: ((value: unknown) => unknown) | null,
    value: unknown,
    path: string[],
    index: number,
    items: unknown[],
    group: (typeof this.groups)[number] | undefined,
  ): (typeof this.groups)[number] | undefined {
    // zod only for what the fast parser doubts: an invalid element gets zod's messages.
    const quick = fast ? fast(value) : undefined;
    if (quick !== undefined) {
      if (this.groups.length === 0) items.push(quick);
      return group;
    }
    const parsed = this.jitless ? spec.element.safeParse(value, JITLESS) : spec.element.safeParse(value);
    if (parsed.success) {
      if (this.groups.length === 0) items.push(parsed.data);
      return group;
    }
    const issue = parsed.error.issues[0]!;
    if (!group) this.groups.push((group = { order: spec.order, first: { message: issue.message, path: [...path, index, ...issue.path] }, count: 0 }));
    group.count += parsed.error.issues.length;
    return group;
  }

  private parserOf(listKey: string, path: string[]): ((value: unknown) => unknown) | null {
    let parser = this.parsers.get(listKey);
    if (parser === undefined) this.parsers.set(listKey, (parser = this.schemaDescription === null ? null : (listElementParser(path, this.strings, this.schemaDescription) ?? null)));
    return parser;
  }

  /**
   * A value below the walked levels: its bytes, decoded and parsed on their own. The scan that
   * finds its end also does checkJsonStructure's work (duplicate keys, depth) on the bytes.
   */
  private slice(pos: number, path: (string | number)[]): Scanned {
    const end = this.valueEnd(pos, path);
    let text: string;
    try {
      text = this.b.toString('utf8', pos, end);
    } catch {
      throw new InputError(this.file, path, `holds a value too large to read (${Math.round((end - pos) / 1024 / 1024)} MB)`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw this.anomaly(pos, '', end + 1);
    }
    return { value, end };
  }

  /** End (exclusive) of the value at `pos`: a string, a container (see containerEnd), or a bare word. */
  private valueEnd(pos: number, path: (string | number)[]): number {
    const b = this.b;
    const n = this.n;
    const c = b[pos];
    if (pos >= n) throw this.anomaly(pos, '', n);
    if (c === QUOTE) {
      const end = this.stringEnd(pos);
      if (end < 0) throw this.anomaly(pos, '', n);
      return end + 1;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return this.containerEnd(pos, path);
    let i = pos;
    for (; i < n; i++) {
      const x = b[i];
      if (x === COMMA || x === CLOSE_BRACKET || x === CLOSE_BRACE || x === 0x20 || x === 0x0a || x === 0x0d || x === 0x09) break;
    }
    if (i === pos) throw this.anomaly(pos, '', pos + 1);
    return i;
  }

  /**
   * End (exclusive) of the object or array at `pos`, brackets matched by kind. On the way, what
   * checkJsonStructure checks: a key seen twice in one object, nesting past MAX_JSON_DEPTH (the
   * first in document order is kept). Keys are compared by a hash of their UTF-16 units computed
   * while skipping them, and decoded only when two hashes meet; the path is decoded only for an error.
   */
  private containerEnd(pos: number, path: (string | number)[]): number {
    const b = this.b;
    const n = this.n;
    const base = path.length;
    const levels = this.levels;
    let checking = !this.structureError;
    let keyCount = 0;
    let depth = 0;
    let expectKey = false;
    for (let i = pos; i < n; i++) {
      const x = b[i]!;
      if (x === QUOTE) {
        if (!expectKey || !checking) {
          for (i++; i < n; i++) {
            const y = b[i];
            if (y === QUOTE) break;
            if (y === BACKSLASH) i++;
          }
          continue;
        }
        const keyStart = i;
        let hash = 0;
        let simple = true;
        for (i++; i < n; i++) {
          const y = b[i]!;
          if (y === QUOTE) break;
          if (y === BACKSLASH) {
            simple = false;
            i++;
          } else {
            if (y >= 0x80) simple = false;
            hash = (Math.imul(hash, 31) + y) | 0;
          }
        }
        if (i >= n) break;
        expectKey = false;
        if (!simple) hash = hashKey(this.keyAt(keyStart, i));
        const level = depth - 1;
        levels.keyOf[level] = keyStart;
        const set = levels.sets[level];
        let duplicate = false;
        if (set) {
          const key = this.keyAt(keyStart, i);
          duplicate = set.has(key);
          set.add(key);
        } else {
          const first = levels.firstKey[level]!;
          for (let k = first; k < keyCount; k++) {
            if (levels.hashes[k] === hash && this.keyAt(levels.keyStarts[k]!) === this.keyAt(keyStart, i)) {
              duplicate = true;
              break;
            }
          }
          if (keyCount - first < LINEAR_KEYS) {
            levels.hashes[keyCount] = hash;
            levels.keyStarts[keyCount++] = keyStart;
          } else {
            const keys = new Set<string>([this.keyAt(keyStart, i)]);
            for (let k = first; k < keyCount; k++) keys.add(this.keyAt(levels.keyStarts[k]!));
            levels.sets[level] = keys;
            keyCount = first;
          }
        }
        if (duplicate) {
          const key = this.keyAt(keyStart, i);
          this.refuse(new InputError(this.file, this.pathAt(path, depth), `duplicate key "${key}" (line ${this.lineAt(keyStart)}): each key may appear once`));
          checking = false;
        }
      } else if (x === OPEN_BRACE || x === OPEN_BRACKET) {
        if (checking && base + depth >= MAX_JSON_DEPTH) {
          // The path is cut short: the point is where the nesting starts, not all 256 levels of it.
          this.refuse(new InputError(this.file, this.pathAt(path, depth).slice(0, 8), `is nested more than ${MAX_JSON_DEPTH} levels deep`));
          checking = false;
        }
        if (depth < TRACKED) {
          levels.kinds[depth] = x;
          levels.firstKey[depth] = keyCount;
          levels.keyOf[depth] = -1;
          levels.index[depth] = 0;
          levels.sets[depth] = undefined;
        }
        depth++;
        expectKey = x === OPEN_BRACE;
      } else if (x === CLOSE_BRACE || x === CLOSE_BRACKET) {
        // `{` + 2 is `}`, `[` + 2 is `]`. Deeper than TRACKED only the count is kept (JSON.parse of
        // the value then finds any mismatch there).
        if (depth === 0 || (depth <= TRACKED && levels.kinds[depth - 1]! + 2 !== x)) throw this.anomaly(pos, '', i + 1);
        depth--;
        if (depth === 0) return i + 1;
        if (depth < TRACKED) keyCount = levels.firstKey[depth]!;
        expectKey = false;
      } else if (x === COMMA && depth > 0 && depth <= TRACKED) {
        if (levels.kinds[depth - 1] === OPEN_BRACE) expectKey = true;
        else levels.index[depth - 1]!++;
      }
    }
    throw this.anomaly(pos, '', n);
  }

  /** The decoded key whose opening quote is at `start` (its closing quote at `end`, found if not given). */
  private keyAt(start: number, end = this.stringEnd(start)): string {
    const b = this.b;
    for (let i = start + 1; i < end; i++) {
      if (b[i] === BACKSLASH || b[i]! >= 0x80) {
        try {
          return JSON.parse(b.toString('utf8', start, end + 1)) as string;
        } catch {
          // A bad escape: the parse of the whole value reports it; any stand-in will do here.
          return b.toString('latin1', start, end + 1);
        }
      }
    }
    return b.toString('latin1', start + 1, end);
  }

  /** The JSON path inside containerEnd at `depth`: `path`, then each level's current key or index. */
  private pathAt(path: readonly (string | number)[], depth: number): (string | number)[] {
    const levels = this.levels;
    const out = [...path];
    for (let level = 0; level < depth; level++) {
      if (levels.kinds[level] === OPEN_BRACKET) out.push(levels.index[level]!);
      else out.push(levels.keyOf[level]! < 0 ? '' : this.keyAt(levels.keyOf[level]!));
    }
    return out;
  }

  /** Index of the quote closing the string that opens at `pos`, or -1. */
  private stringEnd(pos: number): number {
    const b = this.b;
    for (let i = pos + 1; i < this.n; i++) {
      const c = b[i];
      if (c === QUOTE) return i;
      if (c === BACKSLASH) i++;
    }
    return -1;
  }

  private ws(pos: number): number {
    const b = this.b;
    while (pos < this.n) {
      const c = b[pos];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      pos++;
    }
    return pos;
  }

  private refuse(error: InputError): void {
    this.structureError ??= error;
  }

  private anomaly(at: number, suffix: string, scanEnd: number): SyntaxAnomaly {
    return new SyntaxAnomaly(at, this.stack.join('') + suffix, scanEnd);
  }

  /** Line of byte `offset` (1-based, as lineColumn counts them: after each LF). */
  private lineAt(offset: number): number {
    let line = 1;
    for (let i = this.b.indexOf(LF, this.start); i !== -1 && i < offset; i = this.b.indexOf(LF, i + 1)) line++;
    return line;
  }

  /** Line and column (in UTF-16 units, as lineColumn counts them in text) of byte `offset`. */
  private lineColumnAt(offset: number): { line: number; column: number } {
    const b = this.b;
    const line = this.lineAt(offset);
    const lineStart = offset > this.start ? Math.max(this.start, b.lastIndexOf(LF, offset - 1) + 1) : this.start;
    return { line, column: this.utf16Length(lineStart, Math.min(offset, this.n)) + 1 };
  }

  /**
   * The document's syntax error, worded as the whole-text reader words it: `JSON.parse` of the
   * anomaly's prefix and a window of bytes from it (grown while the error is its end). Leading
   * spaces keep V8 from its short and start forms of "Unexpected token" (which quote the whole
   * source, or its start); that quote is then rebuilt from the document's own text.
   */
  describe(anomaly: SyntaxAnomaly): InputError {
    const { at } = anomaly;
    const prefix = `${CONTEXT_PAD}${anomaly.prefix}`;
    const b = this.b;
    const n = this.n;
    let windowEnd = Math.min(n, Math.max(anomaly.scanEnd, at) + 4096);
    while (windowEnd - at <= MAX_WINDOW) {
      let cut = windowEnd;
      while (cut > at && cut < n && (b[cut]! & 0xc0) === 0x80) cut--;
      const windowText = b.toString('utf8', at, cut);
      const synthetic = prefix + windowText;
      const complete = cut >= n;
      const offsetOf = (position: number) => at + Buffer.byteLength(windowText.slice(0, Math.max(0, position - prefix.length)));
      try {
        JSON.parse(synthetic);
      } catch (error) {
        const message = (error as Error).message;
        const { what, position } = jsonSyntaxErrorParts(error as Error, synthetic.length);
        if (position === undefined) {
          const token = UNEXPECTED_TOKEN.exec(message);
          if (!token) return new InputError(this.file, [], `is not valid JSON: ${what}`);
          const [, char, quote, trailing] = token;
          // Surround form: the quote is 10 units either side of the token; end form: from 10 before it.
          const found = trailing ? synthetic.indexOf(quote!, prefix.length - 10) + 10 : synthetic.length - quote!.length + 10;
          return new InputError(this.file, [], `is not valid JSON: ${this.unexpectedToken(char!, offsetOf(found))}`);
        }
        if (position < synthetic.length || complete) return this.syntaxError(what, offsetOf(position));
      }
      if (complete) break;
      windowEnd = Math.min(n, at + (windowEnd - at) * 4);
    }
    return this.syntaxError('syntax error', Math.min(anomaly.scanEnd, n));
  }

  /** V8's "Unexpected token" message for the token at byte `offset`, quoting the document as V8 would, then made one line. */
  private unexpectedToken(char: string, offset: number): string {
    const before = this.text(Math.max(this.start, offset - 96), offset);
    const after = this.text(offset, Math.min(this.n, offset + 96));
    const position = this.utf16Length(this.start, offset);
    const length = position + this.utf16Length(offset, this.n);
    let message: string;
    if (length < 21) message = `Unexpected token '${char}', "${before}${after}" is not valid JSON`;
    else if (position < 10) message = `Unexpected token '${char}', "${before}${after.slice(0, 10)}"... is not valid JSON`;
    else if (position < length - 10) message = `Unexpected token '${char}', ..."${before.slice(-10)}${after.slice(0, 10)}"... is not valid JSON`;
    else message = `Unexpected token '${char}', ..."${before.slice(-10)}${after}" is not valid JSON`;
    return jsonSyntaxErrorParts(new SyntaxError(message), 0).what;
  }

  /** The text of bytes [from, to), widened to whole characters. */
  private text(from: number, to: number): string {
    while (from > this.start && (this.b[from]! & 0xc0) === 0x80) from--;
    while (to < this.n && (this.b[to]! & 0xc0) === 0x80) to++;
    return this.b.toString('utf8', from, to);
  }

  /** UTF-16 units of bytes [from, to). */
  private utf16Length(from: number, to: number): number {
    const b = this.b;
    let units = 0;
    for (let i = from; i < to; i++) {
      const c = b[i]!;
      if ((c & 0xc0) !== 0x80) units += c >= 0xf0 ? 2 : 1;
    }
    return units;
  }

  private syntaxError(what: string, offset: number): InputError {
    const { line, column } = this.lineColumnAt(offset);
    // Some of V8's messages keep their character position in the words the reader shows.
    if (what.includes(' at position ')) what = what.replace(/ at position \d+/, ` at position ${this.utf16Length(this.start, offset)}`);
    return new InputError(this.file, [], `is not valid JSON: ${what} (line ${line}, column ${column})`);
  }
}
