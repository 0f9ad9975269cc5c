/**
 * S3 in a Terraform plan: `aws_s3_bucket`, the account-level public access block, and the split
 * resources of provider v4+ (`aws_s3_bucket_public_access_block`, `_server_side_encryption_
 * configuration`, `_versioning`, `_policy`, `_logging`, `_ownership_controls`, `_object_lock_
 * configuration`, `_lifecycle_configuration`, `_replication_configuration`), joined to their bucket by reference, or by bucket name when the reference
 * cannot be followed. A joined setting replaces the bucket's inline one and points its location
 * at the split resource's block.
 */
import { compact, type BucketDraft } from '../iac/draft.js';
import { UNKNOWN, known } from '../iac/props.js';
import { S3_NEW_BUCKET_DEFAULT_BLOCK, S3_NEW_BUCKET_DEFAULT_OWNERSHIP } from '../iac/synth.js';
import { serviceState, type AttrPath, type MapContext, type MapperTable, type TfResource } from './context.js';
import { firstObject, remember } from './helpers.js';

/** The buckets of this plan, for the split resources to find. */
const BUCKETS = serviceState(() => ({
  byResource: new Map<TfResource, BucketDraft>(),
  byName: new Map<string, BucketDraft>(),
}));

export const s3Mappers: MapperTable = {
  aws_s3_bucket: {
    // 3-63 lower-case letters, digits, dots and hyphens.
    nameRule: { max: 63, charset: 'bucket' },
    identity({ nameOf, given, set, partition: p }) {
      const name = nameOf('bucket');
      set(name, given('arn') ?? `arn:${p}:s3:::${name}`, { id: name, bucket: name });
    },
    map(ctx) {
      const { resource: r, unresolved: u } = ctx;
      const id = r.identity;
      if (r.nameUnknown) u.add('BucketName');
      const sse = ctx.block('server_side_encryption_configuration');
      const versioningBlock = ctx.block('versioning');
      const loggingBlock = ctx.block('logging');
      const lock = ctx.block('object_lock_configuration');
      const inlinePolicy = ctx.policy('policy', 'BucketPolicy');
      const bucket: BucketDraft = compact({
        ...ctx.base({
          bucket: 'BucketName',
          server_side_encryption_configuration: 'BucketEncryption',
          versioning: 'VersioningConfiguration',
          logging: 'LoggingConfiguration',
          object_lock_enabled: 'ObjectLockEnabled',
          object_lock_configuration: 'ObjectLockConfiguration',
          policy: 'BucketPolicy',
          tags: 'Tags',
        }),
        name: id.name,
        // Bucket-level block only exists as aws_s3_bucket_public_access_block (joined below). A
        // bucket the plan creates without one gets S3's default for new buckets; an existing
        // bucket's setting is not in the plan.
        publicAccessBlock: ctx.created ? { ...S3_NEW_BUCKET_DEFAULT_BLOCK } : undefined,
        publicAccessBlockFromDefault: ctx.created ? true : undefined,
        // Provider v4+ marks the inline encryption block as computed: unknown but not configured means
        // "whatever S3 applies", which is SSE-S3 unless a split resource (joined below) says otherwise.
        encryption: sse
          ? sseRules(ctx, ['server_side_encryption_configuration', 0, 'rule'])
          : ctx.isUnknown(['server_side_encryption_configuration']) && ctx.configured('server_side_encryption_configuration')
            ? (u.add('BucketEncryption'), undefined)
            : { rules: [{ sseAlgorithm: 'AES256' }] },
        policy: inlinePolicy === UNKNOWN ? undefined : inlinePolicy ?? null,
        versioning: versioningBlock
          ? { status: versioningBlock.enabled === true ? ('Enabled' as const) : ('Off' as const), mfaDelete: versioningBlock.mfa_delete === true ? ('Enabled' as const) : ('Disabled' as const) }
          : { status: 'Off' as const, mfaDelete: 'Disabled' as const },
        objectLock: r.values.object_lock_enabled === true || lock ? { enabled: true } : null,
        logging: loggingBlock
          ? compact({ targetBucket: String(loggingBlock.target_bucket ?? ''), targetPrefix: typeof loggingBlock.target_prefix === 'string' ? loggingBlock.target_prefix : undefined })
          : null,
        // Ownership controls only exist as aws_s3_bucket_ownership_controls (joined below). A bucket
        // the plan creates without them gets S3's default for new buckets (ACLs disabled); an
        // existing bucket's setting is not in the plan.
        ownership: ctx.created ? { objectOwnership: S3_NEW_BUCKET_DEFAULT_OWNERSHIP } : undefined,
        // Lifecycle and replication: provider v3's inline blocks when written, else the split
        // resources (joined below); a bucket the plan creates has neither until one is joined.
        lifecycle: inlineLifecycle(ctx) ?? (ctx.created ? null : undefined),
        replication: inlineReplication(ctx) ?? (ctx.created ? null : undefined),
      });
      const inlinePolicyLocation = bucket.source?.properties?.BucketPolicy;
      if (inlinePolicyLocation && bucket.source?.properties) bucket.source.properties.PolicyDocument = { ...inlinePolicyLocation };
      if (!ctx.created) u.add('PublicAccessBlockConfiguration');
      ctx.draft.buckets.push(bucket);
      const buckets = ctx.state(BUCKETS);
      remember(buckets.byName, bucket.name, bucket);
      remember(buckets.byName, bucket.arn, bucket);
      buckets.byResource.set(r, bucket);
      ctx.finish(bucket);
    },
  },

  aws_s3_account_public_access_block: {
    map(ctx) {
      const flag = (attr: string) => ctx.bool(attr, 'PublicAccessBlockConfiguration', false);
      const flags = {
        blockPublicAcls: flag('block_public_acls'),
        ignorePublicAcls: flag('ignore_public_acls'),
        blockPublicPolicy: flag('block_public_policy'),
        restrictPublicBuckets: flag('restrict_public_buckets'),
      };
      if (Object.values(flags).every((f) => f !== undefined)) ctx.draft.accountPublicAccessBlock = flags as Required<typeof flags> as never;
    },
  },

  aws_s3_bucket_public_access_block: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const flag = (attr: string) => ctx.bool(attr, 'PublicAccessBlockConfiguration', false);
      const flags = {
        blockPublicAcls: flag('block_public_acls'),
        ignorePublicAcls: flag('ignore_public_acls'),
        blockPublicPolicy: flag('block_public_policy'),
        restrictPublicBuckets: flag('restrict_public_buckets'),
      };
      const complete = Object.values(flags).every((f) => f !== undefined);
      // Declared: it replaces S3's default, known or not.
      delete bucket.publicAccessBlockFromDefault;
      bucket.publicAccessBlock = complete ? (flags as { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean }) : undefined;
      settle(bucket, 'PublicAccessBlockConfiguration', !complete);
      attachLocation(bucket, ctx.resource, 'PublicAccessBlockConfiguration', {
        block_public_acls: 'BlockPublicAcls',
        ignore_public_acls: 'IgnorePublicAcls',
        block_public_policy: 'BlockPublicPolicy',
        restrict_public_buckets: 'RestrictPublicBuckets',
      });
    },
  },

  aws_s3_bucket_server_side_encryption_configuration: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const encryption = sseRules(ctx, ['rule']);
      if (encryption) bucket.encryption = encryption;
      else delete bucket.encryption;
      settle(bucket, 'BucketEncryption', encryption === undefined);
      attachLocation(bucket, ctx.resource, 'BucketEncryption');
    },
  },

  aws_s3_bucket_versioning: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const config = ctx.block('versioning_configuration');
      const status = config?.status;
      bucket.versioning = {
        status: status === 'Enabled' ? 'Enabled' : status === 'Suspended' ? 'Suspended' : 'Off',
        mfaDelete: config?.mfa_delete === 'Enabled' ? 'Enabled' : 'Disabled',
      };
      attachLocation(bucket, ctx.resource, 'VersioningConfiguration');
    },
  },

  aws_s3_bucket_policy: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const policy = ctx.policy('policy', 'BucketPolicy');
      if (policy === UNKNOWN || policy === undefined) delete bucket.policy;
      else bucket.policy = policy;
      settle(bucket, 'BucketPolicy', policy === UNKNOWN);
      attachLocation(bucket, ctx.resource, 'BucketPolicy');
      // Bucket-policy rules name the setting `PolicyDocument` (the CloudFormation BucketPolicy's property).
      attachLocation(bucket, ctx.resource, 'PolicyDocument');
    },
  },

  aws_s3_bucket_logging: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const target = ctx.readStr(['target_bucket'], 'LoggingConfiguration');
      if (target === UNKNOWN || target === undefined) delete bucket.logging;
      else bucket.logging = compact({ targetBucket: target, targetPrefix: typeof ctx.resource.values.target_prefix === 'string' ? ctx.resource.values.target_prefix : undefined });
      settle(bucket, 'LoggingConfiguration', target === UNKNOWN);
      attachLocation(bucket, ctx.resource, 'LoggingConfiguration');
    },
  },

  aws_s3_bucket_ownership_controls: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const rule = ctx.block('rule');
      if (typeof rule?.object_ownership === 'string') bucket.ownership = { objectOwnership: rule.object_ownership };
      // Declared but not known until apply: the created bucket's default no longer applies.
      else delete bucket.ownership;
      attachLocation(bucket, ctx.resource, 'OwnershipControls');
    },
  },

  aws_s3_bucket_object_lock_configuration: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const retention = firstObject(ctx.block('rule')?.default_retention);
      const mode = retention?.mode;
      bucket.objectLock = compact({
        enabled: true,
        defaultRetention:
          mode === 'GOVERNANCE' || mode === 'COMPLIANCE'
            ? compact({ mode: mode as 'GOVERNANCE' | 'COMPLIANCE', days: typeof retention?.days === 'number' ? retention.days : undefined, years: typeof retention?.years === 'number' ? retention.years : undefined })
            : undefined,
      });
      attachLocation(bucket, ctx.resource, 'ObjectLockConfiguration');
    },
  },

  aws_s3_bucket_lifecycle_configuration: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const before = ctx.unresolved.size;
      const rules = ctx.blocks(ctx.resource.values.rule, [...ctx.resource.jsonPath, 'values', 'rule']).slice(0, MAX_RULES).map((rule, i) => {
        const at: AttrPath = ['rule', i];
        const status = ctx.readStr([...at, 'status'], 'LifecycleConfiguration');
        const filter = firstObject(rule.filter);
        const and = firstObject(filter?.and);
        const expiration = firstObject(rule.expiration);
        const noncurrent = firstObject(rule.noncurrent_version_expiration);
        const abort = firstObject(rule.abort_incomplete_multipart_upload);
        const size = (v: unknown) => typeof v === 'number' && v > 0;
        return compact({
          id: typeof rule.id === 'string' && rule.id ? rule.id : undefined,
          enabled: status === 'Enabled',
          prefix: nonEmpty(and?.prefix) ?? nonEmpty(filter?.prefix) ?? nonEmpty(rule.prefix),
          narrowed:
            firstObject(filter?.tag) || size(filter?.object_size_greater_than) || size(filter?.object_size_less_than) ||
            (and && (Object.keys(firstObject(and.tags) ?? {}).length > 0 || size(and.object_size_greater_than) || size(and.object_size_less_than)))
              ? true
              : undefined,
          expirationDays: positive(expiration?.days),
          expirationDate: nonEmpty(expiration?.date),
          transitions: storageClasses(rule.transition),
          noncurrentExpirationDays: positive(noncurrent?.noncurrent_days),
          noncurrentTransitions: storageClasses(rule.noncurrent_version_transition),
          abortIncompleteMultipartUploadDays: positive(abort?.days_after_initiation),
        });
      });
      const unknown = ctx.unresolved.size > before || ctx.isUnknown(['rule']);
      if (unknown) delete bucket.lifecycle;
      else bucket.lifecycle = { rules };
      settle(bucket, 'LifecycleConfiguration', unknown);
      attachLocation(bucket, ctx.resource, 'LifecycleConfiguration');
    },
  },

  aws_s3_bucket_replication_configuration: {
    attach(ctx) {
      const bucket = targetBucket(ctx);
      if (!bucket) return;
      const role = ctx.readStr(['role'], 'ReplicationConfiguration.Role');
      const rules = ctx.blocks(ctx.resource.values.rule, [...ctx.resource.jsonPath, 'values', 'rule']).slice(0, MAX_RULES).map((rule, i) => {
        const at: AttrPath = ['rule', i];
        const status = ctx.readStr([...at, 'status'], 'ReplicationConfiguration');
        const destination = ctx.readStr([...at, 'destination', 0, 'bucket'], 'ReplicationConfiguration.Destination');
        const filter = firstObject(rule.filter);
        return compact({
          id: typeof rule.id === 'string' && rule.id ? rule.id : undefined,
          enabled: status === 'Enabled',
          destinationBucket: known(destination) ?? referencedBucketArn(ctx, [...at, 'destination', 0, 'bucket']),
          prefix: nonEmpty(firstObject(filter?.and)?.prefix) ?? nonEmpty(filter?.prefix) ?? nonEmpty(rule.prefix),
        });
      });
      // An unknown role or destination still leaves a replication configuration; an unknown status does not.
      const unknown = ctx.isUnknown(['rule']) || rules.some((_, i) => ctx.isUnknown(['rule', i, 'status']));
      if (unknown) delete bucket.replication;
      else bucket.replication = compact({ role: known(role), rules });
      settle(bucket, 'ReplicationConfiguration', unknown);
      attachLocation(bucket, ctx.resource, 'ReplicationConfiguration');
    },
  },
};

