/**
 * The customer managed key verdict shared by the rules on Bedrock resources that name their own
 * KMS key (guardrails, agents, custom models, knowledge base data sources, prompts, flows).
 */
import type { RuleContext, RuleResult } from './types.js';
import { missingReason, resourceRef } from './rule-kit.js';
import type { SourceLocation } from '../inventory/schema.js';

/** Keys that can no longer encrypt or decrypt: a resource pointing at one is broken, not compliant. */
const UNUSABLE_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'Unavailable']);
/** `alias/aws/...` or its ARN form: an AWS managed key. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

export interface CmkTarget {
  kind: string;
  type: string;
  /** Collector service and the operation that reads the key setting. */
  service: string;
  operation: string;
  /** CloudFormation / API property, for IaC locations. */
  property: string;
  /** What the key protects, for messages. */
  what: string;
  item: { arn: string; name: string; region: string; kmsKeyArn?: string | null | undefined; source?: SourceLocation | undefined };
}

export function judgeCmk(context: RuleContext, target: CmkTarget): RuleResult {
  const { item, kind, property } = target;
  const resource = resourceRef(item.arn, target.type, item.region, item.name, item.source);
  const keyRef = item.kmsKeyArn;
  if (keyRef === undefined) {
    return {
      verdict: 'unknown',
      resource,
      message: `Cannot tell how ${kind.toLowerCase()} ${item.name} is encrypted: ${missingReason(context, target.service, { resource: item.arn, operations: [target.operation] }, 'its KMS key setting')}.`,
    };
  }
  const evidence: Record<string, unknown> = { kmsKeyArn: keyRef || null };
  if (keyRef === null || keyRef === '') {
    return {
      verdict: 'fail',
      resource,
      message: `${kind} ${item.name} has no customer managed key: ${target.what} are encrypted with an AWS owned key, whose use you cannot restrict, audit or revoke.`,
      evidence,
      property,
    };
  }
  if (AWS_MANAGED_ALIAS.test(keyRef)) {
    return { verdict: 'fail', resource, message: `${kind} ${item.name} names the AWS managed key ${keyRef}, not a customer managed key.`, evidence, property };
  }
  const key = context.index.resolveKmsKey(keyRef, item.region);
  if (!key) {
    const why = context.inventory.kms === undefined ? 'KMS keys were not collected' : 'the key is not in the inventory (another account, or not read)';
    return {
      verdict: 'pass',
      resource,
      message: `${kind} ${item.name} is encrypted with KMS key ${keyRef}, not an AWS managed alias (${why}, so the key itself and its state were not checked).`,
      evidence,
    };
  }
  const name = key.aliases[0] ?? key.arn;
  evidence.resolvedKey = { arn: key.arn, keyManager: key.keyManager, keyState: key.keyState ?? null, aliases: key.aliases };
  if (key.keyManager !== 'CUSTOMER') {
    return { verdict: 'fail', resource, message: `${kind} ${item.name} names ${name}, an AWS managed key, not a customer managed key.`, evidence, property };
  }
  if (key.keyState && UNUSABLE_STATES.has(key.keyState)) {
    return {
      verdict: 'fail',
      resource,
      message: `${kind} ${item.name} is encrypted with customer managed key ${name}, but the key is ${key.keyState}: ${target.what} cannot be decrypted.`,
      evidence,
      property,
    };
  }
  return { verdict: 'pass', resource, message: `${kind} ${item.name} is encrypted with customer managed key ${name}.`, evidence };
}
