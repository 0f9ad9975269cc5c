/**
 * Fuzz of the Terraform plan importer: 10,000 plan-like documents, half built from scratch with
 * random shapes at every level (hostile strings, wrong types, module chains and values nested up
 * to and past the limits, reference cycles), half mutations of the real fixture plans (so the
 * mapping of every resource type is reached with broken values). Each goes the way `scan --iac`
 * takes it: JSON text, the importer, the inventory schema. The only error allowed is an
 * InputError from the importer (one line naming the file and a path in the plan); a plan it
 * accepts must make a valid inventory. Every case must finish within 2 s (a catastrophic bound
 * only). Seeded, so a failure replays (AIGIS_FUZZ_SEED=n explores others).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/prng.js';
import { InputError } from '../../src/engine/errors.js';
import { TERRAFORM_PLAN_LIMITS, importTerraformPlanData } from '../../src/importers/iac/terraform-plan.js';
import { parseInventory } from '../../src/inventory/load.js';
import { FIXTURES } from './helpers.js';

const TYPES = [
  'aws_s3_bucket',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_object_lock_configuration',
  'aws_s3_account_public_access_block',
  'aws_kms_key',
  'aws_kms_alias',
  'aws_cloudtrail',
  'aws_cloudwatch_log_group',
  'aws_iam_role',
  'aws_iam_user',
  'aws_iam_group',
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_policy_attachment',
  'aws_iam_user_group_membership',
  'aws_iam_group_membership',
  'aws_iam_user_login_profile',
  'aws_sagemaker_notebook_instance',
  'aws_sagemaker_model',
  'aws_sagemaker_endpoint_configuration',
  'aws_sagemaker_domain',
  'aws_bedrock_guardrail',
  'aws_bedrockagent_agent',
  'aws_bedrock_custom_model',
  'aws_bedrock_model_invocation_logging_configuration',
  'aws_vpc_endpoint',
  'aws_accessanalyzer_analyzer',
  'aws_guardduty_detector',
  'aws_config_configuration_recorder',
  'aws_securityhub_account',
  'aws_macie2_account',
  'aws_macie2_classification_job',
  'aws_inspector2_enabler',
  'aws_sns_topic',
  'null_resource',
];

/** Attribute names the importer reads (and a few it does not). */
const ATTRIBUTES = [
  's3_job_definition', 'bucket_definitions', 'buckets', 'account_id', 'job_type', 'job_status', 'bucket_criteria', 'account_ids', 'resource_types',
  'bucket', 'bucket_prefix', 'name', 'name_prefix', 'arn', 'id', 'key_id', 'policy', 'region', 'tags', 'path',
  'server_side_encryption_configuration', 'rule', 'apply_server_side_encryption_by_default', 'sse_algorithm', 'kms_master_key_id', 'bucket_key_enabled',
  'versioning', 'versioning_configuration', 'status', 'enabled', 'mfa_delete', 'logging', 'target_bucket', 'target_prefix', 'object_lock_enabled',
  'object_lock_configuration', 'default_retention', 'mode', 'days', 'years', 'object_ownership',
  'block_public_acls', 'ignore_public_acls', 'block_public_policy', 'restrict_public_buckets',
  'is_enabled', 'enable_key_rotation', 'customer_master_key_spec', 'key_usage', 'description', 'target_key_id',
  'is_multi_region_trail', 'is_organization_trail', 'enable_logging', 'enable_log_file_validation', 'kms_key_id', 's3_bucket_name',
  'cloud_watch_logs_group_arn', 'event_selector', 'read_write_type', 'include_management_events', 'data_resource', 'type', 'values',
  'exclude_management_event_sources', 'advanced_event_selector', 'field_selector', 'field', 'equals', 'not_equals', 'starts_with',
  'inline_policy', 'managed_policy_arns', 'permissions_boundary', 'assume_role_policy', 'max_session_duration', 'role', 'user', 'group',
  'groups', 'users', 'roles', 'policy_arn', 'direct_internet_access', 'subnet_id', 'security_groups', 'root_access', 'role_arn',
  'instance_type', 'enable_network_isolation', 'vpc_config', 'subnets', 'security_group_ids', 'execution_role_arn', 'primary_container',
  'container', 'image', 'kms_key_arn', 'data_capture_config', 'enable_capture', 'production_variants', 'variant_name', 'model_name',
  'app_network_access_type', 'vpc_id', 'subnet_ids', 'auth_mode', 'domain_name', 'guardrail_id', 'guardrail_arn', 'content_policy_config',
  'filters_config', 'input_strength', 'output_strength', 'sensitive_information_policy_config', 'pii_entities_config', 'action',
  'regexes_config', 'pattern', 'topic_policy_config', 'topics_config', 'word_policy_config', 'words_config', 'text',
  'managed_word_lists_config', 'contextual_grounding_policy_config', 'threshold', 'agent_name', 'agent_id', 'agent_arn',
  'agent_resource_role_arn', 'foundation_model', 'customer_encryption_key_arn', 'guardrail_configuration', 'guardrail_identifier',
  'guardrail_version', 'custom_model_name', 'custom_model_arn', 'base_model_identifier', 'custom_model_kms_key_id', 'customization_type',
  'logging_config', 'text_data_delivery_enabled', 's3_config', 'bucket_name', 'key_prefix', 'cloudwatch_config', 'log_group_name',
  'service_name', 'vpc_endpoint_type', 'private_dns_enabled', 'analyzer_name', 'enable', 'recording_group', 'all_supported',
  '__proto__', 'constructor', 'toString', '',
];

