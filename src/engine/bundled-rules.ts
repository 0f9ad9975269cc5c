/**
 * The rule modules compiled into the bundle (dist/bundle, scripts/build-bundle.ts). The bundle's
 * entry registers them here; the registry takes them instead of importing dist/rules file by
 * file, which would load a second copy of every module the rules import beside the bundle's.
 * Nothing is registered when aigis runs from the compiled files one by one (tests, a tsc-only build).
 */
import type { Rule } from './types.js';

type RuleModule = { default?: Rule };

let provided: { files: readonly string[]; load: () => Promise<readonly RuleModule[]> } | undefined;

/** Called by the bundle's entry: the rule files it holds (sorted, as ruleFileNames lists them) and how to load their modules, in that order. */
export function provideBundledRules(files: readonly string[], load: () => Promise<readonly RuleModule[]>): void {
  provided = { files, load };
}

/** The bundled modules of `files`, in that order, when the bundle holds exactly those files; else undefined. */
export async function bundledRuleModules(files: readonly string[]): Promise<RuleModule[] | undefined> {
  if (!provided || provided.files.length !== files.length || provided.files.some((f, i) => f !== files[i])) return undefined;
  return [...(await provided.load())];
}
