/**
 * Start-up: offline commands never load an AWS SDK client (loading all of them took seconds before
 * any work began); only a live collection does. Watched with a module resolution hook in a real
 * process, so an eager import anywhere on the command's path makes this fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAndRun } from '../src/cli.js';
import { runCli } from './helpers/cli.js';

const root = path.resolve(__dirname, '..');
const hook = path.join(root, 'test/helpers/sdk-watch-register.mjs');

function sdkClientsLoaded(args: string[], script?: string): string[] {
  const { loaded, status } = watch(args, script);
  // The command ran to its end (0 clean, 1 findings at --fail-on): an early usage error loads little.
  expect(status, 'exit code').toBeLessThan(2);
  return loaded;
}

function watch(args: string[], script?: string): { loaded: string[]; modules: string[]; status: number | null } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'aigis-startup-'));
  const argv = script ? ['--import', hook, '--input-type=module', '-e', script] : ['--import', hook, path.join(root, 'bin/aigis.js'), ...args];
  const run = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
  return {
    loaded: [...run.stderr.matchAll(/^sdk-watch: (\S+)$/gm)].map((m) => m[1]!),
    modules: [...run.stderr.matchAll(/^module-watch: (\S+)$/gm)].map((m) => m[1]!),
    status: run.status,
  };
}

/** The modules a command loads, as `pkg:<package>` or `src/...js` (the compiled tree), for readable diffs. */
function modulesLoaded(args: string[]): string[] {
  const { modules, status } = watch(args);
  expect(status, 'exit code').toBe(0);
  const names = modules.map((url) => {
    const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (pkg) return `pkg:${pkg[1]}`;
    const own = /\/dist\/(.+)$/.exec(url);
    return own ? own[1]! : url;
  });
  return [...new Set(names)].sort();
}

describe('start-up', () => {
  it.each([
    [['--version']],
    [['rules']],
    [['scan', '--demo', '-f', 'json', '-o', 'out.json']],
    [['scan', '--iac', path.join(root, 'fixtures/iac/cloudformation'), '-f', 'sarif', '-o', 'out.sarif']],
    [['policy', 'check', path.join(root, 'fixtures/policies/risky')]],
  ])('aigis %j loads no AWS SDK client', (args) => {
    expect(sdkClientsLoaded(args)).toEqual([]);
  });

  // `--version`, `rules` and `frameworks` are answered without the option parser (src/cli.ts,
  // quickCommand); every other command line loads yargs and the command table, and what a command
  // does is loaded when it runs (src/commands/*-run.ts).
  it('aigis --version loads no package and none of the commands', () => {
    const loaded = modulesLoaded(['--version']);
    expect(loaded).toContain('src/cli.js');
    expect(loaded.filter((m) => m.startsWith('pkg:'))).toEqual([]);
    expect(loaded.filter((m) => m.startsWith('src/') && !/^src\/(cli|commands\/(scan|collect|merge|policy|catalog|io)|engine\/(errors|paths)|report\/inert|collectors\/options)\.js$/.test(m))).toEqual([]);
    expect(loaded.filter((m) => m.startsWith('rules/'))).toEqual([]);
  });

  it('aigis --help loads yargs and the command table only', () => {
    const loaded = modulesLoaded(['--help']);
    expect(loaded).toEqual(expect.arrayContaining(['pkg:yargs', 'src/cli.js', 'src/commands/scan.js']));
    expect(loaded.filter((m) => m.startsWith('src/') && !/^src\/(cli|commands\/(scan|collect|merge|policy|catalog|io)|engine\/(errors|paths)|report\/inert|collectors\/options)\.js$/.test(m))).toEqual([]);
  });

  it.each([[['rules']], [['frameworks']], [['frameworks', 'hipaa']]])('aigis %j loads rules and frameworks, not the scan engine, importers, reports or inventory schema', (args) => {
    const loaded = modulesLoaded(args);
    expect(loaded.filter((m) => /^src\/(importers|collectors\/(?!options)|inventory|report\/(?!inert)|engine\/(scan|config|baseline|suppressions))/.test(m) || /-run\.js$/.test(m) && m !== 'src/commands/catalog-run.js')).toEqual([]);
    expect(loaded.filter((m) => m.startsWith('rules/')).length).toBeGreaterThan(10);
    // Framework files are read without the YAML parser, rule metas checked without zod, and the
    // IAM action catalog's package is loaded by the scan that needs it (src/policy/actions.ts).
    expect(loaded.filter((m) => /^pkg:(zod|yaml|@cloud-copilot\/iam-data|yargs)$/.test(m))).toEqual([]);
  });

  it('a scan of CloudFormation templates loads neither the Terraform importer nor the live collection', () => {
    const { modules, status } = watch(['scan', '--iac', path.join(root, 'fixtures/iac/cloudformation'), '-f', 'sarif', '-o', 'out.sarif']);
    expect(status).toBeLessThan(2);
    expect(modules.some((m) => m.includes('/dist/src/importers/iac/cloudformation.js'))).toBe(true);
    expect(modules.filter((m) => /\/dist\/src\/(importers\/terraform\/|importers\/iac\/terraform-plan|commands\/collect-run|collectors\/(canonical|progress))/.test(m))).toEqual([]);
  });

  it('the watch sees the clients a live collection loads (the check above can fail)', () => {
    const loaded = sdkClientsLoaded([], `await import(${JSON.stringify(path.join(root, 'dist/src/collectors/index.js'))});`);
    expect(loaded).toContain('@aws-sdk/client-s3');
  });
});

describe('commands answered without the option parser', () => {
  it.each([
    [['--version']],
    [['rules']],
    [['rules', '--json']],
    [['frameworks']],
    [['frameworks', '--json']],
    [['frameworks', 'hipaa']],
    [['frameworks', 'gdpr', '--json']],
    [['frameworks', 'no-such-framework']],
  ])('aigis %j prints what the parser would, with its exit code', async (args) => {
    const quick = await runCli(args);
    const parsed = { stdout: '', stderr: '', code: 0 };
    parsed.code = await parseAndRun(args, {
      stdout: (t) => void (parsed.stdout += t),
      stderr: (t) => void (parsed.stderr += t),
      cwd: quick.cwd,
      env: {},
      isTTY: false,
    });
    expect(quick.stdout.length + quick.stderr.length).toBeGreaterThan(0);
    expect({ code: quick.code, stdout: quick.stdout, stderr: quick.stderr }).toEqual(parsed);
  });
});
