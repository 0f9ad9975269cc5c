/**
 * Several inventories (templates, plans, snapshots) -> one, for one scan. They must describe the
 * same account. When the same resource (same ARN) appears twice, the later input wins: importers
 * put snapshots first, so the infrastructure code under review overrides the recorded state.
 */
import { InputError } from '../../engine/errors.js';
import type { InventoryInput } from '../../inventory/schema.js';

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
  if (inventories.length === 1) return first;

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
  }
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
    merged.sagemaker = section;
  }
  const analyzers = present('accessAnalyzer');
  if (analyzers.length) merged.accessAnalyzer = { analyzers: byArn(analyzers.map((a) => a.analyzers)) };
  const ec2 = present('ec2');
  if (ec2.length) merged.ec2 = { vpcEndpoints: byArn(ec2.map((e) => e.vpcEndpoints)) };
  const detective = present('detective');
  if (detective.length) {
    const section: Section<'detective'> = {};
    const macie = detective.map((d) => d.macie).filter((x) => x !== undefined);
    if (macie.length) section.macie = byKey(macie, (m) => m.region);
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
  return merged;
}

function byArn<T extends { arn: string }>(lists: readonly (readonly T[])[]): T[] {
  return byKey(lists, (item) => item.arn);
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
