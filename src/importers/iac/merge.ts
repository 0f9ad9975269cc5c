/**
 * Several inventories (templates, plans, snapshots) -> one, for one scan. They must describe the
 * same account. When the same resource (same ARN) appears twice:
 *
 * - declared by a template or plan (it has a `source.file`) and recorded in a snapshot: the
 *   declaration wins (importers put snapshots first): the code under review overrides the
 *   recorded state;
 * - declared by two templates or plans (or twice in one): both are kept and judged, because each
 *   declaration is code that would be deployed, and the clash is reported in the coverage: two
 *   stacks cannot create one physical resource, the second deployment fails. (Unnamed resources
 *   never clash: importers give them names unique to their template, as CloudFormation does.)
 * - recorded twice without a source (two snapshots, AWS managed keys): the later one wins.
 */
import { InputError } from '../../engine/errors.js';
import type { CollectionError, InventoryInput } from '../../inventory/schema.js';

type Section<K extends keyof InventoryInput> = NonNullable<InventoryInput[K]>;

export function mergeInventories(inventories: readonly InventoryInput[], labels: readonly string[] = []): InventoryInput {
  const first = inventories[0];
  if (!first) throw new InputError(labels[0] ?? '--iac', [], 'nothing to scan: no CloudFormation template, Terraform plan or snapshot found');
  const label = (i: number) => labels[i] ?? first.source?.detail ?? `input ${i + 1}`;
  inventories.forEach((inventory, i) => {
    if (inventory.account.id !== first.account.id) {
      throw new InputError(
        label(i),
        ['account', 'id'],
        `account ${inventory.account.id} differs from account ${first.account.id} of ${label(0)}: scan one account at a time (or give --account-id so templates use the snapshot's account)`,
      );
    }
    if ((inventory.account.partition ?? 'aws') !== (first.account.partition ?? 'aws')) {
      throw new InputError(label(i), ['account', 'partition'], `partition ${inventory.account.partition} differs from ${first.account.partition ?? 'aws'} of ${label(0)}`);
    }
  });
  if (inventories.length === 1) return withConflicts(first, reportConflicts(first));

  const merged: InventoryInput = {
    schemaVersion: first.schemaVersion,
    account: { ...first.account, ...pickDefined(inventories.map((i) => i.account.alias), 'alias') },
    regions: [...new Set(inventories.flatMap((i) => i.regions ?? []))].sort(),
    collectionErrors: inventories.flatMap((i) => i.collectionErrors ?? []),
  };
  // Partial only if every input is: one snapshot of the account makes the view account-wide.
  if (inventories.every((i) => i.partial === true)) merged.partial = true;
  const kinds = [...new Set(inventories.map((i) => i.source?.kind).filter((k) => k !== undefined))];
  if (kinds.length === 1) merged.source = { kind: kinds[0]!, detail: inventories.map((i, n) => i.source?.detail ?? label(n)).join(', ') };

  const present = <K extends keyof InventoryInput>(key: K) => inventories.map((i) => i[key]).filter((s): s is NonNullable<InventoryInput[K]> => s !== undefined);

  const s3 = present('s3');
  if (s3.length) {
    merged.s3 = { buckets: byArn(s3.map((s) => s.buckets)) };
    const account = lastDefined(s3.map((s) => s.accountPublicAccessBlock));
    if (account !== undefined) merged.s3.accountPublicAccessBlock = account;
  }
  const kms = present('kms');
  if (kms.length) {
    const keys = byArn(kms.map((k) => k.keys));
    // The same key seen twice keeps every alias either input knew.
    const aliases = new Map<string, Set<string>>();
    for (const section of kms) for (const key of section.keys) aliases.set(key.arn, new Set([...(aliases.get(key.arn) ?? []), ...(key.aliases ?? [])]));
    merged.kms = { keys: keys.map((k) => ({ ...k, aliases: [...(aliases.get(k.arn) ?? [])].sort() })) };
  }
  const trails = present('cloudtrail');
  if (trails.length) merged.cloudtrail = { trails: byArn(trails.map((t) => t.trails)) };
  const iam = present('iam');
  if (iam.length) {
    const section: Section<'iam'> = {
      users: byArn(iam.map((s) => s.users ?? [])),
      groups: byArn(iam.map((s) => s.groups ?? [])),
      roles: byArn(iam.map((s) => s.roles ?? [])),
      policies: byArn(iam.map((s) => s.policies ?? [])),
    };
    const summary = lastDefined(iam.map((s) => s.accountSummary));
    if (summary !== undefined) section.accountSummary = summary;
    merged.iam = section;
  }
  const bedrock = present('bedrock');
  if (bedrock.length) {
    merged.bedrock = {
      invocationLogging: byKey(bedrock.map((b) => b.invocationLogging ?? []), (l) => l.region),
      guardrails: byArn(bedrock.map((b) => b.guardrails ?? [])),
      customModels: byArn(bedrock.map((b) => b.customModels ?? [])),
      agents: byArn(bedrock.map((b) => b.agents ?? [])),
    };
    for (const key of ['knowledgeBases', 'dataSources', 'prompts', 'flows'] as const) {
      const lists = bedrock.map((b) => b[key]).filter((l) => l !== undefined);
      if (lists.length) (merged.bedrock as Record<string, unknown>)[key] = byArn(lists);
    }
  }
  const aoss = present('opensearchServerless');
  if (aoss.length) merged.opensearchServerless = { collections: byArn(aoss.map((a) => a.collections)) };
  const sagemaker = present('sagemaker');
  if (sagemaker.length) {
    const section: Section<'sagemaker'> = {
      notebookInstances: byArn(sagemaker.map((s) => s.notebookInstances ?? [])),
      trainingJobs: byArn(sagemaker.map((s) => s.trainingJobs ?? [])),
      processingJobs: byArn(sagemaker.map((s) => s.processingJobs ?? [])),
      models: byArn(sagemaker.map((s) => s.models ?? [])),
      endpointConfigs: byArn(sagemaker.map((s) => s.endpointConfigs ?? [])),
      domains: byArn(sagemaker.map((s) => s.domains ?? [])),
    };
    const groups = sagemaker.map((s) => s.modelPackageGroups).filter((g) => g !== undefined);
    if (groups.length) section.modelPackageGroups = byArn(groups);
    for (const key of ['endpoints', 'monitoringSchedules', 'modelCards'] as const) {
      const lists = sagemaker.map((s) => s[key]).filter((l) => l !== undefined);
      if (lists.length) (section as Record<string, unknown>)[key] = byArn(lists);
    }
    merged.sagemaker = section;
  }
  const analyzers = present('accessAnalyzer');
  if (analyzers.length) merged.accessAnalyzer = { analyzers: byArn(analyzers.map((a) => a.analyzers)) };
  const ec2 = present('ec2');
  if (ec2.length) {
    merged.ec2 = { vpcEndpoints: byArn(ec2.map((e) => e.vpcEndpoints)) };
    const subnets = ec2.map((e) => e.subnets).filter((s) => s !== undefined);
    if (subnets.length) merged.ec2.subnets = byArn(subnets);
  }
  const logs = present('logs');
  if (logs.length) {
    merged.logs = { logGroups: byArn(logs.map((l) => l.logGroups)) };
    const filters = logs.map((l) => l.metricFilters).filter((f) => f !== undefined);
    if (filters.length) merged.logs.metricFilters = byArn(filters);
  }
  const cloudwatch = present('cloudwatch');
  if (cloudwatch.length) merged.cloudwatch = { alarms: byArn(cloudwatch.map((c) => c.alarms)) };
  const detective = present('detective');
  if (detective.length) {
    const section: Section<'detective'> = {};
    const macie = detective.map((d) => d.macie).filter((x) => x !== undefined);
    if (macie.length) section.macie = byKey(macie, (m) => m.region);
    const inspector = detective.map((d) => d.inspector).filter((x) => x !== undefined);
    if (inspector.length) section.inspector = byKey(inspector, (i) => i.region);
    const hubs = detective.map((d) => d.securityHub).filter((x) => x !== undefined);
    if (hubs.length) section.securityHub = byKey(hubs, (h) => h.region);
    const guardDuty = detective.map((d) => d.guardDuty).filter((x) => x !== undefined);
    if (guardDuty.length) {
      section.guardDuty = mergeRegional(guardDuty, (entry) => entry.detectors, (entries) => ({ detectors: byKey(entries, (d) => d.id) }));
    }
    const config = detective.map((d) => d.config).filter((x) => x !== undefined);
    if (config.length) {
      section.config = mergeRegional(config, (entry) => entry.recorders, (entries) => ({ recorders: byKey(entries, (r) => r.name) }));
    }
    merged.detective = section;
  }
  const apiGateway = present('apiGateway');
  if (apiGateway.length) {
    const section: Section<'apiGateway'> = {
      restApis: byArn(apiGateway.map((a) => a.restApis ?? [])),
      stages: byArn(apiGateway.map((a) => a.stages ?? [])),
    };
    const plans = apiGateway.map((a) => a.usagePlans).filter((p) => p !== undefined);
    if (plans.length) section.usagePlans = byArn(plans);
    merged.apiGateway = section;
  }
  const wafv2 = present('wafv2');
  if (wafv2.length) merged.wafv2 = { webAcls: byArn(wafv2.map((w) => w.webAcls)) };
  return withConflicts(merged, reportConflicts(merged));
}

