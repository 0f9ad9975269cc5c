/**
 * ARNs and ARN patterns as IAM reads them.
 *
 * IAM matches Resource patterns (and ArnLike/ArnEquals condition values) segment by segment:
 * `arn:partition:service:region:account:resource`. Within the first five segments `*` and `?` do
 * not cross a colon, except that a `*` that is the LAST character of a segment may expand past
 * the colon boundary (so `arn:aws:iam::*` still matches `arn:aws:iam::123456789012:user/x`). The
 * sixth segment (the resource) may itself contain colons and its wildcards match anything.
 * Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
import { canonicalCase, compileWildcard, globCovers, globMatcher, type WildcardMatcher, type WildcardToken } from './glob.js';

const COLON = 58;
const SLASH = 47;

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon (may contain colons and slashes). */
  resource: string;
}

/** Splits an ARN (or ARN pattern) into its six segments; undefined when it has fewer than six. */
export function parseArn(arn: string): ParsedArn | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  let start = 4;
  for (let i = 0; i < 4; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  return { partition: parts[0]!, service: parts[1]!, region: parts[2]!, account: parts[3]!, resource: arn.slice(start) };
}

/**
 * The account segment (fifth field) of an ARN, as parseArn reads it, without splitting the ARN:
 * request evaluation asks this for every request.
 */
export function arnAccount(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  let start = 4;
  for (let field = 0; field < 3; field++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    start = colon + 1;
  }
  const end = arn.indexOf(':', start);
  return end < 0 ? undefined : arn.slice(start, end);
}

const cache = new Map<string, WildcardMatcher>();

/**
 * Stand-ins for a literal `*` / `?` inside a pattern, produced by the policy-variable escapes
 * `${*}` and `${?}` (and by substituted values): they match only themselves, never as wildcards.
 */
export const LITERAL_STAR = '\uE000';
export const LITERAL_QUESTION = '\uE001';

/** A pattern with its escape stand-ins turned back into ordinary characters (for exact comparison). */
export function unescapeLiterals(pattern: string): string {
  return pattern.includes(LITERAL_STAR) || pattern.includes(LITERAL_QUESTION)
    ? pattern.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?')
    : pattern;
}

const STAR_CODE = 42;
const QUESTION_CODE = 63;
const STAND_IN_STAR = LITERAL_STAR.charCodeAt(0);
const STAND_IN_QUESTION = LITERAL_QUESTION.charCodeAt(0);

/**
 * The matcher of an IAM ARN pattern, per the segment rules above: in the first five fields `*`
 * and `?` stay within the field unless the `*` ends it. A linear-time matcher (see glob.ts),
 * never a RegExp: the pattern is policy text from a pull request.
 */
export function arnPatternMatcher(pattern: string, caseInsensitive = false): WildcardMatcher {
  const key = (caseInsensitive ? 'i:' : 's:') + pattern;
  let matcher = cache.get(key);
  if (matcher) return matcher;
  const source = caseInsensitive ? canonicalCase(pattern) : pattern;
  const tokens: WildcardToken[] = [];
  let segment = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    const inResource = segment >= 5;
    if (c === COLON && !inResource) {
      segment++;
      tokens.push({ kind: 'char', code: c });
    } else if (c === STAR_CODE) {
      // The last character of a non-resource segment may expand across colons (documented).
      const endsSegment = i === source.length - 1 || source.charCodeAt(i + 1) === COLON;
      tokens.push({ kind: inResource || endsSegment ? 'star' : 'starNoColon' });
    } else if (c === QUESTION_CODE) {
      tokens.push({ kind: inResource ? 'one' : 'oneNoColon' });
    } else if (c === STAND_IN_STAR) {
      tokens.push({ kind: 'char', code: STAR_CODE });
    } else if (c === STAND_IN_QUESTION) {
      tokens.push({ kind: 'char', code: QUESTION_CODE });
    } else {
      tokens.push({ kind: 'char', code: c });
    }
  }
  matcher = compileWildcard(tokens, caseInsensitive);
  if (cache.size > 50_000) cache.clear();
  cache.set(key, matcher);
  return matcher;
}

