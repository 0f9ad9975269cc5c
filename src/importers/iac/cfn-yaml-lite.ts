/**
 * A reader for the plain YAML most CloudFormation templates are written in, without the `yaml`
 * package: loading and warming up that parser is most of a one-template scan's YAML time. It reads
 * a strict subset and gives exactly what parseCfnText gives through `yaml` (same values, same key
 * order, same positions); for anything outside the subset it gives undefined and the caller uses
 * `yaml`, which also owns every error message. test/importers/cfn-yaml-lite.test.ts compares the
 * two on every template in fixtures/ and on mutations of them.
 *
 * The subset: a block mapping at the top; block mappings and sequences (a sequence more indented
 * than its key, compact mappings in sequence items); single-line plain, single-quoted and
 * double-quoted (no escapes) scalars; single-line flow sequences and mappings; the CloudFormation
 * short-form tags; comments. Not in it (undefined): anchors, aliases, other tags, block scalars,
 * multi-line scalars or flow collections, directives and document markers, tabs, carriage
 * returns and other control characters, `?` keys, merge keys, duplicate keys, plain scalars that
 * would be octal, hexadecimal or floating point numbers, and deep nesting.
 *
 * Every loop advances through the text; nesting is bounded (MAX_DEPTH), so hostile input costs
 * at most a linear scan before it is handed to `yaml`.
 */
import type { ParsedTemplate, Position } from './cfn-parse.js';

/** What the short-form tags become (`!GetAtt` -> `Fn::GetAtt`); the set cfn-parse.ts declares to `yaml`. */
const TAGS = new Set([
  'Ref', 'Condition', 'Sub', 'GetAtt', 'If', 'Join', 'Select', 'Split', 'FindInMap', 'Equals', 'Not', 'And', 'Or',
  'Base64', 'Cidr', 'GetAZs', 'ImportValue', 'Transform', 'Length', 'ToJsonString',
]);

/** Nesting beyond this is left to `yaml` and cfn-parse's own depth check (200). */
const MAX_DEPTH = 100;

/** Control characters (tab and carriage return included), BOM, NEL and the Unicode line separators. */
const UNREAD_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f\x85\ufeff\u2028\u2029]/;

type LiteNode =
  | { kind: 'scalar'; start: number; value: unknown; tag?: string }
  | { kind: 'map'; start: number; items: { key: string; keyStart: number; value: LiteNode | null }[]; tag?: string }
  | { kind: 'seq'; start: number; items: LiteNode[]; tag?: string };

/** Thrown inside the reader when the text leaves the subset; never escapes readCfnYamlLite. */
class Outside extends Error {}

const outside = (): never => {
  throw new Outside();
};

