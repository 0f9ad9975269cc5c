/**
 * The wildcard matchers that replaced the regular expressions built from policy text: on small
 * random patterns they answer exactly what the old RegExps answered (kept here as oracles, with
 * their case, dotAll and Unicode flags), and on the patterns that made those RegExps backtrack
 * for minutes they answer at once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointGlob, globCovers, globMatches, globMatcher } from '../../src/policy/glob.js';
import { compileActionPatterns, loadActionCatalog } from '../../src/policy/actions.js';
import { LITERAL_QUESTION, LITERAL_STAR, arnMatches, arnPatternMatcher, patternMatchesTemplate, patternsIntersect } from '../../src/policy/arn.js';
import { stringLike } from '../../src/policy/conditions.js';
import { globToRegExp } from '../../src/engine/suppressions.js';

// ---------------------------------------------------------------- oracles: the code as it was

const SPECIAL = new Set('.+^${}()|[]\\/-');

function oldGlobRegExp(glob: string, caseInsensitive: boolean): RegExp {
  let body = '';
  for (const ch of glob) {
    if (ch === '*') body += '.*';
    else if (ch === '?') body += '.';
    else body += SPECIAL.has(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

function oldActionRegExp(p: string): RegExp {
  let body = '';
  for (const ch of p) body += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp(`^${body}$`, 'is');
}

function oldStringLike(pattern: string): RegExp {
  let body = '';
  for (const ch of pattern) {
    if (ch === '*') body += '.*';
    else if (ch === '?') body += '.';
    else if (ch === LITERAL_STAR) body += '\\*';
    else if (ch === LITERAL_QUESTION) body += '\\?';
    else body += ch.replace(/[.+^${}()|[\]\\/*?-]/g, '\\$&');
  }
  return new RegExp(`^${body}$`, 's');
}

function oldArnRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let body = '';
  let segment = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    const inResource = segment >= 5;
    if (ch === ':' && !inResource) {
      segment++;
      body += ':';
    } else if (ch === '*') {
      const endsSegment = i === pattern.length - 1 || pattern[i + 1] === ':';
      body += inResource || endsSegment ? '.*' : '[^:]*';
    } else if (ch === '?') body += inResource ? '.' : '[^:]';
    else if (ch === LITERAL_STAR) body += '\\*';
    else if (ch === LITERAL_QUESTION) body += '\\?';
    else body += SPECIAL.has(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

function oldSuppressionRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

function memoized(go: (self: (i: number, j: number) => boolean, i: number, j: number) => boolean, width: number) {
  const memo = new Map<number, boolean>();
  const self = (i: number, j: number): boolean => {
    const key = i * (width + 1) + j;
    let hit = memo.get(key);
    if (hit === undefined) memo.set(key, (hit = go(self, i, j)));
    return hit;
  };
  return self;
}

function oldGlobCovers(outer: string, inner: string, caseInsensitive: boolean): boolean {
  const o = caseInsensitive ? outer.toLowerCase() : outer;
  const i = caseInsensitive ? inner.toLowerCase() : inner;
  return memoized((go, p, q) => {
    if (p === o.length) return q === i.length;
    if (o[p] === '*') return go(p + 1, q) || (q < i.length && go(p, q + 1));
    if (q === i.length) return false;
    if (o[p] === '?') return i[q] !== '*' && go(p + 1, q + 1);
    return i[q] !== '*' && i[q] !== '?' && o[p] === i[q] && go(p + 1, q + 1);
  }, i.length)(0, 0);
}

function oldPatternsIntersect(a: string, b: string): boolean {
  return memoized((go, i, j) => {
    if (i === a.length && j === b.length) return true;
    if (i < a.length && a[i] === '*') return go(i + 1, j) || (j < b.length && go(i, j + 1));
    if (j < b.length && b[j] === '*') return go(i, j + 1) || (i < a.length && go(i + 1, j));
    if (i === a.length || j === b.length) return false;
    return (a[i] === '?' || b[j] === '?' || a[i] === b[j]) && go(i + 1, j + 1);
  }, b.length)(0, 0);
}

type TemplateToken = { kind: 'char'; ch: string } | { kind: 'any' } | { kind: 'noSlash' };

function oldPatternMatchesTemplate(a: string, template: string): boolean {
  if (a === '*') return true;
  const b: TemplateToken[] = [];
  for (let i = 0; i < template.length; ) {
    if (template.startsWith('${', i)) {
      const end = template.indexOf('}', i);
      if (end > 0) {
        b.push({ kind: ['BucketName', 'Partition', 'Region', 'Account'].includes(template.slice(i + 2, end)) ? 'noSlash' : 'any' });
        i = end + 1;
        continue;
      }
    }
    b.push({ kind: 'char', ch: template[i]! });
    i++;
  }
  return memoized((go, i, j) => {
    const t = b[j];
    if (i === a.length && j === b.length) return true;
    if (i < a.length && a[i] === '*') return go(i + 1, j) || (j < b.length && go(i, j + 1));
    if (t && t.kind !== 'char') return go(i, j + 1) || (i < a.length && (t.kind === 'any' || a[i] !== '/') && go(i + 1, j));
    if (i === a.length || !t) return false;
    return (a[i] === '?' || a[i] === t.ch) && go(i + 1, j + 1);
  }, b.length)(0, 0);
}

// ---------------------------------------------------------------- generators

// Characters where the flags matter: case pairs (ASCII and not), the Unicode case traps of
// non-Unicode `/i` (long s, dotless i, Kelvin sign, sharp s, dotted I), line terminators for dotAll,
// colons and slashes for ARN fields, the literal stand-ins, a surrogate pair and a lone surrogate.
const ALPHABET = ['a', 'b', 'A', 'B', 's', 'S', 'i', 'I', 'k', 'K', '\u017f', '\u0131', '\u0130', '\u212a', '\u00df', '\u00e9', '\u00c9', ':', '/', '-', '.', '\n', '\u2028', LITERAL_STAR, LITERAL_QUESTION, '\u{1F600}', '\uD800', '$', '{', '}'];
const WILD = ['*', '?'];
const textArb = fc.array(fc.constantFrom(...ALPHABET, ...WILD), { maxLength: 8 }).map((a) => a.join(''));
const patternArb = fc.array(fc.constantFrom(...ALPHABET, ...WILD, '*', '*'), { maxLength: 8 }).map((a) => a.join(''));
const arnish = fc
  .tuple(fc.boolean(), fc.array(fc.array(fc.constantFrom('a', 'B', 's3', '*', '?', '/', '1', '\n', LITERAL_STAR), { maxLength: 3 }).map((p) => p.join('')), { maxLength: 7 }))
  .map(([prefixed, fields]) => `${prefixed ? 'arn:' : ''}${fields.join(':')}`);
/** A text the pattern may well match: the pattern with its wildcards filled in. */
const instanceOf = (pattern: string, fill: string[]) => {
  let k = 0;
  return pattern.replace(/[*?]/g, (w) => (w === '?' ? (fill[k++ % Math.max(fill.length, 1)] ?? 'a').slice(0, 1) || 'a' : fill.slice(0, k++ % 3).join('')));
};
const pair = fc.tuple(patternArb, textArb, fc.array(fc.constantFrom(...ALPHABET), { maxLength: 4 })).map(([p, t, fill]) => [p, fill.length % 2 ? instanceOf(p, fill) : t] as const);

