/**
 * GitHub Action entry (action.yml runs `node dist/src/action/main.js`): reads the INPUT_*
 * environment, runs exactly what `aigis scan --iac ...` runs (the CLI's own main), then writes
 * the SARIF file for github/codeql-action/upload-sarif, appends the Markdown summary to
 * $GITHUB_STEP_SUMMARY, sets step outputs in $GITHUB_OUTPUT, emits a few annotations (useful
 * where code scanning is not enabled) and exits like the CLI: 0 clean, 1 a new failing finding
 * at or above fail-on, 2 bad input.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../cli.js';
import { processIo, type Io } from '../commands/io.js';
import { loadConfig, resolveConfigFile } from '../engine/config.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../engine/types.js';
import { FORMATS } from '../report/index.js';
import type { JsonFinding } from '../report/json.js';
import { MESSAGE_MAX, inertLines, inertText } from '../report/inert.js';
import { escapeMarkdown } from '../report/markdown.js';
import { writeFilesAtomically } from '../report/write.js';
import { baseBranchReport } from './compare-base.js';
import {
  appendSummary,
  formatAnnotation,
  getBooleanInput,
  getInput,
  getLineInput,
  getListInput,
  setOutputs,
  type Annotation,
} from './github.js';

/** GitHub shows at most 10 error and 10 warning annotations per step; more would be dropped anyway. */
const MAX_ANNOTATIONS_PER_LEVEL = 10;

export interface ActionInputs {
  paths: string[];
  snapshots: string[];
  config?: string;
  frameworks: string[];
  /** `rules` / `skip-rules`: rule ids to run only, and to leave out (empty: no filter). */
  rules: string[];
  skipRules: string[];
  /** `rules-dir` / `framework-file`: custom rule directories and extra framework files. */
  rulesDirs: string[];
  frameworkFiles: string[];
  /** Absent: the config file's failOn, else high (resolved in runAction). */
  failOn?: string;
  baseline?: string;
  /** `compare`: a previous aigis JSON report; `compare-base`: scan the pull request's base commit for one (src/action/compare-base.ts). */
  compare?: string;
  compareBase: boolean;
  sarifFile: string;
  formats: string[];
  outputDir: string;
  parameters: string[];
  annotations: boolean;
  /** Append the Markdown summary to $GITHUB_STEP_SUMMARY (off for e.g. a base-branch scan that only makes a baseline). */
  summary: boolean;
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const config = getInput(env, 'config');
  const baseline = getInput(env, 'baseline');
  return {
    paths: getListInput(env, 'path').length ? getListInput(env, 'path') : ['.'],
    snapshots: getListInput(env, 'input'),
    ...(config ? { config } : {}),
    frameworks: getListInput(env, 'frameworks'),
    rules: getListInput(env, 'rules'),
    skipRules: getListInput(env, 'skip-rules'),
    rulesDirs: getListInput(env, 'rules-dir'),
    frameworkFiles: getListInput(env, 'framework-file'),
    ...(getInput(env, 'fail-on') ? { failOn: getInput(env, 'fail-on')! } : {}),
    ...(baseline ? { baseline } : {}),
    ...(getInput(env, 'compare') ? { compare: getInput(env, 'compare')! } : {}),
    compareBase: getBooleanInput(env, 'compare-base', false),
    sarifFile: getInput(env, 'sarif-file') ?? 'aigis.sarif',
    formats: getListInput(env, 'format'),
    outputDir: getInput(env, 'output') ?? 'aigis-report',
    parameters: getLineInput(env, 'parameters'),
    annotations: getBooleanInput(env, 'annotations', true),
    summary: getBooleanInput(env, 'summary', true),
  };
}

