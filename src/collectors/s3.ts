/**
 * S3: the account-level public access block (S3 Control), then every bucket with its settings.
 * Buckets are listed once (a global listing); each bucket's settings are read through a client of
 * the bucket's own region. Expected "not configured" answers become `null` (or `{}` for tags).
 */
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  type Bucket,
  type LifecycleRule,
  type ReplicationRule,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import type { InventoryInput } from '../inventory/schema.js';
import { acceptPolicy } from './policy-check.js';
import { forEachBounded, paginate, type CollectRuntime } from './runtime.js';
import { iso, tagMap, type S3BucketInput } from './shapes.js';

type S3Section = NonNullable<InventoryInput['s3']>;

export interface S3Scope {
  accountId: string;
  partition: string;
  /** Region for the global listing and S3 Control. */
  globalRegion: string;
}

export async function collectAccountPublicAccessBlock(
  rt: CollectRuntime,
  scope: S3Scope,
): Promise<S3Section['accountPublicAccessBlock'] | undefined> {
  const outcome = await rt.call(
    's3control',
    scope.globalRegion,
    'GetPublicAccessBlock',
    (client) => client.send(new GetAccountPublicAccessBlockCommand({ AccountId: scope.accountId })),
    { notConfigured: ['NoSuchPublicAccessBlockConfiguration'], resource: `arn:${scope.partition}:iam::${scope.accountId}:root` },
  );
  if (outcome.status === 'absent') return null;
  if (outcome.status === 'failed') return undefined;
  return publicAccessBlockOf(outcome.value.PublicAccessBlockConfiguration);
}

/** Lists and reads every bucket; undefined when the listing itself failed (section not collected). */
export async function collectBuckets(rt: CollectRuntime, scope: S3Scope): Promise<S3BucketInput[] | undefined> {
  const listed: Bucket[] = [];
  const result = await paginate(
    (token) =>
      rt.call(
        's3',
        scope.globalRegion,
        'ListBuckets',
        (client) => client.send(new ListBucketsCommand({ MaxBuckets: 1000, ...(token ? { ContinuationToken: token } : {}) })),
        { global: true },
      ),
    (page) => page.ContinuationToken,
    (page) => listed.push(...(page.Buckets ?? [])),
  );
  if (result === 'failed') return undefined;

  const buckets: S3BucketInput[] = [];
  // Each bucket makes up to ten calls at once; bounding the buckets in flight to the S3 limit
  // keeps the queue (and memory) flat however many buckets the account has.
  await forEachBounded(listed, rt.concurrencyFor('s3'), async (entry) => {
    if (!entry.Name) return;
    buckets.push(await collectBucket(rt, scope, entry));
  });
  return buckets;
}

