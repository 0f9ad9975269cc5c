/**
 * Where custom rules and framework files come from: `--rules-dir DIR` and `--framework-file FILE`
 * (each repeatable, relative to the working directory) and the config keys `rulesDirs` and
 * `frameworkFiles` (relative to the config file's directory).
 *
 * A rules directory is code that aigis runs. A config file found in the working directory (not
 * named with --config) may be the scanned repository's own, from a pull request: its `rulesDirs`
 * are refused with an error rather than run, so that scanning a checkout never executes code from
 * it. Framework files are data and are read from either.
 */
import path from 'node:path';
import type { AigisConfig } from '../engine/config.js';
import { InputError, UsageError } from '../engine/errors.js';
import type { UserPath } from '../engine/custom-rules.js';
import type { Io } from './io.js';

export type { UserPath };

export interface Extensions {
  rulesDirs: UserPath[];
  frameworkFiles: UserPath[];
}

export interface ExtensionFlags {
  rulesDir?: string[] | string;
  frameworkFile?: string[] | string;
}

export interface ConfigSource {
  config: AigisConfig;
  /** As messages name it. */
  file?: string;
  /** Absolute path. */
  path?: string;
  /** Named with --config. */
  explicit?: boolean;
}

export function hasExtensions(extensions: Extensions | undefined): extensions is Extensions {
  return extensions !== undefined && (extensions.rulesDirs.length > 0 || extensions.frameworkFiles.length > 0);
}

export function resolveExtensions(flags: ExtensionFlags, source: ConfigSource, io: Io): Extensions {
  const shown = (absolute: string) => path.relative(io.cwd, absolute) || '.';
  const fromFlag = (values: string[] | string | undefined, flag: string): UserPath[] =>
    (values === undefined ? [] : Array.isArray(values) ? values : [values]).map((value) => {
      const text = String(value);
      if (text.trim() === '') throw new UsageError(`${flag}: empty path`);
      const absolute = path.resolve(io.cwd, text);
      return { path: absolute, shown: shown(absolute) };
    });
  const { config } = source;
  const base = source.path ? path.dirname(source.path) : io.cwd;
  const fromConfig = (values: string[] | undefined): UserPath[] =>
    (values ?? []).map((value) => {
      const absolute = path.resolve(base, value);
      return { path: absolute, shown: shown(absolute) };
    });
  if (config.rulesDirs?.length && !source.explicit) {
    throw new InputError(
      source.file ?? 'config',
      ['rulesDirs'],
      'rule directories are code that aigis runs, so they are loaded only from a config named with --config (or given with --rules-dir), never from a config found in the working directory, which may be the scanned repository\'s',
    );
  }
  return {
    rulesDirs: unique([...fromConfig(config.rulesDirs), ...fromFlag(flags.rulesDir, '--rules-dir')]),
    frameworkFiles: unique([...fromConfig(config.frameworkFiles), ...fromFlag(flags.frameworkFile, '--framework-file')]),
  };
}

/** Each path once (the config and a flag may name the same one), first mention first. */
function unique(paths: UserPath[]): UserPath[] {
  const seen = new Set<string>();
  return paths.filter((p) => !seen.has(p.path) && seen.add(p.path));
}
