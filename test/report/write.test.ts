/**
 * Report files written from chunks: the bytes are those of the chunks joined and encoded as one
 * text, however the text is cut (surrogate pairs split across chunks, chunks larger than a write,
 * empty chunks), and whatever the sizes around the writer's one-megabyte writes.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFilesAtomically } from '../../src/report/write.js';

const dir = mkdtempSync(path.join(tmpdir(), 'aigis-write-'));
let n = 0;

async function written(chunks: string[]): Promise<Buffer> {
  const file = path.join(dir, `report-${n++}.txt`);
  await writeFilesAtomically([{ path: file, content: chunks }]);
  return readFileSync(file);
}

/** `text` cut at the given positions (any UTF-16 position, inside surrogate pairs too). */
function cut(text: string, positions: number[]): string[] {
  const at = [...new Set(positions.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

describe('writeFilesAtomically with chunked content', () => {
  it('writes the bytes of the joined text, wherever the chunks are cut', async () => {
    // Astral characters (surrogate pairs), lone surrogates, multi-byte and ASCII text.
    const unit = fc.constantFrom('a', 'é', '€', '😀', '\ud800', '\udc00', '"', '\n', 'x'.repeat(40));
    await fc.assert(
      fc.asyncProperty(fc.array(unit, { maxLength: 200 }), fc.array(fc.nat(), { maxLength: 30 }), async (units, positions) => {
        const text = units.join('');
        const chunks = cut(text, positions);
        expect((await written(chunks)).equals(Buffer.from(chunks.join(''), 'utf8'))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('writes texts larger than one write, chunks larger than the buffer and pairs split at its edge', async () => {
    const big = 'y'.repeat((1 << 20) + 17);
    const cases: string[][] = [
      [big],
      ['€'.repeat(400_000), '😀'.repeat(300_000)],
      ['a'.repeat((1 << 20) - 1) + '\ud83d', '\ude00', 'tail'],
      [...Array.from({ length: 3000 }, (_, i) => `${'z'.repeat(i % 997)}\ud83d`), '\ude00'],
      ['', 'only', '', '\ud83d'],
      [],
    ];
    for (const chunks of cases) expect((await written(chunks)).equals(Buffer.from(chunks.join(''), 'utf8'))).toBe(true);
  });
});
