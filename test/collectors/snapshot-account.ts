/**
 * A fake AWS account built from an inventory snapshot: every read-only operation the collectors
 * call is answered (aws-sdk-client-mock, through fake-account.ts) with the SDK output shape AWS
 * would give for the resources, settings and failures the snapshot records, so that
 * `collectInventory` over it should give back the snapshot's facts, and the rules their verdicts.
 *
 * - Regional calls answer with the snapshot's resources of the client's region; per-bucket S3
 *   calls must be made in the bucket's region (else PermanentRedirect, as S3 does).
 * - "Not configured" settings (`null`) are answered as AWS does: the documented error code
 *   (NoSuchBucketPolicy, ...), or an answer without the element.
 * - `collectionErrors` are injected as SDK errors (same code and message) on the call for the same
 *   service, operation, region and resource. IAM `IncompleteResponse` errors are reproduced by
 *   shaping the answer (an inline policy without its document). Errors no collector call can
 *   produce are returned by `unreproduced()`.
 * - A fact the snapshot lacks without a recorded error cannot be answered as AWS would (AWS always
 *   answers something): the whole answer then fails with `SnapshotGap`, or, for a field the
 *   collector turns into `null` when AWS leaves it out, the answer goes out without it. Either way
 *   the fact is listed in `gaps`, which a test should expect to be empty.
 * - Resource tags that are absent are answered as "no tags" (not a gap).
 */
import type { CollectionError, Inventory } from '../../src/inventory/schema.js';
import type { CollectOptions } from '../../src/collectors/options.js';
import type { PolicyDocument } from '../../src/policy/document.js';
import { awsError, installFakeAccount, type FakeAccount, type Handlers } from './fake-account.js';

export interface SnapshotAccount extends FakeAccount {
  /** Options that scan the snapshot's account, regions and time window with the fake. */
  options: CollectOptions;
  /** Snapshot facts answered with a SnapshotGap failure or left out of an answer (see above). */
  gaps: string[];
  /** Snapshot collection errors that no call of the collection reproduced. */
  unreproduced(): CollectionError[];
}

/** Services whose errors carry no region (see runtime.ts GLOBAL_SERVICES and `global: true` calls). */
const GLOBAL_SERVICES = new Set(['iam', 's3control', 'sts']);

const STATUS_OF: Record<string, number> = {
  AccessDenied: 403,
  AccessDeniedException: 403,
  ThrottlingException: 400,
  Throttling: 400,
  RequestLimitExceeded: 503,
  InternalFailure: 500,
  InternalError: 500,
  ServiceUnavailable: 503,
};

interface Fault {
  error: CollectionError;
  fired: boolean;
}

export function installSnapshotAccount(snapshot: Inventory, extra: Partial<CollectOptions> = {}): SnapshotAccount {
  const built = snapshotHandlers(snapshot);
  const fake = installFakeAccount(built.handlers);
  return {
    ...fake,
    options: { ...built.options, ...extra },
    gaps: built.gaps,
    unreproduced: built.unreproduced,
  };
}