/** At most this many rules are read (S3 allows 1,000 lifecycle and 1,000 replication rules). */
const MAX_RULES = 1000;
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const positive = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);

/** Storage classes of transition blocks (in order); undefined when there are none. */
function storageClasses(value: unknown): string[] | undefined {
  const list = (Array.isArray(value) ? value : value ? [value] : []).slice(0, MAX_RULES);
  const out = list.flatMap((t) => (t && typeof t === 'object' && typeof (t as Record<string, unknown>).storage_class === 'string' ? [(t as Record<string, string>).storage_class!] : []));
  return out.length ? out : undefined;
}

/** The ARN of the plan's bucket an attribute refers to (`aws_s3_bucket.dr.arn`), when it is unknown until apply. */
function referencedBucketArn(ctx: MapContext, path: AttrPath): string | undefined {
  const followed = ctx.referenceTarget(path);
  if (followed?.target.type !== 'aws_s3_bucket') return undefined;
  return ctx.state(BUCKETS).byResource.get(followed.target)?.arn;
}

/** Provider v3 inline `lifecycle_rule` blocks; undefined when there are none. */
function inlineLifecycle(ctx: MapContext): BucketDraft['lifecycle'] | undefined {
  const raw = ctx.resource.values.lifecycle_rule;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const rules = ctx.blocks(raw, [...ctx.resource.jsonPath, 'values', 'lifecycle_rule']).slice(0, MAX_RULES).map((rule) => {
    const expiration = firstObject(rule.expiration);
    const noncurrent = firstObject(rule.noncurrent_version_expiration);
    return compact({
      id: nonEmpty(rule.id),
      enabled: rule.enabled === true,
      prefix: nonEmpty(rule.prefix),
      narrowed: Object.keys(firstObject(rule.tags) ?? {}).length > 0 ? true : undefined,
      expirationDays: positive(expiration?.days),
      expirationDate: nonEmpty(expiration?.date),
      transitions: storageClasses(rule.transition),
      noncurrentExpirationDays: positive(noncurrent?.days),
      noncurrentTransitions: storageClasses(rule.noncurrent_version_transition),
      abortIncompleteMultipartUploadDays: positive(rule.abort_incomplete_multipart_upload_days),
    });
  });
  return { rules };
}

