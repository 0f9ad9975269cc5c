/**
 * CloudWatch Logs log groups from a CloudFormation template and a Terraform plan give the rules the
 * same facts as a snapshot of the deployed account (ARN without `:*`, KMS key, retention), and so
 * the same verdicts from the log group rules.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_APPROVED_MODELS } from '../../src/engine/config.js';
import { InventoryIndex } from '../../src/engine/inventory-index.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { importCloudFormation, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/schema.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const group = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;

const TEMPLATE = `
Resources:
  LogsKey:
    Type: AWS::KMS::Key
    Properties: { EnableKeyRotation: true }
  InvocationLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/bedrock/invocations
      KmsKeyId: !GetAtt LogsKey.Arn
      RetentionInDays: 365
  TrailLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: trail-logs
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: audit
      IsLogging: true
      S3BucketName: audit-logs
      CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn
      CloudWatchLogsRoleArn: arn:aws:iam::${ACCOUNT}:role/trail-to-logs
  EncryptedTrailLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: data-trail-logs
      KmsKeyId: !GetAtt LogsKey.Arn
      RetentionInDays: 0
  DataTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: data
      IsLogging: true
      S3BucketName: audit-logs
      CloudWatchLogsLogGroupArn: !Sub "\${EncryptedTrailLogGroup.Arn}"
  QuietTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: quiet
      IsLogging: true
      S3BucketName: audit-logs
  ImportedGroupTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: shared
      IsLogging: true
      S3BucketName: audit-logs
      CloudWatchLogsLogGroupArn: arn:aws:logs:${REGION}:${ACCOUNT}:log-group:platform-shared:*
`;

const managed = (type: string, name: string, values: Record<string, unknown>) => ({ address: `${type}.${name}`, mode: 'managed', type, name, values });
const PLAN = {
  format_version: '1.2',
  planned_values: {
    root_module: {
      resources: [
        managed('aws_kms_key', 'logs', { enable_key_rotation: true }),
        managed('aws_cloudwatch_log_group', 'invocations', { name: '/aws/bedrock/invocations', retention_in_days: 365 }),
        managed('aws_cloudwatch_log_group', 'trail', { name: 'trail-logs', retention_in_days: 0, kms_key_id: null }),
        managed('aws_cloudwatch_log_group', 'data_trail', { name: 'data-trail-logs', retention_in_days: 0 }),
        managed('aws_cloudtrail', 'audit', { name: 'audit', s3_bucket_name: 'audit-logs', enable_logging: true }),
        managed('aws_cloudtrail', 'data', { name: 'data', s3_bucket_name: 'audit-logs', enable_logging: true }),
        managed('aws_cloudtrail', 'quiet', { name: 'quiet', s3_bucket_name: 'audit-logs', enable_logging: true }),
        managed('aws_cloudtrail', 'shared', {
          name: 'shared',
          s3_bucket_name: 'audit-logs',
          enable_logging: true,
          cloud_watch_logs_group_arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:platform-shared:*`,
        }),
        managed('aws_bedrock_model_invocation_logging_configuration', 'main', {
          logging_config: [{ text_data_delivery_enabled: true, s3_config: [], cloudwatch_config: [{ log_group_name: '/aws/bedrock/invocations', role_arn: `arn:aws:iam::${ACCOUNT}:role/bedrock-logging` }] }],
        }),
      ],
    },
  },
  resource_changes: [
    { address: 'aws_kms_key.logs', change: { actions: ['create'], after_unknown: { arn: true, key_id: true, id: true } } },
    { address: 'aws_cloudwatch_log_group.invocations', change: { actions: ['create'], after_unknown: { arn: true, kms_key_id: true } } },
    { address: 'aws_cloudwatch_log_group.data_trail', change: { actions: ['create'], after_unknown: { arn: true, kms_key_id: true } } },
    { address: 'aws_cloudwatch_log_group.trail', change: { actions: ['create'], after_unknown: { arn: true } } },
    { address: 'aws_cloudtrail.audit', change: { actions: ['create'], after_unknown: { arn: true, cloud_watch_logs_group_arn: true } } },
    { address: 'aws_cloudtrail.data', change: { actions: ['create'], after_unknown: { arn: true, cloud_watch_logs_group_arn: true } } },
  ],
  configuration: {
    root_module: {
      resources: [
        { address: 'aws_cloudwatch_log_group.invocations', mode: 'managed', type: 'aws_cloudwatch_log_group', name: 'invocations', expressions: { kms_key_id: { references: ['aws_kms_key.logs.arn', 'aws_kms_key.logs'] } } },
        { address: 'aws_cloudwatch_log_group.data_trail', mode: 'managed', type: 'aws_cloudwatch_log_group', name: 'data_trail', expressions: { kms_key_id: { references: ['aws_kms_key.logs.arn', 'aws_kms_key.logs'] } } },
        { address: 'aws_cloudtrail.audit', mode: 'managed', type: 'aws_cloudtrail', name: 'audit', expressions: { cloud_watch_logs_group_arn: { references: ['aws_cloudwatch_log_group.trail.arn', 'aws_cloudwatch_log_group.trail'] } } },
        { address: 'aws_cloudtrail.data', mode: 'managed', type: 'aws_cloudtrail', name: 'data', expressions: { cloud_watch_logs_group_arn: { references: ['aws_cloudwatch_log_group.data_trail.arn', 'aws_cloudwatch_log_group.data_trail'] } } },
      ],
    },
  },
};

const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444`;
const trail = (name: string, logGroupArn: string | null) => ({
  arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${name}`,
  region: REGION,
  name,
  homeRegion: REGION,
  isMultiRegionTrail: false,
  isLogging: true,
  s3BucketName: 'audit-logs',
  kmsKeyId: null,
  cloudWatchLogsLogGroupArn: logGroupArn,
});
const SNAPSHOT = {
  schemaVersion: '1.0',
  account: { id: ACCOUNT, partition: 'aws' },
  regions: [REGION],
  kms: { keys: [{ arn: KEY_ARN, region: REGION, keyId: '0f0f0f0f-1111-2222-3333-444444444444', aliases: [], keyManager: 'CUSTOMER', keyState: 'Enabled' }] },
  logs: {
    logGroups: [
      { arn: group('/aws/bedrock/invocations'), region: REGION, name: '/aws/bedrock/invocations', kmsKeyId: KEY_ARN, retentionInDays: 365, dataProtectionStatus: null },
      { arn: group('data-trail-logs'), region: REGION, name: 'data-trail-logs', kmsKeyId: KEY_ARN, retentionInDays: null, dataProtectionStatus: null },
      { arn: group('trail-logs'), region: REGION, name: 'trail-logs', kmsKeyId: null, retentionInDays: null, dataProtectionStatus: null },
    ],
  },
  cloudtrail: {
    trails: [
      trail('audit', `${group('trail-logs')}:*`),
      trail('data', `${group('data-trail-logs')}:*`),
      trail('quiet', null),
      trail('shared', `${group('platform-shared')}:*`),
    ],
  },
  bedrock: {
    invocationLogging: [
      { region: REGION, config: { textDataDeliveryEnabled: true, s3Config: null, cloudWatchConfig: { logGroupName: '/aws/bedrock/invocations', roleArn: `arn:aws:iam::${ACCOUNT}:role/bedrock-logging` } } },
    ],
  },
};

const inventories: Record<string, Inventory> = {
  cloudformation: parseInventory(importCloudFormation(TEMPLATE, 'template.yaml', { accountId: ACCOUNT, region: REGION }), 'template.yaml'),
  terraform: parseInventory(importTerraformPlanData(PLAN, 'plan.json', { accountId: ACCOUNT, region: REGION }), 'plan.json'),
  snapshot: parseInventory(SNAPSHOT, 'snapshot.json'),
};

function facts(inventory: Inventory) {
  const index = new InventoryIndex(inventory);
  return {
    logGroups: (inventory.logs?.logGroups ?? []).map((g) => ({
      arn: g.arn,
      region: g.region,
      name: g.name,
      key: g.kmsKeyId ? (index.resolveKmsKey(g.kmsKeyId, g.region)?.keyManager ?? 'unresolved') : g.kmsKeyId,
      retentionInDays: g.retentionInDays,
    })),
    trails: (inventory.cloudtrail?.trails ?? []).map((t) => ({
      name: t.name,
      logGroup: t.cloudWatchLogsLogGroupArn ? index.logGroup(t.cloudWatchLogsLogGroupArn)?.arn ?? t.cloudWatchLogsLogGroupArn.replace(/:\*$/, '') : t.cloudWatchLogsLogGroupArn,
    })),
  };
}

async function verdicts(inventory: Inventory, ruleIds: string[]): Promise<string[]> {
  const rules = (await loadRules()).filter((r) => ruleIds.includes(r.meta.id));
  expect(rules).toHaveLength(ruleIds.length);
  const result = await runScan(
    { inventory, rules, frameworks: [], settings: { bedrock: { approvedModels: [...DEFAULT_APPROVED_MODELS] }, aiWorkloads: { resources: [] }, assume: { accountPublicAccessBlock: false } } },
    { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' },
  );
  return result.findings.map((f) => `${f.ruleId} ${f.resource.arn} ${f.verdict}`).sort();
}

describe('CloudWatch Logs log groups from CloudFormation, a Terraform plan and a snapshot', () => {
  it('record the ARN without :*, the key and the retention (0 or absent: never expire)', () => {
    const expected = facts(inventories.snapshot!);
    expect(expected.logGroups.map((g) => g.key)).toEqual(['CUSTOMER', 'CUSTOMER', null]);
    expect(facts(inventories.cloudformation!)).toEqual(expected);
    expect(facts(inventories.terraform!)).toEqual(expected);
  });

  it('keep the CloudFormation Arn attribute as CloudFormation returns it (with :*) for references', () => {
    const audit = inventories.cloudformation!.cloudtrail!.trails.find((t) => t.name === 'audit')!;
    expect(audit.cloudWatchLogsLogGroupArn).toBe(`${group('trail-logs')}:*`);
    const declared = inventories.cloudformation!.logs!.logGroups.find((g) => g.name === 'trail-logs')!;
    expect(declared).toMatchObject({ kmsKeyId: null, retentionInDays: null, dataProtectionStatus: null, source: { logicalId: 'TrailLogGroup' } });
  });

  it('give the same verdicts from cloudtrail-log-group-encrypted', async () => {
    const ids = ['cloudtrail-log-group-encrypted'];
    const snapshot = await verdicts(inventories.snapshot!, ids);
    expect(snapshot).toEqual([
      `cloudtrail-log-group-encrypted arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/quiet not_applicable`,
      `cloudtrail-log-group-encrypted ${group('data-trail-logs')} pass`,
      `cloudtrail-log-group-encrypted ${group('platform-shared')} unknown`,
      `cloudtrail-log-group-encrypted ${group('trail-logs')} fail`,
    ]);
    expect(await verdicts(inventories.cloudformation!, ids)).toEqual(snapshot);
    expect(await verdicts(inventories.terraform!, ids)).toEqual(snapshot);
  });

  it('give the same verdicts from bedrock-invocation-log-group-encrypted (Terraform; CloudFormation has no invocation logging resource)', async () => {
    const ids = ['bedrock-invocation-log-group-encrypted'];
    const snapshot = await verdicts(inventories.snapshot!, ids);
    expect(snapshot).toEqual([`bedrock-invocation-log-group-encrypted ${group('/aws/bedrock/invocations')} pass`]);
    expect(await verdicts(inventories.terraform!, ids)).toEqual(snapshot);
  });

  it('says an undeclared log group is not in the code, and leaves an unknown retention absent', async () => {
    const rules = (await loadRules()).filter((r) => r.meta.id === 'cloudtrail-log-group-encrypted');
    const result = await runScan(
      { inventory: inventories.terraform!, rules, frameworks: [], settings: { bedrock: { approvedModels: [] }, aiWorkloads: { resources: [] }, assume: { accountPublicAccessBlock: false } } },
      { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' },
    );
    expect(result.findings.find((f) => f.resource.arn === group('platform-shared'))?.message).toContain('the infrastructure code does not declare it');

    const plan = structuredClone(PLAN);
    plan.resource_changes.push({ address: 'aws_cloudwatch_log_group.trail', change: { actions: ['create'], after_unknown: { arn: true, retention_in_days: true } as never } });
    plan.resource_changes = plan.resource_changes.filter((c, i, all) => all.findLastIndex((d) => d.address === c.address) === i);
    (plan.configuration.root_module.resources as unknown[]).push({
      address: 'aws_cloudwatch_log_group.trail',
      mode: 'managed',
      type: 'aws_cloudwatch_log_group',
      name: 'trail',
      expressions: { retention_in_days: { references: ['var.retention'] } },
    });
    const inventory = parseInventory(importTerraformPlanData(plan, 'plan.json', { accountId: ACCOUNT, region: REGION }), 'plan.json');
    const unknownRetention = inventory.logs!.logGroups.find((g) => g.name === 'trail-logs')!;
    expect(unknownRetention.retentionInDays).toBeUndefined();
    expect(unknownRetention.unresolved).toEqual(['RetentionInDays']);
  });

  it('leaves a retention no log group can have (fractional, negative) unknown, noted, rather than failing to load', () => {
    const template = `Resources:\n  Odd:\n    Type: AWS::Logs::LogGroup\n    Properties: { LogGroupName: odd, RetentionInDays: 1.5 }\n  Negative:\n    Type: AWS::Logs::LogGroup\n    Properties: { LogGroupName: negative, RetentionInDays: -3 }\n`;
    const cfn = parseInventory(importCloudFormation(template, 't.yaml', { accountId: ACCOUNT, region: REGION }), 't.yaml');
    for (const g of cfn.logs!.logGroups) {
      expect('retentionInDays' in g, g.name).toBe(false);
      expect(g.unresolved).toEqual(['RetentionInDays']);
    }
    const plan = { format_version: '1.2', planned_values: { root_module: { resources: [managed('aws_cloudwatch_log_group', 'odd', { name: 'odd', retention_in_days: 2.5 })] } } };
    const tf = parseInventory(importTerraformPlanData(plan, 'plan.json', { accountId: ACCOUNT }), 'plan.json');
    expect('retentionInDays' in tf.logs!.logGroups[0]!).toBe(false);
    expect(tf.logs!.logGroups[0]!.unresolved).toEqual(['RetentionInDays']);
  });
});
