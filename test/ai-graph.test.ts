/**
 * The AI asset graph (src/engine/ai-graph.ts) on the demo inventory and on small fragments: which
 * resources serve AI workloads and the path that makes them members.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAiAssetGraph, dataClassOf, describeMembership, isAiResource } from '../src/engine/ai-graph.js';
import { InventoryIndex } from '../src/engine/inventory-index.js';
import { packageRoot } from '../src/engine/paths.js';
import { loadInventoryFile, parseInventory } from '../src/inventory/load.js';

const demo = await loadInventoryFile(path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json'));

function graphOf(fragment: Record<string, unknown>, resources?: string[]) {
  const inventory = parseInventory({ schemaVersion: '1.0', account: { id: '123456789012' }, regions: ['us-east-1'], ...fragment }, 'fragment');
  return buildAiAssetGraph(inventory, new InventoryIndex(inventory), resources ? { resources } : {});
}

describe('AI asset graph', () => {
  const graph = buildAiAssetGraph(demo, new InventoryIndex(demo));

  it('knows the demo account\'s AI workloads and what they use', () => {
    expect(graph.workloads.map((w) => w.type)).toEqual(
      expect.arrayContaining(['AWS::SageMaker::TrainingJob', 'AWS::SageMaker::Model', 'AWS::Bedrock::Agent', 'AWS::Bedrock::InvocationLogging']),
    );
    expect(describeMembership(graph, 'arn:aws:s3:::acme-ai-audit-logs-111122223333')).toEqual(['invocation log bucket of Bedrock invocation logging us-east-1']);
    expect(describeMembership(graph, 'arn:aws:iam::111122223333:role/service-role/BedrockAgentRole-support-assistant')).toEqual(['service role of agent support-assistant']);
    expect(describeMembership(graph, 'subnet-0e1d2c3b4a5968778')).toEqual(['subnet of Studio domain ml-studio-eu-sandbox', 'subnet of notebook instance ds-secure-eu']);
  });

  it('resolves key references (ids, aliases) to the key ARN', () => {
    const keyReasons = describeMembership(graph, 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(keyReasons).toContain('volume key of processing job pii-redaction-2026-11-01-06-00-00-000');
  });

  it('leaves resources no workload names out of the graph', () => {
    const other = demo.s3!.buckets.filter((b) => !isAiResource(graph, b.arn)).map((b) => b.name);
    expect(other.length).toBeGreaterThan(0);
    expect(isAiResource(graph, 'arn:aws:s3:::acme-ai-audit-logs-111122223333')).toBe(true);
  });

  it('is the same on every build', () => {
    const again = buildAiAssetGraph(demo, new InventoryIndex(demo));
    expect(JSON.stringify([...again.members])).toBe(JSON.stringify([...graph.members]));
  });

  it('takes members by tag and by the config list; ignores a tag that is not true', () => {
    const g = graphOf(
      {
        s3: {
          buckets: [
            { arn: 'arn:aws:s3:::features', name: 'features', region: 'us-east-1', tags: { 'aigis:ai-workload': 'true' } },
            { arn: 'arn:aws:s3:::raw', name: 'raw', region: 'us-east-1' },
            { arn: 'arn:aws:s3:::other', name: 'other', region: 'us-east-1', tags: { 'aigis:ai-workload': 'no' } },
          ],
        },
      },
      ['raw', 'arn:aws:iam::123456789012:role/scoring'],
    );
    expect(describeMembership(g, 'arn:aws:s3:::features')).toEqual(['tagged aigis:ai-workload=true']);
    expect(describeMembership(g, 'arn:aws:s3:::raw')).toEqual(['listed in the config (aiWorkloads.resources)']);
    expect(isAiResource(g, 'arn:aws:iam::123456789012:role/scoring')).toBe(true);
    expect(isAiResource(g, 'arn:aws:s3:::other')).toBe(false);
  });

  it('reads the data-class tag tiers, and nothing else', () => {
    expect(dataClassOf({ 'aigis:data-class': 'Restricted' })).toBe('restricted');
    expect(dataClassOf({ 'aigis:data-class': 'secret' })).toBeUndefined();
    expect(dataClassOf(undefined)).toBeUndefined();
  });
});
