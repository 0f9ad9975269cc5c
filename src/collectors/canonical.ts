/**
 * Deterministic snapshots: every resource list sorted by ARN (regional status lists by region),
 * errors in a fixed order, pretty JSON, no timestamp unless asked, written atomically.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CollectionError, InventoryInput } from '../inventory/schema.js';

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
const byArn = byKey<{ arn: string }>((r) => r.arn);
const byRegion = byKey<{ region: string }>((r) => r.region);

function sortArrays<T extends Record<string, unknown>>(section: T, compare: (a: never, b: never) => number): void {
  for (const value of Object.values(section)) if (Array.isArray(value)) value.sort(compare as (a: unknown, b: unknown) => number);
}

export function compareErrors(a: CollectionError, b: CollectionError): number {
  const key = (e: CollectionError) => [e.service, e.region ?? '', e.operation, e.resource ?? '', e.errorCode, e.message ?? ''].join('\u0000');
  return byKey(key)(a, b);
}

/** Sorts in place and returns the inventory. */
export function canonicalize(inventory: InventoryInput): InventoryInput {
  inventory.regions = [...new Set(inventory.regions ?? [])].sort();
  inventory.collectionErrors = [...(inventory.collectionErrors ?? [])].sort(compareErrors);
  if (inventory.s3) inventory.s3.buckets.sort(byArn);
  if (inventory.kms) inventory.kms.keys.sort(byArn);
  if (inventory.cloudtrail) inventory.cloudtrail.trails.sort(byArn);
  if (inventory.iam) sortArrays(inventory.iam as Record<string, unknown>, byArn);
  if (inventory.bedrock) {
    const { invocationLogging, ...rest } = inventory.bedrock;
    invocationLogging?.sort(byRegion);
    sortArrays(rest, byArn);
  }
  if (inventory.opensearchServerless) inventory.opensearchServerless.collections.sort(byArn);
  if (inventory.sagemaker) sortArrays(inventory.sagemaker as Record<string, unknown>, byArn);
  if (inventory.accessAnalyzer) inventory.accessAnalyzer.analyzers.sort(byArn);
  if (inventory.ec2) {
    inventory.ec2.vpcEndpoints.sort(byArn);
    inventory.ec2.subnets?.sort(byArn);
  }
  if (inventory.logs) inventory.logs.logGroups.sort(byArn);
  if (inventory.detective) sortArrays(inventory.detective as Record<string, unknown>, byRegion);
  return inventory;
}

export function snapshotJson(inventory: InventoryInput): string {
  return `${JSON.stringify(canonicalize(inventory), null, 2)}\n`;
}

/** Temp file in the same directory, then rename: readers never see a half-written snapshot. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
