/**
 * S3 in CloudFormation: AWS::S3::Bucket (its settings, with the defaults S3 applies to a new
 * bucket) and AWS::S3::BucketPolicy (joined to its bucket once every bucket exists).
 */
import { compact, type BucketDraft } from '../iac/draft.js';
import { UNKNOWN, known, type PropertyReader } from '../iac/props.js';
import { S3_NEW_BUCKET_DEFAULT_BLOCK, S3_NEW_BUCKET_DEFAULT_OWNERSHIP, urlSuffixForPartition } from '../iac/synth.js';
import type { MapperTable } from './context.js';
import { addNote, setNotes } from './helpers.js';

export const s3Mappers: MapperTable = {
  'AWS::S3::Bucket': {
    nameLimit: { max: 63, lowerCase: true },
    identity(_resource, { partition: p, region: r, named }) {
      const { name, unresolved } = named('BucketName');
      const arn = `arn:${p}:s3:::${name}`;
      return {
        name,
        arn,
        ref: name,
        nameUnresolved: unresolved,
        attributes: {
          Arn: arn,
          DomainName: `${name}.s3.${urlSuffixForPartition(p)}`,
          RegionalDomainName: `${name}.s3.${r}.${urlSuffixForPartition(p)}`,
          DualStackDomainName: `${name}.s3.dualstack.${r}.${urlSuffixForPartition(p)}`,
          WebsiteURL: `http://${name}.s3-website-${r}.${urlSuffixForPartition(p)}`,
        },
      };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const bucket: BucketDraft = compact({
        ...base(),
        name: identity.name,
        publicAccessBlock: publicAccessBlock(read),
        publicAccessBlockFromDefault: read.value('PublicAccessBlockConfiguration') === undefined ? true : undefined,
        encryption: bucketEncryption(read),
        policy: null,
        versioning: versioning(read),
        objectLock: objectLock(read),
        logging: bucketLogging(read, identity.name),
        ownership: ownership(read),
        lifecycle: lifecycle(read),
        replication: replication(read),
      });
      draft.buckets.push(bucket);
      defer(() => setNotes(bucket, notes()));
    },
  },
  'AWS::S3::BucketPolicy': {
    map({ logicalId }, { draft, read, defer, linkLocation }) {
      const bucketName = known(read.str('Bucket'));
      const document = read.value('PolicyDocument');
      defer(() => {
        const bucket = draft.buckets.find((b) => b.name === bucketName);
        if (!bucket) return;
        if (document === UNKNOWN || document === undefined) {
          delete bucket.policy;
          addNote(bucket, 'BucketPolicy');
        } else {
          bucket.policy = document;
        }
        linkLocation(bucket, 'BucketPolicy', logicalId, 'PolicyDocument');
        // Bucket-policy rules name the setting `PolicyDocument` (the BucketPolicy's property).
        linkLocation(bucket, 'PolicyDocument', logicalId, 'PolicyDocument');
      });
    },
  },
};

/**
 * Bucket-level Block Public Access as declared. Not declared: the template creates the bucket,
 * and S3 has turned all four settings on for every new bucket since April 2023, so absence is
 * that default (flagged, so the verdict can say so); an explicit `false` is what weakens it.
 */
function publicAccessBlock(read: PropertyReader) {
  const declared = read.value('PublicAccessBlockConfiguration');
  if (declared === undefined) return { ...S3_NEW_BUCKET_DEFAULT_BLOCK };
  if (declared === UNKNOWN) return undefined;
  const flag = (name: string) => known(read.bool(`PublicAccessBlockConfiguration.${name}`, false));
  const flags = {
    blockPublicAcls: flag('BlockPublicAcls'),
    ignorePublicAcls: flag('IgnorePublicAcls'),
    blockPublicPolicy: flag('BlockPublicPolicy'),
    restrictPublicBuckets: flag('RestrictPublicBuckets'),
  };
  if (Object.values(flags).some((v) => v === undefined)) return undefined;
  return flags as { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean };
}

/**
 * S3 applies SSE-S3 (AES256) to every bucket that has no default encryption configured (since
 * January 2023), so a bucket without BucketEncryption is known to be SSE-S3, as a live scan reports.
 */
function bucketEncryption(read: PropertyReader) {
  const declared = read.value('BucketEncryption');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return { rules: [{ sseAlgorithm: 'AES256' }] };
  const rules = read.list('BucketEncryption.ServerSideEncryptionConfiguration');
  if (rules === UNKNOWN) return undefined;
  const out = (rules ?? []).map((_, i) => {
    const p = `BucketEncryption.ServerSideEncryptionConfiguration[${i}]`;
    return compact({
      sseAlgorithm: known(read.str(`${p}.ServerSideEncryptionByDefault.SSEAlgorithm`)) ?? '',
      kmsMasterKeyId: known(read.str(`${p}.ServerSideEncryptionByDefault.KMSMasterKeyID`)),
      bucketKeyEnabled: known(read.bool(`${p}.BucketKeyEnabled`)),
    });
  });
  // An unresolved algorithm or key would let a rule judge the wrong key: the whole setting is unknown.
  if (read.unresolved.size && [...read.unresolved].some((u) => u.startsWith('BucketEncryption'))) return undefined;
  return { rules: out.filter((r) => r.sseAlgorithm !== '') };
}

