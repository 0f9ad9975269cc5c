/** Input-side inventory types (what a collector writes) and small mapping helpers. */
import type { z } from 'zod';
import type {
  accessAnalyzerSchema,
  apiGatewaySectionSchema,
  bedrockAgentSchema,
  bedrockCustomModelSchema,
  bedrockDataSourceSchema,
  bedrockFlowSchema,
  bedrockGuardrailSchema,
  bedrockInvocationLoggingSchema,
  bedrockKnowledgeBaseSchema,
  bedrockPromptSchema,
  cloudTrailSchema,
  detectiveSectionSchema,
  iamSectionSchema,
  InventoryInput,
  kmsKeySchema,
  logGroupSchema,
  metricAlarmSchema,
  metricFilterSchema,
  openSearchServerlessCollectionSchema,
  s3BucketSchema,
  sageMakerSectionSchema,
  subnetSchema,
  vpcEndpointSchema,
  webAclSchema,
} from '../inventory/schema.js';

export type S3BucketInput = z.input<typeof s3BucketSchema>;
export type KmsKeyInput = z.input<typeof kmsKeySchema>;
export type CloudTrailInput = z.input<typeof cloudTrailSchema>;
export type IamSectionInput = z.input<typeof iamSectionSchema>;
export type BedrockInvocationLoggingInput = z.input<typeof bedrockInvocationLoggingSchema>;
export type BedrockGuardrailInput = z.input<typeof bedrockGuardrailSchema>;
export type BedrockCustomModelInput = z.input<typeof bedrockCustomModelSchema>;
export type BedrockAgentInput = z.input<typeof bedrockAgentSchema>;
export type BedrockKnowledgeBaseInput = z.input<typeof bedrockKnowledgeBaseSchema>;
export type BedrockDataSourceInput = z.input<typeof bedrockDataSourceSchema>;
export type BedrockPromptInput = z.input<typeof bedrockPromptSchema>;
export type BedrockFlowInput = z.input<typeof bedrockFlowSchema>;
export type OpenSearchServerlessCollectionInput = z.input<typeof openSearchServerlessCollectionSchema>;
export type SageMakerSectionInput = z.input<typeof sageMakerSectionSchema>;
export type AccessAnalyzerInput = z.input<typeof accessAnalyzerSchema>;
export type VpcEndpointInput = z.input<typeof vpcEndpointSchema>;
export type LogGroupInput = z.input<typeof logGroupSchema>;
export type MetricFilterInput = z.input<typeof metricFilterSchema>;
export type MetricAlarmInput = z.input<typeof metricAlarmSchema>;
export type SubnetInput = z.input<typeof subnetSchema>;
export type DetectiveSectionInput = z.input<typeof detectiveSectionSchema>;
export type ApiGatewaySectionInput = z.input<typeof apiGatewaySectionSchema>;
export type WebAclInput = z.input<typeof webAclSchema>;
export type { InventoryInput };

/** ISO-8601 text for an SDK Date (or date string); undefined stays undefined. */
export function iso(value: Date | string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `[{Key, Value}]` (any casing) -> `{key: value}`, keys sorted. */
export function tagMap(list: ReadonlyArray<{ Key?: string; Value?: string; key?: string; value?: string }> | undefined): Record<string, string> {
  const pairs: [string, string][] = [];
  for (const tag of list ?? []) {
    const key = tag.Key ?? tag.key;
    if (key !== undefined) pairs.push([key, tag.Value ?? tag.value ?? '']);
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(pairs);
}

/** Sets `target[key] = value` only when value is defined (absent = not collected). */
export function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function partitionOfArn(arn: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  const partition = arn.split(':')[1];
  return partition === 'aws-cn' || partition === 'aws-us-gov' ? partition : 'aws';
}

/** The region in which a partition's global services (IAM, S3 listing, S3 Control) are called. */
export function globalRegionOf(partition: string, fallback: string): string {
  if (partition === 'aws-cn') return 'cn-north-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return fallback.startsWith('cn-') || fallback.startsWith('us-gov-') ? 'us-east-1' : fallback;
}
