/** Small helpers the Terraform mappers share (tags, notes, plan-order lookups, loose lists, S3 URIs). */
import { UNKNOWN, type Read } from '../iac/props.js';
import type { AttrPath, MapContext } from './context.js';
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

/**
 * An S3 URI attribute (`s3_uri`, `model_data_url`). Unlike id and ARN attributes, a URI that is
 * unknown until apply is never taken from a referenced resource: `"s3://${aws_s3_bucket.b.id}/k"`
 * refers to the bucket but is not its id. Unknown is noted (and UNKNOWN); absent is undefined.
 * The path may run through blocks the plan does not list yet: an unknown block is seen above it.
 */
export function s3UriAt(ctx: MapContext, path: AttrPath, note: string): Read<string> {
  if (!ctx.isUnknown(path)) return ctx.readStr(path, note);
  // Unknown but never configured: a provider-computed value, as the readers treat it.
  if (ctx.resource.config && !ctx.configured(String(path[0]))) return undefined;
  ctx.unresolved.add(note);
  return UNKNOWN;
}