/** The `aigis scan` command line the inputs stand for (also printed, so a run can be reproduced locally). */
export function scanArgv(inputs: ActionInputs, outDir: string): string[] {
  const formats = [...new Set(['json', 'sarif', 'markdown', ...inputs.formats])];
  return [
    'scan',
    '--iac',
    ...inputs.paths,
    ...inputs.snapshots.flatMap((s) => ['--input', s]),
    ...(inputs.config ? ['--config', inputs.config] : []),
    ...inputs.frameworks.flatMap((f) => ['--framework', f]),
    ...inputs.rules.flatMap((r) => ['--rules', r]),
    ...inputs.skipRules.flatMap((r) => ['--skip-rules', r]),
    ...inputs.rulesDirs.flatMap((d) => ['--rules-dir', d]),
    ...inputs.frameworkFiles.flatMap((f) => ['--framework-file', f]),
    '--fail-on',
    inputs.failOn ?? 'high',
    ...(inputs.baseline ? ['--baseline', inputs.baseline] : []),
    ...(inputs.compare ? ['--compare', inputs.compare] : []),
    ...inputs.parameters.flatMap((p) => ['--parameters', p]),
    '--format',
    formats.join(','),
    '--output',
    outDir,
  ];
}

interface JsonReport {
  summary: { failingBySeverity: Record<Severity, number>; byVerdict: Record<string, number>; suppressed: number; newFailing?: number };
  /** Failing and unknown findings (JSON report 2.x; the rule's title and controls are under `rules`). */
  findings: JsonFinding[];
  /** With `compare` / `compare-base` (JSON report 2.3). */
  delta?: { counts: Record<'new' | 'regressed' | 'fixed', number> };
}