/** Provider v3 inline `replication_configuration` block; undefined when there is none. */
function inlineReplication(ctx: MapContext): BucketDraft['replication'] | undefined {
  const config = ctx.block('replication_configuration');
  if (!config) return undefined;
  const rules = ctx.blocks(config.rules, [...ctx.resource.jsonPath, 'values', 'replication_configuration', 0, 'rules']).slice(0, MAX_RULES).map((rule) => {
    const destination = firstObject(rule.destination);
    return compact({
      id: nonEmpty(rule.id),
      enabled: rule.status === 'Enabled',
      destinationBucket: nonEmpty(destination?.bucket),
      prefix: nonEmpty(firstObject(rule.filter)?.prefix) ?? nonEmpty(rule.prefix),
    });
  });
  return compact({ role: nonEmpty(config.role), rules });
}

/** Default encryption rules at `rulePath`; undefined (noted) when a rule's key or algorithm is unknown. */
function sseRules(ctx: MapContext, rulePath: AttrPath) {
  const { resource: r, unresolved: u } = ctx;
  let rules: unknown = r.values;
  for (const part of rulePath) rules = (rules as Record<string | number, unknown> | undefined)?.[part];
  if (!Array.isArray(rules)) return ctx.isUnknown(rulePath) ? (u.add('BucketEncryption'), undefined) : { rules: [] };
  const before = u.size;
  const out = ctx.blocks(rules, [...r.jsonPath, 'values', ...rulePath]).map((rule, i) => {
    const byDefault = [...rulePath, i, 'apply_server_side_encryption_by_default', 0];
    const algorithm = ctx.readStr([...byDefault, 'sse_algorithm'], 'BucketEncryption');
    const key = ctx.readStr([...byDefault, 'kms_master_key_id'], 'BucketEncryption');
    return compact({
      sseAlgorithm: known(algorithm) ?? '',
      kmsMasterKeyId: known(key) || undefined,
      bucketKeyEnabled: typeof rule.bucket_key_enabled === 'boolean' ? rule.bucket_key_enabled : undefined,
    });
  });
  // An unknown key or algorithm would let a rule judge the wrong key: the whole setting is unknown.
  if (u.size > before) return undefined;
  return { rules: out.filter((rule) => rule.sseAlgorithm !== '') };
}

