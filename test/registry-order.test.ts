/**
 * loadRules sorts ids made of lower-case letters, digits and hyphens by code unit instead of
 * localeCompare (src/engine/registry.ts, PLAIN_ID): the two orders must be the same for them.
 */
import { describe, expect, it } from 'vitest';
import { loadRules, PLAIN_ID } from '../src/engine/registry.js';

describe('rule order', () => {
  it('is localeCompare order', async () => {
    const ids = (await loadRules()).map((r) => r.meta.id);
    expect(ids.every((id) => PLAIN_ID.test(id))).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
  });

  it('code-unit order equals localeCompare order on ids of [a-z0-9-]', () => {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789-';
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
    const id = () => Array.from({ length: 1 + (next() % 8) }, () => chars[next() % chars.length]).join('');
    for (let i = 0; i < 50_000; i++) {
      const a = id();
      const b = id();
      expect(Math.sign(a.localeCompare(b)), `${a} ${b}`).toBe(a < b ? -1 : a > b ? 1 : 0);
    }
  });
});
