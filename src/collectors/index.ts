/**
 * Live collection: the account behind the credential chain -> an inventory document.
 *
 * Global services (IAM, the S3 bucket listing, S3 Control) are collected once; regional ones once
 * per scanned region, all concurrently under per-service limits. Failures never stop the scan:
 * they are recorded in `collectionErrors` and the affected fields or sections stay absent, so that
 * rules answer `unknown` instead of passing on missing data.
 */
import type { Trail } from '@aws-sdk/client-cloudtrail';
import { SCHEMA_VERSION, type Inventory } from '../inventory/schema.js';
import { parseInventoryText } from '../inventory/load.js';
import { collectAccessAnalyzerRegion } from './access-analyzer.js';
import { collectApiGatewayRegion } from './apigateway.js';
import { collectBedrockRegion } from './bedrock.js';
import { canonicalize, snapshotJson } from './canonical.js';
import { silenceSdkNodeVersionWarning } from './clients.js';
import { describeTrails, listTrails } from './cloudtrail.js';
import { collectDetectiveRegion } from './detective.js';
import { collectEc2Region } from './ec2.js';
import { collectAccountAlias, collectIam } from './iam.js';
import { collectKmsRegion } from './kms.js';
import { collectAlarmsRegion } from './cloudwatch.js';
import { collectLogGroupsRegion, collectMetricFiltersRegion } from './logs.js';
import { collectOpenSearchServerlessRegion } from './opensearch-serverless.js';
import { COLLECTOR_NAMES, DEFAULTS, type CollectOptions, type CollectorName } from './options.js';
import { assertProfileExists } from './profiles.js';
import { resolveDefaultRegion, resolveRegions } from './regions.js';
import { CollectRuntime, type CollectStats, type ProgressEvent } from './runtime.js';
import { collectAccountPublicAccessBlock, collectBuckets } from './s3.js';
import { collectSageMakerRegion } from './sagemaker.js';
import { globalRegionOf, type InventoryInput } from './shapes.js';
import { identify } from './sts.js';
import { collectWafRegion } from './wafv2.js';
import { AccountMismatchError } from './failures.js';

export { COLLECTOR_NAMES, DEFAULTS, parseRegions, type CollectOptions, type CollectorName } from './options.js';
export type { CollectStats, ProgressEvent } from './runtime.js';
export { canonicalize, snapshotJson, writeFileAtomic } from './canonical.js';
export { requiredIamActions, READ_ONLY_OPERATIONS } from './operations.js';
export { createProgressReporter, formatStats } from './progress.js';

export interface CollectHooks {
  onProgress?: (event: ProgressEvent) => void;
}

export interface CollectResult {
  inventory: InventoryInput;
  stats: CollectStats;
}

export async function collectInventory(options: CollectOptions = {}, hooks: CollectHooks = {}): Promise<CollectResult> {
  silenceSdkNodeVersionWarning();
  // Injected credentials (tests, benchmarks) make the profile irrelevant.
  if (!options.credentials) await assertProfileExists(options.profile);
  const defaultRegion = await resolveDefaultRegion(options);
  const rt = new CollectRuntime(options, defaultRegion, hooks.onProgress);
  let collected = false;
  try {
    const inventory = await collectWith(rt, options, defaultRegion);
    collected = true;
    return { inventory: canonicalize(inventory), stats: rt.stats() };
  } finally {
    // Every call has been answered: shared clients can serve the next account.
    rt.releaseClients(collected);
  }
}

/**
 * The inventory exactly as `aigis scan --input` would read it back from a snapshot: the live scan
 * goes through the same serialization and loader, so both give byte-identical findings.
 */
export async function collectLiveInventory(options: CollectOptions = {}, hooks: CollectHooks = {}): Promise<CollectResult & { parsed: Inventory }> {
  const result = await collectInventory(options, hooks);
  return { ...result, parsed: readBack(result.inventory) };
}

/** A collected inventory through the snapshot's serialization and loader (see collectLiveInventory). */
export function readBack(inventory: InventoryInput): Inventory {
  return parseInventoryText(snapshotJson(inventory), 'live scan');
}

