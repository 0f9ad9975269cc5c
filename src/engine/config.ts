/**
 * aigis.config.json / .yaml: which rules run and how severe they are, the Bedrock model
 * allowlist, the frameworks to report. Validated with zod; errors name the file and JSON path.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, formatZodIssues } from './errors.js';
import { SEVERITIES, type RuleSettings, type Severity } from './types.js';

/**
 * Default allowlist: current generally available text, chat and embedding model families from
 * the major Bedrock providers. Deliberately excludes legacy families (Claude 1/2, Titan Text G1
 * Lite/Express predecessors such as Jurassic) so that a default scan flags access to them.
 */
export const DEFAULT_APPROVED_MODELS: readonly string[] = [
  'amazon.nova-*',
  'amazon.titan-embed-*',
  'amazon.titan-text-*',
  'anthropic.claude-3-*',
  'anthropic.claude-3-5-*',
  'anthropic.claude-3-7-*',
  'anthropic.claude-sonnet-4*',
  'anthropic.claude-opus-4*',
  'anthropic.claude-haiku-4*',
  'cohere.embed-*',
  'cohere.command-r*',
  'meta.llama3*',
  'meta.llama4*',
  'mistral.mistral-large-*',
];

const severity = z.enum(SEVERITIES);

export const configSchema = z
  .object({
    /** Per rule: `"off"`, or an object that can disable it or override its severity. */
    rules: z
      .record(
        z.string(),
        z.union([z.literal('off'), z.literal('on'), z.object({ enabled: z.boolean().optional(), severity: severity.optional() }).strict()]),
      )
      .default({}),
    frameworks: z.array(z.string()).optional(),
    failOn: severity.optional(),
    bedrock: z
      .object({ approvedModels: z.array(z.string().min(1)).optional() })
      .strict()
      .default({}),
  })
  .strict();

export type AigisConfig = z.infer<typeof configSchema>;

export const DEFAULT_CONFIG: AigisConfig = configSchema.parse({});

export async function loadConfig(file: string): Promise<AigisConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(file, [], `cannot read config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new InputError(file, [], `is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const parsed = configSchema.safeParse(data ?? {});
  if (!parsed.success) throw new InputError(file, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  return parsed.data;
}

export function ruleSettings(config: AigisConfig): RuleSettings {
  return { bedrock: { approvedModels: [...(config.bedrock.approvedModels ?? DEFAULT_APPROVED_MODELS)] } };
}

export function severityOverride(config: AigisConfig, ruleId: string): Severity | undefined {
  const entry = config.rules[ruleId];
  return typeof entry === 'object' ? entry.severity : undefined;
}

export function ruleEnabled(config: AigisConfig, ruleId: string): boolean {
  const entry = config.rules[ruleId];
  if (entry === 'off') return false;
  if (typeof entry === 'object' && entry.enabled === false) return false;
  return true;
}
