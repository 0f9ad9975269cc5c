/**
 * AWS managed keys (`alias/aws/s3`, `alias/aws/sagemaker`, ...) exist in every account and region
 * without being declared anywhere. When IaC refers to one, we add it to the inventory as an
 * AWS-managed key so rules can tell "encrypted with the AWS managed key" from "encrypted with a
 * key we know nothing about". Nothing else about the key is claimed.
 */
import type { InventoryDraft } from './draft.js';
import { syntheticUuid } from './synth.js';

const AWS_ALIAS = /^(?:arn:[^:]+:kms:([^:]*):(\d*):)?(alias\/aws\/[A-Za-z0-9/_-]+)$/;

export function addAwsManagedKeys(draft: InventoryDraft, accountId: string, partition: string): void {
  const references: { value: string; region: string }[] = [];
  for (const b of draft.buckets) for (const r of b.encryption?.rules ?? []) if (r.kmsMasterKeyId) references.push({ value: r.kmsMasterKeyId, region: b.region });
  for (const t of draft.trails) if (t.kmsKeyId) references.push({ value: t.kmsKeyId, region: t.region });
  for (const n of draft.notebooks) if (n.kmsKeyId) references.push({ value: n.kmsKeyId, region: n.region });
  for (const e of draft.endpointConfigs) if (e.kmsKeyId) references.push({ value: e.kmsKeyId, region: e.region });
  for (const d of draft.domains) if (d.kmsKeyId) references.push({ value: d.kmsKeyId, region: d.region });
  for (const g of draft.guardrails) if (g.kmsKeyArn) references.push({ value: g.kmsKeyArn, region: g.region });
  for (const a of draft.agents) if (a.kmsKeyArn) references.push({ value: a.kmsKeyArn, region: a.region });
  for (const { value, region: defaultRegion } of references) {
    const match = AWS_ALIAS.exec(value);
    if (!match) continue;
    const region = match[1] || defaultRegion;
    if (match[2] && match[2] !== accountId) continue;
    const alias = match[3]!;
    if (draft.keys.some((k) => k.region === region && k.aliases.includes(alias))) continue;
    const keyId = syntheticUuid(`aws-managed:${region}:${alias}`);
    draft.keys.push({
      arn: `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`,
      region,
      keyId,
      aliases: [alias],
      keyManager: 'AWS',
      keyState: 'Enabled',
    });
  }
}