async function collectWith(rt: CollectRuntime, options: CollectOptions, defaultRegion: string): Promise<InventoryInput> {
  const selected = new Set<CollectorName>(options.services?.length ? options.services : COLLECTOR_NAMES);
  const expected = options.expectedAccount;
  // Expected: confirmed beside the other calls (a round trip less before the first of them).
  const confirmation = expected ? identify(rt, defaultRegion) : undefined;
  confirmation?.catch(() => undefined); // awaited below, after the other calls
  const identity = expected ? { accountId: expected.id, partition: expected.partition } : await identify(rt, defaultRegion);
  const scope = { accountId: identity.accountId, partition: identity.partition };
  const globalRegion = globalRegionOf(identity.partition, defaultRegion);
  const regions = await resolveRegions(rt, options, defaultRegion);
  const now = options.now?.() ?? new Date();
  const since = new Date(now.getTime() - (options.sinceDays ?? DEFAULTS.sinceDays) * 86_400_000);

  const inventory: InventoryInput = {
    schemaVersion: SCHEMA_VERSION,
    account: { id: identity.accountId, partition: identity.partition },
    regions,
    source: { kind: 'live' },
    collectionErrors: [],
  };
  if (options.timestamp) inventory.collectedAt = now.toISOString();

  const units: Promise<void>[] = [];
  const unit = (service: string, region: string, work: () => Promise<void>) => {
    rt.unitsTotal++;
    units.push(rt.unit(service, region, work));
  };
  const perRegion = <T>(service: string, work: (region: string) => Promise<T>, merge: (region: string, result: T) => void) => {
    for (const region of regions) unit(service, region, async () => merge(region, await work(region)));
  };

  if (selected.has('s3')) {
    unit('s3', 'global', async () => {
      const [accountPublicAccessBlock, buckets] = await Promise.all([
        collectAccountPublicAccessBlock(rt, { ...scope, globalRegion }),
        collectBuckets(rt, { ...scope, globalRegion }),
      ]);
      if (!buckets) return;
      inventory.s3 = { buckets };
      if (accountPublicAccessBlock !== undefined) inventory.s3.accountPublicAccessBlock = accountPublicAccessBlock;
    });
  }

  if (selected.has('iam')) {
    unit('iam', 'global', async () => {
      const iam = await collectIam(rt, globalRegion, now);
      if (iam) inventory.iam = iam;
    });
  }

  // S3 and IAM fan out from their listings (a dozen calls per bucket, several per role) and are
  // most of an account's calls: their listings go out before the others' calls, whose answers
  // come back in the order asked, so that the fan-out starts one batch of answers earlier. Their
  // SDK pipelines take longer to reach the socket; one turn of the event loop lets them.
  await new Promise<void>((resolve) => setImmediate(resolve));

  unit('account', 'global', async () => {
    const alias = await collectAccountAlias(rt, globalRegion);
    if (alias) inventory.account.alias = alias;
  });

  if (selected.has('kms')) {
    perRegion('kms', (region) => collectKmsRegion(rt, region), (_region, keys) => {
      if (!keys) return;
      (inventory.kms ??= { keys: [] }).keys.push(...keys);
    });
  }

  if (selected.has('cloudtrail')) {
    unit('cloudtrail', regions.length === 1 ? regions[0]! : 'all', async () => {
      const trails = new Map<string, Trail>();
      const listed = await Promise.all(regions.map((region) => listTrails(rt, region, trails)));
      // Trails of a region whose listing failed may be missing: the error (with its region) says so.
      if (!listed.some(Boolean)) return;
      inventory.cloudtrail = { trails: await describeTrails(rt, trails, defaultRegion) };
    });
  }

  if (selected.has('bedrock')) {
    perRegion('bedrock', (region) => collectBedrockRegion(rt, region, scope), (_region, result) => {
      if (Object.keys(result).length === 0) return;
      const section = (inventory.bedrock ??= { invocationLogging: [], guardrails: [], customModels: [], agents: [] });
      if (result.invocationLogging) section.invocationLogging!.push(result.invocationLogging);
      if (result.guardrails) section.guardrails!.push(...result.guardrails);
      if (result.customModels) section.customModels!.push(...result.customModels);
      if (result.agents) section.agents!.push(...result.agents);
      if (result.knowledgeBases) (section.knowledgeBases ??= []).push(...result.knowledgeBases);
      if (result.dataSources) (section.dataSources ??= []).push(...result.dataSources);
      if (result.prompts) (section.prompts ??= []).push(...result.prompts);
      if (result.flows) (section.flows ??= []).push(...result.flows);
    });
  }

  if (selected.has('opensearchserverless')) {
    perRegion('opensearchserverless', (region) => collectOpenSearchServerlessRegion(rt, region), (_region, collections) => {
      if (!collections) return;
      (inventory.opensearchServerless ??= { collections: [] }).collections.push(...collections);
    });
  }

  if (selected.has('sagemaker')) {
    perRegion('sagemaker', (region) => collectSageMakerRegion(rt, region, since), (_region, result) => {
      const lists = Object.entries(result) as [keyof typeof result, unknown[]][];
      if (lists.length === 0) return;
      const section = (inventory.sagemaker ??= {
        notebookInstances: [],
        trainingJobs: [],
        processingJobs: [],
        models: [],
        endpointConfigs: [],
        domains: [],
      }) as Record<string, unknown[] | undefined>;
      for (const [key, items] of lists) (section[key] ??= []).push(...items);
    });
  }

  if (selected.has('accessanalyzer')) {
    perRegion('accessanalyzer', (region) => collectAccessAnalyzerRegion(rt, region), (_region, analyzers) => {
      if (!analyzers) return;
      (inventory.accessAnalyzer ??= { analyzers: [] }).analyzers.push(...analyzers);
    });
  }

  if (selected.has('ec2')) {
    perRegion('ec2', (region) => collectEc2Region(rt, region, scope), (_region, result) => {
      if (!result.vpcEndpoints && !result.subnets) return;
      // A region whose endpoint listing failed adds none; its DescribeVpcEndpoints error says so.
      const section = (inventory.ec2 ??= { vpcEndpoints: [] });
      if (result.vpcEndpoints) section.vpcEndpoints.push(...result.vpcEndpoints);
      if (result.subnets) (section.subnets ??= []).push(...result.subnets);
    });
  }

  if (selected.has('logs')) {
    perRegion(
      'logs',
      (region) => Promise.all([collectLogGroupsRegion(rt, region, scope), collectMetricFiltersRegion(rt, region, scope)]),
      (_region, [logGroups, metricFilters]) => {
        // A region whose log group listing failed adds nothing; its errors make rules say unknown there.
        if (!logGroups) return;
        const section = (inventory.logs ??= { logGroups: [] });
        section.logGroups.push(...logGroups);
        if (metricFilters) (section.metricFilters ??= []).push(...metricFilters);
      },
    );
  }

  if (selected.has('cloudwatch')) {
    perRegion('cloudwatch', (region) => collectAlarmsRegion(rt, region, scope), (_region, alarms) => {
      if (!alarms) return;
      (inventory.cloudwatch ??= { alarms: [] }).alarms.push(...alarms);
    });
  }

  if (selected.has('detective')) {
    perRegion('detective', (region) => collectDetectiveRegion(rt, region, scope), (_region, result) => {
      const entries = Object.entries(result) as [string, unknown][];
      if (entries.length === 0) return;
      const section = (inventory.detective ??= {}) as Record<string, unknown[] | undefined>;
      for (const [key, entry] of entries) (section[key] ??= []).push(entry);
    });
  }

  if (selected.has('apigateway')) {
    perRegion('apigateway', (region) => collectApiGatewayRegion(rt, region, scope), (_region, result) => {
      // A region whose API listing failed adds no APIs (nor its usage plans); its GetRestApis error says so.
      if (!result.restApis) return;
      const section = (inventory.apiGateway ??= { restApis: [], stages: [] });
      if (result.restApis) section.restApis!.push(...result.restApis);
      if (result.stages) section.stages!.push(...result.stages);
      if (result.usagePlans) (section.usagePlans ??= []).push(...result.usagePlans);
    });
  }

  if (selected.has('wafv2')) {
    perRegion('wafv2', (region) => collectWafRegion(rt, region), (_region, webAcls) => {
      if (!webAcls) return;
      (inventory.wafv2 ??= { webAcls: [] }).webAcls.push(...webAcls);
    });
  }

  await Promise.all(units);
  if (confirmation) {
    const actual = await confirmation;
    if (actual.accountId !== identity.accountId || actual.partition !== identity.partition) {
      throw new AccountMismatchError(identity.accountId, actual.accountId);
    }
  }
  inventory.collectionErrors = rt.errors;
  return inventory;
}
