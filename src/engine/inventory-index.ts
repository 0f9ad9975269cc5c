/**
 * Lookups that several rules need, built once per scan so that rules stay linear in the
 * inventory size (a 100k-resource inventory must not be scanned once per bucket).
 */
import type { CollectionError, Inventory, IamManagedPolicy, KmsKey, LogGroup } from '../inventory/schema.js';

export class InventoryIndex {
  private readonly keysByArn = new Map<string, KmsKey>();
  private readonly keysByRegionAndId = new Map<string, KmsKey>();
  private readonly keysByRegionAndAlias = new Map<string, KmsKey>();
  private readonly policiesByArn = new Map<string, IamManagedPolicy>();
  private readonly logGroupsByArn = new Map<string, LogGroup>();
  private readonly errorsByService = new Map<string, CollectionError[]>();
  /** service -> errors with no resource (a whole listing failed); service -> resource -> errors. */
  private readonly listingErrors = new Map<string, CollectionError[]>();
  private readonly resourceErrors = new Map<string, Map<string, CollectionError[]>>();

  constructor(readonly inventory: Inventory) {
    for (const key of inventory.kms?.keys ?? []) {
      this.keysByArn.set(key.arn, key);
      this.keysByRegionAndId.set(`${key.region}/${key.keyId}`, key);
      for (const alias of key.aliases) this.keysByRegionAndAlias.set(`${key.region}/${alias}`, key);
    }
    for (const policy of inventory.iam?.policies ?? []) this.policiesByArn.set(policy.arn, policy);
    for (const group of inventory.logs?.logGroups ?? []) this.logGroupsByArn.set(logGroupArnOf(group.arn), group);
    for (const error of inventory.collectionErrors) {
      push(this.errorsByService, error.service, error);
      if (error.resource === undefined) push(this.listingErrors, error.service, error);
      else {
        let byResource = this.resourceErrors.get(error.service);
        if (!byResource) this.resourceErrors.set(error.service, (byResource = new Map()));
        push(byResource, error.resource, error);
      }
    }
  }

  get accountId(): string {
    return this.inventory.account.id;
  }

  get partition(): string {
    return this.inventory.account.partition;
  }

  /** The account itself as a resource (for account-wide verdicts). */
  get accountArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }

  /**
   * Resolves a KMS key reference as S3, CloudTrail or SageMaker store it: key ARN, bare key id,
   * alias name (`alias/x`) or alias ARN. Bare ids and alias names resolve in `region`.
   */
  resolveKmsKey(reference: string, region: string): KmsKey | undefined {
    // Kept per (region, reference): thousands of jobs name the same few keys, and resolving an
    // alias ARN or a bare id builds and hashes a new string each time.
    let byReference = this.resolvedKeys.get(region);
    if (!byReference) this.resolvedKeys.set(region, (byReference = new Map()));
    let key = byReference.get(reference);
    if (key === undefined) byReference.set(reference, (key = this.lookUpKmsKey(reference, region) ?? null));
    return key ?? undefined;
  }

  private readonly resolvedKeys = new Map<string, Map<string, KmsKey | null>>();

  private lookUpKmsKey(reference: string, region: string): KmsKey | undefined {
    if (reference.startsWith('arn:')) {
      const direct = this.keysByArn.get(reference);
      if (direct) return direct;
      const match = /^arn:[^:]+:kms:([^:]*):(\d*):(alias\/.+)$/.exec(reference);
      if (match && match[2] === this.accountId) return this.keysByRegionAndAlias.get(`${match[1]}/${match[3]}`);
      return undefined;
    }
    if (reference.startsWith('alias/')) return this.keysByRegionAndAlias.get(`${region}/${reference}`);
    return this.keysByRegionAndId.get(`${region}/${reference}`);
  }

  /**
   * A value built once per scan and shared by the rules that need it (principal policy sets, the
   * users' AI access answers...): the index is created anew for every scan, so these caches never
   * outlive the inventory they describe, and a rule evaluated with a fresh index pays for what it
   * builds. `key` is a module-level symbol of the owner; values are never changed once built.
   */
  memo<T>(key: symbol, build: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = build();
    this.memos.set(key, value);
    return value;
  }

  private readonly memos = new Map<symbol, unknown>();

  managedPolicy(arn: string): IamManagedPolicy | undefined {
    return this.policiesByArn.get(arn);
  }

  /** The log group of an ARN, with or without the `:*` suffix CloudTrail and IAM policies write. */
  logGroup(arn: string): LogGroup | undefined {
    return this.logGroupsByArn.get(logGroupArnOf(arn));
  }

  /**
   * Collection errors that could hide data about a resource: errors of the service with no
   * resource (the whole listing failed, in that region or everywhere) or about this resource.
   */
  errorsFor(service: string, options: { region?: string; resource?: string; operations?: string[] } = {}): CollectionError[] {
    // Per resource, only the service's listing errors and that resource's own can apply: look
    // those up instead of filtering every error of the service (rules ask once per resource).
    const candidates =
      options.resource === undefined
        ? (this.errorsByService.get(service) ?? [])
        : [...(this.listingErrors.get(service) ?? []), ...(this.resourceErrors.get(service)?.get(options.resource) ?? [])];
    if (candidates.length === 0) return candidates;
    return candidates.filter(
      (e) =>
        (options.region === undefined || e.region === undefined || e.region === options.region) &&
        (e.resource === undefined || options.resource === undefined || e.resource === options.resource) &&
        (options.operations === undefined || options.operations.includes(e.operation)),
    );
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A log group ARN without the `:*` (all log streams) suffix: `...:log-group:<name>`. */
export function logGroupArnOf(arn: string): string {
  return arn.endsWith(':*') ? arn.slice(0, -2) : arn;
}

/** A short phrase for messages: "AccessDenied on GetBucketEncryption". */
export function describeErrors(errors: CollectionError[]): string {
  const parts = errors.map((e) => `${e.errorCode} on ${e.operation}${e.region ? ` (${e.region})` : ''}`);
  return [...new Set(parts)].join('; ');
}