export function readCfnYamlLite(text: string): ParsedTemplate | undefined {
  if (UNREAD_CHARACTERS.test(text)) return undefined;
  let root: LiteNode;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  try {
    const reader = new Reader(text, lineStarts);
    root = reader.document();
  } catch (error) {
    if (error instanceof Outside) return undefined;
    throw error;
  }
  const locations = new Map<string, Position>();
  const linePos = (offset: number): Position => {
    let low = 0;
    let high = lineStarts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (lineStarts[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    if (lineStarts[low] === offset) return { line: low + 1, column: 1 };
    return { line: low, column: offset - lineStarts[low - 1]! + 1 };
  };
  try {
    return { value: convert(root, undefined, locations, linePos), locations };
  } catch (error) {
    if (error instanceof Outside) return undefined;
    throw error;
  }
}

/**
 * As cfn-parse's convert, for the reader's nodes; `at`: the node's path as cfn-parse keys its
 * locations (pathKey: the path joined with NUL), undefined at the root. A duplicate key leaves the
 * document to `yaml` (cfn-parse reports it).
 */
function convert(node: LiteNode | null, at: string | undefined, locations: Map<string, Position>, linePos: (offset: number) => Position): unknown {
  if (node === null) return null;
  const intrinsic = node.tag;
  if (intrinsic) at = child(at, intrinsic === 'Ref' || intrinsic === 'Condition' ? intrinsic : `Fn::${intrinsic}`);
  let value: unknown;
  if (node.kind === 'scalar') {
    value = node.value;
  } else if (node.kind === 'map') {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = child(at, pair.key);
      if (Object.prototype.hasOwnProperty.call(out, pair.key)) throw new Outside();
      locations.set(key, linePos(pair.keyStart));
      out[pair.key] = convert(pair.value, key, locations, linePos);
    }
    value = out;
  } else {
    const items = node.items;
    const list = new Array<unknown>(items.length);
    for (let index = 0; index < items.length; index++) {
      const key = child(at, String(index));
      locations.set(key, linePos(items[index]!.start));
      list[index] = convert(items[index]!, key, locations, linePos);
    }
    value = list;
  }
  return intrinsic ? longForm(intrinsic, value) : value;
}

const child = (at: string | undefined, segment: string): string => (at === undefined ? segment : `${at}\u0000${segment}`);

/** A short-form tag's long form (`!GetAtt a.b` -> `{"Fn::GetAtt": ["a", "b"]}`); cfn-parse.ts uses it for `yaml`'s tags too. */
export function longForm(name: string, value: unknown): unknown {
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/** Characters a plain scalar may not start with (YAML indicators), besides `-` handled apart. */
const INDICATORS = new Set(['?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '-']);

class Reader {
  /** Offset of the next unread line's start. */
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly lineStarts: number[],
  ) {}

  document(): LiteNode {
    this.skipBlankLines();
    if (this.pos >= this.text.length) outside();
    const indent = this.indentAt(this.pos);
    if (indent !== 0) outside();
    const root = this.blockMap(0, 0);
    this.skipBlankLines();
    if (this.pos < this.text.length) outside();
    return root;
  }

  private lineEnd(from: number): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.text.length : end;
  }

  private indentAt(lineStart: number): number {
    let i = lineStart;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - lineStart;
  }

  /** Moves `pos` past lines that are empty, spaces or comments. */
  private skipBlankLines(): void {
    const { text } = this;
    while (this.pos < text.length) {
      let i = this.pos;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (i < text.length && c !== NEWLINE && c !== HASH) return;
      const end = this.lineEnd(i);
      this.pos = end < text.length ? end + 1 : text.length;
    }
  }

  /** The indentation of the next content line, or -1 at the end. */
  private nextIndent(): number {
    this.skipBlankLines();
    return this.pos >= this.text.length ? -1 : this.indentAt(this.pos);
  }

  /** Entries at column `indent`, the first one starting at `first` (a position within the current line), depth for the bound. */
  private blockMap(indent: number, depth: number, first?: number): LiteNode {
    if (depth > MAX_DEPTH) outside();
    const items: { key: string; keyStart: number; value: LiteNode | null }[] = [];
    let start = -1;
    let at = first;
    for (;;) {
      if (at === undefined) {
        const next = this.nextIndent();
        if (next < indent) break;
        if (next > indent) outside();
        at = this.pos + indent;
      }
      const { text } = this;
      const end = this.lineEnd(at);
      const key = this.key(at, end);
      if (!key) outside();
      if (start < 0) start = at;
      const { name, after } = key!;
      if (name === '<<' || name.length > 1000) outside();
      const value = this.valueAfterIndicator(after, end, indent, depth, false);
      items.push({ key: name, keyStart: at, value });
      at = undefined;
      void text;
    }
    return { kind: 'map', start, items };
  }

  /** Items `-` at column `indent` (more indented than the parent key). */
  private blockSeq(indent: number, depth: number): LiteNode {
    if (depth > MAX_DEPTH) outside();
    const items: LiteNode[] = [];
    const start = this.pos + indent;
    for (;;) {
      const next = this.nextIndent();
      if (next < indent) break;
      if (next > indent) outside();
      const dash = this.pos + indent;
      const { text } = this;
      if (text.charCodeAt(dash) !== DASH) outside();
      const end = this.lineEnd(dash);
      const afterDash = text.charCodeAt(dash + 1);
      if (dash + 1 < end && afterDash !== SPACE) outside();
      let i = dash + 1;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i >= end || text.charCodeAt(i) === HASH) {
        // `-` alone: the item is the block below, more indented than the dash.
        this.pos = end < text.length ? end + 1 : text.length;
        const below = this.nextIndent();
        if (below <= indent) outside();
        items.push(this.blockNode(below, depth + 1));
        continue;
      }
      if (text.charCodeAt(i) === DASH && (i + 1 >= end || text.charCodeAt(i + 1) === SPACE)) outside();
      const key = this.key(i, end);
      if (key) {
        // A compact mapping: its entries at the column of its first key.
        items.push(this.blockMap(i - this.lineStartOf(i), depth + 1, i));
        continue;
      }
      const value = this.valueAt(i, end, indent, depth, true);
      if (!value) outside();
      items.push(value!);
    }
    return { kind: 'seq', start, items };
  }

  /** Where a comment (` #`) starts between `from` and `end` (within a line), else `end`. */
  private comment(from: number, end: number): number {
    const at = this.text.slice(from, end).indexOf(' #');
    return at < 0 ? end : from + at;
  }


  private lineStartOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return this.lineStarts[low]!;
  }

  /** A block mapping or sequence whose first line is at `pos` with this indentation. */
  private blockNode(indent: number, depth: number): LiteNode {
    const { text } = this;
    const at = this.pos + indent;
    if (text.charCodeAt(at) === DASH && (at + 1 >= text.length || text.charCodeAt(at + 1) === SPACE || text.charCodeAt(at + 1) === NEWLINE)) return this.blockSeq(indent, depth + 1);
    return this.blockMap(indent, depth + 1);
  }

  /**
   * An implicit key at `at` on a line ending at `end`: plain or quoted, followed by `:` and a space
   * or the end of the line. Undefined when the line does not start with one.
   */
  private key(at: number, end: number): { name: string; after: number } | undefined {
    const { text } = this;
    const c = text[at]!;
    if (c === '"' || c === "'") {
      const quoted = this.quoted(at, end);
      let i = quoted.end;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (text.charCodeAt(i) !== COLON) return undefined;
      if (i + 1 < end && text.charCodeAt(i + 1) !== SPACE) outside();
      return { name: quoted.value, after: i + 1 };
    }
    if (INDICATORS.has(c)) return undefined;
    // The first `: ` (or `:` ending the line) before a comment makes it a key.
    const comment = this.comment(at, end);
    const line = text.slice(at, comment);
    for (let r = line.indexOf(':'); r >= 0; r = line.indexOf(':', r + 1)) {
      const i = at + r;
      if (i + 1 >= end || text.charCodeAt(i + 1) === SPACE) {
        let last = i;
        while (last > at && text.charCodeAt(last - 1) === SPACE) last--;
        return { name: keyName(text.slice(at, last)), after: i + 1 };
      }
    }
    return undefined;
  }

  /**
   * The value after a key's `:` (or a tag) at `from` on a line ending at `end`; a value on the
   * following lines when the line has nothing more. `indent`: the column of the key (or dash).
   */
  private valueAfterIndicator(from: number, end: number, indent: number, depth: number, inSeq: boolean): LiteNode | null {
    const { text } = this;
    let i = from;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i >= end || text.charCodeAt(i) === HASH) {
      if (i < end && i === from) outside();
      this.pos = end < text.length ? end + 1 : text.length;
      const below = this.nextIndent();
      if (below > indent) return this.blockNode(below, depth);
      if (below === indent && text.charCodeAt(this.pos + below) === DASH) outside();
      return null;
    }
    return this.valueAt(i, end, indent, depth, inSeq);
  }

  /** A value starting at `i` (not a space) on the current line. */
  private valueAt(i: number, end: number, indent: number, depth: number, inSeq: boolean): LiteNode {
    const { text } = this;
    const c = text[i]!;
    if (c === '!') {
      let j = i + 1;
      while (j < end && /[A-Za-z]/.test(text[j]!)) j++;
      const tag = text.slice(i + 1, j);
      if (!TAGS.has(tag) || (j < end && text.charCodeAt(j) !== SPACE)) outside();
      let k = j;
      while (k < end && text.charCodeAt(k) === SPACE) k++;
      if (k >= end || text.charCodeAt(k) === HASH) {
        if (k < end && k === j) outside();
        // A tag alone on its line: the tagged node is the block below.
        this.pos = end < text.length ? end + 1 : text.length;
        const below = this.nextIndent();
        if (below <= indent) outside();
        const node = this.blockNode(below, depth);
        return { ...node, tag };
      }
      const inner = this.inlineValue(k, end, true, depth);
      this.finishLine(inner.end, end, indent, inSeq);
      return { ...inner.node, tag };
    }
    const inline = this.inlineValue(i, end, false, depth);
    this.finishLine(inline.end, end, indent, inSeq);
    return inline.node;
  }

  /** After a value: only spaces and a comment may follow, and no more indented line (a continuation). */
  private finishLine(from: number, end: number, indent: number, _inSeq: boolean): void {
    const { text } = this;
    let i = from;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i < end && (text.charCodeAt(i) !== HASH || i === from)) outside();
    this.pos = end < text.length ? end + 1 : text.length;
    const next = this.nextIndent();
    if (next > indent) outside();
  }

  /** A scalar or flow collection on one line; tagged: its scalar stays a string (the tag's resolve). */
  private inlineValue(i: number, end: number, tagged: boolean, depth: number): { node: LiteNode; end: number } {
    const { text } = this;
    const c = text[i]!;
    if (c === '[' || c === '{') return this.flow(i, end, tagged, depth + 1);
    if (c === '"' || c === "'") {
      const quoted = this.quoted(i, end);
      return { node: { kind: 'scalar', start: i, value: quoted.value }, end: quoted.end };
    }
    if (INDICATORS.has(c)) outside();
    // A plain scalar to the end of the line or a comment; `: ` inside would make it a key.
    const stop = this.comment(i, end);
    const scalar = text.slice(i, stop);
    for (let r = scalar.indexOf(':'); r >= 0; r = scalar.indexOf(':', r + 1)) {
      if (i + r + 1 >= end || text.charCodeAt(i + r + 1) === SPACE) outside();
    }
    let last = stop;
    while (last > i && text.charCodeAt(last - 1) === SPACE) last--;
    const raw = text.slice(i, last);
    return { node: { kind: 'scalar', start: i, value: tagged ? raw : plainValue(raw) }, end: last };
  }

  /** A quoted scalar on one line: `'it''s'`, or `"..."` without escapes. */
  private quoted(at: number, end: number): { value: string; end: number } {
    const { text } = this;
    const quote = text[at]!;
    if (quote === '"') {
      const close = text.indexOf('"', at + 1);
      if (close < 0 || close >= end) outside();
      const value = text.slice(at + 1, close);
      if (value.includes('\\')) outside();
      return { value, end: close + 1 };
    }
    let value = '';
    let i = at + 1;
    for (;;) {
      const close = text.indexOf("'", i);
      if (close < 0 || close >= end) outside();
      value += text.slice(i, close);
      if (text[close + 1] === "'") {
        value += "'";
        i = close + 2;
        continue;
      }
      return { value, end: close + 1 };
    }
  }

  /** A flow sequence or mapping closed on the same line. */
  private flow(at: number, end: number, tagged: boolean, depth: number): { node: LiteNode; end: number } {
    if (depth > MAX_DEPTH) outside();
    void tagged;
    const { text } = this;
    const open = text[at]!;
    const close = open === '[' ? ']' : '}';
    const isMap = open === '{';
    const items: LiteNode[] = [];
    const pairs: { key: string; keyStart: number; value: LiteNode | null }[] = [];
    let i = this.skipSpaces(at + 1, end);
    if (text[i] === close) return { node: isMap ? { kind: 'map', start: at, items: pairs } : { kind: 'seq', start: at, items }, end: i + 1 };
    for (;;) {
      if (isMap) {
        const keyStart = i;
        let key: string;
        if (text[i] === '"' || text[i] === "'") {
          const q = this.quoted(i, end);
          key = q.value;
          i = q.end;
        } else {
          const plain = this.flowPlain(i, end);
          key = keyName(plain.raw);
          i = plain.end;
        }
        i = this.skipSpaces(i, end);
        if (text[i] !== ':' || text.charCodeAt(i + 1) !== SPACE) outside();
        if (key === '<<' || key.length > 1000) outside();
        i = this.skipSpaces(i + 1, end);
        const value = this.flowValue(i, end, depth);
        pairs.push({ key, keyStart, value: value.node });
        i = value.end;
      } else {
        const value = this.flowValue(i, end, depth);
        items.push(value.node);
        i = value.end;
      }
      i = this.skipSpaces(i, end);
      if (text[i] === ',') {
        i = this.skipSpaces(i + 1, end);
        if (text[i] === close || text[i] === ',') outside();
        continue;
      }
      if (text[i] === close) break;
      outside();
    }
    return { node: isMap ? { kind: 'map', start: at, items: pairs } : { kind: 'seq', start: at, items }, end: i + 1 };
  }

  private skipSpaces(i: number, end: number): number {
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i >= end) outside();
    return i;
  }

  /** A value inside a flow collection: quoted, plain, tagged or a nested collection. */
  private flowValue(i: number, end: number, depth: number): { node: LiteNode; end: number } {
    const { text } = this;
    const c = text[i]!;
    if (c === '[' || c === '{') return this.flow(i, end, false, depth + 1);
    if (c === '"' || c === "'") {
      const q = this.quoted(i, end);
      this.noImplicitKey(q.end, end);
      return { node: { kind: 'scalar', start: i, value: q.value }, end: q.end };
    }
    if (c === '!') {
      let j = i + 1;
      while (j < end && /[A-Za-z]/.test(text[j]!)) j++;
      const tag = text.slice(i + 1, j);
      if (!TAGS.has(tag) || text.charCodeAt(j) !== SPACE) outside();
      const k = this.skipSpaces(j, end);
      if (text[k] === '[' || text[k] === '{') {
        const inner = this.flow(k, end, true, depth + 1);
        return { node: { ...inner.node, tag }, end: inner.end };
      }
      if (text[k] === '"' || text[k] === "'") {
        const q = this.quoted(k, end);
        this.noImplicitKey(q.end, end);
        return { node: { kind: 'scalar', start: k, value: q.value, tag }, end: q.end };
      }
      const plain = this.flowPlain(k, end);
      this.noImplicitKey(plain.end, end);
      return { node: { kind: 'scalar', start: k, value: plain.raw, tag }, end: plain.end };
    }
    const plain = this.flowPlain(i, end);
    this.noImplicitKey(plain.end, end);
    return { node: { kind: 'scalar', start: i, value: plainValue(plain.raw) }, end: plain.end };
  }

  /** A flow value followed by `:` would be an implicit key (`[a: b]`): outside the subset. */
  private noImplicitKey(i: number, end: number): void {
    const j = this.skipSpaces(i, end);
    if (this.text[j] === ':') outside();
  }

  /** A plain scalar inside a flow collection: up to `,`, `]`, `}`, `: ` or a comment. */
  private flowPlain(i: number, end: number): { raw: string; end: number } {
    const { text } = this;
    if (INDICATORS.has(text[i]!)) outside();
    let j = i;
    let last = i;
    for (; j < end; j++) {
      const ch = text[j]!;
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
      if (ch === '#' && text.charCodeAt(j - 1) === SPACE) outside();
      if (ch === ':') {
        const next = text[j + 1];
        if (next === ' ' || next === ',' || next === ']' || next === '}' || next === '[' || next === '{' || j + 1 >= end) break;
      }
      if (ch !== ' ') last = j + 1;
    }
    if (text[j] === '[' || text[j] === '{') outside();
    if (last === i) outside();
    return { raw: text.slice(i, last), end: last };
  }
}

