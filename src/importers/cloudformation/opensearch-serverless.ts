/**
 * OpenSearch Serverless in CloudFormation: AWS::OpenSearchServerless::Collection (name, type, its
 * own EncryptionConfig when declared) and AWS::OpenSearchServerless::SecurityPolicy of type
 * `encryption` (its Policy JSON: the collection patterns and the key), which gives a collection
 * without an EncryptionConfig its key when the inventory is built (src/importers/iac/aoss-encryption.ts).
 */
import { compact } from '../iac/draft.js';
import { parseEncryptionPolicy } from '../iac/aoss-encryption.js';
import { UNKNOWN, known, type PropertyReader } from '../iac/props.js';
import { syntheticAlnumId } from '../iac/synth.js';
import type { MapperTable } from './context.js';
import { setNotes } from './helpers.js';

export const openSearchServerlessMappers: MapperTable = {
  'AWS::OpenSearchServerless::Collection': {
    nameLimit: { max: 32, lowerCase: true },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('Name');
      const id = syntheticAlnumId(seed, 20).toLowerCase();
      const arn = `arn:${p}:aoss:${r}:${a}:collection/${id}`;
      const endpoint = `https://${id}.${r}.aoss.amazonaws.com`;
      return { name, arn, ref: id, nameUnresolved: unresolved, attributes: { Arn: arn, Id: id, CollectionEndpoint: endpoint, DashboardEndpoint: `${endpoint}/_dashboards` } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const collection = compact({
        ...base(),
        id: String(identity.attributes.Id),
        name: identity.name,
        type: known(read.str('Type', 'SEARCH')),
        kmsKeyArn: ownEncryption(read),
      });
      draft.collections.push(collection);
      defer(() => setNotes(collection, notes()));
    },
  },
  'AWS::OpenSearchServerless::SecurityPolicy': {
    identity(_resource, { named }) {
      const { name, unresolved } = named('Name');
      return { name, ref: name, nameUnresolved: unresolved, attributes: {} };
    },
    map(_resource, { draft, read, identity, region }) {
      const type = read.str('Type');
      // Network policies say nothing about keys; an unknown type might be an encryption policy.
      if (type !== UNKNOWN && type?.toLowerCase() !== 'encryption') return;
      const parsed = type === UNKNOWN ? undefined : parseEncryptionPolicy(known(read.str('Policy')));
      draft.encryptionPolicies.push(compact({ region, name: identity.name, patterns: parsed?.patterns, key: parsed?.key }));
    },
  },
};

/** EncryptionConfig: the KMS key, null for an AWS owned key; undefined when not declared (a policy decides) or unknown. */
function ownEncryption(read: PropertyReader): string | null | undefined {
  const declared = read.value('EncryptionConfig');
  if (declared === undefined || declared === UNKNOWN) return undefined;
  const key = read.str('EncryptionConfig.KmsKeyArn');
  if (key === UNKNOWN) return undefined;
  if (key) return key;
  return known(read.bool('EncryptionConfig.AWSOwnedKey')) === true ? null : undefined;
}