export function snapshotHandlers(snapshot: Inventory): {
  handlers: Handlers;
  options: CollectOptions;
  gaps: string[];
  unreproduced: () => CollectionError[];
} {
  const accountId = snapshot.account.id;
  const partition = snapshot.account.partition;
  const regions = snapshot.regions.length ? [...snapshot.regions] : ['us-east-1'];
  const defaultRegion = regions.includes('us-east-1') ? 'us-east-1' : regions[0]!;
  const gapSet = new Set<string>();
  const gaps: string[] = [];
  const gap = (text: string) => {
    if (!gapSet.has(text)) {
      gapSet.add(text);
      gaps.push(text);
    }
  };

  // ---------------------------------------------------------------- injected failures
  const faults: Fault[] = snapshot.collectionErrors.map((error) => ({ error, fired: false }));
  /** Throws the snapshot's error for this call, if it recorded one. */
  const check = (service: string, operation: string, region: string, resource?: string) => {
    const fault = faults.find(
      ({ error: e }) =>
        e.service === service &&
        e.operation === operation &&
        e.errorCode !== 'IncompleteResponse' &&
        e.errorCode !== 'InvalidPolicyDocument' &&
        (e.region === undefined || e.region === region) &&
        e.resource === resource,
    );
    if (!fault) return;
    fault.fired = true;
    throw awsError(fault.error.errorCode, STATUS_OF[fault.error.errorCode] ?? 400, fault.error.message ?? fault.error.errorCode);
  };
  /** An answer the snapshot cannot give: fail the call (the collector records it) and list the gap. */
  const missing = (what: string): never => {
    gap(what);
    throw awsError('SnapshotGap', 403, `${what}: not in the snapshot`);
  };
  const notConfigured = (code: string, message = code) => awsError(code, code === 'NoSuchBucketPolicy' || code.endsWith('NotFoundError') ? 404 : 400, message);
  /**
   * Fields the collector sets to null (or []) when a successful answer leaves them out: absent in
   * the snapshot, they would come back known. All absent: the answer fails (nothing collected);
   * some absent: listed as gaps.
   */
  const coerced = (what: string, item: object, fields: string[]) => {
    const absent = fields.filter((f) => (item as Record<string, unknown>)[f] === undefined);
    if (absent.length === fields.length) missing(`${what}: ${fields.join(', ')}`);
    for (const f of absent) gap(`${what}: ${f} (answered as not set)`);
  };

  const inRegion = <T extends { region: string }>(list: readonly T[] | undefined, region: string) => (list ?? []).filter((r) => r.region === region);
  /** Token pagination over `items`, `size` per page; tokens are `p<index>`. */
  const page = <T>(items: readonly T[], token: string | undefined, size: number) => {
    const start = token ? Number(token.slice(1)) : 0;
    const next = start + size < items.length ? `p${start + size}` : undefined;
    return { items: items.slice(start, start + size), next };
  };
  const tagList = (tags: Record<string, string> | undefined) => Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const policyText = (doc: PolicyDocument | null | undefined): string | undefined => {
    if (!doc) return undefined;
    const raw = doc.raw;
    if (typeof raw !== 'string') return JSON.stringify(raw);
    const trimmed = raw.trimStart();
    return trimmed.startsWith('%7B') || trimmed.startsWith('%7b') ? decodeURIComponent(raw) : raw;
  };
  /** IAM returns policy documents URL-encoded. */
  const iamPolicy = (doc: PolicyDocument | null | undefined) => {
    const text = policyText(doc);
    return text === undefined ? undefined : encodeURIComponent(text);
  };
  const bucketByName = (name: string) => snapshot.s3?.buckets.find((b) => b.name === name);

  const h: Handlers = {};

  // ---------------------------------------------------------------- STS, account, regions
  h['sts:GetCallerIdentity'] = () => ({ Account: accountId, Arn: `arn:${partition}:iam::${accountId}:user/aigis-scanner`, UserId: 'AIDASCANNER' });
  h['iam:ListAccountAliases'] = (_input, region) => {
    check('iam', 'ListAccountAliases', region);
    return { AccountAliases: snapshot.account.alias ? [snapshot.account.alias] : [], IsTruncated: false };
  };
  h['ec2:DescribeRegions'] = (_input, region) => {
    check('ec2', 'DescribeRegions', region);
    return { Regions: regions.map((RegionName) => ({ RegionName, OptInStatus: 'opt-in-not-required' })) };
  };

  // ---------------------------------------------------------------- S3
  const accountRoot = `arn:${partition}:iam::${accountId}:root`;
  h['s3control:GetPublicAccessBlock'] = (input, region) => {
    check('s3control', 'GetPublicAccessBlock', region, accountRoot);
    if (input.AccountId !== accountId) throw awsError('AccessDenied', 403, 'wrong account id');
    const pab = snapshot.s3?.accountPublicAccessBlock;
    if (pab === undefined) return missing('s3 account public access block');
    if (pab === null) throw notConfigured('NoSuchPublicAccessBlockConfiguration');
    return { PublicAccessBlockConfiguration: pabOut(pab) };
  };
  h['s3:ListBuckets'] = (input, region) => {
    check('s3', 'ListBuckets', region);
    if (!snapshot.s3) return missing('s3 bucket listing');
    const { items, next } = page(snapshot.s3.buckets, input.ContinuationToken, 4);
    return {
      Buckets: items.map((b) => ({
        Name: b.name,
        ...(b.creationDate ? { CreationDate: new Date(b.creationDate) } : {}),
        // A bucket of unknown region is listed without one (the collector then asks GetBucketLocation).
        ...(b.region !== 'unknown' ? { BucketRegion: b.region } : {}),
      })),
      Owner: { ID: 'owner' },
      ...(next ? { ContinuationToken: next } : {}),
    };
  };
  h['s3:GetBucketLocation'] = (input, region) => {
    check('s3', 'GetBucketLocation', region, `arn:${partition}:s3:::${input.Bucket}`);
    const bucket = bucketByName(input.Bucket);
    if (!bucket) throw awsError('NoSuchBucket', 404);
    if (bucket.region === 'unknown') return missing(`${bucket.arn}: region`);
    return { LocationConstraint: bucket.region === 'us-east-1' ? undefined : bucket.region };
  };
  /** A per-bucket call: the snapshot's error for it, the bucket's region, then the answer. */
  const perBucket =
    (operation: string, answer: (bucket: NonNullable<Inventory['s3']>['buckets'][number]) => unknown) =>
    (input: Record<string, any>, region: string) => {
      const bucket = bucketByName(input.Bucket);
      if (!bucket) throw awsError('NoSuchBucket', 404);
      check('s3', operation, region, bucket.arn);
      if (bucket.region !== 'unknown' && bucket.region !== region) throw awsError('PermanentRedirect', 301, `bucket ${bucket.name} is in ${bucket.region}, not ${region}`);
      return answer(bucket);
    };
  h['s3:GetPublicAccessBlock'] = perBucket('GetPublicAccessBlock', (b) => {
    if (b.publicAccessBlock === undefined) return missing(`${b.arn}: public access block`);
    if (b.publicAccessBlock === null) throw notConfigured('NoSuchPublicAccessBlockConfiguration');
    return { PublicAccessBlockConfiguration: pabOut(b.publicAccessBlock) };
  });
  h['s3:GetBucketEncryption'] = perBucket('GetBucketEncryption', (b) => {
    if (b.encryption === undefined) return missing(`${b.arn}: encryption`);
    if (b.encryption === null) throw notConfigured('ServerSideEncryptionConfigurationNotFoundError');
    return {
      ServerSideEncryptionConfiguration: {
        Rules: b.encryption.rules.map((r) => ({
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: r.sseAlgorithm, ...(r.kmsMasterKeyId ? { KMSMasterKeyID: r.kmsMasterKeyId } : {}) },
          ...(r.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: r.bucketKeyEnabled } : {}),
        })),
      },
    };
  });
  h['s3:GetBucketPolicy'] = perBucket('GetBucketPolicy', (b) => {
    if (b.policy === undefined) return missing(`${b.arn}: bucket policy`);
    if (b.policy === null) throw notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist');
    return { Policy: policyText(b.policy) };
  });
  h['s3:GetBucketPolicyStatus'] = perBucket('GetBucketPolicyStatus', (b) => {
    // S3 answers NoSuchBucketPolicy for a bucket without a policy, whatever else is set.
    if (b.policyStatus === null || (b.policyStatus === undefined && b.policy === null)) throw notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist');
    if (b.policyStatus === undefined) return missing(`${b.arn}: policy status`);
    return { PolicyStatus: { IsPublic: b.policyStatus.isPublic } };
  });
  h['s3:GetBucketVersioning'] = perBucket('GetBucketVersioning', (b) => {
    if (b.versioning === undefined) return missing(`${b.arn}: versioning`);
    // A bucket that never had versioning: no Status; MFADelete only once it was set.
    return {
      ...(b.versioning.status !== 'Off' ? { Status: b.versioning.status } : {}),
      ...(b.versioning.mfaDelete === 'Enabled' || b.versioning.status !== 'Off' ? { MFADelete: b.versioning.mfaDelete } : {}),
    };
  });
  h['s3:GetBucketLogging'] = perBucket('GetBucketLogging', (b) => {
    if (b.logging === undefined) return missing(`${b.arn}: access logging`);
    if (b.logging === null) return {};
    return { LoggingEnabled: { TargetBucket: b.logging.targetBucket, TargetPrefix: b.logging.targetPrefix ?? '' } };
  });
  h['s3:GetObjectLockConfiguration'] = perBucket('GetObjectLockConfiguration', (b) => {
    if (b.objectLock === undefined) return missing(`${b.arn}: object lock`);
    if (b.objectLock === null) throw notConfigured('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket');
    const retention = b.objectLock.defaultRetention;
    return {
      ObjectLockConfiguration: {
        ...(b.objectLock.enabled ? { ObjectLockEnabled: 'Enabled' } : {}),
        ...(retention
          ? {
              Rule: {
                DefaultRetention: {
                  Mode: retention.mode,
                  ...(retention.days !== undefined ? { Days: retention.days } : {}),
                  ...(retention.years !== undefined ? { Years: retention.years } : {}),
                },
              },
            }
          : {}),
      },
    };
  });
  h['s3:GetBucketLifecycleConfiguration'] = perBucket('GetBucketLifecycleConfiguration', (b) => {
    if (b.lifecycle === undefined) return missing(`${b.arn}: lifecycle configuration`);
    if (b.lifecycle === null) throw notConfigured('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist');
    return {
      Rules: b.lifecycle.rules.map((r) => ({
        ...(r.id !== undefined ? { ID: r.id } : {}),
        Status: r.enabled ? 'Enabled' : 'Disabled',
        Filter: r.narrowed
          ? { And: { ...(r.prefix !== undefined ? { Prefix: r.prefix } : {}), Tags: [{ Key: 'narrowed', Value: 'true' }] } }
          : r.prefix !== undefined ? { Prefix: r.prefix } : {},
        ...(r.expirationDays !== undefined || r.expirationDate !== undefined
          ? { Expiration: { ...(r.expirationDays !== undefined ? { Days: r.expirationDays } : {}), ...(r.expirationDate !== undefined ? { Date: new Date(r.expirationDate) } : {}) } }
          : {}),
        ...(r.transitions ? { Transitions: r.transitions.map((StorageClass) => ({ Days: 30, StorageClass })) } : {}),
        ...(r.noncurrentExpirationDays !== undefined ? { NoncurrentVersionExpiration: { NoncurrentDays: r.noncurrentExpirationDays } } : {}),
        ...(r.noncurrentTransitions ? { NoncurrentVersionTransitions: r.noncurrentTransitions.map((StorageClass) => ({ NoncurrentDays: 30, StorageClass })) } : {}),
        ...(r.abortIncompleteMultipartUploadDays !== undefined ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: r.abortIncompleteMultipartUploadDays } } : {}),
      })),
    };
  });
  h['s3:GetBucketReplication'] = perBucket('GetBucketReplication', (b) => {
    if (b.replication === undefined) return missing(`${b.arn}: replication configuration`);
    if (b.replication === null) throw notConfigured('ReplicationConfigurationNotFoundError', 'The replication configuration was not found');
    return {
      ReplicationConfiguration: {
        ...(b.replication.role !== undefined ? { Role: b.replication.role } : {}),
        Rules: b.replication.rules.map((r, i) => ({
          ...(r.id !== undefined ? { ID: r.id } : {}),
          Status: r.enabled ? 'Enabled' : 'Disabled',
          Priority: i + 1,
          Filter: r.prefix !== undefined ? { Prefix: r.prefix } : {},
          ...(r.destinationBucket !== undefined ? { Destination: { Bucket: r.destinationBucket } } : {}),
        })),
      },
    };
  });
  h['s3:GetBucketOwnershipControls'] = perBucket('GetBucketOwnershipControls', (b) => {
    if (b.ownership === undefined) return missing(`${b.arn}: object ownership`);
    if (b.ownership === null) throw notConfigured('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found');
    return { OwnershipControls: { Rules: [{ ObjectOwnership: b.ownership.objectOwnership }] } };
  });
  h['s3:GetBucketTagging'] = perBucket('GetBucketTagging', (b) => {
    if (!b.tags || Object.keys(b.tags).length === 0) throw notConfigured('NoSuchTagSet', 'The TagSet does not exist');
    return { TagSet: tagList(b.tags) };
  });

  // ---------------------------------------------------------------- KMS
  const keysIn = (region: string) => inRegion(snapshot.kms?.keys, region);
  const keyById = (region: string, id: string) => keysIn(region).find((k) => k.keyId === id || k.arn === id);
  h['kms:ListKeys'] = (input, region) => {
    check('kms', 'ListKeys', region);
    if (!snapshot.kms) return missing('kms key listing');
    const { items, next } = page(keysIn(region), input.Marker, 3);
    return { Keys: items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), Truncated: next !== undefined, ...(next ? { NextMarker: next } : {}) };
  };
  h['kms:ListAliases'] = (input, region) => {
    check('kms', 'ListAliases', region);
    const aliases = keysIn(region).flatMap((k) =>
      k.aliases.map((AliasName) => ({ AliasName, AliasArn: `arn:${partition}:kms:${region}:${accountId}:${AliasName}`, TargetKeyId: k.keyId })),
    );
    const { items, next } = page(aliases, input.Marker, 5);
    return { Aliases: items, Truncated: next !== undefined, ...(next ? { NextMarker: next } : {}) };
  };
  const perKey =
    (operation: string, answer: (key: NonNullable<Inventory['kms']>['keys'][number]) => unknown) =>
    (input: Record<string, any>, region: string) => {
      const key = keyById(region, input.KeyId);
      if (!key) throw awsError('NotFoundException', 400, `Key '${input.KeyId}' does not exist`);
      check('kms', operation, region, key.arn);
      return answer(key);
    };
  h['kms:DescribeKey'] = perKey('DescribeKey', (k) => ({
    KeyMetadata: {
      AWSAccountId: accountId,
      KeyId: k.keyId,
      Arn: k.arn,
      KeyManager: k.keyManager,
      // DescribeKey always states these; a snapshot that omits them means the usual values.
      KeyState: k.keyState ?? 'Enabled',
      KeySpec: k.keySpec ?? 'SYMMETRIC_DEFAULT',
      KeyUsage: k.keyUsage ?? 'ENCRYPT_DECRYPT',
      Origin: k.origin ?? 'AWS_KMS',
      ...(k.description ? { Description: k.description } : {}),
      Enabled: (k.keyState ?? 'Enabled') === 'Enabled',
    },
  }));
  h['kms:GetKeyPolicy'] = perKey('GetKeyPolicy', (k) => {
    if (k.policy === undefined) return missing(`${k.arn}: key policy`);
    return { PolicyName: 'default', ...(k.policy ? { Policy: policyText(k.policy) } : {}) };
  });
  h['kms:GetKeyRotationStatus'] = perKey('GetKeyRotationStatus', (k) => {
    if (k.rotationEnabled === undefined) return missing(`${k.arn}: rotation status`);
    return { KeyRotationEnabled: k.rotationEnabled, KeyId: k.arn };
  });

  // ---------------------------------------------------------------- CloudTrail
  const trailByArn = (arn: string) => snapshot.cloudtrail?.trails.find((t) => t.arn === arn || t.name === arn);
  h['cloudtrail:DescribeTrails'] = (input, region) => {
    check('cloudtrail', 'DescribeTrails', region);
    if (!snapshot.cloudtrail) return missing('cloudtrail trail listing');
    if (input.includeShadowTrails !== true) throw awsError('ValidationException', 400, 'expected includeShadowTrails');
    const visible = snapshot.cloudtrail.trails.filter((t) => t.homeRegion === region || (t.isMultiRegionTrail && regions.includes(region)));
    return {
      trailList: visible.map((t) => {
        coercedTrail(t);
        return {
          Name: t.name,
          TrailARN: t.arn,
          HomeRegion: t.homeRegion,
          IsMultiRegionTrail: t.isMultiRegionTrail,
          IsOrganizationTrail: t.isOrganizationTrail,
          IncludeGlobalServiceEvents: true,
          ...(t.s3BucketName ? { S3BucketName: t.s3BucketName } : {}),
          ...(t.kmsKeyId ? { KmsKeyId: t.kmsKeyId } : {}),
          ...(t.cloudWatchLogsLogGroupArn ? { CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn } : {}),
          ...(t.logFileValidationEnabled !== undefined ? { LogFileValidationEnabled: t.logFileValidationEnabled } : {}),
          HasCustomEventSelectors: true,
          HasInsightSelectors: false,
        };
      }),
    };
  };
  function coercedTrail(t: NonNullable<Inventory['cloudtrail']>['trails'][number]) {
    if (t.kmsKeyId === undefined) gap(`${t.arn}: kmsKeyId (answered as not set)`);
    if (t.cloudWatchLogsLogGroupArn === undefined) gap(`${t.arn}: cloudWatchLogsLogGroupArn (answered as not set)`);
  }
  const perTrail =
    (operation: string, name: (input: Record<string, any>) => string, answer: (trail: NonNullable<Inventory['cloudtrail']>['trails'][number]) => unknown) =>
    (input: Record<string, any>, region: string) => {
      const trail = trailByArn(name(input));
      if (!trail) throw awsError('TrailNotFoundException', 400, `Unknown trail: ${name(input)}`);
      check('cloudtrail', operation, region, trail.arn);
      if (trail.homeRegion !== region) throw awsError('TrailNotFoundException', 400, `trail ${trail.arn} is read in ${trail.homeRegion}, not ${region}`);
      return answer(trail);
    };
  h['cloudtrail:GetTrailStatus'] = perTrail('GetTrailStatus', (i) => i.Name, (t) => {
    if (t.isLogging === undefined) return missing(`${t.arn}: logging status`);
    return { IsLogging: t.isLogging };
  });
  h['cloudtrail:GetEventSelectors'] = perTrail('GetEventSelectors', (i) => i.TrailName, (t) => {
    if (t.advancedEventSelectors?.length) {
      if (t.eventSelectors) gap(`${t.arn}: both classic and advanced selectors (answered with the advanced ones)`);
      return {
        TrailARN: t.arn,
        AdvancedEventSelectors: t.advancedEventSelectors.map((s) => ({
          ...(s.name ? { Name: s.name } : {}),
          FieldSelectors: s.fieldSelectors.map((f) => ({
            Field: f.field,
            ...(f.equals ? { Equals: f.equals } : {}),
            ...(f.notEquals ? { NotEquals: f.notEquals } : {}),
            ...(f.startsWith ? { StartsWith: f.startsWith } : {}),
            ...(f.notStartsWith ? { NotStartsWith: f.notStartsWith } : {}),
            ...(f.endsWith ? { EndsWith: f.endsWith } : {}),
            ...(f.notEndsWith ? { NotEndsWith: f.notEndsWith } : {}),
          })),
        })),
      };
    }
    if (t.eventSelectors === undefined) return missing(`${t.arn}: event selectors`);
    if (t.eventSelectors === null) gap(`${t.arn}: eventSelectors null without advanced selectors (answered as none)`);
    return {
      TrailARN: t.arn,
      EventSelectors: (t.eventSelectors ?? []).map((s) => ({
        ReadWriteType: s.readWriteType,
        IncludeManagementEvents: s.includeManagementEvents,
        DataResources: s.dataResources.map((d) => ({ Type: d.type, Values: d.values })),
        ExcludeManagementEventSources: s.excludeManagementEventSources,
      })),
    };
  });

  // ---------------------------------------------------------------- IAM
  const iam = snapshot.iam;
  /** Inline policies the snapshot says IAM answered without a document (IncompleteResponse). */
  const undocumented = new Map<string, { name: string; fault: Fault }[]>();
  for (const fault of faults) {
    const e = fault.error;
    const match = e.service === 'iam' && e.operation === 'GetAccountAuthorizationDetails' && e.errorCode === 'IncompleteResponse' && e.resource
      ? /^inline policy (.+) left out: the answer has no document$/.exec(e.message ?? '')
      : null;
    if (match) undocumented.set(e.resource!, [...(undocumented.get(e.resource!) ?? []), { name: match[1]!, fault }]);
  }
  const inlineOut = (owner: string, list: readonly { name: string; policy: PolicyDocument }[]) => [
    ...list.map((p) => ({ PolicyName: p.name, PolicyDocument: iamPolicy(p.policy) })),
    ...(undocumented.get(owner) ?? []).map(({ name, fault }) => {
      fault.fired = true;
      return { PolicyName: name };
    }),
  ];
  const attachedOut = (arns: readonly string[]) => arns.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() }));
  const boundaryOut = (what: string, boundary: string | null | undefined) => {
    if (boundary === undefined) gap(`${what}: permissionsBoundary (answered as not set)`);
    return boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary } } : {};
  };
  h['iam:GetAccountAuthorizationDetails'] = (input, region) => {
    check('iam', 'GetAccountAuthorizationDetails', region);
    if (!iam) return missing('iam authorization details');
    const filter: string[] = input.Filter ?? [];
    for (const wanted of ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy']) {
      if (!filter.includes(wanted)) throw awsError('ValidationException', 400, `Filter lacks ${wanted}`);
    }
    // Three pages: users and groups, roles, managed policies.
    const part = input.Marker ?? 'gaad-1';
    const next = part === 'gaad-1' ? 'gaad-2' : part === 'gaad-2' ? 'gaad-3' : undefined;
    const answer: Record<string, unknown> = { IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
    if (part === 'gaad-1') {
      answer.UserDetailList = iam.users.map((u) => ({
        UserName: u.name,
        Arn: u.arn,
        Path: u.path,
        ...(u.id ? { UserId: u.id } : {}),
        ...(u.createDate ? { CreateDate: new Date(u.createDate) } : {}),
        UserPolicyList: inlineOut(u.arn, u.inlinePolicies),
        GroupList: u.groups,
        AttachedManagedPolicies: attachedOut(u.attachedManagedPolicies),
        ...boundaryOut(u.arn, u.permissionsBoundary),
        Tags: tagList(u.tags),
      }));
      answer.GroupDetailList = iam.groups.map((g) => ({
        GroupName: g.name,
        Arn: g.arn,
        Path: g.path,
        ...(g.id ? { GroupId: g.id } : {}),
        ...(g.createDate ? { CreateDate: new Date(g.createDate) } : {}),
        GroupPolicyList: inlineOut(g.arn, g.inlinePolicies),
        AttachedManagedPolicies: attachedOut(g.attachedManagedPolicies),
      }));
    } else if (part === 'gaad-2') {
      answer.RoleDetailList = iam.roles.map((r) => ({
        RoleName: r.name,
        Arn: r.arn,
        Path: r.path,
        ...(r.id ? { RoleId: r.id } : {}),
        ...(r.createDate ? { CreateDate: new Date(r.createDate) } : {}),
        AssumeRolePolicyDocument: iamPolicy(r.trustPolicy),
        RolePolicyList: inlineOut(r.arn, r.inlinePolicies),
        AttachedManagedPolicies: attachedOut(r.attachedManagedPolicies),
        ...boundaryOut(r.arn, r.permissionsBoundary),
        Tags: tagList(r.tags),
        RoleLastUsed: r.lastUsedDate ? { LastUsedDate: new Date(r.lastUsedDate) } : {},
      }));
    } else {
      answer.Policies = iam.policies.map((p) => ({
        PolicyName: p.name,
        Arn: p.arn,
        Path: p.path,
        ...(p.defaultVersionId ? { DefaultVersionId: p.defaultVersionId } : {}),
        ...(p.attachmentCount !== undefined ? { AttachmentCount: p.attachmentCount } : {}),
        IsAttachable: true,
        PolicyVersionList: p.document ? [{ Document: iamPolicy(p.document), VersionId: p.defaultVersionId ?? 'v1', IsDefaultVersion: true }] : [],
      }));
    }
    return answer;
  };
  h['iam:GetAccountSummary'] = (_input, region) => {
    check('iam', 'GetAccountSummary', region);
    const summary = iam?.accountSummary;
    if (!summary) return missing('iam account summary');
    return {
      SummaryMap: {
        Users: iam.users.length,
        Roles: iam.roles.length,
        ...(summary.rootMfaEnabled !== undefined ? { AccountMFAEnabled: summary.rootMfaEnabled ? 1 : 0 } : {}),
        ...(summary.rootAccessKeysPresent !== undefined ? { AccountAccessKeysPresent: summary.rootAccessKeysPresent ? 1 : 0 } : {}),
      },
    };
  };
  h['iam:GetCredentialReport'] = (_input, region) => {
    check('iam', 'GetCredentialReport', region);
    const rows = (iam?.users ?? []).flatMap((u) => {
      const known = [u.consoleAccess, u.mfaEnabled, u.accessKeys, u.passwordLastUsed].filter((v) => v !== undefined).length;
      // A user without report data is one created after the report: no row.
      if (known === 0) return [];
      if (u.consoleAccess === undefined) gap(`${u.arn}: consoleAccess (a report row always says)`);
      if (u.mfaEnabled === undefined) gap(`${u.arn}: mfaEnabled (a report row always says)`);
      if (u.accessKeys === undefined) gap(`${u.arn}: accessKeys (a report row always says)`);
      if (u.passwordLastUsed === undefined) gap(`${u.arn}: passwordLastUsed (a report row always says)`);
      if ((u.accessKeys?.length ?? 0) > 2) gap(`${u.arn}: more than two access keys (a report has two slots)`);
      const slot = (i: number) => {
        const key = u.accessKeys?.[i];
        if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
        return [key.status === 'Active' ? 'true' : 'false', key.createDate ?? '2020-01-01T00:00:00+00:00', key.lastUsedDate ?? 'N/A', 'N/A', 'N/A'];
      };
      return [
        [
          u.name,
          u.arn,
          u.createDate ?? 'N/A',
          u.consoleAccess === undefined ? 'not_supported' : String(u.consoleAccess),
          u.passwordLastUsed ?? 'N/A',
          'N/A',
          'N/A',
          u.mfaEnabled === undefined ? 'not_supported' : String(u.mfaEnabled),
          ...slot(0),
          ...slot(1),
          'false',
          'N/A',
          'false',
          'N/A',
        ].join(','),
      ];
    });
    if (rows.length === 0) throw awsError('ReportNotPresent', 410, 'Credential report does not exist');
    const header =
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    return { Content: new TextEncoder().encode([header, ...rows].join('\n')), ReportFormat: 'text/csv', GeneratedTime: new Date(reportTime) };
  };

  // ---------------------------------------------------------------- Bedrock
  const bedrock = snapshot.bedrock;
  h['bedrock:GetModelInvocationLoggingConfiguration'] = (_input, region) => {
    check('bedrock', 'GetModelInvocationLoggingConfiguration', region);
    const entry = bedrock?.invocationLogging.find((l) => l.region === region);
    if (!entry) return missing(`bedrock invocation logging in ${region}`);
    const c = entry.config;
    if (!c) return {};
    if (c.s3Config === undefined) gap(`bedrock invocation logging in ${region}: s3Config (answered as not set)`);
    if (c.cloudWatchConfig === undefined) gap(`bedrock invocation logging in ${region}: cloudWatchConfig (answered as not set)`);
    return {
      loggingConfig: {
        ...(c.s3Config ? { s3Config: { bucketName: c.s3Config.bucketName, ...(c.s3Config.keyPrefix ? { keyPrefix: c.s3Config.keyPrefix } : {}) } } : {}),
        ...(c.cloudWatchConfig
          ? { cloudWatchConfig: { logGroupName: c.cloudWatchConfig.logGroupName, ...(c.cloudWatchConfig.roleArn ? { roleArn: c.cloudWatchConfig.roleArn } : {}) } }
          : {}),
        ...(c.textDataDeliveryEnabled !== undefined ? { textDataDeliveryEnabled: c.textDataDeliveryEnabled } : {}),
        ...(c.imageDataDeliveryEnabled !== undefined ? { imageDataDeliveryEnabled: c.imageDataDeliveryEnabled } : {}),
        ...(c.embeddingDataDeliveryEnabled !== undefined ? { embeddingDataDeliveryEnabled: c.embeddingDataDeliveryEnabled } : {}),
        ...(c.videoDataDeliveryEnabled !== undefined ? { videoDataDeliveryEnabled: c.videoDataDeliveryEnabled } : {}),
      },
    };
  };
  h['bedrock:ListGuardrails'] = (input, region) => {
    check('bedrock', 'ListGuardrails', region);
    if (!bedrock) return missing('bedrock guardrail listing');
    const { items, next } = page(inRegion(bedrock.guardrails, region), input.nextToken, 2);
    return {
      guardrails: items.map((g) => ({
        id: g.id,
        arn: g.arn,
        name: g.name,
        ...(g.status ? { status: g.status } : {}),
        version: g.version ?? 'DRAFT',
        createdAt: new Date(0),
        updatedAt: new Date(0),
      })),
      ...(next ? { nextToken: next } : {}),
    };
  };
  const GUARDRAIL_DETAIL = ['kmsKeyArn', 'contentPolicy', 'sensitiveInformationPolicy', 'topicPolicy', 'wordPolicy', 'contextualGroundingPolicy'];
  h['bedrock:GetGuardrail'] = (input, region) => {
    const g = inRegion(bedrock?.guardrails, region).find((x) => x.id === input.guardrailIdentifier || x.arn === input.guardrailIdentifier);
    if (!g) throw awsError('ResourceNotFoundException', 404, `guardrail ${input.guardrailIdentifier} not found`);
    check('bedrock', 'GetGuardrail', region, g.arn);
    coerced(g.arn, g, GUARDRAIL_DETAIL);
    return {
      guardrailId: g.id,
      guardrailArn: g.arn,
      name: g.name,
      version: g.version ?? 'DRAFT',
      ...(g.status ? { status: g.status } : {}),
      ...(g.kmsKeyArn ? { kmsKeyArn: g.kmsKeyArn } : {}),
      ...(g.contentPolicy
        ? { contentPolicy: { filters: g.contentPolicy.filters.map((f) => ({ type: f.type, inputStrength: f.inputStrength, outputStrength: f.outputStrength })) } }
        : {}),
      ...(g.sensitiveInformationPolicy
        ? {
            sensitiveInformationPolicy: {
              piiEntities: g.sensitiveInformationPolicy.piiEntities.map((p) => ({ type: p.type, action: p.action })),
              regexes: g.sensitiveInformationPolicy.regexes.map((r) => ({ name: r.name, pattern: r.pattern, action: r.action })),
            },
          }
        : {}),
      ...(g.topicPolicy ? { topicPolicy: { topics: g.topicPolicy.topics.map((t) => ({ name: t.name, definition: t.name, type: t.type })) } } : {}),
      ...(g.wordPolicy
        ? { wordPolicy: { words: g.wordPolicy.words.map((text) => ({ text })), managedWordLists: g.wordPolicy.managedWordLists.map((type) => ({ type })) } }
        : {}),
      ...(g.contextualGroundingPolicy
        ? { contextualGroundingPolicy: { filters: g.contextualGroundingPolicy.filters.map((f) => ({ type: f.type, threshold: f.threshold })) } }
        : {}),
      createdAt: new Date(0),
      updatedAt: new Date(0),
      blockedInputMessaging: 'blocked',
      blockedOutputsMessaging: 'blocked',
    };
  };
  h['bedrock:ListCustomModels'] = (input, region) => {
    check('bedrock', 'ListCustomModels', region);
    if (!bedrock) return missing('bedrock custom model listing');
    const { items, next } = page(inRegion(bedrock.customModels, region), input.nextToken, 2);
    return {
      modelSummaries: items.map((m) => ({
        modelArn: m.arn,
        modelName: m.name,
        ...(m.baseModelArn ? { baseModelArn: m.baseModelArn } : {}),
        ...(m.customizationType ? { customizationType: m.customizationType } : {}),
        ...(m.creationTime ? { creationTime: new Date(m.creationTime) } : {}),
      })),
      ...(next ? { nextToken: next } : {}),
    };
  };
  h['bedrock:GetCustomModel'] = (input, region) => {
    const m = inRegion(bedrock?.customModels, region).find((x) => x.arn === input.modelIdentifier);
    if (!m) throw awsError('ResourceNotFoundException', 404, `model ${input.modelIdentifier} not found`);
    check('bedrock', 'GetCustomModel', region, m.arn);
    coerced(m.arn, m, ['kmsKeyArn', 'trainingDataS3Uri', 'validationDataS3Uris', 'outputDataS3Uri']);
    // Without a job the collector records "no customization role" (null) without asking.
    if (!m.jobArn && m.roleArn === undefined) gap(`${m.arn}: roleArn (answered as not set)`);
    return {
      modelArn: m.arn,
      modelName: m.name,
      ...(m.kmsKeyArn ? { modelKmsKeyArn: m.kmsKeyArn } : {}),
      ...(m.jobArn ? { jobArn: m.jobArn } : {}),
      ...(m.baseModelArn ? { baseModelArn: m.baseModelArn } : {}),
      ...(m.customizationType ? { customizationType: m.customizationType } : {}),
      ...(m.creationTime ? { creationTime: new Date(m.creationTime) } : {}),
      ...customizationData(m),
    };
  };
  const customizationData = (m: NonNullable<typeof bedrock>['customModels'][number]) => ({
    ...(m.trainingDataS3Uri ? { trainingDataConfig: { s3Uri: m.trainingDataS3Uri } } : {}),
    ...(m.validationDataS3Uris?.length ? { validationDataConfig: { validators: m.validationDataS3Uris.map((s3Uri) => ({ s3Uri })) } } : {}),
    ...(m.outputDataS3Uri ? { outputDataConfig: { s3Uri: m.outputDataS3Uri } } : {}),
  });
  h['bedrock:GetModelCustomizationJob'] = (input, region) => {
    const m = inRegion(bedrock?.customModels, region).find((x) => x.jobArn === input.jobIdentifier);
    if (!m) throw awsError('ResourceNotFoundException', 404, `job ${input.jobIdentifier} not found`);
    check('bedrock', 'GetModelCustomizationJob', region, m.arn);
    if (!m.roleArn) return missing(`${m.arn}: customization role`);
    return {
      jobArn: m.jobArn,
      jobName: String(m.jobArn).split('/').pop(),
      outputModelName: m.name,
      outputModelArn: m.arn,
      roleArn: m.roleArn,
      status: 'Completed',
      creationTime: new Date(m.creationTime ?? 0),
      ...(m.baseModelArn ? { baseModelArn: m.baseModelArn } : {}),
      ...customizationData(m),
    };
  };
  h['bedrock-agent:ListAgents'] = (input, region) => {
    check('bedrock-agent', 'ListAgents', region);
    if (!bedrock) return missing('bedrock agent listing');
    const { items, next } = page(inRegion(bedrock.agents, region), input.nextToken, 2);
    return {
      agentSummaries: items.map((a) => ({ agentId: a.id, agentName: a.name, ...(a.status ? { agentStatus: a.status } : {}), updatedAt: new Date(0) })),
      ...(next ? { nextToken: next } : {}),
    };
  };
  h['bedrock-agent:GetAgent'] = (input, region) => {
    const a = inRegion(bedrock?.agents, region).find((x) => x.id === input.agentId);
    if (!a) throw awsError('ResourceNotFoundException', 404, `agent ${input.agentId} not found`);
    // The collector names the agent by its documented ARN format until GetAgent answers.
    check('bedrock-agent', 'GetAgent', region, `arn:${partition}:bedrock:${region}:${accountId}:agent/${a.id}`);
    coerced(a.arn, a, ['kmsKeyArn', 'guardrail']);
    return {
      agent: {
        agentId: a.id,
        agentName: a.name,
        agentArn: a.arn,
        ...(a.status ? { agentStatus: a.status } : {}),
        ...(a.roleArn ? { agentResourceRoleArn: a.roleArn } : {}),
        ...(a.foundationModel ? { foundationModel: a.foundationModel } : {}),
        ...(a.kmsKeyArn ? { customerEncryptionKeyArn: a.kmsKeyArn } : {}),
        ...(a.guardrail ? { guardrailConfiguration: { guardrailIdentifier: a.guardrail.id, ...(a.guardrail.version ? { guardrailVersion: a.guardrail.version } : {}) } } : {}),
        idleSessionTTLInSeconds: 600,
        agentVersion: 'DRAFT',
        createdAt: new Date(0),
        updatedAt: new Date(0),
      },
    };
  };

  /** A bedrock-agent listing of `list` in the region, nextToken-paginated two per page. */
  const agentList = <T extends { region: string }>(operation: string, list: readonly T[] | undefined, key: string, item: (x: T) => object) => (input: Record<string, any>, region: string) => {
    check('bedrock-agent', operation, region);
    if (!bedrock || list === undefined) return missing(`bedrock-agent ${operation}`);
    const { items, next } = page(inRegion(list, region), input.nextToken, 2);
    return { [key]: items.map(item), ...(next ? { nextToken: next } : {}) };
  };
  const storageOf = (store: NonNullable<NonNullable<Inventory['bedrock']>['knowledgeBases']>[number]['vectorStore']) => {
    if (!store) return undefined;
    const arn = store.resourceArn;
    const secret = store.credentialsSecretArn;
    const fields = { vectorField: 'v', textField: 't', metadataField: 'm' };
    switch (store.type) {
      case 'OPENSEARCH_SERVERLESS': return { type: store.type, opensearchServerlessConfiguration: { collectionArn: arn, vectorIndexName: 'index', fieldMapping: fields } };
      case 'OPENSEARCH_MANAGED_CLUSTER': return { type: store.type, opensearchManagedClusterConfiguration: { domainArn: arn, domainEndpoint: 'https://domain', vectorIndexName: 'index', fieldMapping: fields } };
      case 'RDS': return { type: store.type, rdsConfiguration: { resourceArn: arn, credentialsSecretArn: secret, databaseName: 'db', tableName: 't', fieldMapping: { primaryKeyField: 'id', ...fields } } };
      case 'NEPTUNE_ANALYTICS': return { type: store.type, neptuneAnalyticsConfiguration: { graphArn: arn, fieldMapping: { textField: 't', metadataField: 'm' } } };
      case 'S3_VECTORS': return { type: store.type, s3VectorsConfiguration: { vectorBucketArn: arn } };
      case 'PINECONE': return { type: store.type, pineconeConfiguration: { connectionString: 'https://pinecone', credentialsSecretArn: secret, fieldMapping: { textField: 't', metadataField: 'm' } } };
      case 'REDIS_ENTERPRISE_CLOUD': return { type: store.type, redisEnterpriseCloudConfiguration: { endpoint: 'redis', vectorIndexName: 'index', credentialsSecretArn: secret, fieldMapping: fields } };
      case 'MONGO_DB_ATLAS': return { type: store.type, mongoDbAtlasConfiguration: { endpoint: 'mongo', databaseName: 'db', collectionName: 'c', vectorIndexName: 'index', credentialsSecretArn: secret, fieldMapping: fields } };
      default: return { type: store.type };
    }
  };
  h['bedrock-agent:ListKnowledgeBases'] = agentList('ListKnowledgeBases', bedrock?.knowledgeBases, 'knowledgeBaseSummaries', (k) => ({
    knowledgeBaseId: k.id, name: k.name, ...(k.status ? { status: k.status } : {}), updatedAt: new Date(0),
  }));
  h['bedrock-agent:GetKnowledgeBase'] = (input, region) => {
    const k = inRegion(bedrock?.knowledgeBases, region).find((x) => x.id === input.knowledgeBaseId);
    if (!k) throw awsError('ResourceNotFoundException', 404, `knowledge base ${input.knowledgeBaseId} not found`);
    check('bedrock-agent', 'GetKnowledgeBase', region, `arn:${partition}:bedrock:${region}:${accountId}:knowledge-base/${k.id}`);
    coerced(k.arn, k, ['vectorStore', 'embeddingModelArn']);
    const vector = k.embeddingModelArn
      ? { vectorKnowledgeBaseConfiguration: { embeddingModelArn: k.embeddingModelArn, ...(k.supplementalDataS3Uris?.length ? { supplementalDataStorageConfiguration: { storageLocations: k.supplementalDataS3Uris.map((uri) => ({ type: 'S3', s3Location: { uri } })) } } : {}) } }
      : {};
    const storage = storageOf(k.vectorStore);
    return {
      knowledgeBase: {
        knowledgeBaseId: k.id,
        name: k.name,
        knowledgeBaseArn: k.arn,
        ...(k.roleArn ? { roleArn: k.roleArn } : {}),
        ...(k.status ? { status: k.status } : {}),
        knowledgeBaseConfiguration: { type: k.type ?? 'VECTOR', ...vector },
        ...(storage ? { storageConfiguration: storage } : {}),
        createdAt: new Date(0),
        updatedAt: new Date(0),
      },
    };
  };
  h['bedrock-agent:ListDataSources'] = (input, region) => {
    const k = inRegion(bedrock?.knowledgeBases, region).find((x) => x.id === input.knowledgeBaseId);
    if (!k) throw awsError('ResourceNotFoundException', 404, `knowledge base ${input.knowledgeBaseId} not found`);
    check('bedrock-agent', 'ListDataSources', region, k.arn);
    if (!bedrock?.dataSources) return missing('bedrock-agent ListDataSources');
    const { items, next } = page(inRegion(bedrock.dataSources, region).filter((d) => d.knowledgeBaseId === k.id), input.nextToken, 2);
    return {
      dataSourceSummaries: items.map((d) => ({ knowledgeBaseId: k.id, dataSourceId: d.id, name: d.name, ...(d.status ? { status: d.status } : {}), updatedAt: new Date(0) })),
      ...(next ? { nextToken: next } : {}),
    };
  };
  h['bedrock-agent:GetDataSource'] = (input, region) => {
    const d = inRegion(bedrock?.dataSources, region).find((x) => x.knowledgeBaseId === input.knowledgeBaseId && x.id === input.dataSourceId);
    if (!d) throw awsError('ResourceNotFoundException', 404, `data source ${input.dataSourceId} not found`);
    check('bedrock-agent', 'GetDataSource', region, d.arn);
    coerced(d.arn, d, ['kmsKeyArn', 's3BucketArn']);
    const s3 = d.s3BucketArn ? { s3Configuration: { bucketArn: d.s3BucketArn, ...(d.s3InclusionPrefixes?.length ? { inclusionPrefixes: d.s3InclusionPrefixes } : {}) } } : {};
    return {
      dataSource: {
        knowledgeBaseId: d.knowledgeBaseId,
        dataSourceId: d.id,
        name: d.name,
        ...(d.status ? { status: d.status } : {}),
        dataSourceConfiguration: { type: d.type ?? (d.s3BucketArn ? 'S3' : 'WEB'), ...s3 },
        ...(d.kmsKeyArn ? { serverSideEncryptionConfiguration: { kmsKeyArn: d.kmsKeyArn } } : {}),
        ...(d.dataDeletionPolicy ? { dataDeletionPolicy: d.dataDeletionPolicy } : {}),
        createdAt: new Date(0),
        updatedAt: new Date(0),
      },
    };
  };
  h['bedrock-agent:ListPrompts'] = agentList('ListPrompts', bedrock?.prompts, 'promptSummaries', (p) => ({
    id: p.id, name: p.name, arn: p.arn, version: p.version ?? 'DRAFT', createdAt: new Date(0), updatedAt: new Date(0),
  }));
  h['bedrock-agent:GetPrompt'] = (input, region) => {
    const p = inRegion(bedrock?.prompts, region).find((x) => x.id === input.promptIdentifier);
    if (!p) throw awsError('ResourceNotFoundException', 404, `prompt ${input.promptIdentifier} not found`);
    check('bedrock-agent', 'GetPrompt', region, p.arn);
    coerced(p.arn, p, ['kmsKeyArn']);
    return {
      id: p.id, name: p.name, arn: p.arn, version: p.version ?? 'DRAFT',
      ...(p.kmsKeyArn ? { customerEncryptionKeyArn: p.kmsKeyArn } : {}),
      createdAt: new Date(0), updatedAt: new Date(0),
    };
  };
  h['bedrock-agent:ListFlows'] = agentList('ListFlows', bedrock?.flows, 'flowSummaries', (f) => ({
    id: f.id, name: f.name, arn: f.arn, status: f.status ?? 'NotPrepared', version: 'DRAFT', createdAt: new Date(0), updatedAt: new Date(0),
  }));
  h['bedrock-agent:GetFlow'] = (input, region) => {
    const f = inRegion(bedrock?.flows, region).find((x) => x.id === input.flowIdentifier);
    if (!f) throw awsError('ResourceNotFoundException', 404, `flow ${input.flowIdentifier} not found`);
    check('bedrock-agent', 'GetFlow', region, f.arn);
    coerced(f.arn, f, ['kmsKeyArn']);
    return {
      id: f.id, name: f.name, arn: f.arn, ...(f.status ? { status: f.status } : {}),
      ...(f.roleArn ? { executionRoleArn: f.roleArn } : {}),
      ...(f.kmsKeyArn ? { customerEncryptionKeyArn: f.kmsKeyArn } : {}),
      version: 'DRAFT', createdAt: new Date(0), updatedAt: new Date(0),
    };
  };

  h['bedrock-agent:ListTagsForResource'] = (input, region) => {
    const all = [...(bedrock?.knowledgeBases ?? []), ...(bedrock?.prompts ?? []), ...(bedrock?.flows ?? [])];
    const r = inRegion(all, region).find((x) => x.arn === input.resourceArn);
    if (!r) throw awsError('ResourceNotFoundException', 404, `${input.resourceArn} not found`);
    check('bedrock-agent', 'ListTagsForResource', region, r.arn);
    return { tags: { ...(r.tags ?? {}) } };
  };

  // ---------------------------------------------------------------- OpenSearch Serverless
  const aoss = snapshot.opensearchServerless;
  h['opensearchserverless:ListCollections'] = (input, region) => {
    check('opensearchserverless', 'ListCollections', region);
    if (!aoss) return missing('opensearchserverless ListCollections');
    const { items, next } = page(inRegion(aoss.collections, region), input.nextToken, 2);
    return { collectionSummaries: items.map((c) => ({ id: c.id, name: c.name, arn: c.arn, ...(c.status ? { status: c.status } : {}) })), ...(next ? { nextToken: next } : {}) };
  };
  h['opensearchserverless:BatchGetCollection'] = (input, region) => {
    check('opensearchserverless', 'BatchGetCollection', region);
    const found = inRegion(aoss?.collections, region).filter((c) => (input.ids as string[]).includes(c.id));
    for (const c of found) if (c.kmsKeyArn === undefined) missing(`${c.arn}: kmsKeyArn`);
    return {
      collectionDetails: found.map((c) => ({
        id: c.id, name: c.name, arn: c.arn,
        ...(c.type ? { type: c.type } : {}), ...(c.status ? { status: c.status } : {}),
        kmsKeyArn: c.kmsKeyArn ?? 'auto',
        createdDate: 0, lastModifiedDate: 0,
      })),
      collectionErrorDetails: [],
    };
  };

  // ---------------------------------------------------------------- SageMaker
  const sm = snapshot.sagemaker;
  /** A SageMaker listing of `list` in the region, NextToken-paginated two per page. */
  const smList = <T extends { region: string }>(operation: string, list: readonly T[] | undefined, key: string, item: (x: T) => object) => (input: Record<string, any>, region: string) => {
    check('sagemaker', operation, region);
    if (!sm || list === undefined) return missing(`sagemaker ${operation}`);
    const { items, next } = page(inRegion(list, region), input.NextToken, 2);
    return { [key]: items.map(item), ...(next ? { NextToken: next } : {}) };
  };
  const smFind = <T extends { region: string; name: string; arn: string }>(operation: string, list: readonly T[] | undefined, name: string, region: string): T => {
    const found = inRegion(list, region).find((x) => x.name === name);
    if (!found) throw awsError('ValidationException', 400, `Could not find ${name}`);
    check('sagemaker', operation, region, found.arn);
    return found;
  };
  const vpcOut = (v: { subnets: string[]; securityGroupIds: string[] } | null | undefined) => (v ? { Subnets: v.subnets, SecurityGroupIds: v.securityGroupIds } : undefined);
  h['sagemaker:ListNotebookInstances'] = smList('ListNotebookInstances', sm?.notebookInstances, 'NotebookInstances', (n) => ({
    NotebookInstanceName: n.name,
    NotebookInstanceArn: n.arn,
    ...(n.status ? { NotebookInstanceStatus: n.status } : {}),
    ...(n.instanceType ? { InstanceType: n.instanceType } : {}),
  }));
  h['sagemaker:DescribeNotebookInstance'] = (input, region) => {
    const n = smFind('DescribeNotebookInstance', sm?.notebookInstances, input.NotebookInstanceName, region);
    coerced(n.arn, n, ['subnetId', 'securityGroups', 'kmsKeyId']);
    return {
      NotebookInstanceName: n.name,
      NotebookInstanceArn: n.arn,
      ...(n.status ? { NotebookInstanceStatus: n.status } : {}),
      ...(n.instanceType ? { InstanceType: n.instanceType } : {}),
      ...(n.directInternetAccess ? { DirectInternetAccess: n.directInternetAccess } : {}),
      ...(n.subnetId ? { SubnetId: n.subnetId } : {}),
      ...(n.securityGroups?.length ? { SecurityGroups: n.securityGroups } : {}),
      ...(n.kmsKeyId ? { KmsKeyId: n.kmsKeyId } : {}),
      ...(n.rootAccess ? { RootAccess: n.rootAccess } : {}),
      ...(n.roleArn ? { RoleArn: n.roleArn } : {}),
    };
  };
  const inWindow = (created: string | undefined, after: unknown) => !created || !(after instanceof Date) || new Date(created).getTime() > after.getTime();
  h['sagemaker:ListTrainingJobs'] = (input, region) => {
    if (!(input.CreationTimeAfter instanceof Date)) throw awsError('ValidationException', 400, 'CreationTimeAfter missing');
    const jobs = sm?.trainingJobs.filter((j) => inWindow(j.creationTime, input.CreationTimeAfter));
    return smList('ListTrainingJobs', jobs, 'TrainingJobSummaries', (j) => ({
      TrainingJobName: j.name,
      TrainingJobArn: j.arn,
      ...(j.creationTime ? { CreationTime: new Date(j.creationTime) } : {}),
      ...(j.status ? { TrainingJobStatus: j.status } : {}),
    }))(input, region);
  };
  const JOB_DETAIL = ['enableNetworkIsolation', 'enableInterContainerTrafficEncryption', 'vpcConfig', 'volumeKmsKeyId', 'outputKmsKeyId', 'inputS3Uris'];
  h['sagemaker:DescribeTrainingJob'] = (input, region) => {
    const j = smFind('DescribeTrainingJob', sm?.trainingJobs, input.TrainingJobName, region);
    coerced(j.arn, j, [...JOB_DETAIL, 'checkpointS3Uri', 'trainingImage']);
    // AWS always names the output path; a snapshot without it is answered without it (the live scan leaves it absent too).
    if (j.outputS3Path === undefined) gap(`${j.arn}: outputS3Path (answered as not set)`);
    return {
      TrainingJobName: j.name,
      TrainingJobArn: j.arn,
      ...(j.status ? { TrainingJobStatus: j.status } : {}),
      ...(j.enableNetworkIsolation !== undefined ? { EnableNetworkIsolation: j.enableNetworkIsolation } : {}),
      ...(j.enableInterContainerTrafficEncryption !== undefined ? { EnableInterContainerTrafficEncryption: j.enableInterContainerTrafficEncryption } : {}),
      ...(j.vpcConfig ? { VpcConfig: vpcOut(j.vpcConfig) } : {}),
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, ...(j.volumeKmsKeyId ? { VolumeKmsKeyId: j.volumeKmsKeyId } : {}) },
      OutputDataConfig: { ...(j.outputS3Path ? { S3OutputPath: j.outputS3Path } : {}), ...(j.outputKmsKeyId ? { KmsKeyId: j.outputKmsKeyId } : {}) },
      ...(j.roleArn ? { RoleArn: j.roleArn } : {}),
      ...(j.inputS3Uris?.length
        ? { InputDataConfig: j.inputS3Uris.map((S3Uri, i) => ({ ChannelName: `channel-${i}`, DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri } } })) }
        : {}),
      ...(j.checkpointS3Uri ? { CheckpointConfig: { S3Uri: j.checkpointS3Uri } } : {}),
      // A job without an image ran a named algorithm (trainingImage null).
      AlgorithmSpecification: {
        TrainingInputMode: 'File',
        ...(j.trainingImage ? { TrainingImage: j.trainingImage } : { AlgorithmName: `arn:${partition}:sagemaker:${region}:${accountId}:algorithm/snapshot-algorithm` }),
      },
    };
  };
  h['sagemaker:ListProcessingJobs'] = (input, region) => {
    const jobs = sm?.processingJobs.filter((j) => inWindow(j.creationTime, input.CreationTimeAfter));
    return smList('ListProcessingJobs', jobs, 'ProcessingJobSummaries', (j) => ({
      ProcessingJobName: j.name,
      ProcessingJobArn: j.arn,
      ...(j.creationTime ? { CreationTime: new Date(j.creationTime) } : {}),
      ...(j.status ? { ProcessingJobStatus: j.status } : {}),
    }))(input, region);
  };
  h['sagemaker:DescribeProcessingJob'] = (input, region) => {
    const j = smFind('DescribeProcessingJob', sm?.processingJobs, input.ProcessingJobName, region);
    coerced(j.arn, j, [...JOB_DETAIL, 'outputS3Uris']);
    return {
      ProcessingJobName: j.name,
      ProcessingJobArn: j.arn,
      NetworkConfig: {
        ...(j.enableNetworkIsolation !== undefined ? { EnableNetworkIsolation: j.enableNetworkIsolation } : {}),
        ...(j.enableInterContainerTrafficEncryption !== undefined ? { EnableInterContainerTrafficEncryption: j.enableInterContainerTrafficEncryption } : {}),
        ...(j.vpcConfig ? { VpcConfig: vpcOut(j.vpcConfig) } : {}),
      },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30, ...(j.volumeKmsKeyId ? { VolumeKmsKeyId: j.volumeKmsKeyId } : {}) } },
      ProcessingInputs: (j.inputS3Uris ?? []).map((S3Uri, i) => ({
        InputName: `input-${i}`,
        S3Input: { S3Uri, LocalPath: `/opt/ml/processing/input-${i}`, S3DataType: 'S3Prefix', S3InputMode: 'File' },
      })),
      ProcessingOutputConfig: {
        Outputs: (j.outputS3Uris ?? []).map((S3Uri, i) => ({ OutputName: `output-${i}`, S3Output: { S3Uri, LocalPath: `/opt/ml/processing/output-${i}`, S3UploadMode: 'EndOfJob' } })),
        ...(j.outputKmsKeyId ? { KmsKeyId: j.outputKmsKeyId } : {}),
      },
      ...(j.roleArn ? { RoleArn: j.roleArn } : {}),
      // AWS always names the image; a snapshot without it is answered without it (the live scan leaves it absent too).
      AppSpecification: j.imageUri ? { ImageUri: j.imageUri } : {},
    };
  };
  h['sagemaker:ListModels'] = smList('ListModels', sm?.models, 'Models', (m) => ({ ModelName: m.name, ModelArn: m.arn, CreationTime: new Date(0) }));
  h['sagemaker:DescribeModel'] = (input, region) => {
    const m = smFind('DescribeModel', sm?.models, input.ModelName, region);
    coerced(m.arn, m, ['enableNetworkIsolation', 'vpcConfig', 'modelDataUrls', 'modelPackageName', 'containerImages']);
    // The containers run one image (the first of containerImages, else the primary container's).
    if (m.containerImages && m.containerImages.length > 1) gap(`${m.arn}: containerImages (one image per model answered)`);
    // One artifact on the primary container; several, one per container (the collector lists primary, then containers).
    // Every container names the model's package, if it has one.
    const image = {
      ...((m.containerImages?.[0] ?? m.primaryContainerImage) ? { Image: m.containerImages?.[0] ?? m.primaryContainerImage } : {}),
      ...(m.modelPackageName ? { ModelPackageName: m.modelPackageName } : {}),
    };
    const urls = m.modelDataUrls ?? [];
    const containers =
      urls.length > 1
        ? { Containers: urls.map((ModelDataUrl) => ({ ...image, ModelDataUrl })) }
        : Object.keys(image).length || urls.length
          ? { PrimaryContainer: { ...image, ...(urls[0] ? { ModelDataUrl: urls[0] } : {}) } }
          : {};
    return {
      ModelName: m.name,
      ModelArn: m.arn,
      ...containers,
      ...(m.executionRoleArn ? { ExecutionRoleArn: m.executionRoleArn } : {}),
      ...(m.enableNetworkIsolation !== undefined ? { EnableNetworkIsolation: m.enableNetworkIsolation } : {}),
      ...(m.vpcConfig ? { VpcConfig: vpcOut(m.vpcConfig) } : {}),
    };
  };
  h['sagemaker:ListEndpointConfigs'] = smList('ListEndpointConfigs', sm?.endpointConfigs, 'EndpointConfigs', (e) => ({
    EndpointConfigName: e.name,
    EndpointConfigArn: e.arn,
    CreationTime: new Date(0),
  }));
  h['sagemaker:DescribeEndpointConfig'] = (input, region) => {
    const e = smFind('DescribeEndpointConfig', sm?.endpointConfigs, input.EndpointConfigName, region);
    coerced(e.arn, e, ['kmsKeyId', 'dataCaptureEnabled', 'productionVariants']);
    return {
      EndpointConfigName: e.name,
      EndpointConfigArn: e.arn,
      ...(e.kmsKeyId ? { KmsKeyId: e.kmsKeyId } : {}),
      ...(e.dataCaptureEnabled !== undefined
        ? { DataCaptureConfig: { EnableCapture: e.dataCaptureEnabled, InitialSamplingPercentage: 100, DestinationS3Uri: 's3://capture/', CaptureOptions: [] } }
        : {}),
      ProductionVariants: (e.productionVariants ?? []).map((p) => ({
        VariantName: p.variantName,
        ModelName: p.modelName,
        ...(p.instanceType ? { InstanceType: p.instanceType } : {}),
        ...(typeof p.initialInstanceCount === 'number' ? { InitialInstanceCount: p.initialInstanceCount } : {}),
        ...(p.serverless ? { ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } } : {}),
      })),
      CreationTime: new Date(0),
    };
  };
  h['sagemaker:ListDomains'] = smList('ListDomains', sm?.domains, 'Domains', (d) => ({ DomainId: d.id, DomainArn: d.arn, DomainName: d.name }));
  h['sagemaker:DescribeDomain'] = (input, region) => {
    const d = inRegion(sm?.domains, region).find((x) => x.id === input.DomainId);
    if (!d) throw awsError('ResourceNotFound', 400, `domain ${input.DomainId} not found`);
    check('sagemaker', 'DescribeDomain', region, d.arn);
    coerced(d.arn, d, ['kmsKeyId']);
    return {
      DomainId: d.id,
      DomainArn: d.arn,
      DomainName: d.name,
      ...(d.appNetworkAccessType ? { AppNetworkAccessType: d.appNetworkAccessType } : {}),
      ...(d.kmsKeyId ? { KmsKeyId: d.kmsKeyId } : {}),
      ...(d.vpcId ? { VpcId: d.vpcId } : {}),
      ...(d.subnetIds ? { SubnetIds: d.subnetIds } : {}),
      ...(d.authMode ? { AuthMode: d.authMode } : {}),
    };
  };
  h['sagemaker:ListModelPackageGroups'] = smList('ListModelPackageGroups', sm?.modelPackageGroups, 'ModelPackageGroupSummaryList', (g) => ({
    ModelPackageGroupName: g.name,
    ModelPackageGroupArn: g.arn,
    CreationTime: new Date(0),
    ModelPackageGroupStatus: 'Completed',
  }));
  h['sagemaker:ListModelPackages'] = (input, region) => {
    const g = smFind('ListModelPackages', sm?.modelPackageGroups, input.ModelPackageGroupName, region);
    if (!g.packages) return missing(`${g.arn}: model packages`);
    const { items, next } = page(g.packages, input.NextToken, 2);
    return {
      ModelPackageSummaryList: items.map((p) => ({
        ModelPackageArn: p.arn,
        ModelPackageGroupName: g.name,
        ...(p.version !== undefined ? { ModelPackageVersion: p.version } : {}),
        ...(p.approvalStatus ? { ModelApprovalStatus: p.approvalStatus } : {}),
        ModelPackageStatus: 'Completed',
        CreationTime: new Date(0),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  };
  h['sagemaker:ListEndpoints'] = smList('ListEndpoints', sm?.endpoints, 'Endpoints', (e) => ({
    EndpointName: e.name,
    EndpointArn: e.arn,
    ...(e.status ? { EndpointStatus: e.status } : {}),
    CreationTime: new Date(0),
    LastModifiedTime: new Date(0),
  }));
  h['sagemaker:DescribeEndpoint'] = (input, region) => {
    const e = smFind('DescribeEndpoint', sm?.endpoints, input.EndpointName, region);
    coerced(e.arn, e, ['deploymentConfig']);
    if (e.endpointConfigName === undefined) gap(`${e.arn}: endpointConfigName (answered as not set)`);
    const d = e.deploymentConfig;
    return {
      EndpointName: e.name,
      EndpointArn: e.arn,
      ...(e.endpointConfigName ? { EndpointConfigName: e.endpointConfigName } : {}),
      ...(e.status ? { EndpointStatus: e.status } : {}),
      CreationTime: new Date(0),
      LastModifiedTime: new Date(0),
      ...(d
        ? {
            LastDeploymentConfig: {
              ...(d.updatePolicy === 'BlueGreen'
                ? { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: d.trafficRouting ?? 'ALL_AT_ONCE', WaitIntervalInSeconds: 300 } } }
                : d.updatePolicy === 'Rolling'
                  ? { RollingUpdatePolicy: { MaximumBatchSize: { Type: 'INSTANCE_COUNT', Value: 1 }, WaitIntervalInSeconds: 300 } }
                  : {}),
              ...(d.rollbackAlarms.length ? { AutoRollbackConfiguration: { Alarms: d.rollbackAlarms.map((AlarmName) => ({ AlarmName })) } } : {}),
            },
          }
        : {}),
    };
  };
  h['sagemaker:ListTags'] = (input, region) => {
    const e = inRegion(sm?.endpoints, region).find((x) => x.arn === input.ResourceArn);
    if (!e) throw awsError('ValidationException', 400, `no resource ${input.ResourceArn}`);
    check('sagemaker', 'ListTags', region, e.arn);
    const { items, next } = page(tagList(e.tags), input.NextToken, 2);
    return { Tags: items, ...(next ? { NextToken: next } : {}) };
  };
  h['sagemaker:ListMonitoringSchedules'] = smList('ListMonitoringSchedules', sm?.monitoringSchedules, 'MonitoringScheduleSummaries', (m) => ({
    MonitoringScheduleName: m.name,
    MonitoringScheduleArn: m.arn,
    ...(m.status ? { MonitoringScheduleStatus: m.status } : {}),
    ...(m.endpointName ? { EndpointName: m.endpointName } : {}),
    CreationTime: new Date(0),
    LastModifiedTime: new Date(0),
  }));
  h['sagemaker:DescribeMonitoringSchedule'] = (input, region) => {
    const m = smFind('DescribeMonitoringSchedule', sm?.monitoringSchedules, input.MonitoringScheduleName, region);
    coerced(m.arn, m, ['endpointName']);
    if (m.monitoringType === undefined) gap(`${m.arn}: monitoringType (answered as not set)`);
    if (m.jobDefinition === undefined && m.monitoringJobDefinitionName === undefined) gap(`${m.arn}: jobDefinition (answered as a named job definition)`);
    return {
      MonitoringScheduleName: m.name,
      MonitoringScheduleArn: m.arn,
      ...(m.status ? { MonitoringScheduleStatus: m.status } : {}),
      ...(m.monitoringType ? { MonitoringType: m.monitoringType } : {}),
      ...(m.endpointName ? { EndpointName: m.endpointName } : {}),
      CreationTime: new Date(0),
      LastModifiedTime: new Date(0),
      MonitoringScheduleConfig: {
        ...(m.monitoringType ? { MonitoringType: m.monitoringType } : {}),
        ...(m.jobDefinition
          ? {
              MonitoringJobDefinition: {
                MonitoringInputs: m.endpointName ? [{ EndpointInput: { EndpointName: m.endpointName, LocalPath: '/opt/ml/processing/input' } }] : [],
                MonitoringOutputConfig: { MonitoringOutputs: [], ...(m.jobDefinition.outputKmsKeyId ? { KmsKeyId: m.jobDefinition.outputKmsKeyId } : {}) },
                MonitoringResources: monitoringResources(m.jobDefinition.volumeKmsKeyId),
                MonitoringAppSpecification: { ImageUri: 'model-monitor' },
                ...(m.jobDefinition.roleArn ? { RoleArn: m.jobDefinition.roleArn } : {}),
                NetworkConfig: networkOut(m.jobDefinition),
              },
            }
          : { MonitoringJobDefinitionName: m.monitoringJobDefinitionName ?? `${m.name}-definition` }),
      },
    };
  };
  const monitoringResources = (key: string | null | undefined) => ({ ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 20, ...(key ? { VolumeKmsKeyId: key } : {}) } });
  const networkOut = (j: { enableNetworkIsolation?: boolean | undefined; enableInterContainerTrafficEncryption?: boolean | undefined; vpcConfig?: { subnets: string[]; securityGroupIds: string[] } | null | undefined }) => ({
    ...(j.enableNetworkIsolation !== undefined ? { EnableNetworkIsolation: j.enableNetworkIsolation } : {}),
    ...(j.enableInterContainerTrafficEncryption !== undefined ? { EnableInterContainerTrafficEncryption: j.enableInterContainerTrafficEncryption } : {}),
    ...(j.vpcConfig ? { VpcConfig: vpcOut(j.vpcConfig) } : {}),
  });
  h['sagemaker:ListHyperParameterTuningJobs'] = (input, region) => {
    if (!(input.CreationTimeAfter instanceof Date)) throw awsError('ValidationException', 400, 'CreationTimeAfter missing');
    const jobs = sm?.hyperParameterTuningJobs?.filter((j) => inWindow(j.creationTime, input.CreationTimeAfter));
    return smList('ListHyperParameterTuningJobs', jobs, 'HyperParameterTuningJobSummaries', (j) => ({
      HyperParameterTuningJobName: j.name,
      HyperParameterTuningJobArn: j.arn,
      ...(j.status ? { HyperParameterTuningJobStatus: j.status } : {}),
      ...(j.creationTime ? { CreationTime: new Date(j.creationTime) } : {}),
      Strategy: 'Bayesian',
      TrainingJobStatusCounters: {},
      ObjectiveStatusCounters: {},
    }))(input, region);
  };
  h['sagemaker:DescribeHyperParameterTuningJob'] = (input, region) => {
    const j = smFind('DescribeHyperParameterTuningJob', sm?.hyperParameterTuningJobs, input.HyperParameterTuningJobName, region);
    if (j.trainingJobDefinitions === undefined) missing(`${j.arn}: trainingJobDefinitions`);
    const definitions = j.trainingJobDefinitions!.map((d) => {
      coerced(`${j.arn} ${d.definitionName ?? 'definition'}`, d, ['enableNetworkIsolation', 'enableInterContainerTrafficEncryption', 'vpcConfig', 'volumeKmsKeyId', 'outputKmsKeyId']);
      return {
        ...(d.definitionName ? { DefinitionName: d.definitionName } : {}),
        AlgorithmSpecification: { TrainingInputMode: 'File' },
        ...(d.roleArn ? { RoleArn: d.roleArn } : {}),
        OutputDataConfig: { S3OutputPath: 's3://tuning-output/', ...(d.outputKmsKeyId ? { KmsKeyId: d.outputKmsKeyId } : {}) },
        ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, ...(d.volumeKmsKeyId ? { VolumeKmsKeyId: d.volumeKmsKeyId } : {}) },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        ...(d.vpcConfig ? { VpcConfig: vpcOut(d.vpcConfig) } : {}),
        ...(d.enableNetworkIsolation !== undefined ? { EnableNetworkIsolation: d.enableNetworkIsolation } : {}),
        ...(d.enableInterContainerTrafficEncryption !== undefined ? { EnableInterContainerTrafficEncryption: d.enableInterContainerTrafficEncryption } : {}),
      };
    });
    return {
      HyperParameterTuningJobName: j.name,
      HyperParameterTuningJobArn: j.arn,
      ...(j.status ? { HyperParameterTuningJobStatus: j.status } : {}),
      ...(j.creationTime ? { CreationTime: new Date(j.creationTime) } : {}),
      HyperParameterTuningJobConfig: { Strategy: 'Bayesian', ResourceLimits: { MaxParallelTrainingJobs: 1 } },
      // One definition without a name is the single TrainingJobDefinition; otherwise the list.
      ...(definitions.length === 1 && !definitions[0]!.DefinitionName ? { TrainingJobDefinition: definitions[0] } : { TrainingJobDefinitions: definitions }),
      TrainingJobStatusCounters: {},
      ObjectiveStatusCounters: {},
    };
  };
  h['sagemaker:ListTransformJobs'] = (input, region) => {
    if (!(input.CreationTimeAfter instanceof Date)) throw awsError('ValidationException', 400, 'CreationTimeAfter missing');
    const jobs = sm?.transformJobs?.filter((j) => inWindow(j.creationTime, input.CreationTimeAfter));
    return smList('ListTransformJobs', jobs, 'TransformJobSummaries', (j) => ({
      TransformJobName: j.name,
      TransformJobArn: j.arn,
      ...(j.status ? { TransformJobStatus: j.status } : {}),
      ...(j.creationTime ? { CreationTime: new Date(j.creationTime) } : {}),
    }))(input, region);
  };
  h['sagemaker:DescribeTransformJob'] = (input, region) => {
    const j = smFind('DescribeTransformJob', sm?.transformJobs, input.TransformJobName, region);
    coerced(j.arn, j, ['volumeKmsKeyId', 'outputKmsKeyId']);
    if (j.modelName === undefined) missing(`${j.arn}: modelName`);
    return {
      TransformJobName: j.name,
      TransformJobArn: j.arn,
      ...(j.status ? { TransformJobStatus: j.status } : {}),
      ModelName: j.modelName,
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://transform-input/' } } },
      TransformOutput: { S3OutputPath: 's3://transform-output/', ...(j.outputKmsKeyId ? { KmsKeyId: j.outputKmsKeyId } : {}) },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1, ...(j.volumeKmsKeyId ? { VolumeKmsKeyId: j.volumeKmsKeyId } : {}) },
      ...(j.creationTime ? { CreationTime: new Date(j.creationTime) } : {}),
    };
  };
  for (const [type, prefix, kind] of [
    ['DataQuality', 'DataQuality', 'data-quality'],
    ['ModelQuality', 'ModelQuality', 'model-quality'],
    ['ModelBias', 'ModelBias', 'model-bias'],
    ['ModelExplainability', 'ModelExplainability', 'model-explainability'],
  ] as const) {
    const of = sm?.monitoringJobDefinitions?.filter((d) => d.monitoringType === type);
    h[`sagemaker:List${prefix}JobDefinitions`] = smList(`List${prefix}JobDefinitions`, sm?.monitoringJobDefinitions === undefined ? undefined : of, 'JobDefinitionSummaries', (d) => ({
      MonitoringJobDefinitionName: d.name,
      MonitoringJobDefinitionArn: d.arn,
      CreationTime: d.creationTime ? new Date(d.creationTime) : new Date(0),
      ...(d.endpointName ? { EndpointName: d.endpointName } : {}),
    }));
    h[`sagemaker:Describe${prefix}JobDefinition`] = (input, region) => {
      const d = smFind(`Describe${prefix}JobDefinition`, of, input.JobDefinitionName, region);
      coerced(d.arn, d, ['endpointName', 'vpcConfig', 'volumeKmsKeyId', 'outputKmsKeyId']);
      if (!d.arn.includes(`:${kind}-job-definition/`)) gap(`${d.arn}: not a ${kind} job definition ARN`);
      return {
        JobDefinitionName: d.name,
        JobDefinitionArn: d.arn,
        CreationTime: d.creationTime ? new Date(d.creationTime) : new Date(0),
        [`${prefix}AppSpecification`]: { ImageUri: 'model-monitor' },
        [`${prefix}JobInput`]: d.endpointName ? { EndpointInput: { EndpointName: d.endpointName, LocalPath: '/opt/ml/processing/input' } } : {},
        [`${prefix}JobOutputConfig`]: { MonitoringOutputs: [], ...(d.outputKmsKeyId ? { KmsKeyId: d.outputKmsKeyId } : {}) },
        JobResources: monitoringResources(d.volumeKmsKeyId),
        NetworkConfig: networkOut(d),
        ...(d.roleArn ? { RoleArn: d.roleArn } : {}),
      };
    };
  }
  h['sagemaker:ListModelCards'] = smList('ListModelCards', sm?.modelCards, 'ModelCardSummaries', (c) => ({
    ModelCardName: c.name,
    ModelCardArn: c.arn,
    ...(c.status ? { ModelCardStatus: c.status } : {}),
    CreationTime: new Date(0),
  }));
  h['sagemaker:DescribeModelCard'] = (input, region) => {
    if (input.IncludedData !== 'MetadataOnly') throw awsError('AccessDeniedException', 403, 'kms:Decrypt is required to read the content');
    const c = smFind('DescribeModelCard', sm?.modelCards, input.ModelCardName, region);
    coerced(c.arn, c, ['kmsKeyId']);
    // The model overview, when the snapshot knows it; a card whose model is unknown answers without one.
    const overview =
      c.modelId !== undefined || c.modelName !== undefined
        ? { model_overview: { ...(c.modelId ? { model_id: c.modelId } : {}), ...(c.modelName ? { model_name: c.modelName } : {}) } }
        : {};
    return {
      ModelCardName: c.name,
      ModelCardArn: c.arn,
      ModelCardVersion: 1,
      ...(c.status ? { ModelCardStatus: c.status } : {}),
      ...(c.kmsKeyId ? { SecurityConfig: { KmsKeyId: c.kmsKeyId } } : {}),
      Content: JSON.stringify(overview),
      CreationTime: new Date(0),
    };
  };

  // ---------------------------------------------------------------- Access Analyzer
  h['accessanalyzer:ListAnalyzers'] = (input, region) => {
    check('accessanalyzer', 'ListAnalyzers', region);
    if (!snapshot.accessAnalyzer) return missing('access analyzer listing');
    const { items, next } = page(inRegion(snapshot.accessAnalyzer.analyzers, region), input.nextToken, 2);
    return {
      analyzers: items.map((a) => ({
        arn: a.arn,
        name: a.name,
        type: a.type,
        ...(a.status ? { status: a.status } : {}),
        ...(a.tags ? { tags: a.tags } : {}),
        createdAt: new Date(0),
      })),
      ...(next ? { nextToken: next } : {}),
    };
  };
  h['accessanalyzer:ListFindings'] = (input, region) => {
    const a = inRegion(snapshot.accessAnalyzer?.analyzers, region).find((x) => x.arn === input.analyzerArn);
    if (!a) throw awsError('ResourceNotFoundException', 404, `analyzer ${input.analyzerArn} not found`);
    check('accessanalyzer', 'ListFindings', region, a.arn);
    if (JSON.stringify(input.filter) !== JSON.stringify({ status: { eq: ['ACTIVE'] } })) throw awsError('ValidationException', 400, 'expected the ACTIVE filter');
    if (!a.activeFindings) return missing(`${a.arn}: active findings`);
    const { items, next } = page(a.activeFindings, input.nextToken, 2);
    return {
      findings: items.map((f) => ({
        id: f.id,
        ...(f.resource ? { resource: f.resource } : {}),
        ...(f.resourceType ? { resourceType: f.resourceType } : {}),
        ...(f.isPublic !== undefined ? { isPublic: f.isPublic } : {}),
        status: 'ACTIVE',
        condition: {},
        createdAt: new Date(0),
        analyzedAt: new Date(0),
        updatedAt: new Date(0),
        resourceOwnerAccount: accountId,
      })),
      ...(next ? { nextToken: next } : {}),
    };
  };

  // ---------------------------------------------------------------- EC2
  h['ec2:DescribeVpcEndpoints'] = (input, region) => {
    check('ec2', 'DescribeVpcEndpoints', region);
    if (!snapshot.ec2) return missing('vpc endpoint listing');
    const { items, next } = page(inRegion(snapshot.ec2.vpcEndpoints, region), input.NextToken, 3);
    return {
      VpcEndpoints: items.map((e) => {
        if (e.policy === undefined) gap(`${e.arn}: policy (answered as not set)`);
        return {
          VpcEndpointId: e.id,
          VpcEndpointType: e.type,
          VpcId: e.vpcId,
          ServiceName: e.serviceName,
          ...(e.state ? { State: e.state } : {}),
          ...(e.policy ? { PolicyDocument: policyText(e.policy) } : {}),
          ...(e.privateDnsEnabled !== undefined ? { PrivateDnsEnabled: e.privateDnsEnabled } : {}),
          OwnerId: e.arn.split(':')[4],
          ...(e.tags && Object.keys(e.tags).length ? { Tags: tagList(e.tags) } : {}),
        };
      }),
      ...(next ? { NextToken: next } : {}),
    };
  };

  const subnetsIn = (region: string, what: string) => {
    if (!snapshot.ec2?.subnets) return missing(what);
    return inRegion(snapshot.ec2.subnets, region);
  };
  h['ec2:DescribeSubnets'] = (input, region) => {
    check('ec2', 'DescribeSubnets', region);
    const { items, next } = page(subnetsIn(region, 'subnet listing'), input.NextToken, 3);
    return {
      Subnets: items.map((sn) => {
        // The collector names a subnet after its Name tag.
        if (sn.name !== undefined && sn.tags?.Name !== sn.name) gap(`${sn.arn}: name without a Name tag`);
        return {
          SubnetId: sn.id,
          VpcId: sn.vpcId,
          SubnetArn: sn.arn,
          OwnerId: sn.arn.split(':')[4],
          ...(sn.mapPublicIpOnLaunch !== undefined ? { MapPublicIpOnLaunch: sn.mapPublicIpOnLaunch } : {}),
          ...(sn.tags && Object.keys(sn.tags).length ? { Tags: tagList(sn.tags) } : {}),
        };
      }),
      ...(next ? { NextToken: next } : {}),
    };
  };
  // One route table per recorded routeTableId, explicitly associated with its subnets; a public
  // subnet's table carries its internet route, every table the VPC's local route.
  h['ec2:DescribeRouteTables'] = (input, region) => {
    check('ec2', 'DescribeRouteTables', region);
    const tables = new Map<string, { vpcId: string; subnets: string[]; internet?: { destination: string; gatewayId: string } }>();
    for (const sn of subnetsIn(region, 'route table listing')) {
      if (sn.public === undefined || sn.routeTableId === undefined) {
        gap(`${sn.arn}: public or routeTableId (no route table to answer)`);
        continue;
      }
      const table = tables.get(sn.routeTableId) ?? { vpcId: sn.vpcId, subnets: [] };
      tables.set(sn.routeTableId, table);
      table.subnets.push(sn.id);
      if (sn.internetRoute) table.internet = sn.internetRoute;
      else if (sn.public) gap(`${sn.arn}: internetRoute of a public subnet`);
    }
    const { items, next } = page([...tables.entries()], input.NextToken, 3);
    return {
      RouteTables: items.map(([id, t]) => ({
        RouteTableId: id,
        VpcId: t.vpcId,
        Associations: t.subnets.map((SubnetId) => ({ Main: false, SubnetId, RouteTableId: id })),
        Routes: [
          { DestinationCidrBlock: '10.0.0.0/8', GatewayId: 'local', State: 'active' },
          ...(t.internet
            ? [{ ...(t.internet.destination === '::/0' ? { DestinationIpv6CidrBlock: '::/0' } : { DestinationCidrBlock: t.internet.destination }), GatewayId: t.internet.gatewayId, State: 'active' }]
            : []),
        ],
      })),
      ...(next ? { NextToken: next } : {}),
    };
  };

  // ---------------------------------------------------------------- CloudWatch Logs
  h['logs:DescribeLogGroups'] = (input, region) => {
    check('logs', 'DescribeLogGroups', region);
    if (!snapshot.logs) return missing('log group listing');
    const { items, next } = page(inRegion(snapshot.logs.logGroups, region), input.nextToken, 3);
    return {
      logGroups: items.map((g) => {
        coerced(g.arn, g, ['kmsKeyId', 'retentionInDays', 'dataProtectionStatus']);
        return {
          logGroupName: g.name,
          // DescribeLogGroups gives both forms: `arn` with the log stream wildcard, `logGroupArn` without.
          arn: `${g.arn}:*`,
          logGroupArn: g.arn,
          creationTime: 0,
          storedBytes: 0,
          ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}),
          ...(g.retentionInDays ? { retentionInDays: g.retentionInDays } : {}),
          ...(g.dataProtectionStatus ? { dataProtectionStatus: g.dataProtectionStatus } : {}),
        };
      }),
      ...(next ? { nextToken: next } : {}),
    };
  };

  h['logs:DescribeMetricFilters'] = (input, region) => {
    check('logs', 'DescribeMetricFilters', region);
    if (!snapshot.logs?.metricFilters) return missing('metric filter listing');
    const { items, next } = page(inRegion(snapshot.logs.metricFilters, region), input.nextToken, 3);
    return {
      metricFilters: items.map((f) => {
        if (f.logGroupName === undefined || f.filterPattern === undefined) missing(`${f.arn}: log group or pattern`);
        return {
          filterName: f.name,
          logGroupName: f.logGroupName,
          filterPattern: f.filterPattern,
          creationTime: 0,
          metricTransformations: f.metricTransformations.map((t) => ({
            metricName: t.metricName,
            metricNamespace: t.metricNamespace,
            metricValue: '1',
            ...(t.dimensions ? { dimensions: Object.fromEntries(t.dimensions.map((d) => [d, `$.${d}`])) } : {}),
          })),
        };
      }),
      ...(next ? { nextToken: next } : {}),
    };
  };

  // ---------------------------------------------------------------- CloudWatch alarms
  h['cloudwatch:DescribeAlarms'] = (input, region) => {
    check('cloudwatch', 'DescribeAlarms', region);
    if (!snapshot.cloudwatch) return missing('alarm listing');
    const { items, next } = page(inRegion(snapshot.cloudwatch.alarms, region), input.NextToken, 3);
    const dims = (list: { name: string; value?: string }[]) => list.map((d) => ({ Name: d.name, Value: d.value ?? missing(`alarm dimension ${d.name}: value`) }));
    return {
      MetricAlarms: items.map((a) => {
        if (a.actionsEnabled === undefined || a.alarmActions === undefined) missing(`${a.arn}: actions`);
        return {
          AlarmName: a.name,
          AlarmArn: a.arn,
          ActionsEnabled: a.actionsEnabled,
          AlarmActions: a.alarmActions,
          ...(a.stateValue ? { StateValue: a.stateValue } : {}),
          ...(a.namespace ? { Namespace: a.namespace } : {}),
          ...(a.metricName ? { MetricName: a.metricName } : {}),
          Dimensions: dims(a.dimensions),
          ...(a.thresholdMetricId ? { ThresholdMetricId: a.thresholdMetricId } : {}),
          ...(a.metrics
            ? {
                Metrics: a.metrics.map((m) => ({
                  Id: m.id,
                  ...(m.expression ? { Expression: m.expression } : {}),
                  ...(m.returnData !== undefined ? { ReturnData: m.returnData } : {}),
                  ...(m.namespace && m.metricName ? { MetricStat: { Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: dims(m.dimensions) }, Period: 300, Stat: 'Sum' } } : {}),
                })),
              }
            : {}),
        };
      }),
      ...(next ? { NextToken: next } : {}),
    };
  };

  // ---------------------------------------------------------------- detective controls
  const detective = snapshot.detective;
  h['macie2:GetMacieSession'] = (_input, region) => {
    check('macie2', 'GetMacieSession', region);
    const entry = detective?.macie?.find((m) => m.region === region);
    if (!entry) return missing(`macie status in ${region}`);
    if (entry.status === 'DISABLED') throw awsError('AccessDeniedException', 403, 'Macie is not enabled.');
    return { status: entry.status, findingPublishingFrequency: 'FIFTEEN_MINUTES', serviceRole: 'x' };
  };
  const macieOn = (region: string) => {
    const entry = detective?.macie?.find((m) => m.region === region);
    if (entry?.status !== 'ENABLED') throw awsError('AccessDeniedException', 403, 'Macie is not enabled.');
    return entry;
  };
  h['macie2:GetAutomatedDiscoveryConfiguration'] = (_input, region) => {
    check('macie2', 'GetAutomatedDiscoveryConfiguration', region);
    const discovery = macieOn(region).automatedDiscovery;
    if (!discovery) return missing(`macie automated discovery in ${region}`);
    return { status: discovery.status, ...(discovery.status === 'ENABLED' ? { classificationScopeId: `scope-${region}` } : {}), autoEnableOrganizationMembers: 'NONE' };
  };
  h['macie2:GetClassificationScope'] = (input, region) => {
    check('macie2', 'GetClassificationScope', region);
    const discovery = macieOn(region).automatedDiscovery;
    if (input.id !== `scope-${region}`) throw awsError('ResourceNotFoundException', 404, `classification scope ${input.id} not found`);
    if (!discovery?.excludedBuckets) return missing(`macie classification scope in ${region}`);
    return { id: input.id, name: 'automated-sensitive-data-discovery', s3: { excludes: { bucketNames: discovery.excludedBuckets } } };
  };
  h['macie2:ListClassificationJobs'] = (input, region) => {
    check('macie2', 'ListClassificationJobs', region);
    const jobs = macieOn(region).classificationJobs;
    if (!jobs) return missing(`macie classification jobs in ${region}`);
    const { items, next } = page(jobs, input.nextToken, 2);
    return {
      items: items.map((j) => ({
        jobId: j.id,
        ...(j.name ? { name: j.name } : {}),
        ...(j.jobType ? { jobType: j.jobType } : {}),
        ...(j.jobStatus ? { jobStatus: j.jobStatus } : {}),
        ...(j.bucketDefinitions ? { bucketDefinitions: j.bucketDefinitions.map((d) => ({ accountId: d.accountId ?? accountId, buckets: d.buckets })) } : {}),
        ...(j.bucketCriteria ? { bucketCriteria: { includes: { and: [{ tagCriterion: { comparator: 'EQ', tagValues: [{ key: 'snapshot', value: 'criteria' }] } }] } } } : {}),
      })),
      ...(next ? { nextToken: next } : {}),
    };
  };
  h['inspector2:BatchGetAccountStatus'] = (input, region) => {
    check('inspector2', 'BatchGetAccountStatus', region);
    const entry = detective?.inspector?.find((i) => i.region === region);
    if (!entry) return missing(`inspector status in ${region}`);
    const state = (status: string | undefined) => (status ? { status } : undefined);
    return {
      accounts: (input.accountIds as string[]).map((id) => ({
        accountId: id,
        state: { status: entry.ecr === 'ENABLED' || entry.ec2 === 'ENABLED' || entry.lambda === 'ENABLED' ? 'ENABLED' : 'DISABLED' },
        resourceState: { ...(entry.ecr ? { ecr: state(entry.ecr) } : {}), ...(entry.ec2 ? { ec2: state(entry.ec2) } : {}), ...(entry.lambda ? { lambda: state(entry.lambda) } : {}) },
      })),
      failedAccounts: [],
    };
  };
  h['guardduty:ListDetectors'] = (input, region) => {
    check('guardduty', 'ListDetectors', region);
    const entry = detective?.guardDuty?.find((g) => g.region === region);
    if (!entry) return missing(`guardduty detectors in ${region}`);
    const { items, next } = page(entry.detectors, input.NextToken, 2);
    return { DetectorIds: items.map((d) => d.id), ...(next ? { NextToken: next } : {}) };
  };
  h['guardduty:GetDetector'] = (input, region) => {
    check('guardduty', 'GetDetector', region, `arn:${partition}:guardduty:${region}:${accountId}:detector/${input.DetectorId}`);
    const detector = detective?.guardDuty?.find((g) => g.region === region)?.detectors.find((d) => d.id === input.DetectorId);
    if (!detector) throw awsError('BadRequestException', 400, `detector ${input.DetectorId} not found`);
    return {
      Status: detector.status,
      ServiceRole: 'x',
      ...(detector.features
        ? {
            Features: detector.features.map((f) => ({
              Name: f.name,
              Status: f.status,
              ...(f.additionalConfiguration ? { AdditionalConfiguration: f.additionalConfiguration.map((a) => ({ Name: a.name, Status: a.status })) } : {}),
            })),
          }
        : {}),
    };
  };
  h['securityhub:DescribeHub'] = (_input, region) => {
    check('securityhub', 'DescribeHub', region);
    const entry = detective?.securityHub?.find((s) => s.region === region);
    if (!entry) return missing(`security hub status in ${region}`);
    if (!entry.enabled) throw awsError('InvalidAccessException', 401, `Account ${accountId} is not subscribed to AWS Security Hub`);
    return { HubArn: entry.hubArn ?? `arn:${partition}:securityhub:${region}:${accountId}:hub/default`, AutoEnableControls: true };
  };
  h['securityhub:GetEnabledStandards'] = (_input, region) => {
    const entry = detective?.securityHub?.find((s) => s.region === region);
    check('securityhub', 'GetEnabledStandards', region, entry?.hubArn ?? `arn:${partition}:securityhub:${region}:${accountId}:hub/default`);
    if (!entry?.standards) return missing(`security hub standards in ${region}`);
    return {
      StandardsSubscriptions: entry.standards.map((st) => ({
        StandardsSubscriptionArn: `${st.arn.replace('::standards/', `:${accountId}:subscription/`)}`,
        StandardsArn: st.arn,
        StandardsInput: {},
        StandardsStatus: st.status ?? 'READY',
      })),
    };
  };
  const recordersIn = (region: string) => detective?.config?.find((c) => c.region === region);
  h['config:DescribeConfigurationRecorders'] = (_input, region) => {
    check('config', 'DescribeConfigurationRecorders', region);
    const entry = recordersIn(region);
    if (!entry) return missing(`config recorders in ${region}`);
    return {
      ConfigurationRecorders: entry.recorders.map((r) => ({
        name: r.name,
        roleARN: `arn:${partition}:iam::${accountId}:role/config`,
        ...(r.allSupported !== undefined ? { recordingGroup: { allSupported: r.allSupported, includeGlobalResourceTypes: r.allSupported } } : {}),
      })),
    };
  };
  h['config:DescribeConfigurationRecorderStatus'] = (_input, region) => {
    check('config', 'DescribeConfigurationRecorderStatus', region);
    const entry = recordersIn(region);
    // Without recorders the collector drops this answer anyway.
    return { ConfigurationRecordersStatus: (entry?.recorders ?? []).flatMap((r) => (r.recording !== undefined ? [{ name: r.name, recording: r.recording }] : [])) };
  };

  // ---------------------------------------------------------------- API Gateway and WAFv2
  const apigw = snapshot.apiGateway;
  const apiIn = (region: string, id: string) => apigw?.restApis.find((a) => a.region === region && a.id === id);
  /** A method path as API Gateway keys method settings (`*\/*`, `invoke/POST`) or usage plan throttles (`/invoke/POST`). */
  const settingKey = (m: { resourcePath: string; httpMethod: string }, leading: boolean) =>
    m.resourcePath === '*' ? '*/*' : `${leading ? m.resourcePath : m.resourcePath.slice(1)}/${m.httpMethod}`;
  const throttleOut = (t: { rateLimit?: number; burstLimit?: number }) => ({
    ...(t.rateLimit !== undefined ? { rateLimit: t.rateLimit } : {}),
    ...(t.burstLimit !== undefined ? { burstLimit: t.burstLimit } : {}),
  });
  h['apigateway:GetRestApis'] = (input, region) => {
    check('apigateway', 'GetRestApis', region);
    if (!apigw) return missing('REST API listing');
    const { items, next } = page(inRegion(apigw.restApis, region), input.position, 2);
    return {
      items: items.map((a) => ({
        id: a.id,
        name: a.name,
        ...(a.tags && Object.keys(a.tags).length ? { tags: a.tags } : {}),
        ...(a.endpointType ? { endpointConfiguration: { types: [a.endpointType] } } : {}),
      })),
      ...(next ? { position: next } : {}),
    };
  };
  h['apigateway:GetResources'] = (input, region) => {
    const api = apiIn(region, input.restApiId);
    check('apigateway', 'GetResources', region, api?.arn);
    if (!api) throw awsError('NotFoundException', 404, 'Invalid API identifier specified');
    if (!api.methods) return missing(`${api.arn}: methods`);
    const paths = [...new Set(api.methods.map((m) => m.resourcePath))];
    return {
      items: paths.map((path, i) => ({
        id: `r${i}`,
        path,
        resourceMethods: Object.fromEntries(
          api.methods!
            .filter((m) => m.resourcePath === path)
            .map((m) => {
              if (m.integrationType === undefined) gap(`${api.arn}: integration of ${m.httpMethod} ${m.resourcePath}`);
              return [
                m.httpMethod,
                {
                  httpMethod: m.httpMethod,
                  ...(m.apiKeyRequired !== undefined ? { apiKeyRequired: m.apiKeyRequired } : {}),
                  ...(m.integrationType ? { methodIntegration: { type: m.integrationType, ...(m.integrationUri ? { uri: m.integrationUri } : {}) } } : {}),
                },
              ];
            }),
        ),
      })),
    };
  };
  h['apigateway:GetStages'] = (input, region) => {
    const api = apiIn(region, input.restApiId);
    check('apigateway', 'GetStages', region, api?.arn);
    if (!api) throw awsError('NotFoundException', 404, 'Invalid API identifier specified');
    return {
      item: inRegion(apigw!.stages, region)
        .filter((s) => s.restApiId === api.id)
        .map((s) => {
          coerced(s.arn, s, ['webAclArn', 'methodThrottles']);
          return {
            stageName: s.name,
            deploymentId: 'd1',
            ...(s.webAclArn ? { webAclArn: s.webAclArn } : {}),
            methodSettings: Object.fromEntries(
              (s.methodThrottles ?? []).map((m) => [settingKey(m, false), { ...(m.throttle.rateLimit !== undefined ? { throttlingRateLimit: m.throttle.rateLimit } : {}), ...(m.throttle.burstLimit !== undefined ? { throttlingBurstLimit: m.throttle.burstLimit } : {}) }]),
            ),
            ...(s.tags && Object.keys(s.tags).length ? { tags: s.tags } : {}),
          };
        }),
    };
  };
  h['apigateway:GetUsagePlans'] = (input, region) => {
    check('apigateway', 'GetUsagePlans', region);
    if (!apigw?.usagePlans) return missing(`usage plans in ${region}`);
    const { items, next } = page(inRegion(apigw.usagePlans, region), input.position, 2);
    return {
      items: items.map((p) => {
        coerced(p.arn, p, ['throttle']);
        return {
          id: p.id,
          name: p.name,
          ...(p.throttle ? { throttle: throttleOut(p.throttle) } : {}),
          apiStages: (p.apiStages ?? []).map((s) => ({
            apiId: s.restApiId,
            stage: s.stage,
            ...(s.methodThrottles?.length ? { throttle: Object.fromEntries(s.methodThrottles.map((m) => [settingKey(m, true), throttleOut(m.throttle)])) } : {}),
          })),
          ...(p.tags && Object.keys(p.tags).length ? { tags: p.tags } : {}),
        };
      }),
      ...(next ? { position: next } : {}),
    };
  };
  h['wafv2:ListWebACLs'] = (input, region) => {
    check('wafv2', 'ListWebACLs', region);
    if (!snapshot.wafv2) return missing('web ACL listing');
    const { items, next } = page(inRegion(snapshot.wafv2.webAcls, region), input.NextMarker, 2);
    return { WebACLs: items.map((a) => ({ Name: a.name, Id: a.id ?? a.name, ARN: a.arn, LockToken: 'lock' })), ...(next ? { NextMarker: next } : {}) };
  };
  h['wafv2:GetWebACL'] = (input, region) => {
    const acl = inRegion(snapshot.wafv2?.webAcls, region).find((a) => a.name === input.Name && (a.id ?? a.name) === input.Id);
    check('wafv2', 'GetWebACL', region, acl?.arn);
    if (!acl) throw awsError('WAFNonexistentItemException', 400, 'The referenced item does not exist.');
    if (!acl.rules) return missing(`${acl.arn}: rules`);
    return {
      WebACL: {
        Name: acl.name,
        Id: acl.id ?? acl.name,
        ARN: acl.arn,
        DefaultAction: { [acl.defaultAction ?? 'Allow']: {} },
        Rules: acl.rules.map((r) => {
          const group = r.managedRuleGroup !== undefined || r.ruleGroupArn !== undefined;
          const statement =
            r.rateLimit !== undefined
              ? { RateBasedStatement: { Limit: r.rateLimit, AggregateKeyType: 'IP', ...(r.rateWindowSec !== undefined ? { EvaluationWindowSec: r.rateWindowSec } : {}) } }
              : r.managedRuleGroup !== undefined
                ? { ManagedRuleGroupStatement: { VendorName: r.managedRuleGroup.split('/')[0], Name: r.managedRuleGroup.split('/').slice(1).join('/') } }
                : r.ruleGroupArn !== undefined
                  ? { RuleGroupReferenceStatement: { ARN: r.ruleGroupArn } }
                  : { GeoMatchStatement: { CountryCodes: ['US'] } };
          return {
            Name: r.name,
            Priority: r.priority ?? 0,
            ...(r.action ? (group ? { OverrideAction: { [r.action]: {} } } : { Action: { [r.action]: {} } }) : {}),
            Statement: statement,
            VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: r.name },
          };
        }),
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: acl.name },
      },
      LockToken: 'lock',
    };
  };

  // ---------------------------------------------------------------- time window and options
  // `now` just after the newest dated thing, and a --since window that reaches the oldest job.
  const dated = [
    ...(sm?.trainingJobs ?? []).map((j) => j.creationTime),
    ...(sm?.processingJobs ?? []).map((j) => j.creationTime),
    ...(iam?.users ?? []).flatMap((u) => [u.createDate, u.passwordLastUsed, ...(u.accessKeys ?? []).flatMap((k) => [k.createDate, k.lastUsedDate])]),
  ]
    .flatMap((t) => (t ? [new Date(t).getTime()] : []))
    .filter((t) => !Number.isNaN(t));
  const newest = dated.length ? Math.max(...dated) : Date.parse('2026-01-01T00:00:00Z');
  const oldestJob = [...(sm?.trainingJobs ?? []), ...(sm?.processingJobs ?? [])]
    .flatMap((j) => (j.creationTime ? [Date.parse(j.creationTime)] : []))
    .reduce((a, b) => Math.min(a, b), newest);
  const now = newest + 86_400_000;
  const reportTime = now - 3_600_000;
  const options: CollectOptions = {
    region: defaultRegion,
    regions,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    now: () => new Date(now),
    sinceDays: Math.max(1, Math.ceil((now - oldestJob) / 86_400_000) + 1),
  };

  return {
    handlers: h,
    options,
    gaps,
    unreproduced: () => faults.filter((f) => !f.fired).map((f) => f.error),
  };
}

function pabOut(pab: { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean }) {
  return {
    BlockPublicAcls: pab.blockPublicAcls,
    IgnorePublicAcls: pab.ignorePublicAcls,
    BlockPublicPolicy: pab.blockPublicPolicy,
    RestrictPublicBuckets: pab.restrictPublicBuckets,
  };
}
