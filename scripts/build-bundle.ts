/**
 * Writes dist/bundle: the compiled CLI (dist/src/cli.js, everything it imports, statically or
 * not, and the rule modules of dist/rules) bundled into a few files, with a manifest of the
 * compiled files it was made from (src/bundle/manifest.ts). bin/aigis.js runs it while it matches
 * them (src/bundle/launch.ts): loading ~200 modules one by one was a third of a one-template scan.
 * Run by `npm run build` (and `prepare`) after the compiler.
 *
 * The bundle holds the same code: packages (node_modules) and node built-ins stay imports,
 * dynamic imports stay dynamic (loaded when reached, as before), and `import.meta.url` keeps
 * naming each module's compiled file, so every path a module finds from its own location (the
 * package root, rules/, the worker file, packages it resolves with createRequire) is the one it
 * found before. The rule modules are registered with src/engine/bundled-rules.ts, so the registry
 * never imports a second copy of them from dist/rules.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MANIFEST_FORMAT, bundleDir, distRoot, modulesDigest, ruleFilesIn, type BundleManifest } from '../src/bundle/manifest.js';

const ENTRY = 'aigis:entry';
const RULES = 'aigis:rules';
/** The entry chunk's file name in the bundle directory. */
const ENTRY_FILE = 'cli.js';

/** Bundles the compiled tree under `root` (dist/) into `outDir` (dist/bundle); the manifest written. */
export async function buildBundle(root = distRoot(), outDir = bundleDir(root)): Promise<BundleManifest> {
  return build(await loadBundler(), root, outDir);
}

type Bundler = { rolldown: typeof import('rolldown').rolldown; parseAst: typeof import('rolldown/parseAst').parseAst };

async function loadBundler(): Promise<Bundler> {
  const [{ rolldown }, { parseAst }] = await Promise.all([import('rolldown'), import('rolldown/parseAst')]);
  return { rolldown, parseAst };
}

async function build({ rolldown, parseAst }: Bundler, root: string, outDir: string): Promise<BundleManifest> {
  const rules = ruleFilesIn(root);
  if (!rules?.length) throw new Error(`no compiled rules in ${path.join(root, 'rules')}: run tsc first`);
  const inRoot = (id: string) => !path.relative(root, id).startsWith('..') && !path.isAbsolute(path.relative(root, id));
  const specifier = (file: string) => JSON.stringify(file);

  const bundle = await rolldown({
    input: { cli: ENTRY },
    platform: 'node',
    logLevel: 'warn',
    // Packages and built-ins are loaded from node_modules as before (bare specifiers, node:).
    external: (source) => !source.startsWith('.') && !path.isAbsolute(source) && source !== ENTRY && source !== RULES,
    plugins: [
      {
        name: 'aigis-bundle',
        resolveId(source) {
          return source === ENTRY || source === RULES ? `\0${source}` : null;
        },
        load(id) {
          if (id === `\0${ENTRY}`) {
            return [
              `import { provideBundledRules } from ${specifier(path.join(root, 'src/engine/bundled-rules.js'))};`,
              `provideBundledRules(${JSON.stringify(rules)}, () => import(${specifier(RULES)}).then((m) => m.modules));`,
              `export { main } from ${specifier(path.join(root, 'src/cli.js'))};`,
            ].join('\n');
          }
          if (id === `\0${RULES}`) {
            const imports = rules.map((file, i) => `import * as r${i} from ${specifier(path.join(root, 'rules', file))};`);
            return `${imports.join('\n')}\nexport const modules = [${rules.map((_, i) => `r${i}`).join(', ')}];\n`;
          }
          return null;
        },
        transform(code, id) {
          if (id.startsWith('\0')) return null;
          if (!inRoot(id)) throw new Error(`${id}: outside ${root}; the bundle holds the compiled tree only`);
          // import.meta.url, as the module's compiled file: resolved from the chunk, which sits in outDir.
          const ranges = importMetaUrls(parseAst(code, { sourceType: 'module' }), code, id);
          if (!ranges.length) return null;
          const own = `new URL(${specifier(path.relative(outDir, id).split(path.sep).join('/'))}, import.meta.url).href`;
          let rewritten = '';
          let at = 0;
          for (const [start, end] of ranges) {
            rewritten += code.slice(at, start) + own;
            at = end;
          }
          return { code: rewritten + code.slice(at), map: null };
        },
      },
    ],
  });

  const temporary = `${outDir}.${process.pid}.tmp`;
  await rm(temporary, { recursive: true, force: true });
  try {
    const { output } = await bundle.write({
      dir: temporary,
      format: 'esm',
      entryFileNames: ENTRY_FILE,
      chunkFileNames: '[name]-[hash].js',
      // Whitespace and comments only: a quarter less text for V8 to scan at each start, with the
      // same statements and names (no compression, no mangling).
      minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
    });
    await bundle.close();
    const modules = [
      ...new Set(output.flatMap((chunk) => (chunk.type === 'chunk' ? chunk.moduleIds : [])).filter((id) => !id.startsWith('\0')).map((id) => path.relative(root, id).split(path.sep).join('/'))),
    ].sort();
    const digest = modulesDigest(root, modules);
    if (!digest) throw new Error('a bundled module could not be read back');
    const manifest: BundleManifest = { format: MANIFEST_FORMAT, entry: ENTRY_FILE, modules, rules, digest };
    await writeFile(path.join(temporary, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(outDir, { recursive: true, force: true });
    await mkdir(path.dirname(outDir), { recursive: true });
    await rename(temporary, outDir);
    return manifest;
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

/**
 * Where a module reads `import.meta.url` (offsets into `code`, in order), from its syntax tree:
 * strings and comments that mention it are left alone. Any other use of `import.meta` fails the
 * build, since the bundle would not carry it over.
 */
export function importMetaUrls(program: object, code: string, id: string): [number, number][] {
  type Node = { type?: unknown; start?: number; end?: number; computed?: boolean; object?: unknown; property?: { name?: unknown }; meta?: { name?: unknown } };
  const found: [number, number][] = [];
  const visit = (node: unknown, parent: Node | undefined): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, parent);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'MetaProperty' && n.meta?.name === 'import') {
      const url = parent?.type === 'MemberExpression' && parent.object === node && !parent.computed && parent.property?.name === 'url';
      if (!url || code.slice(parent.start, parent.end) !== 'import.meta.url') {
        throw new Error(`${id}: uses import.meta other than as import.meta.url, which the bundle does not carry over`);
      }
      found.push([parent.start!, parent.end!]);
      return;
    }
    for (const key of Object.keys(n)) visit((n as Record<string, unknown>)[key], n);
  };
  visit(program, undefined);
  return found.sort((a, b) => a[0] - b[0]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let bundler: Bundler | undefined;
  try {
    bundler = await loadBundler();
  } catch {
    // The bundler is a devDependency: without it there is no bundle, and aigis loads the compiled
    // files one by one (the same behaviour, slower to start). An older bundle is removed with it.
    await rm(bundleDir(), { recursive: true, force: true });
    console.log(`rolldown is not installed: no bundle in ${bundleDir()}; aigis runs the compiled files one by one`);
  }
  if (bundler) {
    const manifest = await build(bundler, distRoot(), bundleDir());
    console.log(`wrote ${bundleDir()}: ${manifest.modules.length} modules (${manifest.rules.length} rules)`);
  }
}
