/**
 * `aigis scan --iac`: templates and plans found by content under directories, merged with
 * snapshots, CloudFormation parameter overrides, inline Metadata suppressions, and SARIF regions
 * that point at the template/.tf lines relative to the working directory.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/engine/paths.js';
import { GATE_FIXTURES, GATE_INVENTORY, lineOf, readJson, runCli, tempDir, writeText } from './helpers.js';

const REPO = path.join(GATE_FIXTURES, 'repo');
const CFN = 'infra/cloudformation/storage.yaml';
const TF = 'infra/terraform/main.tf';

interface SarifResult {
  ruleId: string;
  suppressions?: { justification: string; properties: { source: string } }[];
  locations: { physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } }; logicalLocations: { fullyQualifiedName: string }[] }[];
}

function resultFor(sarif: any, ruleId: string, arn: string): SarifResult {
  const found = (sarif.runs[0].results as SarifResult[]).find((r) => r.ruleId === ruleId && r.locations[0]!.logicalLocations[0]!.fullyQualifiedName === arn);
  if (!found) throw new Error(`no ${ruleId} result for ${arn}`);
  return found;
}

describe('scan --iac', () => {
  it('reads a directory of CloudFormation and Terraform; SARIF regions point at the declaring lines', async () => {
    const out = tempDir();
    const run = await runCli(['scan', '--iac', 'infra', '--format', 'sarif,json', '-o', out], { cwd: REPO });
    expect(run.code).toBe(0);
    const json = readJson(path.join(out, 'aigis-report.json'));
    expect(json.inputs).toEqual([CFN, 'infra/terraform/plan.json']);
    const sarif = readJson(path.join(out, 'aigis-report.sarif'));

    const replica = resultFor(sarif, 's3-sse-kms-cmk', 'arn:aws:s3:::ci-logs-replica').locations[0]!.physicalLocation!;
    expect(replica.artifactLocation).toEqual({ uri: CFN, uriBaseId: '%SRCROOT%' });
    expect(replica.region.startLine).toBe(lineOf(path.join(REPO, CFN), 'BucketEncryption:', 'CiLogsReplica:'));

    const exports = resultFor(sarif, 's3-sse-kms-cmk', 'arn:aws:s3:::feature-exports').locations[0]!.physicalLocation!;
    expect(exports.artifactLocation).toEqual({ uri: TF, uriBaseId: '%SRCROOT%' });
    expect(exports.region.startLine).toBe(lineOf(path.join(REPO, TF), 'resource "aws_s3_bucket_server_side_encryption_configuration" "exports"'));
  });

  it('applies inline Metadata suppressions to their own resource only', async () => {
    const out = tempDir();
    await runCli(['scan', '--iac', 'infra', '--format', 'sarif,json', '-o', out], { cwd: REPO });
    const sarif = readJson(path.join(out, 'aigis-report.sarif'));
    const ciLogs = resultFor(sarif, 's3-sse-kms-cmk', 'arn:aws:s3:::ci-logs');
    const declared = lineOf(path.join(REPO, CFN), '- rule: s3-sse-kms-cmk');
    expect(ciLogs.suppressions).toEqual([
      expect.objectContaining({
        justification: 'CI build logs only, no customer data (RISK-7)',
        properties: { source: `${CFN}:${declared} at $.Resources.CiLogs.Metadata.aigis.suppress[0]` },
      }),
    ]);
    expect(resultFor(sarif, 's3-sse-kms-cmk', 'arn:aws:s3:::ci-logs-replica').suppressions).toBeUndefined();
    // Other rules on the same resource are not covered by a suppression for s3-sse-kms-cmk.
    expect(resultFor(sarif, 's3-versioning', 'arn:aws:s3:::ci-logs').suppressions).toBeUndefined();
    expect(readJson(path.join(out, 'aigis-report.json')).summary.suppressed).toBe(1);
  });

  it('--parameters overrides CloudFormation parameters', async () => {
    const out = tempDir();
    const run = await runCli(['scan', '--iac', CFN, '--parameters', 'Environment=prod', '--format', 'json', '--passed', 'full', '-o', path.join(out, 'r.json')], { cwd: REPO });
    expect(run.code).toBe(0);
    const arns = (readJson(path.join(out, 'r.json')).findings as { resource: { arn: string } }[]).map((f) => f.resource.arn);
    expect(arns).toContain('arn:aws:s3:::training-data-prod');
    expect(arns).not.toContain('arn:aws:s3:::training-data-dev');
  });

  it('merges --input snapshots with templates; templates take the snapshot account', async () => {
    const out = tempDir();
    const run = await runCli(['scan', '--input', GATE_INVENTORY, '--iac', CFN, '--format', 'json', '--passed', 'full', '-o', path.join(out, 'r.json')], { cwd: REPO });
    expect(run.code).toBe(0);
    const report = readJson(path.join(out, 'r.json'));
    expect(report.account.id).toBe('444455556666');
    // Outside the working directory: kept absolute rather than as ../ paths SARIF cannot anchor.
    expect(report.inputs).toEqual([GATE_INVENTORY, CFN]);
    const arns = new Set((report.findings as { resource: { arn: string } }[]).map((f) => f.resource.arn));
    expect(arns.has('arn:aws:s3:::public-datasets')).toBe(true); // snapshot
    expect(arns.has('arn:aws:s3:::training-data-dev')).toBe(true); // template
    expect([...arns].some((a) => a.startsWith('arn:aws:kms:us-east-1:444455556666:key/'))).toBe(true);
  });

  const errors: { name: string; argv: string[]; files?: Record<string, string>; expected: string }[] = [
    { name: 'bad --parameters', argv: ['--iac', CFN, '--parameters', 'Environment'], expected: 'aigis: error: --parameters: expected Key=Value, got "Environment"' },
    { name: '--parameters without --iac', argv: ['--input', GATE_INVENTORY, '--parameters', 'A=b'], expected: 'aigis: error: --parameters applies to CloudFormation templates given with --iac' },
    { name: 'a template given as --input', argv: ['--input', CFN, '--iac', 'infra/terraform'], expected: `aigis: error: ${CFN}: --input expects an inventory snapshot` },
    { name: 'a file that is no template', argv: ['--iac', 'README.txt'], files: { 'README.txt': 'hello' }, expected: 'README.txt: is not a CloudFormation template' },
    { name: 'missing path', argv: ['--iac', 'nowhere'], expected: 'nowhere: cannot read input (ENOENT)' },
    {
      name: 'inline suppression without a reason',
      argv: ['--iac', 't.yaml'],
      files: { 't.yaml': 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      aigis:\n        suppress:\n          - rule: s3-sse-kms-cmk\n' },
      expected: 'aigis: error: t.yaml at $.Resources.B.Metadata.aigis.suppress[0].reason: a suppression needs a reason',
    },
    {
      name: 'inline suppression for an unknown rule',
      argv: ['--iac', 't.yaml'],
      files: { 't.yaml': 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      aigis:\n        suppress:\n          - { rule: s3-encrypted, reason: x }\n' },
      expected: 'aigis: error: t.yaml at $.Resources.B.Metadata.aigis.suppress[0].rule: unknown rule id "s3-encrypted"',
    },
  ];
  for (const c of errors) {
    it(`${c.name}: exit 2`, async () => {
      let cwd = REPO;
      if (c.files) {
        cwd = tempDir();
        for (const [name, text] of Object.entries(c.files)) writeText(cwd, name, text);
      }
      const run = await runCli(['scan', ...c.argv, '--format', 'json', '-o', path.join(tempDir(), 'r.json')], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(c.expected);
    });
  }
});

describe('scan --iac: a bucket that turns its own Block Public Access off', () => {
  const TEMPLATE = [
    'Resources:',
    '  Weakened:',
    '    Type: AWS::S3::Bucket',
    '    Properties:',
    '      BucketName: weakened-data',
    '      PublicAccessBlockConfiguration:',
    '        BlockPublicAcls: false',
    '        IgnorePublicAcls: true',
    '        BlockPublicPolicy: true',
    '        RestrictPublicBuckets: true',
    '  Defaults:',
    '    Type: AWS::S3::Bucket',
    '    Properties:',
    '      BucketName: default-data',
    '',
  ].join('\n');

  /** The gate plan with block_public_policy = false on aws_s3_bucket_public_access_block.exports. */
  function weakenedPlan(): string {
    const plan = readJson(path.join(REPO, 'infra/terraform/plan.json'));
    const isBlock = (r: { address: string }) => r.address === 'aws_s3_bucket_public_access_block.exports';
    plan.planned_values.root_module.resources.find(isBlock).values.block_public_policy = false;
    plan.resource_changes.find(isBlock).change.after.block_public_policy = false;
    return JSON.stringify(plan, null, 2);
  }

  async function scan(config?: object) {
    const cwd = tempDir();
    writeText(cwd, 'template.yaml', TEMPLATE);
    writeText(cwd, 'plan.json', weakenedPlan());
    if (config) writeText(cwd, 'aigis.config.json', JSON.stringify(config));
    const out = tempDir();
    const run = await runCli(['scan', '--iac', '.', '--rules', 's3-block-public-access', '--fail-on', 'high', '--format', 'json,sarif', '--passed', 'full', '-o', out], { cwd });
    const findings = readJson(path.join(out, 'aigis-report.json')).findings as { resource: { arn: string }; verdict: string; message: string }[];
    const byArn = (arn: string) => findings.find((f) => f.resource.arn === arn)!;
    return { run, byArn, sarif: readJson(path.join(out, 'aigis-report.sarif')) };
  }

  it('fails without a config, and says the account-level block and the config key would change that', async () => {
    const { run, byArn, sarif } = await scan();
    expect(run.code).toBe(1);
    for (const [arn, off] of [
      ['arn:aws:s3:::weakened-data', 'BlockPublicAcls'],
      ['arn:aws:s3:::feature-exports', 'BlockPublicPolicy'],
    ] as const) {
      expect(byArn(arn).verdict).toBe('fail');
      expect(byArn(arn).message).toContain(`${off} is false in its PublicAccessBlockConfiguration`);
      expect(byArn(arn).message).toContain('passes only if the account-level Block Public Access is on');
      expect(byArn(arn).message).toContain('config `assume: { accountPublicAccessBlock: true }` records that');
    }
    expect(byArn('arn:aws:s3:::default-data').verdict).toBe('pass');
    // The failure points at the setting that turns the block off.
    const weakened = resultFor(sarif, 's3-block-public-access', 'arn:aws:s3:::weakened-data').locations[0]!.physicalLocation!;
    expect(weakened.artifactLocation.uri).toBe('template.yaml');
    expect(weakened.region.startLine).toBe(6);
  });

  it('passes with assume.accountPublicAccessBlock in aigis.config.json, saying the pass rests on it', async () => {
    const { run, byArn } = await scan({ assume: { accountPublicAccessBlock: true } });
    expect(run.code).toBe(0);
    for (const arn of ['arn:aws:s3:::weakened-data', 'arn:aws:s3:::feature-exports']) {
      expect(byArn(arn).verdict).toBe('pass');
      expect(byArn(arn).message).toContain('Passes on an assumption');
      expect(byArn(arn).message).toContain('rests on the account-level Block Public Access being on');
    }
    expect(byArn('arn:aws:s3:::default-data').message).toContain('S3 applies its default for new buckets');
  });
});