/** The bucket a split S3 resource configures: by reference when possible, else by name. */
function targetBucket(ctx: MapContext): BucketDraft | undefined {
  const buckets = ctx.state(BUCKETS);
  const followed = ctx.referenceTarget(['bucket']);
  if (followed?.target.type === 'aws_s3_bucket') return buckets.byResource.get(followed.target);
  const name = ctx.readStr(['bucket'], 'Bucket');
  if (name === UNKNOWN || name === undefined) return undefined;
  return buckets.byName.get(name);
}

/** The bucket's note for `key` now says what the split resource left: unknown or not. */
function settle(bucket: BucketDraft, key: string, unknown: boolean): void {
  const notes = new Set(bucket.unresolved ?? []);
  notes.delete(key);
  if (unknown) notes.add(key);
  if (notes.size) bucket.unresolved = [...notes].sort();
  else delete bucket.unresolved;
}

/** Points the bucket's setting `key` (and its sub-settings) at the split resource's block. */
function attachLocation(bucket: BucketDraft, r: TfResource, key: string, attributes: Record<string, string> = {}): void {
  if (!r.block || !bucket.source) return;
  const sameFile = bucket.source.file === r.block.file;
  const entry = (position: { line: number; column: number }) => (sameFile ? { ...position } : { ...position, file: r.block!.file });
  const properties = { ...(bucket.source.properties ?? {}) };
  properties[key] = entry({ line: r.block.line, column: r.block.column });
  for (const [attribute, sub] of Object.entries(attributes)) {
    const position = r.block.attributes.get(attribute);
    if (position) properties[`${key}.${sub}`] = entry(position);
  }
  bucket.source.properties = properties;
}
