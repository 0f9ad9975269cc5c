/** `--config FILE`: shared by `aigis scan` and `aigis policy check` (loaded when either runs). */
import path from 'node:path';
import { DEFAULT_CONFIG, loadConfig, resolveConfigFile, type AigisConfig } from '../engine/config.js';
import type { Io } from './io.js';

/** --config FILE, else aigis.config.{json,yaml,yml} in the working directory, else defaults. */
export async function loadConfigOption(
  file: string | undefined,
  io: Io,
): Promise<{ config: AigisConfig; file?: string; /** The config file's absolute path. */ path?: string; /** Named with --config (not found in the working directory). */ explicit?: boolean }> {
  const resolved = await resolveConfigFile(file, io.cwd);
  if (!resolved) return { config: DEFAULT_CONFIG };
  const shown = path.relative(io.cwd, resolved) || resolved;
  return { config: await loadConfig(resolved, shown), file: shown, path: resolved, explicit: file !== undefined };
}
