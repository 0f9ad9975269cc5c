/**
 * Physical names for resources whose name is known only after apply, or never set. Each mapper
 * gives its service's naming rule (TerraformMapper.nameRule); the synthesis is shared.
 */
import { createHash } from 'node:crypto';
import type { TfResource } from './resource.js';
import { isUnknown } from './values.js';

export interface NameRule {
  /** Longest name the service accepts. */
  max: number;
  /** Characters a synthesized name keeps from the address (others become `-`). */
  charset: 'bucket' | 'word' | 'alnum';
  /** Fixed start of every name of the type. */
  lead?: string;
}

export const DEFAULT_NAME_RULE: NameRule = { max: 63, charset: 'alnum' };

/**
 * A physical name for a resource whose name is known only after apply, or never set: unique to
 * this plan (`sourceId`) and the resource's full address (two modules' `aws_iam_role.this`, or two
 * plans' `aws_iam_role.role`, are different roles), deterministic, and within the service's rules.
 * `name_prefix` / `bucket_prefix` are kept: the prefix plus a hash, as Terraform adds a suffix.
 */
export function synthesizedName(resource: TfResource, attribute: string, rule: NameRule, sourceId: string): string {
  const hash = shortHash(`${sourceId}\u0000${resource.address}`);
  const prefixAttribute = attribute === 'bucket' ? 'bucket_prefix' : `${attribute}_prefix`;
  const prefix = resource.values[prefixAttribute];
  if (typeof prefix === 'string' && prefix !== '' && !isUnknown(resource, [prefixAttribute])) {
    return `${prefix.slice(0, Math.max(0, rule.max - hash.length))}${hash}`;
  }
  const lead = `${rule.lead ?? ''}terraform-`;
  const room = rule.max - lead.length - hash.length - 1;
  // The end of the address names the resource (`aws_iam_role.this["x"]`); the start is its module path.
  const body = sanitizeName(resource.address.slice(-4 * rule.max), rule.charset);
  const kept = body.length > room ? body.slice(body.length - room).replace(/^[-_]/, '') : body;
  return `${lead}${kept ? `${kept}-` : ''}${hash}`;
}

/** An address as name characters: runs of anything else become one `-`. */
function sanitizeName(text: string, charset: NameRule['charset']): string {
  const cleaned =
    charset === 'bucket'
      ? text.toLowerCase().replace(/[^a-z0-9-]+/g, '-')
      : charset === 'word'
        ? text.replace(/[^A-Za-z0-9_-]+/g, '-')
        : text.replace(/[^A-Za-z0-9-]+/g, '-');
  // No two separators in a row (CloudTrail and Bedrock refuse `--` and `_-`), none at either end.
  return cleaned.replace(/[-_]{2,}/g, '-').replace(/^[-_]/, '').replace(/[-_]$/, '');
}

function shortHash(seed: string, length = 12): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}
