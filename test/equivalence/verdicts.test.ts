/**
 * A snapshot and a live scan of the same account give every rule the same verdict on every
 * resource: the live scan runs the real collectors against a fake AWS account answering from the
 * snapshot (test/collectors/snapshot-account.ts), including the snapshot's recorded failures.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectLiveInventory } from '../../src/collectors/index.js';
import { buildAiAssetGraph } from '../../src/engine/ai-graph.js';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { InventoryIndex } from '../../src/engine/inventory-index.js';
import { packageRoot } from '../../src/engine/paths.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import type { Rule } from '../../src/engine/types.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { CollectionError, Inventory } from '../../src/inventory/schema.js';
import { installSnapshotAccount, type SnapshotAccount } from '../collectors/snapshot-account.js';

const demoFile = path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json');

/**
 * Demo errors no live call can give, because the collectors read that data another way, and the
 * error a live scan records instead: managed policy documents come with
 * GetAccountAuthorizationDetails, not GetPolicyVersion.
 */
const LIVE_FORM: Record<string, (e: CollectionError) => CollectionError> = {
  'iam:GetPolicyVersion': (e) => ({ service: 'iam', operation: 'GetAccountAuthorizationDetails', resource: e.resource!, errorCode: 'IncompleteResponse' }),
};

/**
 * Demo facts left absent ("not collected") with no collection error that would explain it, where a
 * live scan always collects the fact or records why not. The comparison runs on a copy of the demo
 * in which each is what a live scan would give: the failure that leaves it unread, or the value
 * AWS answers when the element is not in its answer.
 */
const DEMO_NOT_FROM_A_LIVE_SCAN: { gap: string; reason: string; adjust: (demo: any) => void }[] = [
  ...['GetBucketLogging', 'GetObjectLockConfiguration', 'GetBucketOwnershipControls'].map((operation) => ({
    gap: `arn:aws:s3:::acme-ai-vendor-dropzone-111122223333: ${{ GetBucketLogging: 'access logging', GetObjectLockConfiguration: 'object lock', GetBucketOwnershipControls: 'object ownership' }[operation]}`,
    reason: 'the dropzone bucket denies the scanner its other settings; this one is unread too, so its read failed as well',
    adjust: (demo: any) =>
      demo.collectionErrors.push({
        service: 's3',
        region: 'eu-west-1',
        operation,
        resource: 'arn:aws:s3:::acme-ai-vendor-dropzone-111122223333',
        errorCode: 'AccessDenied',
        message: 'Access Denied',
      }),
  })),
  ...(['kmsKeyId', 'cloudWatchLogsLogGroupArn'] as const).map((field) => ({
    gap: `arn:aws:cloudtrail:ap-southeast-2:111122223333:trail/bedrock-pilot-sydney: ${field} (answered as not set)`,
    reason: 'DescribeTrails lists a trail with its KMS key and log group, or leaves them out when they are not set: never unread',
    adjust: (demo: any) => {
      demo.cloudtrail.trails.find((t: { name: string }) => t.name === 'bedrock-pilot-sydney')[field] = null;
    },
  })),
  {
    gap: 'arn:aws:bedrock:us-east-1:111122223333:agent/AGT5NB6C2Z: guardrail (answered as not set)',
    reason: 'GetAgent answers with the rest of the agent and without guardrailConfiguration when the agent has no guardrail',
    adjust: (demo: any) => {
      demo.bedrock.agents.find((a: { id: string }) => a.id === 'AGT5NB6C2Z').guardrail = null;
    },
  },
];

let rules: Rule[];
let account: SnapshotAccount | undefined;
beforeAll(async () => {
  rules = await loadRules();
});
afterEach(() => {
  account?.restore();
  account = undefined;
});

