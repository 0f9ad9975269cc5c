/**
 * What `aigis scan --iac PATH... [--input SNAPSHOT]` and the GitHub Action scan: templates and
 * plans found under the given paths (detected by content), optionally merged with snapshots,
 * as one validated inventory, plus the inline template suppressions.
 *
 * Paths are resolved against the command's working directory and every file name that ends up in
 * a report (resource `source.file`, the inputs list, suppression sources) is made relative to it
 * with forward slashes: SARIF resolves them against the checkout root (%SRCROOT%), which is what
 * lets GitHub code scanning put annotations on the right lines.
 */
import path from 'node:path';
import { InputError, UsageError, formatJsonPath } from '../engine/errors.js';
import type { SuppressionSpec } from '../engine/suppressions.js';
import { readInputFile } from '../inventory/input-text.js';
import { fastParseInventory } from '../inventory/fast-parse.js';
import type { Inventory, InventoryInput } from '../inventory/schema.js';
import { parseCfnText, type ParsedTemplate } from './iac/cfn-parse.js';
import type { IacKind } from './iac/detect.js';
import { importIacPaths } from './iac/import-paths.js';
import { mergeInventories } from './iac/merge.js';
import { relativeToCwd } from './paths.js';

export interface IacInputOptions {
  cwd: string;
  /** Snapshot files (--input) merged under the templates (templates win on equal ARNs). */
  snapshots?: string[];
  /** CloudFormation parameter overrides. */
  parameters?: Record<string, string>;
  accountId?: string;
  region?: string;
}

export interface IacInputs {
  inventory: Inventory;
  /** Every file read, relative to cwd, in import order. */
  inputs: string[];
  files: { file: string; kind: IacKind }[];
  /** Files seen while walking directories that were neither templates, plans nor snapshots. */
  ignored: string[];
  inlineSuppressions: SuppressionSpec[];
  /**
   * Templates and plans that could not be read while the others could (errors name the file
   * relative to cwd). They are in the inventory's coverage too; the command exits 2 after
   * reporting the rest, so a gate never passes because a file was unreadable.
   */
  invalid: InputError[];
  /** One-line notes for the user (printed as warnings). */
  warnings: string[];
}

