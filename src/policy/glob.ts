/**
 * IAM-style globs: `*` matches any run of characters (including none), `?` exactly one.
 * Used for actions (case-insensitive) and for ARNs and model ids (case-sensitive).
 *
 * Patterns come from pull requests, so no pattern is ever turned into a RegExp: a backtracking
 * engine takes exponential time on `s3:**********x` (each `*` a `.*`). Matching here is linear in
 * the text for a fixed pattern: runs of `*` collapse to one, and the fixed-length parts between
 * stars are placed left to right at their first fit, which is the optimal placement when every
 * star may absorb anything (no backtracking needed). Patterns whose stars may not cross a colon
 * (ARN segments) use a position-set simulation instead, O(text x pattern) and never recursive.
 * Case-insensitive matching compares characters as a non-Unicode `/i` RegExp does (see
 * canonicalCase), so answers are exactly those of the regular expressions used before.
 */

/** One position of a compiled pattern. */
export type WildcardToken =
  | { kind: 'char'; code: number }
  /** `?`: any one UTF-16 code unit. */
  | { kind: 'one' }
  /** `?` inside an ARN field: any one code unit but `:`. */
  | { kind: 'oneNoColon' }
  /** `*`: any run of code units. */
  | { kind: 'star' }
  /** `*` inside an ARN field: any run without `:`. */
  | { kind: 'starNoColon' };

export interface WildcardMatcher {
  /** Does the whole of `text` match the pattern? */
  test(text: string): boolean;
}

const COLON = 58;
const STAR_CODE = 42;
const QUESTION_CODE = 63;

/** Position kinds inside a fixed-length part (between stars). */
const LIT = 0;
const ONE = 1;
const ONE_NO_COLON = 2;

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * A string whose code units compare equal exactly when a non-Unicode case-insensitive RegExp
 * would call them equal (ECMAScript Canonicalize: the single-unit upper case, except that a
 * non-ASCII unit never maps to an ASCII one, so `ſ` and `ı` stay apart from `s` and `i`).
 * Same length as the input, so positions carry over.
 */
export function canonicalCase(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toUpperCase();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      out += c >= 97 && c <= 122 ? String.fromCharCode(c - 32) : String.fromCharCode(c);
      continue;
    }
    const ch = String.fromCharCode(c);
    const upper = ch.toUpperCase();
    out += upper.length === 1 && upper.charCodeAt(0) >= 128 ? upper : ch;
  }
  return out;
}

interface Part {
  /** The part's characters; wildcard positions hold a placeholder that `kinds` overrides. */
  text: string;
  /** Per position LIT / ONE / ONE_NO_COLON; absent when the part is all literal (indexOf works). */
  kinds: Uint8Array | undefined;
}

/** Matching for patterns whose stars all match anything: parts placed left to right. */
class PartsMatcher implements WildcardMatcher {
  private readonly minLength: number;

  constructor(
    private readonly parts: readonly Part[],
    /** The pattern starts / ends with a star. */
    private readonly open: { start: boolean; end: boolean },
    private readonly caseInsensitive: boolean,
  ) {
    let min = 0;
    for (const p of parts) min += p.text.length;
    this.minLength = min;
  }

  test(input: string): boolean {
    const text = this.caseInsensitive ? canonicalCase(input) : input;
    const { parts, open } = this;
    const n = text.length;
    if (n < this.minLength) return false;
    if (parts.length === 0) return open.start || n === 0;
    if (!open.start && !open.end && parts.length === 1) return n === parts[0]!.text.length && partAt(parts[0]!, text, 0);
    let first = 0;
    let last = parts.length - 1;
    let from = 0;
    let to = n;
    if (!open.start) {
      if (!partAt(parts[0]!, text, 0)) return false;
      from = parts[0]!.text.length;
      first = 1;
    }
    if (!open.end) {
      const tail = parts[last]!;
      to = n - tail.text.length;
      if (to < from || !partAt(tail, text, to)) return false;
      last--;
    }
    for (let k = first; k <= last; k++) {
      const at = findPart(parts[k]!, text, from, to);
      if (at < 0) return false;
      from = at + parts[k]!.text.length;
    }
    return true;
  }
}

