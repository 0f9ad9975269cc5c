/**
 * aigis.config.json / .yaml: which rules run and how severe they are, the Bedrock model
 * allowlist, the frameworks to report, the --fail-on default and suppressions. Validated with
 * zod; errors name the file and the JSON path of the offending value (exit 2 via the CLI).
 *
 * Discovery: when no --config is given, the first of CONFIG_FILE_NAMES found in the working
 * directory is used (like ESLint/Prettier): a repository that commits its config gets the same
 * verdicts locally and in CI without extra flags. Two candidates at once is an error, never a guess.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parseJsonText, readInputFile } from '../inventory/input-text.js';

/** A config is a few kilobytes; anything near this is not one. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
import type { z as Z } from 'zod';
import { InputError } from './errors.js';
import { isValidIsoDate, isGlob, globToRegExp } from './suppressions.js';
import { SEVERITIES, type RuleSettings, type Severity } from './types.js';

export const CONFIG_FILE_NAMES = ['aigis.config.json', 'aigis.config.yaml', 'aigis.config.yml'] as const;

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

/**
 * The config file's schema, built when a config file is read (zod is loaded then: a scan without a
 * config file never loads it).
 */
function buildConfigSchema(z: typeof Z) {
  const severity = z.enum(SEVERITIES);
  return z
  .object({
    /** Per rule: `"off"`, or an object that can disable it or override its severity. */
    rules: z
      .record(
        z.string(),
        z.union([z.literal('off'), z.literal('on'), z.object({ enabled: z.boolean().optional(), severity: severity.optional() }).strict()]),
      )
      .default({}),
    frameworks: z.array(z.string().min(1)).optional(),
    /**
     * Directories of custom rule modules (docs/writing-rules.md), relative to the config file.
     * Code: loaded only from a config named with --config (src/commands/extensions.ts).
     */
    rulesDirs: z.array(z.string().trim().min(1, 'a rules directory must be a path')).optional(),
    /** Extra framework files (frameworks/*.yaml format, e.g. a company control catalog), relative to the config file. */
    frameworkFiles: z.array(z.string().trim().min(1, 'a framework file must be a path')).optional(),
    /** Default for --fail-on; `none` never fails the run. */
    failOn: z.union([severity, z.literal('none')]).optional(),
    bedrock: z
      .object({ approvedModels: z.array(z.string().min(1)).optional() })
      .strict()
      .default({}),
    /** Organization scans: the Regions where AI services may run (default: the scan's Regions). */
    organization: z
      .object({ approvedAiRegions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'a Region name such as eu-west-1')).min(1).optional() })
      .strict()
      .default({}),
    /** What cannot be derived from the inventory: resources that serve AI workloads (ARNs, or bucket/role names). */
    aiWorkloads: z
      .object({ resources: z.array(z.string().trim().min(1, 'a resource must be an ARN or a bucket/role name')).default([]) })
      .strict()
      .default({ resources: [] }),
    /**
     * Facts about the account that IaC cannot show: `accountPublicAccessBlock: true` records that the
     * account-level S3 Block Public Access is on, so a template bucket that turns its own settings
     * off is judged with the account's block in force.
     */
    assume: z
      .object({ accountPublicAccessBlock: z.boolean().optional() })
      .strict()
      .default({}),
    /**
     * Accepted risks. `rule` is a rule id or a glob over rule ids (`*` = every rule); `resource`
     * is a glob matched against the WHOLE resource ARN, IaC logical id/address or resource name
     * (see suppressions.ts for the exact semantics); `tags`, `accounts` and `regions` narrow it
     * further (all given conditions must hold).
     */
    suppressions: z
      .array(
        z
          .object({
            rule: z.string().trim().min(1, 'rule must be a rule id, a glob over rule ids, or "*"'),
            /** Required unless tags, accounts or regions narrow the suppression. */
            resource: z.string().trim().min(1, 'resource must be an ARN, logical id or name (globs * and ? allowed)').optional(),
            /** Every key must be on the resource with exactly this value (a resource whose tags are unknown never matches). */
            tags: z
              .record(z.string().min(1, 'a tag key cannot be empty'), z.string({ error: 'a tag value must be a string (quote numbers and booleans in YAML)' }))
              .refine((t) => Object.keys(t).length > 0, 'tags must name at least one key: value')
              .optional(),
            /** The finding's account id must be one of these. */
            accounts: z.array(z.string().regex(/^\d{12}$/, 'an account id is 12 digits (quote it in YAML)')).min(1, 'accounts must list at least one account id').optional(),
            /** The resource's Region must be one of these (`global` for IAM and other global resources). */
            regions: z
              .array(z.string().regex(/^(global|[a-z]{2}(-[a-z]+)+-\d{1,2})$/, 'a Region name such as eu-west-1, or global'))
              .min(1, 'regions must list at least one Region')
              .optional(),
            reason: z.string({ error: 'a suppression needs a reason (why the risk is accepted)' }).trim().min(1, 'a suppression needs a reason (why the risk is accepted)'),
            expires: z
              .string({ error: 'expires must be a date written YYYY-MM-DD (quote it in YAML)' })
              .refine(isValidIsoDate, 'expires must be a real calendar date written YYYY-MM-DD')
              .optional(),
          })
          .strict()
          .refine((s) => s.resource !== undefined || s.tags !== undefined || s.accounts !== undefined || s.regions !== undefined, {
            path: ['resource'],
            message: 'required key "resource" is missing (or narrow the suppression with tags, accounts or regions)',
          }),
      )
      .default([]),
  })
  .strict();
}