async function collectBucket(rt: CollectRuntime, scope: S3Scope, entry: Bucket): Promise<S3BucketInput> {
  const name = entry.Name!;
  const arn = `arn:${scope.partition}:s3:::${name}`;
  const region = entry.BucketRegion ?? (await bucketRegion(rt, scope, name, arn));
  const bucket: S3BucketInput = { arn, region: region ?? 'unknown', name };
  const creationDate = iso(entry.CreationDate);
  if (creationDate) bucket.creationDate = creationDate;
  // Without a known region the settings are still read (the client follows S3's redirects).
  const clientRegion = region ?? scope.globalRegion;
  const Bucket = name;
  const on = { resource: arn };

  await Promise.all([
    rt
      .call('s3', clientRegion, 'GetPublicAccessBlock', (c) => c.send(new GetPublicAccessBlockCommand({ Bucket })), {
        ...on,
        notConfigured: ['NoSuchPublicAccessBlockConfiguration'],
      })
      .then((o) => {
        if (o.status === 'ok') bucket.publicAccessBlock = publicAccessBlockOf(o.value.PublicAccessBlockConfiguration);
        else if (o.status === 'absent') bucket.publicAccessBlock = null;
      }),
    rt
      .call('s3', clientRegion, 'GetBucketEncryption', (c) => c.send(new GetBucketEncryptionCommand({ Bucket })), {
        ...on,
        notConfigured: ['ServerSideEncryptionConfigurationNotFoundError'],
      })
      .then((o) => {
        if (o.status === 'absent') bucket.encryption = null;
        if (o.status !== 'ok') return;
        const rules = (o.value.ServerSideEncryptionConfiguration?.Rules ?? []).flatMap((rule) => {
          const byDefault = rule.ApplyServerSideEncryptionByDefault;
          if (!byDefault?.SSEAlgorithm) return [];
          const mapped: { sseAlgorithm: string; kmsMasterKeyId?: string; bucketKeyEnabled?: boolean } = { sseAlgorithm: byDefault.SSEAlgorithm };
          if (byDefault.KMSMasterKeyID) mapped.kmsMasterKeyId = byDefault.KMSMasterKeyID;
          if (rule.BucketKeyEnabled !== undefined) mapped.bucketKeyEnabled = rule.BucketKeyEnabled;
          return [mapped];
        });
        bucket.encryption = { rules };
      }),
    rt
      .call('s3', clientRegion, 'GetBucketPolicy', (c) => c.send(new GetBucketPolicyCommand({ Bucket })), {
        ...on,
        notConfigured: ['NoSuchBucketPolicy'],
      })
      .then((o) => {
        if (o.status === 'absent') bucket.policy = null;
        else if (o.status === 'ok') {
          const policy = o.value.Policy ?? null;
          if (policy === null || acceptPolicy(rt, { service: 's3', region: clientRegion, operation: 'GetBucketPolicy', resource: arn }, policy)) bucket.policy = policy;
        }
      }),
    rt
      .call('s3', clientRegion, 'GetBucketPolicyStatus', (c) => c.send(new GetBucketPolicyStatusCommand({ Bucket })), {
        ...on,
        notConfigured: ['NoSuchBucketPolicy'],
      })
      .then((o) => {
        if (o.status === 'absent') bucket.policyStatus = null;
        else if (o.status === 'ok') bucket.policyStatus = { isPublic: o.value.PolicyStatus?.IsPublic === true };
      }),
    rt.call('s3', clientRegion, 'GetBucketVersioning', (c) => c.send(new GetBucketVersioningCommand({ Bucket })), on).then((o) => {
      if (o.status !== 'ok') return;
      // S3 omits Status for a bucket that never had versioning and MFADelete when it was never set.
      const status = o.value.Status === 'Enabled' || o.value.Status === 'Suspended' ? o.value.Status : 'Off';
      bucket.versioning = { status, mfaDelete: o.value.MFADelete === 'Enabled' ? 'Enabled' : 'Disabled' };
    }),
    rt.call('s3', clientRegion, 'GetBucketLogging', (c) => c.send(new GetBucketLoggingCommand({ Bucket })), on).then((o) => {
      if (o.status !== 'ok') return;
      const logging = o.value.LoggingEnabled;
      bucket.logging = logging?.TargetBucket
        ? { targetBucket: logging.TargetBucket, ...(logging.TargetPrefix ? { targetPrefix: logging.TargetPrefix } : {}) }
        : null;
    }),
    rt
      .call('s3', clientRegion, 'GetObjectLockConfiguration', (c) => c.send(new GetObjectLockConfigurationCommand({ Bucket })), {
        ...on,
        notConfigured: ['ObjectLockConfigurationNotFoundError'],
      })
      .then((o) => {
        if (o.status === 'absent') bucket.objectLock = null;
        if (o.status !== 'ok') return;
        const config = o.value.ObjectLockConfiguration;
        const retention = config?.Rule?.DefaultRetention;
        const objectLock: NonNullable<S3BucketInput['objectLock']> = { enabled: config?.ObjectLockEnabled === 'Enabled' };
        if (retention?.Mode === 'GOVERNANCE' || retention?.Mode === 'COMPLIANCE') {
          objectLock.defaultRetention = {
            mode: retention.Mode,
            ...(retention.Days !== undefined ? { days: retention.Days } : {}),
            ...(retention.Years !== undefined ? { years: retention.Years } : {}),
          };
        }
        bucket.objectLock = objectLock;
      }),
    rt
      .call('s3', clientRegion, 'GetBucketOwnershipControls', (c) => c.send(new GetBucketOwnershipControlsCommand({ Bucket })), {
        ...on,
        notConfigured: ['OwnershipControlsNotFoundError'],
      })
      .then((o) => {
        if (o.status === 'absent') bucket.ownership = null;
        if (o.status !== 'ok') return;
        const ownership = o.value.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
        bucket.ownership = ownership ? { objectOwnership: ownership } : null;
      }),
    rt
      .call('s3', clientRegion, 'GetBucketTagging', (c) => c.send(new GetBucketTaggingCommand({ Bucket })), {
        ...on,
        notConfigured: ['NoSuchTagSet'],
      })
      .then((o) => {
        if (o.status === 'absent') bucket.tags = {};
        else if (o.status === 'ok') bucket.tags = tagMap(o.value.TagSet);
      }),
    rt
      .call('s3', clientRegion, 'GetBucketLifecycleConfiguration', (c) => c.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), {
        ...on,
        notConfigured: ['NoSuchLifecycleConfiguration'],
      })
      .then((o) => {
        if (o.status === 'absent') bucket.lifecycle = null;
        else if (o.status === 'ok') bucket.lifecycle = { rules: (o.value.Rules ?? []).map(lifecycleRuleOf) };
      }),
    rt
      .call('s3', clientRegion, 'GetBucketReplication', (c) => c.send(new GetBucketReplicationCommand({ Bucket })), {
        ...on,
        notConfigured: ['ReplicationConfigurationNotFoundError'],
      })
      .then((o) => {
        if (o.status === 'absent') bucket.replication = null;
        if (o.status !== 'ok') return;
        const config = o.value.ReplicationConfiguration;
        bucket.replication = config
          ? { ...(config.Role ? { role: config.Role } : {}), rules: (config.Rules ?? []).map(replicationRuleOf) }
          : null;
      }),
  ]);
  return bucket;
}

