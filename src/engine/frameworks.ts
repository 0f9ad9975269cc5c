/**
 * Compliance frameworks are data: one YAML file per framework in frameworks/, each control with
 * its official short title and the ids of the rules that evidence it. Loading fails loudly on a
 * mapping to a rule that does not exist, so a typo can never silently drop evidence.
 *
 * Start-up: the YAML library and zod cost more than the rest of `aigis rules` together, so a file
 * in the plain shape the shipped files use (`key: value` lines, controls as `  - id:` items, rule
 * lists as `[a, b]`) is read line by line; anything else (quotes, multi-line values, a value YAML
 * would read as a number, an unknown key...) goes through the YAML parser and the zod schema
 * (framework-schema.ts), which give the same result or the error. test/frameworks.test.ts checks
 * both readings agree on every shipped file and on the shapes the plain reader declines.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, formatZodIssues } from './errors.js';
import { packageRoot } from './paths.js';

export interface Framework {
  id: string;
  name: string;
  version: string;
  url: string;
  description?: string;
  controls: {
    id: string;
    title: string;
    /** Section or family, for grouping in reports. */
    group?: string;
    rules: string[];
  }[];
}

/**
 * Files in frameworks/ that are not control catalogs: the map of the guidance's controls to rules,
 * read by scripts/generate-docs.ts for docs/coverage.md.
 */
export const NON_FRAMEWORK_FILES: ReadonlySet<string> = new Set(['guidance-controls.yaml']);

export function frameworksDir(): string {
  return path.join(packageRoot(), 'frameworks');
}

export async function loadFrameworks(knownRuleIds: Set<string>, dir = frameworksDir()): Promise<Framework[]> {
  const files = (await readdir(dir)).filter((f) => (f.endsWith('.yaml') || f.endsWith('.yml')) && !NON_FRAMEWORK_FILES.has(f)).sort();
  const frameworks: Framework[] = [];
  for (const file of files) {
    const full = path.join(dir, file);
    frameworks.push(checkFramework(await parseFrameworkText(await readFile(full, 'utf8'), full), full, knownRuleIds));
  }
  return frameworks;
}

/** A framework's controls have ids of their own and map only to rules that exist. */
function checkFramework(framework: Framework, file: string, knownRuleIds: ReadonlySet<string>, hint = ''): Framework {
  const seen = new Set<string>();
  framework.controls.forEach((control, i) => {
    if (seen.has(control.id)) throw new InputError(file, ['controls', i, 'id'], `duplicate control id ${control.id}`);
    seen.add(control.id);
    control.rules.forEach((ruleId, j) => {
      if (!knownRuleIds.has(ruleId)) {
        throw new InputError(file, ['controls', i, 'rules', j], `control ${control.id} maps to unknown rule "${ruleId}"${hint}`);
      }
    });
  });
  return framework;
}

/** A framework file is a few hundred controls; anything near this is not one. */
const MAX_FRAMEWORK_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Framework files the user names (`--framework-file FILE`, config `frameworkFiles`): the format of
 * frameworks/*.yaml, checked the same way, mapping built-in and custom rules (`knownRuleIds`) to
 * the controls of a catalog of the user's own (a company policy) or of another standard. Their ids
 * must differ from the built-in frameworks' (`builtIn`) and from each other. Errors name the file
 * as `shown`. In the order given.
 */
export async function loadFrameworkFiles(
  files: readonly { path: string; shown: string }[],
  knownRuleIds: ReadonlySet<string>,
  builtIn: readonly Framework[],
): Promise<Framework[]> {
  const { readInputFile } = await import('../inventory/input-text.js');
  const taken = new Map<string, string>(builtIn.map((f) => [f.id, 'a built-in framework']));
  const frameworks: Framework[] = [];
  for (const file of files) {
    const text = await readInputFile(file.path, file.shown, MAX_FRAMEWORK_FILE_BYTES, 'framework file');
    const framework = checkFramework(await parseFrameworkText(text, file.shown), file.shown, knownRuleIds, ' (see `aigis rules`; a custom rule needs its rules directory too)');
    const other = taken.get(framework.id);
    if (other) throw new InputError(file.shown, ['id'], `framework id "${framework.id}" is already the id of ${other}: give the catalog an id of its own`);
    taken.set(framework.id, file.shown);
    frameworks.push(framework);
  }
  return frameworks;
}

/** One framework file's text: the plain reading when it applies, else YAML and the zod schema. */
export async function parseFrameworkText(text: string, file: string): Promise<Framework> {
  return readPlainFramework(text) ?? parseFrameworkYaml(text, file);
}