const NAMES = ['a', 'b', 'this', 'main'];
const MODULES = ['m', 'n', 'team'];
const ADMIN = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
const TRUST = '{"Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

const SPECIAL_STRINGS = [
  '', ' ', '\u0000', '\u001b[2J\u001b]0;title\u0007', '\r\n::error::forged', '\uFEFF', '\uD800', '%7B%22', '${aws_kms_key.a.arn}',
  'arn:aws:kms:us-east-1:123456789012:key/1234', 'alias/aws/s3', 'aws:kms', 'AES256', 'Enabled', 'Disabled', 'VpcOnly', 'Gateway',
  'module.', 'module.m[', 'module.m["x.module.y"]', 'var.', 'var.constructor', 'aws_kms_key.a.constructor', '__proto__', 'a'.repeat(3000),
  '.'.repeat(500), 'module.a'.repeat(200), '[' .repeat(300), ADMIN, TRUST, '{"Statement":', '{}', '[]', '1.2', '0.1', '2.0',
];

// ------------------------------------------------------------ generators

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);
const moduleAddress = fc.array(fc.tuple(fc.constantFrom(...MODULES), fc.constantFrom('', '[0]', '["k"]', '["a.b]"]')), { maxLength: 3 }).map((parts) => parts.map(([m, key]) => `module.${m}${key}`).join('.'));
const resourceAddress = fc.tuple(moduleAddress, fc.constantFrom(...TYPES), fc.constantFrom(...NAMES), fc.constantFrom('', '', '[0]', '[1]', '["x"]'));
const reference = fc.oneof(
  resourceAddress.map(([m, t, n, k]) => `${m ? `${m}.` : ''}${t}.${n}${k}`),
  fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...NAMES), fc.constantFrom('', '.arn', '.id', '.name', '.key_id', '.guardrail_id', '.constructor', '.rule[0].x')).map(([t, n, a]) => `${t}.${n}${a}`),
  fc.constantFrom(...MODULES).map((m) => `var.${m}`),
  fc.tuple(fc.constantFrom(...MODULES), fc.constantFrom('', '[0]', '["k"]'), fc.constantFrom('out', 'key', 'echo')).map(([m, k, o]) => `module.${m}${k}.${o}`),
  fc.constantFrom('data.aws_caller_identity.c.account_id', 'data.aws_region.r.name', 'data.aws_partition.p.partition', 'local.x', 'each.key', 'count.index'),
  hostileString,
);

