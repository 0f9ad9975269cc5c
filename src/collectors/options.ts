/**
 * Options of a live collection. Everything has a default so that `aigis scan` with no flags scans
 * the account behind the standard credential chain in its default region.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';

/** Collector groups a user can select with `--services`. */
export const COLLECTOR_NAMES = [
  's3',
  'iam',
  'kms',
  'cloudtrail',
  'bedrock',
  'opensearchserverless',
  'sagemaker',
  'accessanalyzer',
  'ec2',
  'logs',
  'cloudwatch',
  'detective',
  'apigateway',
  'wafv2',
] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];

import type { SharedClients, SharedHttp } from './clients.js';

export interface CollectOptions {
  /** Named profile from ~/.aws/config (default: AWS_PROFILE or `default`, through the SDK chain). */
  profile?: string;
  /** Default region: where global services are called and regions are discovered. */
  region?: string;
  /** Regions to scan: a list, or 'all' for every region enabled in the account. Default: [region]. */
  regions?: string[] | 'all';
  /** Role to assume (with the credential chain as source credentials). */
  roleArn?: string;
  externalId?: string;
  /** Endpoint override (a local emulator). AWS_ENDPOINT_URL is honoured when this is unset. */
  endpointUrl?: string;
  /** Collectors to run; default all. STS is always called (it identifies the account). */
  services?: CollectorName[];
  /** Maximum in-flight calls per service (default 8). */
  concurrency?: number;
  /** Per-service overrides of `concurrency`, keyed by service key (`s3`, `iam`, ...). */
  serviceConcurrency?: Record<string, number>;
  /** SageMaker training/processing jobs created in the last N days (default 90). */
  sinceDays?: number;
  /** SDK attempts per call, including the first (default 5, adaptive retry mode). */
  maxAttempts?: number;
  /** Socket idle timeout per request in ms (default 30000). */
  requestTimeoutMs?: number;
  /** TCP connect timeout in ms (default 5000). */
  connectionTimeoutMs?: number;
  /** Emit `collectedAt` in the inventory (off by default so that snapshots are byte-comparable). */
  timestamp?: boolean;
  /** Injected credentials (tests); otherwise the SDK's default chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Injected retry strategy (tests: no back-off delay); otherwise SDK adaptive retries. */
  retryStrategy?: RetryStrategyV2;
  /** Clock for the --since window (tests). */
  now?: () => Date;
  /**
   * One HTTP handler for every client (an organization scan shares it across accounts, so that
   * connections and TLS sessions to each service endpoint are reused); owned by the caller, which
   * destroys it (src/collectors/clients.ts createSharedHttp).
   */
  httpHandler?: SharedHttp['handler'];
  /**
   * Client pools handed from account to account (an organization scan's member accounts, each
   * with its own `credentials`); owned by the caller, which destroys them.
   */
  sharedClients?: SharedClients;
  /**
   * The account the credentials are expected to reach (an organization scan's member account,
   * whose id and partition the organization gave). Collection starts with it at once while
   * sts:GetCallerIdentity confirms it beside the other calls, instead of every call waiting for
   * that answer; an account that answers as another fails the collection.
   */
  expectedAccount?: { id: string; partition: 'aws' | 'aws-cn' | 'aws-us-gov' };
}

export const DEFAULTS = {
  concurrency: 8,
  sinceDays: 90,
  maxAttempts: 5,
  requestTimeoutMs: 30_000,
  connectionTimeoutMs: 5_000,
} as const;

/** Parses `--regions`: `all`, or a comma/space separated list. */
export function parseRegions(value: string | string[] | undefined): string[] | 'all' | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
  if (parts.length === 0) return undefined;
  if (parts.some((p) => p.toLowerCase() === 'all')) return 'all';
  return [...new Set(parts)].sort();
}