/** A plain key as cfn-parse names it: the string of its value (`true`, `null`, `12`). */
function keyName(raw: string): string {
  if (/^[-+]?0[0-9]/.test(raw)) outside();
  return String(plainValue(raw));
}

/** An untagged plain scalar as the YAML 1.2 core schema reads it (the numbers `yaml` reads otherwise are outside the subset). */
function plainValue(raw: string): unknown {
  if (raw === '~' || raw === 'null' || raw === 'Null' || raw === 'NULL') return null;
  if (raw === 'true' || raw === 'True' || raw === 'TRUE') return true;
  if (raw === 'false' || raw === 'False' || raw === 'FALSE') return false;
  const c = raw.charCodeAt(0);
  // Digits, signs and dots may start a number: unsigned decimal integers and floats are read here,
  // as `yaml` reads them (parseInt, parseFloat); every other number form is left to it.
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
    if (/^[0-9]{1,15}$/.test(raw)) {
      // cfn-parse keeps a leading zero's digits as written.
      return raw.length > 1 && c === 0x30 ? raw : parseInt(raw, 10);
    }
    if (/^(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw) || /^(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(raw) || /^0o/.test(raw) || /^0x/.test(raw) || /^[-+]?\.(?:inf|Inf|INF)$/.test(raw) || /^[-+]?[0-9]+$/.test(raw)) {
      outside();
    }
    if (/^\.(?:nan|NaN|NAN)$/.test(raw)) outside();
  }
  return raw;
}
