import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/engine/errors.js';
import { importCloudFormation, importTerraformPlan } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';

function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('CloudFormation bad input', () => {
  it('malformed YAML: one line with the file and the position', () => {
    const error = inputError(() => importCloudFormation('Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: [x\n', 't.yaml'));
    expect(error.file).toBe('t.yaml');
    expect(error.message).toMatch(/^t\.yaml: is not valid YAML\/JSON \(line \d+, column \d+\): /);
    expect(error.message).not.toContain('\n');
  });

  it('malformed JSON template', () => {
    const error = inputError(() => importCloudFormation('{"Resources": {"B": {"Type": "AWS::S3::Bucket",}}', 't.json'));
    expect(error.message).toMatch(/^t\.json: is not valid YAML\/JSON/);
  });

  it('duplicate keys are an error, not a silent overwrite', () => {
    const error = inputError(() => importCloudFormation('Resources:\n  B:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n', 't.yaml'));
    expect(error.message).toMatch(/unique|duplicate/i);
  });

  it('Resources that is not a mapping', () => {
    const error = inputError(() => importCloudFormation('Resources:\n  - Type: AWS::S3::Bucket\n', 't.yaml'));
    expect(error.jsonPath).toEqual(['Resources']);
    expect(error.message).toBe('t.yaml at $.Resources: Resources must be a mapping of logical ids to resource declarations');
    expect(inputError(() => importCloudFormation('AWSTemplateFormatVersion: "2010-09-09"\n', 't.yaml')).jsonPath).toEqual(['Resources']);
  });

  it('a resource without Type, or with bad Properties', () => {
    expect(inputError(() => importCloudFormation('Resources:\n  Data:\n    Properties: {}\n', 't.yaml')).message).toBe(
      't.yaml at $.Resources.Data.Type: resource has no Type',
    );
    expect(inputError(() => importCloudFormation('Resources:\n  Data:\n    Type: 3\n', 't.yaml')).jsonPath).toEqual(['Resources', 'Data', 'Type']);
    expect(inputError(() => importCloudFormation('Resources:\n  Data:\n    Type: AWS::S3::Bucket\n    Properties: [1]\n', 't.yaml')).jsonPath).toEqual([
      'Resources',
      'Data',
      'Properties',
    ]);
  });

  it('an undefined or circular condition', () => {
    const undefinedCondition = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: Nope\n';
    // Named where it is used: the template has no Conditions entry to point at.
    expect(inputError(() => importCloudFormation(undefinedCondition, 't.yaml')).jsonPath).toEqual(['Resources', 'B', 'Condition']);
    const circular = 'Conditions:\n  A: !Condition A\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: A\n';
    expect(inputError(() => importCloudFormation(circular, 't.yaml')).message).toMatch(/refers to itself/);
  });
});

describe('Terraform plan bad input', () => {
  it('malformed JSON', () => {
    expect(inputError(() => importTerraformPlan('{"format_version": "1.2",', 'plan.json')).message).toMatch(/^plan\.json: is not valid JSON: /);
  });

  it('missing or unsupported format_version', () => {
    expect(inputError(() => importTerraformPlan('{"planned_values": {}}', 'plan.json')).jsonPath).toEqual(['format_version']);
    expect(inputError(() => importTerraformPlan('{"format_version": "2.0", "planned_values": {}}', 'plan.json')).message).toMatch(/unsupported plan format_version "2.0"/);
  });

  it('resources that are not a list, and a resource without type', () => {
    expect(inputError(() => importTerraformPlan('{"format_version":"1.2","planned_values":{"root_module":{"resources":{}}}}', 'plan.json')).jsonPath).toEqual([
      'planned_values',
      'root_module',
      'resources',
    ]);
    const error = inputError(() =>
      importTerraformPlan('{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.a","resources":[{"address":"x"}]}]}}}', 'plan.json'),
    );
    expect(error.message).toBe('plan.json at $.planned_values.root_module.child_modules[0].resources[0]: resource needs address, type and name');
  });
});

describe('CloudFormation scalars', () => {
  it('keeps unquoted account ids with a leading zero and long numbers exact', () => {
    const template = [
      'Resources:',
      '  Role:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument:',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal: { AWS: 012345678901 }',
      '            Action: sts:AssumeRole',
      '      Tags:',
      '        - { Key: cost-center, Value: 12345678901234567890 }',
      '        - { Key: count, Value: 12 }',
      '',
    ].join('\n');
    const inventory = parseInventory(importCloudFormation(template, 't.yaml'), 't.yaml');
    const role = inventory.iam!.roles[0]!;
    expect(role.trustPolicy.normalized.statements[0]!.principal!.AWS).toEqual(['012345678901']);
    expect(role.tags).toEqual({ 'cost-center': '12345678901234567890', count: '12' });
  });
});

describe('CloudFormation conditions that cannot be decided before deploy', () => {
  const template = [
    'Parameters:',
    '  Env: { Type: String }',
    'Conditions:',
    '  IsProd: !Equals [!Ref Env, prod]',
    '  Never: !And [!Equals [a, b], !Condition IsProd]',
    'Resources:',
    '  Maybe:',
    '    Type: AWS::S3::Bucket',
    '    Condition: IsProd',
    '    Properties:',
    '      VersioningConfiguration: !If [IsProd, { Status: Enabled }, { Status: Suspended }]',
    '  Dropped:',
    '    Type: AWS::S3::Bucket',
    '    Condition: Never',
    '',
  ].join('\n');

  it('keeps a resource whose condition is unknown, notes it, and leaves Fn::If results unknown', () => {
    const inventory = parseInventory(importCloudFormation(template, 't.yaml'), 't.yaml');
    expect(inventory.s3!.buckets.map((b) => b.source?.logicalId)).toEqual(['Maybe']);
    const bucket = inventory.s3!.buckets[0]!;
    expect(bucket.versioning).toBeUndefined();
    expect(bucket.unresolved).toEqual(['Condition', 'VersioningConfiguration']);
  });

  it('decides once the parameter is given', () => {
    const inventory = parseInventory(importCloudFormation(template, 't.yaml', { parameters: { Env: 'prod' } }), 't.yaml');
    expect(inventory.s3!.buckets[0]!.versioning?.status).toBe('Enabled');
    expect(inventory.s3!.buckets[0]!.unresolved).toBeUndefined();
  });
});

describe('CloudFormation language extensions', () => {
  it('skips Fn::ForEach loops instead of failing, and says so in collectionErrors', () => {
    const template = [
      'Transform: AWS::LanguageExtensions',
      'Resources:',
      '  Fn::ForEach::Buckets:',
      '    - Name',
      '    - [a, b]',
      '    - Bucket${Name}:',
      '        Type: AWS::S3::Bucket',
      '  Plain:',
      '    Type: AWS::S3::Bucket',
      '',
    ].join('\n');
    const inventory = parseInventory(importCloudFormation(template, 't.yaml'), 't.yaml');
    expect(inventory.s3!.buckets.map((b) => b.source?.logicalId)).toEqual(['Plain']);
    expect(inventory.collectionErrors).toEqual([
      expect.objectContaining({ service: 'cloudformation', resource: 'Fn::ForEach::Buckets', errorCode: 'NotExpanded' }),
    ]);
  });
});