/** `Key=Value` pairs (from --parameters or the Action's `parameters` input). Values may contain `=` and `,`. */
export function parseParameterOverrides(values: readonly string[] | undefined, flag = '--parameters'): Record<string, string> {
  // No prototype: a template parameter may be named `constructor` or `toString`, and a lookup for it
  // must find only what the user gave.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const raw of values ?? []) {
    const entry = String(raw).trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag}: expected Key=Value, got "${entry}"`);
    const key = entry.slice(0, eq).trim();
    if (!/^[A-Za-z0-9]+$/.test(key)) throw new UsageError(`${flag}: "${key}" is not a CloudFormation parameter name (letters and digits only)`);
    out[key] = entry.slice(eq + 1);
  }
  return out;
}

export { relativeToCwd } from './paths.js';

export async function loadIacInputs(iacPaths: readonly string[], options: IacInputOptions): Promise<IacInputs> {
  const { cwd } = options;
  const absolute = [...(options.snapshots ?? []), ...iacPaths].map((p) => path.resolve(cwd, p));
  let imported: Awaited<ReturnType<typeof importIacPaths>>;
  try {
    imported = await importIacPaths(absolute, {
      ...(options.parameters && Object.keys(options.parameters).length ? { parameters: options.parameters } : {}),
      ...(options.accountId ? { accountId: options.accountId } : {}),
      ...(options.region ? { region: options.region } : {}),
      identityRoot: cwd,
    });
  } catch (error) {
    // Errors name the file as the user sees it: relative to the working directory.
    if (error instanceof InputError && path.isAbsolute(error.file)) throw new InputError(relativeToCwd(error.file, cwd), error.jsonPath, error.detail);
    throw error;
  }
  const snapshotSet = new Set((options.snapshots ?? []).map((p) => path.resolve(cwd, p)));
  for (const { file, kind } of imported.files) {
    if (snapshotSet.has(path.resolve(file)) && kind !== 'snapshot') {
      throw new InputError(relativeToCwd(file, cwd), [], `--input expects an inventory snapshot; this is a ${kind === 'cloudformation' ? 'CloudFormation template' : 'Terraform plan'} (give it with --iac)`);
    }
  }
  const files = imported.files.map(({ file, kind }) => ({ file: relativeToCwd(file, cwd), kind }));
  const inventories = imported.inventories.map((inventory) => relativizeSources(inventory, cwd));
  const invalid = imported.invalid.map(({ file, error }) => new InputError(relativeToCwd(file, cwd), error.jsonPath, error.detail));
  const merged = mergeInventories(inventories, files.map((f) => f.file));
  if (invalid.length) {
    merged.collectionErrors = [
      ...(merged.collectionErrors ?? []),
      ...invalid.map((error, i) => ({
        service: imported.invalid[i]!.kind === 'terraform-plan' ? 'terraform' : 'cloudformation',
        operation: imported.invalid[i]!.kind === 'terraform-plan' ? 'ReadPlan' : 'ReadTemplate',
        resource: error.file,
        errorCode: 'InvalidInput',
        message: `${error.message} (not scanned)`,
      })),
    ];
  }
  let inventory: Inventory;
  try {
    // Validated without zod when it can be (fast-parse.ts: the same result); zod otherwise, with its messages.
    inventory = fastParseInventory(merged) ?? (await import('../inventory/load.js')).parseInventory(merged, files.length === 1 ? files[0]!.file : '--iac');
  } catch (error) {
    throw error instanceof InputError ? inTemplateTerms(error, merged) : error;
  }

  const inlineSuppressions: SuppressionSpec[] = [];
  for (const [i, { file, kind }] of imported.files.entries()) {
    if (kind !== 'cloudformation') continue;
    // The template as the importer parsed it (read and parsed again only if it was not kept).
    const source = imported.parsedTemplates?.get(file) ?? (await readInputFile(file));
    const parsed = typeof source === 'string' ? parseCfnText(source, files[i]!.file) : source;
    // The reader (and zod with it) is loaded only for a template that declares inline suppressions.
    if (!declaresAigisMetadata(parsed)) continue;
    const { inlineSuppressionsFromTemplate } = await import('./iac-inline-suppressions.js');
    inlineSuppressions.push(...inlineSuppressionsFromTemplate(parsed, files[i]!.file));
  }
  const warnings = imported.warnings.map((warning) => relativizeMessage(warning, imported.files.map((f) => f.file), cwd));
  // Terraform: `# aigis:suppress` comments in the .tf files beside those the plan's resources were located in.
  const tfFiles = imported.files.some((f) => f.kind === 'terraform-plan') ? locatedTfFiles(inventories) : [];
  if (tfFiles.length) {
    const { tfInlineSuppressions } = await import('./terraform/inline-suppressions.js');
    const read = tfInlineSuppressions(tfFiles, cwd);
    inlineSuppressions.push(...read.specs);
    warnings.push(...read.warnings);
  }
  return {
    inventory,
    inputs: files.map((f) => f.file),
    files,
    ignored: imported.ignored.map((f) => relativeToCwd(f, cwd)),
    inlineSuppressions,
    invalid,
    warnings,
  };
}

/** The `.tf` files that resources (or the settings other resources declare for them) are located in, sorted. */
function locatedTfFiles(inventories: readonly InventoryInput[]): string[] {
  const found = new Set<string>();
  const add = (file: unknown) => {
    if (typeof file === 'string' && file.endsWith('.tf')) found.add(file);
  };
  for (const inventory of inventories) {
    for (const section of Object.values(inventory as Record<string, unknown>)) {
      if (typeof section !== 'object' || section === null || Array.isArray(section)) continue;
      for (const list of Object.values(section as Record<string, unknown>)) {
        if (!Array.isArray(list)) continue;
        for (const item of list as unknown[]) {
          const source = (item as { source?: { file?: unknown; properties?: Record<string, { file?: unknown }> } } | null)?.source;
          if (!source || typeof source !== 'object') continue;
          add(source.file);
          if (source.properties && typeof source.properties === 'object') for (const location of Object.values(source.properties)) add(location?.file);
        }
      }
    }
  }
  return [...found].sort();
}

/**
 * A template with a resource whose Metadata names `aigis`: the resources inlineSuppressionsFromTemplate
 * reads (every other template gives it nothing to read and nothing to reject).
 */
function declaresAigisMetadata(parsed: ParsedTemplate): boolean {
  const template = parsed.value as Record<string, unknown> | null;
  const resources = template && typeof template === 'object' ? template.Resources : undefined;
  if (!resources || typeof resources !== 'object' || Array.isArray(resources)) return false;
  for (const declaration of Object.values(resources as Record<string, unknown>)) {
    const metadata = (declaration as { Metadata?: unknown } | null)?.Metadata;
    if (metadata && typeof metadata === 'object' && (metadata as Record<string, unknown>).aigis !== undefined) return true;
  }
  return false;
}

/**
 * A value a template or plan declares that the inventory schema refuses (an inline policy without
 * Statement, a policy string that is not JSON) fails validation at an inventory path the user never
 * wrote: name the declaring file, resource and, where the template has it, property instead.
 */
