/** Small helpers the Terraform mappers share (tags, notes, plan-order lookups, loose lists). */
import type { Json } from './json.js';

export function tagsOf(values: Json): { tags?: Record<string, string> } {
  const tags = values.tags;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return {};
  const out = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
  return Object.keys(out).length ? { tags: out } : {};
}

export function setNotes(target: object, notes: string[] | undefined): void {
  const draft = target as { unresolved?: string[] };
  const merged = new Set([...(draft.unresolved ?? []), ...(notes ?? [])]);
  if (merged.size) draft.unresolved = [...merged].sort();
}

/** Keeps the first value for a key (the first resource in plan order wins, as a search would). */
export function remember<T>(map: Map<string, T>, key: string | undefined, value: T): void {
  if (key !== undefined && !map.has(key)) map.set(key, value);
}

export function toStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

export function firstObject(value: unknown): Json | undefined {
  if (Array.isArray(value)) return typeof value[0] === 'object' && value[0] !== null ? (value[0] as Json) : undefined;
  return typeof value === 'object' && value !== null ? (value as Json) : undefined;
}
