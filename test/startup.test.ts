/**
 * Start-up: offline commands never load an AWS SDK client (loading all of them took seconds before
 * any work began); only a live collection does. Watched with a module resolution hook in a real
 * process, so an eager import anywhere on the command's path makes this fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { parseAndRun } from '../src/cli.js';
import { liveOptions } from '../src/commands/collect.js';
import { quickScanArgs, scanOptions } from '../src/commands/scan.js';
import { runCli, tempDir } from './helpers/cli.js';

const root = path.resolve(__dirname, '..');
const hook = path.join(root, 'test/helpers/sdk-watch-register.mjs');

/** True when dist/inventory-schema.json was made from the compiled schema.js in dist (see src/inventory/fast-parse.ts). */
function builtDescriptionFresh(): boolean {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/src/inventory/fast-parse.js')).href)}); process.stdout.write(String(m.builtSchemaDescription() !== undefined));`], { encoding: 'utf8' });
  return run.stdout === 'true';
}

function sdkClientsLoaded(args: string[], script?: string): string[] {
  const { loaded, status } = watch(args, script);
  // The command ran to its end (0 clean, 1 findings at --fail-on): an early usage error loads little.
  expect(status, 'exit code').toBeLessThan(2);
  return loaded;
}

function watch(args: string[], script?: string): { loaded: string[]; modules: string[]; status: number | null } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'aigis-startup-'));
  const argv = script ? ['--import', hook, '--input-type=module', '-e', script] : ['--import', hook, path.join(root, 'bin/aigis.js'), ...args];
  // The compiled files one by one (AIGIS_BUNDLE=off), named by their paths; the bundle's modules
  // and what it loads are checked in test/bundle.test.ts.
  const run = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AIGIS_BUNDLE: 'off' } });
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

  it('aigis export securityhub --dry-run loads no AWS SDK client (only a real export loads the Security Hub client)', async () => {
    const dir = tempDir();
    const scan = await runCli(['scan', '--demo', '--format', 'json', '--output', 'report.json'], dir);
    expect(scan.code, scan.stderr).toBeLessThan(2);
    expect(sdkClientsLoaded(['export', 'securityhub', '--input', path.join(dir, 'report.json'), '--dry-run'])).toEqual([]);
  });

  // `--version`, `rules` and `frameworks` are answered without the option parser (src/cli.ts,
  // quickCommand); every other command line loads yargs and the command table, and what a command
  // does is loaded when it runs (src/commands/*-run.ts). bin/aigis.js starts with the launcher,
  // which checks for a bundle (src/bundle/).
  it('aigis --version loads no package and none of the commands', () => {
    const loaded = modulesLoaded(['--version']);
    expect(loaded).toContain('src/cli.js');
    expect(loaded.filter((m) => m.startsWith('pkg:'))).toEqual([]);
    expect(loaded.filter((m) => m.startsWith('src/') && !/^src\/(cli|commands\/(scan|collect|merge|policy|catalog|io|export|diff)|engine\/(errors|paths|rule-files)|bundle\/(launch|manifest)|report\/inert|collectors\/options)\.js$/.test(m))).toEqual([]);
    expect(loaded.filter((m) => m.startsWith('rules/'))).toEqual([]);
  });

  it('aigis --help loads yargs and the command table only', () => {
    const loaded = modulesLoaded(['--help']);
    expect(loaded).toEqual(expect.arrayContaining(['pkg:yargs', 'src/cli.js', 'src/commands/scan.js']));
    expect(loaded.filter((m) => m.startsWith('src/') && !/^src\/(cli|commands\/(scan|collect|merge|policy|catalog|io|export|diff)|engine\/(errors|paths|rule-files)|bundle\/(launch|manifest)|report\/inert|collectors\/options)\.js$/.test(m))).toEqual([]);
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

  it('a scan of a plain YAML template loads neither the YAML parser, the option parser nor zod (src/importers/iac/cfn-yaml-lite.ts, src/inventory/fast-parse.ts)', () => {
    const { modules, status } = watch(['scan', '--iac', path.join(root, 'fixtures/iac/equivalence/template.yaml'), '-f', 'sarif', '-o', 'out.sarif']);
    expect(status).toBeLessThan(2);
    expect(modules.some((m) => m.includes('/dist/src/importers/iac/cfn-yaml-lite.js'))).toBe(true);
    expect(modules.filter((m) => /\/node_modules\/(yaml|yargs)\//.test(m))).toEqual([]);
    // zod too, when the build described the inventory schema in use (npm run build; a tsc-only
    // build after a schema change leaves the description stale and validation to zod).
    if (builtDescriptionFresh()) expect(modules.filter((m) => /\/node_modules\/zod\//.test(m))).toEqual([]);
  });

  it('the watch sees the YAML parser a template outside the lite subset loads, through require (the check above can fail)', () => {
    // ml-platform.yaml has block scalars (`|`), which the lite reader leaves to the yaml package.
    const { modules, status } = watch(['scan', '--iac', path.join(root, 'fixtures/iac/cloudformation/ml-platform.yaml'), '-f', 'sarif', '-o', 'out.sarif']);
    expect(status).toBeLessThan(2);
    expect(modules.some((m) => /\/node_modules\/yaml\/dist\/index\.js$/.test(m))).toBe(true);
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

describe('aigis scan without the option parser', () => {
  /** What yargs gives the scan command's handler for `scan ...argv` (undefined: a usage error). */
  async function parsedScanArgs(argv: string[]): Promise<Record<string, unknown> | undefined> {
    let given: Record<string, unknown> | undefined;
    try {
      await yargs(['scan', ...argv])
        .scriptName('aigis')
        .command({ command: 'scan', describe: 'scan', builder: (y) => liveOptions(scanOptions(y)), handler: (args) => void (given = { ...args }) })
        .strict()
        .exitProcess(false)
        .fail((message, error) => {
          throw error ?? new Error(message);
        })
        .parseAsync(['scan', ...argv]);
    } catch {
      return undefined;
    }
    return given;
  }

  it.each([
    [['--iac', 'template.yaml', '--format', 'sarif', '-o', 'out.sarif']],
    [['--iac', 'a.yaml', 'b.json', 'dir/', '-f', 'sarif,json', '--output', 'reports']],
    [['--iac', 'a.yaml', '--iac', 'b.yaml', '-f', 'sarif', '--format', 'json', '--pretty']],
    [['--input', 'snapshot.json', '-i', 'other.json', '--iac', 'template.yaml', '--parameters', 'Env=prod', 'Name=a=b,c']],
    [['--demo', '--fail-on', 'high', '--framework', 'hipaa', 'gdpr', '--rules', 's3-access-logging', '--scope', 'ai', '--passed', 'count']],
    [['-i', 'snapshot.json', '-c', 'aigis.config.yaml', '--baseline', 'old.sarif', '--account-id', '012345678901']],
    [['--iac', 'true', '--output', 'true']],
    [['--iac', '0x10', '-o', '1e3', '--account-id', '000000000000']],
    [['--iac', 'template.yaml', '--output', '']],
    [['--iac', 't.yaml', '--pretty', '--format', 'markdown']],
    [[]],
  ])('scan %j: the arguments the parser gives the handler', async (argv) => {
    const quick = quickScanArgs(argv);
    expect(quick).toBeDefined();
    expect(quick).toEqual(await parsedScanArgs(argv));
  });

  it.each([
    [['--help']],
    [['--version']],
    [['--iac']],
    [['--iac', '--format', 'sarif']],
    [['--iac', 'a', 'extra', '-o', 'x', 'positional']],
    [['--output', 'x', 'positional', '--iac', 'a']],
    [['--iac', 'a', '-o', 'x', '-o', 'y']],
    [['--iac', 'a', '--output']],
    [['--iac', 'a', '--pretty', 'x']],
    [['--iac', 'a', '--pretty', 'false']],
    [['--iac', 'a', '--pretty', '--pretty']],
    [['--iac', 'a', '--no-pretty']],
    [['--iac', 'a', '--format=sarif']],
    [['--iac', '-template.yaml']],
    [['--iac', 'a', '--', 'b']],
    [['--demo', '--iac', 'a']],
    [['--demo', '-i', 'a']],
    [['--iac', 'a', '--profile', 'p']],
    [['--iac', 'a', '--org']],
    [['--iac', 'a', '-fo', 'sarif']],
    [['--iac', 'a', '--Output', 'x']],
    [['--iac', 'a', '--demo', 'true']],
  ])('scan %j goes through the parser', (argv) => {
    expect(quickScanArgs(argv)).toBeUndefined();
  });

  it('knows every scan option as scanOptions declares it (type, list, alias, default)', () => {
    type Options = { key: Record<string, unknown>; array: string[]; boolean: string[]; alias: Record<string, string[]>; default: Record<string, unknown> };
    const options = (scanOptions(yargs([])) as unknown as { getOptions(): Options }).getOptions();
    const read = (argv: string[]) => quickScanArgs(argv) as Record<string, unknown> | undefined;
    const names = Object.keys(options.key).filter((name) => !['help', 'version'].includes(name) && !Object.values(options.alias).some((aliases) => aliases.includes(name)));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const isArray = options.array.includes(name);
      const isBoolean = options.boolean.includes(name);
      const args = read(isBoolean ? [`--${name}`] : [`--${name}`, 'v', ...(isArray ? ['w'] : [])]);
      expect(args, `--${name}`).toBeDefined();
      expect(args![name], `--${name}`).toEqual(isBoolean ? true : isArray ? ['v', 'w'] : 'v');
      for (const alias of options.alias[name] ?? []) {
        expect(read([`-${alias}`, 'v'])?.[name], `-${alias}`).toEqual(isArray ? ['v'] : 'v');
      }
    }
    const defaults = Object.fromEntries(Object.entries(options.default).filter(([name]) => names.includes(name)));
    const given = read([])!;
    expect(Object.fromEntries(Object.keys(defaults).map((name) => [name, given[name]]))).toEqual(defaults);
  });

  it('a scan of a template writes what it writes through the parser', async () => {
    const template = path.join(root, 'fixtures/iac/equivalence/template.yaml');
    const argv = ['scan', '--iac', template, '--format', 'sarif,json', '-o', 'reports', '--fail-on', 'high'];
    expect(quickScanArgs(argv.slice(1))).toBeDefined();
    const quick = await runCli(argv);
    const parsed = { stdout: '', stderr: '', code: 0, cwd: tempDir() };
    parsed.code = await parseAndRun(argv, {
      stdout: (t) => void (parsed.stdout += t),
      stderr: (t) => void (parsed.stderr += t),
      cwd: parsed.cwd,
      env: {},
      isTTY: false,
    });
    expect(quick.code).toBe(1);
    expect({ code: quick.code, stdout: quick.stdout, stderr: quick.stderr }).toEqual({ code: parsed.code, stdout: parsed.stdout, stderr: parsed.stderr });
    const reports = (cwd: string) => readdirSync(path.join(cwd, 'reports')).sort().map((f) => [f, readFileSync(path.join(cwd, 'reports', f), 'utf8')]);
    expect(reports(quick.cwd).map(([f]) => f)).toEqual(['aigis-report.json', 'aigis-report.sarif']);
    expect(reports(quick.cwd)).toEqual(reports(parsed.cwd));
  });
});
