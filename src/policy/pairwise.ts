/**
 * Helpers for the analyses that compare statements with each other ("does statement B cover
 * everything statement A names?"): redundant statements, and Deny statements that restrict an
 * Allow. Done naively these compare every pair, and a pull request can hold a policy of 10,000
 * statements (100 million pairs). Two things keep them near-linear:
 *
 * - PrefixIndex finds the few statements that can possibly cover a pattern: a glob `y` covers a
 *   pattern `x` only if y's literal start (up to its first wildcard) is a prefix of x's literal
 *   start, so statements are bucketed by that literal start and a pattern looks up its own prefixes.
 * - WorkBudget bounds what is left (inputs built to defeat the index): past the budget the
 *   analysis stops and says its answer is unknown instead of running for minutes.
 */
import { globCoversWithin } from './glob.js';

/** Bucket keys are literal starts cut to this length: enough to tell real ARNs and actions apart. */
const KEY_LENGTH = 64;

function literalStart(pattern: string): string {
  let end = 0;
  const limit = Math.min(pattern.length, KEY_LENGTH);
  while (end < limit) {
    const c = pattern.charCodeAt(end);
    if (c === 42 || c === 63) break; // * ?
    end++;
  }
  return pattern.slice(0, end);
}

/** Items (by position) that hold a pattern which might cover a given pattern. */
export class PrefixIndex {
  private readonly buckets = new Map<string, number[]>();
  /** The lengths of the bucket keys, ascending: a lookup slices only at these. */
  private readonly lengths: number[];

  /** `patternsOf(i)`: the patterns item i offers to cover others with. */
  constructor(size: number, patternsOf: (item: number) => readonly string[]) {
    const lengths = new Set<number>();
    for (let item = 0; item < size; item++) {
      for (const pattern of patternsOf(item)) {
        const key = literalStart(pattern);
        let bucket = this.buckets.get(key);
        if (!bucket) {
          this.buckets.set(key, (bucket = []));
          lengths.add(key.length);
        }
        if (bucket[bucket.length - 1] !== item) bucket.push(item);
      }
    }
    this.lengths = [...lengths].sort((a, b) => a - b);
  }

  /** The buckets whose items might cover `pattern` (an item may be in several). */
  lookup(pattern: string): number[][] {
    const start = literalStart(pattern);
    const out: number[][] = [];
    for (const k of this.lengths) {
      if (k > start.length) break;
      const bucket = this.buckets.get(k === start.length ? start : start.slice(0, k));
      if (bucket) out.push(bucket);
    }
    return out;
  }
}

/** Picks, among lookups that must all succeed, the smallest, and lists its items once each. */
export class CandidateFinder {
  private readonly stamp: Int32Array;
  private generation = 0;

  constructor(size: number) {
    this.stamp = new Int32Array(size);
  }

  /**
   * Items that might satisfy every lookup, ascending: the items of the most selective one (a
   * superset of the answer; callers check each candidate fully).
   */
  smallest(lookups: Iterable<number[][]>): number[] {
    let best: number[][] | undefined;
    let bestCount = Infinity;
    for (const buckets of lookups) {
      let count = 0;
      for (const b of buckets) count += b.length;
      if (count < bestCount) {
        best = buckets;
        bestCount = count;
        if (count === 0) return [];
      }
    }
    if (!best) return [];
    if (best.length === 1) return best[0]!;
    if (++this.generation === 0x7fffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    const out: number[] = [];
    for (const bucket of best) {
      for (const item of bucket) {
        if (this.stamp[item] === this.generation) continue;
        this.stamp[item] = this.generation;
        out.push(item);
      }
    }
    return out.sort((a, b) => a - b);
  }
}

/** A fixed allowance of work units; `spend` says whether the work may go ahead. */
export class WorkBudget {
  private left: number;

  constructor(readonly limit: number) {
    this.left = limit;
  }

  spend(units: number): boolean {
    if (this.left < units) {
      this.left = -1;
      return false;
    }
    this.left -= units;
    return true;
  }

  get exhausted(): boolean {
    return this.left < 0;
  }
}

/**
 * Characters compared by all statement-against-statement pattern checks of one policy. A real
 * policy of a few hundred statements uses well under a million; the budget only stops documents
 * built to defeat the index, after about a second of work.
 */
export const PAIRWISE_BUDGET = 40_000_000;

/**
 * patternCovers (arn.ts: `*` covers everything, else glob containment) with memory and a budget:
 * statements repeat the same patterns, and each check pays for what it reads, plus the cells of a
 * containment table when one is needed. Returns undefined when the budget is spent.
 */
export class CoverChecker {
  private readonly memo = new Map<string, boolean>();

  constructor(readonly budget: WorkBudget) {}

  covers(outer: string, inner: string): boolean | undefined {
    if (outer === '*') return true;
    const key = `${outer}\u0000${inner}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    // Every check pays for reading both patterns; a containment table pays for its cells.
    if (!this.budget.spend(outer.length + inner.length)) return undefined;
    const result = globCoversWithin(outer, inner, {}, (cells) => this.budget.spend(cells));
    if (result === undefined) return undefined;
    if (this.memo.size > 200_000) this.memo.clear();
    this.memo.set(key, result);
    return result;
  }

  /** Does some pattern of `outers` cover each pattern of `inners`? undefined when the budget ran out. */
  coversAll(outers: readonly string[], inners: readonly string[]): boolean | undefined {
    for (const inner of inners) {
      let found = false;
      for (const outer of outers) {
        const hit = this.covers(outer, inner);
        if (hit === undefined) return undefined;
        if (hit) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
}
