/**
 * The hostile-input corpus (issue 11): every case in cases.ts runs through the real CLI, in a worker
 * process with a hard 10 s limit (a blocked event loop cannot be interrupted in-process), two at a
 * time, each from a fresh working directory. A case holds when
 *
 * - it ends within the limit, with the expected exit code and first stderr line;
 * - nothing shows a stack trace (`    at ...`) or says "internal error";
 * - stdout and stderr carry no raw ESC, BEL or CR, and no line that GitHub would read as a workflow
 *   command (`::error`, `::add-mask`, `##[`);
 * - an error line stays bounded (no multi-megabyte echo of the input);
 * - a run that exits 2 wrote nothing (no report, no temp file), except where a case says otherwise.
 *
 * The table of what was tried and what held is printed at the end. `npm run test:hostile` runs
 * only this file (after building: the workers run dist/, which `npm test` builds too).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, type HostileCase, type LineExpectation } from './cases.js';
import { WorkerPool, type PoolRun } from './pool.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.join(ROOT, 'test', 'hostile', 'cases');
const WORKER = path.join(ROOT, 'dist', 'test', 'hostile', 'worker.js');
/** A case that runs longer than this is killed and does not hold (a hang bound, not a benchmark). */
const LIMIT_MS = 10_000;
const CONCURRENCY = 2;
/**
 * What must never reach a terminal raw: C0 controls but LF and tab (ESC, BEL, CR, NUL...), DEL, C1
 * controls, and bidi overrides and isolates (README, "Output safety").
 */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const CONTROL_NAMES: Record<string, string> = { '\u001b': 'ESC', '\u0007': 'BEL', '\r': 'CR', '\u0000': 'NUL' };
/** An `aigis: error:` / `aigis: warning:` line longer than this echoes input it should have cut. */
const MAX_MESSAGE_LINE = 2_000;

/**
 * Cases whose fix has not landed yet: they still run and appear in the table, but do not fail the
 * suite. Each entry says what aigis does today. Remove the entry when the case holds (the table
 * says "pending, holds now").
 */
export const PENDING: Readonly<Record<string, string>> = {};

interface Outcome {
  hostile: HostileCase;
  run: PoolRun;
  problems: string[];
  cwd: string;
}

const outcomes = new Map<string, Outcome>();
let corpusMs = 0;

function checkBuild(): void {
  if (!existsSync(WORKER)) throw new Error(`${path.relative(ROOT, WORKER)} is missing: run \`npm run build\` (npm test and npm run test:hostile build first)`);
  const built = statSync(path.join(ROOT, 'dist', 'src', 'cli.js')).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const full = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(full) : e.name.endsWith('.ts') ? statSync(full).mtimeMs : 0);
    }, 0);
  if (newest(path.join(ROOT, 'src')) > built) console.warn('hostile corpus: dist/ is older than src/; the cases run the last build (npm run build)');
}

/** Creates the case's working directory with its input files; returns it. */
function prepare(hostile: HostileCase): string {
  const cwd = realpathSync(mkdtempSync(path.join(tmpdir(), 'aigis-hostile-')));
  for (const [name, source] of Object.entries(hostile.files)) {
    const target = path.join(cwd, name);
    mkdirSync(path.dirname(target), { recursive: true });
    if ('corpus' in source) cpSync(path.join(CORPUS, source.corpus), target);
    else if ('corpusDir' in source) cpSync(path.join(CORPUS, source.corpusDir), target, { recursive: true });
    else if ('text' in source) writeFileSync(target, source.text);
    else writeFileSync(target, source.generate());
  }
  return cwd;
}

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? [`${rel}/`, ...listFiles(dir, rel)] : [rel];
    })
    .sort();
}

