/**
 * The Action's `compare-base: true`: for a pull request, scan the base commit's files the same way
 * (same paths, rules, frameworks, config as found in the base commit) so that the head scan can
 * `--compare` against it and the job summary shows what the pull request changes (new, regressed,
 * fixed findings per control).
 *
 * The base commit (github.event.pull_request.base.sha, read from GITHUB_EVENT_PATH and checked to
 * be a hex object id) is checked out with `git worktree add --detach` into the run's temp
 * directory, fetched first (depth 1) when the checkout does not have it, and removed again once
 * its report is written. git runs through execFile with an argument list: no shell. The base
 * branch is the trusted side of a pull request; its custom rules and config are its own.
 * Anything that goes wrong is a warning, never a failed job: the head scan runs without a delta.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Io } from '../commands/io.js';
import { MESSAGE_MAX, inertLines, inertText } from '../report/inert.js';

const run = promisify(execFile);

/** The events whose payload has `pull_request.base.sha`. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

export interface BaseReport {
  /** The base scan's JSON report. */
  file: string;
  /** How the summary names it: `base commit 0123456789ab`. */
  label: string;
}

/** The base scan's command line for a checkout directory and an output directory (the head's, minus the gate). */
export type BaseScan = (cwd: string, outDir: string) => Promise<{ code: number; errorLine?: string }>;

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** The pull request's base commit from the event payload, or why there is none. */
export async function baseCommit(env: NodeJS.ProcessEnv): Promise<{ sha: string } | { reason: string }> {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!PULL_REQUEST_EVENTS.has(event)) return { reason: `compare-base applies to pull_request events, not "${event || 'unknown'}": no comparison` };
  if (!env.GITHUB_EVENT_PATH) return { reason: 'compare-base: GITHUB_EVENT_PATH is not set: no comparison' };
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch (error) {
    return { reason: `compare-base: cannot read the event payload (${(error as Error).message}): no comparison` };
  }
  const sha = (payload as { pull_request?: { base?: { sha?: unknown } } } | null)?.pull_request?.base?.sha;
  if (typeof sha !== 'string' || !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) return { reason: 'compare-base: the event has no pull_request.base.sha: no comparison' };
  return { sha };
}

/**
 * Scans the base commit into `workDir` (a temp directory the caller removes) and returns its
 * report, or undefined (with a warning printed) when it cannot.
 */
export async function baseBranchReport(io: Io, workDir: string, scan: BaseScan): Promise<BaseReport | undefined> {
  const warn = (text: string) => io.stderr(`aigis: warning: ${inertText(text, MESSAGE_MAX)}\n`);
  const base = await baseCommit(io.env);
  if ('reason' in base) {
    warn(base.reason);
    return undefined;
  }
  const { sha } = base;
  const checkout = path.join(workDir, 'base-checkout');
  const outDir = path.join(workDir, 'base-report');
  let root: string;
  try {
    root = (await git(io.cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch {
    warn('compare-base: the working directory is not a git checkout: no comparison');
    return undefined;
  }
  let added = false;
  try {
    try {
      await git(root, ['cat-file', '-e', `${sha}^{commit}`]);
    } catch {
      // A shallow checkout (actions/checkout's default) has only the merge commit: fetch the base.
      await git(root, ['fetch', '--no-tags', '--depth=1', 'origin', sha]);
    }
    await git(root, ['worktree', 'add', '--detach', checkout, sha]);
    added = true;
    // The same working directory inside the base checkout, so that relative paths mean the same.
    const cwd = path.join(checkout, path.relative(root, io.cwd));
    if (!existsSync(cwd)) {
      warn(`compare-base: the base commit ${sha.slice(0, 12)} has no ${path.relative(root, io.cwd)} directory: no comparison`);
      return undefined;
    }
    io.stderr(`aigis: scanning the base commit ${sha.slice(0, 12)} for the comparison\n`);
    const result = await scan(cwd, outDir);
    if (result.code === 2) {
      warn(`compare-base: the scan of the base commit ${sha.slice(0, 12)} failed${result.errorLine ? ` (${result.errorLine})` : ''}: no comparison`);
      return undefined;
    }
    return { file: path.join(outDir, 'aigis-report.json'), label: `base commit ${sha.slice(0, 12)}` };
  } catch (error) {
    const message = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    warn(`compare-base: cannot check out the base commit ${sha.slice(0, 12)} (${inertLines(message).split('\n')[0]}): no comparison`);
    return undefined;
  } finally {
    if (added) await git(root, ['worktree', 'remove', '--force', checkout]).catch(() => git(root, ['worktree', 'prune']).catch(() => ''));
  }
}
