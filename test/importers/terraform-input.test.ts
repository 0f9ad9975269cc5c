/**
 * A Terraform plan comes from a pull request: a structurally wrong plan is an input error naming
 * the JSON path (exit 2, one line), nesting is limited, and reference following always ends.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/engine/errors.js';
import { TERRAFORM_PLAN_LIMITS, importTerraformPlanData } from '../../src/importers/iac/terraform-plan.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { FIXTURES } from './helpers.js';

interface Finding {
  ruleId: string;
  verdict: string;
  resource: { arn: string; source?: { logicalId?: string } };
}

async function scanText(text: string): Promise<{ code: number; stderr: string; findings: Finding[]; ms: number }> {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'plan.json'), text);
  const out = path.join(tempDir(), 'r.json');
  const started = performance.now();
  const run = await runCli(['scan', '--iac', 'plan.json', '--format', 'json', '-o', out], dir);
  const ms = performance.now() - started;
  const findings = run.code === 2 ? [] : (JSON.parse(readFileSync(out, 'utf8')).findings as Finding[]);
  return { code: run.code, stderr: run.stderr, findings, ms };
}

const scan = (plan: unknown) => scanText(JSON.stringify(plan));

/** Exit 2 with exactly one line that ends with `plan.json at <path>: <detail>`. */
function expectInputError(run: { code: number; stderr: string }, at: string, detail: string): void {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^aigis: error: [^\n]*\n$/);
  expect(run.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  expect(run.stderr.endsWith(`plan.json at ${at}: ${detail}\n`), run.stderr).toBe(true);
}

const plan = (extra: Record<string, unknown>) => ({ format_version: '1.2', ...extra });
const bucket = (address: string, values: Record<string, unknown> = { bucket: address.replace(/[^a-z0-9]+/g, '-') }) => ({
  address,
  mode: 'managed',
  type: 'aws_s3_bucket',
  name: address.split('.').pop(),
  values,
});

