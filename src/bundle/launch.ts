/**
 * What bin/aigis.js runs: the bundle of the compiled code (dist/bundle, scripts/build-bundle.ts)
 * when it matches the compiled files, else those files one by one. Loading ~200 modules one by
 * one (each resolved, read, compiled and linked on its own) was a third of a one-template scan;
 * the bundle is the same code in a few files.
 *
 * AIGIS_BUNDLE=off runs the compiled files one by one (tests that watch which modules a command
 * loads, test/startup.test.ts, name them by their compiled paths).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleDir, freshManifest } from './manifest.js';

type Main = typeof import('../cli.js').main;

export async function loadMain(env: NodeJS.ProcessEnv = process.env): Promise<Main> {
  if (env.AIGIS_BUNDLE !== 'off') {
    const dir = bundleDir();
    const manifest = freshManifest(dir);
    if (manifest) {
      try {
        return ((await import(pathToFileURL(path.join(dir, manifest.entry)).href)) as { main: Main }).main;
      } catch {
        // An incomplete bundle directory: the compiled files give the same result (or the same error).
      }
    }
  }
  return (await import('../cli.js')).main;
}
