/**
 * What the log group rules share: naming a log group from a reference (CloudTrail's ARN with `:*`,
 * Bedrock's name in a region), and judging its KMS encryption. Rules stay linear: log groups are
 * looked up in the index by ARN.
 */
import type { LogGroup } from '../inventory/schema.js';
import { describeErrors, logGroupArnOf } from './inventory-index.js';
import { missingReason, resourceRef } from './rule-kit.js';
import type { ResourceRef, RuleContext, RuleResult } from './types.js';

/** Keys that can no longer encrypt or decrypt: CloudWatch Logs can neither write nor read the group's events. */
const UNUSABLE_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'Unavailable']);

export interface LogGroupRef {
  /** Without the `:*` suffix. */
  arn: string;
  region: string;
  accountId: string;
  name: string;
}

/** A log group ARN (`...:log-group:<name>` with or without `:*`) split into its parts; undefined when it is not one. */
export function parseLogGroupArn(reference: string): LogGroupRef | undefined {
  const arn = logGroupArnOf(reference);
  // Split, not a regular expression: the ARN comes from a template, a plan or an export.
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'logs' || parts[5] !== 'log-group') return undefined;
  const name = parts.slice(6).join(':');
  if (!name) return undefined;
  return { arn, region: parts[3]!, accountId: parts[4]!, name };
}

/** The log group a name in a region refers to (how Bedrock invocation logging names its destination). */
export function logGroupRefOf(context: RuleContext, region: string, name: string): LogGroupRef {
  const { partition, accountId } = context.index;
  return { arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`, region, accountId, name };
}

/** The finding's resource: the log group as recorded, else as referenced. */
export function logGroupResource(ref: LogGroupRef, group: LogGroup | undefined): ResourceRef {
  return group
    ? resourceRef(group.arn, 'AWS::Logs::LogGroup', group.region, group.name, group.source)
    : resourceRef(ref.arn, 'AWS::Logs::LogGroup', ref.region, ref.name);
}

/** Why a referenced log group is not in the inventory, as a clause ("log groups were not collected"). */
export function missingLogGroupReason(context: RuleContext, ref: LogGroupRef): string {
  if (ref.accountId !== context.index.accountId) return `it belongs to account ${ref.accountId || '(none)'}, which was not scanned`;
  if (context.inventory.logs === undefined) {
    if (context.inventory.partial && context.index.errorsFor('logs').length === 0) return 'the infrastructure code does not declare it';
    return missingReason(context, 'logs', { region: ref.region }, 'the CloudWatch Logs inventory');
  }
  const errors = context.index.errorsFor('logs', { region: ref.region, operations: ['DescribeLogGroups'] });
  if (errors.length) return `the log groups of ${ref.region} could not all be read (${describeErrors(errors)})`;
  if (!context.inventory.regions.includes(ref.region) && !context.inventory.logs.logGroups.some((g) => g.region === ref.region)) {
    return `${ref.region} was not scanned`;
  }
  return context.inventory.partial
    ? 'the infrastructure code does not declare it'
    : 'it is not in the inventory (deleted, or it was not read)';
}

/**
 * The verdict on a log group's encryption, for the log group that `writers` ("Bedrock invocation
 * logging in us-east-1", "trail org-trail") writes to. `what` names the data ("prompts and
 * completions"). Retention is reported in the evidence, not judged.
 */
export function judgeLogGroupEncryption(
  context: RuleContext,
  ref: LogGroupRef,
  group: LogGroup | undefined,
  writers: string,
  what: string,
  extraEvidence: Record<string, unknown>,
): RuleResult {
  const resource = logGroupResource(ref, group);
  if (!group) {
    return {
      verdict: 'unknown',
      resource,
      message: `Log group ${ref.name} receives ${writers}, but ${missingLogGroupReason(context, ref)}, so its encryption cannot be judged.`,
      evidence: { logGroupArn: ref.arn, ...extraEvidence },
    };
  }
  const evidence: Record<string, unknown> = {
    logGroupArn: group.arn,
    kmsKeyId: group.kmsKeyId ?? null,
    retentionInDays: group.retentionInDays ?? null,
    retention: group.retentionInDays === undefined ? 'not collected' : group.retentionInDays === null ? 'events never expire' : `events kept ${group.retentionInDays} days`,
    ...(group.dataProtectionStatus !== undefined ? { dataProtectionStatus: group.dataProtectionStatus } : {}),
    ...extraEvidence,
  };
  const keyRef = group.kmsKeyId;
  if (keyRef === undefined) {
    return {
      verdict: 'unknown',
      resource,
      message: `Cannot tell whether log group ${group.name}, which receives ${writers}, is encrypted with a KMS key: ${missingReason(context, 'logs', { region: group.region, operations: ['DescribeLogGroups'] }, 'its KMS key setting')}.`,
      evidence,
    };
  }
  if (keyRef === null || keyRef === '') {
    return {
      verdict: 'fail',
      resource,
      message: `Log group ${group.name} receives ${writers} (${what}), but it is not encrypted with a KMS key: only CloudWatch Logs' own encryption protects it, so anyone allowed to read log events reads them, with no key policy to pass and no record of decryption.`,
      evidence: { ...evidence, kmsKeyId: null },
      property: 'KmsKeyId',
    };
  }
  const key = context.index.resolveKmsKey(keyRef, group.region);
  if (!key) {
    // CloudWatch Logs accepts only symmetric customer managed keys (an AWS managed key's policy
    // cannot grant logs.<region>.amazonaws.com), so a key we cannot resolve is still one.
    const why = context.inventory.kms === undefined ? 'KMS keys were not collected' : 'the key is not in the inventory (another account, or not read)';
    return {
      verdict: 'pass',
      resource,
      message: `Log group ${group.name}, which receives ${writers}, is encrypted with KMS key ${keyRef} (${why}; CloudWatch Logs accepts only customer managed keys, so its state was not checked).`,
      evidence,
    };
  }
  const name = key.aliases[0] ?? key.arn;
  evidence.resolvedKey = { arn: key.arn, keyManager: key.keyManager, keyState: key.keyState ?? null, aliases: key.aliases };
  if (key.keyManager !== 'CUSTOMER') {
    return {
      verdict: 'fail',
      resource,
      message: `Log group ${group.name} receives ${writers}, but names ${name}, an AWS managed key, not a customer managed key.`,
      evidence,
      property: 'KmsKeyId',
    };
  }
  if (key.keyState && UNUSABLE_STATES.has(key.keyState)) {
    return {
      verdict: 'fail',
      resource,
      message: `Log group ${group.name} receives ${writers} and is encrypted with customer managed key ${name}, but the key is ${key.keyState}: CloudWatch Logs can neither write nor read its events.`,
      evidence,
      property: 'KmsKeyId',
    };
  }
  return {
    verdict: 'pass',
    resource,
    message: `Log group ${group.name}, which receives ${writers}, is encrypted with customer managed key ${name}.`,
    evidence,
  };
}
