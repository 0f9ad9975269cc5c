/** Options shared by the IaC importers. */
export interface IacImportOptions {
  /** Account id used in synthesized ARNs; default: the placeholder 123456789012. */
  accountId?: string;
  /** Region of the stack / default provider region; default us-east-1 (or the plan's provider region). */
  region?: string;
  /** CloudFormation parameter overrides (`Key=Value`); list parameters as comma-separated strings. */
  parameters?: Record<string, string>;
  /** CloudFormation stack name for `AWS::StackName`; default: the template file name without extension. */
  stackName?: string;
  /**
   * Stable identity of the input: its path relative to the working directory, with forward
   * slashes. Unnamed resources get their synthesized physical names (and synthesized ids) from it
   * and their logical id or address, as CloudFormation and Terraform make them unique per stack or
   * state: two templates that both declare an unnamed `Role` are two roles, not one. Relative, so
   * names and fingerprints are the same in every checkout. Default: the file path as given.
   */
  sourceId?: string;
}