/** The full reading: the YAML parser, then the zod schema (its error, or its output). */
export async function parseFrameworkYaml(text: string, file: string): Promise<Framework> {
  const [{ parse: parseYaml }, { frameworkSchema }] = await Promise.all([import('yaml'), import('./framework-schema.js')]);
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new InputError(file, [], `is not valid YAML: ${(error as Error).message.split('\n')[0]?.trim() ?? ''}`);
  }
  const parsed = frameworkSchema.safeParse(data);
  if (!parsed.success) throw new InputError(file, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  return parsed.data;
}

const TOP_KEYS = new Set(['id', 'name', 'version', 'url', 'description']);
const CONTROL_KEYS = new Set(['id', 'title', 'group', 'rules']);
/** `key: value` at the start of a line (after the indentation the caller removed). */
const KEY_LINE = /^([a-z]+):(?: (.*))?$/;
/** A rule id in a `[a, b]` list (`null`, `true` and `false` are not strings to YAML). */
const LIST_ITEM = /^(?!(?:null|true|false)$)[a-z][a-z0-9-]*$/;

/** Spaces off both ends (YAML's whitespace; String.trim would take other characters too). */
function spaceTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === ' ') start++;
  while (end > start && text[end - 1] === ' ') end--;
  return text.slice(start, end);
}

/** What YAML's core schema (the YAML parser's default) reads as null, a boolean or a number. */
const CORE_SCALARS = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

/**
 * A value YAML reads as a string, and that string: a plain value (no indicator first, no `: ` or
 * ` #` inside, nothing the core schema reads as null, a boolean or a number), or a one-line
 * "double-" or 'single-quoted' value with no escape or quote inside. Anything else is declined
 * (undefined: the caller then takes the full YAML reading).
 */
function plainString(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = spaceTrim(raw);
  if (value === '' || value.includes('\t')) return undefined;
  const quoted = /^"([^"\\]*)"$/.exec(value) ?? /^'([^']*)'$/.exec(value);
  if (quoted) return quoted[1];
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: |:$| #/.test(value)) return undefined;
  if (CORE_SCALARS.some((pattern) => pattern.test(value))) return undefined;
  return value;
}

/** `[a, b]` on one line, each a rule id; `[]` is empty. */
function plainList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const match = /^\[(.*)\]$/.exec(spaceTrim(raw));
  if (!match) return undefined;
  const inner = spaceTrim(match[1]!);
  if (inner === '') return [];
  const items = inner.split(',').map(spaceTrim);
  return items.every((item) => LIST_ITEM.test(item)) ? items : undefined;
}

/**
 * The framework in a file of the plain shape, exactly as the YAML parser and the zod schema give
 * it (the same keys in the same order), or undefined when the file is anything else, including a
 * file the schema would refuse.
 */
export function readPlainFramework(text: string): Framework | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  const top = new Map<string, string>();
  const controls: Map<string, string | string[]>[] = [];
  let state: 'top' | 'controls' = 'top';
  let sawControls = false;
  for (const line of text.split('\n')) {
    const content = line.replace(/^ +/, '');
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    if (indent === 0) {
      if (content === 'controls:') {
        if (sawControls) return undefined;
        sawControls = true;
        state = 'controls';
        continue;
      }
      const match = KEY_LINE.exec(content);
      const key = match?.[1];
      const value = plainString(match?.[2]);
      if (!key || !TOP_KEYS.has(key) || top.has(key) || value === undefined) return undefined;
      top.set(key, value);
      state = 'top';
      continue;
    }
    if (state !== 'controls') return undefined;
    let rest: string;
    if (indent === 2 && content.startsWith('- ')) {
      controls.push(new Map());
      rest = content.slice(2);
      if (rest.startsWith(' ')) return undefined;
    } else if (indent === 4 && controls.length) {
      rest = content;
    } else {
      return undefined;
    }
    const control = controls[controls.length - 1]!;
    const match = KEY_LINE.exec(rest);
    const key = match?.[1];
    if (!key || !CONTROL_KEYS.has(key) || control.has(key)) return undefined;
    const value = key === 'rules' ? plainList(match[2]) : plainString(match[2]);
    if (value === undefined) return undefined;
    control.set(key, value);
  }
  const [id, name, version, url, description] = ['id', 'name', 'version', 'url', 'description'].map((k) => top.get(k));
  // The schema's url() check trims the value it returns: a URL with spaces around it is left to it.
  if (!id || !name || !version || !url || !/^[a-z0-9-]+$/.test(id) || url !== url.trim() || !URL.canParse(url) || controls.length === 0) return undefined;
  const framework: Framework = { id, name, version, url, ...(description !== undefined ? { description } : {}), controls: [] };
  for (const control of controls) {
    const cid = control.get('id');
    const title = control.get('title');
    const group = control.get('group');
    if (typeof cid !== 'string' || typeof title !== 'string') return undefined;
    framework.controls.push({ id: cid, title, ...(typeof group === 'string' ? { group } : {}), rules: (control.get('rules') as string[] | undefined) ?? [] });
  }
  return framework;
}
