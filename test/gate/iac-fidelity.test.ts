/**
 * IaC as CloudFormation and Terraform really behave (issue "IaC fidelity"), through the CLI:
 * templates that reuse logical ids keep every resource, explicit names that collide are reported,
 * indented / BOM / UTF-16 inputs are read, and an invalid template among valid ones is reported
 * where it is wrong while the others are still scanned, and the run fails.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/engine/paths.js';
import { readJson, runCli, tempDir } from './helpers.js';

const FIDELITY = path.join(packageRoot(), 'fixtures', 'iac-fidelity');

interface ReportFinding {
  ruleId: string;
  verdict: string;
  message: string;
  fingerprint: string;
  resource: { arn: string; source?: { file?: string; logicalId?: string } };
}

interface Report {
  inputs: string[];
  findings: ReportFinding[];
  coverage: { collectionErrors: { service: string; operation: string; resource?: string; errorCode: string; message?: string }[] };
}

/** A copy of a fixture folder as the working directory (paths in reports are relative to it). */
function checkout(folder: string): string {
  const dir = tempDir();
  cpSync(path.join(FIDELITY, folder), dir, { recursive: true });
  return dir;
}

async function scanJson(args: string[], cwd: string): Promise<{ code: number; stderr: string; report: Report }> {
  const out = path.join(tempDir(), 'report.json');
  const run = await runCli(['scan', ...args, '--format', 'json', '--passed', 'full', '-o', out], { cwd });
  return { code: run.code, stderr: run.stderr, report: existsSync(out) ? (readJson(out) as Report) : (undefined as unknown as Report) };
}

const key = (f: ReportFinding) => `${f.ruleId} ${f.resource.arn} ${f.verdict} ${f.message}`;

describe('templates that reuse logical ids', () => {
  it('keep both unnamed roles and buckets: the admin role fails instead of vanishing', async () => {
    const cwd = checkout('reuse-ids');
    const { code, report } = await scanJson(['--iac', '.', '--fail-on', 'high'], cwd);
    expect(code).toBe(1);
    const admin = report.findings.filter((f) => f.ruleId === 'iam-no-full-admin');
    expect(admin.map((f) => [f.resource.source?.file, f.verdict]).sort()).toEqual([
      ['ml/template.yaml', 'pass'],
      ['network/template.yaml', 'fail'],
    ]);
    const roles = new Set(admin.map((f) => f.resource.arn));
    expect(roles.size).toBe(2);
    for (const arn of roles) expect(arn).toMatch(/^arn:aws:iam::123456789012:role\/template-Role-[A-Z0-9]{12}$/);
    const encryption = report.findings.filter((f) => f.ruleId === 's3-sse-kms-cmk');
    expect(encryption.map((f) => [f.resource.source?.file, f.verdict]).sort()).toEqual([
      ['ml/template.yaml', 'pass'],
      ['network/template.yaml', 'fail'],
    ]);
    expect(report.coverage.collectionErrors.filter((e) => e.errorCode === 'PhysicalNameConflict')).toEqual([]);
  });

  it('gives the same findings, byte for byte, as scanning each template alone', async () => {
    const cwd = checkout('reuse-ids');
    const together = (await scanJson(['--iac', '.'], cwd)).report;
    const alone = [
      ...(await scanJson(['--iac', 'network/template.yaml'], cwd)).report.findings,
      ...(await scanJson(['--iac', 'ml/template.yaml'], cwd)).report.findings,
    ];
    // Per-resource findings are the same; account-level ones (one per scan) are compared apart.
    const perResource = (list: ReportFinding[]) => list.filter((f) => f.resource.source?.file).map(key).sort();
    expect(perResource(together.findings)).toEqual(perResource(alone));
    // And fingerprints are stable across runs and across where the folder is checked out.
    const again = (await scanJson(['--iac', '.'], checkout('reuse-ids'))).report;
    expect(again.findings.map((f) => f.fingerprint)).toEqual(together.findings.map((f) => f.fingerprint));
  });
});

describe('explicitly named resources that collide', () => {
  it('keeps both declarations, judges each, and reports the conflict', async () => {
    const cwd = checkout('named-conflict');
    const { code, stderr, report } = await scanJson(['--iac', '.'], cwd);
    expect(code).toBe(0);
    const encryption = report.findings.filter((f) => f.ruleId === 's3-sse-kms-cmk' && f.resource.arn === 'arn:aws:s3:::shared-training-data');
    expect(encryption.map((f) => [f.resource.source?.file, f.verdict]).sort()).toEqual([
      ['analytics.yaml', 'fail'],
      ['training.yaml', 'pass'],
    ]);
    expect(new Set(encryption.map((f) => f.fingerprint)).size).toBe(2);
    const conflicts = report.coverage.collectionErrors.filter((e) => e.errorCode === 'PhysicalNameConflict');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.resource).toBe('arn:aws:s3:::shared-training-data');
    expect(conflicts[0]!.message).toContain('analytics.yaml (Exports');
    expect(conflicts[0]!.message).toContain('training.yaml (TrainingData');
    expect(stderr).toContain('PhysicalNameConflict');
  });
});

