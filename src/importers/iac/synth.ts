/**
 * Deterministic stand-ins for identifiers AWS only assigns at deploy time (KMS key ids, guardrail
 * ids, ...). They are derived from the resource's logical id or address, so the same template
 * always yields the same inventory (stable fingerprints, byte-comparable output) and cross-
 * references inside one template (bucket -> its key) resolve to each other.
 */
import { createHash } from 'node:crypto';

/** Used when no account id is given: AWS's own documentation placeholder. */
export const PLACEHOLDER_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

function digest(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** A UUID-shaped id (KMS key ids look like this). */
export function syntheticUuid(seed: string): string {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Upper-case alphanumeric id of `length` characters (Bedrock agent and guardrail ids). */
export function syntheticAlnumId(seed: string, length = 10): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return out;
}

/** Lower-case hex id with an AWS-style prefix (`vpce-0a1b...`, `d-...`). */
export function syntheticHexId(prefix: string, seed: string, length = 17): string {
  return `${prefix}${digest(seed).slice(0, length)}`;
}

export function partitionForRegion(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function urlSuffixForPartition(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * What S3 applies to a bucket created without a public access block of its own: all four settings
 * on, for every new bucket since April 2023. A template or plan that creates a bucket without
 * declaring the setting gets this; an existing bucket's setting is not in the code.
 */
export const S3_NEW_BUCKET_DEFAULT_BLOCK = Object.freeze({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
/** Object Ownership S3 gives every new bucket without ownership controls (since April 2023): ACLs disabled. */
export const S3_NEW_BUCKET_DEFAULT_OWNERSHIP = 'BucketOwnerEnforced';

/** S3 bucket names are lower case, 3-63 chars of [a-z0-9.-]: a logical id becomes a valid-looking name. */
export function bucketNameFromLogicalId(logicalId: string): string {
  const cleaned = logicalId.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned.length >= 3 ? cleaned.slice(0, 63) : `${cleaned}-bucket`;
}

/** IAM path as written, normalized to start and end with `/`. */
export function iamPath(path: unknown): string {
  if (typeof path !== 'string' || path === '') return '/';
  let p = path.startsWith('/') ? path : `/${path}`;
  if (!p.endsWith('/')) p += '/';
  return p;
}

/**
 * The key policy KMS attaches when a key is created without one (documented as "the default key
 * policy"): the account root may do everything, which delegates access control to IAM.
 */
export function defaultKeyPolicy(partition: string, accountId: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}