describe('Terraform plan shape', () => {
  const cases: [string, unknown, string, string][] = [
    ['planned_values is a string', plan({ planned_values: 'oops' }), '$.planned_values', 'must be an object, not "oops"'],
    ['root_module is a list', plan({ planned_values: { root_module: [] } }), '$.planned_values.root_module', 'must be an object, not an array'],
    ['resources is an object', plan({ planned_values: { root_module: { resources: {} } } }), '$.planned_values.root_module.resources', 'must be an array, not an object'],
    ['a resource is a number', plan({ planned_values: { root_module: { resources: [7] } } }), '$.planned_values.root_module.resources[0]', 'must be an object, not 7'],
    ['a resource without type', plan({ planned_values: { root_module: { resources: [{ address: 'x', name: 'x' }] } } }), '$.planned_values.root_module.resources[0]', 'resource needs address, type and name'],
    ['values is a string', plan({ planned_values: { root_module: { resources: [bucket('aws_s3_bucket.a', 'x' as never)] } } }), '$.planned_values.root_module.resources[0].values', 'must be an object, not "x"'],
    ['index is an object', plan({ planned_values: { root_module: { resources: [{ ...bucket('aws_s3_bucket.a'), index: {} }] } } }), '$.planned_values.root_module.resources[0].index', 'must be a number or a string, not an object'],
    ['child_modules is an object', plan({ planned_values: { root_module: { child_modules: {} } } }), '$.planned_values.root_module.child_modules', 'must be an array, not an object'],
    ['a child module is null', plan({ planned_values: { root_module: { child_modules: [null] } } }), '$.planned_values.root_module.child_modules[0]', 'must be an object, not null'],
    ['a child module address is a number', plan({ planned_values: { root_module: { child_modules: [{ address: 5 }] } } }), '$.planned_values.root_module.child_modules[0].address', 'must be a string, not 5'],
    ['resource_changes is an object', plan({ resource_changes: {} }), '$.resource_changes', 'must be an array, not an object'],
    ['a change without address', plan({ resource_changes: [{ change: {} }] }), '$.resource_changes[0].address', 'is missing (a string)'],
    ['a change is a list', plan({ resource_changes: [{ address: 'a', change: [] }] }), '$.resource_changes[0].change', 'must be an object, not an array'],
    ['after_unknown is a string', plan({ resource_changes: [{ address: 'a', change: { after_unknown: 'yes' } }] }), '$.resource_changes[0].change.after_unknown', 'must be an object or a boolean, not "yes"'],
    ['configuration is a list', plan({ planned_values: {}, configuration: [] }), '$.configuration', 'must be an object, not an array'],
    ['provider_config entry is a string', plan({ planned_values: {}, configuration: { provider_config: { aws: 'x' } } }), '$.configuration.provider_config.aws', 'must be an object, not "x"'],
    ['references is a string', plan({ planned_values: {}, configuration: { provider_config: { aws: { expressions: { region: { references: 'var.region' } } } } } }), '$.configuration.provider_config.aws.expressions.region.references', 'must be an array, not "var.region"'],
    ['module_calls is a list', plan({ planned_values: {}, configuration: { root_module: { module_calls: [] } } }), '$.configuration.root_module.module_calls', 'must be an object, not an array'],
    ['a module call module is a string', plan({ planned_values: {}, configuration: { root_module: { module_calls: { m: { module: 'x' } } } } }), '$.configuration.root_module.module_calls.m.module', 'must be an object, not "x"'],
    ['a module call source is a number', plan({ planned_values: {}, configuration: { root_module: { module_calls: { m: { source: 1 } } } } }), '$.configuration.root_module.module_calls.m.source', 'must be a string, not 1'],
    ['an argument reference is a number', plan({ planned_values: {}, configuration: { root_module: { module_calls: { m: { expressions: { key: { references: [1] } } } } } } }), '$.configuration.root_module.module_calls.m.expressions.key.references[0]', 'must be a string, not 1'],
    ['a configuration resource without name', plan({ planned_values: {}, configuration: { root_module: { resources: [{ type: 'aws_s3_bucket' }] } } }), '$.configuration.root_module.resources[0].name', 'is missing (a string)'],
    ['expressions is a list', plan({ planned_values: {}, configuration: { root_module: { resources: [{ type: 'aws_s3_bucket', name: 'b', expressions: [] }] } } }), '$.configuration.root_module.resources[0].expressions', 'must be an object, not an array'],
    ['an output is a string', plan({ planned_values: {}, configuration: { root_module: { outputs: { o: 'x' } } } }), '$.configuration.root_module.outputs.o', 'must be an object, not "x"'],
    ['variables entry is a number', plan({ planned_values: {}, variables: { region: 5 } }), '$.variables.region', 'must be an object, not 5'],
  ];
  for (const [name, data, at, detail] of cases) {
    it(`${name}: exit 2 naming ${at}`, async () => {
      expectInputError(await scan(data), at, detail);
    });
  }

  it('attribute values aigis reads must have the type AWS gives them', async () => {
    const notebook = { address: 'aws_sagemaker_notebook_instance.nb', mode: 'managed', type: 'aws_sagemaker_notebook_instance', name: 'nb', values: { name: 'nb', direct_internet_access: 'Sometimes' } };
    expectInputError(
      await scan(plan({ planned_values: { root_module: { resources: [notebook] } } })),
      '$.planned_values.root_module.resources[0].values.direct_internet_access',
      '"Sometimes" is not one of "Enabled", "Disabled"',
    );
    const role = { address: 'aws_iam_role.r', mode: 'managed', type: 'aws_iam_role', name: 'r', values: { name: 'r', assume_role_policy: '{"Statement": [' } };
    const run = await scan(plan({ planned_values: { root_module: { resources: [role] } } }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/plan\.json at \$\.planned_values\.root_module\.resources\[0\]\.values\.assume_role_policy: policy is not valid JSON: [^\n]*\n$/);
    const trail = { address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't', values: { name: 't', event_selector: [null] } };
    expectInputError(await scan(plan({ planned_values: { root_module: { resources: [trail] } } })), '$.planned_values.root_module.resources[0].values.event_selector[0]', 'must be a block (an object), not null');
  });

  it('absent optional sections are fine: a plan with no resources is an empty scan', async () => {
    for (const data of [plan({ planned_values: {} }), plan({ planned_values: { root_module: {} }, resource_changes: [], configuration: {} }), plan({ planned_values: null, resource_changes: [] })]) {
      const run = await scan(data);
      expect(run.code, JSON.stringify(data)).toBe(0);
      expect(run.findings.filter((f) => f.resource.source)).toEqual([]);
    }
  });

  it('a deposed object (create_before_destroy) does not hide what the new one leaves unknown', async () => {
    const data = plan({
      planned_values: { root_module: { resources: [{ address: 'aws_kms_key.k', mode: 'managed', type: 'aws_kms_key', name: 'k', values: { enable_key_rotation: false } }] } },
      resource_changes: [
        { address: 'aws_kms_key.k', change: { actions: ['create', 'delete'], after_unknown: { enable_key_rotation: true } } },
        { address: 'aws_kms_key.k', deposed: '00000001', change: { actions: ['delete'], after_unknown: {} } },
      ],
      configuration: { root_module: { resources: [{ address: 'aws_kms_key.k', mode: 'managed', type: 'aws_kms_key', name: 'k', expressions: { enable_key_rotation: { references: ['var.rotate'] } } }] } },
    });
    const run = await scan(data);
    expect(run.code).toBe(0);
    expect(run.findings.find((f) => f.ruleId === 'kms-key-rotation')?.verdict).toBe('unknown');
  });
});

describe('Terraform plan limits', () => {
  it('.tf files beside the plan: an oversized one is skipped, a pathological line costs no time', async () => {
    const resources = [bucket('aws_s3_bucket.big'), { ...bucket('aws_s3_bucket.odd'), address: 'aws_s3_bucket.odd' }];
    const dir = tempDir();
    const planText = JSON.stringify(plan({ planned_values: { root_module: { resources } } }));
    writeFileSync(path.join(dir, 'plan.json'), planText);
    // Over MAX_TF_FILE_BYTES: not read, the finding points at the resource's entry in the (one-line) plan.
    writeFileSync(path.join(dir, 'big.tf'), `resource "aws_s3_bucket" "big" {\n  bucket = "big"\n}\n${'#'.repeat(9 * 1024 * 1024)}\n`);
    // Under the limit, but a 4 MB line of heredoc markers, escaped quotes and balanced braces first.
    writeFileSync(path.join(dir, 'odd.tf'), `${'<< {} "a\\"b" '.repeat(300_000)}\n${'resource "aws_s3_bucket" "x'.repeat(100_000)}\nresource "aws_s3_bucket" "odd" {\n  bucket = "odd"\n}\n`);
    const out = path.join(tempDir(), 'r.json');
    const started = performance.now();
    const run = await runCli(['scan', '--iac', 'plan.json', '--format', 'json', '-o', out], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(performance.now() - started).toBeLessThan(10000);
    const findings = JSON.parse(readFileSync(out, 'utf8')).findings as { ruleId: string; resource: { source?: { file: string; logicalId?: string; line?: number } } }[];
    const source = (address: string) => findings.find((f) => f.ruleId === 's3-versioning' && f.resource.source?.logicalId === address)!.resource.source;
    const column = planText.indexOf('"address":"aws_s3_bucket.big"') + 1;
    expect(source('aws_s3_bucket.big')).toEqual({ file: 'plan.json', line: 1, column, logicalId: 'aws_s3_bucket.big' });
    expect(source('aws_s3_bucket.odd')).toMatchObject({ file: 'odd.tf', line: 3 });
  });

  const { moduleDepth, valueDepth } = TERRAFORM_PLAN_LIMITS;

  /** planned_values with `levels` nested child modules and a bucket without encryption at the bottom. */
  function nestedModules(levels: number) {
    const root: Record<string, unknown> = {};
    let current = root;
    let address = '';
    for (let i = 0; i < levels; i++) {
      address = `${address ? `${address}.` : ''}module.m${i}`;
      const child: Record<string, unknown> = { address };
      current.child_modules = [child];
      current = child;
    }
    current.resources = [bucket(`${address}.aws_s3_bucket.deep`, { bucket: 'deep-bucket', versioning: [{ enabled: false }] })];
    return plan({ planned_values: { root_module: root } });
  }

  it(`${moduleDepth + 1} nested child modules: an input error naming the outermost module of the chain`, async () => {
    const run = await scan(nestedModules(moduleDepth + 1));
    expectInputError(run, '$.planned_values.root_module.child_modules[0]', `modules are nested deeper than ${moduleDepth} levels inside (child_modules)`);
  });

  it('5,000 nested child modules: one input error line, not a stack overflow', async () => {
    // Built as text: the document is too deep for JSON.stringify's own recursion in a test worker.
    let text = '{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":"b-bucket"}}]}';
    for (let i = 4999; i >= 0; i--) text = `{"address":"module.m${i}","child_modules":[${text}]}`;
    const run = await scanText(`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[${text}]}}}`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^aigis: error: [^\n]*plan\.json at \$\.planned_values\.root_module\.child_modules\[0\][^\n]*: [^\n]*nested [^\n]*\n$/);
    expect(run.stderr).not.toMatch(/internal error|Maximum call stack/);
  });

  it(`${moduleDepth} nested child modules are read`, async () => {
    const run = await scan(nestedModules(moduleDepth));
    expect(run.code).toBe(0);
    const versioning = run.findings.find((f) => f.ruleId === 's3-versioning')!;
    expect(versioning.verdict).toBe('fail');
    expect(versioning.resource.source?.logicalId).toMatch(/^module\.m0\.module\.m1\..*\.module\.m99\.aws_s3_bucket\.deep$/);
  });

  it('5,000 nested module_calls: an input error naming the outermost call, not a stack overflow', () => {
    const root: Record<string, unknown> = {};
    let current = root;
    for (let i = 0; i < 5000; i++) {
      const module: Record<string, unknown> = {};
      current.module_calls = { m: { source: './m', module } };
      current = module;
    }
    let error: unknown;
    try {
      importTerraformPlanData(plan({ planned_values: {}, configuration: { root_module: root } }), 'plan.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`plan.json at $.configuration.root_module.module_calls.m: modules are nested deeper than ${moduleDepth} levels inside (module_calls)`);
  });

  it(`a value nested deeper than ${valueDepth} levels: an input error naming the value`, async () => {
    const deep = (levels: number) => JSON.stringify(plan({ planned_values: { root_module: { resources: [bucket('aws_s3_bucket.b', { bucket: 'b-bucket', tags: '@' })] } } })).replace('"@"', `${'['.repeat(levels)}${']'.repeat(levels)}`);
    expectInputError(await scanText(deep(valueDepth + 20)), '$.planned_values.root_module.resources[0].values.tags', `is nested deeper than ${valueDepth} levels inside`);
    const veryDeep = await scanText(deep(100000));
    expect(veryDeep.code).toBe(2);
    expect(veryDeep.stderr).toMatch(/^aigis: error: [^\n]*plan\.json at \$\.planned_values\.root_module\.resources\[0\]\.values\.tags\[0\][^\n]*: [^\n]*nested[^\n]*\n$/);
    expect(veryDeep.stderr).not.toMatch(/internal error|Maximum call stack/);
  });

  it('a module argument that refers to its own module output ends, and leaves the key unknown', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'plan.json'), readFileSync(path.join(FIXTURES, 'terraform', 'limits', 'reference-cycle.tfjson')));
    const out = path.join(tempDir(), 'r.json');
    const run = await runCli(['scan', '--iac', 'plan.json', '--format', 'json', '-o', out], dir);
    expect(run.code).toBe(0);
    const findings = JSON.parse(readFileSync(out, 'utf8')).findings as Finding[];
    const sse = findings.find((f) => f.ruleId === 's3-sse-kms-cmk' && f.resource.arn === 'arn:aws:s3:::cycle-archive')!;
    expect(sse.verdict).toBe('unknown');
  });

  it('100,000 references in one expression, and reference chains through 60 modules with cycles, finish quickly', async () => {
    // Every module passes var.key on to its child; the bucket at the bottom uses it.
    const root: Record<string, unknown> = {};
    let config = root;
    const planned: Record<string, unknown> = {};
    let current = planned;
    let address = '';
    // 60 levels: a configuration nested deeper would pass the reader's JSON depth limit first.
    for (let i = 0; i < 60; i++) {
      address = `${address ? `${address}.` : ''}module.m`;
      const module: Record<string, unknown> = {};
      const references = i === 0 ? [...Array.from({ length: 100000 }, (_, j) => `aws_kms_key.k${j}.arn`), 'aws_kms_key.real.arn'] : ['var.key', 'module.m.echo', 'var.key'];
      config.module_calls = { m: { source: './m', expressions: { key: { references } }, module } };
      module.outputs = { echo: { expression: { references: ['var.key', 'module.m.echo'] } } };
      config = module;
      const child: Record<string, unknown> = { address };
      current.child_modules = [child];
      current = child;
    }
    config.resources = [{ address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', expressions: { server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: { references: ['var.key'] } }] }] }] } }];
    current.resources = [bucket(`${address}.aws_s3_bucket.b`, { bucket: 'chained', server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }] }] }] })];
    (planned as { resources?: unknown[] }).resources = [{ address: 'aws_kms_key.real', mode: 'managed', type: 'aws_kms_key', name: 'real', values: { enable_key_rotation: true } }];
    const data = plan({
      planned_values: { root_module: planned },
      resource_changes: [{ address: `${address}.aws_s3_bucket.b`, change: { after_unknown: { server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] }] } } }],
      configuration: { root_module: root },
    });
    const run = await scan(data);
    expect(run.code).toBe(0);
    expect(run.ms).toBeLessThan(10000);
    // Past the reference budget the key is unknown, never a guess.
    expect(run.findings.find((f) => f.ruleId === 's3-sse-kms-cmk' && f.resource.arn === 'arn:aws:s3:::chained')?.verdict).toBe('unknown');
  });
});
