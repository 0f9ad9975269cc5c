/**
 * The Action's `compare` and `compare-base` inputs: the job summary shows what changed since a
 * previous report, or since the pull request's base commit (a git worktree of the base, scanned
 * the same way). Offline: the "pull request" is a local git repository with two commits and an
 * event payload naming the first as the base.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/main.js';
import { actionRunner, runCli, tempDir, type ActionRunner } from './helpers.js';

type Runner = ActionRunner;

function runner(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Runner {
  return actionRunner(inputs, env, 'aigis-action-compare-');
}

async function run(r: Runner) {
  let stdout = '';
  let stderr = '';
  const code = await runAction({ stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: r.repo, env: r.env, isTTY: false });
  const outputs = Object.fromEntries(
    readFileSync(r.outputFile, 'utf8')
      .split('\n')
      .filter((l) => /^[\w-]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { code, stdout, stderr, outputs, summary: readFileSync(r.summaryFile, 'utf8') };
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=aigis test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();

describe('action compare inputs', () => {
  it('compare: the job summary shows the changes since a previous report, and outputs count them', async () => {
    const r = runner({ path: 'infra', 'fail-on': 'high', compare: 'previous/aigis-report.json' });
    // The previous scan had the CloudFormation template only: the Terraform plan's failing findings are new.
    const previous = await runCli(['scan', '--iac', 'infra/cloudformation', '--format', 'json', '--output', 'previous/aigis-report.json'], { cwd: r.repo });
    expect(previous.code).toBe(0);
    const res = await run(r);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('--compare previous/aigis-report.json');
    expect(res.summary).toContain('### Changes since the previous scan');
    expect(res.summary).toContain('Compared with previous/aigis-report.json (report 2.3).');
    expect(Number(res.outputs['delta-new'])).toBeGreaterThan(0);
    expect(res.outputs['delta-fixed']).toBe('0');
    expect(res.outputs['delta-regressed']).toBe('0');
    expect(res.summary).toMatch(/\| new: absent → failing \| \w+ \| s3-[\w-]+ \| feature-exports/);
  });

  it('compare-base: scans the pull request base commit in a worktree and compares against it', async () => {
    const r = runner({ path: 'infra', 'fail-on': 'high', 'compare-base': 'true' });
    // The base commit has the CloudFormation template only; the pull request adds the Terraform plan.
    const terraform = path.join(r.repo, 'infra', 'terraform');
    const saved = tempDir('aigis-tf-');
    cpSync(terraform, saved, { recursive: true });
    rmSync(terraform, { recursive: true });
    git(r.repo, 'init', '-q', '-b', 'main');
    git(r.repo, 'add', '-A');
    git(r.repo, 'commit', '-q', '-m', 'base');
    const baseSha = git(r.repo, 'rev-parse', 'HEAD');
    cpSync(saved, terraform, { recursive: true });
    git(r.repo, 'add', '-A');
    git(r.repo, 'commit', '-q', '-m', 'head');
    const eventDir = tempDir('aigis-event-');
    const eventPath = path.join(eventDir, 'event.json');
    writeFileSync(eventPath, JSON.stringify({ pull_request: { base: { sha: baseSha } } }));
    r.env.GITHUB_EVENT_NAME = 'pull_request';
    r.env.GITHUB_EVENT_PATH = eventPath;

    const res = await run(r);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`aigis: scanning the base commit ${baseSha.slice(0, 12)} for the comparison`);
    expect(res.stderr).toContain('--compare <temp>/base-report/aigis-report.json');
    expect(res.summary).toContain('### Changes since the previous scan');
    expect(res.summary).toContain(`Compared with base commit ${baseSha.slice(0, 12)} (report 2.3).`);
    expect(res.summary).not.toContain(r.runnerDir);
    expect(Number(res.outputs['delta-new'])).toBeGreaterThan(0);
    expect(res.outputs['delta-fixed']).toBe('0');
    // The worktree is gone, the runner's temp directory clean.
    expect(git(r.repo, 'worktree', 'list').split('\n')).toHaveLength(1);
    expect(readdirSync(r.runnerDir).sort()).toEqual(['output', 'summary']);

    // The same comparison as against a report of the base given with `compare`.
    const explicit = runner({ path: 'infra', 'fail-on': 'high', compare: 'base.json' });
    rmSync(path.join(explicit.repo, 'infra', 'terraform'), { recursive: true });
    await runCli(['scan', '--iac', 'infra', '--format', 'json', '--output', 'base.json'], { cwd: explicit.repo });
    cpSync(saved, path.join(explicit.repo, 'infra', 'terraform'), { recursive: true });
    const same = await run(explicit);
    expect(same.outputs['delta-new']).toBe(res.outputs['delta-new']);
    const section = (s: string) => s.slice(s.indexOf('| Change | Findings |'), s.indexOf('\n### Controls\n'));
    expect(section(same.summary)).toBe(section(res.summary));
  });

  it('compare-base outside a pull request, or without git history: a warning, the scan as usual', async () => {
    const push = runner({ path: 'infra', 'fail-on': 'none', 'compare-base': 'true' }, { GITHUB_EVENT_NAME: 'push' });
    const res = await run(push);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('aigis: warning: compare-base applies to pull_request events, not "push": no comparison');
    expect(res.summary).toContain('## aigis compliance scan');
    expect(res.summary).not.toContain('Changes since the previous scan');
    expect(res.outputs['delta-new']).toBeUndefined();

    const eventDir = tempDir('aigis-event-');
    writeFileSync(path.join(eventDir, 'event.json'), JSON.stringify({ pull_request: { base: { sha: 'not a sha; rm -rf /' } } }));
    const bad = runner({ path: 'infra', 'fail-on': 'none', 'compare-base': 'true' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path.join(eventDir, 'event.json') });
    const badRes = await run(bad);
    expect(badRes.code).toBe(0);
    expect(badRes.stderr).toContain('compare-base: the event has no pull_request.base.sha: no comparison');
  });
});