function inTemplateTerms(error: InputError, inventory: InventoryInput): InputError {
  let node: unknown = inventory;
  let resource: { file: string; logicalId?: string; properties?: Record<string, unknown> } | undefined;
  let at = 0;
  for (const [i, part] of error.jsonPath.entries()) {
    if (typeof node !== 'object' || node === null) break;
    node = (node as Record<PropertyKey, unknown>)[part as PropertyKey];
    const source = (node as { source?: { file?: unknown; logicalId?: unknown; properties?: unknown } } | undefined)?.source;
    if (source && typeof source.file === 'string') {
      resource = {
        file: source.file,
        ...(typeof source.logicalId === 'string' ? { logicalId: source.logicalId } : {}),
        ...(typeof source.properties === 'object' && source.properties !== null ? { properties: source.properties as Record<string, unknown> } : {}),
      };
      at = i + 1;
    }
  }
  if (!resource) return error;
  const rest = error.jsonPath.slice(at);
  const isTemplate = resource.logicalId !== undefined && /^[A-Za-z0-9]+$/.test(resource.logicalId);
  if (isTemplate) {
    // The inventory field's template property, when the template declares it on this resource.
    const field = rest.slice(0, typeof rest[1] === 'number' ? 3 : 1).map(String).join('.');
    for (const candidate of (TEMPLATE_PROPERTY[field.replace(/\.\d+\./, '.#.')] ?? []).map((p) => p.replace('#', String(rest[1])))) {
      if (resource.properties?.[candidate] === undefined) continue;
      const consumed = typeof rest[1] === 'number' ? 3 : 1;
      return new InputError(resource.file, ['Resources', resource.logicalId!, 'Properties', ...propertyPath(candidate), ...rest.slice(consumed)], error.detail);
    }
    return new InputError(resource.file, ['Resources', resource.logicalId!], `${error.detail} (inventory field ${formatJsonPath(rest).slice(2)})`);
  }
  const name = resource.logicalId ? `resource ${resource.logicalId}: ` : '';
  return new InputError(resource.file, [], `${name}${error.detail} (inventory field ${formatJsonPath(rest).slice(2)})`);
}

/** Inventory fields (`#`: an array index) and the CloudFormation properties they are read from. */
const TEMPLATE_PROPERTY: Record<string, string[]> = {
  'inlinePolicies.#.policy': ['Policies[#].PolicyDocument'],
  trustPolicy: ['AssumeRolePolicyDocument'],
  policy: ['KeyPolicy', 'PolicyDocument'],
  document: ['PolicyDocument'],
};

/** `Policies[0].PolicyDocument` -> ['Policies', 0, 'PolicyDocument'] */
function propertyPath(property: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const segment of property.split('.')) {
    const bracket = segment.indexOf('[');
    if (bracket < 0) {
      out.push(segment);
      continue;
    }
    out.push(segment.slice(0, bracket));
    for (const index of segment.slice(bracket).split('[').filter(Boolean)) out.push(Number(index.replace(']', '')));
  }
  return out;
}

/** A message that names input files by absolute path, with the cwd-relative names instead. */
function relativizeMessage(message: string, files: readonly string[], cwd: string): string {
  let out = message;
  for (const file of files) if (path.isAbsolute(file)) out = out.split(file).join(relativeToCwd(file, cwd));
  return out;
}

/**
 * Rewrites `source.file` (and per-property `file`) of every resource to the cwd-relative form.
 * The inventory is walked generically so that sections added later are covered too.
 */
export function relativizeSources(inventory: InventoryInput, cwd: string): InventoryInput {
  const visit = (value: unknown, key: string | undefined): unknown => {
    if (Array.isArray(value)) return value.map((v) => visit(v, undefined));
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    if (key === 'source' && typeof record.file === 'string') {
      const source: Record<string, unknown> = { ...record, file: relativeToCwd(record.file, cwd) };
      if (record.properties && typeof record.properties === 'object') {
        source.properties = Object.fromEntries(
          Object.entries(record.properties as Record<string, Record<string, unknown>>).map(([k, loc]) => [
            k,
            typeof loc.file === 'string' ? { ...loc, file: relativeToCwd(loc.file, cwd) } : loc,
          ]),
        );
      }
      return source;
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v, k)]));
  };
  const out = visit(inventory, undefined) as InventoryInput;
  // The inventory-level source (kind + detail) names the files too.
  if (inventory.source?.detail) {
    out.source = { ...inventory.source, detail: inventory.source.detail.split(', ').map((f) => relativeToCwd(f, cwd)).join(', ') };
  }
  return out;
}
