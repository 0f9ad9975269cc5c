/**
 * KMS in a Terraform plan: `aws_kms_key` (a customer managed key; KMS's default key policy when
 * none is given) and `aws_kms_alias`, joined to its key by reference or by key id / ARN.
 */
import { compact, type KeyDraft } from '../iac/draft.js';
import { UNKNOWN, known } from '../iac/props.js';
import { defaultKeyPolicy, syntheticUuid } from '../iac/synth.js';
import { serviceState, type MapperTable, type TfResource } from './context.js';
import { remember } from './helpers.js';

/** The keys of this plan, for the aliases to find. */
const KEYS = serviceState(() => ({
  byResource: new Map<TfResource, KeyDraft>(),
  byId: new Map<string, KeyDraft>(),
}));

export const kmsMappers: MapperTable = {
  aws_kms_key: {
    identity({ given, set, partition: p, region: r, accountId: a, seed }) {
      const keyId = given('key_id') ?? syntheticUuid(seed);
      set(keyId, given('arn') ?? `arn:${p}:kms:${r}:${a}:key/${keyId}`, { id: keyId, key_id: keyId });
    },
    map(ctx) {
      const { resource: r, str, bool } = ctx;
      const id = r.identity;
      const enabled = bool('is_enabled', 'Enabled', true);
      const policy = ctx.policy('policy', 'KeyPolicy');
      const key: KeyDraft = compact({
        ...ctx.base({ description: 'Description', enable_key_rotation: 'EnableKeyRotation', policy: 'KeyPolicy', is_enabled: 'Enabled' }),
        keyId: id.name,
        aliases: [],
        keyManager: 'CUSTOMER' as const,
        keyState: enabled === undefined ? undefined : enabled ? 'Enabled' : 'Disabled',
        keySpec: str('customer_master_key_spec', 'KeySpec') ?? 'SYMMETRIC_DEFAULT',
        keyUsage: str('key_usage', 'KeyUsage') ?? 'ENCRYPT_DECRYPT',
        origin: 'AWS_KMS',
        description: str('description', 'Description') || undefined,
        rotationEnabled: bool('enable_key_rotation', 'EnableKeyRotation', false),
        // Without `policy`, KMS attaches its documented default policy (root account, kms:*).
        policy: policy === UNKNOWN ? undefined : policy ?? defaultKeyPolicy(ctx.partition, ctx.accountId),
      });
      ctx.draft.keys.push(key);
      const keys = ctx.state(KEYS);
      remember(keys.byId, key.keyId, key);
      remember(keys.byId, key.arn, key);
      keys.byResource.set(r, key);
      ctx.finish(key);
    },
  },

  aws_kms_alias: {
    nameRule: { max: 256, charset: 'word', lead: 'alias/' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('name');
      set(name, given('arn') ?? `arn:${p}:kms:${r}:${a}:${name}`, { id: name, name });
    },
    attach(ctx) {
      const r = ctx.resource;
      const keys = ctx.state(KEYS);
      const followed = ctx.referenceTarget(['target_key_id']);
      let key = followed?.target.type === 'aws_kms_key' ? keys.byResource.get(followed.target) : undefined;
      if (!key) {
        const target = known(ctx.readStr(['target_key_id'], 'TargetKeyId'));
        key = target === undefined ? undefined : keys.byId.get(target);
      }
      if (key && !r.nameUnknown) key.aliases.push(r.identity.name);
    },
  },
};
