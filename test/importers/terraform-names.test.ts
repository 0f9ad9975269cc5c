/**
 * Resources named only at apply (or never named) get a physical name unique to their plan and
 * full address, as Terraform makes one unique per state, so that two modules' `aws_iam_role.this`
 * or two plans' `aws_iam_role.role` are different resources and neither hides the other.
 */
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTerraformPlan, importTerraformPlanData } from '../../src/importers/iac/index.js';
import type { InventoryInput } from '../../src/inventory/schema.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { FIXTURES } from './helpers.js';

const NAMES = path.join(FIXTURES, 'terraform', 'names');

interface Finding {
  ruleId: string;
  verdict: string;
  fingerprint: string;
  resource: { arn: string; name?: string; source?: { logicalId?: string } };
}

async function scan(args: string[], cwd: string): Promise<{ code: number; findings: Finding[]; inputs: string[] }> {
  const out = path.join(tempDir(), 'r.json');
  const run = await runCli(['scan', '--iac', ...args, '--format', 'json', '--passed', 'full', '-o', out], cwd);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  return { code: run.code, findings: report.findings as Finding[], inputs: report.inputs as string[] };
}

const byAddress = (findings: Finding[], ruleId: string) =>
  Object.fromEntries(findings.filter((f) => f.ruleId === ruleId && f.resource.source?.logicalId).map((f) => [f.resource.source!.logicalId!, f]));

const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