/** What is wrong with `line` against `expected`, or undefined. */
function mismatch(line: string, expected: LineExpectation): string | undefined {
  if (typeof expected === 'string') return line === expected ? undefined : `expected ${JSON.stringify(expected)}`;
  const wrong: string[] = [];
  if (expected.prefix !== undefined && !line.startsWith(expected.prefix)) wrong.push(`to start with ${JSON.stringify(expected.prefix)}`);
  for (const piece of expected.includes ?? []) if (!line.includes(piece)) wrong.push(`to contain ${JSON.stringify(piece)}`);
  if (expected.regex && !expected.regex.test(line)) wrong.push(`to match ${String(expected.regex)}`);
  return wrong.length ? `expected ${wrong.join(', ')}` : undefined;
}

function show(text: string, max = 300): string {
  const shown = JSON.stringify(text);
  return shown.length > max ? `${shown.slice(0, max)}...(${shown.length} chars)` : shown;
}

function judge(hostile: HostileCase, run: PoolRun, cwd: string, before: string[]): string[] {
  if (run.timedOut) return [`did not finish within ${LIMIT_MS / 1000} s (worker killed)`];
  const problems: string[] = [];
  if (run.crash) problems.push(`crashed: ${run.crash.split('\n').slice(0, 3).join(' | ')}`);
  // Paths are compared relative to the case's directory, however aigis chose to print them.
  const relative = (text: string) => text.split(`${cwd}${path.sep}`).join('');
  const stderr = relative(run.stderr);
  const stdout = relative(run.stdout);
  if (run.code !== hostile.exit) problems.push(`exit ${run.code ?? 'none'}, expected ${hostile.exit}`);
  const lines = stderr.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const first = lines[0] ?? '';
  const wrongFirst = mismatch(first, hostile.stderr);
  if (wrongFirst) problems.push(`first stderr line ${show(first)}: ${wrongFirst}`);
  if (hostile.stderrLines !== undefined && lines.length !== hostile.stderrLines) {
    problems.push(`stderr has ${lines.length} lines, expected ${hostile.stderrLines}: ${show(stderr, 500)}`);
  }
  for (const wanted of hostile.stderrHas ?? []) {
    if (!lines.some((l) => l.includes(wanted))) problems.push(`stderr lacks ${show(wanted)}`);
  }
  if (hostile.stdout !== undefined) {
    const firstOut = stdout.split('\n')[0] ?? '';
    const wrongOut = mismatch(firstOut, hostile.stdout);
    if (wrongOut) problems.push(`first stdout line ${show(firstOut)}: ${wrongOut}`);
  }
  for (const [name, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    if (/^\s+at \S/m.test(text)) problems.push(`${name} shows a stack trace`);
    if (/internal error/i.test(text)) problems.push(`${name} reports an internal error: ${show(text.split('\n').find((l) => /internal error/i.test(l)) ?? '')}`);
    const raw = RAW_CONTROL.exec(text);
    if (raw) problems.push(`${name} carries a raw ${CONTROL_NAMES[raw[0]] ?? `U+${raw[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`} at offset ${raw.index}`);
    const command = text.split('\n').find((l) => /^\s*::[a-z-]+/i.test(l) || l.includes('##['));
    if (command !== undefined) problems.push(`${name} has a line GitHub reads as a workflow command: ${show(command)}`);
    const long = text.split('\n').find((l) => /^aigis: (error|warning):/.test(l) && l.length > MAX_MESSAGE_LINE);
    if (long !== undefined) problems.push(`${name} has a ${long.length}-character message line (input echoed uncut?)`);
  }
  const written = listFiles(cwd).filter((f) => !before.includes(f));
  if (hostile.writes) {
    for (const file of hostile.writes) if (!existsSync(path.join(cwd, file))) problems.push(`did not write ${file}`);
  } else if (run.code === 2 && written.length) {
    problems.push(`exit 2 but wrote ${written.slice(0, 5).join(', ')}${written.length > 5 ? ', ...' : ''}`);
  }
  const verdict = hostile.verify?.({ cwd, ...(run.code !== undefined ? { code: run.code } : {}), stdout, stderr });
  if (verdict) problems.push(verdict);
  return problems;
}

function printTable(): void {
  const rows = CASES.map((c) => {
    const o = outcomes.get(c.id);
    const held = !o ? 'not run' : PENDING[c.id] ? (o.problems.length ? 'pending' : 'pending, holds now') : o.problems.length ? 'NO' : 'yes';
    const exit = !o ? '-' : o.run.timedOut ? 'killed' : o.run.crash && o.run.code === undefined ? 'crash' : String(o.run.code);
    return [c.id, c.kind, c.attack.length > 70 ? `${c.attack.slice(0, 67)}...` : c.attack, exit, o ? String(o.run.ms) : '-', held];
  });
  const header = ['case', 'kind', 'attack', 'exit', 'ms', 'held'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 3 || i === 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  const held = rows.filter((r) => r[5] === 'yes').length;
  const notHeld = rows.filter((r) => r[5] === 'NO').length;
  const pending = rows.filter((r) => r[5]!.startsWith('pending')).length;
  const out = [
    '',
    `hostile corpus: ${CASES.length} cases, ${held} held, ${notHeld} not held, ${pending} pending; ${(corpusMs / 1000).toFixed(1)} s wall time (${CONCURRENCY} workers, ${LIMIT_MS / 1000} s limit per case)`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  const failed = CASES.map((c) => outcomes.get(c.id)).filter((o): o is Outcome => !!o && o.problems.length > 0);
  if (failed.length) {
    out.push('', 'what did not hold (inputs kept in the directory named, except for pending cases):');
    for (const o of failed) out.push(`  ${o.hostile.id}${PENDING[o.hostile.id] ? ' (pending)' : ` [${o.cwd}]`}`, ...o.problems.map((p) => `    - ${p}`));
  }
  console.log(out.join('\n'));
}

describe('hostile inputs', () => {
  let pool: WorkerPool | undefined;

  beforeAll(async () => {
    checkBuild();
    const home = mkdtempSync(path.join(tmpdir(), 'aigis-hostile-home-'));
    pool = new WorkerPool({
      workerFile: WORKER,
      size: CONCURRENCY,
      limitMs: LIMIT_MS,
      // No credentials, no profile, no instance metadata: a case that reached the live path by
      // mistake fails fast instead of calling AWS.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        LANG: 'C.UTF-8',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
      },
      // A runaway case must not take the machine's memory with it.
      execArgv: ['--max-old-space-size=2048'],
    });
    const started = performance.now();
    // One runner per worker, each preparing its next case only when it is about to run it (the
    // generated inputs are tens of MB in all).
    const queue = [...CASES];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let hostile = queue.shift(); hostile; hostile = queue.shift()) {
          const cwd = prepare(hostile);
          const before = listFiles(cwd);
          const run = await pool!.run(hostile.argv, cwd);
          const problems = judge(hostile, run, cwd, before);
          outcomes.set(hostile.id, { hostile, run, problems, cwd });
          // Inputs of a case that did not hold are kept for a look (the table names the directory).
          if (!problems.length || PENDING[hostile.id]) rmSync(cwd, { recursive: true, force: true });
        }
      }),
    );
    corpusMs = performance.now() - started;
    rmSync(home, { recursive: true, force: true });
  }, 15 * 60_000);

  afterAll(() => {
    pool?.close();
    printTable();
  });

  it('has at least 80 cases covering every input kind, with unique ids', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(new Set(['snapshot', 'cfn-yaml', 'cfn-json', 'tf-plan', 'policy', 'config', 'baseline', 'flags']));
    for (const id of Object.keys(PENDING)) expect(CASES.some((c) => c.id === id), `PENDING names unknown case ${id}`).toBe(true);
  });

  for (const hostile of CASES) {
    const reason = PENDING[hostile.id];
    if (reason) {
      it.skip(`${hostile.id} (${hostile.kind}): pending: ${reason}`, () => undefined);
      continue;
    }
    it(`${hostile.id} (${hostile.kind}): ${hostile.attack}`, () => {
      const outcome = outcomes.get(hostile.id);
      expect(outcome, 'the case did not run').toBeDefined();
      expect(outcome!.problems, `${hostile.id}, inputs in ${outcome!.cwd}`).toEqual([]);
    });
  }
});