function partAt(part: Part, text: string, at: number): boolean {
  const { kinds } = part;
  const len = part.text.length;
  if (!kinds) return text.startsWith(part.text, at);
  for (let j = 0; j < len; j++) {
    const kind = kinds[j]!;
    if (kind === ONE) continue;
    const c = text.charCodeAt(at + j);
    if (kind === ONE_NO_COLON ? c === COLON : c !== part.text.charCodeAt(j)) return false;
  }
  return true;
}

/** First position in [from, to - length] where the part fits, or -1. */
function findPart(part: Part, text: string, from: number, to: number): number {
  const len = part.text.length;
  if (!part.kinds) {
    const at = text.indexOf(part.text, from);
    return at >= 0 && at + len <= to ? at : -1;
  }
  for (let at = from; at + len <= to; at++) if (partAt(part, text, at)) return at;
  return -1;
}

/** Token kinds as numbers, for the position-set matcher's flat arrays. */
const K_CHAR = 0;
const K_ONE = 1;
const K_ONE_NO_COLON = 2;
const K_STAR = 3;
const K_STAR_NO_COLON = 4;
const TOKEN_KIND: Record<WildcardToken['kind'], number> = { char: K_CHAR, one: K_ONE, oneNoColon: K_ONE_NO_COLON, star: K_STAR, starNoColon: K_STAR_NO_COLON };

/**
 * Matching for patterns with a star that may not cross a colon (`arn:aws:s3:us-*-1:...`): the set
 * of pattern positions reachable after each text character, as a Thompson NFA keeps it. The set is
 * a list plus a generation stamp per position, so a step costs the number of live positions (a
 * handful for real patterns), at most the pattern's length.
 */
class PositionSetMatcher implements WildcardMatcher {
  private readonly kinds: Uint8Array;
  private readonly codes: Int32Array;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private current: Int32Array;
  private next: Int32Array;

  constructor(
    tokens: readonly WildcardToken[],
    private readonly caseInsensitive: boolean,
  ) {
    const m = tokens.length;
    this.kinds = new Uint8Array(m);
    this.codes = new Int32Array(m);
    tokens.forEach((token, i) => {
      this.kinds[i] = TOKEN_KIND[token.kind];
      this.codes[i] = token.kind === 'char' ? token.code : -1;
    });
    this.stamp = new Uint32Array(m + 1);
    this.current = new Int32Array(m + 1);
    this.next = new Int32Array(m + 1);
  }

  /** Adds position `i` (and the position after it when `i` is a star, which may match nothing). */
  private add(list: Int32Array, size: number, i: number): number {
    const { stamp, kinds, generation } = this;
    while (stamp[i] !== generation) {
      stamp[i] = generation;
      list[size++] = i;
      if (i >= kinds.length || (kinds[i] !== K_STAR && kinds[i] !== K_STAR_NO_COLON)) break;
      i++;
    }
    return size;
  }

