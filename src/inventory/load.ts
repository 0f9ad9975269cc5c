/**
 * Reading an inventory document: JSON parse with a location, schema validation with a JSON path.
 * Every failure is an InputError naming the file, so the CLI can print one line and exit 2.
 */
import { readFile } from 'node:fs/promises';
import { InputError, formatZodIssues } from '../engine/errors.js';
import { SCHEMA_VERSION, inventorySchema, type Inventory } from './schema.js';

export async function loadInventoryFile(file: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(file, [], `cannot read input (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseInventoryText(text, file);
}

export function parseInventoryText(text: string, file: string): Inventory {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, [], `is not valid JSON: ${(error as Error).message}`);
  }
  return parseInventory(data, file);
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
