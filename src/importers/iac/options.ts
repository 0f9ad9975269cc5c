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
}
