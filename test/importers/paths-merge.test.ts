import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/engine/errors.js';
import { detectIacKind, importCloudFormation, importIacPaths, importTerraformPlan, mergeInventories } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { InventoryInput } from '../../src/inventory/schema.js';
import { FIXTURES, fixture } from './helpers.js';

const work = mkdtempSync(path.join(tmpdir(), 'aigis-iac-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(relative: string, text: string): string {
  const file = path.join(work, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const MINIMAL_TEMPLATE = 'Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n';

describe('detectIacKind', () => {
  it('recognises templates, plans and snapshots by content, whatever the extension', () => {
    expect(detectIacKind(MINIMAL_TEMPLATE, 'stack.yaml')).toBe('cloudformation');
    expect(detectIacKind(MINIMAL_TEMPLATE, 'stack.template')).toBe('cloudformation');
    expect(detectIacKind('{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}', 'stack.txt')).toBe('cloudformation');
    expect(detectIacKind(fixture('cloudformation/genai-access.json').text, 'x.json')).toBe('cloudformation');
    expect(detectIacKind(fixture('terraform/plan.json').text, 'tfplan.json')).toBe('terraform-plan');
    expect(detectIacKind('{"format_version":"1.2","resource_changes":[]}', 'plan')).toBe('terraform-plan');
    expect(detectIacKind(fixture('equivalence/snapshot.json').text, 'inventory.json')).toBe('snapshot');
  });

  it('ignores everything else', () => {
    expect(detectIacKind('{"name":"pkg","version":"1.0.0"}', 'package.json')).toBeUndefined();
    expect(detectIacKind('{"format_version":"1.0","values":{}}', 'state.json')).toBeUndefined();
    expect(detectIacKind('on: push\njobs: {}\n', '.github/workflows/ci.yml')).toBeUndefined();
    expect(detectIacKind('Resources:\n  - just a list\n', 'notes.yaml')).toBeUndefined();
    expect(detectIacKind('# Title\n\nResources: AWS::S3::Bucket\n', 'README.md')).toBeUndefined();
    expect(detectIacKind('[1, 2, 3]', 'list.json')).toBeUndefined();
  });

  it('still claims a broken template so that the import reports the error', () => {
    expect(detectIacKind('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n   bad: [\n', 't.yaml')).toBe('cloudformation');
    expect(detectIacKind('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {', 't.json')).toBe('cloudformation');
  });
});

describe('importIacPaths', () => {
  it('walks directories, skips node_modules/.git/.terraform, ignores other files, keeps order stable', async () => {
    const root = path.join(work, 'repo');
    write('repo/infra/app.yaml', MINIMAL_TEMPLATE);
    write('repo/infra/plan.json', readFileSync(path.join(FIXTURES, 'terraform/plan.json'), 'utf8'));
    write('repo/package.json', '{"name":"x"}');
    write('repo/.github/workflows/ci.yml', 'on: push\n');
    write('repo/node_modules/dep/template.yaml', MINIMAL_TEMPLATE);
    write('repo/.git/x.json', '{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}');
    write('repo/.terraform/modules/x.json', '{"format_version":"1.2","planned_values":{}}');
    const result = await importIacPaths([root]);
    expect(result.files).toEqual([
      { file: path.join(root, 'infra/app.yaml'), kind: 'cloudformation' },
      { file: path.join(root, 'infra/plan.json'), kind: 'terraform-plan' },
    ]);
    expect(result.ignored).toEqual([path.join(root, '.github/workflows/ci.yml'), path.join(root, 'package.json')]);
    expect(result.inventories).toHaveLength(2);
    for (const [i, inventory] of result.inventories.entries()) parseInventory(inventory, result.files[i]!.file);
  });

  it('reads the fixtures directory: templates, plans and snapshots, snapshots first', async () => {
    const result = await importIacPaths([FIXTURES], { accountId: '111122223333' });
    const kinds = result.files.map((f) => f.kind);
    expect(kinds[0]).toBe('snapshot');
    expect(kinds.filter((k) => k === 'cloudformation')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'terraform-plan')).toHaveLength(4);
    const merged = parseInventory(mergeInventories(result.inventories, result.files.map((f) => f.file)), 'merged');
    expect(merged.account.id).toBe('111122223333');
    expect(merged.regions).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('uses the account id of a snapshot for templates when none is given', async () => {
    const template = write('with-snapshot/template.yaml', MINIMAL_TEMPLATE);
    const result = await importIacPaths([path.join(FIXTURES, 'equivalence/snapshot.json'), template]);
    expect(result.inventories.map((i) => i.account.id)).toEqual(['111122223333', '111122223333']);
    expect(result.inventories[1]!.s3!.buckets[0]!.arn).toMatch(/^arn:aws:s3:::template-logs-[a-z0-9]{12}$/);
  });

  it('rejects a named file that is none of the three, and a missing path', async () => {
    const other = write('other.json', '{"hello":"world"}');
    await expect(importIacPaths([other])).rejects.toThrow(InputError);
    await expect(importIacPaths([other])).rejects.toThrow(/other\.json: is not a CloudFormation template, a Terraform plan/);
    await expect(importIacPaths([path.join(work, 'nope')])).rejects.toThrow(/nope: cannot read input \(ENOENT\)/);
  });

  it('validates snapshots it reads', async () => {
    const bad = write('bad-snapshot.json', JSON.stringify({ schemaVersion: '1.0', account: { id: 'abc' } }));
    await expect(importIacPaths([bad])).rejects.toThrow(/bad-snapshot\.json at \$\.account\.id: an AWS account id is 12 digits/);
  });
});

describe('mergeInventories', () => {
  const cfn = fixture('cloudformation/ml-platform.yaml');
  const tf = fixture('terraform/plan.json');

  it('unions sections, regions and resources of one account; the later input wins on the same ARN', () => {
    const a = importCloudFormation(cfn.text, cfn.file);
    const b = importTerraformPlan(tf.text, tf.file);
    const merged = parseInventory(mergeInventories([a, b], [cfn.file, tf.file]), 'merged');
    expect(merged.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(merged.s3!.buckets).toHaveLength(a.s3!.buckets.length + b.s3!.buckets.length);
    expect(merged.cloudtrail!.trails.map((t) => t.name?.replace(/-[A-Z0-9]{12}$/, '')).sort()).toEqual(['app-trail', 'ml-platform-AppTrail', 'org-audit', 'org-audit']);
    expect(merged.bedrock!.guardrails).toHaveLength(2);
    expect(merged.source).toBeUndefined();
    expect(a.partial).toBe(true);
    expect(b.partial).toBe(true);
    expect(merged.partial).toBe(true);

    // Same bucket in a snapshot and in a template: the template (later) wins.
    const logs = a.s3!.buckets.find((x) => x.source?.logicalId === 'AccessLogsBucket')!;
    const recorded: InventoryInput = {
      schemaVersion: '1.0',
      account: { id: '123456789012' },
      s3: { accountPublicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }, buckets: [{ arn: logs.arn, name: logs.name, region: 'us-east-1', encryption: null }] },
      kms: { keys: [] },
    };
    const overridden = parseInventory(mergeInventories([recorded, a]), 'merged');
    expect(overridden.s3!.buckets.filter((x) => x.name === logs.name)).toHaveLength(1);
    const bucket = overridden.s3!.buckets.find((x) => x.name === logs.name)!;
    expect(bucket.encryption).toEqual({ rules: [{ sseAlgorithm: 'AES256' }] });
    // With a snapshot of the account in the mix, the view is account-wide again.
    expect(overridden.partial).toBeUndefined();
    // The account-level block only the snapshot knows is kept.
    expect(overridden.s3!.accountPublicAccessBlock?.blockPublicAcls).toBe(true);
  });

  it('merges regional detective entries and keeps the aliases of a key seen twice', () => {
    const base = (extra: Partial<InventoryInput>): InventoryInput => ({ schemaVersion: '1.0', account: { id: '123456789012' }, ...extra });
    const key = { arn: 'arn:aws:kms:us-east-1:123456789012:key/k', region: 'us-east-1', keyId: 'k', keyManager: 'CUSTOMER' as const };
    const merged = parseInventory(
      mergeInventories([
        base({ kms: { keys: [{ ...key, aliases: ['alias/a'] }] }, detective: { guardDuty: [{ region: 'us-east-1', detectors: [{ id: 'd1', status: 'ENABLED' }] }] } }),
        base({ kms: { keys: [{ ...key, aliases: ['alias/b'] }] }, detective: { guardDuty: [{ region: 'us-east-1', detectors: [{ id: 'd2', status: 'DISABLED' }] }] } }),
      ]),
      'merged',
    );
    expect(merged.kms!.keys).toEqual([expect.objectContaining({ arn: key.arn, aliases: ['alias/a', 'alias/b'] })]);
    expect(merged.detective!.guardDuty).toEqual([{ region: 'us-east-1', detectors: [{ id: 'd1', status: 'ENABLED' }, { id: 'd2', status: 'DISABLED' }] }]);
  });

  it('refuses inventories of different accounts with a clear InputError', () => {
    const a = importCloudFormation(cfn.text, cfn.file);
    const b = importTerraformPlan(tf.text, tf.file, { accountId: '111122223333' });
    expect(() => mergeInventories([a, b], [cfn.file, tf.file])).toThrow(InputError);
    expect(() => mergeInventories([a, b], [cfn.file, tf.file])).toThrow(
      `${tf.file} at $.account.id: account 111122223333 differs from account 123456789012 of ${cfn.file}`,
    );
    expect(() => mergeInventories([])).toThrow(/nothing to scan/);
  });
});
