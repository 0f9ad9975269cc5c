/**
 * The README's screenshots of the demo report come from `npm run screenshots`: the script runs
 * end to end here (demo scan, headless Chromium, every shot's element or drill-down address found,
 * no page error), writes PNGs 1400 px wide, and the README shows or links every one of them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS, takeScreenshots } from '../scripts/screenshots.js';

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('npm run screenshots', () => {
  it('renders every shot of the demo report at 1400 px', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aigis-shots-test-'));
    try {
      const files = await takeScreenshots(dir);
      expect(files.map((f) => path.basename(f))).toEqual(SHOTS.map((s) => s.file));
      for (const [i, file] of files.entries()) expect(pngSize(await readFile(file))).toEqual({ width: 1400, height: SHOTS[i]!.height });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('has every screenshot committed and referenced from the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const shot of SHOTS) {
      expect(existsSync(path.join('docs', 'screenshots', shot.file)), shot.file).toBe(true);
      expect(readme, shot.file).toContain(`(docs/screenshots/${shot.file})`);
    }
  });
});