function versioning(read: PropertyReader) {
  const status = read.str('VersioningConfiguration.Status');
  if (status === UNKNOWN) return undefined;
  return {
    status: (status === 'Enabled' || status === 'Suspended' ? status : 'Off') as 'Enabled' | 'Suspended' | 'Off',
    mfaDelete: 'Disabled' as const,
  };
}

function objectLock(read: PropertyReader) {
  const enabled = read.bool('ObjectLockEnabled', false);
  if (enabled === UNKNOWN) return undefined;
  if (!enabled) return null;
  const retention = read.value('ObjectLockConfiguration.Rule.DefaultRetention');
  if (retention === UNKNOWN) return undefined;
  const mode = known(read.str('ObjectLockConfiguration.Rule.DefaultRetention.Mode'));
  return compact({
    enabled: true,
    defaultRetention:
      retention === undefined || (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')
        ? undefined
        : compact({
            mode: mode as 'GOVERNANCE' | 'COMPLIANCE',
            days: known(read.num('ObjectLockConfiguration.Rule.DefaultRetention.Days')),
            years: known(read.num('ObjectLockConfiguration.Rule.DefaultRetention.Years')),
          }),
  });
}

function bucketLogging(read: PropertyReader, bucketName: string) {
  const declared = read.value('LoggingConfiguration');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const target = read.str('LoggingConfiguration.DestinationBucketName');
  if (target === UNKNOWN) return undefined;
  // Without a destination, S3 delivers the access logs to the bucket itself.
  return compact({ targetBucket: target ?? bucketName, targetPrefix: known(read.str('LoggingConfiguration.LogFilePrefix')) });
}

/**
 * Object Ownership as declared. Not declared: the template creates the bucket, and S3 has created
 * every new bucket with BucketOwnerEnforced (ACLs disabled) since April 2023, so absence is that
 * default, as a live scan of the deployed bucket reports.
 */
function ownership(read: PropertyReader) {
  if (read.value('OwnershipControls') === undefined) return { objectOwnership: S3_NEW_BUCKET_DEFAULT_OWNERSHIP };
  const value = read.str('OwnershipControls.Rules[0].ObjectOwnership');
  if (value === UNKNOWN || value === undefined) return undefined;
  return { objectOwnership: value };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};
/** At most this many rules are read (S3 allows 1,000 lifecycle and 1,000 replication rules). */
const MAX_RULES = 1000;

/**
 * LifecycleConfiguration.Rules as declared (the singular legacy Transition and
 * NoncurrentVersionTransition included); none declared: null, as S3 answers for a new bucket.
 * Any unresolved part makes the whole configuration unknown.
 */
function lifecycle(read: PropertyReader) {
  const declared = read.value('LifecycleConfiguration');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const rules = arr(obj(declared)?.Rules).slice(0, MAX_RULES).flatMap((raw) => {
    const r = obj(raw);
    if (!r) return [];
    const storageClasses = (list: unknown[]) => list.flatMap((t) => (str(obj(t)?.StorageClass) ? [str(obj(t)?.StorageClass)!] : []));
    const transitions = storageClasses([...arr(r.Transitions), ...arr(r.Transition)]);
    const noncurrentTransitions = storageClasses([...arr(r.NoncurrentVersionTransitions), ...arr(r.NoncurrentVersionTransition)]);
    return [
      compact({
        id: str(r.Id),
        enabled: str(r.Status) === 'Enabled',
        prefix: str(r.Prefix) || undefined,
        narrowed: arr(r.TagFilters).length > 0 || num(r.ObjectSizeGreaterThan) !== undefined || num(r.ObjectSizeLessThan) !== undefined ? true : undefined,
        expirationDays: num(r.ExpirationInDays),
        expirationDate: str(r.ExpirationDate),
        transitions: transitions.length ? transitions : undefined,
        noncurrentExpirationDays: num(obj(r.NoncurrentVersionExpiration)?.NoncurrentDays) ?? num(r.NoncurrentVersionExpirationInDays),
        noncurrentTransitions: noncurrentTransitions.length ? noncurrentTransitions : undefined,
        abortIncompleteMultipartUploadDays: num(obj(r.AbortIncompleteMultipartUpload)?.DaysAfterInitiation),
      }),
    ];
  });
  return { rules };
}

/** ReplicationConfiguration as declared; none: null. Any unresolved part makes it unknown. */
function replication(read: PropertyReader) {
  const declared = read.value('ReplicationConfiguration');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const config = obj(declared);
  const rules = arr(config?.Rules).slice(0, MAX_RULES).flatMap((raw) => {
    const r = obj(raw);
    if (!r) return [];
    const filter = obj(r.Filter);
    return [
      compact({
        id: str(r.Id),
        enabled: str(r.Status) === 'Enabled',
        destinationBucket: str(obj(r.Destination)?.Bucket),
        prefix: (str(obj(filter?.And)?.Prefix) ?? str(filter?.Prefix) ?? str(r.Prefix)) || undefined,
      }),
    ];
  });
  return compact({ role: str(config?.Role), rules });
}
