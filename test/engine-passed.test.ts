/**
 * Pass and not-applicable results kept apart (`keepPassingFindings: false`, what `--passed list`
 * and `--passed count` scan with): the same scan in every other respect. Same failing and unknown
 * findings (fingerprints included), same summary and control rollups, and the groups hold exactly
 * the resources the pass / not-applicable findings of a full scan name, in the same order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, ruleSettings } from '../src/engine/config.js';
import { loadFrameworks } from '../src/engine/frameworks.js';
import { packageRoot } from '../src/engine/paths.js';
import { loadRules } from '../src/engine/registry.js';
import { runScan, type ScanResult, type ScanScope } from '../src/engine/scan.js';
import { parseInventory } from '../src/inventory/load.js';
import { passedByRule } from '../src/report/passed.js';
import { renderHtml } from '../src/report/html.js';
import { renderJson } from '../src/report/json.js';
import { buildSyntheticInventory } from '../bench/synthetic.js';

const TOOL = { name: 'aigis', version: 'test', informationUri: 'https://example.com' };

async function scanBoth(raw: unknown, scope: ScanScope): Promise<{ full: ScanResult; grouped: ScanResult }> {
  const inventory = parseInventory(raw, 'inventory.json');
  const rules = await loadRules();
  const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
  const base = { inventory, rules, frameworks, settings: ruleSettings(DEFAULT_CONFIG), scope };
  return {
    full: await runScan(base, TOOL),
    grouped: await runScan({ ...base, keepPassingFindings: false }, TOOL),
  };
}

function expectSameScan({ full, grouped }: { full: ScanResult; grouped: ScanResult }): void {
  expect(full.passed).toBeUndefined();
  expect(grouped.passed?.length).toBeGreaterThan(0);
  expect(grouped.findings).toEqual(full.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown'));
  expect(grouped.summary).toEqual(full.summary);
  expect(grouped.frameworks).toEqual(full.frameworks);
  expect(passedByRule(grouped)).toEqual(passedByRule(full));
  // The JSON report does not depend on how the scan kept them.
  for (const passed of ['list', 'count'] as const) {
    expect(renderJson(grouped, { passed, pretty: false })).toBe(renderJson(full, { passed, pretty: false }));
  }
  // The HTML report's passing section counts the same resources either way.
  const { pass, not_applicable: notApplicable } = full.summary.byVerdict;
  const html = renderHtml(grouped);
  expect(html).toContain(`${pass} pass and ${notApplicable} not-applicable finding`);
  for (const group of grouped.passed!.slice(0, 5)) for (const ref of group.pass.slice(0, 3)) expect(html).toContain(JSON.stringify(ref.arn).slice(1, -1));
}

describe('keepPassingFindings: false', () => {
  const demo = JSON.parse(readFileSync(path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json'), 'utf8'));
  for (const scope of ['all', 'ai'] as const) {
    it(`gives the same scan of the demo account (--scope ${scope})`, async () => expectSameScan(await scanBoth(demo, scope)));
  }

  it('gives the same scan of a generated 3,000-resource account', async () => {
    expectSameScan(await scanBoth(JSON.parse(JSON.stringify(buildSyntheticInventory(3000))), 'all'));
  });
});