let configSchema: ReturnType<typeof buildConfigSchema> | undefined;

/** The config schema (loads zod on first use). */
export async function loadConfigSchema(): Promise<ReturnType<typeof buildConfigSchema>> {
  return (configSchema ??= buildConfigSchema((await import('zod')).z));
}

export type ConfigSuppression = AigisConfig['suppressions'][number];

export type AigisConfig = Z.infer<ReturnType<typeof buildConfigSchema>>;

/** What the schema gives for an empty config (test/config-default.test.ts checks it, key order included). */
export const DEFAULT_CONFIG: AigisConfig = { rules: {}, bedrock: {}, organization: {}, aiWorkloads: { resources: [] }, assume: {}, suppressions: [] };

/** `displayName` is how errors name the file (the path as the user wrote it, relative to the cwd). */
export async function loadConfig(file: string, displayName: string = file): Promise<AigisConfig> {
  const text = await readInputFile(file, displayName, MAX_CONFIG_BYTES, 'config file');
  let data: unknown;
  if (/\.ya?ml$/i.test(file)) {
    // Loaded only for a YAML config: a scan without one (or with JSON) does not load the parser.
    const { parse: parseYaml } = await import('yaml');
    try {
      data = parseYaml(text);
    } catch (error) {
      const firstLine = (error as Error).message.split('\n')[0]?.trim() ?? '';
      throw new InputError(displayName, [], `is not valid YAML: ${firstLine}`);
    }
  } else {
    data = parseJsonText(text, displayName);
  }
  const parsed = (await loadConfigSchema()).safeParse(data ?? {});
  if (!parsed.success) {
    const { path: at, message } = describeConfigIssue(parsed.error.issues);
    throw new InputError(displayName, at, message);
  }
  return parsed.data;
}

/**
 * The config file to use: the explicit one (resolved against cwd), else the first of
 * CONFIG_FILE_NAMES in cwd, else none (defaults).
 */
export async function resolveConfigFile(explicit: string | undefined, cwd: string): Promise<string | undefined> {
  if (explicit) return path.resolve(cwd, explicit);
  const found: string[] = [];
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(cwd, name);
    try {
      await access(candidate);
      found.push(candidate);
    } catch {
      // not there
    }
  }
  if (found.length > 1) {
    throw new InputError(path.basename(found[1]!), [], `more than one config file in ${cwd} (${found.map((f) => path.basename(f)).join(', ')}): keep one, or pick one with --config`);
  }
  return found[0];
}

