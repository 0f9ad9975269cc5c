/**
 * `importIacPaths`: files and directories -> inventories (one per template, plan or snapshot).
 * Re-exported by index.ts; imported from here by the CLI, so that a scan of templates does not
 * load the Terraform importer (loaded with the first plan) through the index's re-exports.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../engine/errors.js';
import { parseJsonText, readInputFile } from '../../inventory/input-text.js';
import { fastParseInventory } from '../../inventory/fast-parse.js';
import { relativeToCwd } from '../paths.js';
import type { InventoryInput } from '../../inventory/schema.js';
import { parseCfnText, type ParsedTemplate } from './cfn-parse.js';
import { importCloudFormationParsed } from './cloudformation.js';
import { detectIacDocument, type IacKind } from './detect.js';
import type { IacImportOptions } from './options.js';
import type { TerraformImportOptions } from './terraform-plan.js';

export interface IacPathOptions extends IacImportOptions {
  /** Directory of the root module's .tf files for plans; default: each plan file's directory. */
  terraformDir?: string;
  /** Directory that input identities (IacImportOptions.sourceId) are relative to; default: the cwd. */
  identityRoot?: string;
}

export interface IacImportResult {
  /** One per input, in input order: snapshots first, then templates and plans (later wins on merge). */
  inventories: InventoryInput[];
  /** The file each inventory came from (same order as `inventories`) and what it was read as. */
  files: { file: string; kind: IacKind }[];
  /** Each template's parsed text, by file (its inline suppressions are read from it, not parsed again). */
  parsedTemplates?: Map<string, ParsedTemplate>;
  /** Files found while walking directories that are none of the three kinds. */
  ignored: string[];
  /**
   * Templates and plans that could not be imported while others could: the rest is scanned and
   * these are reported (see README, "An invalid template in a directory"). Empty when every
   * input was read; when none could be, the first error is thrown instead.
   */
  invalid: { file: string; kind: IacKind; error: InputError }[];
  /** One-line notes for the user (e.g. a --parameters key no template declares). */
  warnings: string[];
}

/** Directories that never hold a deployable template or plan of the project itself. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);
/** Extensions considered while walking directories (named files are always read). */
const CANDIDATE_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);
const MAX_FILE_BYTES = 200 * 1024 * 1024;

export async function importIacPaths(paths: readonly string[], options: IacPathOptions = {}): Promise<IacImportResult> {
  if (!paths.length) throw new InputError('--iac', [], 'no path given');
  const candidates: { file: string; explicit: boolean }[] = [];
  for (const given of paths) {
    let info;
    try {
      info = await stat(given);
    } catch (error) {
      throw new InputError(given, [], `cannot read input (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (info.isDirectory()) for (const file of await walk(given)) candidates.push({ file, explicit: false });
    else candidates.push({ file: given, explicit: true });
  }

  const seen = new Set<string>();
  const documents: { file: string; kind: IacKind; text: string; parsed?: ParsedTemplate }[] = [];
  const ignored: string[] = [];
  for (const { file, explicit } of candidates) {
    const resolved = path.resolve(file);
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    const text = await readInputFile(file, file, MAX_FILE_BYTES);
    const detected = detectIacDocument(text, file);
    if (!detected) {
      if (explicit) throw new InputError(file, [], 'is not a CloudFormation template, a Terraform plan (terraform show -json) or an aigis inventory snapshot');
      ignored.push(file);
      continue;
    }
    documents.push({ file, kind: detected.kind, text, ...(detected.parsed ? { parsed: detected.parsed } : {}) });
  }

  // Snapshots first: they give the real account id that templates should use for their ARNs.
  // A snapshot is the recorded account, not code under review: one that cannot be read stops the run.
  const snapshots = documents.filter((d) => d.kind === 'snapshot');
  const inventories: InventoryInput[] = [];
  const files: IacImportResult['files'] = [];
  const parsedTemplates = new Map<string, ParsedTemplate>();
  let accountId = options.accountId;
  for (const snapshot of snapshots) {
    const data = parseJsonText(snapshot.text, snapshot.file);
    // Validated without zod when it can be (fast-parse.ts); zod gives the verdict and the message otherwise.
    if (!fastParseInventory(data)) (await import('../../inventory/load.js')).parseInventory(data, snapshot.file);
    const input = data as InventoryInput;
    accountId ??= input.account.id;
    inventories.push(input);
    files.push({ file: snapshot.file, kind: 'snapshot' });
  }
  const declaredParameters = new Set<string>();
  const importOptions: TerraformImportOptions = { ...options, ...(accountId ? { accountId } : {}) };
  const code = documents.filter((d) => d.kind !== 'snapshot');
  const invalid: IacImportResult['invalid'] = [];
  for (const document of code) {
    const perInput = { ...importOptions, sourceId: sourceIdOf(document.file, options.identityRoot) };
    try {
      if (document.kind === 'cloudformation') {
        const parsed = document.parsed ?? parseCfnText(document.text, document.file);
        document.parsed = parsed;
        inventories.push(importCloudFormationParsed(parsed, document.file, { ...perInput, declaredParameters }));
      } else {
        const { importTerraformPlanData } = await import('./terraform-plan.js');
        inventories.push(importTerraformPlanData(parseJsonText(document.text, document.file), document.file, perInput, document.text));
      }
    } catch (error) {
      // One template among several that cannot be read: the others are still scanned and this one
      // is reported; the run then ends with exit 2, so a gate never passes on an unreadable file.
      if (!(error instanceof InputError) || code.length === 1) throw error;
      invalid.push({ file: document.file, kind: document.kind, error });
      continue;
    }
    files.push({ file: document.file, kind: document.kind });
    if (document.parsed) parsedTemplates.set(document.file, document.parsed);
  }
  if (invalid.length && invalid.length === code.length && snapshots.length === 0) throw invalid[0]!.error;

  const warnings: string[] = [];
  // What a template's transform generates is not scanned: said once here, and in the coverage.
  for (const inventory of inventories) {
    for (const entry of inventory.collectionErrors ?? []) {
      if (entry.operation === 'Transform' && entry.message) warnings.push(entry.message);
    }
  }
  for (const name of Object.keys(options.parameters ?? {}).sort()) {
    if (!declaredParameters.has(name)) {
      warnings.push(`--parameters ${name}: no CloudFormation template ${code.some((d) => d.kind === 'cloudformation') ? 'scanned declares this parameter' : 'was scanned'}; the value is not used`);
    }
  }
  return { inventories, files, ignored, invalid, warnings, parsedTemplates };
}

/**
 * An input's stable identity: its path relative to `root` (default: the working directory), with
 * forward slashes, so synthesized names are the same in every checkout and on every OS. The same
 * form names files in reports (relativeToCwd), which is what makes a name traceable to its file.
 */
export function sourceIdOf(file: string, root: string = process.cwd()): string {
  return relativeToCwd(file, root);
}

/** Candidate files under `directory`, appended to `out` (a spread of a subtree's list overflows the stack past about 100k files). */
async function walk(directory: string, out: string[] = []): Promise<string[]> {
  const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(full, out);
    } else if (entry.isFile() && CANDIDATE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}
