/**
 * Fuzz of the CloudFormation importer (issue 11): 10,000 texts through `importCloudFormation`,
 * the way `scan --iac` reads a template. A third is YAML/JSON-like text assembled from the tokens
 * that make parsers work hard (anchors, aliases, `<<` merge keys, tags, flow collections, block
 * scalars, BOMs, control characters); a third is template-shaped documents with random intrinsics
 * (Ref, Fn::GetAtt, Fn::Sub, Fn::If, Fn::Select, Fn::Join, Fn::FindInMap, conditions, parameters)
 * over the resource types aigis maps, with hostile strings, written as JSON, as block YAML or as
 * flow YAML with short-form tags (`!Ref`, `!GetAtt A.Arn`, `!If [...]`); a third is mutations of
 * the real fixture templates (text edits and value edits).
 *
 * The only error allowed is an InputError naming the file (one line once printed), from the
 * importer or from the inventory schema on what it built (those are counted and shown: their path is
 * one of the inventory, not of the template); content detection never throws. Every case must
 * finish within 2 s (a catastrophic bound, not a benchmark). Seeded, so a failure replays
 * (AIGIS_FUZZ_SEED=n explores others).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as yamlStringify } from 'yaml';
import { mulberry32 } from '../../bench/prng.js';
import { InputError } from '../../src/engine/errors.js';
import { parseCfnText } from '../../src/importers/iac/cfn-parse.js';
import { detectIacKind, importCloudFormation } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';
import { inertErrorMessage } from '../../src/report/inert.js';
import { FIXTURES } from './helpers.js';

const FILE = 'fuzz.yaml';

/** Every resource type the importer maps (the tables in src/importers/cloudformation/<service>.ts), and a few it does not. */
const TYPES = [
  'AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::KMS::Alias', 'AWS::IAM::Role', 'AWS::IAM::User',
  'AWS::IAM::Group', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy',
  'AWS::IAM::InstanceProfile', 'AWS::IAM::UserToGroupAddition', 'AWS::CloudTrail::Trail', 'AWS::Logs::LogGroup', 'AWS::SNS::Topic',
  'AWS::SageMaker::NotebookInstance', 'AWS::SageMaker::Model', 'AWS::SageMaker::EndpointConfig', 'AWS::SageMaker::Domain',
  'AWS::Bedrock::Guardrail', 'AWS::Bedrock::GuardrailVersion', 'AWS::Bedrock::Agent', 'AWS::EC2::VPCEndpoint', 'AWS::EC2::VPC',
  'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup', 'AWS::AccessAnalyzer::Analyzer', 'AWS::GuardDuty::Detector',
  'AWS::Config::ConfigurationRecorder', 'AWS::SecurityHub::Hub', 'AWS::Macie::Session',
  'AWS::Lambda::Function', 'Custom::Thing', 'AWS::Serverless::Function', 'AWS::CloudFormation::Stack',
];