export async function runAction(io: Io): Promise<number> {
  const { env } = io;
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (error) {
    return failRun(io, (error as Error).message);
  }
  if (inputs.failOn === undefined) inputs.failOn = await configFailOn(inputs.config, io.cwd);
  const tempRoot = env.RUNNER_TEMP && env.RUNNER_TEMP !== '' ? env.RUNNER_TEMP : tmpdir();
  const outDir = await mkdtemp(path.join(tempRoot, 'aigis-'));
  try {
    const base = !inputs.compare && inputs.compareBase ? await baseBranchReport(io, outDir, (cwd, out) => scanBase(inputs, cwd, out, io)) : undefined;
    if (base) inputs = { ...inputs, compare: base.file };
    const argv = scanArgv(inputs, outDir);
    io.stderr(`aigis ${argv.map((a) => (/^[\w./:=,@-]+$/.test(a) ? a : inertText(JSON.stringify(a), MESSAGE_MAX))).join(' ').replaceAll(outDir, '<temp>')}\n`);
    let errorText = '';
    const code = await main(argv, {
      ...io,
      // The CLI already prints input data inert; this pass keeps any line it forwards to the
      // runner from carrying a workflow command or a control sequence, whatever printed it.
      stderr: (text) => {
        const safe = inertLines(text);
        errorText += safe;
        io.stderr(safe);
      },
    });
    if (code === 2) {
      const line = errorText.split('\n').find((l) => l.startsWith('aigis: error: ') || l.startsWith('aigis: internal error: '));
      return failRun(io, line?.replace(/^aigis: (internal )?error: /, '') ?? 'aigis could not run (see the log)');
    }

    const read = (ext: string) => readFile(path.join(outDir, `aigis-report.${ext}`), 'utf8');
    const report = JSON.parse(await read('json')) as JsonReport;
    // The base report is named by its commit, not by its temp path.
    const markdown = base ? (await read('md')).replaceAll(escapeMarkdown(base.file), escapeMarkdown(base.label)) : await read('md');
    const sarifPath = path.resolve(io.cwd, inputs.sarifFile);
    const extra = inputs.formats.filter((f) => f in FORMATS);
    await writeFilesAtomically([
      { path: sarifPath, content: await read('sarif') },
      ...(await Promise.all(
        extra.map(async (f) => {
          const ext = FORMATS[f as keyof typeof FORMATS].extension;
          return { path: path.resolve(io.cwd, inputs.outputDir, `aigis-report.${ext}`), content: await read(ext) };
        }),
      )),
    ]);

    if (inputs.summary) await appendSummary(env, markdown);
    const active = report.findings.filter((f) => f.suppression === undefined);
    const failing = active.filter((f) => f.verdict === 'fail');
    const counts = report.summary.failingBySeverity;
    await setOutputs(env, {
      ...Object.fromEntries(SEVERITIES.map((s) => [s, String(counts[s] ?? 0)])),
      failing: String(failing.length),
      // Without a baseline every failing finding is new to the reviewer.
      'new-findings': String(report.summary.newFailing ?? failing.length),
      unknown: String(report.summary.byVerdict.unknown ?? 0),
      suppressed: String(report.summary.suppressed),
      'sarif-file': inputs.sarifFile,
      'failing-rules': [...new Set(failing.map((f) => f.ruleId))].sort().join('\n'),
      ...(report.delta ? { 'delta-new': String(report.delta.counts.new), 'delta-regressed': String(report.delta.counts.regressed), 'delta-fixed': String(report.delta.counts.fixed) } : {}),
    });
    if (inputs.annotations) {
      const toAnnotate = failing.filter((f) => f.baseline !== 'existing');
      for (const line of annotations(toAnnotate, inputs.failOn ?? 'high')) io.stdout(line);
    }
    return code;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * The scan of the base commit for `compare-base`: the head's command line in the base checkout,
 * without the gate (no baseline, fail-on none), JSON only; paths the base does not have left out.
 */
async function scanBase(inputs: ActionInputs, cwd: string, outDir: string, io: Io): Promise<{ code: number; errorLine?: string }> {
  const paths = inputs.paths.filter((p) => existsSync(path.resolve(cwd, p)));
  if (paths.length === 0) return { code: 2, errorLine: `none of ${inputs.paths.join(', ')} is in the base commit` };
  const { baseline: _baseline, compare: _compare, ...rest } = inputs;
  const argv = scanArgv({ ...rest, paths, failOn: 'none', formats: [] }, outDir).map((a, i, all) => (all[i - 1] === '--format' ? 'json' : a));
  let errorText = '';
  const code = await main(argv, { ...io, cwd, stdout: () => {}, stderr: (text) => void (errorText += inertLines(text)) });
  const errorLine = errorText.split('\n').find((l) => l.startsWith('aigis: error: '))?.replace(/^aigis: error: /, '');
  return { code, ...(errorLine ? { errorLine } : {}) };
}

/** Errors for findings at/above fail-on, warnings below; each capped like GitHub caps them. */
export function annotations(findings: readonly JsonFinding[], failOn: string): string[] {
  const threshold = (SEVERITIES as readonly string[]).includes(failOn) ? SEVERITY_RANK[failOn as Severity] : Number.POSITIVE_INFINITY;
  const out: string[] = [];
  const used = { error: 0, warning: 0 };
  for (const f of findings) {
    const level: 'error' | 'warning' = SEVERITY_RANK[f.severity] >= threshold ? 'error' : 'warning';
    if (used[level] >= MAX_ANNOTATIONS_PER_LEVEL) continue;
    used[level]++;
    const source = f.resource.source;
    const property = f.property !== undefined ? source?.properties?.[f.property] : undefined;
    const annotation: Annotation = {
      level,
      title: `aigis ${f.ruleId} (${f.severity})`,
      message: `${inertText(f.message, MESSAGE_MAX)}\nResource: ${inertText(f.resource.arn)}`,
    };
    if (source?.file) {
      annotation.file = property?.file ?? source.file;
      const line = property?.line ?? source.line;
      if (line !== undefined) annotation.line = line;
    }
    out.push(formatAnnotation(annotation));
  }
  return out;
}

/**
 * The gate's default threshold: the config file's failOn when it has one (so the Action and a
 * local `aigis scan` agree), else high. A broken config is reported by the scan itself.
 */
async function configFailOn(explicit: string | undefined, cwd: string): Promise<string> {
  try {
    const file = await resolveConfigFile(explicit, cwd);
    if (file) return (await loadConfig(file)).failOn ?? 'high';
  } catch {
    // the scan reports the config error with its file and JSON path
  }
  return 'high';
}

async function failRun(io: Io, message: string): Promise<number> {
  io.stdout(formatAnnotation({ level: 'error', title: 'aigis could not run', message }));
  await appendSummary(io.env, `## aigis compliance scan\n\n**aigis could not run:** ${escapeMarkdown(message)}\n`);
  return 2;
}

// Run when executed directly (node dist/src/action/main.js), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runAction(processIo());
}
