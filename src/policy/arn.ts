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
import { globCovers } from './glob.js';

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

const cache = new Map<string, RegExp>();

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

const REGEXP_SPECIAL = new Set('.+^${}()|[]\\/-');

/** One character, escaped for a RegExp source (a set lookup: this runs for every pattern character). */
function escape(ch: string): string {
  return REGEXP_SPECIAL.has(ch) ? `\\${ch}` : ch;
}

/** The regular expression of an IAM ARN pattern, per the segment rules above. */
export function arnPatternRegExp(pattern: string, caseInsensitive = false): RegExp {
  const key = (caseInsensitive ? 'i:' : 's:') + pattern;
  let re = cache.get(key);
  if (re) return re;
  let body = '';
  let segment = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    const inResource = segment >= 5;
    if (ch === ':' && !inResource) {
      segment++;
      body += ':';
    } else if (ch === '*') {
      // The last character of a non-resource segment may expand across colons (documented).
      const endsSegment = i === pattern.length - 1 || pattern[i + 1] === ':';
      body += inResource || endsSegment ? '.*' : '[^:]*';
    } else if (ch === '?') {
      body += inResource ? '.' : '[^:]';
    } else if (ch === LITERAL_STAR) {
      body += '\\*';
    } else if (ch === LITERAL_QUESTION) {
      body += '\\?';
    } else {
      body += escape(ch);
    }
  }
  re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
  if (cache.size > 50_000) cache.clear();
  cache.set(key, re);
  return re;
}

/**
 * For a pattern whose only wildcard is a final `*` (`arn:aws:s3:::bucket/*`), the text before it:
 * such a pattern matches exactly the ARNs that start with it (arnPatternRegExp makes a final `*`
 * into `.*` with dotAll, whichever segment it ends), so a prefix test can stand in for the regexp.
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
  return arnPatternRegExp(pattern, caseInsensitive).test(arn);
}

/**
 * Can some ARN match both patterns? Used when the question is about a pattern of resources
 * (`arn:aws:s3:::training-*`) rather than one ARN. Treats both as plain globs, which can only
 * over-approximate the segment rules (so it never misses an overlap).
 */
export function patternsIntersect(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && a[i] === '*') result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (j < b.length && b[j] === '*') result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = (a[i] === '?' || b[j] === '?' || a[i] === b[j]) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
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
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: boolean;
    const t = b[j];
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && a[i] === '*') result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (t && t.kind !== 'char') result = go(i, j + 1) || (i < a.length && (t.kind === 'any' || a[i] !== '/') && go(i + 1, j));
    else if (i === a.length || !t) result = false;
    else result = (a[i] === '?' || a[i] === t.ch) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}
