/**
 * Which Chromium the HTML report browser test drives, so that `npm ci && npm test` passes on a fresh
 * machine with nothing installed by hand:
 *
 * 1. `AIGIS_CHROMIUM=/path/to/chrome`, when set (it must exist);
 * 2. Debian's `/usr/bin/chromium`, when installed (skipped with `AIGIS_TEST_NO_SYSTEM_CHROMIUM=1`);
 * 3. otherwise the headless Chromium shipped in the npm devDependency `@sparticuz/chromium`. Its
 *    `executablePath()` decompresses the binary to the temp directory; the binary needs only
 *    glibc plus NSS, NSPR and expat, which the package ships as its Amazon Linux 2023 layer
 *    (`bin/al2023.tar.br`). We unpack that layer where the package itself does on AL2023
 *    (`<tmpdir>/al2023/lib`) and, as the package's own `setupLambdaEnvironment` does, put that
 *    directory first on `LD_LIBRARY_PATH` and point `FONTCONFIG_PATH` at its fonts: only in the
 *    browser's environment, never in this process's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumLaunch {
  /** `system`, `env` (AIGIS_CHROMIUM) or `@sparticuz/chromium`. */
  source: 'system' | 'env' | '@sparticuz/chromium';
  executablePath: string;
  args: string[];
  /** The browser's environment (undefined: inherit this process's). */
  env?: Record<string, string>;
}

/** Flags for Debian's chromium (and an AIGIS_CHROMIUM binary). */
const SYSTEM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Flags of the package's `args` left out. Three weaken the page's security model, and the test
 * checks that the report's Content-Security-Policy holds and that nothing is fetched, so the browser
 * must enforce what a user's browser enforces. `--single-process` (needed only inside Lambda's
 * sandbox) ends the browser when the first page's context closes; the test opens a page per case.
 */
const DROPPED_ARGS = new Set(['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials', '--single-process']);

export async function resolveChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLaunch> {
  const chosen = env.AIGIS_CHROMIUM;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`AIGIS_CHROMIUM=${chosen}: no such file`);
    return { source: 'env', executablePath: chosen, args: SYSTEM_ARGS };
  }
  if (env.AIGIS_TEST_NO_SYSTEM_CHROMIUM !== '1' && existsSync(SYSTEM_CHROMIUM)) {
    return { source: 'system', executablePath: SYSTEM_CHROMIUM, args: SYSTEM_ARGS };
  }
  return sparticuzChromium(env);
}

async function sparticuzChromium(env: NodeJS.ProcessEnv): Promise<ChromiumLaunch> {
  const { default: chromium } = await import('@sparticuz/chromium');
  // The package exports only its entry point (build/cjs/index.cjs); its brotli files are in bin/.
  const binDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..', 'bin');
  const libDir = await unpackLibraries(path.join(binDir, 'al2023.tar.br'));
  const browserEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) browserEnv[key] = value;
  const inherited = (env.LD_LIBRARY_PATH ?? '').split(':').filter((p) => p && p !== libDir);
  browserEnv.LD_LIBRARY_PATH = [libDir, ...new Set(inherited)].join(':');
  browserEnv.FONTCONFIG_PATH = env.FONTCONFIG_PATH ?? path.join(tmpdir(), 'fonts');
  const args = chromium.args.filter((arg) => !DROPPED_ARGS.has(arg));

  let executablePath = await chromium.executablePath();
  if (!runs(executablePath, browserEnv)) {
    // executablePath() reuses <tmpdir>/chromium when it exists: a run killed while decompressing
    // leaves a truncated binary there. Decompress it again, once.
    await rm(executablePath, { force: true });
    executablePath = await chromium.executablePath();
    const check = spawnSync(executablePath, ['--version'], { env: browserEnv, encoding: 'utf8', timeout: 30_000 });
    if (check.status !== 0) {
      throw new Error(
        `@sparticuz/chromium: ${executablePath} --version failed (${check.error?.message ?? `exit ${check.status}`}): ${(check.stderr ?? '').trim().split('\n')[0] ?? ''}`,
      );
    }
  }
  return { source: '@sparticuz/chromium', executablePath, args, env: browserEnv };
}

function runs(executable: string, env: Record<string, string>): boolean {
  const result = spawnSync(executable, ['--version'], { env, encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 && /\d+\.\d+/.test(result.stdout);
}

/**
 * Unpacks the package's NSS/NSPR/expat layer into <tmpdir>/al2023 (where the package itself puts it)
 * and returns its lib directory. Unpacked beside it first and renamed into place, so a killed run
 * never leaves a partial layer that later runs would trust.
 */
async function unpackLibraries(archive: string): Promise<string> {
  const target = path.join(tmpdir(), 'al2023');
  const libDir = path.join(target, 'lib');
  if (existsSync(path.join(libDir, 'libnss3.so'))) return libDir;
  const staging = await mkdtemp(path.join(tmpdir(), 'al2023-'));
  try {
    const tar = brotliDecompressSync(await readFile(archive));
    const untar = spawnSync('tar', ['-x', '-f', '-', '-C', staging], { input: tar });
    if (untar.status !== 0) throw new Error(`cannot unpack ${archive}: ${untar.error?.message ?? untar.stderr.toString().trim()}`);
    if (!existsSync(path.join(staging, 'lib', 'libnss3.so'))) throw new Error(`${archive} holds no lib/libnss3.so`);
    try {
      await rename(staging, target);
    } catch (error) {
      // Another run unpacked it first: use theirs.
      if (!existsSync(path.join(libDir, 'libnss3.so'))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return libDir;
}