/** Property names the importer reads (and a few it does not). */
const PROPERTIES = [
  'BucketName', 'BucketEncryption', 'ServerSideEncryptionConfiguration', 'ServerSideEncryptionByDefault', 'SSEAlgorithm', 'KMSMasterKeyID',
  'BucketKeyEnabled', 'PublicAccessBlockConfiguration', 'BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets',
  'VersioningConfiguration', 'Status', 'LoggingConfiguration', 'DestinationBucketName', 'ObjectLockEnabled', 'ObjectLockConfiguration',
  'Bucket', 'PolicyDocument', 'KeyPolicy', 'EnableKeyRotation', 'KeySpec', 'KeyUsage', 'Enabled', 'AliasName', 'TargetKeyId',
  'TrailName', 'IsLogging', 'IsMultiRegionTrail', 'IsOrganizationTrail', 'EnableLogFileValidation', 'KMSKeyId', 'S3BucketName',
  'EventSelectors', 'AdvancedEventSelectors', 'CloudWatchLogsLogGroupArn', 'RoleName', 'UserName', 'GroupName', 'Path',
  'AssumeRolePolicyDocument', 'Policies', 'PolicyName', 'ManagedPolicyArns', 'ManagedPolicyName', 'PermissionsBoundary', 'Roles', 'Users',
  'Groups', 'LoginProfile', 'MaxSessionDuration', 'NotebookInstanceName', 'InstanceType', 'RoleArn', 'DirectInternetAccess', 'RootAccess',
  'SubnetId', 'SecurityGroupIds', 'KmsKeyId', 'ModelName', 'ExecutionRoleArn', 'EnableNetworkIsolation', 'VpcConfig', 'Subnets', 'Containers',
  'EndpointConfigName', 'ProductionVariants', 'DataCaptureConfig', 'DomainName', 'AppNetworkAccessType', 'AuthMode', 'VpcId', 'SubnetIds',
  'Name', 'ContentPolicyConfig', 'FiltersConfig', 'SensitiveInformationPolicyConfig', 'TopicPolicyConfig', 'TopicsConfig', 'WordPolicyConfig',
  'ContextualGroundingPolicyConfig', 'KmsKeyArn', 'AgentName', 'AgentResourceRoleArn', 'FoundationModel', 'CustomerEncryptionKeyArn',
  'GuardrailConfiguration', 'ServiceName', 'VpcEndpointType', 'PrivateDnsEnabled', 'AnalyzerName', 'Type', 'Enable', 'LogGroupName',
  'TopicName', 'InstanceProfileName', 'Tags', 'Key', 'Value', 'Description', '__proto__', 'constructor', '',
];

const LOGICAL_IDS = ['Data', 'Logs', 'Key', 'Role', 'Trail', 'Agent', 'Guard', 'Notebook', 'constructor', '__proto__', 'Data2'];
const PARAMETERS = ['Env', 'KeyArn', 'Count', 'Subnets', 'constructor'];
const CONDITIONS = ['IsProd', 'Never', 'Always', 'hasOwnProperty'];
const PSEUDO = ['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId', 'AWS::NoValue', 'AWS::NotificationARNs', 'AWS::Nope'];
const ATTRIBUTES = ['Arn', 'KeyId', 'RoleId', 'GuardrailId', 'AgentArn', 'DomainArn', 'Id', 'Nope', 'Arn.Extra', ''];

const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const TRUST = { Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const STARS = `s3:${'*'.repeat(24)}x`;

const SPECIAL_STRINGS = [
  '', ' ', '\u0000', '\u001b[2J\u001b]0;title\u0007', '\r\n::error file=x::forged', '\n::add-mask::x', '\uFEFF', '\uD800', '\u202e', '${', '${!Literal}',
  '${AWS::AccountId}', '${Env}', '${Data.Arn}', '${Nope}', '${AWS::Region}-${AWS::NoValue}', 'arn:aws:kms:us-east-1:123456789012:key/1234',
  'alias/aws/s3', 'aws:kms', 'aws:kms:dsse', 'AES256', 'Enabled', 'Suspended', 'Disabled', 'VpcOnly', 'PublicInternetOnly', 'Gateway', 'Interface',
  STARS, '*', '?', 'arn:aws:s3:::*', 'a'.repeat(3000), '*'.repeat(200), '__proto__', 'constructor', 'toString', '2012-10-17', '1e309', '-0', '0x10',
  'true', 'false', 'null', '~', 'yes', 'no', 'on', 'off', '012345678901', '12345678901234567890',
];

// ------------------------------------------------------------ template-shaped documents

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
);
const leaf = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const name = <T extends string>(list: readonly T[]) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...list) }, { weight: 1, arbitrary: hostileString });

