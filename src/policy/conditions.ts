/**
 * Condition evaluation in three-valued logic: true, false, or 'unknown' when the request context
 * does not say what a key's value is. 'unknown' propagates (Kleene logic), so a caller learns
 * "depends on context" instead of a guessed allow or deny.
 *
 * Semantics follow https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * and .../reference_policies_condition-single-vs-multi-valued-context-keys.html:
 * - a key absent from the request makes a positive operator false and a negated one
 *   (StringNotEquals, ArnNotLike, NotIpAddress, ...) true; `...IfExists` makes absence true;
 *   `Null` tests presence; ForAllValues is true on an absent/empty key, ForAnyValue false.
 * - operators in a block are ANDed, keys within an operator ANDed, values of a key ORed
 *   (for negated operators: the request value must match none of them).
 */
import { LITERAL_QUESTION, LITERAL_STAR, arnMatches, unescapeLiterals } from './arn.js';
import type { ConditionBlock } from './document.js';
import { compileWildcard, globTokens, type WildcardMatcher } from './glob.js';

export type Truth = boolean | 'unknown';

export function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return true;
}

export function or(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return false;
}

export function not(a: Truth): Truth {
  return a === 'unknown' ? 'unknown' : !a;
}

/**
 * The request's context keys. `get` returns the values, `null` when the key is known to be absent
 * from the request, and `undefined` when nothing is known about it (the result then depends on context).
 */
export interface ContextKeys {
  get(key: string): string[] | null | undefined;
}

/** A plain context: listed keys are known; other keys are unknown unless `closed` (then absent). */
export function contextOf(values: Record<string, string | string[] | null | undefined>, closed = false): ContextKeys {
  const map = new Map<string, string[] | null>();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    map.set(key.toLowerCase(), value === null ? null : Array.isArray(value) ? value : [value]);
  }
  return {
    get(key: string) {
      const hit = map.get(key.toLowerCase());
      if (hit !== undefined) return hit;
      return closed ? null : undefined;
    },
  };
}

type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

interface BaseOperator {
  family: Family;
  negated: boolean;
  /** Positive comparison of one request value with one (resolved) policy value. */
  compare(request: string, policy: string): boolean;
  /** Whether policy values of this operator may contain policy variables. */
  variables: boolean;
}

const like = new Map<string, WildcardMatcher>();
const STAND_INS = { star: LITERAL_STAR.charCodeAt(0), question: LITERAL_QUESTION.charCodeAt(0) };

/**
 * StringLike: `*` and `?` wildcards, case-sensitive, honouring literal stand-ins. A linear-time
 * matcher, never a RegExp: the pattern is policy text from a pull request.
 */
export function stringLike(pattern: string, text: string): boolean {
  if (pattern === '*') return true;
  let matcher = like.get(pattern);
  if (!matcher) {
    matcher = compileWildcard(globTokens(pattern, false, STAND_INS));
    if (like.size > 50_000) like.clear();
    like.set(pattern, matcher);
  }
  return matcher.test(text);
}

/** A decimal number as IAM writes it; written without nested optional runs, so it cannot backtrack. */
const NUMBER = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** Is the text a number the numeric condition operators accept? */
export function isNumericText(text: string): boolean {
  return NUMBER.test(text);
}

function toNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  return Number(text);
}

