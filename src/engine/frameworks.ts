/**
 * Compliance frameworks are data: one YAML file per framework in frameworks/, each control with
 * its official short title and the ids of the rules that evidence it. Loading fails loudly on a
 * mapping to a rule that does not exist, so a typo can never silently drop evidence.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, formatZodIssues } from './errors.js';
import { packageRoot } from './paths.js';

export const frameworkSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  version: z.string(),
  url: z.string().url(),
  description: z.string().optional(),
  controls: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        /** Section or family, for grouping in reports. */
        group: z.string().optional(),
        rules: z.array(z.string()).default([]),
      }),
    )
    .min(1),
});
export type Framework = z.infer<typeof frameworkSchema>;

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
    let data: unknown;
    try {
      data = parseYaml(await readFile(full, 'utf8'));
    } catch (error) {
      throw new InputError(full, [], `is not valid YAML: ${(error as Error).message}`);
    }
    const parsed = frameworkSchema.safeParse(data);
    if (!parsed.success) throw new InputError(full, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
    const framework = parsed.data;
    const seen = new Set<string>();
    framework.controls.forEach((control, i) => {
      if (seen.has(control.id)) throw new InputError(full, ['controls', i, 'id'], `duplicate control id ${control.id}`);
      seen.add(control.id);
      control.rules.forEach((ruleId, j) => {
        if (!knownRuleIds.has(ruleId)) {
          throw new InputError(full, ['controls', i, 'rules', j], `control ${control.id} maps to unknown rule "${ruleId}"`);
        }
      });
    });
    frameworks.push(framework);
  }
  return frameworks;
}
