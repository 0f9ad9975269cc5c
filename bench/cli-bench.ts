/**
 * End-to-end benchmark: `aigis scan --input <file> --format json,sarif` on a synthetic 100k-resource
 * inventory file, as a user runs it: read, validate, evaluate, gate, render and write both reports.
 * The engine benchmark times evaluation alone; this one shows what the rest of the pipeline adds.
 * No target: the figures are printed for the record.
 *
 * The CLI runs in a child process of its own, so that its peak RSS is the scan's alone.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { main } from '../src/cli.js';
import type { Io } from '../src/commands/io.js';
import { buildSyntheticInventory, countResources } from './synthetic.js';

const SIZE = 100_000;

/** After the other benchmarks: its 700 MB of report writes would disturb their timings. */
export const runLast = true;

interface CliFigures {
  exitCode: number;
  wallMs: number;
  cpuMs: number;
  maxRss: number;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigis-cli-bench-'));
  try {
    const input = path.join(dir, 'inventory.json');
    const { bytes, resources } = await writeInventory(input);
    const output = path.join(dir, 'reports');
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), '--child', input, output], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const figures = JSON.parse(stdout.trim().split('\n').pop() ?? '') as CliFigures;
    const json = (await stat(path.join(output, 'aigis-report.json'))).size;
    const sarif = (await stat(path.join(output, 'aigis-report.sarif'))).size;
    console.log(`  aigis scan --input <${fmtInt(resources)} resources, ${fmtMb(bytes)}> --format json,sarif`);
    console.log(`    wall time ............... ${(figures.wallMs / 1000).toFixed(2)} s  (CPU ${(figures.cpuMs / 1000).toFixed(2)} s; exit code ${figures.exitCode})`);
    console.log(`    peak memory ............. ${fmtMb(figures.maxRss)} maxRSS`);
    console.log(`    reports ................. JSON ${fmtMb(json)}, SARIF ${fmtMb(sarif)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Built in a function of its own, so the object graph is garbage before the child starts. */
async function writeInventory(file: string): Promise<{ bytes: number; resources: number }> {
  const built = buildSyntheticInventory(SIZE);
  const text = JSON.stringify(built);
  await writeFile(file, text);
  return { bytes: Buffer.byteLength(text), resources: countResources(built) };
}

async function child(input: string, output: string): Promise<CliFigures> {
  const quiet: Io = { stdout: () => {}, stderr: () => {}, cwd: process.cwd(), env: process.env, isTTY: false };
  const cpu = process.cpuUsage();
  const start = performance.now();
  // --fail-on is not given: the exit code is 0 unless something went wrong.
  const exitCode = await main(['scan', '--input', input, '--format', 'json,sarif', '--output', output], quiet);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { exitCode, wallMs, cpuMs: (used.user + used.system) / 1000, maxRss: process.resourceUsage().maxRSS * 1024 };
}

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

function fmtMb(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}

const invokedAs = process.argv[1] ? pathToFileURL(path.resolve(process.argv[1])).href : '';
if (invokedAs === import.meta.url && process.argv[2] === '--child') {
  child(process.argv[3]!, process.argv[4]!).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
