/**
 * Reading input documents the same way everywhere: snapshots, templates, plans, policies,
 * configs and baselines all come from pull requests or from tools with their own habits, so
 *
 * - bytes are decoded as UTF-8 or UTF-16 (PowerShell's `>` writes UTF-16 LE with a BOM), a
 *   leading byte order mark is dropped, and bytes that are neither are an input error rather
 *   than silently replaced characters;
 * - JSON is parsed strictly: a duplicate key is an error naming its JSON path (IAM rejects
 *   duplicate keys, and `JSON.parse` would silently keep the last one, so `"Effect":"Deny",
 *   "Effect":"Allow"` would read as Allow), nesting deeper than MAX_JSON_DEPTH is an error
 *   (deeper documents are not real inputs and would overflow recursive walkers later), and a
 *   syntax error is one line with its line and column.
 */
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../engine/errors.js';

/** Nesting deeper than this is refused; real inventories, plans and policies stay far below. */
export const MAX_JSON_DEPTH = 256;
/** Largest input file read (a 100k-resource snapshot is about 60 MB). */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Reads a file as text (see decodeInput); errors are InputErrors naming the file. */
export async function readInputFile(file: string, label = file, maxBytes = MAX_INPUT_BYTES, noun = 'input'): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError(label, [], `cannot read ${noun} (EISDIR): it is a directory`);
    if (info.size > maxBytes) throw new InputError(label, [], `is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(label, [], `cannot read ${noun} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return decodeInput(bytes, label);
}

/** The encoding of `bytes`: a BOM decides; without one, NULs in the first two bytes give UTF-16 away. */
export function detectEncoding(bytes: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  const [b0, b1, b2] = [bytes[0], bytes[1], bytes[2]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // JSON and YAML start with an ASCII character: in UTF-16 one of its two bytes is zero.
  if (bytes.length >= 2 && b0 !== 0 && b1 === 0) return { encoding: 'utf-16le', bomLength: 0 };
  if (bytes.length >= 2 && b0 === 0 && b1 !== 0) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Bytes -> text without a BOM; invalid UTF-8 or an odd-length UTF-16 body is an input error. */
export function decodeInput(bytes: Uint8Array, file: string): string {
  const { encoding, bomLength } = detectEncoding(bytes);
  let body = bytes.subarray(bomLength);
  let label: string = encoding;
  if (encoding === 'utf-16be') {
    // TextDecoder's utf-16be support depends on the ICU build: swap to little endian instead.
    const swapped = new Uint8Array(body.length);
    for (let i = 0; i + 1 < body.length; i += 2) {
      swapped[i] = body[i + 1]!;
      swapped[i + 1] = body[i]!;
    }
    if (body.length % 2) swapped[body.length - 1] = body[body.length - 1]!;
    body = swapped;
    label = 'utf-16le';
  }
  if (encoding !== 'utf-8' && body.length % 2) throw new InputError(file, [], `is not valid ${encoding.toUpperCase()} text (odd number of bytes)`);
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new InputError(file, [], `is not valid ${encoding.toUpperCase()} text (invalid byte sequence${encoding === 'utf-8' ? '; save it as UTF-8 or UTF-16' : ''})`);
  }
  return stripBom(text);
}

/** Drops one leading U+FEFF (text already decoded elsewhere may still carry it). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Strict JSON: `JSON.parse` for the value, then one linear pass over the text for what it does
 * not check (duplicate keys, depth). Errors are InputErrors naming the file and JSON path.
 */
export function parseJsonText(text: string, file: string): unknown {
  const source = stripBom(text);
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new InputError(file, [], `is not valid JSON: ${describeJsonSyntaxError(error as Error, source)}`);
  }
  checkJsonStructure(source, file);
  return value;
}

/**
 * V8's messages quote part of the input (which may hold line breaks or control characters) and
 * give a character offset; the reader wants one line with a line and column.
 */
