/**
 * Reading an inventory document: JSON parse with a location, schema validation with a JSON path.
 * Every failure is an InputError naming the file, so the CLI can print one line and exit 2.
 */
import { InputError, formatZodIssues } from '../engine/errors.js';
import { parseJsonText, readInputFile } from './input-text.js';
import { SCHEMA_VERSION, inventorySchema, type Inventory } from './schema.js';

/** `label` is how errors name the file (the path as the user sees it). */
export async function loadInventoryFile(file: string, label = file): Promise<Inventory> {
  return parseInventoryText(await readInputFile(file, label), label);
}

export function parseInventoryText(text: string, file: string): Inventory {
  return parseInventory(parseJsonText(text, file), file);
}

export function parseInventory(data: unknown, file: string): Inventory {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const version = (data as Record<string, unknown>).schemaVersion;
    if (version === undefined) throw new InputError(file, ['schemaVersion'], `missing schemaVersion (expected "${SCHEMA_VERSION}")`);
    if (version !== SCHEMA_VERSION) {
      throw new InputError(file, ['schemaVersion'], `unsupported schemaVersion ${JSON.stringify(version)} (this aigis reads "${SCHEMA_VERSION}")`);
    }
  }
  const parsed = inventorySchema.safeParse(data);
  if (!parsed.success) throw new InputError(file, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  return parsed.data;
}