/**
 * For a pattern whose only wildcard is a final `*` (`arn:aws:s3:::bucket/*`), the text before it:
 * such a pattern matches exactly the ARNs that start with it (a final `*` matches anything,
 * whichever segment it ends), so a prefix test can stand in for the general matcher.
 */
export function arnPatternPrefix(pattern: string): string | undefined {
  if (!pattern.endsWith('*')) return undefined;
  const prefix = pattern.slice(0, -1);
  return /[*?\uE000\uE001]/.test(prefix) ? undefined : prefix;
}

/** Does the Resource pattern (or ArnLike value) match this concrete ARN? `*` alone matches everything. */
export function arnMatches(pattern: string, arn: string, caseInsensitive = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    const literal = unescapeLiterals(pattern);
    return caseInsensitive ? literal.toLowerCase() === arn.toLowerCase() : literal === arn;
  }
  const prefix = caseInsensitive ? undefined : arnPatternPrefix(pattern);
  if (prefix !== undefined) return arn.startsWith(prefix);
  return arnPatternMatcher(pattern, caseInsensitive).test(arn);
}

/**
 * Can some ARN match both patterns? Used when the question is about a pattern of resources
 * (`arn:aws:s3:::training-*`) rather than one ARN. Treats both as plain globs, which can only
 * over-approximate the segment rules (so it never misses an overlap).
 */
export function patternsIntersect(a: string, b: string): boolean {
  // Quick exits: two literal texts, or literal ends that disagree before any wildcard.
  const aWild = a.includes('*') || a.includes('?');
  const bWild = b.includes('*') || b.includes('?');
  if (!aWild && !bWild) return a === b;
  // One literal side: a plain glob match (linear), no table needed.
  if (!bWild) return globMatcher(a).test(b);
  if (!aWild) return globMatcher(b).test(a);
  if (!endsAgree(a, b, 1) || !endsAgree(a, b, -1)) return false;
  // A dynamic program over (i, j) = "a[i..] and b[j..] can meet", one row of i at a time from
  // the end: no recursion (a 2 MB ARN must not overflow the stack), O(|b|) memory.
  const n = b.length;
  let below = new Uint8Array(n + 1);
  let row = new Uint8Array(n + 1);
  // Row i = |a|: only stars of b remain to be matched by nothing.
  below[n] = 1;
  for (let j = n - 1; j >= 0; j--) below[j] = b.charCodeAt(j) === STAR_CODE && below[j + 1] === 1 ? 1 : 0;
  for (let i = a.length - 1; i >= 0; i--) {
    const ac = a.charCodeAt(i);
    for (let j = n; j >= 0; j--) {
      let result: boolean;
      if (ac === STAR_CODE) result = below[j] === 1 || (j < n && row[j + 1] === 1);
      else if (j < n && b.charCodeAt(j) === STAR_CODE) result = row[j + 1] === 1 || below[j] === 1;
      else if (j === n) result = false;
      else {
        const bc = b.charCodeAt(j);
        result = (ac === QUESTION_CODE || bc === QUESTION_CODE || ac === bc) && below[j + 1] === 1;
      }
      row[j] = result ? 1 : 0;
    }
    const swap = below;
    below = row;
    row = swap;
  }
  return below[0] === 1;
}

/**
 * Do the literal characters at the start (`direction` 1) or end (-1) of two glob patterns agree
 * up to the first wildcard on either side? If not, no string matches both.
 */