async function verdicts(inventory: Inventory): Promise<Map<string, string>> {
  const result = await runScan(
    { inventory, rules, frameworks: [], settings: ruleSettings(DEFAULT_CONFIG) },
    { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' },
  );
  const out = new Map<string, string>();
  for (const f of result.findings) out.set(`${f.ruleId} ${f.resource.arn}`, f.verdict);
  return out;
}

/** Lines `rule arn: snapshot=<v> live=<v>` for every finding that differs or exists on one side only. */
function differences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const keys = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return keys.flatMap((key) => (expected.get(key) === actual.get(key) ? [] : [`${key}: snapshot=${expected.get(key) ?? '-'} live=${actual.get(key) ?? '-'}`]));
}

const errorKey = (e: CollectionError) => [e.service, e.region ?? '', e.operation, e.resource ?? '', e.errorCode].join(' ');

describe('snapshot and mocked live scan of the demo account', () => {
  it('give every rule the same verdict on every resource', async () => {
    const demo = JSON.parse(readFileSync(demoFile, 'utf8'));
    // The fake lists, as gaps, exactly the demo facts no live scan gives.
    const probe = installSnapshotAccount(parseInventory(demo, demoFile));
    await collectLiveInventory(probe.options);
    probe.restore();
    expect(probe.gaps.sort()).toEqual(DEMO_NOT_FROM_A_LIVE_SCAN.map((g) => g.gap).sort());

    for (const { adjust } of DEMO_NOT_FROM_A_LIVE_SCAN) adjust(demo);
    const snapshot = parseInventory(demo, demoFile);
    account = installSnapshotAccount(snapshot);
    const live = await collectLiveInventory(account.options);
    expect(account.gaps, 'snapshot facts the fake could not answer as AWS would').toEqual([]);

    const expected = await verdicts(snapshot);
    const actual = await verdicts(live.parsed);
    expect(differences(expected, actual), 'verdicts that differ between the snapshot and the live scan').toEqual([]);
    // The AI asset graph is the same: the live scan collects the roles, keys and S3 data each workload uses.
    const graph = (inventory: Inventory) => {
      const g = buildAiAssetGraph(inventory, new InventoryIndex(inventory));
      return [...g.members].map(([id, ms]) => `${id}: ${ms.map((m) => `${m.relation} of ${m.workload?.arn ?? '-'}`).join(', ')}`).sort();
    };
    const snapshotGraph = graph(snapshot);
    expect(snapshotGraph.some((line) => line.startsWith('arn:aws:s3:::acme-ai-training-data-111122223333: training data of'))).toBe(true);
    expect(graph(live.parsed)).toEqual(snapshotGraph);
    // Every rule took part, with real verdicts.
    const judged = new Set([...expected.keys()].map((k) => k.split(' ')[0]));
    expect([...judged].sort()).toEqual(rules.map((r) => r.meta.id).sort());
    expect(new Set(expected.values())).toEqual(new Set(['pass', 'fail', 'unknown', 'not_applicable']));

    // The live scan records the snapshot's failures (same service, region, operation, resource, code).
    const unreproduced = account.unreproduced();
    expect(unreproduced.map((e) => `${e.service}:${e.operation}`).filter((op) => !LIVE_FORM[op])).toEqual([]);
    const wanted = snapshot.collectionErrors.map((e) => LIVE_FORM[`${e.service}:${e.operation}`]?.(e) ?? e).map(errorKey).sort();
    expect(live.parsed.collectionErrors.map(errorKey).sort()).toEqual(wanted);
  });
});

describe('snapshot and mocked live scan of the IaC equivalence account', () => {
  it('give every rule the same verdict on every resource', async () => {
    const file = path.join(packageRoot(), 'fixtures', 'iac', 'equivalence', 'snapshot.json');
    const snapshot = parseInventory(JSON.parse(readFileSync(file, 'utf8')), file);
    account = installSnapshotAccount(snapshot);
    const live = await collectLiveInventory(account.options);
    expect(account.gaps, 'snapshot facts the fake could not answer as AWS would').toEqual([]);
    expect(differences(await verdicts(snapshot), await verdicts(live.parsed)), 'verdicts that differ between the snapshot and the live scan').toEqual([]);
    expect(account.unreproduced()).toEqual([]);
    expect(live.parsed.collectionErrors.map(errorKey).sort()).toEqual(snapshot.collectionErrors.map(errorKey).sort());
  });
});
