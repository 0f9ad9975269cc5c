/**
 * Whole-process measurements for the benchmarks that compare commands (startup-bench, iac-bench):
 * one `node` process per run, wall time taken around it by this process, CPU time and peak RSS as
 * the operating system accounts them (GNU `/usr/bin/time`), or, where that is missing, as the
 * process reports them itself on exit (a module loaded with `--import`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, from dist/bench/ (compiled) or bench/ (sources run by a loader). */
export const ROOT = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const AIGIS_BIN = path.join(ROOT, 'bin', 'aigis.js');

export interface ProcessRun {
  exitCode: number;
  wallMs: number;
  /** User + system CPU time, ms (NaN when not measured). */
  cpuMs: number;
  /** Peak resident set size, bytes (NaN when not measured). */
  maxRss: number;
  stdout: string;
  stderr: string;
}

const MARK = 'aigis-bench-figures';
const TIME = '/usr/bin/time';

/** GNU time (it takes -f); BusyBox and BSD time print other formats. */
const gnuTime = existsSync(TIME) && spawnSync(TIME, ['-f', `${MARK} %U`, 'true'], { encoding: 'utf8' }).stderr?.includes(MARK);

let hookFile: string | undefined;

/** How CPU time and peak memory are measured, for the figures' legend. */
export function accounting(): string {
  return gnuTime ? 'CPU and peak RSS from /usr/bin/time' : 'CPU and peak RSS as each process reports them on exit';
}

/** Runs `node ...args` once and measures it. `dir` holds the exit hook when /usr/bin/time is missing. */
export async function runNode(args: readonly string[], options: { dir: string; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ProcessRun> {
  let command: string;
  let argv: string[];
  if (gnuTime) {
    command = TIME;
    argv = ['-f', `${MARK} %U %S %M`, process.execPath, ...args];
  } else {
    hookFile ??= await writeExitHook(options.dir);
    command = process.execPath;
    argv = ['--import', hookFile, ...args];
  }
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, argv, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      stdout = (stdout + text).slice(-64 * 1024);
    });
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-64 * 1024);
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      if (timer) clearTimeout(timer);
      const line = new RegExp(`${MARK} (\\S+) (\\S+) (\\S+)\\s*$`).exec(stderr);
      let cpuMs = Number.NaN;
      let maxRss = Number.NaN;
      if (line) {
        stderr = stderr.slice(0, line.index);
        // /usr/bin/time: seconds and KiB; the exit hook: microseconds and KiB (marked with a leading 'u').
        if (line[1]!.startsWith('u')) cpuMs = (Number(line[1]!.slice(1)) + Number(line[2])) / 1000;
        else cpuMs = (Number(line[1]) + Number(line[2])) * 1000;
        maxRss = Number(line[3]) * 1024;
      }
      resolve({ exitCode: code ?? -1, wallMs, cpuMs, maxRss, stdout, stderr });
    });
  });
}

async function writeExitHook(dir: string): Promise<string> {
  const file = path.join(dir, 'aigis-bench-exit-hook.mjs');
  await writeFile(
    file,
    [
      "process.on('exit', () => {",
      '  const usage = process.resourceUsage();',
      `  process.stderr.write(\`\\n${MARK} u\${usage.userCPUTime} \${usage.systemCPUTime} \${usage.maxRSS}\\n\`);`,
      '});',
    ].join('\n'),
  );
  return file;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmtS(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 3 : 2)} s`;
}

export function fmtMb(bytes: number): string {
  return Number.isNaN(bytes) ? 'n/a' : `${Math.round(bytes / 1024 ** 2)} MB`;
}

export function check(line: string, ok: boolean): void {
  console.log(`${line}  ${ok ? 'PASS' : 'FAIL'}`);
  if (!ok) process.exitCode = 1;
}
