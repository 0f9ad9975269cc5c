/**
 * End-to-end benchmark: `aigis scan --input <file>` with the default formats (json, sarif, html) on
 * a synthetic 100k-resource inventory, whole process, as a user runs it: start-up, read, validate,
 * evaluate, gate, render and write the three reports.
 *
 * Targets (issue "Fast at any size"):
 * - at most 2x the floor measured in the same run, the floor being a process that does only the
 *   unavoidable part: `JSON.parse` of the same input plus writing the same number of report bytes;
 * - under 5 s wall and 1 GB peak RSS on the 2-core reference machine;
 * - byte-identical reports across runs;
 * - 1M resources complete (exit 0) under 4 GB peak RSS (`AIGIS_BENCH_1M=0` skips it: it writes a
 *   600 MB inventory and takes a minute or two).
 *
 * Scan and floor run alternately (median of RUNS each), so a noisy neighbour slows both.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticInventory as writeInventory } from './synthetic-file.js';
import { AIGIS_BIN, check, fmtMb, fmtS, runNode, type ProcessRun } from './whole-process.js';

const SIZE = 100_000;
const LARGE = 1_000_000;
const RUNS = 3;
const TARGET_RATIO = 2;
const TARGET_WALL_MS = 5000;
const TARGET_RSS = 1024 ** 3;
const TARGET_RSS_1M = 4 * 1024 ** 3;

/** After the other benchmarks: its report writes would disturb their timings. */
export const runLast = true;

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigis-cli-bench-'));
  try {
    await hundredThousand(dir);
    if (process.env.AIGIS_BENCH_1M === '0') console.log('\n  1M resources: skipped (AIGIS_BENCH_1M=0)');
    else await oneMillion(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function hundredThousand(dir: string): Promise<void> {
  const input = path.join(dir, 'inventory-100k.json');
  const { bytes, resources } = await writeInventory(input, SIZE);
  const floorScript = await writeFloor(dir);
  const scans: ProcessRun[] = [];
  const floors: ProcessRun[] = [];
  const digests: string[] = [];
  let reportBytes = 0;
  let sizes = '';
  let bound: SerializationBound | undefined;
  for (let i = 0; i < RUNS; i++) {
    const output = path.join(dir, `reports-${i}`);
    const scan = await runNode([AIGIS_BIN, 'scan', '--input', input, '--output', output], { dir });
    scans.push(scan);
    if (scan.exitCode !== 0) {
      console.log(`  aigis scan exited ${scan.exitCode}: ${errorLines(scan.stderr)}`);
      break;
    }
    const files = (await readdir(output)).sort();
    const fileSizes = await Promise.all(files.map(async (f) => (await stat(path.join(output, f))).size));
    reportBytes = fileSizes.reduce((a, b) => a + b, 0);
    sizes = files.map((f, k) => `${path.extname(f).slice(1).toUpperCase()} ${fmtMb(fileSizes[k]!)}`).join(', ');
    digests.push((await Promise.all(files.map((f) => digest(path.join(output, f))))).join(' '));
    floors.push(await runNode([floorScript, input, path.join(dir, `floor-${i}.bin`), String(reportBytes)], { dir }));
    if (i === 0) bound = await serializationBound(dir, input, output, files);
    await rm(output, { recursive: true, force: true });
    await rm(path.join(dir, `floor-${i}.bin`), { force: true });
  }
  const scan = medianRun(scans);
  console.log(`  aigis scan --input <${fmtInt(resources)} resources, ${fmtMb(bytes)}> (default formats: json, sarif, html), whole process, median of ${scans.length}`);
  if (scan.exitCode !== 0 || floors.length === 0) {
    console.log(`    FAIL: the scan did not complete (exit ${scan.exitCode})`);
    process.exitCode = 1;
    return;
  }
  const floor = medianRun(floors);
  const ratio = scan.wallMs / floor.wallMs;
  console.log(`    reports ................. ${sizes} (${fmtMb(reportBytes)} in all)`);
  console.log(`    floor (parse + write) ... ${fmtS(floor.wallMs)} (CPU ${fmtS(floor.cpuMs)}), ${fmtMb(floor.maxRss)} maxRSS`);
  if (bound) {
    const boundMs = bound.parseMs + bound.stringifyMs;
    console.log(
      `    serialization alone ..... ${fmtS(boundMs)} = ${(boundMs / floor.wallMs).toFixed(2)}x the floor: JSON.parse of the input ${fmtS(bound.parseMs)} + JSON.stringify of ` +
        `the reports' own content ${fmtS(bound.stringifyMs)} (${fmtMb(bound.bytes)}), timed in one process, no validation, no rules (for scale, not a target)`,
    );
  }
  check(`    wall time ............... ${fmtS(scan.wallMs)} (CPU ${fmtS(scan.cpuMs)}) = ${ratio.toFixed(2)}x the floor (target <= ${TARGET_RATIO}x)`, ratio <= TARGET_RATIO);
  check(`    wall time ............... ${fmtS(scan.wallMs)} (target < ${fmtS(TARGET_WALL_MS)})`, scan.wallMs < TARGET_WALL_MS);
  check(`    peak memory ............. ${fmtMb(scan.maxRss)} maxRSS (target < ${fmtMb(TARGET_RSS)})`, scan.maxRss < TARGET_RSS);
  check(`    byte-identical reports .. ${digests.length} runs`, digests.length > 1 && digests.every((d) => d === digests[0]));
}

async function oneMillion(dir: string): Promise<void> {
  const input = path.join(dir, 'inventory-1m.json');
  const { bytes, resources } = await writeInventory(input, LARGE);
  const output = path.join(dir, 'reports-1m');
  const scan = await runNode([AIGIS_BIN, 'scan', '--input', input, '--output', output], { dir });
  console.log(`\n  aigis scan --input <${fmtInt(resources)} resources, ${fmtMb(bytes)}> (default formats), whole process`);
  if (scan.exitCode !== 0) console.log(`    exit ${scan.exitCode}: ${errorLines(scan.stderr)}`);
  check(`    completes ............... exit ${scan.exitCode} in ${fmtS(scan.wallMs)}, ${fmtMb(scan.maxRss)} maxRSS (target: exit 0 under ${fmtMb(TARGET_RSS_1M)})`, scan.exitCode === 0 && scan.maxRss < TARGET_RSS_1M);
  await rm(output, { recursive: true, force: true });
  await rm(input, { force: true });
}

/** The error lines aigis printed (the wrapper's own line left out). */
function errorLines(stderr: string): string {
  return stderr.split('\n').filter((l) => l.startsWith('aigis: ')).slice(-3).join(' | ');
}


/**
 * The floor: a process that parses the input and writes N bytes, in 1 MB writes, as the report
 * writer does. Nothing aigis does after reading can be cheaper.
 */
async function writeFloor(dir: string): Promise<string> {
  const floor = path.join(dir, 'floor.mjs');
  await writeFile(
    floor,
    [
      "import { open, readFile } from 'node:fs/promises';",
      'const [input, output, bytes] = process.argv.slice(2);',
      "const data = JSON.parse(await readFile(input, 'utf8'));",
      "if (typeof data !== 'object') throw new Error('not an inventory');",
      "const handle = await open(output, 'w');",
      "const block = 'x'.repeat(1 << 20);",
      'for (let left = Number(bytes); left > 0; left -= block.length) await handle.write(Buffer.from(left >= block.length ? block : block.slice(0, left), "utf8"));',
      'await handle.close();',
    ].join('\n'),
  );
  return floor;
}

interface SerializationBound {
  parseMs: number;
  stringifyMs: number;
  bytes: number;
}

/**
 * What parsing the input and serializing the reports costs with nothing in between: a process
 * parses the input (timed), reads the scan's JSON and SARIF reports and the HTML report's data
 * block back into objects (not timed), then JSON.stringify's them (timed). A writer that turns
 * objects into those bytes with JSON.stringify, as aigis's do, pays about that, so it shows how much
 * of the floor's multiple is left for validation and the rules. It is printed for scale and judged
 * against nothing.
 */
async function serializationBound(dir: string, input: string, output: string, files: string[]): Promise<SerializationBound | undefined> {
  const script = path.join(dir, 'serialization-bound.mjs');
  await writeFile(
    script,
    [
      "import { readFileSync } from 'node:fs';",
      'const [input, ...reports] = process.argv.slice(2);',
      'let start = performance.now();',
      "const inventory = JSON.parse(readFileSync(input, 'utf8'));",
      "if (typeof inventory !== 'object') throw new Error('not an inventory');",
      'const parseMs = performance.now() - start;',
      'const objects = reports.map((file) => {',
      "  const text = readFileSync(file, 'utf8');",
      "  if (!file.endsWith('.html')) return JSON.parse(text);",
      '  const open = text.indexOf(\'<script type="application/json"\');',
      "  const from = text.indexOf('>', open) + 1;",
      "  return JSON.parse(text.slice(from, text.indexOf('</script>', from)));",
      '});',
      'start = performance.now();',
      'let bytes = 0;',
      'for (const object of objects) bytes += JSON.stringify(object).length;',
      'const stringifyMs = performance.now() - start;',
      'console.log(JSON.stringify({ parseMs, stringifyMs, bytes }));',
    ].join('\n'),
  );
  const reports = files.filter((f) => /\.(json|sarif|html)$/.test(f)).map((f) => path.join(output, f));
  const run = await runNode(['--max-old-space-size=8192', script, input, ...reports], { dir });
  if (run.exitCode !== 0) return undefined;
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as SerializationBound;
}

function medianRun(runs: ProcessRun[]): ProcessRun {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  // Peak memory: the largest seen, not the median's.
  return { ...mid, maxRss: Math.max(...runs.map((r) => r.maxRss)) };
}

async function digest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}
