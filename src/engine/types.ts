/**
 * The rule contract. A rule is data (meta) plus one pure function over the inventory: it never
 * calls AWS, never reads files, never formats output.
 */
import type { OrganizationContext } from './organization-context.js';
import type { Inventory, SourceLocation } from '../inventory/schema.js';
import type { ActionCatalog } from '../policy/actions.js';
import type { AiAssetGraph } from './ai-graph.js';
import type { InventoryIndex } from './inventory-index.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Higher is worse; used for --fail-on thresholds and ordering. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export const VERDICTS = ['fail', 'unknown', 'pass', 'not_applicable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Remediation {
  /** Console steps, one per line. */
  console: string[];
  cli: string;
  cloudformation: string;
  terraform: string;
}

export interface RuleMeta {
  /** Stable kebab-case id, prefixed with the service: `s3-block-public-access`. */
  id: string;
  title: string;
  severity: Severity;
  /** The AWS service the rule reads, used for filtering (`s3`, `iam`, `bedrock`...). */
  service: string;
  /** CloudFormation-style resource types the rule judges. */
  resourceTypes: string[];
  /** One paragraph: what is checked and what passes. */
  description: string;
  /** Why it matters to an auditor. */
  rationale: string;
  remediation: Remediation;
  references: string[];
  /**
   * Every finding of this rule is about AI (e.g. users holding Bedrock permissions), so
   * `--scope ai` keeps it even when the resource is not in the AI asset graph. Bedrock and
   * SageMaker rules are AI rules without saying so.
   */
  aiControl?: boolean;
}

export interface ResourceRef {
  arn: string;
  /** CloudFormation-style type, e.g. `AWS::S3::Bucket`. */
  type: string;
  region: string;
  name?: string;
  source?: SourceLocation;
}

export interface RuleResult {
  verdict: Verdict;
  resource: ResourceRef;
  /** Why, with the evidence in words: the missing flag, the key found, the offending statement. */
  message: string;
  /** Structured evidence for reports (JSON-serializable). */
  evidence?: Record<string, unknown>;
  /** Property path of the offending setting (for IaC locations), e.g. `BucketEncryption`. */
  property?: string;
}

/** Settings rules may read; built from the config file and defaults. */
export interface RuleSettings {
  bedrock: {
    /** Glob patterns over foundation model ids (`anthropic.claude-3-*`). */
    approvedModels: string[];
  };
  /** Config `aiWorkloads.resources`: extra members of the AI asset graph (ARNs, bucket/role names). */
  aiWorkloads: { resources: string[] };
  /** Config `assume`: account facts IaC cannot show. */
  assume: { accountPublicAccessBlock: boolean };
  /**
   * Config `organization.approvedAiRegions`: the Regions where Bedrock and SageMaker may be used
   * (rule org-scp-ai-approved-regions); absent = the scan's Regions.
   */
  organization?: { approvedAiRegions?: string[] };
}

export interface RuleContext {
  inventory: Inventory;
  index: InventoryIndex;
  catalog: ActionCatalog;
  settings: RuleSettings;
  /** Which resources serve AI workloads, and why (computed once per scan from the inventory). */
  ai: AiAssetGraph;
  /** The account's organization (its policies by level, delegated administrators): organization scans only. */
  organization?: OrganizationContext;
}

export interface Rule {
  meta: RuleMeta;
  evaluate(context: RuleContext): Iterable<RuleResult>;
}

/** Identity helper that gives rule modules type checking and one obvious shape. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

export interface ControlRef {
  framework: string;
  controlId: string;
}

export interface Suppression {
  reason: string;
  expires?: string;
  /** Where the suppression came from: the config file or inline template metadata. */
  source: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  verdict: Verdict;
  service: string;
  resource: ResourceRef;
  message: string;
  evidence?: Record<string, unknown>;
  property?: string;
  /** Why the resource serves AI workloads ("execution role of training job X"); absent when it does not. */
  ai?: string[];
  controls: ControlRef[];
  /** Stable across runs and orderings: derived from rule id and resource identity only. */
  fingerprint: string;
  suppression?: Suppression;
  /** Set when a baseline was given: `new` findings are the ones that count toward --fail-on. */
  baseline?: 'new' | 'existing';
  /** The account the resource is in; set only when the scan covers several accounts. */
  account?: string;
}