/**
 * Checks what the schema cannot: rule ids, frameworks and suppression rule patterns must name
 * rules/frameworks aigis knows, so that a typo never silently disables a suppression.
 */
export function checkConfigReferences(config: AigisConfig, file: string, knownRules: ReadonlySet<string>, knownFrameworks: ReadonlySet<string>): void {
  const ruleHint = '(see `aigis rules`)';
  for (const id of Object.keys(config.rules)) {
    if (!knownRules.has(id)) throw new InputError(file, ['rules', id], `unknown rule id "${id}" ${ruleHint}`);
  }
  for (const [i, id] of (config.frameworks ?? []).entries()) {
    if (!knownFrameworks.has(id)) {
      throw new InputError(file, ['frameworks', i], `unknown framework "${id}" (choose from ${[...knownFrameworks].sort().join(', ')})`);
    }
  }
  for (const [i, s] of config.suppressions.entries()) {
    if (isGlob(s.rule)) {
      const re = globToRegExp(s.rule);
      if (![...knownRules].some((id) => re.test(id))) throw new InputError(file, ['suppressions', i, 'rule'], `pattern "${s.rule}" matches no rule ${ruleHint}`);
    } else if (!knownRules.has(s.rule)) {
      throw new InputError(file, ['suppressions', i, 'rule'], `unknown rule id "${s.rule}" ${ruleHint}`);
    }
  }
}

interface ConfigIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: ConfigIssue[][];
}

/**
 * One precise problem: the JSON path of the offending value (an unknown key is pointed at
 * itself, not its parent) and a message that says what was expected. For a union (a rule entry
 * is "off", "on" or an object), the branch that got furthest explains the problem best.
 */
export function describeConfigIssue(issues: readonly unknown[]): { path: PropertyKey[]; message: string } {
  // A misspelled key also makes the key it should have been "missing": report the typo first.
  const ordered = [...(issues as ConfigIssue[])].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const first = ordered[0];
  if (!first) return { path: [], message: 'invalid config' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const one = describeOne(first, []);
  return { path: one.path, message: `${one.message}${more}` };
}

function describeOne(issue: ConfigIssue, prefix: PropertyKey[]): { path: PropertyKey[]; message: string } {
  const at = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    return { path: [...at, issue.keys[0]!], message: `unknown key "${issue.keys[0]}"` };
  }
  if (issue.code === 'invalid_union' && issue.errors?.length) {
    const deepest = issue.errors
      .map((branch) => branch[0])
      .filter((b): b is ConfigIssue => b !== undefined)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest && deepest.path.length > 0) return describeOne(deepest, at);
    if (at[0] === 'rules') {
      return { path: at, message: 'expected "off", "on" or an object { enabled?: boolean, severity?: critical|high|medium|low|info }' };
    }
    const values = issue.errors.flatMap((branch) => branch.flatMap((b) => (b as { values?: unknown[] }).values ?? []));
    if (values.length) return { path: at, message: `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return { path: at, message: `required key "${String(at[at.length - 1])}" is missing` };
  }
  return { path: at, message: issue.message.replace(/^Invalid (input|option): /, '') };
}

export function ruleSettings(config: AigisConfig): RuleSettings {
  return {
    bedrock: { approvedModels: [...(config.bedrock.approvedModels ?? DEFAULT_APPROVED_MODELS)] },
    aiWorkloads: { resources: [...config.aiWorkloads.resources] },
    assume: { accountPublicAccessBlock: config.assume.accountPublicAccessBlock === true },
    ...(config.organization.approvedAiRegions ? { organization: { approvedAiRegions: [...config.organization.approvedAiRegions].sort() } } : {}),
  };
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