describe('scan --iac of a plan without .tf files beside it', () => {
  /**
   * Settings that a split resource declares (a public access block, an inline role policy): the
   * result points at that resource's entry, as it points at its block when the .tf files are there.
   */
  const DECLARED_BY: Record<string, string> = {
    'aws_s3_bucket.raw_uploads PublicAccessBlockConfiguration': 'aws_s3_bucket_public_access_block.raw_uploads',
    'aws_s3_bucket.raw_uploads BucketEncryption': 'aws_s3_bucket_server_side_encryption_configuration.raw_uploads',
    'aws_s3_bucket.model_artifacts BucketEncryption': 'aws_s3_bucket_server_side_encryption_configuration.model_artifacts',
    'aws_s3_bucket.training_data PublicAccessBlockConfiguration': 'aws_s3_bucket_public_access_block.training_data',
    'aws_s3_bucket.training_data BucketEncryption': 'aws_s3_bucket_server_side_encryption_configuration.training_data',
    'aws_s3_bucket.training_data VersioningConfiguration': 'aws_s3_bucket_versioning.training_data',
    'aws_s3_bucket.training_data PolicyDocument': 'aws_s3_bucket_policy.training_data',
    'aws_iam_role.scoped Policies': 'aws_iam_role_policy.scoped_read',
  };

  it('SARIF regions point at the resource_changes entry of each resource in the plan JSON', async () => {
    const cwd = tempDir();
    copyFileSync(path.join(packageRoot(), 'fixtures/iac/terraform/plan.json'), path.join(cwd, 'plan.json'));
    const out = tempDir();
    const run = await runCli(['scan', '--iac', 'plan.json', '--format', 'sarif,json', '-o', out], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(path.join(cwd, 'plan.json'), 'utf8').split('\n');
    const changes = lines.findIndex((l) => l.includes('"resource_changes"'));
    const entry = (address: string) => {
      const index = lines.findIndex((l, i) => i > changes && l.includes(`"address": "${address}"`));
      if (index < 0) throw new Error(`${address} has no resource_changes entry`);
      return { startLine: index + 1, startColumn: lines[index]!.indexOf('"address"') + 1 };
    };
    const findings = readJson(path.join(out, 'aigis-report.json')).findings as { ruleId: string; property?: string; resource: { arn: string; source?: { logicalId?: string } } }[];
    const sarif = readJson(path.join(out, 'aigis-report.sarif'));
    const checked = new Set<string>();
    let split = 0;
    for (const result of sarif.runs[0].results as (SarifResult & { locations: { physicalLocation: { region: { startColumn?: number } } }[] })[]) {
      const arn = result.locations[0]!.logicalLocations[0]!.fullyQualifiedName;
      const finding = findings.find((f) => f.ruleId === result.ruleId && f.resource.arn === arn)!;
      const address = finding.resource.source?.logicalId;
      // Account-wide findings and keys AWS creates name no resource of the plan.
      if (!address) continue;
      const declaredBy = DECLARED_BY[`${address} ${finding.property}`];
      if (declaredBy && lines.some((l) => l.includes(`"address": "${declaredBy}"`))) split++;
      const expected = entry(declaredBy ?? address);
      const location = result.locations[0]!.physicalLocation!;
      expect(location.artifactLocation.uri).toBe('plan.json');
      expect({ rule: result.ruleId, address, ...location.region }).toEqual({ rule: result.ruleId, address, ...expected });
      checked.add(address);
    }
    expect(split).toBeGreaterThanOrEqual(3);
    // Every kind of resource, a module's included, is located; none is left on line 1.
    expect([...checked]).toEqual(
      expect.arrayContaining(['aws_s3_bucket.scratch', 'aws_iam_role.training', 'aws_cloudtrail.app', 'aws_sagemaker_model.fraud', 'module.guardrails.aws_bedrock_guardrail.phi']),
    );
  });
});
