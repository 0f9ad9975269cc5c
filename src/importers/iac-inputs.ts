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
import { InputError, UsageError } from '../engine/errors.js';
import type { SuppressionSpec } from '../engine/suppressions.js';
import { readInputFile } from '../inventory/input-text.js';
import { parseInventory } from '../inventory/load.js';
import type { Inventory, InventoryInput } from '../inventory/schema.js';
import { inlineSuppressionsFromTemplate } from './iac-inline-suppressions.js';
import { importIacPaths, mergeInventories, type IacKind } from './iac/index.js';

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
  const out: Record<string, string> = {};
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

export function relativeToCwd(file: string, cwd: string): string {
  const absolute = path.resolve(cwd, file);
  const rel = path.relative(cwd, absolute);
  // Outside the working directory: keep it absolute rather than produce ../../ paths SARIF cannot anchor.
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute;
  return shown.split(path.sep).join('/');
}

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
  const inventory = parseInventory(merged, files.length === 1 ? files[0]!.file : '--iac');

  const inlineSuppressions: SuppressionSpec[] = [];
  for (const [i, { kind }] of imported.files.entries()) {
    if (kind !== 'cloudformation') continue;
    const text = await readInputFile(imported.files[i]!.file);
    inlineSuppressions.push(...inlineSuppressionsFromTemplate(text, files[i]!.file));
  }
  return {
    inventory,
    inputs: files.map((f) => f.file),
    files,
    ignored: imported.ignored.map((f) => relativeToCwd(f, cwd)),
    inlineSuppressions,
    invalid,
    warnings: imported.warnings.map((warning) => relativizeMessage(warning, imported.files.map((f) => f.file), cwd)),
  };
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
