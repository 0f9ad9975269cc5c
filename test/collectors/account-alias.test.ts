/**
 * The account alias (iam:ListAccountAliases, read-only): present, absent (the account has none),
 * refused (AccessDenied: a collection error, never a crash), and carried into the scan result.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/collectors/index.js';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { runScan } from '../../src/engine/scan.js';
import { parseInventory } from '../../src/inventory/load.js';
import { ACCOUNT, FAULTS, installFakeAccount, testOptions, type FakeAccount } from './fake-account.js';

let account: FakeAccount | undefined;
afterEach(() => account?.restore());

async function collectWith(aliases: () => unknown) {
  account = installFakeAccount();
  account.handlers['iam:ListAccountAliases'] = aliases as never;
  const { inventory } = await collectInventory(testOptions({ services: ['s3'] }));
  return parseInventory(JSON.parse(JSON.stringify(inventory)), 'live');
}

describe('account alias', () => {
  it('is read once, from the global Region, and stored as account.alias', async () => {
    const inventory = await collectWith(() => ({ AccountAliases: ['acme-ml'], IsTruncated: false }));
    expect(inventory.account).toEqual({ id: ACCOUNT, partition: 'aws', alias: 'acme-ml' });
    expect(account!.calls.filter((c) => c.operation === 'iam:ListAccountAliases').map((c) => c.region)).toEqual(['us-east-1']);
    expect(inventory.collectionErrors).toEqual([]);
  });

  it('is absent, with no error, when the account has none', async () => {
    const inventory = await collectWith(() => ({ AccountAliases: [], IsTruncated: false }));
    expect(inventory.account).toEqual({ id: ACCOUNT, partition: 'aws' });
    expect('alias' in inventory.account).toBe(false);
    expect(inventory.collectionErrors).toEqual([]);
  });

  it('is absent, and the refusal a collection error, when the call is denied', async () => {
    const inventory = await collectWith(() => {
      throw FAULTS.AccessDenied();
    });
    expect(inventory.account).toEqual({ id: ACCOUNT, partition: 'aws' });
    expect(inventory.collectionErrors).toEqual([
      expect.objectContaining({ service: 'iam', operation: 'ListAccountAliases', errorCode: 'AccessDeniedException' }),
    ]);
  });

  it('goes into the scan result (account.alias), and is left out when not collected', async () => {
    const collected = await collectWith(() => ({ AccountAliases: ['acme-ml'], IsTruncated: false }));
    const tool = { name: 'aigis', version: 'test', informationUri: 'https://example.com' };
    const options = { rules: [], frameworks: [], settings: ruleSettings(DEFAULT_CONFIG) };
    expect((await runScan({ ...options, inventory: collected }, tool)).account).toEqual({ id: ACCOUNT, partition: 'aws', alias: 'acme-ml' });
    const { alias: _alias, ...without } = collected.account;
    expect((await runScan({ ...options, inventory: { ...collected, account: without } }, tool)).account).toEqual({ id: ACCOUNT, partition: 'aws' });
  });
});
