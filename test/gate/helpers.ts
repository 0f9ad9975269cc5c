/** Runs the CLI in-process, the way bin/aigis.js does, and captures what it printed. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli.js';
import { packageRoot } from '../../src/engine/paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: options.cwd,
    env: options.env ?? {},
    isTTY: false,
  });
  return { code, stdout, stderr };
}

export const GATE_FIXTURES = path.join(packageRoot(), 'fixtures', 'gate');
export const GATE_INVENTORY = path.join(GATE_FIXTURES, 'inventory.json');
export const S3_RULES = ['--rules', 's3-sse-kms-cmk,s3-block-public-access'];

export function tempDir(prefix = 'aigis-gate-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeText(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function readJson<T = any>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** 1-based line of the first line containing `needle` after the line containing `after`. */
export function lineOf(file: string, needle: string, after?: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const index = lines.findIndex((l, i) => i >= start && l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

/** A runner for the Action: a checkout of the gate fixture repository, INPUT_* and the runner's files. */
export interface ActionRunner {
  repo: string;
  env: NodeJS.ProcessEnv;
  runnerDir: string;
  outputFile: string;
  summaryFile: string;
}

export function actionRunner(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}, prefix = 'aigis-action-repo-'): ActionRunner {
  const repo = tempDir(prefix);
  cpSync(path.join(GATE_FIXTURES, 'repo'), repo, { recursive: true });
  const runnerDir = tempDir('aigis-runner-');
  const outputFile = path.join(runnerDir, 'output');
  const summaryFile = path.join(runnerDir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const all: NodeJS.ProcessEnv = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repo, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: runnerDir, ...env };
  for (const [name, value] of Object.entries(inputs)) all[`INPUT_${name.toUpperCase()}`] = value;
  return { repo, env: all, runnerDir, outputFile, summaryFile };
}