/** A value with intrinsics in it, `depth` levels at most. */
const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
    { weight: 6, arbitrary: leaf },
    { weight: 2, arbitrary: name([...LOGICAL_IDS, ...PARAMETERS, ...PSEUDO]).map((target) => ({ Ref: target })) },
    { weight: 3, arbitrary: fc.tuple(name(LOGICAL_IDS), name(ATTRIBUTES), fc.boolean()).map(([id, attr, list]) => ({ 'Fn::GetAtt': list ? [id, attr] : `${id}.${attr}` })) },
    { weight: 2, arbitrary: fc.oneof(hostileString, fc.tuple(hostileString, fc.dictionary(fc.constantFrom(...PARAMETERS, 'x'), tie('value'), { maxKeys: 2 }))).map((sub) => ({ 'Fn::Sub': sub })) },
    { weight: 2, arbitrary: fc.tuple(name(CONDITIONS), tie('value'), tie('value')).map((args) => ({ 'Fn::If': args })) },
    { weight: 2, arbitrary: fc.tuple(fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constantFrom('1', 'x', '1e309')), fc.oneof(fc.array(tie('value'), { maxLength: 4 }), tie('value'))).map((args) => ({ 'Fn::Select': args })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(',', '', '-', '::'), fc.oneof(fc.array(tie('value'), { maxLength: 4 }), tie('value'))).map((args) => ({ 'Fn::Join': args })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(',', '/'), tie('value')).map((args) => ({ 'Fn::Split': args })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('Map', 'Nope'), tie('value'), fc.constantFrom('Key', 'Nope')).map((args) => ({ 'Fn::FindInMap': args })) },
    { weight: 1, arbitrary: fc.constantFrom('Fn::Base64', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Cidr', 'Fn::Length', 'Fn::ToJsonString', 'Fn::Transform', 'Fn::Nope').chain((fn) => tie('value').map((v) => ({ [fn]: v }))) },
    { weight: 1, arbitrary: fc.constantFrom(ADMIN, TRUST, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: STARS, Resource: `arn:aws:s3:::${'*'.repeat(20)}x` }] }) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    { weight: 3, arbitrary: fc.dictionary(name(PROPERTIES), tie('value'), { maxKeys: 3 }) },
  ),
})).value;

const conditionArb: fc.Arbitrary<unknown> = fc.letrec<{ cond: unknown }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 3, arbitrary: fc.tuple(valueArb, valueArb).map((args) => ({ 'Fn::Equals': args })) },
    { weight: 1, arbitrary: fc.array(tie('cond'), { maxLength: 3 }).map((args) => ({ 'Fn::And': args })) },
    { weight: 1, arbitrary: fc.array(tie('cond'), { maxLength: 3 }).map((args) => ({ 'Fn::Or': args })) },
    { weight: 1, arbitrary: tie('cond').map((c) => ({ 'Fn::Not': [c] })) },
    { weight: 2, arbitrary: name(CONDITIONS).map((c) => ({ Condition: c })) },
    { weight: 1, arbitrary: leaf },
  ),
})).cond;

const resourceArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record(
      {
        Type: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: leaf }),
        Properties: fc.oneof({ weight: 8, arbitrary: fc.dictionary(fc.constantFrom(...PROPERTIES), valueArb, { maxKeys: 5 }) }, { weight: 1, arbitrary: valueArb }),
        Condition: name(CONDITIONS),
        DependsOn: fc.oneof(name(LOGICAL_IDS), fc.array(name(LOGICAL_IDS), { maxLength: 2 })),
        Metadata: fc.oneof(
          fc.record({ aigis: fc.record({ suppress: fc.array(fc.record({ rule: fc.constantFrom('s3-versioning', 's3-*', '*', 'nope'), reason: hostileString, expires: fc.constantFrom('2099-01-01', '2020-02-30', 'x') }, { requiredKeys: [] }), { maxLength: 2 }) }, { requiredKeys: [] }) }),
          valueArb,
        ),
      },
      { requiredKeys: ['Type'] },
    ),
  },
  { weight: 1, arbitrary: valueArb },
);

