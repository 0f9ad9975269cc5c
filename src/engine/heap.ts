/**
 * One full garbage collection at the point a large scan drops its inventory.
 *
 * V8 frees old objects only in a full collection, which it starts when the heap has grown by a
 * margin over what the last one left. At 1M resources the last one before the reports ran while
 * the inventory (over a gigabyte) was still in use, so the reports were written into fresh memory
 * on top of an inventory nobody held any more (peak 3.73 GB; 3.47 GB with this). Collecting once,
 * right after the inventory is dropped, lets the reports reuse its memory. Small scans skip it:
 * below the threshold the collection would cost more than it saves.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Heap in use (live and dead objects) above which a scan collects once after its inventory. */
export const COLLECT_ABOVE_BYTES = 1024 ** 3;

let collect: (() => void) | undefined;

/** Collects garbage now when the heap holds more than `above` bytes; true when it did. */
export function collectIfLarge(above = COLLECT_ABOVE_BYTES): boolean {
  if (v8.getHeapStatistics().used_heap_size < above) return false;
  if (!collect) {
    // The `gc` function V8 gives a context created once the flag is set (Node exposes it only to
    // processes started with --expose-gc; aigis is started by npm's launcher, without flags).
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  return true;
}
