/**
 * Small helpers shared by the CloudFormation mappers: notes on unresolved property paths, the
 * absent/unknown/known convention for nullable settings, and resource tags.
 */
import { UNKNOWN, type PropertyReader, type Read } from '../iac/props.js';
import type { Json } from './context.js';

export function setNotes(target: object, notes: string[] | undefined): void {
  const draft = target as { unresolved?: string[] };
  const merged = new Set([...(draft.unresolved ?? []), ...(notes ?? [])]);
  if (merged.size) draft.unresolved = [...merged].sort();
}

export function addNote(draft: object, note: string): void {
  setNotes(draft, [note]);
}

/** Absent -> null (the setting is not configured), unknown -> undefined, known -> value. */
export function nullable<T>(value: Read<T>): T | null | undefined {
  if (value === UNKNOWN) return undefined;
  return value === undefined ? null : value;
}

export function tagsOf(read: PropertyReader): { tags?: Record<string, string> } {
  const list = read.value('Tags');
  if (list === undefined || list === UNKNOWN) return {};
  const tags: Record<string, string> = {};
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (entry && typeof entry === 'object' && 'Key' in entry) tags[String((entry as Json).Key)] = String((entry as Json).Value ?? '');
    }
  } else if (typeof list === 'object') {
    for (const [k, v] of Object.entries(list as Json)) tags[k] = String(v);
  }
  return Object.keys(tags).length ? { tags } : {};
}