export function describeJsonSyntaxError(error: Error, text: string): string {
  const { what, position } = jsonSyntaxErrorParts(error, text.length);
  if (position === undefined) return what;
  const { line, column } = lineColumn(text, position);
  return `${what} (line ${line}, column ${column})`;
}

/**
 * What a `JSON.parse` SyntaxError says, as one line, and the character offset it names (the end
 * of the text, `textLength`, for "unexpected end"), if any.
 */
export function jsonSyntaxErrorParts(error: Error, textLength: number): { what: string; position?: number } {
  const message = error.message;
  const at = /at position (\d+)/.exec(message);
  let what = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/,\s*"[\s\S]*"\s+is not valid JSON$/, '')
    .replace(/^"[\s\S]*"\s+is not valid JSON$/, 'unexpected content');
  if (/^Unexpected end of JSON input/.test(message)) what = 'unexpected end of input';
  what = what.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  if (what.length > 120) what = `${what.slice(0, 117)}...`;
  const position = at ? Number(at[1]) : /end of JSON input/.test(message) ? textLength : undefined;
  return position === undefined ? { what: what || 'syntax error' } : { what: what || 'syntax error', position };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
/** Objects with more keys than this switch from a linear search to a set. */
const LINEAR_KEYS = 24;

/** Where a checked text sits inside a larger document (see checkJsonStructure). */
export interface JsonStructureBase {
  /** JSON path of the text's value in the document; its length is the value's nesting depth. */
  readonly path: readonly (string | number)[];
  /** The document line of the text's character `index`. */
  lineOf(index: number): number;
}

/**
 * Duplicate keys and nesting depth of text that JSON.parse accepted (so its syntax is known to be
 * valid and only strings, brackets and commas need attention). Linear in the text; the current
 * JSON path is kept as it goes, so an error can name it without a second pass. With `base`, the
 * text is one value inside a larger document: paths, depth and lines are the document's.
 */
export function checkJsonStructure(text: string, file: string, base?: JsonStructureBase): void {
  // Per open container: its keys so far (objects) or null (arrays), and its current key/index.
  const keys: (string[] | null)[] = [];
  const sets: (Set<string> | undefined)[] = [];
  const pathParts: (string | number)[] = base ? [...base.path] : [];
  const baseDepth = pathParts.length;
  let depth = baseDepth;
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        const level = depth - 1;
        const list = keys[level]!;
        let set = sets[level];
        let duplicate: boolean;
        if (set) {
          duplicate = set.has(key);
          set.add(key);
        } else {
          duplicate = list.includes(key);
          list.push(key);
          if (list.length > LINEAR_KEYS) sets[level] = set = new Set(list);
        }
        pathParts[level] = key;
        if (duplicate) {
          throw new InputError(file, pathParts.slice(0, depth), `duplicate key "${key}" (line ${base ? base.lineOf(i) : lineColumn(text, i).line}): each key may appear once`);
        }
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth >= MAX_JSON_DEPTH) {
        // The path is cut short: the point is where the nesting starts, not all 256 levels of it.
        throw new InputError(file, pathParts.slice(0, 8), `is nested more than ${MAX_JSON_DEPTH} levels deep`);
      }
      const isObject = c === OPEN_BRACE;
      let list = keys[depth];
      if (isObject) {
        if (list) list.length = 0;
        else list = keys[depth] = [];
      }
      keys[depth] = isObject ? list! : null;
      sets[depth] = undefined;
      pathParts[depth] = isObject ? '' : 0;
      depth++;
      expectKey = isObject;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      pathParts.length = depth;
      expectKey = false;
    } else if (c === COMMA && depth > baseDepth) {
      if (keys[depth - 1] !== null) expectKey = true;
      else pathParts[depth - 1] = (pathParts[depth - 1] as number) + 1;
    }
  }
}

/** Index of the quote closing the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    for (let k = end - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}
