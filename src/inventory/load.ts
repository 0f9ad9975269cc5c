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
  const parsed = inventorySchema.safeParse(data);
  if (!parsed.success) throw new InputError(file, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  return parsed.data;
}