describe('one invalid template among valid ones', () => {
  it('is reported at the place of the error; the others are scanned and reported; the run exits 2', async () => {
    const cwd = checkout('invalid-among-valid');
    const { code, stderr, report } = await scanJson(['--iac', '.'], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'aigis: error: b-broken.yaml at $.Resources.Archive.Properties.VersioningConfiguration["Fn::If"][0]: condition "cCondition" is used but not defined in Conditions (not scanned)',
    );
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(report.inputs).toEqual(['a-logs.yaml', 'c-trail.yaml']);
    expect(report.findings.some((f) => f.resource.arn === 'arn:aws:s3:::fidelity-logs')).toBe(true);
    // The indented template was recognised and read.
    expect(report.findings.some((f) => f.resource.arn.endsWith(':trail/fidelity-trail'))).toBe(true);
    expect(report.coverage.collectionErrors).toContainEqual(
      expect.objectContaining({ service: 'cloudformation', resource: 'b-broken.yaml', errorCode: 'InvalidInput' }),
    );
  });

  it('given alone, it is an input error with no report', async () => {
    const cwd = checkout('invalid-among-valid');
    const { code, stderr, report } = await scanJson(['--iac', 'b-broken.yaml'], cwd);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(report).toBeUndefined();
  });
});

describe('encodings', () => {
  it('reads templates with a UTF-8 BOM and plans in UTF-16 (PowerShell `>`) in a directory scan', async () => {
    const cwd = tempDir();
    const template = readFileSync(path.join(FIDELITY, 'invalid-among-valid', 'a-logs.yaml'), 'utf8');
    writeFileSync(path.join(cwd, 'bom.yaml'), `\uFEFF${template}`);
    const plan = readFileSync(path.join(packageRoot(), 'fixtures', 'gate', 'repo', 'infra', 'terraform', 'plan.json'), 'utf8');
    writeFileSync(path.join(cwd, 'plan-le.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plan, 'utf16le')]));
    const { code, stderr, report } = await scanJson(['--iac', '.'], cwd);
    expect(stderr).not.toContain('error');
    expect(code).toBe(0);
    expect(report.inputs).toEqual(['bom.yaml', 'plan-le.json']);
    expect(report.findings.some((f) => f.resource.arn === 'arn:aws:s3:::fidelity-logs')).toBe(true);
    expect(report.findings.some((f) => f.resource.source?.file === 'plan-le.json' || f.resource.source?.file?.endsWith('.tf'))).toBe(true);
  });
});

describe('verdicts that follow what AWS does with a template', () => {
  it('rotation on an asymmetric key is not applicable; a bucket without PublicAccessBlockConfiguration gets S3\'s default', async () => {
    const cwd = tempDir();
    writeFileSync(
      path.join(cwd, 't.yaml'),
      [
        'Resources:',
        '  Signing:',
        '    Type: AWS::KMS::Key',
        '    Properties:',
        '      KeySpec: RSA_2048',
        '      KeyUsage: SIGN_VERIFY',
        '      EnableKeyRotation: true',
        '  Data:',
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        '      BucketName: fidelity-defaults',
        '  Weakened:',
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        '      BucketName: fidelity-weakened',
        '      PublicAccessBlockConfiguration:',
        '        BlockPublicAcls: true',
        '        IgnorePublicAcls: true',
        '        BlockPublicPolicy: false',
        '        RestrictPublicBuckets: true',
        '',
      ].join('\n'),
    );
    const { report } = await scanJson(['--iac', 't.yaml', '--rules', 'kms-key-rotation,s3-block-public-access'], cwd);
    const rotation = report.findings.find((f) => f.ruleId === 'kms-key-rotation' && f.resource.source?.logicalId === 'Signing')!;
    expect(rotation.verdict).toBe('not_applicable');
    expect(rotation.message).toContain('RSA_2048');
    const block = (arn: string) => report.findings.find((f) => f.ruleId === 's3-block-public-access' && f.resource.arn === arn)!;
    expect(block('arn:aws:s3:::fidelity-defaults').verdict).toBe('pass');
    expect(block('arn:aws:s3:::fidelity-defaults').message).toContain('S3 applies its default for new buckets');
    // An explicit false weakens it: only the account-level block (not in a template) could still save it,
    // so it fails unless config `assume.accountPublicAccessBlock` records that block.
    expect(block('arn:aws:s3:::fidelity-weakened').verdict).toBe('fail');
    expect(block('arn:aws:s3:::fidelity-weakened').message).toContain('BlockPublicPolicy');
  });
});
