/**
 * Reading an inventory document: JSON parse with a location, schema validation with a JSON path.
 * Every failure is an InputError naming the file, so the CLI can print one line and exit 2.
 * Snapshot files are read as bytes and validated list element by list element
 * (snapshot-reader.ts), so that a 1M-resource snapshot loads; text already in memory (a live
 * scan) goes through parseInventoryText.
 */
import { InputError, formatZodIssues } from '../engine/errors.js';
import { parseJsonText } from './input-text.js';
import { inventorySchema, type Inventory } from './schema.js';
import { checkSchemaVersion, readSnapshotFile, type SnapshotReadOptions } from './snapshot-reader.js';

/** `label` is how errors name the file (the path as the user sees it). */
export async function loadInventoryFile(file: string, label = file, options?: SnapshotReadOptions): Promise<Inventory> {
  return readSnapshotFile(file, label, options);
}

export function parseInventoryText(text: string, file: string): Inventory {
  return parseInventory(parseJsonText(text, file), file);
}

export function parseInventory(data: unknown, file: string): Inventory {
  checkSchemaVersion(data, file);
  // zod compiles a validator per object schema on first use: worth it for a large inventory, most
  // of the validation time for a small one (a template's: 50 ms against 10).
  const parsed = inventorySchema.safeParse(data, { jitless: listedItems(data, JIT_FROM_ITEMS) < JIT_FROM_ITEMS });
  if (!parsed.success) throw new InputError(file, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  return parsed.data;
}

/** From this many list items in an inventory on, its validation uses zod's compiled validators. */
const JIT_FROM_ITEMS = 2_000;

/** Items in the inventory's lists (`s3.buckets`, `iam.roles`...), counted up to `limit`. */
function listedItems(data: unknown, limit: number): number {
  if (typeof data !== 'object' || data === null) return 0;
  let count = 0;
  for (const section of Object.values(data)) {
    if (Array.isArray(section)) count += section.length;
    else if (typeof section === 'object' && section !== null) for (const list of Object.values(section)) if (Array.isArray(list)) count += list.length;
    if (count >= limit) break;
  }
  return count;
}
