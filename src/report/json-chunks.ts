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
/** `maps[k]`, when given, turns each element of the array at `streamed[k]` into what is written. */
export function* compactJsonChunks(root: unknown, streamed: JsonPath[], maps: ((item: unknown) => unknown)[] = []): Generator<string> {
  const arrays = streamed.map((p) => valueAt(root, p));
  let replaced = root;
  const markers: string[] = [];
  const presentMaps: (((item: unknown) => unknown) | undefined)[] = [];
  arrays.forEach((items, i) => {
    if (!Array.isArray(items)) return;
    presentMaps.push(maps[i]);
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
    yield* compactArrayChunks(present[k]!, presentMaps[k]);
    from = at + marker.length;
  }
  yield text.slice(from);
}

function* compactArrayChunks(items: unknown[], map?: (item: unknown) => unknown): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  let batch = '[\n';
  for (let i = 0; i < items.length; i++) {
    // Inside an array JSON.stringify writes undefined (and functions, symbols) as null.
    batch += (JSON.stringify(map ? map(items[i]) : items[i]) ?? 'null') + (i + 1 < items.length ? ',\n' : '\n]');
    if (batch.length >= 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** The chunks as one string (for callers and tests that want the whole text). */
export function joinChunks(chunks: Iterable<string>): string {
  let out = '';
  for (const chunk of chunks) out += chunk;
  return out;
}