interface Declared {
  arn: string;
  source?: { file?: string; logicalId?: string; line?: number };
}

/** Declarations (items with a source file) are all kept; the rest merge by ARN, later wins. */
function byArn<T extends { arn: string }>(lists: readonly (readonly T[])[]): T[] {
  const recorded = new Map<string, T>();
  const declared = new Map<string, T[]>();
  for (const list of lists) {
    for (const item of list) {
      if ((item as Declared).source?.file !== undefined) {
        const same = declared.get(item.arn);
        if (same) same.push(item);
        else declared.set(item.arn, [item]);
      } else {
        recorded.set(item.arn, item);
      }
    }
  }
  const out: T[] = [];
  for (const [arn, item] of recorded) if (!declared.has(arn)) out.push(item);
  for (const items of declared.values()) out.push(...items);
  return out.sort(compareDeclared);
}

function compareDeclared(a: Declared, b: Declared): number {
  return (
    compare(a.arn, b.arn) ||
    compare(a.source?.file ?? '', b.source?.file ?? '') ||
    compare(a.source?.logicalId ?? '', b.source?.logicalId ?? '') ||
    (a.source?.line ?? 0) - (b.source?.line ?? 0)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The sections whose items are resources with an ARN (the lists byArn merges). */
function resourceLists(inventory: InventoryInput): { type: string; items: readonly Declared[] }[] {
  const lists: { type: string; items: readonly Declared[] }[] = [];
  const add = (type: string, items: readonly Declared[] | undefined) => {
    if (items?.length) lists.push({ type, items });
  };
  add('S3 bucket', inventory.s3?.buckets);
  add('KMS key', inventory.kms?.keys);
  add('CloudTrail trail', inventory.cloudtrail?.trails);
  add('IAM user', inventory.iam?.users);
  add('IAM group', inventory.iam?.groups);
  add('IAM role', inventory.iam?.roles);
  add('IAM managed policy', inventory.iam?.policies);
  add('Bedrock guardrail', inventory.bedrock?.guardrails);
  add('Bedrock custom model', inventory.bedrock?.customModels);
  add('Bedrock agent', inventory.bedrock?.agents);
  add('Bedrock knowledge base', inventory.bedrock?.knowledgeBases);
  add('Bedrock prompt', inventory.bedrock?.prompts);
  add('Bedrock flow', inventory.bedrock?.flows);
  add('OpenSearch Serverless collection', inventory.opensearchServerless?.collections);
  add('SageMaker notebook instance', inventory.sagemaker?.notebookInstances);
  add('SageMaker training job', inventory.sagemaker?.trainingJobs);
  add('SageMaker processing job', inventory.sagemaker?.processingJobs);
  add('SageMaker model', inventory.sagemaker?.models);
  add('SageMaker endpoint config', inventory.sagemaker?.endpointConfigs);
  add('SageMaker domain', inventory.sagemaker?.domains);
  add('SageMaker model package group', inventory.sagemaker?.modelPackageGroups);
  add('SageMaker endpoint', inventory.sagemaker?.endpoints);
  add('SageMaker monitoring schedule', inventory.sagemaker?.monitoringSchedules);
  add('SageMaker model card', inventory.sagemaker?.modelCards);
  add('Access Analyzer analyzer', inventory.accessAnalyzer?.analyzers);
  add('VPC endpoint', inventory.ec2?.vpcEndpoints);
  add('CloudWatch Logs log group', inventory.logs?.logGroups);
  add('CloudWatch Logs metric filter', inventory.logs?.metricFilters);
  add('CloudWatch alarm', inventory.cloudwatch?.alarms);
  add('subnet', inventory.ec2?.subnets);
  return lists;
}

/**
 * Physical resources declared more than once (explicit names that collide, across templates or
 * in one): one coverage entry each, naming every declaration. Lists are sorted by ARN here.
 */
function reportConflicts(inventory: InventoryInput): CollectionError[] {
  const errors: CollectionError[] = [];
  for (const { type, items } of resourceLists(inventory)) {
    for (let i = 0; i < items.length; ) {
      let j = i + 1;
      while (j < items.length && items[j]!.arn === items[i]!.arn) j++;
      const claims = items.slice(i, j).filter((item) => item.source?.file !== undefined);
      if (claims.length > 1) {
        const where = claims.map((c) => `${c.source!.file}${c.source!.logicalId ? ` (${c.source!.logicalId}${c.source!.line ? `, line ${c.source!.line}` : ''})` : ''}`);
        errors.push({
          service: 'iac',
          operation: 'DeclareResource',
          resource: items[i]!.arn,
          errorCode: 'PhysicalNameConflict',
          message: `${type} ${items[i]!.arn} is declared ${claims.length} times: ${where.join('; ')}. One physical resource cannot belong to two declarations: the later deployment fails. Each declaration is judged on its own.`,
        });
      }
      i = j;
    }
  }
  return errors;
}

function withConflicts(inventory: InventoryInput, conflicts: CollectionError[]): InventoryInput {
  if (!conflicts.length) return inventory;
  return { ...inventory, collectionErrors: [...(inventory.collectionErrors ?? []), ...conflicts] };
}

/** Later lists win on equal keys; output sorted by key for stable reports. */
function byKey<T>(lists: readonly (readonly T[])[], key: (item: T) => string): T[] {
  const map = new Map<string, T>();
  for (const list of lists) for (const item of list) map.set(key(item), item);
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
}

function mergeRegional<E extends { region: string }, I>(
  lists: readonly (readonly E[])[],
  items: (entry: E) => readonly I[],
  build: (items: I[][]) => Omit<E, 'region'>,
): E[] {
  const byRegion = new Map<string, I[][]>();
  for (const list of lists) for (const entry of list) byRegion.set(entry.region, [...(byRegion.get(entry.region) ?? []), [...items(entry)]]);
  return [...byRegion.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([region, groups]) => ({ region, ...build(groups) }) as E);
}

function lastDefined<T>(values: readonly (T | undefined)[]): T | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== undefined) return values[i];
  return undefined;
}

function pickDefined<T>(values: readonly (T | undefined)[], key: string): Record<string, T> {
  const value = lastDefined(values);
  return value === undefined ? {} : { [key]: value };
}