const leaf = fc.oneof(hostileString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const randomJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...ATTRIBUTES), fc.string({ maxLength: 4 })), tie('value'), { maxKeys: 3 }) },
  ),
})).value;

/** Arrays or objects nested `levels` deep (around the value depth limit). */
const deepValue = fc.tuple(fc.integer({ min: TERRAFORM_PLAN_LIMITS.valueDepth - 3, max: TERRAFORM_PLAN_LIMITS.valueDepth + 5 }), fc.boolean()).map(([levels, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = arrays ? [value] : { rule: value };
  return value;
});

/** A value that is plausible for an attribute, or not at all. */
const attributeValue = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 2, arbitrary: fc.constantFrom(ADMIN, TRUST, 'Enabled', 'Disabled', 'aws:kms', true, false, 'arn:aws:iam::123456789012:policy/p', 'alias/aws/s3') },
  { weight: 2, arbitrary: fc.array(fc.dictionary(fc.constantFrom(...ATTRIBUTES), fc.oneof(leaf, fc.array(fc.dictionary(fc.constantFrom(...ATTRIBUTES), leaf, { maxKeys: 4 }), { maxLength: 2 })), { maxKeys: 5 }), { maxLength: 2 }) },
  { weight: 1, arbitrary: randomJson },
  { weight: 1, arbitrary: fc.array(fc.oneof(leaf, fc.constant(null)), { maxLength: 3 }) },
);
const values = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(fc.constantFrom(...ATTRIBUTES), attributeValue, { maxKeys: 8 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...ATTRIBUTES), deepValue, { maxKeys: 1 }) },
  { weight: 1, arbitrary: randomJson },
);

const plannedResource = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(resourceAddress, fc.record({ mode: fc.constantFrom('managed', 'managed', 'data', 7), values, index: fc.oneof(fc.constant(undefined), fc.nat(3), fc.constantFrom('x', 'k'), randomJson) }, { requiredKeys: ['values'] }))
      .map(([[m, type, name, key], rest]) => ({ address: `${m ? `${m}.` : ''}${type}.${name}${key}`, type, name, ...rest })),
  },
  { weight: 1, arbitrary: randomJson },
);

const plannedModule: fc.Arbitrary<unknown> = fc.letrec<{ module: unknown }>((tie) => ({
  module: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 6, arbitrary: fc.record({ address: fc.oneof(moduleAddress, hostileString), resources: fc.array(plannedResource, { maxLength: 5 }), child_modules: fc.array(tie('module'), { maxLength: 2 }) }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: randomJson },
  ),
})).module;

/** A chain of child modules around the module depth limit. */
const moduleChain = fc.tuple(fc.integer({ min: TERRAFORM_PLAN_LIMITS.moduleDepth - 2, max: TERRAFORM_PLAN_LIMITS.moduleDepth + 2 }), fc.array(plannedResource, { maxLength: 2 })).map(([levels, resources]) => {
  const root: Record<string, unknown> = {};
  let current = root;
  let address = '';
  for (let i = 0; i < levels; i++) {
    address = `${address ? `${address}.` : ''}module.m`;
    const child: Record<string, unknown> = { address };
    current.child_modules = [child];
    current = child;
  }
  current.resources = resources;
  return root;
});

