/**
 * `npm run bench`: runs every benchmark module next to this file (`*-bench.js` once compiled),
 * in name order (modules exporting `runLast = true` after the others), each under a header. A
 * module exports `async function run(): Promise<void>` that
 * prints its own figures and sets process.exitCode = 1 when it misses a target; one module failing
 * to load or throwing does not stop the others.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run?: () => Promise<void>;
  /** Run after the others (e.g. one that writes hundreds of megabytes and would disturb their timings). */
  runLast?: boolean;
}

async function main(): Promise<void> {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const extension = path.extname(fileURLToPath(import.meta.url));
  const modules = (await readdir(dir)).filter((file) => file.endsWith(`-bench${extension}`)).sort();
  if (modules.length === 0) {
    console.error(`no *-bench${extension} modules in ${dir}`);
    process.exitCode = 1;
    return;
  }
  console.log(`aigis benchmarks: node ${process.version}, ${process.platform}/${process.arch}`);
  const loaded: { file: string; mod: BenchModule | Error }[] = [];
  for (const file of modules) {
    try {
      loaded.push({ file, mod: (await import(pathToFileURL(path.join(dir, file)).href)) as BenchModule });
    } catch (error) {
      loaded.push({ file, mod: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  const last = (entry: (typeof loaded)[number]) => (entry.mod instanceof Error ? false : entry.mod.runLast === true);
  loaded.sort((a, b) => Number(last(a)) - Number(last(b)));
  for (const { file, mod } of loaded) {
    const name = file.slice(0, -`-bench${extension}`.length);
    console.log(`\n== ${name} ${'='.repeat(Math.max(3, 60 - name.length))}`);
    const started = performance.now();
    try {
      if (mod instanceof Error) throw mod;
      if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
      await mod.run();
    } catch (error) {
      console.log(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    }
    console.log(`  (${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

await main();
