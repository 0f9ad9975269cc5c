/**
 * Loading a snapshot (issue 12, part 6): `loadInventoryFile` on a synthetic 100k-resource
 * inventory, each run a fresh process (start-up included, as `aigis scan --input` pays it),
 * against
 * - the floor: a process that only reads the same file and `JSON.parse`s it (no checks, no
 *   schema): the ratio says what validation costs;
 * - the whole-text reader it replaced for files (`readInputFile` + `parseInventoryText`: one
 *   string, one JSON.parse, checkJsonStructure, one zod parse of the document), which cannot read
 *   past 512 MB (about 900k resources).
 * Target: the streaming reader no slower (CPU time, within 10% for noise: on a shared 2-core
 * machine wall time mostly measures the neighbours) and no larger (peak RSS) than the whole-text
 * reader. The three run alternately, RUNS times each; medians of wall and CPU time, the largest
 * peak RSS; the target compares the smallest CPU times (a neighbour only ever adds). `AIGIS_BENCH_LOAD_1M=1` adds a 1M-resource load (writes a 600 MB file).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeSyntheticInventory as writeInventory } from './synthetic-file.js';

const SIZE = 100_000;
const LARGE = 1_000_000;
const RUNS = 5;
const NOISE = 1.1;

const here = path.dirname(fileURLToPath(import.meta.url));
/** src/inventory/, from dist/bench/ (compiled) or bench/ (sources). */
const inventoryDir = path.resolve(here, '../src/inventory');
const moduleUrl = (name: string) => pathToFileURL(path.join(inventoryDir, `${name}${path.extname(fileURLToPath(import.meta.url))}`)).href;

interface Figures {
  exitCode: number;
  wallMs: number;
  /** User + system CPU time of the process. */
  cpuMs: number;
  maxRss: number;
  stderr: string;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigis-load-bench-'));
  try {
    const scripts = await writeScripts(dir);
    const input = path.join(dir, 'inventory-100k.json');
    const { bytes, resources } = await writeInventory(input, SIZE);
    const runs: Record<keyof typeof scripts, Figures[]> = { floor: [], streamed: [], whole: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const name of ['floor', 'streamed', 'whole'] as const) runs[name].push(await timed(scripts[name], [input]));
    }
    const failed = Object.entries(runs).find(([, list]) => list.some((r) => r.exitCode !== 0));
    if (failed) throw new Error(`${failed[0]} exited ${failed[1].find((r) => r.exitCode !== 0)!.exitCode}: ${failed[1].find((r) => r.exitCode !== 0)!.stderr.slice(-400)}`);
    const floor = median(runs.floor);
    const streamed = median(runs.streamed);
    const whole = median(runs.whole);
    console.log(`  load a snapshot of ${fmtInt(resources)} resources (${fmtMb(bytes)}), fresh process, median of ${RUNS}`);
    console.log(`    floor (read + JSON.parse) ${figures(floor)}`);
    console.log(`    whole-text reader ....... ${figures(whole)}  (${ratio(whole, floor)} the floor)`);
    console.log(`    loadInventoryFile ....... ${figures(streamed)}  (${ratio(streamed, floor)} the floor)`);
    const fastest = (list: Figures[]) => Math.min(...list.map((r) => r.cpuMs));
    const cpuRatio = fastest(runs.streamed) / fastest(runs.whole);
    check(
      `    streamed vs whole-text .. ${cpuRatio.toFixed(2)}x CPU (fastest runs), ${(streamed.maxRss / whole.maxRss).toFixed(2)}x memory (target: at most ${NOISE}x CPU, 1x memory)`,
      cpuRatio <= NOISE && streamed.maxRss <= whole.maxRss,
    );
    if (process.env.AIGIS_BENCH_LOAD_1M === '1') {
      const large = path.join(dir, 'inventory-1m.json');
      const written = await writeInventory(large, LARGE);
      const one = await timed(scripts.streamed, [large]);
      console.log(`    1M: ${fmtInt(written.resources)} resources (${fmtMb(written.bytes)}): exit ${one.exitCode}, ${figures(one)}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function figures(f: Figures): string {
  return `${fmtS(f.wallMs)} wall, ${fmtS(f.cpuMs)} CPU, ${fmtMb(f.maxRss)} maxRSS`;
}

function ratio(a: Figures, floor: Figures): string {
  return `${(a.cpuMs / floor.cpuMs).toFixed(2)}x CPU, ${(a.maxRss / floor.maxRss).toFixed(2)}x memory`;
}

function check(line: string, ok: boolean): void {
  console.log(`${line}  ${ok ? 'PASS' : 'FAIL'}`);
  if (!ok) process.exitCode = 1;
}

/** Three child scripts; each prints its peak RSS on exit. */
async function writeScripts(dir: string): Promise<{ floor: string; streamed: string; whole: string }> {
  const rss =
    "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`\\naigis-bench maxRSS ${u.maxRSS * 1024} cpu ${(u.userCPUTime + u.systemCPUTime) / 1000}\\n`); });";
  const scripts = {
    floor: [rss, "import { readFile } from 'node:fs/promises';", "const data = JSON.parse(await readFile(process.argv[2], 'utf8'));", "if (typeof data !== 'object') throw new Error('not an inventory');"],
    streamed: [rss, `const { loadInventoryFile } = await import(${JSON.stringify(moduleUrl('load'))});`, 'await loadInventoryFile(process.argv[2]);'],
    whole: [
      rss,
      `const { readInputFile } = await import(${JSON.stringify(moduleUrl('input-text'))});`,
      `const { parseInventoryText } = await import(${JSON.stringify(moduleUrl('load'))});`,
      'parseInventoryText(await readInputFile(process.argv[2]), process.argv[2]);',
    ],
  };
  const files = { floor: path.join(dir, 'floor.mjs'), streamed: path.join(dir, 'streamed.mjs'), whole: path.join(dir, 'whole.mjs') };
  for (const name of ['floor', 'streamed', 'whole'] as const) await writeFile(files[name], scripts[name].join('\n'));
  return files;
}

function timed(script: string, args: string[]): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-64 * 1024);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /aigis-bench maxRSS (\d+) cpu ([\d.]+)/.exec(stderr);
      resolve({ exitCode: code ?? -1, wallMs: performance.now() - start, cpuMs: match ? Number(match[2]) : Number.NaN, maxRss: match ? Number(match[1]) : Number.NaN, stderr });
    });
  });
}

function median(runs: Figures[]): Figures {
  const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  return { ...runs[0]!, wallMs: middle(runs.map((r) => r.wallMs)), cpuMs: middle(runs.map((r) => r.cpuMs)), maxRss: Math.max(...runs.map((r) => r.maxRss)) };
}

const fmtInt = (n: number) => n.toLocaleString('en-US');
const fmtMb = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;
const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