type LifecycleRuleOut = NonNullable<NonNullable<S3BucketInput['lifecycle']>>['rules'][number];
type ReplicationRuleOut = NonNullable<NonNullable<S3BucketInput['replication']>>['rules'][number];

export function lifecycleRuleOf(rule: LifecycleRule): LifecycleRuleOut {
  const out: LifecycleRuleOut = { enabled: rule.Status === 'Enabled' };
  if (rule.ID) out.id = rule.ID;
  const filter = rule.Filter;
  const prefix = filter?.And?.Prefix ?? filter?.Prefix ?? rule.Prefix;
  if (prefix) out.prefix = prefix;
  const and = filter?.And;
  if (
    filter?.Tag ||
    filter?.ObjectSizeGreaterThan !== undefined ||
    filter?.ObjectSizeLessThan !== undefined ||
    (and && ((and.Tags?.length ?? 0) > 0 || and.ObjectSizeGreaterThan !== undefined || and.ObjectSizeLessThan !== undefined))
  ) {
    out.narrowed = true;
  }
  if (rule.Expiration?.Days !== undefined) out.expirationDays = rule.Expiration.Days;
  const date = iso(rule.Expiration?.Date);
  if (date) out.expirationDate = date;
  const transitions = (rule.Transitions ?? []).flatMap((t) => (t.StorageClass ? [t.StorageClass] : []));
  if (transitions.length) out.transitions = transitions;
  if (rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined) out.noncurrentExpirationDays = rule.NoncurrentVersionExpiration.NoncurrentDays;
  const noncurrent = (rule.NoncurrentVersionTransitions ?? []).flatMap((t) => (t.StorageClass ? [t.StorageClass] : []));
  if (noncurrent.length) out.noncurrentTransitions = noncurrent;
  if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined) {
    out.abortIncompleteMultipartUploadDays = rule.AbortIncompleteMultipartUpload.DaysAfterInitiation;
  }
  return out;
}

export function replicationRuleOf(rule: ReplicationRule): ReplicationRuleOut {
  const out: ReplicationRuleOut = { enabled: rule.Status === 'Enabled' };
  if (rule.ID) out.id = rule.ID;
  if (rule.Destination?.Bucket) out.destinationBucket = rule.Destination.Bucket;
  const prefix = rule.Filter?.And?.Prefix ?? rule.Filter?.Prefix ?? rule.Prefix;
  if (prefix) out.prefix = prefix;
  return out;
}

/** GetBucketLocation answers '' (or nothing) for us-east-1 and the legacy 'EU' for eu-west-1. */
async function bucketRegion(rt: CollectRuntime, scope: S3Scope, name: string, arn: string): Promise<string | undefined> {
  const outcome = await rt.call('s3', scope.globalRegion, 'GetBucketLocation', (c) => c.send(new GetBucketLocationCommand({ Bucket: name })), {
    resource: arn,
    global: true,
  });
  if (outcome.status !== 'ok') return undefined;
  return normalizeLocation(outcome.value.LocationConstraint);
}

export function normalizeLocation(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

function publicAccessBlockOf(config: PublicAccessBlockConfiguration | undefined) {
  // An unset flag in a returned configuration is false (S3 omits false values in some responses).
  return {
    blockPublicAcls: config?.BlockPublicAcls === true,
    ignorePublicAcls: config?.IgnorePublicAcls === true,
    blockPublicPolicy: config?.BlockPublicPolicy === true,
    restrictPublicBuckets: config?.RestrictPublicBuckets === true,
  };
}