function endsAgree(a: string, b: string, direction: 1 | -1): boolean {
  const limit = Math.min(a.length, b.length);
  for (let k = 0; k < limit; k++) {
    const ac = a.charCodeAt(direction === 1 ? k : a.length - 1 - k);
    const bc = b.charCodeAt(direction === 1 ? k : b.length - 1 - k);
    if (ac === STAR_CODE || bc === STAR_CODE) return true;
    if (ac !== bc && ac !== QUESTION_CODE && bc !== QUESTION_CODE) return false;
  }
  // One side ended: without a star left the lengths must be equal (the DP decides that).
  return true;
}

/** Does pattern `outer` match every ARN that `inner` matches (glob containment)? */
export function patternCovers(outer: string, inner: string): boolean {
  if (outer === '*') return true;
  return globCovers(outer, inner);
}

/** A 12-digit account id, or the account segment of an account-root / principal ARN. */
export function accountOf(principalOrArn: string): string | undefined {
  if (/^\d{12}$/.test(principalOrArn)) return principalOrArn;
  const parsed = parseArn(principalOrArn);
  return parsed && /^\d{12}$/.test(parsed.account) ? parsed.account : undefined;
}

/** Turns an IAM-data ARN template (`arn:${Partition}:s3:::${BucketName}`) into an ARN pattern. */
export function templateToPattern(template: string): string {
  return template.replace(/\$\{[^}]*\}/g, '*');
}

/** Template placeholders known never to contain a slash (the S3 bucket/object confusion hinges on it). */
const NO_SLASH_PLACEHOLDERS = new Set(['BucketName', 'Partition', 'Region', 'Account']);

type TemplateToken = { kind: 'char'; ch: string } | { kind: 'any' } | { kind: 'noSlash' };

function templateTokens(template: string): TemplateToken[] {
  const out: TemplateToken[] = [];
  for (let i = 0; i < template.length; ) {
    if (template.startsWith('${', i)) {
      const end = template.indexOf('}', i);
      if (end > 0) {
        out.push({ kind: NO_SLASH_PLACEHOLDERS.has(template.slice(i + 2, end)) ? 'noSlash' : 'any' });
        i = end + 1;
        continue;
      }
    }
    out.push({ kind: 'char', ch: template[i]! });
    i++;
  }
  return out;
}

/**
 * Can a resource pattern from a policy (`arn:aws:s3:::data/*`) name a resource of the type an
 * IAM-data ARN template describes (`arn:${Partition}:s3:::${BucketName}`)? Over-approximates except
 * that bucket names, regions and accounts never contain a slash, so object ARNs do not match the
 * bucket type (the commonest resource-type mistake).
 */
export function patternMatchesTemplate(pattern: string, template: string): boolean {
  if (pattern === '*') return true;
  const b = templateTokens(template);
  const a = pattern;
  const n = b.length;
  // Iterative form of "a[i..] can name what b[j..] describes", one row of i at a time from the
  // end: no recursion on long patterns, O(|b|) memory, O(|a| x |b|) time (templates are short).
  let below = new Uint8Array(n + 1);
  let row = new Uint8Array(n + 1);
  // Row i = |a|: only placeholders (which may be empty) remain.
  below[n] = 1;
  for (let j = n - 1; j >= 0; j--) below[j] = b[j]!.kind !== 'char' && below[j + 1] === 1 ? 1 : 0;
  for (let i = a.length - 1; i >= 0; i--) {
    const ac = a.charCodeAt(i);
    for (let j = n; j >= 0; j--) {
      const t = b[j];
      let result: boolean;
      if (ac === STAR_CODE) result = below[j] === 1 || (j < n && row[j + 1] === 1);
      else if (t && t.kind !== 'char') result = row[j + 1] === 1 || ((t.kind === 'any' || ac !== SLASH) && below[j] === 1);
      else if (!t) result = false;
      else result = (ac === QUESTION_CODE || a[i] === t.ch) && below[j + 1] === 1;
      row[j] = result ? 1 : 0;
    }
    const swap = below;
    below = row;
    row = swap;
  }
  return below[0] === 1;
}