const templateArb = fc.record(
  {
    AWSTemplateFormatVersion: fc.oneof(fc.constant('2010-09-09'), leaf),
    Transform: fc.oneof(fc.constantFrom('AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31', 'AWS::Include'), fc.array(fc.constantFrom('AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31'), { maxLength: 2 }), leaf),
    Parameters: fc.oneof(
      { weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...PARAMETERS), fc.record({ Type: fc.constantFrom('String', 'Number', 'CommaDelimitedList', 'List<Number>', 'AWS::SSM::Parameter::Value<String>', 'AWS::EC2::Subnet::Id', 'Nope'), Default: leaf, AllowedValues: fc.array(leaf, { maxLength: 3 }), MinValue: leaf, MaxLength: leaf }, { requiredKeys: [] }), { maxKeys: 3 }) },
      { weight: 1, arbitrary: valueArb },
    ),
    Mappings: fc.oneof(fc.constant({ Map: { Key: { Key: 'mapped', Nope: ['a'] } } }), valueArb),
    Conditions: fc.oneof({ weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...CONDITIONS), conditionArb, { maxKeys: 3 }) }, { weight: 1, arbitrary: valueArb }),
    Resources: fc.oneof({ weight: 12, arbitrary: fc.dictionary(name(LOGICAL_IDS), resourceArb, { minKeys: 1, maxKeys: 4 }) }, { weight: 1, arbitrary: valueArb }),
    Outputs: fc.oneof(fc.dictionary(fc.constantFrom('Out', 'Arn'), fc.record({ Value: valueArb }), { maxKeys: 2 }), valueArb),
  },
  { requiredKeys: ['Resources'] },
);

const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref', Condition: 'Condition', 'Fn::GetAtt': 'GetAtt', 'Fn::Sub': 'Sub', 'Fn::If': 'If', 'Fn::Select': 'Select', 'Fn::Join': 'Join',
  'Fn::Split': 'Split', 'Fn::FindInMap': 'FindInMap', 'Fn::Equals': 'Equals', 'Fn::And': 'And', 'Fn::Or': 'Or', 'Fn::Not': 'Not',
  'Fn::Base64': 'Base64', 'Fn::GetAZs': 'GetAZs', 'Fn::ImportValue': 'ImportValue', 'Fn::Cidr': 'Cidr',
};

/** Flow-style YAML (JSON with YAML's short-form tags): `!Ref "X"`, `!GetAtt "A.Arn"`, `!If ["C", a, b]`. */
function shortFormYaml(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shortFormYaml).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const [only] = entries;
    if (entries.length === 1 && only && SHORT_FORMS[only[0]]) {
      const [fn, arg] = only;
      const shown = fn === 'Fn::GetAtt' && Array.isArray(arg) && arg.length === 2 && arg.every((a) => typeof a === 'string') ? JSON.stringify(arg.join('.')) : shortFormYaml(arg);
      return `!${SHORT_FORMS[fn]} ${shown}`;
    }
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${shortFormYaml(v)}`).join(', ')}}`;
  }
  // JSON string escapes are YAML double-quoted escapes; numbers, booleans and null read the same.
  return value === undefined ? 'null' : JSON.stringify(value);
}

const templateText = fc.tuple(templateArb, fc.constantFrom('json', 'block', 'flow', 'flow')).map(([template, style]) => {
  if (style === 'json') return JSON.stringify(template, null, 1);
  if (style === 'block') return yamlStringify(template, { aliasDuplicateObjects: false });
  return `# flow style with short-form tags\n${shortFormYaml(template)}\n`;
});

// ------------------------------------------------------------ YAML-like text from hard tokens

