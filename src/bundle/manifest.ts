/**
 * The bundle's record of what it was built from (dist/bundle/manifest.json, written by
 * scripts/build-bundle.ts), and the check that it still matches the compiled files.
 *
 * The bundle is a build artifact made from the compiled files in dist/. A later `tsc` that
 * changes any of them (or a rule file added or removed) makes it stale; a stale bundle is never
 * run: the launcher (launch.ts) then loads the compiled files one by one, as without a bundle.
 * Content, not modification times, decides: tsc rewriting the same text keeps the bundle in use,
 * and a package installed with normalized times is judged by what its files say.
 *
 * Imports node built-ins and rule-files.ts only: the launcher loads this module beside the bundle.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ruleFileNames } from '../engine/rule-files.js';

export const MANIFEST_FORMAT = 1;

export interface BundleManifest {
  format: typeof MANIFEST_FORMAT;
  /** The entry chunk (exports `main`, as src/cli.ts), relative to the bundle directory. */
  entry: string;
  /** Every compiled module the bundle holds, relative to dist/, with `/` separators, sorted. */
  modules: string[];
  /** The rule files it holds: dist/rules as ruleFileNames lists it. */
  rules: string[];
  /** modulesDigest of `modules`. */
  digest: string;
}

/** dist/ (this module is dist/src/bundle/manifest.js once compiled). */
export function distRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
}

/** Where the build writes the bundle: dist/bundle. */
export function bundleDir(root = distRoot()): string {
  return path.join(root, 'bundle');
}

/** SHA-256 over each module's path, length and bytes, in the order given; undefined when one cannot be read. */
export function modulesDigest(root: string, modules: readonly string[]): string | undefined {
  const hash = createHash('sha256');
  for (const module of modules) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(root, module));
    } catch {
      return undefined;
    }
    hash.update(`${module}\u0000${bytes.length}\u0000`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** The rule files of `root`/rules, as the registry lists them. */
export function ruleFilesIn(root: string): string[] | undefined {
  try {
    return ruleFileNames(readdirSync(path.join(root, 'rules')));
  } catch {
    return undefined;
  }
}

/**
 * The manifest of the bundle in `dir` when the bundle matches the compiled files under `root`
 * (same rule files, same bytes in every module it holds); undefined when there is no bundle or
 * it is stale.
 */
export function freshManifest(dir = bundleDir(), root = distRoot()): BundleManifest | undefined {
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
  } catch {
    return undefined;
  }
  if (manifest?.format !== MANIFEST_FORMAT || typeof manifest.entry !== 'string' || !Array.isArray(manifest.modules) || !Array.isArray(manifest.rules)) return undefined;
  const rules = ruleFilesIn(root);
  if (!rules || rules.length !== manifest.rules.length || rules.some((f, i) => f !== manifest.rules[i])) return undefined;
  return modulesDigest(root, manifest.modules) === manifest.digest ? manifest : undefined;
}