  private newGeneration(): void {
    if (++this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  test(input: string): boolean {
    const text = this.caseInsensitive ? canonicalCase(input) : input;
    const { kinds, codes } = this;
    const m = kinds.length;
    let cur = this.current;
    let nxt = this.next;
    this.newGeneration();
    let size = this.add(cur, 0, 0);
    for (let t = 0; t < text.length && size > 0; t++) {
      const c = text.charCodeAt(t);
      this.newGeneration();
      let nextSize = 0;
      for (let k = 0; k < size; k++) {
        const i = cur[k]!;
        if (i === m) continue;
        switch (kinds[i]) {
          case K_STAR:
            nextSize = this.add(nxt, nextSize, i);
            break;
          case K_STAR_NO_COLON:
            if (c !== COLON) nextSize = this.add(nxt, nextSize, i);
            break;
          case K_ONE:
            nextSize = this.add(nxt, nextSize, i + 1);
            break;
          case K_ONE_NO_COLON:
            if (c !== COLON) nextSize = this.add(nxt, nextSize, i + 1);
            break;
          default:
            if (c === codes[i]) nextSize = this.add(nxt, nextSize, i + 1);
        }
      }
      const swap = cur;
      cur = nxt;
      nxt = swap;
      size = nextSize;
    }
    for (let k = 0; k < size; k++) if (cur[k] === m) return true;
    return false;
  }
}

/** Collapses runs of stars (a run is `starNoColon` only when every star in it is). */
function collapseStars(tokens: readonly WildcardToken[]): WildcardToken[] {
  const out: WildcardToken[] = [];
  for (const token of tokens) {
    const isStar = token.kind === 'star' || token.kind === 'starNoColon';
    const prev = out[out.length - 1];
    if (isStar && prev && (prev.kind === 'star' || prev.kind === 'starNoColon')) {
      if (token.kind === 'star') out[out.length - 1] = token;
      continue;
    }
    out.push(token);
  }
  return out;
}

/** A matcher for a tokenized pattern; `caseInsensitive` expects `char` codes already canonical. */
export function compileWildcard(tokens: readonly WildcardToken[], caseInsensitive = false): WildcardMatcher {
  const collapsed = collapseStars(tokens);
  if (collapsed.some((t) => t.kind === 'starNoColon')) return new PositionSetMatcher(collapsed, caseInsensitive);
  const parts: Part[] = [];
  let text = '';
  let kinds: number[] = [];
  let wild = false;
  const flush = () => {
    if (text.length) parts.push({ text, kinds: wild ? Uint8Array.from(kinds) : undefined });
    text = '';
    kinds = [];
    wild = false;
  };
  for (const token of collapsed) {
    if (token.kind === 'star') {
      flush();
      continue;
    }
    if (token.kind === 'char') {
      text += String.fromCharCode(token.code);
      kinds.push(LIT);
    } else {
      text += '\u0000';
      kinds.push(token.kind === 'one' ? ONE : ONE_NO_COLON);
      wild = true;
    }
  }
  flush();
  const open = { start: collapsed[0]?.kind === 'star', end: collapsed[collapsed.length - 1]?.kind === 'star' };
  // The commonest shapes (`s3:Get*`, `*-logs`, `*data*`) as one native string test.
  const only = parts.length === 1 && !parts[0]!.kinds ? parts[0]!.text : undefined;
  if (only !== undefined && (open.start || open.end)) {
    const test =
      open.start && open.end ? (text: string) => text.includes(only) : open.end ? (text: string) => text.startsWith(only) : (text: string) => text.endsWith(only);
    return { test: caseInsensitive ? (input) => test(canonicalCase(input)) : test };
  }
  return new PartsMatcher(parts, open, caseInsensitive);
}

/**
 * Tokens of a plain glob: `*` and `?` are wildcards, every other code unit is literal; with
 * `standIns`, the two given code units are a literal `*` and `?` (policy-variable escapes).
 */
export function globTokens(pattern: string, caseInsensitive = false, standIns?: { star: number; question: number }): WildcardToken[] {
  const source = caseInsensitive ? canonicalCase(pattern) : pattern;
  const tokens: WildcardToken[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === STAR_CODE) tokens.push({ kind: 'star' });
    else if (c === QUESTION_CODE) tokens.push({ kind: 'one' });
    else if (standIns && c === standIns.star) tokens.push({ kind: 'char', code: STAR_CODE });
    else if (standIns && c === standIns.question) tokens.push({ kind: 'char', code: QUESTION_CODE });
    else tokens.push({ kind: 'char', code: c });
  }
  return tokens;
}

const cache = new Map<string, WildcardMatcher>();

/** A cached matcher for a plain glob (see globMatches). */
export function globMatcher(glob: string, caseInsensitive = false): WildcardMatcher {
  const key = (caseInsensitive ? 'i:' : 's:') + glob;
  let matcher = cache.get(key);
  if (!matcher) {
    matcher = compileWildcard(globTokens(glob, caseInsensitive), caseInsensitive);
    if (cache.size > 50_000) cache.clear();
    cache.set(key, matcher);
  }
  return matcher;
}

export function globMatches(glob: string, text: string, options: { caseInsensitive?: boolean } = {}): boolean {
  if (glob === '*') return true;
  if (!glob.includes('*') && !glob.includes('?')) {
    return options.caseInsensitive ? glob.toLowerCase() === text.toLowerCase() : glob === text;
  }
  return globMatcher(glob, options.caseInsensitive ?? false).test(text);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Whole-string glob over Unicode code points (`?` is one code point, as in a RegExp with the
 * `u` flag), case-sensitive: the form suppression patterns use. Text without surrogates is
 * matched on code units (the same thing there); otherwise both sides are matched as code points.
 */
export function codePointGlob(pattern: string): WildcardMatcher {
  const units = compileWildcard(globTokens(pattern));
  if (SURROGATE.test(pattern)) return { test: (text) => matchCodePoints(pattern, text) };
  return { test: (text) => (SURROGATE.test(text) ? matchCodePoints(pattern, text) : units.test(text)) };
}

/**
 * The classic two-pointer glob match with backtracking to the last star: O(pattern x text) at
 * worst, no recursion. Used for the rare text with astral characters or lone surrogates.
 */
function matchCodePoints(pattern: string, text: string): boolean {
  const p = Array.from(pattern, (ch) => ch.codePointAt(0)!);
  const t = Array.from(text, (ch) => ch.codePointAt(0)!);
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < t.length) {
    if (i < p.length && p[i] !== STAR_CODE && (p[i] === QUESTION_CODE || p[i] === t[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === STAR_CODE) {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === STAR_CODE) i++;
  return i === p.length;
}

/** Literal text before the first wildcard. */
function literalPrefix(glob: string): string {
  let end = 0;
  while (end < glob.length && glob[end] !== '*' && glob[end] !== '?') end++;
  return glob.slice(0, end);
}

/** Literal text after the last wildcard. */
function literalSuffix(glob: string): string {
  let start = glob.length;
  while (start > 0 && glob[start - 1] !== '*' && glob[start - 1] !== '?') start--;
  return glob.slice(start);
}

function hasWildcard(glob: string): boolean {
  return glob.includes('*') || glob.includes('?');
}

/**
 * Does `outer` match every string that `inner` matches? Exact for single globs: `outer`'s `*`
 * may absorb anything in `inner` (wildcards included), `outer`'s `?` absorbs one literal character
 * or an inner `?`, and an `outer` literal must meet the same literal. So `a*` covers `ab*` and
 * `ab?`, while `ab*` does not cover `a*`.
 *
 * A dynamic program over (outer position, inner position), one row at a time from the end: no
 * recursion (a 2 MB ARN must not overflow the stack), O(|outer| x |inner|) time, O(|inner|) memory,
 * after literal prefix/suffix tests that settle most pairs at once.
 */
export function globCovers(outer: string, inner: string, options: { caseInsensitive?: boolean } = {}): boolean {
  return globCoversWithin(outer, inner, options) === true;
}

/**
 * globCovers that asks `spend` before building a containment table (|outer| x |inner| cells) and
 * answers undefined when refused: for analyses that compare many patterns under a work budget.
 */
export function globCoversWithin(
  outer: string,
  inner: string,
  options: { caseInsensitive?: boolean } = {},
  spend: (cells: number) => boolean = () => true,
): boolean | undefined {
  const o = options.caseInsensitive ? outer.toLowerCase() : outer;
  const i = options.caseInsensitive ? inner.toLowerCase() : inner;
  if (!hasWildcard(o)) return o === i;
  // Necessary conditions: outer's literal ends meet the same literal characters of inner.
  if (!i.startsWith(literalPrefix(o)) || !i.endsWith(literalSuffix(o))) return false;
  if (!hasWildcard(i)) return globMatcher(o).test(i);
  if (!spend(o.length * i.length)) return undefined;
  const n = i.length;
  // below[q] = covers(p + 1, q); row[q] = covers(p, q).
  let below = new Uint8Array(n + 1);
  let row = new Uint8Array(n + 1);
  below[n] = 1;
  for (let p = o.length - 1; p >= 0; p--) {
    const oc = o.charCodeAt(p);
    for (let q = n; q >= 0; q--) {
      let result: boolean;
      if (oc === STAR_CODE) result = below[q] === 1 || (q < n && row[q + 1] === 1);
      else if (q === n) result = false;
      else {
        const ic = i.charCodeAt(q);
        result =
          oc === QUESTION_CODE ? ic !== STAR_CODE && below[q + 1] === 1 : ic !== STAR_CODE && ic !== QUESTION_CODE && oc === ic && below[q + 1] === 1;
      }
      row[q] = result ? 1 : 0;
    }
    const swap = below;
    below = row;
    row = swap;
  }
  return below[0] === 1;
}
