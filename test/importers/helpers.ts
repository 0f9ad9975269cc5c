import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/iac');

export function fixture(relative: string): { file: string; text: string } {
  const file = path.join(FIXTURES, relative);
  return { file, text: readFileSync(file, 'utf8') };
}

/** 1-based line of the first line of `text` that contains `needle` (after line `after`). */
export function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found in fixture`);
}

/**
 * The resource with this name; for an unnamed resource (whose synthesized name is unique to its
 * template: `<stack>-<LogicalId>-<SUFFIX>`), the one with this logical id (case-insensitive).
 */
export function byName<T extends { name?: string; source?: { logicalId?: string } }>(list: readonly T[] | undefined, name: string): T {
  const found = list?.find((item) => item.name === name) ?? list?.find((item) => item.source?.logicalId?.toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`no resource named ${name} (have: ${list?.map((i) => i.name).join(', ')})`);
  return found;
}
