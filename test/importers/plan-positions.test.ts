/**
 * Positions of plan entries in the JSON text (src/importers/terraform/plan-positions.ts): only the
 * paths asked for, keys decoded as JSON.parse decodes them, and one linear pass however hostile
 * the text.
 */
import { describe, expect, it } from 'vitest';
import { jsonMemberPositions } from '../../src/importers/terraform/plan-positions.js';

describe('jsonMemberPositions', () => {
  it('finds members by their full path, and nothing that only looks like them', () => {
    const text = [
      '\ufeff{',
      '  "note": "{\\"resource_changes\\": [{\\"address\\": 1}]}",',
      '  "planned_values": {"root_module": {"resources": [{"address": "a"}]}},',
      '  "resource_changes": [',
      '    {"change": {"address": "nested, not the entry"}, "x": [1, {"address": 2}]},',
      '    {',
      '      "addr\\u0065ss": "b"',
      '    }',
      '  ]',
      '}',
    ].join('\r\n');
    JSON.parse(text.slice(1));
    const positions = jsonMemberPositions(text, [
      ['resource_changes', 1, 'address'],
      ['resource_changes', 0, 'address'],
      ['planned_values', 'root_module', 'resources', 0, 'address'],
      ['resource_changes', 2, 'address'],
      [],
    ]);
    expect([...positions.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [0, { line: 7, column: 7 }],
      [2, { line: 3, column: 53 }],
    ]);
  });

  it('stays linear on hostile text: long escape runs, deep arrays, 50,000 entries', () => {
    const entries = 50_000;
    const noise = `"${'\\\\\\"'.repeat(200_000)}"`;
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const changes = Array.from({ length: entries }, (_, i) => `{"address":"aws_s3_bucket.b${i}","x":${i % 100 ? '1' : deep}}`);
    const text = `{"noise":${noise},"resource_changes":[${changes.join(',')}],"tail":${noise}}`;
    JSON.parse(text);
    const paths = Array.from({ length: entries }, (_, i) => ['resource_changes', i, 'address']);
    const started = performance.now();
    const positions = jsonMemberPositions(text, paths);
    // About 8.6 million characters: well under a second on an idle machine.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(positions.size).toBe(entries);
    const last = positions.get(entries - 1)!;
    const expected = `"address":"aws_s3_bucket.b${entries - 1}"`;
    expect(text.slice(last.column - 1, last.column - 1 + expected.length)).toBe(expected);
  });
});
