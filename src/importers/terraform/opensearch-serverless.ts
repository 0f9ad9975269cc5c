/**
 * OpenSearch Serverless in a Terraform plan: `aws_opensearchserverless_collection` (name, type; its
 * `kms_key_arn` once applied, `auto` meaning an AWS owned key) and
 * `aws_opensearchserverless_security_policy` of type `encryption` (its `policy` JSON: the collection
 * patterns and the key), which gives a collection whose key the plan does not know its key when the
 * inventory is built (src/importers/iac/aoss-encryption.ts). A policy that `jsonencode`s a key
 * created in the same plan is known only after apply: the collections it may cover stay unknown.
 */
import { compact } from '../iac/draft.js';
import { parseEncryptionPolicy } from '../iac/aoss-encryption.js';
import { UNKNOWN } from '../iac/props.js';
import { syntheticAlnumId } from '../iac/synth.js';
import type { MapperTable } from './context.js';

export const openSearchServerlessMappers: MapperTable = {
  aws_opensearchserverless_collection: {
    nameRule: { max: 32, charset: 'bucket' },
    identity({ nameOf, given, set, partition: p, region: r, accountId: a, seed }) {
      const name = nameOf('name');
      const id = given('id') ?? syntheticAlnumId(seed, 20).toLowerCase();
      const arn = given('arn') ?? `arn:${p}:aoss:${r}:${a}:collection/${id}`;
      set(name, arn, { id, arn, name });
    },
    map(ctx) {
      const { str, base, finish } = ctx;
      const id = ctx.resource.identity;
      // Known only from a collection that exists (the plan's prior state); else the policies decide.
      const key = ctx.isUnknown(['kms_key_arn']) ? undefined : ctx.resource.values.kms_key_arn;
      const collection = compact({
        ...base({ name: 'Name', type: 'Type' }),
        id: id.attributes.id!,
        name: id.name,
        type: str('type', 'Type') ?? 'SEARCH',
        kmsKeyArn: typeof key === 'string' && key ? (key.toLowerCase() === 'auto' ? null : key) : undefined,
      });
      ctx.draft.collections.push(finish(collection));
    },
  },
  aws_opensearchserverless_security_policy: {
    identity({ nameOf, set, partition: p, region: r, accountId: a }) {
      const name = nameOf('name');
      // Security policies have no ARN; this one only keys the plan's references.
      set(name, `arn:${p}:aoss:${r}:${a}:security-policy/${name}`, { id: name, name });
    },
    map(ctx) {
      const type = ctx.readStr(['type'], 'Type');
      if (type !== UNKNOWN && type?.toLowerCase() !== 'encryption') return;
      const text = type === UNKNOWN ? UNKNOWN : ctx.readStr(['policy'], 'Policy');
      const parsed = text === UNKNOWN || text === undefined ? undefined : parseEncryptionPolicy(text);
      ctx.draft.encryptionPolicies.push(compact({ region: ctx.region, name: ctx.resource.identity.name, patterns: parsed?.patterns, key: parsed?.key }));
    },
  },
};
