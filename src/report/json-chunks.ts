/**
 * Pretty-printed JSON (two-space indent, as `JSON.stringify(value, null, 2)`) produced in chunks,
 * with one large array written element by element. A 100k-resource account yields a JSON report
 * of about half a gigabyte: as one string that is close to V8's maximum string length (2^29 - 24
 * characters) and costs its size again in memory while it is written. The bytes are exactly those
 * of the single-string form (tested).
 */

/** Where the array to stream sits: object keys and array indexes from the root. */
export type JsonPath = (string | number)[];

const PLACEHOLDER = '\u0000aigis: streamed array\u0000';
/** Elements per chunk. */
const BATCH = 512;

/**
 * `map`, when given, turns each element of the streamed array into what is written, one batch at
 * a time (so a report's per-element views never all exist at once).
 */
export function* prettyJsonChunks(root: unknown, streamed: JsonPath, map?: (item: unknown) => unknown): Generator<string> {
  const items = valueAt(root, streamed);
  if (!Array.isArray(items)) {
    yield JSON.stringify(root, null, 2);
    return;
  }
  const text = JSON.stringify(withValueAt(root, streamed, PLACEHOLDER), null, 2);
  const marker = JSON.stringify(PLACEHOLDER);
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + marker.length) >= 0) throw new Error('streamed JSON array placeholder not found exactly once');
  // The indentation of the line that holds the array: its elements go one level deeper.
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart, at))![0];
  yield text.slice(0, at);
  if (items.length === 0) {
    yield '[]';
  } else {
    yield '[\n';
    // A few hundred elements per JSON.stringify call: one call per element cost a fifth more.
    for (let start = 0; start < items.length; start += BATCH) {
      // `[\n  a,\n  b\n]`: the elements, already one level deep, as JSON.stringify lays them out
      // inside an array (undefined, functions and symbols become null there too).
      const batch = items.slice(start, start + BATCH);
      const text = JSON.stringify(map ? batch.map(map) : batch, null, 2);
      const body = text.slice(2, -2);
      // JSON strings never hold a raw newline, so every newline here is layout.
      yield `${indent}${indent ? body.replaceAll('\n', `\n${indent}`) : body}${start + BATCH < items.length ? ',\n' : '\n'}`;
    }
    yield `${indent}]`;
  }
  yield text.slice(at + marker.length);
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** A copy of `root` with the value at `path` replaced, copying only the containers on the path. */
function withValueAt(root: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[key as number] = withValueAt(root[key as number], rest, replacement);
    return copy;
  }
  const source = root as Record<string, unknown>;
  // Serialize through toJSON first, as JSON.stringify would, so the copy has the same keys.
  const plain = typeof (source as { toJSON?: unknown }).toJSON === 'function' ? (source as { toJSON: () => Record<string, unknown> }).toJSON() : source;
  return { ...plain, [key as string]: withValueAt(plain[key as string], rest, replacement) };
}

/**
 * Compact JSON (as `JSON.stringify(value)`) in chunks, except that the elements of each streamed
 * array stand one per line: `[\n{...},\n{...}\n]`. Still valid JSON of the same value, a tenth of
 * the pretty form's whitespace, and a report stays readable with `grep` and line-based diffs.
 * Several arrays may be streamed; each path must name an array (anything else is written as is).
 */
/**
 * `maps[k]`, when given, turns each element of the array at `streamed[k]` into what is written.
 * `firstKeys[k]`, when given, is the key every (mapped) element of that array is an object starting
 * with: its elements are then serialized a batch at a time (see compactArrayChunks).
 */
export function* compactJsonChunks(
  root: unknown,
  streamed: JsonPath[],
  maps: ((item: unknown) => unknown)[] = [],
  firstKeys: (string | undefined)[] = [],
): Generator<string> {
  const arrays = streamed.map((p) => valueAt(root, p));
  let replaced = root;
  const markers: string[] = [];
  const presentMaps: (((item: unknown) => unknown) | undefined)[] = [];
  const presentKeys: (string | undefined)[] = [];
  arrays.forEach((items, i) => {
    if (!Array.isArray(items)) return;
    presentMaps.push(maps[i]);
    presentKeys.push(firstKeys[i]);
    const placeholder = `${PLACEHOLDER}${i}`;
    replaced = withValueAt(replaced, streamed[i]!, placeholder);
    markers.push(JSON.stringify(placeholder));
  });
  const text = JSON.stringify(replaced);
  if (markers.length === 0) {
    yield text;
    return;
  }
  // Placeholders in the order they appear in the text, each exactly once.
  const found = markers.map((marker, k) => ({ marker, k, at: text.indexOf(marker) }));
  for (const { marker, at } of found) {
    if (at < 0 || text.indexOf(marker, at + marker.length) >= 0) throw new Error('streamed JSON array placeholder not found exactly once');
  }
  found.sort((a, b) => a.at - b.at);
  const present = arrays.filter(Array.isArray);
  let from = 0;
  for (const { marker, k, at } of found) {
    yield text.slice(from, at);
    yield* compactArrayChunks(present[k]!, presentMaps[k], presentKeys[k]);
    from = at + marker.length;
  }
  yield text.slice(from);
}

