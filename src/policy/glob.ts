/**
 * IAM-style globs: `*` matches any run of characters (including none), `?` exactly one.
 * Used for actions (case-insensitive) and for ARNs and model ids (case-sensitive).
 */

const cache = new Map<string, RegExp>();
const REGEXP_SPECIAL = new Set('.+^${}()|[]\\/-');

function toRegExp(glob: string, caseInsensitive: boolean): RegExp {
  const key = (caseInsensitive ? 'i:' : 's:') + glob;
  let re = cache.get(key);
  if (!re) {
    let body = '';
    for (const ch of glob) {
      if (ch === '*') body += '.*';
      else if (ch === '?') body += '.';
      else body += REGEXP_SPECIAL.has(ch) ? `\\${ch}` : ch;
    }
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    if (cache.size > 50_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export function globMatches(glob: string, text: string, options: { caseInsensitive?: boolean } = {}): boolean {
  if (glob === '*') return true;
  if (!glob.includes('*') && !glob.includes('?')) {
    return options.caseInsensitive ? glob.toLowerCase() === text.toLowerCase() : glob === text;
  }
  return toRegExp(glob, options.caseInsensitive ?? false).test(text);
}

/**
 * Does `outer` match every string that `inner` matches? Exact for single globs: `outer`'s `*`
 * may absorb anything in `inner` (wildcards included), `outer`'s `?` absorbs one literal character
 * or an inner `?`, and an `outer` literal must meet the same literal. So `a*` covers `ab*` and
 * `ab?`, while `ab*` does not cover `a*`.
 */
export function globCovers(outer: string, inner: string, options: { caseInsensitive?: boolean } = {}): boolean {
  const o = options.caseInsensitive ? outer.toLowerCase() : outer;
  const i = options.caseInsensitive ? inner.toLowerCase() : inner;
  const memo = new Map<number, boolean>();
  const go = (p: number, q: number): boolean => {
    const key = p * (i.length + 1) + q;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: boolean;
    if (p === o.length) result = q === i.length;
    else if (o[p] === '*') result = go(p + 1, q) || (q < i.length && go(p, q + 1));
    else if (q === i.length) result = false;
    else if (o[p] === '?') result = i[q] !== '*' && go(p + 1, q + 1);
    else result = i[q] !== '*' && i[q] !== '?' && o[p] === i[q] && go(p + 1, q + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}
