/**
 * OpenSearch Serverless, per region: the collections (ListCollections) with their type, status and
 * encryption key (BatchGetCollection, up to 100 ids a call). A collection's key is fixed when it is
 * created, by its own encryption configuration or the encryption policy matching its name, and
 * BatchGetCollection reports it: a key ARN, or `auto` for an AWS owned key.
 */
import { BatchGetCollectionCommand, ListCollectionsCommand, type CollectionSummary } from '@aws-sdk/client-opensearchserverless';
import { paginate, type CollectRuntime } from './runtime.js';
import type { OpenSearchServerlessCollectionInput } from './shapes.js';

/** BatchGetCollection takes at most 100 ids. */
const BATCH = 100;

/** `auto` (AWS owned key) -> null; a key ARN as is; anything else (not answered) -> undefined. */
export function collectionKey(kmsKeyArn: string | undefined): string | null | undefined {
  if (kmsKeyArn === undefined || kmsKeyArn === '') return undefined;
  return kmsKeyArn.toLowerCase() === 'auto' ? null : kmsKeyArn;
}

export async function collectOpenSearchServerlessRegion(rt: CollectRuntime, region: string): Promise<OpenSearchServerlessCollectionInput[] | undefined> {
  const listed: CollectionSummary[] = [];
  const result = await paginate(
    (nextToken) =>
      rt.call('opensearchserverless', region, 'ListCollections', (c) => c.send(new ListCollectionsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }))),
    (page) => page.nextToken,
    (page) => listed.push(...(page.collectionSummaries ?? [])),
  );
  if (result === 'failed') return undefined;
  const collections = new Map<string, OpenSearchServerlessCollectionInput>();
  for (const summary of listed) {
    if (!summary.id || !summary.arn) continue;
    const collection: OpenSearchServerlessCollectionInput = { arn: summary.arn, region, id: summary.id, name: summary.name ?? summary.id };
    if (summary.status) collection.status = summary.status;
    collections.set(summary.id, collection);
  }
  const ids = [...collections.keys()].sort();
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    // A failed batch is recorded for the region (it covers up to 100 collections): their keys stay absent.
    const detail = await rt.call('opensearchserverless', region, 'BatchGetCollection', (c) => c.send(new BatchGetCollectionCommand({ ids: batch })));
    if (detail.status !== 'ok') continue;
    for (const d of detail.value.collectionDetails ?? []) {
      const collection = d.id ? collections.get(d.id) : undefined;
      if (!collection) continue;
      if (d.name) collection.name = d.name;
      if (d.type) collection.type = d.type;
      if (d.status) collection.status = d.status;
      const key = collectionKey(d.kmsKeyArn);
      // An answered collection without a key is encrypted with an AWS owned key.
      collection.kmsKeyArn = key === undefined ? null : key;
    }
  }
  return [...collections.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}
