/**
 * The CloudWatch Logs filter pattern reader: what it understands, what it refuses (unknown, never a
 * match), and that hostile patterns stay bounded (no RegExp from the pattern, no deep recursion).
 */
import { describe, expect, it } from 'vitest';
import { globMatch, matchesEvent, parseFilterPattern, type EventValue } from '../src/engine/filter-pattern.js';

const event = (fields: Record<string, EventValue>) => ({ fields: new Map(Object.entries(fields)) });
const put = event({ '$.eventSource': 'iam.amazonaws.com', '$.eventName': 'PutRolePolicy', '$.errorCode': null, '$.requestParameters.roleName': 'ml-role' });
const match = (pattern: string) => matchesEvent(parseFilterPattern(pattern), put);

describe('filter patterns', () => {
  it('reads JSON conditions with &&, ||, parentheses, quotes, wildcards, NOT EXISTS and IN', () => {
    expect(match('{ $.eventName = PutRolePolicy }')).toBe(true);
    expect(match('{($.eventName=DeleteRolePolicy)||($.eventName=PutRolePolicy)}')).toBe(true);
    expect(match('{ $.eventSource = "iam.amazonaws.com" && $.eventName = "Put*Policy" }')).toBe(true);
    expect(match('{ $.eventName = Attach* }')).toBe(false);
    expect(match('{ $.eventName != PutRolePolicy }')).toBe(false);
    expect(match('{ $.errorCode NOT EXISTS && $.eventName IN ["AttachRolePolicy", "PutRolePolicy"] }')).toBe(true);
    expect(match('{ $.eventName NOT IN [PutRolePolicy] }')).toBe(false);
    expect(match('{ $.requestParameters.roleName = "other-*" }')).toBe(false);
  });

  it('answers undefined for a field the event model does not know', () => {
    expect(match('{ $.userIdentity.type = "Root" }')).toBeUndefined();
    // ... unless the rest of the pattern decides alone.
    expect(match('{ $.userIdentity.type = "Root" || $.eventName = PutRolePolicy }')).toBe(true);
    expect(match('{ $.userIdentity.type = "Root" && $.eventName = Detach* }')).toBe(false);
  });

  it('reads term patterns: all terms, ?any terms, excluded terms', () => {
    expect(match('')).toBe(true);
    expect(match('PutRolePolicy')).toBe(true);
    expect(match('?AttachRolePolicy ?PutRolePolicy')).toBe(true);
    expect(match('?AttachRolePolicy ?DetachRolePolicy')).toBe(false);
    expect(match('"iam.amazonaws.com" -DeleteRolePolicy')).toBe(true);
    expect(match('somethingelse')).toBeUndefined();
    // Part of a word: whether CloudWatch counts it as the term is not assumed.
    expect(match('RolePolicy')).toBeUndefined();
    expect(match('amazonaws')).toBe(true);
  });

  it('refuses what it cannot evaluate: regular expressions, space-delimited and malformed patterns', () => {
    for (const pattern of ['{ $.eventName = %Put.*% }', '[ip, user, ...]', '{ $.eventName = ', '{ $.a = b', '{ ($.a = b }', '{ $.a ~ b }', '{ $.a IS MAYBE }', 'a %b%']) {
      expect(parseFilterPattern(pattern).kind, pattern).toBe('unsupported');
      expect(match(pattern), pattern).toBeUndefined();
    }
  });

  it('stays bounded on hostile patterns', () => {
    const deep = `{ ${'('.repeat(5000)}$.a = b${')'.repeat(5000)} }`;
    expect(parseFilterPattern(deep).kind).toBe('unsupported');
    expect(parseFilterPattern('x'.repeat(100_000)).kind).toBe('unsupported');
    const wide = `{ ${Array.from({ length: 100 }, (_, i) => `$.eventName = "a*b*c*${i}*"`).join(' || ')} }`;
    const started = Date.now();
    expect(match(wide)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(globMatch('*a*a*a*a*a*a*a*b', 'a'.repeat(3000))).toBe(false);
  });
});