const expression = fc.oneof(
  { weight: 6, arbitrary: fc.record({ references: fc.array(reference, { maxLength: 4 }), constant_value: leaf }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.record({ references: fc.oneof(randomJson, fc.array(randomJson, { maxLength: 2 })) }) },
  { weight: 1, arbitrary: randomJson },
);
const expressions = fc.dictionary(
  fc.constantFrom(...ATTRIBUTES),
  fc.oneof({ weight: 4, arbitrary: expression }, { weight: 1, arbitrary: fc.array(fc.dictionary(fc.constantFrom(...ATTRIBUTES), fc.oneof(expression, fc.array(fc.dictionary(fc.constantFrom(...ATTRIBUTES), expression, { maxKeys: 3 }), { maxLength: 2 })), { maxKeys: 3 }), { maxLength: 2 }) }),
  { maxKeys: 5 },
);
const configResource = fc.oneof(
  { weight: 8, arbitrary: fc.record({ type: fc.constantFrom(...TYPES), name: fc.constantFrom(...NAMES), mode: fc.constantFrom('managed', 'data'), expressions }, { requiredKeys: ['type', 'name'] }) },
  { weight: 1, arbitrary: randomJson },
);
const configModule: fc.Arbitrary<unknown> = fc.letrec<{ module: unknown }>((tie) => ({
  module: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    {
      weight: 6,
      arbitrary: fc.record(
        {
          resources: fc.array(configResource, { maxLength: 5 }),
          module_calls: fc.dictionary(
            fc.oneof(fc.constantFrom(...MODULES), hostileString),
            fc.oneof({ weight: 5, arbitrary: fc.record({ source: fc.oneof(fc.constantFrom('./m', '../shared', 'registry/x/aws', '../../../../'), hostileString), expressions, module: tie('module') }, { requiredKeys: [] }) }, { weight: 1, arbitrary: randomJson }),
            { maxKeys: 2 },
          ),
          outputs: fc.dictionary(fc.constantFrom('out', 'key', 'echo', '__proto__'), fc.oneof(fc.record({ expression }), randomJson), { maxKeys: 2 }),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: randomJson },
  ),
})).module;

const afterUnknown = fc.oneof(fc.boolean(), fc.dictionary(fc.constantFrom(...ATTRIBUTES), fc.oneof(fc.constant(true), fc.boolean(), randomJson, deepValue), { maxKeys: 6 }), randomJson);
const resourceChange = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        address: resourceAddress.map(([m, t, n, k]) => `${m ? `${m}.` : ''}${t}.${n}${k}`),
        deposed: fc.constantFrom('00000001', '00000001', '00000001', 7),
        change: fc.oneof(fc.record({ actions: fc.constant(['create']), after_unknown: afterUnknown }, { requiredKeys: [] }), randomJson),
      },
      { requiredKeys: ['address'] },
    ),
  },
  { weight: 1, arbitrary: randomJson },
);

const planArb = fc.record(
  {
    format_version: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('0.1', '0.2', '1.0', '1.1', '1.2', '1.9') }, { weight: 1, arbitrary: fc.constantFrom('2.0', '0.0', '1', '1.2.3.4.5', '01.2') }, { weight: 1, arbitrary: leaf }),
    planned_values: fc.oneof({ weight: 8, arbitrary: fc.record({ root_module: plannedModule }, { requiredKeys: [] }) }, { weight: 1, arbitrary: moduleChain.map((root_module) => ({ root_module })) }, { weight: 1, arbitrary: randomJson }),
    resource_changes: fc.oneof({ weight: 6, arbitrary: fc.array(resourceChange, { maxLength: 8 }) }, { weight: 1, arbitrary: randomJson }),
    configuration: fc.oneof(
      { weight: 6, arbitrary: fc.record({ provider_config: fc.oneof(fc.record({ aws: fc.record({ expressions: fc.record({ region: expression }) }) }), randomJson), root_module: configModule }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: randomJson },
    ),
    variables: fc.oneof(fc.dictionary(fc.constantFrom('region', 'x'), fc.oneof(fc.record({ value: leaf }), randomJson), { maxKeys: 2 }), randomJson),
  },
  { requiredKeys: ['format_version'] },
);

// ------------------------------------------------------------ mutation of the real plans

