/**
 * Chunked JSON must be byte-for-byte the single-string form: reports written in chunks (large
 * accounts) and as one string (tests, small runs) may never differ.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinChunks, prettyJsonChunks } from '../../src/report/json-chunks.js';

describe('prettyJsonChunks', () => {
  it('equals JSON.stringify(value, null, 2) with any array on the path streamed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 6 }),
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue(), { maxKeys: 4 }),
        fc.constantFrom('top', 'nested', 'in-array'),
        (items, siblings, where) => {
          const root =
            where === 'top'
              ? { ...siblings, findings: items }
              : where === 'nested'
                ? { before: siblings, runs: { inner: { results: items, after: siblings } } }
                : { runs: [{ results: items, ...siblings }, siblings] };
          const path = where === 'top' ? ['findings'] : where === 'nested' ? ['runs', 'inner', 'results'] : ['runs', 0, 'results'];
          expect(joinChunks(prettyJsonChunks(root, path))).toBe(JSON.stringify(root, null, 2));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('writes undefined elements as null and strings with newlines escaped, as JSON.stringify does', () => {
    const root = { a: 1, list: [{ text: 'two\nlines' }, undefined, [], {}, 'x'] };
    expect(joinChunks(prettyJsonChunks(root, ['list']))).toBe(JSON.stringify(root, null, 2));
  });

  it('falls back to one string when the path holds no array', () => {
    const root = { a: { b: 3 } };
    expect(joinChunks(prettyJsonChunks(root, ['a', 'b']))).toBe(JSON.stringify(root, null, 2));
    expect(joinChunks(prettyJsonChunks(root, ['missing']))).toBe(JSON.stringify(root, null, 2));
  });

  it('writes a large array in several chunks, still byte-identical (batch edges included)', () => {
    for (const length of [511, 512, 513, 1024, 1500]) {
      const root = { head: { x: [1, 2] }, findings: Array.from({ length }, (_, i) => ({ i, nested: { list: [i, `s${i}`] }, none: i % 7 ? undefined : null })), tail: 'end' };
      const chunks = [...prettyJsonChunks(root, ['findings'])];
      expect(chunks.join('')).toBe(JSON.stringify(root, null, 2));
      expect(chunks.length).toBeGreaterThan(Math.floor(length / 512) + 2);
    }
    // Streamed from the top level (no indentation around the array) as well.
    const list = Array.from({ length: 700 }, (_, i) => ({ i }));
    expect(joinChunks(prettyJsonChunks(list, []))).toBe(JSON.stringify(list, null, 2));
  });
});
