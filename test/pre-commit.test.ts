/**
 * The pre-commit hook (.pre-commit-hooks.yaml, issue 14) on a fixture repository.
 *
 * Two ways, both from the manifest itself:
 * - always: the hook run the way pre-commit runs it (`entry` + `args`, from the repository root,
 *   no file names since `pass_filenames` is false), through the built CLI as a child process;
 * - with Debian's `pre-commit` package on PATH (`apt-get install pre-commit`; AIGIS_PRE_COMMIT=/path
 *   picks another): pre-commit itself runs the hook on a git repository, as a `repo: local` hook
 *   with the manifest's fields. `language: node` would `npm install` aigis from the network, which
 *   the tests never use, so the local hook runs the same command as `language: system` on this
 *   checkout's bin/aigis.js.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { tempDir } from './helpers/cli.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const AIGIS = path.join(ROOT, 'bin', 'aigis.js');
const FIXTURE_REPO = path.join(ROOT, 'fixtures', 'gate', 'repo');

interface HookManifest {
  id: string;
  name: string;
  entry: string;
  args?: string[];
  language: string;
  pass_filenames?: boolean;
  files?: string;
  require_serial?: boolean;
  minimum_pre_commit_version?: string;
}

const hooks = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as HookManifest[];
const hook = hooks.find((h) => h.id === 'aigis-iac')!;

function fixtureRepo(): string {
  const repo = tempDir('aigis-pre-commit-');
  cpSync(FIXTURE_REPO, repo, { recursive: true });
  return repo;
}

/** Every file under `dir`, relative, as pre-commit lists a repository's files. */
function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.name === '.git' ? [] : e.isDirectory() ? filesOf(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

/** The hook as pre-commit runs it: entry split on spaces (no shell), then args, from the repository root. */
function runHook(repo: string, args = hook.args ?? []) {
  const [command, ...entryArgs] = hook.entry.split(' ');
  expect(command).toBe('aigis');
  return spawnSync(process.execPath, [AIGIS, ...entryArgs, ...args], { cwd: repo, encoding: 'utf8' });
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares a node hook that scans the whole repository when a template or plan changes', () => {
    expect(hooks.map((h) => h.id)).toEqual(['aigis-iac']);
    expect(hook).toMatchObject({ language: 'node', pass_filenames: false, require_serial: true });
    // `files` is a Python regex; this one is also valid JavaScript with the same meaning.
    const files = new RegExp(hook.files!);
    expect(filesOf(FIXTURE_REPO).filter((f) => files.test(f)).sort()).toEqual([
      path.join('infra', 'cloudformation', 'storage.yaml'),
      path.join('infra', 'terraform', 'plan.json'),
    ]);
    expect(files.test('README.md')).toBe(false);
    expect(files.test(path.join('infra', 'terraform', 'main.tf'))).toBe(false);
  });

  it('fails the commit on findings at or above the default --fail-on, with the report in the log and no file written', () => {
    const repo = fixtureRepo();
    const before = filesOf(repo).sort();
    const run = runHook(repo);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout.startsWith('## aigis compliance scan\n')).toBe(true);
    expect(run.stdout).toContain('s3-sse-kms-cmk');
    expect(run.stderr).toContain('wrote standard output');
    expect(filesOf(repo).sort()).toEqual(before);
  });

  it('passes when the user\'s args raise the bar above what fails', () => {
    const run = runHook(fixtureRepo(), ['--fail-on', 'critical']);
    expect(run.status, run.stderr).toBe(0);
  });

  it('exits 2 with one line on a broken template', () => {
    const repo = fixtureRepo();
    writeFileSync(path.join(repo, 'infra', 'cloudformation', 'broken.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket: [unclosed\n');
    const run = runHook(repo);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/broken\.yaml/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

const preCommit = process.env.AIGIS_PRE_COMMIT ?? findOnPath('pre-commit');

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

describe.skipIf(!preCommit)('pre-commit itself (Debian\'s package) runs the hook', () => {
  function gitRepo(): string {
    const repo = fixtureRepo();
    const local = {
      repos: [{ repo: 'local', hooks: [{ ...hook, language: 'system', entry: `${process.execPath} ${AIGIS} ${hook.entry.replace(/^aigis /, '')}` }] }],
    };
    writeFileSync(path.join(repo, '.pre-commit-config.yaml'), stringify(local));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'fixture');
    return repo;
  }

  function preCommitRun(repo: string, ...args: string[]) {
    return spawnSync(preCommit!, ['run', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, PRE_COMMIT_HOME: path.join(repo, '.pre-commit-home'), NO_COLOR: '1' } });
  }

  it('fails on the fixture repository, and skips a commit that touches no template', () => {
    const repo = gitRepo();
    const all = preCommitRun(repo, '--all-files');
    expect(all.status, all.stdout + all.stderr).toBe(1);
    expect(all.stdout).toMatch(/aigis \(CloudFormation and Terraform plan compliance\)\.+Failed/);
    expect(all.stdout).toContain('## aigis compliance scan');

    writeFileSync(path.join(repo, 'README.md'), '# notes\n');
    execFileSync('git', ['add', 'README.md'], { cwd: repo });
    const docsOnly = preCommitRun(repo);
    expect(docsOnly.status, docsOnly.stdout + docsOnly.stderr).toBe(0);
    expect(docsOnly.stdout).toMatch(/aigis \(CloudFormation and Terraform plan compliance\)\.+\(no files to check\)Skipped/);
  });
});
