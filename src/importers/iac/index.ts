/**
 * IaC scanning entry points: files and directories -> inventories (one per template, plan or
 * snapshot), and the merge into the one inventory a scan runs on.
 *
 *   const { inventories, files } = await importIacPaths(['infra/', 'plan.json'], { region: 'eu-west-1' });
 *   const inventory = parseInventory(mergeInventories(inventories, files.map((f) => f.file)), '--iac');
 */
export { detectIacKind, type IacKind } from './detect.js';
export { mergeInventories } from './merge.js';
export { importCloudFormation } from './cloudformation.js';
export { importTerraformPlan, importTerraformPlanData, type TerraformImportOptions } from './terraform-plan.js';
export type { IacImportOptions } from './options.js';
export { PLACEHOLDER_ACCOUNT_ID } from './synth.js';
export { importIacPaths, sourceIdOf, type IacImportResult, type IacPathOptions } from './import-paths.js';
