/**
 * The per-account results of a multi-account scan wait on disk (src/commands/scan-spill.ts) in a
 * form that lists each resource and control list once: they must read back as the results they
 * were, key order included (reports serialize them), with the sharing they had in memory.
 */
import { describe, expect, it } from 'vitest';
import { ScanSpill } from '../src/commands/scan-spill.js';
import { DEFAULT_CONFIG, ruleSettings } from '../src/engine/config.js';
import { loadFrameworks } from '../src/engine/frameworks.js';
import { loadRules } from '../src/engine/registry.js';
import { runScan, type ScanResult } from '../src/engine/scan.js';
import { parseInventory } from '../src/inventory/load.js';
import { buildSyntheticInventory } from '../bench/synthetic.js';

const TOOL = { name: 'aigis', version: 'test', informationUri: 'https://example.com' };

async function scan(size: number, keepPassingFindings: boolean): Promise<ScanResult> {
  const inventory = parseInventory(buildSyntheticInventory(size), 'inventory.json');
  const rules = await loadRules();
  const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
  return runScan({ inventory, rules, frameworks, settings: ruleSettings(DEFAULT_CONFIG), keepPassingFindings }, TOOL);
}

describe('ScanSpill', () => {
  it('reads each result back as it was written, with resources and control lists shared again', async () => {
    const results = [await scan(300, true), await scan(500, false), await scan(200, false)];
    const spill = await ScanSpill.create();
    try {
      for (const result of results) await spill.append(result);
      const read = await spill.readAll();
      expect(read.map((r) => JSON.stringify(r))).toEqual(results.map((r) => JSON.stringify(r)));
      expect(read).toEqual(results);
      // Findings on one resource share it, as the evaluation's findings do.
      const [first] = read;
      const byArn = new Map<string, Set<unknown>>();
      for (const f of first!.findings) (byArn.get(f.resource.arn) ?? byArn.set(f.resource.arn, new Set()).get(f.resource.arn)!).add(f.resource);
      const originalByArn = new Map<string, Set<unknown>>();
      for (const f of results[0]!.findings) (originalByArn.get(f.resource.arn) ?? originalByArn.set(f.resource.arn, new Set()).get(f.resource.arn)!).add(f.resource);
      expect([...byArn.values()].map((s) => s.size)).toEqual([...originalByArn.values()].map((s) => s.size));
      // One control list per rule across every account read back.
      const lists = new Set(read.flatMap((r) => r.findings.filter((f) => f.ruleId === 's3-versioning').map((f) => f.controls)));
      expect(read.flatMap((r) => r.findings).filter((f) => f.ruleId === 's3-versioning').length).toBeGreaterThan(3);
      expect(lists.size).toBe(1);
      expect(read[1]!.passed!.length).toBeGreaterThan(0);
    } finally {
      await spill.remove();
    }
  });
});
