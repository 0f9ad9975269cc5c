/**
 * Reading resolved resource properties with the three states the inventory cares about:
 * absent (use the service default), unknown (contains an `Unresolved` marker: leave the inventory
 * field absent and note the path) and known.
 */
import { Unresolved } from './cfn-intrinsics.js';

export const UNKNOWN: unique symbol = Symbol('unknown');
export type Read<T> = T | typeof UNKNOWN | undefined;

/** `a.b[0].c` -> ['a', 'b', 0, 'c'] */
export function parsePropertyPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      out.push(part);
      continue;
    }
    if (match[1]) out.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

export function formatPropertyPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** Property paths of every `Unresolved` leaf inside `value`. */
export function unresolvedPaths(value: unknown, base: (string | number)[]): string[] {
  if (value instanceof Unresolved) return [formatPropertyPath(base)];
  if (Array.isArray(value)) return value.flatMap((v, i) => unresolvedPaths(v, [...base, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => unresolvedPaths(v, [...base, k]));
  }
  return [];
}

/** Replaces `Unresolved` leaves by a visible marker (for documents the schema requires, e.g. trust policies). */
export function markUnresolved(value: unknown): unknown {
  if (value instanceof Unresolved) return `<unresolved: ${value.reason}>`;
  if (Array.isArray(value)) return value.map(markUnresolved);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markUnresolved(v)]));
  }
  return value;
}

export class PropertyReader {
  constructor(
    readonly props: Record<string, unknown>,
    /** Collects the property paths that could not be resolved. */
    readonly unresolved: Set<string>,
  ) {}

  /** The raw value; UNKNOWN (and the paths noted) when any part of it is unresolved. */
  value(path: string): Read<unknown> {
    const parts = parsePropertyPath(path);
    let current: unknown = this.props;
    for (let i = 0; i < parts.length; i++) {
      if (current instanceof Unresolved) {
        this.unresolved.add(formatPropertyPath(parts.slice(0, i)));
        return UNKNOWN;
      }
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string | number, unknown>)[parts[i]!];
    }
    if (current === undefined || current === null) return undefined;
    const paths = unresolvedPaths(current, parts);
    if (paths.length) {
      for (const p of paths) this.unresolved.add(p);
      return UNKNOWN;
    }
    return current;
  }

  str(path: string, fallback?: string): Read<string> {
    const v = this.value(path);
    if (v === undefined) return fallback;
    if (v === UNKNOWN) return UNKNOWN;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  bool(path: string, fallback?: boolean): Read<boolean> {
    const v = this.value(path);
    if (v === undefined) return fallback;
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    return fallback;
  }

  num(path: string): Read<number> {
    const v = this.value(path);
    if (v === undefined || v === UNKNOWN) return v;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }

  strList(path: string): Read<string[]> {
    const v = this.value(path);
    if (v === undefined || v === UNKNOWN) return v;
    const list = Array.isArray(v) ? v : [v];
    return list.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x)));
  }

  list(path: string): Read<unknown[]> {
    const v = this.value(path);
    if (v === undefined || v === UNKNOWN) return v;
    return Array.isArray(v) ? v : [v];
  }

  /**
   * A value that may be partly unresolved (policy documents): the unresolved leaves are noted
   * and replaced by markers, so the known statements are still there for rules to read.
   */
  partial(path: string): unknown {
    const parts = parsePropertyPath(path);
    let current: unknown = this.props;
    for (const part of parts) {
      if (current instanceof Unresolved || current === null || typeof current !== 'object') break;
      current = (current as Record<string | number, unknown>)[part];
    }
    if (current === undefined || current === null) return undefined;
    for (const p of unresolvedPaths(current, parts)) this.unresolved.add(p);
    return current instanceof Unresolved ? UNKNOWN : markUnresolved(current);
  }
}

/** undefined for both absent and unknown: the inventory's "not known" is absence. */
export function known<T>(value: Read<T>): T | undefined {
  return value === UNKNOWN ? undefined : value;
}
