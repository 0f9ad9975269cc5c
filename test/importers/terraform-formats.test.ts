/**
 * Every plan format Terraform has written since 0.12 is read, with the same verdicts: 0.1
 * (Terraform 0.12-1.0.0, references name only the resource), 0.2 (1.0.1-1.0.11), 1.0 (1.1),
 * 1.1 (1.2-1.4), 1.2 (1.5 and later) and later 1.x minors. Other format versions are refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTerraformPlan } from '../../src/importers/iac/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { FIXTURES } from './helpers.js';

const FORMATS = path.join(FIXTURES, 'terraform', 'formats');

interface Finding {
  ruleId: string;
  verdict: string;
  message: string;
  resource: { arn: string; source?: { logicalId?: string } };
}

async function scanPlan(file: string, cwd: string): Promise<{ code: number; stderr: string; findings: Finding[] }> {
  const out = path.join(tempDir(), 'r.json');
  const run = await runCli(['scan', '--iac', file, '--format', 'json', '--passed', 'full', '-o', out], cwd);
  const findings = run.code === 2 ? [] : (JSON.parse(readFileSync(out, 'utf8')).findings as Finding[]);
  return { code: run.code, stderr: run.stderr, findings };
}

/** Verdicts by rule and Terraform address: synthesized names differ per plan file, addresses do not. */
function verdicts(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.resource.source?.logicalId ?? '-'} ${f.verdict}`).sort();
}

/** The 0.2 fixture as a newer Terraform writes it: same content, newer format and its added fields. */
function newerFormat(version: string): string {
  const plan = JSON.parse(readFileSync(path.join(FORMATS, 'v0.2.tfjson'), 'utf8'));
  plan.format_version = version;
  plan.terraform_version = '1.9.8';
  plan.relevant_attributes = [{ resource: 'aws_kms_key.corpus', attribute: ['arn'] }];
  plan.checks = [];
  plan.timestamp = '2025-03-14T09:26:53Z';
  plan.applyable = true;
  plan.complete = true;
  plan.errored = false;
  plan.configuration.provider_config.aws.full_name = 'registry.terraform.io/hashicorp/aws';
  for (const change of plan.resource_changes) change.change.importing = null;
  const dir = tempDir();
  writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
  return dir;
}

describe('Terraform plan format versions', () => {
  it('reads format 0.1 (Terraform 0.12-1.0.0): references without attribute resolve to the right resource', async () => {
    const { code, findings } = await scanPlan('v0.1.tfjson', FORMATS);
    expect(code).toBe(0);
    const v = verdicts(findings);
    // The bucket's key is `aws_kms_key.corpus` (0.1 has no `.arn`): it is the plan's customer managed key.
    expect(v).toContain('s3-sse-kms-cmk aws_s3_bucket.corpus pass');
    expect(v).toContain('sagemaker-kms-encryption aws_sagemaker_notebook_instance.lab pass');
    expect(v).toContain('kms-key-rotation aws_kms_key.corpus fail');
    expect(v).toContain('s3-block-public-access aws_s3_bucket.corpus pass');
    // The inline policy reaches its role (named only at apply) through `role = aws_iam_role.pipeline`.
    expect(v).toContain('iam-no-full-admin aws_iam_role.pipeline fail');
    expect(v).toContain('cloudtrail-log-file-validation module.audit.aws_cloudtrail.this pass');
  });

  it('an ..._arn argument takes the ARN of a reference without attribute, others the id', () => {
    for (const name of ['v0.1.tfjson', 'v0.2.tfjson']) {
      const file = path.join(FORMATS, name);
      const inventory = importTerraformPlan(readFileSync(file, 'utf8'), file);
      const role = inventory.iam!.roles![0]!;
      const key = inventory.kms!.keys!.find((k) => k.keyManager === 'CUSTOMER')!;
      const notebook = inventory.sagemaker!.notebookInstances![0]!;
      expect(notebook.roleArn, name).toBe(role.arn);
      expect([key.keyId, key.arn], name).toContain(notebook.kmsKeyId);
      // The trail's key comes in through the module argument var.key_arn.
      expect([key.keyId, key.arn], name).toContain(inventory.cloudtrail!.trails![0]!.kmsKeyId);
    }
  });

  it('gives the same verdicts for formats 0.1, 0.2, 1.0, 1.1, 1.2 and a later 1.x', async () => {
    const reference = verdicts((await scanPlan('v0.1.tfjson', FORMATS)).findings);
    expect(reference.length).toBeGreaterThan(20);
    const v02 = await scanPlan('v0.2.tfjson', FORMATS);
    expect(v02.code).toBe(0);
    expect(verdicts(v02.findings)).toEqual(reference);
    for (const version of ['1.0', '1.1', '1.2', '1.9']) {
      const run = await scanPlan('plan.json', newerFormat(version));
      expect(run.code, version).toBe(0);
      expect(verdicts(run.findings), version).toEqual(reference);
    }
  });

  const refused: [string, string][] = [
    ['2.0', 'unsupported plan format_version "2.0" (aigis reads 0.1 to 1.x: terraform show -json of Terraform 0.12 and later)'],
    ['10.1', 'unsupported plan format_version "10.1" (aigis reads 0.1 to 1.x: terraform show -json of Terraform 0.12 and later)'],
    ['0.0', 'unsupported plan format_version "0.0" (aigis reads 0.1 to 1.x: terraform show -json of Terraform 0.12 and later)'],
    ['1.2-beta', '"1.2-beta" is not a plan format version (digits and dots, e.g. "1.2")'],
    ['v1.2', '"v1.2" is not a plan format version (digits and dots, e.g. "1.2")'],
    ['', '"" is not a plan format version (digits and dots, e.g. "1.2")'],
    ['1..2', '"1..2" is not a plan format version (digits and dots, e.g. "1.2")'],
    [`1.${'9'.repeat(5000)}`, `"1.${'9'.repeat(38)}..." is not a plan format version (digits and dots, e.g. "1.2")`],
  ];
  for (const [version, detail] of refused) {
    it(`refuses format_version ${JSON.stringify(version.slice(0, 12))} in one line`, async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ format_version: version, planned_values: { root_module: {} } }));
      const run = await scanPlan('plan.json', dir);
      expect(run.code).toBe(2);
      // One line, the file (as the CLI names it) and the JSON path: no stack, no "internal error".
      expect(run.stderr).toMatch(/^aigis: error: [^\n]*\n$/);
      expect(run.stderr.endsWith(`plan.json at $.format_version: ${detail}\n`)).toBe(true);
    });
  }
});
