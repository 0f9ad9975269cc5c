/**
 * src/engine/heap.ts: a large scan collects garbage once after dropping its inventory (so the
 * reports reuse its memory); a small one does not.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectIfLarge } from '../src/engine/heap.js';

describe('collectIfLarge', () => {
  it('collects when the heap is over the threshold, and leaves a smaller heap alone', async () => {
    expect(collectIfLarge(Number.MAX_SAFE_INTEGER)).toBe(false);
    let dropped: object | undefined = { payload: new Array(1000).fill('x') };
    const ref = new WeakRef(dropped);
    dropped = undefined;
    // A WeakRef's target lives to the end of the turn that made or read it.
    await nextTurn();
    expect(collectIfLarge(0)).toBe(true);
    expect(ref.deref()).toBeUndefined();
  });
});