const TOKENS = [
  'Resources:', 'AWSTemplateFormatVersion: "2010-09-09"', 'Type: AWS::S3::Bucket', 'Type: AWS::IAM::Role', 'Properties:', 'BucketName: x',
  'Conditions:', 'Parameters:', 'Condition: C', 'Transform: AWS::Serverless-2016-10-31', '\n', '\n  ', '\n    ', '\n      ', '  ', '\t', ': ', ':', '- ', '-',
  '? ', '{', '}', '[', ']', ', ', '"', "'", '\\', '#', '|', '|-', '>', '>+', '&a ', '&b ', '*a', '*b', '<<: *a', '<<: [*a, *b]', '!Ref ', '!GetAtt ',
  '!Sub ', '!If ', '!Select ', '!Join ', '!Condition ', '!!str ', '!!binary ', '!!map ', '!!python/object ', '!<tag:yaml.org,2002:str> ', '!Unknown ',
  '%YAML 1.2\n', '%TAG ! tag:x,2000:\n', '---\n', '...\n', 'Data', 'Arn', 'x', '0', '1e309', '-.inf', '.nan', '0x1F', '0o17', '~', 'null', 'true',
  '2001-12-14t21:59:43.10-05:00', '\uFEFF', '\u0000', '\u0085', '\u2028', '\u001b[2J', '\r', '\r\n', '\uD800', '${', '${AWS::AccountId}',
  '[[[[[[[[[[', ']]]]]]]]]]', '{{{{{{{{', '}}}}}}}}', '"\\u0000\\x1b\\e\\N"', "'it''s'", 'a'.repeat(200),
];
const tokenText = fc.tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), fc.boolean()).map(([tokens, withHeader]) => `${withHeader ? 'Resources:\n  Data:\n    Type: AWS::S3::Bucket\n' : ''}${tokens.join('')}`);

/**
 * Anchors and aliases (plain and through `<<`): mostly small nests, and now and then one that
 * expands past the node budget (those cost a few hundred ms each, hence rare).
 */
