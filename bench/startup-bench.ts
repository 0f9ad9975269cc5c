/**
 * Start-up benchmark: `aigis --version` and `aigis rules` against `node -e 0`, whole process, in
 * the same run. Target (issue "Fast at any size"): each at most 3x `node -e 0`.
 *
 * The three commands run in turn, RUNS rounds after one warm-up round, each round in a rotated
 * order, so that a slow spell of a shared machine falls on all of them. Judged on the median of
 * the per-round ratios (each aigis run against the `node -e 0` run of its own round); the medians
 * of the wall times are printed too, with CPU time (user + system) for the record.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AIGIS_BIN, accounting, check, fmtS, median, runNode, type ProcessRun } from './whole-process.js';

const RUNS = Number(process.env.AIGIS_BENCH_STARTUP_RUNS) || 15;
const TARGET_RATIO = 3;

const COMMANDS: { label: string; args: string[] }[] = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'aigis --version', args: [AIGIS_BIN, '--version'] },
  { label: 'aigis rules', args: [AIGIS_BIN, 'rules'] },
];

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigis-startup-bench-'));
  try {
    const runs: ProcessRun[][] = COMMANDS.map(() => []);
    for (let round = -1; round < RUNS; round++) {
      for (let k = 0; k < COMMANDS.length; k++) {
        const i = (k + Math.max(round, 0)) % COMMANDS.length;
        const result = await runNode(COMMANDS[i]!.args, { dir, cwd: dir });
        if (result.exitCode !== 0) throw new Error(`${COMMANDS[i]!.label} exited ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-2).join(' | ')}`);
        if (round >= 0) runs[i]!.push(result);
      }
    }
    const node = runs[0]!;
    console.log(`  whole process, ${RUNS} rounds in turn after a warm-up (${accounting()}); medians:`);
    for (const [i, { label }] of COMMANDS.entries()) {
      const wall = median(runs[i]!.map((r) => r.wallMs));
      const cpu = median(runs[i]!.map((r) => r.cpuMs));
      console.log(`    ${label.padEnd(18, '.')} wall ${fmtS(wall)}, CPU ${Number.isNaN(cpu) ? 'n/a' : fmtS(cpu)}`);
    }
    for (const [i, { label }] of COMMANDS.entries()) {
      if (i === 0) continue;
      const ratios = runs[i]!.map((r, round) => r.wallMs / node[round]!.wallMs);
      const ratio = median(ratios);
      const ofMedians = median(runs[i]!.map((r) => r.wallMs)) / median(node.map((r) => r.wallMs));
      check(
        `    ${`${label} / node -e 0`.padEnd(32, '.')} ${ratio.toFixed(2)}x (median of per-round ratios; ratio of medians ${ofMedians.toFixed(2)}x; target <= ${TARGET_RATIO}x)`,
        ratio <= TARGET_RATIO,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
