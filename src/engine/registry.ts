/**
 * Rules are discovered, not registered: every module in rules/ that default-exports a rule is
 * loaded. Adding a rule is one new file there plus mapping lines in frameworks/.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { SEVERITIES, type Rule } from './types.js';

/** rules/ sits two levels above this module both in the source tree and in dist/. */
export function rulesDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../rules');
}

const metaSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/, 'rule ids are kebab-case with a service prefix'),
  title: z.string().min(1),
  severity: z.enum(SEVERITIES),
  service: z.string().min(1),
  resourceTypes: z.array(z.string()).min(1),
  description: z.string().min(1),
  rationale: z.string().min(1),
  remediation: z.object({
    console: z.array(z.string()).min(1),
    cli: z.string().min(1),
    cloudformation: z.string().min(1),
    terraform: z.string().min(1),
  }),
  references: z.array(z.string().url()),
});

let cached: Promise<Rule[]> | undefined;

export function loadRules(dir = rulesDir()): Promise<Rule[]> {
  if (dir === rulesDir()) return (cached ??= discover(dir));
  return discover(dir);
}

async function discover(dir: string): Promise<Rule[]> {
  const files = (await readdir(dir))
    .filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.js'))
    .sort();
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: Rule };
    const rule = mod.default;
    if (!rule || typeof rule.evaluate !== 'function') throw new Error(`${file}: a rule module must default-export defineRule({...})`);
    const meta = metaSchema.safeParse(rule.meta);
    if (!meta.success) throw new Error(`${file}: invalid rule meta: ${meta.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const other = seen.get(rule.meta.id);
    if (other) throw new Error(`${file}: rule id ${rule.meta.id} is already used by ${other}`);
    seen.set(rule.meta.id, file);
    rules.push(rule);
  }
  return rules.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}
