/** Shared by the CSV and JUnit report tests: an RFC 4180 reader and an inventory of hostile strings. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * RFC 4180: records split by LF or CRLF, fields by commas; a field in double quotes may hold
 * commas, quotes (doubled) and line breaks. Throws on malformed quoting, so a writer bug cannot
 * hide behind a lenient reader.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted field');
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
        throw new Error(`text after a closing quote at ${i}`);
      }
    } else {
      while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
        if (text[i] === '\r') throw new Error(`bare CR in an unquoted field at ${i}`);
        field += text[i];
        i++;
      }
    }
    row.push(field);
    if (i >= n) {
      rows.push(row);
      return rows;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    i += text[i] === '\r' ? 2 : 1;
    rows.push(row);
    row = [];
    if (i >= n) return rows;
  }
}

/** Names a spreadsheet would run as formulas, or that break XML if written raw. */
export const HOSTILE_NAMES = [
  '=HYPERLINK("http://evil.example","click")',
  '+cmd|calc!A0',
  '-2+3',
  '@SUM(A1:A9)',
  '\tTAB=1+1',
  '\rCR=1+1',
  ']]></failure><x a="&amp;\'>',
  'nul\u0000bell\u0007esc\u001b[2J\ufffe lone\udbff end',
];

/**
 * The hostile-input corpus' snapshot of escape sequences (test/hostile/cases/snapshot/escapes.json)
 * plus one bucket per HOSTILE_NAMES entry (as its name, ARN and tag), written into `dir`.
 */
export function writeHostileInventory(dir: string): string {
  const source = fileURLToPath(new URL('../hostile/cases/snapshot/escapes.json', import.meta.url));
  const inventory = JSON.parse(readFileSync(source, 'utf8')) as { s3: { buckets: Record<string, unknown>[] } };
  const template = inventory.s3.buckets[0]!;
  for (const name of HOSTILE_NAMES) {
    inventory.s3.buckets.push({ ...structuredClone(template), name, arn: `arn:aws:s3:::${name}`, tags: { k: name } });
    // Also as the whole ARN, so that a formula starts the ARN cell.
    inventory.s3.buckets.push({ ...structuredClone(template), name: `${name}-2`, arn: name, tags: { k: name } });
  }
  const file = path.join(dir, 'hostile.json');
  writeFileSync(file, JSON.stringify(inventory, null, 1));
  return file;
}

export const DEMO_INVENTORY = fileURLToPath(new URL('../../fixtures/demo/inventory.json', import.meta.url));