const RUNS = { numRuns: 4000 };

describe('linear-time wildcard matchers agree with the regular expressions they replaced', () => {
  it('IAM globs, case-sensitive and case-insensitive', () => {
    fc.assert(
      fc.property(pair, ([pattern, text]) => {
        for (const ci of [false, true]) {
          const expected = pattern === '*' || (!pattern.includes('*') && !pattern.includes('?') ? (ci ? pattern.toLowerCase() === text.toLowerCase() : pattern === text) : oldGlobRegExp(pattern, ci).test(text));
          expect(globMatches(pattern, text, { caseInsensitive: ci }), `${JSON.stringify(pattern)} ${JSON.stringify(text)} ci=${ci}`).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it('action pattern lists (case-insensitive, ids lowercased first)', () => {
    fc.assert(
      fc.property(fc.array(patternArb, { minLength: 1, maxLength: 3 }), textArb, (patterns, id) => {
        const lower = id.toLowerCase();
        const expected = patterns.some((p) => p === '*' || (p.includes('*') || p.includes('?') ? oldActionRegExp(p).test(lower) : p.toLowerCase() === lower));
        expect(compileActionPatterns([...patterns])(id), `${JSON.stringify(patterns)} ${JSON.stringify(id)}`).toBe(expected);
      }),
      RUNS,
    );
  });

  it('StringLike with literal stand-ins', () => {
    fc.assert(
      fc.property(pair, ([pattern, text]) => {
        expect(stringLike(pattern, text), `${JSON.stringify(pattern)} ${JSON.stringify(text)}`).toBe(pattern === '*' || oldStringLike(pattern).test(text));
      }),
      RUNS,
    );
  });

  it('ARN patterns with field-bound wildcards, both cases', () => {
    fc.assert(
      fc.property(arnish, arnish, (pattern, arn) => {
        for (const ci of [false, true]) {
          expect(arnPatternMatcher(pattern, ci).test(arn), `${JSON.stringify(pattern)} ${JSON.stringify(arn)} ci=${ci}`).toBe(oldArnRegExp(pattern, ci).test(arn));
        }
        const literal = !pattern.includes('*') && !pattern.includes('?');
        if (!literal && pattern !== '*') expect(arnMatches(pattern, arn)).toBe(oldArnRegExp(pattern, false).test(arn));
      }),
      { numRuns: 6000 },
    );
  });

  it('suppression globs over code points', () => {
    fc.assert(
      fc.property(pair, ([pattern, text]) => {
        const re = globToRegExp(pattern);
        const expected = oldSuppressionRegExp(pattern).test(text);
        expect(re.test(text), `${JSON.stringify(pattern)} ${JSON.stringify(text)}`).toBe(expected);
        expect(re.exec(text) !== null).toBe(expected);
        expect(codePointGlob(pattern).test(text)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('glob containment, pattern intersection and template matching', () => {
    const small = fc.array(fc.constantFrom('a', 'b', 'A', '/', ':', '*', '?', '$'), { maxLength: 7 }).map((a) => a.join(''));
    const template = fc.array(fc.constantFrom('a', '/', ':', '${BucketName}', '${ObjectName}', '*'), { maxLength: 5 }).map((a) => a.join(''));
    fc.assert(
      fc.property(small, small, template, (a, b, t) => {
        for (const ci of [false, true]) expect(globCovers(a, b, { caseInsensitive: ci }), `covers ${a} ${b} ${ci}`).toBe(oldGlobCovers(a, b, ci));
        expect(patternsIntersect(a, b), `intersect ${a} ${b}`).toBe(oldPatternsIntersect(a, b));
        expect(patternMatchesTemplate(a, t), `template ${a} ${t}`).toBe(oldPatternMatchesTemplate(a, t));
      }),
      { numRuns: 6000 },
    );
  });
});

describe('patterns that made the regular expressions backtrack', () => {
  const stars = `s3:${'*'.repeat(30)}x`;
  const longGlob = `${'*a'.repeat(5000)}*b`;
  const longText = 'a'.repeat(10_000);

  /** A catastrophic-case bound, not a benchmark: the regular expressions needed minutes here. */
  const quickly = <T>(run: () => T): T => {
    const started = performance.now();
    const result = run();
    expect(performance.now() - started).toBeLessThan(2000);
    return result;
  };

  it('answer at once (each of these took minutes or overflowed the stack)', async () => {
    const catalog = await loadActionCatalog();
    // Catalog expansion tests the pattern against every S3 action.
    expect(quickly(() => catalog.expand(stars).map((a) => a.id))).toEqual(catalog.actionsOf('s3').filter((a) => a.id.toLowerCase().endsWith('x')).map((a) => a.id));
    expect(quickly(() => compileActionPatterns([stars, '*:*a*a*a*a*a*a*a*a*a*a*a*a*b'])('s3:GetObjectAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'))).toBe(false);
    expect(quickly(() => globMatches(longGlob, longText))).toBe(false);
    expect(quickly(() => globMatches(longGlob, `${longText}b`))).toBe(true);
    expect(quickly(() => globMatcher(longGlob, true).test(`${longText}B`))).toBe(true);
    expect(quickly(() => stringLike(longGlob, longText))).toBe(false);
    expect(quickly(() => arnMatches(`arn:aws:s3:::${longGlob}`, `arn:aws:s3:::${longText}`))).toBe(false);
    // Field-bound stars take the position-set path.
    expect(quickly(() => arnMatches(`arn:aws:s3:${'*a'.repeat(1000)}*b:1:x`, `arn:aws:s3:${'a'.repeat(2000)}:1:x`))).toBe(false);
    expect(quickly(() => globToRegExp(longGlob).test(longText))).toBe(false);
    expect(quickly(() => globToRegExp(`${'*'.repeat(40)}x`).test('y'.repeat(10_000)))).toBe(false);
  });

  it('containment, intersection and template matching: no recursion, bounded work', () => {
    // Patterns as long as a policy may hold (2,048 characters): quadratic dynamic programs.
    const long = `arn:aws:s3:::${'a'.repeat(2000)}*`;
    expect(quickly(() => globCovers(long, `${long}x`))).toBe(true);
    expect(quickly(() => patternsIntersect(long, `arn:aws:s3:::*${'a'.repeat(2000)}`))).toBe(true);
    // Far deeper than the stack: the recursive forms overflowed on a 2 MB ARN.
    const huge = `arn:aws:s3:::${'a'.repeat(200_000)}*`;
    expect(quickly(() => patternMatchesTemplate(huge, 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'))).toBe(true);
    expect(quickly(() => globCovers(huge, `${huge.slice(0, -1)}x`))).toBe(true);
    expect(quickly(() => patternsIntersect(huge, `${huge.slice(0, -1)}b`))).toBe(true);
    expect(quickly(() => patternsIntersect(huge, `arn:aws:s3:::b*${'a'.repeat(200_000)}`))).toBe(false);
  });
});
