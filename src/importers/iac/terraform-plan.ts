/**
 * Terraform plan JSON (`terraform show -json <planfile>`) -> inventory.
 *
 * Resources come from `planned_values` (root and child modules, recursively): the state the plan
 * will produce. `resource_changes[].change.after_unknown` says which attributes are only known
 * after apply; for those we follow the `configuration` expression references (e.g.
 * `aws_kms_key.data.arn`) to a resource of the same plan and use that resource's (synthesized)
 * identity, else the inventory field stays absent (unknown) and the property is listed in
 * `unresolved`. The split S3 resources of provider v4+ are joined to their bucket by bucket name,
 * or by the reference when the name is unknown until apply.
 *
 * Property paths in `source.properties` / `unresolved` use the CloudFormation property names
 * (`BucketEncryption`, `PublicAccessBlockConfiguration`, `DirectInternetAccess`...) so one rule's
 * `property` works for both; the location is the .tf line of the attribute or split resource.
 *
 * Plan formats: every `format_version` Terraform has written since 0.12 (0.1: Terraform
 * 0.12.0-1.0.0; 0.2: 1.0.1-1.0.11; 1.0: 1.1; 1.1: 1.2-1.4; 1.2: 1.5 and later) and any later 1.x
 * (minor versions only add fields). What aigis reads exists in all of them; what differs is
 * handled here: 0.1 lists a reference by its resource only (`aws_kms_key.k`, not
 * `aws_kms_key.k.arn`), later formats list the full traversal first; `sensitive_values`,
 * `relevant_attributes`, `checks`, `timestamp`, `importing`, `full_name` of providers... are newer
 * and not needed. A major version above 1 is refused (Terraform's own compatibility rule).
 *
 * Names: a resource whose name is known only after apply (or never set) gets a synthesized
 * physical name unique to the plan (`options.sourceId`) and its full address, as Terraform makes
 * one unique per state: `terraform-<address>-<hash>`, or `<name_prefix><hash>`, within the
 * service's naming rules. The same plan always yields the same names.
 *
 * A plan comes from a pull request: its shape is checked before anything is read (a wrong type is
 * an InputError naming the JSON path), module nesting and value nesting are limited
 * (TERRAFORM_PLAN_LIMITS) and reference following is bounded and cycle-safe.
 *
 * The import is split by concern in src/importers/terraform/: plan-shape.ts (the checks),
 * modules.ts (module walking), references.ts and values.ts (after_unknown and reference following),
 * names.ts, locate.ts (.tf locations), plan-positions.ts (plan JSON locations), plan-import.ts (the passes) and one mapper table per
 * service (s3.ts, iam.ts, ...; index.ts says how to add a resource type).
 */
import { InputError } from '../../engine/errors.js';
import type { InventoryInput } from '../../inventory/schema.js';
import { isObject } from '../terraform/json.js';
import { TerraformPlanImport, type TerraformImportOptions } from '../terraform/plan-import.js';
import { PlanShape } from '../terraform/plan-shape.js';

export { TERRAFORM_PLAN_LIMITS } from '../terraform/limits.js';
export type { TerraformImportOptions } from '../terraform/plan-import.js';

export function importTerraformPlan(text: string, file: string, options: TerraformImportOptions = {}): InventoryInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, [], `is not valid JSON: ${(error as Error).message}`);
  }
  return importTerraformPlanData(data, file, options, text);
}

/** `text`: the JSON `data` was parsed from, to locate resources no .tf file declares. */
export function importTerraformPlanData(data: unknown, file: string, options: TerraformImportOptions = {}, text?: string): InventoryInput {
  if (!isObject(data)) throw new InputError(file, [], 'is not a Terraform plan (not a JSON object)');
  new PlanShape(file).check(data);
  return new TerraformPlanImport(data, file, options, text).run();
}
