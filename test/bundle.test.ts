/**
 * The bundle (scripts/build-bundle.ts, run by `npm run build`) is the compiled CLI in a few files:
 * it must behave exactly as the compiled files run one by one, load none of them beside itself
 * (two copies of a module would not share its state), and never run once the compiled files
 * changed (src/bundle/manifest.ts). Built here from the compiled tree (`npm test` compiles first),
 * into a directory of its own beside dist/bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAst } from 'rolldown/parseAst';
import { buildBundle, importMetaUrls } from '../scripts/build-bundle.js';
import { MANIFEST_FORMAT, freshManifest, modulesDigest, type BundleManifest } from '../src/bundle/manifest.js';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const outDir = path.join(dist, `bundle-test-${process.pid}`);
const hook = path.join(root, 'test/helpers/sdk-watch-register.mjs');
let manifest: BundleManifest;

beforeAll(async () => {
  manifest = await buildBundle(dist, outDir);
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

/** `main(args)` of the given module in a process of its own, from a fresh directory; what it printed and wrote. */
function run(cli: string, args: string[], execArgv: string[] = []): Run {
  const cwd = mkdtempSync(path.join(tmpdir(), 'aigis-bundle-'));
  try {
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(cli).href)}); process.exitCode = await main(process.argv.slice(1));`;
    const result = spawnSync(process.execPath, [...execArgv, '--input-type=module', '-e', script, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    const files: Record<string, string> = {};
    const out = path.join(cwd, 'out');
    for (const name of readdirSafe(out)) files[name] = readFileSync(path.join(out, name), 'utf8');
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, files };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

const fixture = (file: string) => path.join(root, 'fixtures', file);
const ALL_FORMATS = ['-f', 'json,sarif,html,markdown', '-o', 'out'];

describe('the bundle', () => {
  it('holds the CLI, every rule, and only compiled files of dist/', () => {
    expect(manifest.format).toBe(MANIFEST_FORMAT);
    expect(manifest.modules).toContain('src/cli.js');
    expect(manifest.rules.length).toBeGreaterThan(50);
    for (const rule of manifest.rules) expect(manifest.modules).toContain(`rules/${rule}`);
    expect(manifest.modules.every((m) => /^(src|rules)\/[\w./-]+\.js$/.test(m))).toBe(true);
    expect(freshManifest(outDir, dist)).toEqual(manifest);
  });

  it.each([
    [['scan', '--iac', fixture('iac/equivalence/template.yaml'), ...ALL_FORMATS]],
    [['scan', '--iac', fixture('iac/cloudformation'), ...ALL_FORMATS]],
    [['scan', '--iac', fixture('iac/network/template.yaml'), fixture('iac/trail/template.yaml'), ...ALL_FORMATS]],
    [['scan', '--iac', fixture('iac/terraform/plan.json'), ...ALL_FORMATS]],
    [['scan', '--demo', '--passed', 'full', ...ALL_FORMATS]],
    [['rules', '--json']],
    [['frameworks', 'hipaa']],
    [['--version']],
    [['--help']],
    [['policy', 'check', fixture('policies/risky')]],
    [['scan', '--iac', 'no-such-template.yaml']],
  ])('aigis %j: the same exit code, output and reports as the compiled files', (args) => {
    const files = run(path.join(dist, 'src/cli.js'), args);
    const bundled = run(path.join(outDir, manifest.entry), args);
    expect(files.code).not.toBeNull();
    if (args.includes('-o')) expect(Object.keys(files.files)).toHaveLength(4);
    expect(bundled).toEqual(files);
  });

  it.each([
    [['scan', '--iac', fixture('iac/equivalence/template.yaml'), ...ALL_FORMATS]],
    [['scan', '--demo', ...ALL_FORMATS]],
    [['rules']],
  ])('aigis %j loads no compiled file beside the bundle, and no AWS SDK client', (args) => {
    const { stderr, code } = run(path.join(outDir, manifest.entry), args, ['--import', hook]);
    expect(code).toBeLessThan(2);
    const modules = [...stderr.matchAll(/^module-watch: (\S+)$/gm)].map((m) => m[1]!);
    expect(modules.some((m) => m.includes(`/dist/${path.basename(outDir)}/`))).toBe(true);
    expect(modules.filter((m) => /\/dist\/(src|rules)\//.test(m))).toEqual([]);
    expect([...stderr.matchAll(/^sdk-watch: (\S+)$/gm)]).toEqual([]);
  });
});

describe('import.meta in bundled modules', () => {
  const urls = (code: string) => importMetaUrls(parseAst(code, { sourceType: 'module' }), code, 'm.js').map(([a, b]) => code.slice(a, b));

  it('finds import.meta.url in code, not in strings or comments', () => {
    expect(urls("const a = 'import.meta.url'; // import.meta.url\nconst b = new URL('x', import.meta.url); f(import.meta.url);")).toEqual(['import.meta.url', 'import.meta.url']);
  });

  it.each([['import.meta.dirname'], ['import.meta.resolve("x")'], ['import.meta'], ['import.meta["url"]']])('refuses %s, which the bundle would not carry over', (use) => {
    expect(() => urls(`const a = ${use};`)).toThrow(/import\.meta/);
  });
});

describe('the bundle manifest', () => {
  /** A compiled tree of two files and a bundle manifest of it. */
  function tree(): { dir: string; bundle: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'aigis-manifest-'));
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'rules'));
    mkdirSync(path.join(dir, 'bundle'));
    writeFileSync(path.join(dir, 'src/cli.js'), 'export const main = 1;\n');
    writeFileSync(path.join(dir, 'rules/a-rule.js'), 'export default 1;\n');
    writeFileSync(path.join(dir, 'rules/a-rule.js.map'), '{}');
    const modules = ['rules/a-rule.js', 'src/cli.js'];
    const written: BundleManifest = { format: MANIFEST_FORMAT, entry: 'cli.js', modules, rules: ['a-rule.js'], digest: modulesDigest(dir, modules)! };
    writeFileSync(path.join(dir, 'bundle/manifest.json'), JSON.stringify(written));
    return { dir, bundle: path.join(dir, 'bundle') };
  }

  it('is fresh while the compiled files are as they were, rewritten or not', () => {
    const { dir, bundle } = tree();
    expect(freshManifest(bundle, dir)?.entry).toBe('cli.js');
    writeFileSync(path.join(dir, 'src/cli.js'), 'export const main = 1;\n');
    expect(freshManifest(bundle, dir)).toBeDefined();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a module changed', (dir: string) => writeFileSync(path.join(dir, 'src/cli.js'), 'export const main = 2;\n')],
    ['a module changed, same length', (dir: string) => writeFileSync(path.join(dir, 'rules/a-rule.js'), 'export default 2;\n')],
    ['a module removed', (dir: string) => rmSync(path.join(dir, 'src/cli.js'))],
    ['a rule added', (dir: string) => writeFileSync(path.join(dir, 'rules/b-rule.js'), 'export default 1;\n')],
    ['a rule removed', (dir: string) => rmSync(path.join(dir, 'rules/a-rule.js'))],
    ['no manifest', (dir: string) => rmSync(path.join(dir, 'bundle/manifest.json'))],
    ['a manifest of another format', (dir: string) => writeFileSync(path.join(dir, 'bundle/manifest.json'), JSON.stringify({ format: 0 }))],
    ['an unreadable manifest', (dir: string) => writeFileSync(path.join(dir, 'bundle/manifest.json'), '{')],
  ])('is stale when %s', (_, change) => {
    const { dir, bundle } = tree();
    change(dir);
    expect(freshManifest(bundle, dir)).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });
});
