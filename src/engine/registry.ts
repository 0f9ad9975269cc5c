/**
 * Rules are discovered, not registered: every module in rules/ that default-exports a rule is
 * loaded. Adding a rule is one new file there plus mapping lines in frameworks/.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SEVERITIES, type Rule } from './types.js';
import { bundledRuleModules } from './bundled-rules.js';
import { ruleFileNames } from './rule-files.js';

/** rules/ sits two levels above this module both in the source tree and in dist/. */
export function rulesDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../rules');
}

let cached: Promise<Rule[]> | undefined;

export function loadRules(dir = rulesDir()): Promise<Rule[]> {
  if (dir === rulesDir()) return (cached ??= discover(dir));
  return discover(dir);
}

async function discover(dir: string): Promise<Rule[]> {
  const files = ruleFileNames(await readdir(dir));
  // Run from the bundle, the shipped rules are in it (src/engine/bundled-rules.ts). Otherwise
  // imported together (their files are read while others compile); checked in file order, so the
  // first broken file is the one reported, as when they were imported one by one.
  const bundled = dir === rulesDir() ? await bundledRuleModules(files) : undefined;
  const loaded: PromiseSettledResult<{ default?: Rule }>[] = bundled
    ? bundled.map((value) => ({ status: 'fulfilled', value }))
    : await Promise.allSettled(files.map((file) => import(pathToFileURL(path.join(dir, file)).href) as Promise<{ default?: Rule }>));
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const [i, file] of files.entries()) {
    const settled = loaded[i]!;
    if (settled.status === 'rejected') throw settled.reason;
    const rule = settled.value.default;
    if (!rule || typeof rule.evaluate !== 'function') throw new Error(`${file}: a rule module must default-export defineRule({...})`);
    if (!plainMetaValid(rule.meta)) {
      // The zod schema (loaded only for a meta the quick check doubts) gives the verdict and the message.
      const { ruleMetaSchema } = await import('./rule-meta-schema.js');
      const meta = ruleMetaSchema.safeParse(rule.meta);
      if (!meta.success) throw new Error(`${file}: invalid rule meta: ${meta.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const other = seen.get(rule.meta.id);
    if (other) throw new Error(`${file}: rule id ${rule.meta.id} is already used by ${other}`);
    seen.set(rule.meta.id, file);
    rules.push(rule);
  }
  // Ids of lower-case letters, digits and hyphens (every shipped rule's) sort the same by code
  // unit as by localeCompare, whose first call costs a one-template scan ~10 ms of collator set-up.
  if (rules.every((r) => PLAIN_ID.test(r.meta.id))) return rules.sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  return rules.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}

/** Rule ids that order the same by code unit as by localeCompare (test/registry-order.test.ts). */
export const PLAIN_ID = /^[a-z0-9-]+$/;

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
const nonEmptyStrings = (value: unknown): boolean => Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');

/**
 * A quick check that accepts only metas the zod schema (rule-meta-schema.ts) accepts: every rule
 * shipped passes it, so `aigis rules` and a scan never load zod for the rules. A meta it doubts
 * goes to the schema, which decides.
 */
function plainMetaValid(meta: unknown): boolean {
  if (typeof meta !== 'object' || meta === null) return false;
  const m = meta as Record<string, unknown>;
  const remediation = m.remediation as Record<string, unknown> | undefined;
  return (
    typeof m.id === 'string' &&
    /^[a-z0-9]+(-[a-z0-9]+)+$/.test(m.id) &&
    nonEmpty(m.title) &&
    (SEVERITIES as readonly unknown[]).includes(m.severity) &&
    nonEmpty(m.service) &&
    nonEmptyStrings(m.resourceTypes) &&
    nonEmpty(m.description) &&
    nonEmpty(m.rationale) &&
    typeof remediation === 'object' &&
    remediation !== null &&
    !Array.isArray(remediation) &&
    nonEmptyStrings(remediation.console) &&
    nonEmpty(remediation.cli) &&
    nonEmpty(remediation.cloudformation) &&
    nonEmpty(remediation.terraform) &&
    Array.isArray(m.references) &&
    m.references.every((r) => typeof r === 'string' && r === r.trim() && /^https?:\/\/\S+$/.test(r) && URL.canParse(r))
  );
}
