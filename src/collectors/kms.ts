/**
 * KMS, per region: keys with metadata, rotation (customer keys that support it) and key policy,
 * plus aliases so that rules can resolve `alias/...` references from S3, CloudTrail and SageMaker.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  type KeyListEntry,
} from '@aws-sdk/client-kms';
import { acceptPolicy } from './policy-check.js';
import { forEachBounded, paginate, type CollectRuntime } from './runtime.js';
import type { KmsKeyInput } from './shapes.js';

/** Keys of one region; undefined when the key listing failed. */
export async function collectKmsRegion(rt: CollectRuntime, region: string): Promise<KmsKeyInput[] | undefined> {
  const listed: KeyListEntry[] = [];
  const aliasesByKeyId = new Map<string, string[]>();
  const [keysResult] = await Promise.all([
    paginate(
      (marker) => rt.call('kms', region, 'ListKeys', (c) => c.send(new ListKeysCommand({ Limit: 1000, ...(marker ? { Marker: marker } : {}) }))),
      (page) => (page.Truncated ? page.NextMarker : undefined),
      (page) => listed.push(...(page.Keys ?? [])),
    ),
    // A failed alias listing leaves `aliases` empty for every key of the region, which would make
    // alias references unresolvable (unknown), never wrongly resolved; the error is recorded.
    paginate(
      (marker) => rt.call('kms', region, 'ListAliases', (c) => c.send(new ListAliasesCommand({ Limit: 100, ...(marker ? { Marker: marker } : {}) }))),
      (page) => (page.Truncated ? page.NextMarker : undefined),
      (page) => {
        for (const alias of page.Aliases ?? []) {
          if (!alias.AliasName || !alias.TargetKeyId) continue;
          const list = aliasesByKeyId.get(alias.TargetKeyId) ?? [];
          list.push(alias.AliasName);
          aliasesByKeyId.set(alias.TargetKeyId, list);
        }
      },
    ),
  ]);
  if (keysResult === 'failed') return undefined;

  const keys: KmsKeyInput[] = [];
  await forEachBounded(listed, rt.concurrencyFor('kms'), async (entry) => {
    if (!entry.KeyId) return;
    const key = await collectKey(rt, region, entry, aliasesByKeyId.get(entry.KeyId) ?? []);
    if (key) keys.push(key);
  });
  return keys;
}

async function collectKey(rt: CollectRuntime, region: string, entry: KeyListEntry, aliases: string[]): Promise<KmsKeyInput | undefined> {
  const KeyId = entry.KeyId!;
  const resource = entry.KeyArn ?? KeyId;
  const [described, policy] = await Promise.all([
    rt.call('kms', region, 'DescribeKey', (c) => c.send(new DescribeKeyCommand({ KeyId })), { resource }),
    rt.call('kms', region, 'GetKeyPolicy', (c) => c.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' })), { resource }),
  ]);
  // Without DescribeKey the key's manager (AWS or customer) is unknown; the key is left out and the
  // recorded error (with the key ARN) makes rules that reference it answer unknown.
  if (described.status !== 'ok' || !described.value.KeyMetadata) return undefined;
  const meta = described.value.KeyMetadata;
  const key: KmsKeyInput = {
    arn: meta.Arn ?? resource,
    region,
    keyId: meta.KeyId ?? KeyId,
    aliases: [...aliases].sort(),
    keyManager: meta.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER',
  };
  if (meta.KeyState) key.keyState = meta.KeyState;
  if (meta.KeySpec) key.keySpec = meta.KeySpec;
  if (meta.KeyUsage) key.keyUsage = meta.KeyUsage;
  if (meta.Origin) key.origin = meta.Origin;
  if (meta.Description) key.description = meta.Description;
  if (policy.status === 'ok') {
    const document = policy.value.Policy ?? null;
    if (document === null || acceptPolicy(rt, { service: 'kms', region, operation: 'GetKeyPolicy', resource: key.arn }, document)) key.policy = document;
  }

  // Automatic rotation exists only for symmetric encryption keys with key material from KMS;
  // for other keys the question has no answer and rotationEnabled stays absent.
  const rotatable =
    meta.KeyManager === 'CUSTOMER' &&
    meta.KeySpec === 'SYMMETRIC_DEFAULT' &&
    meta.Origin === 'AWS_KMS' &&
    meta.KeyState !== 'PendingDeletion' &&
    meta.KeyState !== 'PendingReplicaDeletion';
  if (rotatable) {
    const rotation = await rt.call('kms', region, 'GetKeyRotationStatus', (c) => c.send(new GetKeyRotationStatusCommand({ KeyId })), {
      resource: key.arn,
    });
    if (rotation.status === 'ok') key.rotationEnabled = rotation.value.KeyRotationEnabled === true;
  }
  return key;
}