/** Dates are ISO 8601 or epoch seconds (both accepted by IAM). */
function toDate(text: string): number | undefined {
  const n = toNumber(text);
  if (n !== undefined) return n * 1000;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

function numeric(test: (a: number, b: number) => boolean) {
  return (request: string, policy: string) => {
    const a = toNumber(request);
    const b = toNumber(policy);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

function dated(test: (a: number, b: number) => boolean) {
  return (request: string, policy: string) => {
    const a = toDate(request);
    const b = toDate(policy);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

const equalsExact = (r: string, p: string) => r === unescapeLiterals(p);
const equalsIgnoreCase = (r: string, p: string) => r.toLowerCase() === unescapeLiterals(p).toLowerCase();
const arnLike = (r: string, p: string) => arnMatches(p, r);

const BASES: Record<string, BaseOperator> = {
  StringEquals: { family: 'string', negated: false, compare: equalsExact, variables: true },
  StringNotEquals: { family: 'string', negated: true, compare: equalsExact, variables: true },
  StringEqualsIgnoreCase: { family: 'string', negated: false, compare: equalsIgnoreCase, variables: true },
  StringNotEqualsIgnoreCase: { family: 'string', negated: true, compare: equalsIgnoreCase, variables: true },
  StringLike: { family: 'string', negated: false, compare: (r, p) => stringLike(p, r), variables: true },
  StringNotLike: { family: 'string', negated: true, compare: (r, p) => stringLike(p, r), variables: true },
  NumericEquals: { family: 'numeric', negated: false, compare: numeric((a, b) => a === b), variables: false },
  NumericNotEquals: { family: 'numeric', negated: true, compare: numeric((a, b) => a === b), variables: false },
  NumericLessThan: { family: 'numeric', negated: false, compare: numeric((a, b) => a < b), variables: false },
  NumericLessThanEquals: { family: 'numeric', negated: false, compare: numeric((a, b) => a <= b), variables: false },
  NumericGreaterThan: { family: 'numeric', negated: false, compare: numeric((a, b) => a > b), variables: false },
  NumericGreaterThanEquals: { family: 'numeric', negated: false, compare: numeric((a, b) => a >= b), variables: false },
  DateEquals: { family: 'date', negated: false, compare: dated((a, b) => a === b), variables: false },
  DateNotEquals: { family: 'date', negated: true, compare: dated((a, b) => a === b), variables: false },
  DateLessThan: { family: 'date', negated: false, compare: dated((a, b) => a < b), variables: false },
  DateLessThanEquals: { family: 'date', negated: false, compare: dated((a, b) => a <= b), variables: false },
  DateGreaterThan: { family: 'date', negated: false, compare: dated((a, b) => a > b), variables: false },
  DateGreaterThanEquals: { family: 'date', negated: false, compare: dated((a, b) => a >= b), variables: false },
  Bool: { family: 'bool', negated: false, compare: (r, p) => r.toLowerCase() === p.toLowerCase(), variables: false },
  BinaryEquals: { family: 'binary', negated: false, compare: (r, p) => r === p, variables: false },
  IpAddress: { family: 'ip', negated: false, compare: (r, p) => ipInRange(r, p), variables: false },
  NotIpAddress: { family: 'ip', negated: true, compare: (r, p) => ipInRange(r, p), variables: false },
  ArnEquals: { family: 'arn', negated: false, compare: arnLike, variables: true },
  ArnLike: { family: 'arn', negated: false, compare: arnLike, variables: true },
  ArnNotEquals: { family: 'arn', negated: true, compare: arnLike, variables: true },
  ArnNotLike: { family: 'arn', negated: true, compare: arnLike, variables: true },
  Null: { family: 'null', negated: false, compare: () => false, variables: false },
};

const BASE_BY_LOWER = new Map(Object.keys(BASES).map((name) => [name.toLowerCase(), name]));

export interface ParsedOperator {
  /** Canonical base name, e.g. `StringLike`. */
  base: string;
  qualifier?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
  family: Family;
  negated: boolean;
  /** The operator as written differs in case from the canonical spelling. */
  caseMismatch: boolean;
}

const parsedOperators = new Map<string, ParsedOperator | undefined>();

/** Parses `ForAnyValue:StringLikeIfExists` and friends; undefined for an operator IAM does not have. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  if (parsedOperators.has(operator)) return parsedOperators.get(operator);
  let rest = operator;
  let qualifier: ParsedOperator['qualifier'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === 'forallvalues') qualifier = 'ForAllValues';
    else if (q === 'foranyvalue') qualifier = 'ForAnyValue';
    else {
      parsedOperators.set(operator, undefined);
      return undefined;
    }
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const base = BASE_BY_LOWER.get(rest.toLowerCase());
  // Null has no IfExists form (documented).
  const result =
    base && !(base === 'Null' && ifExists)
      ? {
          base,
          ...(qualifier ? { qualifier } : {}),
          ifExists,
          family: BASES[base]!.family,
          negated: BASES[base]!.negated,
          caseMismatch: !operator.endsWith(rest) || rest !== base,
        }
      : undefined;
  parsedOperators.set(operator, result);
  return result;
}

/** One policy value after variable substitution: a pattern, or unknown, or "matches nothing". */
type Resolved = { value: string } | 'unknown' | 'nothing';

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Substitutes policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`) and the
 * escapes `${*}`, `${?}`, `${$}` (which stand for the literal characters). Variables exist only
 * in Version 2012-10-17 policies; elsewhere the text is literal. A variable whose key is absent
 * and has no default makes the value match nothing (IAM treats the comparison as failed).
 */
export function resolveVariables(value: string, context: ContextKeys, variablesEnabled: boolean): Resolved {
  if (!variablesEnabled || !value.includes('${')) return { value };
  let unknown = false;
  let nothing = false;
  const out = value.replace(VARIABLE, (_match, inner: string) => {
    const body = inner.trim();
    if (body === '*') return LITERAL_STAR;
    if (body === '?') return LITERAL_QUESTION;
    if (body === '$') return '$';
    const defaultMatch = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(body);
    const key = defaultMatch ? defaultMatch[1]!.trim() : body;
    const fallback = defaultMatch ? defaultMatch[2] : undefined;
    const values = context.get(key);
    if (values === undefined) {
      unknown = true;
      return '';
    }
    const first = values?.[0];
    if (first === undefined) {
      if (fallback !== undefined) return literal(fallback);
      nothing = true;
      return '';
    }
    return literal(first);
  });
  if (nothing) return 'nothing';
  if (unknown) return 'unknown';
  return { value: out };
}

/** Substituted text is literal: its `*` and `?` are not wildcards. */
function literal(text: string): string {
  return text.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION);
}

/** Evaluates one `operator: { key: values }` entry for one key. */
export function evaluateConditionKey(
  operator: string,
  key: string,
  policyValues: readonly string[],
  context: ContextKeys,
  variablesEnabled = true,
): Truth {
  const op = parseOperator(operator);
  if (!op) return 'unknown';
  const request = context.get(key);
  if (request === undefined) return 'unknown';
  const absent = request === null || request.length === 0;
  if (op.base === 'Null') {
    let result: Truth = false;
    for (const v of policyValues) {
      const want = v.toLowerCase();
      if (want === 'true') result = or(result, absent);
      else if (want === 'false') result = or(result, !absent);
    }
    return result;
  }
  if (absent) {
    if (op.ifExists || op.qualifier === 'ForAllValues') return true;
    if (op.qualifier === 'ForAnyValue') return false;
    return op.negated;
  }
  const base = BASES[op.base]!;
  const resolved = policyValues.map((v) => resolveVariables(v, context, variablesEnabled && base.variables));
  const matchesAny = (r: string): Truth => {
    let result: Truth = false;
    for (const v of resolved) {
      if (v === 'nothing') continue;
      if (v === 'unknown') result = or(result, 'unknown');
      else if (base.compare(r, v.value)) return true;
    }
    return result;
  };
  const one = (r: string): Truth => (op.negated ? not(matchesAny(r)) : matchesAny(r));
  const values = request as string[];
  if (op.qualifier === 'ForAllValues' || (!op.qualifier && op.negated)) {
    let result: Truth = true;
    for (const r of values) result = and(result, one(r));
    return result;
  }
  let result: Truth = false;
  for (const r of values) result = or(result, one(r));
  return result;
}

/** The whole Condition element: true when every operator/key entry holds. */
export function evaluateConditionBlock(block: ConditionBlock, context: ContextKeys, variablesEnabled = true): Truth {
  let result: Truth = true;
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, values] of Object.entries(keys)) {
      result = and(result, evaluateConditionKey(operator, key, values, context, variablesEnabled));
      if (result === false) return false;
    }
  }
  return result;
}

// ------------------------------------------------------------------ IP ranges

function parseIp(text: string): { v6: boolean; value: bigint } | undefined {
  const t = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const parts = t.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!t.includes(':') || !/^[0-9a-fA-F:.]+$/.test(t)) return undefined;
  let head = t;
  const lastColon = t.lastIndexOf(':');
  if (t.slice(lastColon + 1).includes('.')) {
    // Embedded IPv4 tail (::ffff:1.2.3.4): rewrite it as two hex groups.
    const v4 = parseIp(t.slice(lastColon + 1));
    if (!v4 || v4.v6) return undefined;
    head = `${t.slice(0, lastColon + 1)}${(v4.value >> 16n).toString(16)}:${(v4.value & 0xffffn).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  let groups: string[];
  if (halves.length === 2) {
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  } else {
    groups = left;
  }
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v6: true, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

/** Is `ip` inside `range` (CIDR, or a single address)? Mismatched families never match. */
export function ipInRange(ip: string, range: string): boolean {
  const slash = range.indexOf('/');
  const base = parseIp(slash >= 0 ? range.slice(0, slash) : range);
  const addr = parseIp(ip);
  if (!base || !addr || base.v6 !== addr.v6) return false;
  const bits = base.v6 ? 128 : 32;
  const prefix = slash >= 0 ? Number(range.slice(slash + 1)) : bits;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return false;
  const shift = BigInt(bits - prefix);
  return base.value >> shift === addr.value >> shift;
}

/** Valid CIDR or address, for validation findings. */
export function isIpRange(range: string): boolean {
  const slash = range.indexOf('/');
  const base = parseIp(slash >= 0 ? range.slice(0, slash) : range);
  if (!base) return false;
  if (slash < 0) return true;
  const prefix = Number(range.slice(slash + 1));
  return /^\d+$/.test(range.slice(slash + 1)) && prefix >= 0 && prefix <= (base.v6 ? 128 : 32);
}

/** Does the CIDR cover the whole address space (0.0.0.0/0, ::/0)? */
export function isUniversalRange(range: string): boolean {
  const slash = range.indexOf('/');
  return slash >= 0 && Number(range.slice(slash + 1)) === 0 && isIpRange(range);
}
