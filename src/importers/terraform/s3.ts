/**
 * S3 in a Terraform plan: `aws_s3_bucket`, the account-level public access block, and the split
 * resources of provider v4+ (`aws_s3_bucket_public_access_block`, `_server_side_encryption_
 * configuration`, `_versioning`, `_policy`, `_logging`, `_ownership_controls`, `_object_lock_
 * configuration`), joined to their bucket by reference, or by bucket name when the reference
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
};

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
