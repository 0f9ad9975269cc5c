/**
 * IaC scanning entry points: files and directories -> inventories (one per template, plan or
 * snapshot), and the merge into the one inventory a scan runs on.
 *
 *   const { inventories, files } = await importIacPaths(['infra/', 'plan.json'], { region: 'eu-west-1' });
 *   const inventory = parseInventory(mergeInventories(inventories, files.map((f) => f.file)), '--iac');
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../engine/errors.js';
import { parseInventory } from '../../inventory/load.js';
import type { InventoryInput } from '../../inventory/schema.js';
import { importCloudFormation } from './cloudformation.js';
import { detectIacKind, type IacKind } from './detect.js';
import type { IacImportOptions } from './options.js';
import { importTerraformPlanData, type TerraformImportOptions } from './terraform-plan.js';

export { detectIacKind, type IacKind } from './detect.js';
export { mergeInventories } from './merge.js';
export { importCloudFormation } from './cloudformation.js';
export { importTerraformPlan, importTerraformPlanData, type TerraformImportOptions } from './terraform-plan.js';
export type { IacImportOptions } from './options.js';
export { PLACEHOLDER_ACCOUNT_ID } from './synth.js';

export interface IacPathOptions extends IacImportOptions {
  /** Directory of the root module's .tf files for plans; default: each plan file's directory. */
  terraformDir?: string;
}

export interface IacImportResult {
  /** One per input, in input order: snapshots first, then templates and plans (later wins on merge). */
  inventories: InventoryInput[];
  /** The file each inventory came from (same order as `inventories`) and what it was read as. */
  files: { file: string; kind: IacKind }[];
  /** Files found while walking directories that are none of the three kinds. */
  ignored: string[];
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
  const documents: { file: string; kind: IacKind; text: string }[] = [];
  const ignored: string[] = [];
  for (const { file, explicit } of candidates) {
    const resolved = path.resolve(file);
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    let text: string;
    try {
      const info = await stat(file);
      if (info.size > MAX_FILE_BYTES) throw new InputError(file, [], `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(file, [], `cannot read input (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const kind = detectIacKind(text, file);
    if (!kind) {
      if (explicit) throw new InputError(file, [], 'is not a CloudFormation template, a Terraform plan (terraform show -json) or an aigis inventory snapshot');
      ignored.push(file);
      continue;
    }
    documents.push({ file, kind, text });
  }

  // Snapshots first: they give the real account id that templates should use for their ARNs.
  const snapshots = documents.filter((d) => d.kind === 'snapshot');
  const inventories: InventoryInput[] = [];
  const files: IacImportResult['files'] = [];
  let accountId = options.accountId;
  for (const snapshot of snapshots) {
    let data: unknown;
    try {
      data = JSON.parse(snapshot.text);
    } catch (error) {
      throw new InputError(snapshot.file, [], `is not valid JSON: ${(error as Error).message}`);
    }
    parseInventory(data, snapshot.file);
    const input = data as InventoryInput;
    accountId ??= input.account.id;
    inventories.push(input);
    files.push({ file: snapshot.file, kind: 'snapshot' });
  }
  const importOptions: TerraformImportOptions = { ...options, ...(accountId ? { accountId } : {}) };
  for (const document of documents) {
    if (document.kind === 'snapshot') continue;
    if (document.kind === 'cloudformation') {
      inventories.push(importCloudFormation(document.text, document.file, importOptions));
    } else {
      let data: unknown;
      try {
        data = JSON.parse(document.text);
      } catch (error) {
        throw new InputError(document.file, [], `is not valid JSON: ${(error as Error).message}`);
      }
      inventories.push(importTerraformPlanData(data, document.file, importOptions));
    }
    files.push({ file: document.file, kind: document.kind });
  }
  return { inventories, files, ignored };
}

async function walk(directory: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) out.push(...(await walk(full)));
    } else if (entry.isFile() && CANDIDATE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}
