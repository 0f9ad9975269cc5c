/**
 * The public rule API: what a custom rule module (`aigis scan --rules-dir DIR`, config `rulesDirs`)
 * imports as `aigis` or `aigis/rules` (package.json `exports`). Everything here is a plain function
 * or constant with no state of its own: `defineRule` returns its argument, and the helpers read
 * only the context they are given, so a rule module that loads this file from another copy of
 * aigis (its own node_modules) gets the same behaviour. docs/writing-rules.md documents it.
 *
 * The built-in rules (rules/*.ts) import the same functions from src/ directly.
 */
export { defineRule, SEVERITIES, VERDICTS } from '../engine/types.js';
export type { ControlRef, Remediation, ResourceRef, Rule, RuleContext, RuleMeta, RuleResult, RuleSettings, Severity, Verdict } from '../engine/types.js';

// Results: resource references, and `unknown` for what the inventory lacks (never a silent pass).
export {
  accountRef,
  describePolicy,
  describeStatement,
  managedAttachment,
  missingReason,
  partialScopeReason,
  principalsWithPolicies,
  pushTo,
  resourceRef,
  sectionUnknown,
} from '../engine/rule-kit.js';
export type { AttachedPolicy, PrincipalKind, PrincipalWithPolicies } from '../engine/rule-kit.js';

// The AI asset graph (context.ai): which resources serve AI workloads, and why.
export { AI_WORKLOAD_TAG, DATA_CLASS_TAG, DATA_CLASSES, dataClassOf, describeMembership, isAiResource } from '../engine/ai-graph.js';
export type { AiAssetGraph, AiMembership, AiWorkload, DataClass } from '../engine/ai-graph.js';

// The inventory and its index (context.inventory, context.index).
export type { InventoryIndex } from '../engine/inventory-index.js';
export type { CollectionError, Inventory, SourceLocation } from '../inventory/schema.js';

// The IAM policy engine, as the built-in IAM, S3 and KMS rules use it.
export { analyzeExposure, effectiveAccess, hasAccessAt, requiresTls } from '../policy/analyze.js';
export type { EffectiveAccess, EffectiveAccessOptions, ExposureResult, GrantedAction, TlsCheck } from '../policy/analyze.js';
export { incompleteResult, principalPolicySets } from '../policy/principal-policies.js';
export type { PrincipalPolicySet } from '../policy/principal-policies.js';
export { arnMatches, parseArn } from '../policy/arn.js';
export type { ActionCatalog } from '../policy/actions.js';
export type { NormalizedPolicy, NormalizedStatement, PolicyDocument } from '../policy/document.js';
export type { NamedPolicy } from '../policy/evaluate.js';