describe('names of Terraform resources known only after apply', () => {
  it('two module instances that both declare an unnamed aws_iam_role.this are two roles', async () => {
    const { findings } = await scan(['unnamed-modules.tfjson'], NAMES);
    const admin = byAddress(findings, 'iam-no-full-admin');
    const analytics = admin['module.analytics.aws_iam_role.this']!;
    const reporting = admin['module.reporting.aws_iam_role.this']!;
    // The admin role is reported, the scoped one passes: neither replaced the other.
    expect(analytics.verdict).toBe('fail');
    expect(reporting.verdict).toBe('pass');
    expect(analytics.resource.arn).not.toBe(reporting.resource.arn);
    expect(analytics.resource.name).toMatch(/^terraform-module-analytics-aws_iam_role-this-[0-9a-f]{12}$/);
    expect(reporting.resource.name).toMatch(/^terraform-module-reporting-aws_iam_role-this-[0-9a-f]{12}$/);
    const versioning = byAddress(findings, 's3-versioning');
    const buckets = ['module.analytics.aws_s3_bucket.this', 'module.reporting.aws_s3_bucket.this'].map((a) => versioning[a]!.resource);
    expect(new Set(buckets.map((b) => b.arn)).size).toBe(2);
  });

  it('synthesized names follow AWS naming rules and keep name_prefix / bucket_prefix', () => {
    const file = path.join(NAMES, 'unnamed-modules.tfjson');
    const inventory = importTerraformPlan(readFileSync(file, 'utf8'), file, { sourceId: 'infra/plan.json' });
    const roles = Object.fromEntries(inventory.iam!.roles!.map((r) => [r.source!.logicalId!, r]));
    for (const role of Object.values(roles)) {
      expect(role.name, role.source?.logicalId).toMatch(IAM_NAME);
      expect(role.arn).toBe(`arn:aws:iam::123456789012:role/${role.name}`);
      expect(role.unresolved).toContain('RoleName');
    }
    expect(roles['aws_iam_role.prefixed']!.name).toMatch(/^worker-[0-9a-f]{12}$/);
    // A long for_each key: the end of the address is kept, the name stays within 64 characters.
    const long = roles['aws_iam_role.team["data-science-platform-feature-store-offline-ingestion-workers-eu-central"]']!;
    expect(long.name).toMatch(/^terraform-[\w-]*-eu-central-[0-9a-f]{12}$/);
    expect(long.name!.length).toBeLessThanOrEqual(64);
    const buckets = Object.fromEntries(inventory.s3!.buckets.map((b) => [b.source!.logicalId!, b]));
    for (const bucket of Object.values(buckets)) {
      expect(bucket.name, bucket.source?.logicalId).toMatch(BUCKET_NAME);
      expect(bucket.unresolved).toContain('BucketName');
    }
    expect(buckets['aws_s3_bucket.staging']!.name).toMatch(/^staging-[0-9a-f]{12}$/);
    expect(buckets['module.analytics.aws_s3_bucket.this']!.name).toMatch(/^terraform-module-analytics-aws-s3-bucket-this-[0-9a-f]{12}$/);
  });

  it('every synthesized name passes its service\'s naming rule, whatever the address', () => {
    const rules: [string, string, (inventory: InventoryInput) => { name?: string }[], RegExp][] = [
      ['aws_s3_bucket', 'bucket', (i) => i.s3!.buckets, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/],
      ['aws_iam_role', 'name', (i) => i.iam!.roles!, /^[\w+=,.@-]{1,64}$/],
      ['aws_iam_user', 'name', (i) => i.iam!.users!, /^[\w+=,.@-]{1,64}$/],
      ['aws_iam_group', 'name', (i) => i.iam!.groups!, /^[\w+=,.@-]{1,64}$/],
      ['aws_iam_policy', 'name', (i) => i.iam!.policies!, /^[\w+=,.@-]{1,128}$/],
      ['aws_cloudtrail', 'name', (i) => i.cloudtrail!.trails!, /^(?!.*[._-]{2})[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/],
      ['aws_sagemaker_notebook_instance', 'name', (i) => i.sagemaker!.notebookInstances!, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/],
      ['aws_sagemaker_model', 'name', (i) => i.sagemaker!.models!, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/],
      ['aws_sagemaker_endpoint_configuration', 'name', (i) => i.sagemaker!.endpointConfigs!, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/],
      ['aws_sagemaker_domain', 'domain_name', (i) => i.sagemaker!.domains!, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/],
      ['aws_bedrock_guardrail', 'name', (i) => i.bedrock!.guardrails!, /^[0-9a-zA-Z_-]{1,50}$/],
      ['aws_bedrockagent_agent', 'agent_name', (i) => i.bedrock!.agents!, /^([0-9a-zA-Z][_-]?){1,100}$/],
      ['aws_bedrock_custom_model', 'custom_model_name', (i) => i.bedrock!.customModels!, /^([0-9a-zA-Z][_-]?){1,63}$/],
      ['aws_accessanalyzer_analyzer', 'analyzer_name', (i) => i.accessAnalyzer!.analyzers!, /^[A-Za-z][A-Za-z0-9_.-]{0,254}$/],
    ];
    const keys = ['a', 'Team_-Data..Science', '"quoted" key/with spaces', 'Ünïcödé-ключ-鍵', `${'x_-'.repeat(60)}end`, '_', '--'];
    for (const [type, attribute, list, rule] of rules) {
      const resources = keys.map((key, i) => ({ address: `module.m_-x["${key}"].${type}.t_${i}_`, mode: 'managed', type, name: `t_${i}_`, index: key, values: {} }));
      const changes = resources.map((r) => ({ address: r.address, change: { actions: ['create'], after_unknown: { [attribute]: true } } }));
      const data = { format_version: '1.2', planned_values: { root_module: { child_modules: [{ address: 'module.m_-x["k"]', resources }] } }, resource_changes: changes };
      const inventory = importTerraformPlanData(data, 'plan.json', { sourceId: 'infra/plan.json' });
      const names = list(inventory).map((r) => r.name!);
      expect(names, type).toHaveLength(keys.length);
      expect(new Set(names).size, type).toBe(keys.length);
      for (const name of names) expect(name, type).toMatch(rule);
    }
  });

  it('two plans in one directory that both declare an unnamed aws_iam_role.role are two roles', async () => {
    const dir = tempDir();
    for (const name of ['batch', 'serving']) {
      mkdirSync(path.join(dir, 'infra', name), { recursive: true });
      cpSync(path.join(NAMES, 'two-plans', `${name}.tfjson`), path.join(dir, 'infra', name, 'plan.json'));
    }
    const { findings, inputs } = await scan(['infra'], dir);
    expect(inputs).toEqual(['infra/batch/plan.json', 'infra/serving/plan.json']);
    const admin = findings.filter((f) => f.ruleId === 'iam-no-full-admin' && f.resource.source?.logicalId === 'aws_iam_role.role');
    expect(admin.map((f) => f.verdict).sort()).toEqual(['fail', 'pass']);
    expect(new Set(admin.map((f) => f.resource.arn)).size).toBe(2);
  });

  it('the same plan imported twice gives the same names, ids and fingerprints', async () => {
    const first = await scan(['unnamed-modules.tfjson'], NAMES);
    const second = await scan(['unnamed-modules.tfjson'], NAMES);
    expect(second.findings.map((f) => [f.resource.arn, f.fingerprint])).toEqual(first.findings.map((f) => [f.resource.arn, f.fingerprint]));
    const file = path.join(FIXTURES, 'terraform', 'formats', 'v0.2.tfjson');
    const text = readFileSync(file, 'utf8');
    const a = importTerraformPlan(text, file, { sourceId: 'a/plan.json' });
    expect(importTerraformPlan(text, file, { sourceId: 'a/plan.json' })).toEqual(a);
    // Another plan with the same content: its own role name and its own synthesized key id.
    const b = importTerraformPlan(text, file, { sourceId: 'b/plan.json' });
    expect(b.iam!.roles![0]!.arn).not.toBe(a.iam!.roles![0]!.arn);
    const customerKey = (i: typeof a) => i.kms!.keys!.find((k) => k.keyManager === 'CUSTOMER')!.keyId;
    expect(customerKey(b)).not.toBe(customerKey(a));
    // Explicit names stay as written.
    expect(b.s3!.buckets.map((x) => x.name)).toEqual(['research-corpus-archive']);
    expect(b.sagemaker!.notebookInstances!.map((x) => x.name)).toEqual(['corpus-lab']);
  });
});
