/**
 * Finds `resource "type" "name" {` blocks in the .tf files of a module directory, so findings on a
 * plan can point at the line a reviewer sees in the pull request. A careful line scan, not an HCL
 * parser: it tracks braces outside strings, comments and heredocs, which is enough to find a
 * block and its top-level attributes and nested blocks.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface TfBlockLocation {
  file: string;
  line: number;
  column: number;
  /** Top-level attributes and nested block names inside the block -> line/column of the first occurrence. */
  attributes: Map<string, { line: number; column: number }>;
}

export const RESOURCE_START = /^(\s*)resource\s+"([^"]+)"\s+"([^"]+)"\s*\{/;
/**
 * .tf files larger than this are not scanned (they only give line numbers; a configuration file
 * that big is not a real module, and reading it would cost time and memory for nothing).
 */
export const MAX_TF_FILE_BYTES = 8 * 1024 * 1024;
/** .tf files scanned per directory, in name order. */
export const MAX_TF_FILES_PER_DIRECTORY = 1000;
const ATTRIBUTE = /^(\s*)([A-Za-z_][A-Za-z0-9_-]*)\s*(=|\{)/;

export class TfLocator {
  private readonly byDirectory = new Map<string, Map<string, TfBlockLocation>>();

  /** `directory`: the module's directory; `displayBase`: how the user named the plan's directory. */
  find(directory: string, type: string, name: string): TfBlockLocation | undefined {
    return this.blocks(directory).get(`${type}.${name}`);
  }

  private blocks(directory: string): Map<string, TfBlockLocation> {
    const cached = this.byDirectory.get(directory);
    if (cached) return cached;
    const blocks = new Map<string, TfBlockLocation>();
    const entries = tfFileNames(directory) ?? [];
    for (const entry of entries) {
      const file = path.join(directory, entry);
      try {
        const info = statSync(file);
        if (!info.isFile() || info.size > MAX_TF_FILE_BYTES) continue;
        scanFile(file, readFileSync(file, 'utf8'), blocks);
      } catch {
        // An unreadable .tf file only costs us line numbers.
      }
    }
    this.byDirectory.set(directory, blocks);
    return blocks;
  }
}

export function scanFile(file: string, text: string, into: Map<string, TfBlockLocation>): void {
  const lines = text.split(/\r?\n/);
  let current: TfBlockLocation | undefined;
  let depth = 0;
  let heredoc: string | undefined;
  let inBlockComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (heredoc) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    if (depth === 0 && !inBlockComment) {
      const start = RESOURCE_START.exec(line);
      if (start) {
        current = { file, line: i + 1, column: start[1]!.length + 1, attributes: new Map() };
        const key = `${start[2]}.${start[3]}`;
        if (!into.has(key)) into.set(key, current);
      }
    } else if (depth === 1 && current && !inBlockComment) {
      const attribute = ATTRIBUTE.exec(line);
      if (attribute && !current.attributes.has(attribute[2]!)) {
        current.attributes.set(attribute[2]!, { line: i + 1, column: attribute[1]!.length + 1 });
      }
    }
    // Count braces outside strings and comments.
    let inString = false;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c]!;
      const next = line[c + 1];
      if (inBlockComment) {
        if (ch === '*' && next === '/') {
          inBlockComment = false;
          c++;
        }
        continue;
      }
      if (inString) {
        if (ch === '\\') c++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '#' || (ch === '/' && next === '/')) break;
      else if (ch === '/' && next === '*') {
        inBlockComment = true;
        c++;
      } else if (ch === '<' && next === '<') {
        const match = /^<<-?([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(c));
        if (match) {
          heredoc = match[1];
          break;
        }
      } else if (ch === '{') depth++;
      else if (ch === '}') {
        depth = Math.max(0, depth - 1);
        if (depth === 0) current = undefined;
      }
    }
  }
}

/** The `.tf` file names of a directory, sorted, at most MAX_TF_FILES_PER_DIRECTORY; undefined when it cannot be read. */
export function tfFileNames(directory: string): string[] | undefined {
  try {
    return readdirSync(directory)
      .filter((f) => f.endsWith('.tf'))
      .sort()
      .slice(0, MAX_TF_FILES_PER_DIRECTORY);
  } catch {
    return undefined;
  }
}
