/**
 * Input limits of the Terraform plan importer (a plan comes from a pull request). Each is far
 * above what Terraform produces; a plan over a nesting limit is an input error naming the JSON
 * path, and reference following past its budget leaves the value unknown (never a guess).
 */
export const TERRAFORM_PLAN_LIMITS = {
  /** Levels of nested modules: planned_values `child_modules`, configuration `module_calls`. */
  moduleDepth: 100,
  /** Nesting of one value: a resource's `values`, a change's `after_unknown`, configuration `expressions`. */
  valueDepth: 100,
  /** Reference hops followed for one attribute (var -> module argument -> output -> resource), cycles cut. */
  referenceSteps: 256,
  /** Longest reference string followed (Terraform's are a few dozen characters). */
  referenceLength: 1024,
} as const;
