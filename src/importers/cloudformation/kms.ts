/**
 * KMS in CloudFormation: AWS::KMS::Key (with the default key policy when none is declared),
 * AWS::KMS::ReplicaKey (named only: Ref and Fn::GetAtt resolve to it) and AWS::KMS::Alias
 * (added to its key's aliases once every key exists).
 */
import { compact, type KeyDraft } from '../iac/draft.js';
import { known } from '../iac/props.js';
import { defaultKeyPolicy, syntheticUuid } from '../iac/synth.js';
import type { Identity, IdentityContext, MapperTable, TemplateResource } from './context.js';
import { setNotes } from './helpers.js';

function keyIdentity(_resource: TemplateResource, { partition: p, region: r, accountId: a, seed }: IdentityContext): Identity {
  const keyId = syntheticUuid(seed);
  const arn = `arn:${p}:kms:${r}:${a}:key/${keyId}`;
  return { name: keyId, arn, ref: keyId, attributes: { Arn: arn, KeyId: keyId } };
}

export const kmsMappers: MapperTable = {
  'AWS::KMS::Key': {
    identity: keyIdentity,
    map(_resource, { draft, partition, accountId, read, identity, base, notes, defer }) {
      const enabled = known(read.bool('Enabled', true));
      const key: KeyDraft = compact({
        ...base(),
        keyId: identity.name,
        aliases: [],
        keyManager: 'CUSTOMER' as const,
        keyState: enabled === undefined ? undefined : enabled ? 'Enabled' : 'Disabled',
        keySpec: known(read.str('KeySpec', 'SYMMETRIC_DEFAULT')),
        keyUsage: known(read.str('KeyUsage', 'ENCRYPT_DECRYPT')),
        origin: known(read.str('Origin', 'AWS_KMS')),
        description: known(read.str('Description')),
        rotationEnabled: known(read.bool('EnableKeyRotation', false)),
        // Without KeyPolicy, KMS attaches its documented default policy (root account, kms:*).
        policy: read.value('KeyPolicy') === undefined ? defaultKeyPolicy(partition, accountId) : known(read.value('KeyPolicy')),
      });
      draft.keys.push(key);
      defer(() => setNotes(key, notes()));
    },
  },
  'AWS::KMS::ReplicaKey': { identity: keyIdentity },
  'AWS::KMS::Alias': {
    identity({ logicalId }, { partition: p, region: r, accountId: a, named }) {
      const { name, unresolved } = named('AliasName', `alias/${logicalId}`);
      return { name, arn: `arn:${p}:kms:${r}:${a}:${name}`, ref: name, attributes: {}, nameUnresolved: unresolved };
    },
    map(_resource, { draft, read, identity, defer }) {
      const target = known(read.str('TargetKeyId'));
      defer(() => {
        const key = draft.keys.find((k) => k.keyId === target || k.arn === target);
        if (key && !identity.nameUnresolved) key.aliases.push(identity.name);
      });
    },
  },
};
