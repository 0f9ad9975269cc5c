/**
 * Custom rules: the rule modules of the directories a user names (`--rules-dir DIR`, config
 * `rulesDirs`), loaded beside the built-in rules. Each .js/.mjs file in such a directory is a rule
 * module that default-exports `defineRule({ meta, evaluate })` (docs/writing-rules.md).
 *
 * A rule directory is code the user chose to run, like an ESLint plugin: it is never looked for in
 * a scanned repository (see src/commands/extensions.ts for where directories may come from).
 *
 * Every problem is an InputError naming the file (and, for the meta, the JSON path of the field),
 * printed as one line with exit 2: a module that cannot be imported, one that exports no rule, a
 * meta the built-in rules' schema (rule-meta-schema.ts) refuses, an id already taken. A rule that
 * throws while it evaluates, or yields something that is not a result, stops the scan the same way.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, formatZodIssues } from './errors.js';
import { VERDICTS, type Rule, type RuleContext, type RuleResult } from './types.js';

/** A file or directory the user named: its absolute path, and how messages name it. */
export interface UserPath {
  path: string;
  shown: string;
}

/** Which files of a custom rules directory are rule modules: .js and .mjs, not hidden, sorted. */
export function customRuleFileNames(entries: readonly string[]): string[] {
  return entries.filter((f) => !f.startsWith('.') && (f.endsWith('.js') || f.endsWith('.mjs'))).sort();
}

/**
 * The rules of `dirs`, checked against each other and the built-in rules (`builtIn`), each wrapped
 * so that a failure while it evaluates names its file. In directory order, then file order.
 */
export async function loadCustomRules(dirs: readonly UserPath[], builtIn: readonly Rule[]): Promise<Rule[]> {
  if (dirs.length) await resolveRuleApi();
  const taken = new Map<string, string>(builtIn.map((r) => [r.meta.id, 'a built-in rule']));
  const rules: Rule[] = [];
  for (const dir of dirs) {
    for (const file of await ruleFiles(dir)) {
      const rule = await importRule(file);
      const id = rule.meta.id;
      const other = taken.get(id);
      if (other) {
        throw new InputError(file.shown, ['meta', 'id'], `rule id "${id}" is already the id of ${other}: give each custom rule an id of its own (a company prefix keeps them apart)`);
      }
      taken.set(id, file.shown);
      rules.push(guarded(rule, file.shown));
    }
  }
  return rules;
}

let hooked = false;

/**
 * `import ... from 'aigis'` in a rule module gives the rule API of this aigis (src/api/resolve-hook.ts),
 * registered once, before the first rule module is imported. Without the compiled hook (aigis run
 * from its TypeScript sources), the package resolves as Node resolves it.
 */
async function resolveRuleApi(): Promise<void> {
  if (hooked) return;
  hooked = true;
  const hook = new URL('../api/resolve-hook.js', import.meta.url);
  const api = new URL('../api/rules.js', import.meta.url);
  if (!existsSync(hook) || !existsSync(api)) return;
  const { register } = await import('node:module');
  register(hook.href, { data: { api: api.href } });
}

async function ruleFiles(dir: UserPath): Promise<UserPath[]> {
  let entries: string[];
  try {
    if (!(await stat(dir.path)).isDirectory()) throw new InputError(dir.shown, [], 'is not a directory (a rules directory holds .js/.mjs rule modules)');
    entries = await readdir(dir.path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(dir.shown, [], `cannot read the rules directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const files = customRuleFileNames(entries);
  if (!files.length) throw new InputError(dir.shown, [], 'has no rule module (.js or .mjs file)');
  return files.map((name) => ({ path: path.join(dir.path, name), shown: path.join(dir.shown, name) }));
}

/** The first line of an error's message, for one-line reports. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error').trim();
}

async function importRule(file: UserPath): Promise<Rule> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file.path).href)) as { default?: unknown };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const hint =
      code === 'ERR_MODULE_NOT_FOUND' && /['"]aigis['"/]/.test(firstLine(error))
        ? ' (the rule API is the aigis package: install aigis where this directory resolves packages, e.g. npm install --save-dev aigis in its project)'
        : '';
    throw new InputError(file.shown, [], `the rule module could not be loaded: ${firstLine(error)}${hint}`);
  }
  const rule = module.default as Partial<Rule> | undefined;
  if (typeof rule !== 'object' || rule === null || typeof rule.evaluate !== 'function') {
    throw new InputError(file.shown, [], 'a rule module must default-export defineRule({ meta, evaluate })');
  }
  const { customRuleMetaSchema } = await import('./rule-meta-schema.js');
  const meta = customRuleMetaSchema.safeParse(rule.meta);
  if (!meta.success) {
    // A misspelt key also makes the key it should have been "missing": the misspelling is named first.
    const issues = [...meta.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const first = issues[0];
    const at = first?.code === 'unrecognized_keys' && first.keys[0] !== undefined ? [...first.path, first.keys[0]] : (first?.path ?? []);
    throw new InputError(file.shown, ['meta', ...at], `invalid rule meta: ${formatZodIssues(issues)}`);
  }
  return rule as Rule;
}

/** What is wrong with a value a rule yielded, or undefined when it is a result. */
export function resultProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `expected a result object, got ${value === null ? 'null' : typeof value}`;
  const result = value as Partial<Record<keyof RuleResult, unknown>>;
  if (!(VERDICTS as readonly unknown[]).includes(result.verdict)) return `verdict must be one of ${VERDICTS.join(', ')} (got ${JSON.stringify(result.verdict) ?? 'nothing'})`;
  if (typeof result.message !== 'string' || result.message === '') return 'message must be a non-empty string';
  const resource = result.resource as Record<string, unknown> | undefined;
  if (typeof resource !== 'object' || resource === null) return 'resource must be an object (resourceRef(arn, type, region, name))';
  for (const key of ['arn', 'type', 'region'] as const) {
    if (typeof resource[key] !== 'string' || resource[key] === '') return `resource.${key} must be a non-empty string`;
  }
  if (resource.name !== undefined && typeof resource.name !== 'string') return 'resource.name must be a string';
  if (result.evidence !== undefined && (typeof result.evidence !== 'object' || result.evidence === null || Array.isArray(result.evidence))) return 'evidence must be an object';
  if (result.property !== undefined && typeof result.property !== 'string') return 'property must be a string';
  return undefined;
}

/**
 * The rule with an evaluate that names its file when the rule throws or yields a value that is
 * not a result: a scan never reports a custom rule's bug as aigis's internal error.
 */
function guarded(rule: Rule, shown: string): Rule {
  const id = rule.meta.id;
  const fail = (what: string) => new InputError(shown, [], `rule ${id} ${what}`);
  return {
    meta: rule.meta,
    *evaluate(context: RuleContext): Generator<RuleResult> {
      let iterator: Iterator<unknown>;
      try {
        const results = rule.evaluate(context) as Iterable<unknown> | undefined;
        if (typeof results?.[Symbol.iterator] !== 'function') throw fail('evaluate(context) must return an iterable of results (write it as a generator: *evaluate(context) { yield ... })');
        iterator = results[Symbol.iterator]();
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw fail(`failed while evaluating: ${firstLine(error)}`);
      }
      for (;;) {
        let step: IteratorResult<unknown>;
        try {
          step = iterator.next();
        } catch (error) {
          throw fail(`failed while evaluating: ${firstLine(error)}`);
        }
        if (step.done) return;
        const problem = resultProblem(step.value);
        if (problem) throw fail(`yielded an invalid result: ${problem}`);
        yield step.value as RuleResult;
      }
    },
  };
}
