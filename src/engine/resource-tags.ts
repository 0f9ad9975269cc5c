/**
 * The tags of the resources that findings name, for config suppressions matched by tag
 * (`tags: { env: sandbox }`). Rules never see this: it is read from the inventory after evaluation,
 * for the failing and unknown findings only, and only when some suppression names tags.
 *
 * Every inventory resource has the same optional `tags` (src/inventory/schema.ts, resourceBase), so
 * the inventory's sections are walked generically (`section.list[].{arn, tags}`): a resource type
 * added later is covered without a change here. A resource without `tags` (not collected, not
 * taggable, the account itself) has no known tags and matches no tag condition.
 */
import type { Inventory } from '../inventory/schema.js';
import type { Finding } from './types.js';

export type ResourceTags = Readonly<Record<string, string>>;

/** Whether any config suppression is matched by tag (otherwise nothing is looked up). */
export function needsResourceTags(suppressions: readonly { tags?: unknown }[]): boolean {
  return suppressions.some((s) => s.tags !== undefined);
}

/** ARN -> tags, for the ARNs of `findings` that can be suppressed (fail and unknown). */
export function resourceTagsFor(inventory: Inventory, findings: readonly Finding[]): Map<string, ResourceTags> {
  const wanted = new Set<string>();
  for (const f of findings) if (f.verdict === 'fail' || f.verdict === 'unknown') wanted.add(f.resource.arn);
  const out = new Map<string, ResourceTags>();
  if (wanted.size === 0) return out;
  for (const section of Object.values(inventory as unknown as Record<string, unknown>)) {
    if (typeof section !== 'object' || section === null || Array.isArray(section)) continue;
    for (const list of Object.values(section as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      for (const item of list as unknown[]) {
        if (typeof item !== 'object' || item === null) continue;
        const { arn, tags } = item as { arn?: unknown; tags?: unknown };
        if (typeof arn !== 'string' || !wanted.has(arn) || out.has(arn)) continue;
        if (typeof tags === 'object' && tags !== null && !Array.isArray(tags)) out.set(arn, tags as ResourceTags);
      }
    }
  }
  return out;
}