/**
 * Elements per JSON.stringify call in a batched array: enough to share the call's cost, few enough
 * that the batch's text (about 50 KB of findings) stays a regular young-generation string. Texts
 * over about 128 KB go to the large-object space, which only a full GC frees: 512 at a time cost a
 * 100k-resource scan 50 MB more peak memory.
 */
const COMPACT_BATCH = 64;

/**
 * `[\n` + the elements' compact JSON, one per line, + `\n]`. With `firstKey`, a batch of elements
 * is serialized by one JSON.stringify call (cheaper than one call per element on a large
 * report) and its elements split at `},{"firstKey":`. Each element's text starts with that key (a
 * key JSON writes with its value only when the value is a string is checked for, below), so every
 * boundary is such a place; inside an element one can occur too (an object in an array of
 * evidence with that key): then there are more places than boundaries, and that batch is written
 * one element at a time instead. The bytes are the same either way.
 */
function* compactArrayChunks(items: unknown[], map?: (item: unknown) => unknown, firstKey?: string): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  const separator = firstKey === undefined ? undefined : `},{${JSON.stringify(firstKey)}:`;
  let batch = '[\n';
  for (let start = 0; start < items.length; start += COMPACT_BATCH) {
    const end = Math.min(items.length, start + COMPACT_BATCH);
    const joined = separator === undefined ? undefined : joinedBatch(items, start, end, map, firstKey!, separator);
    if (joined !== undefined) {
      batch += joined + (end < items.length ? ',\n' : '\n]');
    } else {
      for (let i = start; i < end; i++) {
        const value = map ? map(items[i]) : items[i];
        const after = i + 1 < items.length ? ',\n' : '\n]';
        if (value instanceof ChunkedJson) {
          if (batch) yield batch;
          yield* value.chunks();
          batch = after;
          continue;
        }
        // Inside an array JSON.stringify writes undefined (and functions, symbols) as null.
        batch += (JSON.stringify(value) ?? 'null') + after;
      }
    }
    if (batch.length >= 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** Elements [start, end) one per line (`a},\n{b`), or undefined when they cannot be split safely. */
function joinedBatch(items: unknown[], start: number, end: number, map: ((item: unknown) => unknown) | undefined, firstKey: string, separator: string): string | undefined {
  const values = new Array<unknown>(end - start);
  for (let i = start; i < end; i++) {
    const value = map ? map(items[i]) : items[i];
    // Only plain objects whose first key holds a string serialize as `{"firstKey":"...`.
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof ChunkedJson || typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
    const keys = Object.keys(value);
    if (keys[0] !== firstKey || typeof (value as Record<string, unknown>)[firstKey] !== 'string') return undefined;
    values[i - start] = value;
  }
  const text = JSON.stringify(values);
  let places = 0;
  for (let at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, at + separator.length)) places++;
  if (places !== end - start - 1) return undefined;
  return text.slice(1, -1).replaceAll(separator, `},\n{${JSON.stringify(firstKey)}:`);
}

/**
 * An element written as the given chunks instead of one JSON.stringify call: for an element that
 * is itself large (a rule's 100,000 passing resources), whose text as one string would be tens of
 * megabytes. The chunks joined must be the element's compact JSON; `compactJsonChunks` writes them
 * as they come.
 */
export class ChunkedJson {
  constructor(readonly chunks: () => Iterable<string>) {}
}

/** `JSON.stringify(values)` of a list of strings, a few thousand at a time, without the brackets' string ever being whole. */
export function* stringListChunks(values: readonly string[]): Generator<string> {
  if (values.length === 0) {
    yield '[]';
    return;
  }
  for (let start = 0; start < values.length; start += STRING_BATCH) {
    const text = JSON.stringify(values.slice(start, start + STRING_BATCH));
    yield `${start === 0 ? '[' : ','}${text.slice(1, -1)}${start + STRING_BATCH >= values.length ? ']' : ''}`;
  }
}

/** Strings per chunk of stringListChunks (ARNs: about 400 KB). */
const STRING_BATCH = 4096;

/** The chunks as one string (for callers and tests that want the whole text). */
export function joinChunks(chunks: Iterable<string>): string {
  let out = '';
  for (const chunk of chunks) out += chunk;
  return out;
}