const fixtures = ['plan.json', 'formats/v0.1.tfjson', 'formats/v0.2.tfjson', 'names/unnamed-modules.tfjson', 'limits/reference-cycle.tfjson'].map(
  (f) => JSON.parse(readFileSync(path.join(FIXTURES, 'terraform', f), 'utf8')) as unknown,
);
const WEIRD: unknown[] = [null, true, false, 0, -1, 1.5, '', 'x', '\u0000', 'Enabled', 'aws:kms', ADMIN, '{"Statement":', [], {}, [null], [[]], { references: 'x' }, { references: [1] }, 'a'.repeat(2000)];

function mutate(value: unknown, random: () => number, depth = 0): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  if (random() < 0.02 || depth > 40) return structuredClone(pick(WEIRD));
  if (Array.isArray(value)) {
    const out = value.map((v) => (random() < 0.25 ? mutate(v, random, depth + 1) : v));
    if (random() < 0.05) out.push(structuredClone(pick(WEIRD)));
    if (random() < 0.05 && out.length) out.push(structuredClone(out[Math.floor(random() * out.length)]));
    if (random() < 0.05) out.splice(Math.floor(random() * out.length), 1);
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (random() < 0.03) continue;
      const key = random() < 0.01 ? pick(ATTRIBUTES) : k;
      out[key] = random() < 0.25 ? mutate(v, random, depth + 1) : v;
    }
    return out;
  }
  return random() < 0.3 ? structuredClone(pick(WEIRD)) : value;
}
const mutatedPlan = fc.tuple(fc.nat(fixtures.length - 1), fc.integer()).map(([i, seed]) => mutate(fixtures[i], mulberry32(seed)));

// ------------------------------------------------------------ the run

const NO_TF_FILES = path.join(FIXTURES, 'terraform', 'no-such-directory', 'root');
let accepted = 0;
let refused = 0;
let slowest = 0;

function exercise(plan: unknown): void {
  // As the CLI sees it: JSON text parsed (own `__proto__` keys stay data, as JSON.parse makes them).
  const data = JSON.parse(JSON.stringify(plan)) as unknown;
  const started = performance.now();
  try {
    const inventory = importTerraformPlanData(data, 'plan.json', { terraformDir: NO_TF_FILES, sourceId: 'fuzz/plan.json' });
    // A plan the importer accepts makes a valid inventory: a schema error here would name a path
    // of the inventory, not of the plan the user has to fix.
    try {
      parseInventory(inventory, 'plan.json');
    } catch (error) {
      throw new Error(`accepted plan, invalid inventory: ${(error as Error).message}`);
    }
    accepted++;
  } catch (error) {
    // Plain checks (vitest's expect is too slow for 10,000 calls): only an input error may escape.
    if (!(error instanceof InputError)) throw error;
    if (error.file !== 'plan.json' || error.message.includes('\n') || !error.detail) throw new Error(`malformed input error: ${error.message}`);
    refused++;
  } finally {
    const ms = performance.now() - started;
    slowest = Math.max(slowest, ms);
    if (ms > 2000) throw new Error(`one case took ${Math.round(ms)} ms`);
  }
}

describe('Terraform plan importer fuzz', () => {
  it('10,000 generated and mutated plans: only input errors, none over 2 s', () => {
    // AIGIS_FUZZ_SEED explores other cases; the default keeps CI reproducible.
    const seed = Number(process.env.AIGIS_FUZZ_SEED ?? 0x7f1a2b);
    fc.assert(fc.property(planArb, exercise), { numRuns: 5000, seed, endOnFailure: true });
    fc.assert(fc.property(mutatedPlan, exercise), { numRuns: 5000, seed: seed ^ 0x3c5d11, endOnFailure: true });
    // Both outcomes occur: the generators reach the mapping code, not only the shape checks.
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
    expect(slowest).toBeLessThan(2000);
  }, 120_000);
});
