/**
 * Checks of one S3 bucket's settings that several rules require of the buckets they care about
 * (invocation log buckets, trail buckets, classified data): each answers what holds (`ok`), what is
 * missing (`missing`: the bucket fails) or what was not read (`unread`: unknown), in words.
 */
import type { PublicAccessBlock, S3Bucket } from '../inventory/schema.js';
import { missingReason } from './rule-kit.js';
import type { RuleContext } from './types.js';

/** What one check found: `missing` fails the bucket, `unread` makes it unknown, neither means it holds. */
export interface BucketCheck {
  missing?: string;
  unread?: string;
  ok?: string;
}

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);
/** Keys that can no longer encrypt: new objects cannot be written with them. */
const UNUSABLE_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'Unavailable']);
const FLAGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;
const ALL_ON: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

/** Default encryption is SSE-KMS or DSSE-KMS with an enabled customer managed key. */
export function cmkEncryptionCheck(context: RuleContext, bucket: S3Bucket): BucketCheck {
  if (bucket.encryption === undefined) {
    return { unread: missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketEncryption'] }, 'the default encryption') };
  }
  const rule = bucket.encryption?.rules[0];
  if (!rule) return { missing: 'it has no default encryption configuration' };
  if (!KMS_ALGORITHMS.has(rule.sseAlgorithm)) {
    return { missing: `default encryption is ${rule.sseAlgorithm === 'AES256' ? 'SSE-S3 (AES256)' : rule.sseAlgorithm}, not SSE-KMS with a customer managed key` };
  }
  const keyRef = rule.kmsMasterKeyId;
  if (!keyRef || /(^|:)alias\/aws\/s3$/.test(keyRef)) {
    return { missing: 'default encryption uses the AWS managed key aws/s3, not a customer managed key' };
  }
  const key = context.index.resolveKmsKey(keyRef, bucket.region);
  if (!key) {
    const why = context.inventory.kms === undefined
      ? 'KMS keys were not collected'
      : context.index.errorsFor('kms', { region: bucket.region }).length
        ? `KMS keys in ${bucket.region} could not all be read`
        : 'the key is not in the inventory (another account, or deleted)';
    return { unread: `whether KMS key ${keyRef} is customer managed (${why})` };
  }
  const keyName = key.aliases[0] ?? key.arn;
  if (key.keyManager !== 'CUSTOMER') return { missing: `default encryption uses ${keyName}, an AWS managed key, not a customer managed key` };
  if (key.keyState && UNUSABLE_STATES.has(key.keyState)) {
    return { missing: `default encryption uses customer managed key ${keyName}, which is ${key.keyState}` };
  }
  return { ok: `is encrypted with customer managed key ${keyName}` };
}

/** Versioning is Enabled. */
export function versioningCheck(context: RuleContext, bucket: S3Bucket): BucketCheck {
  if (bucket.versioning === undefined) {
    return { unread: missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketVersioning'] }, 'the versioning status') };
  }
  if (bucket.versioning.status !== 'Enabled') {
    return { missing: `versioning is ${bucket.versioning.status === 'Suspended' ? 'suspended' : 'not enabled'}` };
  }
  return { ok: 'is versioned' };
}

/**
 * The bucket is not public: its policy status says so, or all four Block Public Access settings
 * are in effect at bucket and account level combined. An account level that was not collected
 * (IaC) counts as all on when the config says so (`assume.accountPublicAccessBlock`).
 */
export function notPublicCheck(context: RuleContext, bucket: S3Bucket, collectedAccount: PublicAccessBlock | null | undefined): BucketCheck {
  if (bucket.policyStatus?.isPublic === false) return { ok: 'is not public (policy status)' };
  const assumed = collectedAccount === undefined && context.settings.assume?.accountPublicAccessBlock === true;
  const account = assumed ? ALL_ON : collectedAccount;
  const effective = FLAGS.map((flag) => {
    const a = account === undefined ? undefined : account === null ? false : account[flag];
    const b = bucket.publicAccessBlock === undefined ? undefined : bucket.publicAccessBlock === null ? false : bucket.publicAccessBlock[flag];
    if (a === true || b === true) return true;
    if (a === false && b === false) return false;
    return undefined;
  });
  if (effective.every((state) => state === true)) {
    return { ok: `is not public (all four Block Public Access settings in effect${assumed ? ', the account level as the config assumes' : ''})` };
  }
  const off = FLAGS.filter((_, i) => effective[i] === false);
  if (bucket.policyStatus?.isPublic === true && effective[3] === false) {
    return { missing: 'its bucket policy is public and RestrictPublicBuckets is not in effect' };
  }
  if (bucket.policyStatus !== undefined && off.length && !effective.includes(undefined)) {
    return { missing: `Block Public Access is not fully in effect (${off.join(', ')} off at bucket and account level) and the policy status does not show the bucket private` };
  }
  const reasons: string[] = [];
  if (bucket.policyStatus === undefined) {
    reasons.push(missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketPolicyStatus'] }, 'the bucket policy status'));
  }
  if (bucket.publicAccessBlock === undefined) {
    reasons.push(missingReason(context, 's3', { resource: bucket.arn, operations: ['GetPublicAccessBlock'] }, 'the bucket-level Block Public Access setting'));
  }
  if (account === undefined) {
    reasons.push(missingReason(context, 's3control', { operations: ['GetPublicAccessBlock'] }, 'the account-level Block Public Access setting'));
  }
  return { unread: `whether it is public (${reasons.join('; ')})` };
}

/** Server access logging is on. */
export function accessLoggingCheck(context: RuleContext, bucket: S3Bucket): BucketCheck {
  if (bucket.logging === undefined) {
    return { unread: missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketLogging'] }, 'the server access logging configuration') };
  }
  if (bucket.logging === null) return { missing: 'server access logging is not enabled' };
  return { ok: `logs its access to s3://${bucket.logging.targetBucket}/${bucket.logging.targetPrefix ?? ''}` };
}

/** Object Lock is enabled, or versioning has MFA delete: deleting or overwriting objects takes more than s3:DeleteObject. */
export function deleteProtectionCheck(context: RuleContext, bucket: S3Bucket): BucketCheck {
  if (bucket.objectLock?.enabled) {
    const retention = bucket.objectLock.defaultRetention;
    return { ok: `has Object Lock${retention ? ` (default retention ${retention.mode})` : ''}` };
  }
  if (bucket.versioning?.mfaDelete === 'Enabled') return { ok: 'has MFA delete' };
  const unread: string[] = [];
  if (bucket.objectLock === undefined) {
    unread.push(missingReason(context, 's3', { resource: bucket.arn, operations: ['GetObjectLockConfiguration'] }, 'the Object Lock configuration'));
  }
  if (bucket.versioning === undefined) {
    unread.push(missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketVersioning'] }, 'the MFA delete setting'));
  }
  if (unread.length) return { unread: `whether Object Lock or MFA delete protects its objects (${unread.join('; ')})` };
  return { missing: 'neither Object Lock nor MFA delete protects its objects from deletion' };
}