const aliasShape = fc.oneof(
  { weight: 60, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 4 }), fc.boolean()) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 6, max: 12 }), fc.integer({ min: 6, max: 12 }), fc.boolean()) },
);
const aliasText = aliasShape.map(([levels, width, merge]) => {
  const lines = ['Metadata:', `  l0: &l0 ${merge ? '{ a: lol, b: lol }' : '[lol, lol]'}`];
  for (let i = 1; i < levels; i++) {
    lines.push(merge ? `  l${i}: &l${i} { <<: *l${i - 1}, ${Array.from({ length: width }, (_, k) => `k${k}: *l${i - 1}`).join(', ')} }` : `  l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  }
  lines.push('Resources:', '  Data:', '    Type: AWS::S3::Bucket', `    Metadata: { x: *l${levels - 1} }`, '');
  return lines.join('\n');
});

// ------------------------------------------------------------ mutations of the real templates

const FIXTURE_TEXTS = [
  'cloudformation/ml-platform.yaml',
  'cloudformation/genai-access.json',
  'equivalence/template.yaml',
  '../iac-fidelity/invalid-among-valid/b-broken.yaml',
  '../iac-fidelity/invalid-among-valid/c-trail.yaml',
  '../iac-fidelity/named-conflict/training.yaml',
].map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));
const INSERTS = ['\n', '  ', ':', '- ', '!Ref Nope', '!GetAtt X.Arn', '&a', '*a', '<<: *a', '{', ']', '"', '\u0000', '\u001b[2J', STARS, '${', '\t', '\uFEFF', 'Condition: Nope\n    '];

/** Text edits: drop, duplicate or swap lines, re-indent, cut, insert hard tokens. */
function mutateText(text: string, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let lines = text.split('\n');
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(random() * lines.length);
    const op = Math.floor(random() * 7);
    if (op === 0) lines.splice(i, 1);
    else if (op === 1) lines.splice(i, 0, lines[i] ?? '');
    else if (op === 2) lines[i] = ` ${lines[i] ?? ''}`;
    else if (op === 3) lines[i] = (lines[i] ?? '').trimStart();
    else if (op === 4) {
      const line = lines[i] ?? '';
      const at = Math.floor(random() * (line.length + 1));
      lines[i] = `${line.slice(0, at)}${pick(INSERTS)}${line.slice(at)}`;
    } else if (op === 5) lines = lines.slice(0, i);
    else {
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    }
  }
  return lines.join('\n');
}

const WEIRD: unknown[] = [null, true, 0, -1, 1e308, '', '*', STARS, '\u001b]0;x\u0007', [], {}, [[]], { Ref: 'Nope' }, { 'Fn::GetAtt': ['Nope', 'Arn'] }, { 'Fn::If': ['Nope', 1, 2] }, { 'Fn::Select': [9, ['a']] }, { Ref: 'AWS::NoValue' }, { 'Fn::Sub': '${Nope}' }, ADMIN, 'a'.repeat(500)];

/** Value edits on the parsed template (long-form intrinsics), re-written as JSON or YAML. */
function mutateValue(value: unknown, random: () => number, depth = 0): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  if (random() < 0.03 || depth > 30) return structuredClone(pick(WEIRD));
  if (Array.isArray(value)) {
    const out = value.map((v) => (random() < 0.3 ? mutateValue(v, random, depth + 1) : v));
    if (random() < 0.05) out.push(structuredClone(pick(WEIRD)));
    if (random() < 0.05) out.splice(Math.floor(random() * out.length), 1);
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (random() < 0.03) continue;
      const key = random() < 0.02 ? pick(PROPERTIES) : k;
      out[key] = random() < 0.3 ? mutateValue(v, random, depth + 1) : v;
    }
    return out;
  }
  return random() < 0.3 ? structuredClone(pick(WEIRD)) : value;
}

/** The fixtures as plain values (long-form intrinsics), for value edits. */
const FIXTURE_VALUES: unknown[] = FIXTURE_TEXTS.map((text, i) => parseCfnText(text, `fixture-${i}`).value);

const mutatedText = fc.tuple(fc.nat(FIXTURE_TEXTS.length - 1), fc.integer()).map(([i, seed]) => mutateText(FIXTURE_TEXTS[i]!, mulberry32(seed)));
const mutatedValue = fc.tuple(fc.nat(FIXTURE_VALUES.length - 1), fc.integer(), fc.nat(2)).map(([i, seed, style]) => {
  const value = mutateValue(FIXTURE_VALUES[i], mulberry32(seed));
  return style ? JSON.stringify(value) : yamlStringify(value, { aliasDuplicateObjects: false });
});

const parametersArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PARAMETERS, 'Environment', 'Nope'), fc.oneof(fc.constantFrom('prod', 'dev', '1', 'abc', '', 'a,b', '1e309', '-1'), fc.string({ maxLength: 6 })), { maxKeys: 3 }) },
);

// ------------------------------------------------------------ the run

let accepted = 0;
let refused = 0;
let slowest = 0;
let timing = true;
/** Templates the importer accepted whose inventory the schema then refused. */
const schemaRefusals: string[] = [];

/**
 * Bugs this fuzz found whose fix has not landed: a case that hits one is counted and shown instead
 * of failing the run (as the hostile corpus's PENDING list). Remove an entry once it is no longer
 * seen; the run says so.
 */
const KNOWN: { id: string; what: string; matches: (error: unknown) => boolean }[] = [];
const knownHits = new Map<string, number>();

/** Runs `call` and fails the case when it takes more than 2 s (each entry point on its own). */
function timed<T>(call: () => T, text: string): T {
  const started = performance.now();
  try {
    return call();
  } finally {
    const ms = performance.now() - started;
    if (timing) {
      slowest = Math.max(slowest, ms);
      if (ms > 2000) throw new Error(`one case took ${Math.round(ms)} ms: ${JSON.stringify(text.slice(0, 300))}`);
    }
  }
}

let cases = 0;

function exercise(text: string, parameters: Record<string, string> | undefined): void {
  // Content detection runs first on every file of a directory: it answers, never throws. It parses
  // the text as the import does, so every third case is enough to cover it within the time budget.
  if (cases++ % 3 === 0) timed(() => {
    try {
      detectIacKind(text, FILE);
    } catch (error) {
      throw new Error(`detection threw: ${(error as Error).stack}`);
    }
  }, text);
  try {
    const inventory = timed(() => importCloudFormation(text, FILE, { sourceId: 'fuzz/fuzz.yaml', ...(parameters ? { parameters } : {}) }), text);
    try {
      parseInventory(inventory, FILE);
    } catch (error) {
      // Still an input error (exit 2, one line), but it names a path of the inventory, not of the
      // template the user has to fix: counted and shown, not failed (see cfn-policy-no-statement
      // in test/hostile/).
      if (error instanceof InputError) schemaRefusals.push(error.message);
      throw error;
    }
    accepted++;
  } catch (error) {
    // Plain checks (vitest's expect is too slow for 10,000 calls): only an input error may escape.
    if (!(error instanceof InputError)) {
      const known = KNOWN.find((k) => k.matches(error));
      if (!known) throw error;
      knownHits.set(known.id, (knownHits.get(known.id) ?? 0) + 1);
      return;
    }
    const printed = inertErrorMessage(error.message);
    if (error.file !== FILE || !error.detail || /[\n\r\u001b\u0007]/.test(printed)) throw new Error(`malformed input error: ${JSON.stringify(printed)}`);
    refused++;
  }
}

describe('CloudFormation importer fuzz', () => {
  it('10,000 texts (token soup, alias nests, generated templates, mutated fixtures): only input errors, none over 2 s', () => {
    // AIGIS_FUZZ_SEED explores other cases; the default keeps CI reproducible.
    const seed = Number(process.env.AIGIS_FUZZ_SEED ?? 0xcf2026);
    const run = (arb: fc.Arbitrary<string>, numRuns: number, salt: number) =>
      fc.assert(fc.property(arb, parametersArb, exercise), { numRuns, seed: seed ^ salt, endOnFailure: true });
    // Warm-up, untimed: the first calls also pay for compiling the parser and the importer.
    timing = false;
    run(aliasText, 20, 0x6);
    run(templateText, 20, 0x7);
    [accepted, refused, cases, timing] = [0, 0, 0, true];
    knownHits.clear();
    schemaRefusals.length = 0;
    const figures: string[] = [];
    for (const [label, arb, numRuns, salt] of [
      ['token soup', tokenText, 3200, 0x1],
      ['alias nests', aliasText, 300, 0x2],
      ['generated templates', templateText, 4000, 0x3],
      ['mutated fixture text', mutatedText, 1500, 0x4],
      ['mutated fixture values', mutatedValue, 1000, 0x5],
    ] as const) {
      const started = performance.now();
      const before = slowest;
      slowest = 0;
      run(arb, numRuns, salt);
      figures.push(`${label}: ${numRuns} in ${((performance.now() - started) / 1000).toFixed(1)} s, slowest ${Math.round(slowest)} ms`);
      slowest = Math.max(before, slowest);
    }
    console.log(
      `CloudFormation fuzz: ${accepted} accepted, ${refused} refused (${schemaRefusals.length} of them by the inventory schema after the import${schemaRefusals[0] ? `, e.g. ${JSON.stringify(schemaRefusals[0])}` : ''}); ${figures.join('; ')}`,
    );
    for (const known of KNOWN) {
      const hits = knownHits.get(known.id) ?? 0;
      console.log(hits ? `CloudFormation fuzz: known bug not fixed yet, ${hits} cases: ${known.id}: ${known.what}` : `CloudFormation fuzz: known bug ${known.id} no longer seen: remove it from KNOWN`);
    }
    // Both outcomes occur: the generators reach the mapping code, not only the parser.
    expect(accepted).toBeGreaterThan(1500);
    expect(refused).toBeGreaterThan(1500);
    expect(slowest).toBeLessThan(2000);
  }, 180_000);
});
