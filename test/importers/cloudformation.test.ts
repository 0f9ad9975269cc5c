import { describe, expect, it } from 'vitest';
import { importCloudFormation } from '../../src/importers/iac/index.js';
import { buildAiAssetGraph, describeMembership } from '../../src/engine/ai-graph.js';
import { InventoryIndex } from '../../src/engine/inventory-index.js';
import { parseInventory } from '../../src/inventory/load.js';
import { byName, fixture, lineOf } from './helpers.js';

const yaml = fixture('cloudformation/ml-platform.yaml');
const json = fixture('cloudformation/genai-access.json');

function importYaml(options = {}) {
  const input = importCloudFormation(yaml.text, yaml.file, options);
  return { input, inventory: parseInventory(input, yaml.file) };
}

describe('CloudFormation YAML (short-form intrinsics)', () => {
  const { input, inventory } = importYaml();
  const buckets = inventory.s3!.buckets;
  const index = new InventoryIndex(inventory);

  it('produces a valid inventory with placeholder account and default region', () => {
    expect(inventory.account).toEqual({ id: '123456789012', partition: 'aws' });
    expect(inventory.regions).toEqual(['us-east-1']);
    expect(inventory.source).toEqual({ kind: 'cloudformation', detail: yaml.file });
    // A template says nothing about the account-level block: absent, so rules answer unknown.
    expect(inventory.s3!.accountPublicAccessBlock).toBeUndefined();
    expect('accountPublicAccessBlock' in input.s3!).toBe(false);
  });

  it('resolves !Sub with parameters and pseudo parameters in names and ARNs', () => {
    const bucket = byName(buckets, 'dev-training-data-123456789012');
    expect(bucket.arn).toBe('arn:aws:s3:::dev-training-data-123456789012');
    expect(bucket.tags).toEqual({ 'data-classification': 'phi' });
    const role = byName(inventory.iam!.roles, 'dev-sagemaker-training');
    expect(role.arn).toBe('arn:aws:iam::123456789012:role/dev-sagemaker-training');
    expect(role.attachedManagedPolicies).toEqual(['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess']);
  });

  it('synthesizes stack-unique names (<stack>-<LogicalId>-<SUFFIX>) when no physical name is set', () => {
    expect(byName(buckets, 'accesslogsbucket').arn).toMatch(/^arn:aws:s3:::ml-platform-accesslogsbucket-[a-z0-9]{12}$/);
    expect(byName(inventory.iam!.roles, 'ScopedRole').arn).toMatch(/^arn:aws:iam::123456789012:role\/ml-platform-ScopedRole-[A-Z0-9]{12}$/);
    expect(byName(inventory.sagemaker!.notebookInstances, 'OpenNotebook').arn).toMatch(
      /^arn:aws:sagemaker:us-east-1:123456789012:notebook-instance\/ml-platform-opennotebook-[a-z0-9]{12}$/,
    );
    // The suffix comes from the input's identity: another file, other names; the same file, the same names.
    const other = importCloudFormation(yaml.text, 'elsewhere/ml-platform.yaml');
    expect(byName(other.s3!.buckets, 'accesslogsbucket').arn).not.toBe(byName(buckets, 'accesslogsbucket').arn);
    expect(byName(importYaml().inventory.s3!.buckets, 'accesslogsbucket').arn).toBe(byName(buckets, 'accesslogsbucket').arn);
  });

  it('links bucket -> !GetAtt key ARN -> customer managed key, and the alias to the key', () => {
    const bucket = byName(buckets, 'dev-training-data-123456789012');
    expect(bucket.encryption!.rules).toHaveLength(1);
    const rule = bucket.encryption!.rules[0]!;
    expect(rule.sseAlgorithm).toBe('aws:kms');
    expect(rule.bucketKeyEnabled).toBe(true);
    const key = index.resolveKmsKey(rule.kmsMasterKeyId!, bucket.region);
    expect(key?.keyManager).toBe('CUSTOMER');
    expect(key?.rotationEnabled).toBe(true);
    expect(key?.aliases).toEqual(['alias/dev-training-data']);
    // The key policy's !Sub resolved the partition and account.
    expect(key?.policy?.normalized.statements[0]?.principal?.AWS).toEqual(['arn:aws:iam::123456789012:root']);
    // The trail refers to the key through the alias (!Ref Alias returns the alias name).
    const trail = byName(inventory.cloudtrail!.trails, 'org-audit');
    expect(trail.kmsKeyId).toBe('alias/dev-training-data');
    expect(index.resolveKmsKey(trail.kmsKeyId!, trail.region)?.arn).toBe(key?.arn);
  });

  it('keeps SSE-S3 and the AWS managed aws/s3 key apart from a CMK', () => {
    expect(byName(buckets, 'accesslogsbucket').encryption).toEqual({ rules: [{ sseAlgorithm: 'AES256' }] });
    const featureStore = byName(buckets, 'feature-store-exports');
    const rule = featureStore.encryption!.rules[0]!;
    expect(rule).toMatchObject({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/aws/s3' });
    expect(index.resolveKmsKey(rule.kmsMasterKeyId!, featureStore.region)?.keyManager).toBe('AWS');
  });

  it('reads the four Block Public Access flags; missing flags are false; an undeclared block is S3\'s default for new buckets', () => {
    expect(byName(buckets, 'dev-training-data-123456789012').publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect(byName(buckets, 'accesslogsbucket').publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    });
    const undeclared = byName(buckets, 'feature-store-exports');
    expect(undeclared.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(undeclared.publicAccessBlockFromDefault).toBe(true);
    expect(undeclared.unresolved ?? []).not.toContain('PublicAccessBlockConfiguration');
  });

  it('attaches the BucketPolicy to its bucket and resolves ${Bucket.Arn} inside it', () => {
    const bucket = byName(buckets, 'dev-training-data-123456789012');
    expect(bucket.policy?.normalized.statements[0]?.resource).toEqual([
      'arn:aws:s3:::dev-training-data-123456789012',
      'arn:aws:s3:::dev-training-data-123456789012/*',
    ]);
    expect(byName(buckets, 'accesslogsbucket').policy).toBeNull();
  });

  it('reads versioning, object lock (Fn::FindInMap) and logging (Ref to another bucket)', () => {
    const bucket = byName(buckets, 'dev-training-data-123456789012');
    expect(bucket.versioning).toEqual({ status: 'Enabled', mfaDelete: 'Disabled' });
    expect(bucket.objectLock).toEqual({ enabled: true, defaultRetention: { mode: 'GOVERNANCE', days: 30 } });
    expect(bucket.logging).toEqual({ targetBucket: byName(buckets, 'accesslogsbucket').name, targetPrefix: 'training-data/' });
    expect(byName(buckets, 'accesslogsbucket').logging).toBeNull();
  });

  it('evaluates Conditions: false drops the resource, Fn::If picks a branch, AWS::NoValue removes the property', () => {
    expect(buckets.map((b) => b.name)).not.toContain('prod-only');
    const scratch = byName(buckets, 'scratchbucket');
    expect(scratch.versioning).toEqual({ status: 'Off', mfaDelete: 'Disabled' });
    const prod = importYaml({ parameters: { Environment: 'prod' } }).inventory;
    expect(prod.s3!.buckets.map((b) => b.name)).toContain('prod-only');
    expect(prod.s3!.buckets.map((b) => b.name)).not.toContain('scratchbucket');
    expect(byName(prod.s3!.buckets, 'prod-training-data-123456789012').objectLock?.defaultRetention?.days).toBe(2555);
  });

  it('leaves fields absent for a parameter without default and for Fn::ImportValue, and says why', () => {
    const shared = byName(buckets, 'shared-artifacts-dev');
    expect(shared.encryption).toBeUndefined();
    expect(shared.publicAccessBlock).toBeUndefined();
    expect(shared.unresolved).toEqual([
      'BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID',
      'PublicAccessBlockConfiguration.RestrictPublicBuckets',
    ]);
    const given = importYaml({ parameters: { SharedArtifactsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/abc' } }).inventory;
    expect(byName(given.s3!.buckets, 'shared-artifacts-dev').encryption?.rules[0]?.kmsMasterKeyId).toBe(
      'arn:aws:kms:us-east-1:111122223333:key/abc',
    );
  });

  it('reads CloudTrail trails with AWS defaults for unset properties', () => {
    const audit = byName(inventory.cloudtrail!.trails, 'org-audit');
    expect(audit).toMatchObject({ isMultiRegionTrail: true, isLogging: true, logFileValidationEnabled: true, homeRegion: 'us-east-1', s3BucketName: byName(buckets, 'accesslogsbucket').name });
    expect(audit.eventSelectors?.[0]?.dataResources).toEqual([{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::dev-training-data-123456789012/'] }]);
    const app = byName(inventory.cloudtrail!.trails, 'AppTrail');
    expect(app).toMatchObject({ isMultiRegionTrail: false, isLogging: false, logFileValidationEnabled: false, kmsKeyId: null });
  });

  it('builds IAM roles with inline policies, AWS::IAM::Policy and ManagedPolicy attachments', () => {
    const training = byName(inventory.iam!.roles, 'dev-sagemaker-training');
    expect(training.trustPolicy.normalized.statements[0]?.principal?.Service).toEqual(['sagemaker.amazonaws.com']);
    expect(training.inlinePolicies.map((p) => p.name)).toEqual(['everything-in-s3', 'extra-training']);
    expect(training.inlinePolicies[0]!.policy.normalized.statements[0]).toMatchObject({ action: ['s3:*'], resource: ['*'] });
    expect(training.inlinePolicies[1]!.policy.normalized.statements[0]?.resource?.[0]).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
    const scoped = byName(inventory.iam!.roles, 'ScopedRole');
    expect(scoped.attachedManagedPolicies).toEqual(['arn:aws:iam::123456789012:policy/bedrock-invoke-any-model']);
    const managed = byName(inventory.iam!.policies, 'bedrock-invoke-any-model');
    expect(managed).toMatchObject({ awsManaged: false, attachmentCount: 1 });
    expect(managed.document?.normalized.statements[0]).toMatchObject({ action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], resource: ['*'] });
  });

  it('reads SageMaker notebooks, models, endpoint configs and Bedrock guardrails and agents', () => {
    const open = byName(inventory.sagemaker!.notebookInstances, 'OpenNotebook');
    expect(open).toMatchObject({ directInternetAccess: 'Enabled', subnetId: null, rootAccess: 'Enabled', kmsKeyId: null });
    const closed = byName(inventory.sagemaker!.notebookInstances, 'private-research');
    expect(closed).toMatchObject({ directInternetAccess: 'Disabled', subnetId: 'subnet-0abc1234def567890', rootAccess: 'Disabled', securityGroups: ['sg-0123456789abcdef0'] });
    expect(index.resolveKmsKey(closed.kmsKeyId!, closed.region)?.keyManager).toBe('CUSTOMER');
    expect(byName(inventory.sagemaker!.models, 'fraud-detector')).toMatchObject({ enableNetworkIsolation: true, vpcConfig: { subnets: ['subnet-0abc1234def567890'], securityGroupIds: ['sg-0123456789abcdef0'] } });
    expect(byName(inventory.sagemaker!.models, 'OpenModel')).toMatchObject({ enableNetworkIsolation: false, vpcConfig: null });
    expect(byName(inventory.sagemaker!.endpointConfigs, 'InferenceConfig').productionVariants).toEqual([
      { variantName: 'primary', modelName: 'fraud-detector', instanceType: 'ml.m5.large', initialInstanceCount: 1 },
    ]);
    const guardrail = byName(inventory.bedrock!.guardrails, 'phi-guardrail');
    expect(guardrail.contentPolicy?.filters).toEqual([{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }]);
    expect(guardrail.topicPolicy).toBeNull();
    const agent = byName(inventory.bedrock!.agents, 'support-agent');
    expect(agent.guardrail).toEqual({ id: guardrail.id, version: 'DRAFT' });
    expect(agent.roleArn).toBe(byName(inventory.iam!.roles, 'ScopedRole').arn);
  });

  it('records the line of each resource and of its properties (YAML)', () => {
    const bucket = byName(buckets, 'dev-training-data-123456789012');
    const start = lineOf(yaml.text, '  TrainingDataBucket:');
    expect(bucket.source).toMatchObject({ file: yaml.file, line: start, column: 3, logicalId: 'TrainingDataBucket' });
    expect(bucket.source!.properties!.BucketEncryption).toEqual({ line: lineOf(yaml.text, 'BucketEncryption:', start), column: 7 });
    expect(bucket.source!.properties!['PublicAccessBlockConfiguration.RestrictPublicBuckets']!.line).toBe(lineOf(yaml.text, 'RestrictPublicBuckets', start));
    // The bucket policy lives in another resource: its key points at that resource's document.
    expect(bucket.source!.properties!.BucketPolicy!.line).toBe(lineOf(yaml.text, ' PolicyDocument:', lineOf(yaml.text, '  TrainingDataBucketPolicy:')));
    // Arguments of intrinsic functions are not property paths.
    expect(Object.keys(bucket.source!.properties!).some((k) => k.includes('Days['))).toBe(false);
    const role = byName(inventory.iam!.roles, 'dev-sagemaker-training');
    expect(role.source!.properties!['Policies[0].PolicyDocument']!.line).toBe(lineOf(yaml.text, ' PolicyDocument:', lineOf(yaml.text, '  TrainingRole:')));
    expect(bucket.source!.properties!.PolicyDocument).toEqual(bucket.source!.properties!.BucketPolicy);
    const scoped = byName(inventory.iam!.roles, 'ScopedRole');
    expect(scoped.source!.properties!.Policies!.line).toBe(lineOf(yaml.text, 'Policies:', lineOf(yaml.text, '  ScopedRole:')));
    expect(byName(inventory.iam!.roles, 'dev-sagemaker-training').source!.properties!.Policies!.line).toBe(lineOf(yaml.text, 'Policies:', lineOf(yaml.text, '  TrainingRole:')));
    expect(role.source!.properties!['Policies[1]']!.line).toBe(lineOf(yaml.text, ' PolicyDocument:', lineOf(yaml.text, '  ExtraTrainingPolicy:')));
    const notebook = byName(inventory.sagemaker!.notebookInstances, 'private-research');
    expect(notebook.source!.properties!.DirectInternetAccess!.line).toBe(lineOf(yaml.text, 'DirectInternetAccess: Disabled'));
  });

  it('uses the given account, region and stack name', () => {
    const { inventory: other } = importYaml({ accountId: '111122223333', region: 'eu-central-1' });
    expect(other.account.id).toBe('111122223333');
    expect(other.regions).toEqual(['eu-central-1']);
    expect(byName(other.s3!.buckets, 'dev-training-data-111122223333')).toBeDefined();
    expect(other.kms!.keys.find((k) => k.keyManager === 'CUSTOMER')!.arn).toMatch(/^arn:aws:kms:eu-central-1:111122223333:key\//);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(importYaml().input)).toBe(JSON.stringify(input));
  });
});

describe('CloudFormation JSON (long-form intrinsics)', () => {
  const input = importCloudFormation(json.text, json.file, { region: 'eu-west-1' });
  const inventory = parseInventory(input, json.file);
  const index = new InventoryIndex(inventory);

  it('resolves Fn::Sub, Fn::Join and Ref to an alias into the bucket encryption', () => {
    const bucket = byName(inventory.s3!.buckets, 'genai-prompts-staging-eu-west-1');
    const rule = bucket.encryption!.rules[0]!;
    expect(rule.kmsMasterKeyId).toBe('alias/genai-staging');
    const key = index.resolveKmsKey(rule.kmsMasterKeyId!, bucket.region);
    expect(key).toMatchObject({ keyManager: 'CUSTOMER', rotationEnabled: false });
    expect(key?.policy?.normalized.statements[0]?.principal?.AWS).toEqual(['arn:aws:iam::123456789012:root']);
  });

  it('treats SSM parameter types as unknown and Fn::If to AWS::NoValue as not set', () => {
    const bucket = byName(inventory.s3!.buckets, 'genai-prompts-staging-eu-west-1');
    expect(bucket.logging).toBeUndefined();
    expect(bucket.unresolved).toContain('LoggingConfiguration.DestinationBucketName');
    expect(bucket.versioning).toEqual({ status: 'Off', mfaDelete: 'Disabled' });
  });

  it('keeps a policy with an unresolved Fn::ImportValue, marks the leaf and notes the path', () => {
    const role = byName(inventory.iam!.roles, 'genai-invoke-staging');
    expect(role.path).toBe('/apps/');
    expect(role.arn).toBe('arn:aws:iam::123456789012:role/apps/genai-invoke-staging');
    const statements = role.inlinePolicies[0]!.policy.normalized.statements;
    expect(statements[0]).toMatchObject({ action: ['bedrock:InvokeModel'], resource: ['*'] });
    expect(statements[1]!.resource).toEqual(['arn:aws:s3:::genai-prompts-staging-eu-west-1/*']);
    expect(statements[2]!.resource![0]).toMatch(/^<unresolved: Fn::ImportValue central-logging-key-arn/);
    expect(role.unresolved).toEqual(['Policies[0].PolicyDocument.Statement[2].Resource']);
  });

  it('evaluates Fn::If with conditions on parameters, Fn::Select over a list parameter', () => {
    const notebook = byName(inventory.sagemaker!.notebookInstances, 'research-staging');
    expect(notebook).toMatchObject({ directInternetAccess: 'Disabled', subnetId: 'subnet-0aaa1111bbbb2222c' });
    expect(byName(inventory.sagemaker!.models, 'ScoringModel')).toMatchObject({
      enableNetworkIsolation: true,
      vpcConfig: { subnets: ['subnet-0aaa1111bbbb2222c', 'subnet-0ddd3333eeee4444f'], securityGroupIds: ['sg-0fedcba9876543210'] },
    });
    const open = parseInventory(importCloudFormation(json.text, json.file, { parameters: { EnableIsolation: 'false' } }), json.file);
    expect(byName(open.sagemaker!.notebookInstances, 'research-staging')).toMatchObject({ directInternetAccess: 'Enabled', subnetId: null });
    expect(byName(open.sagemaker!.models, 'ScoringModel').enableNetworkIsolation).toBe(false);
  });

  it('drops resources whose Condition is false and keeps them when true', () => {
    expect(inventory.sagemaker!.domains).toEqual([]);
    const prod = parseInventory(importCloudFormation(json.text, json.file, { parameters: { Stage: 'production' } }), json.file);
    expect(byName(prod.sagemaker!.domains, 'prod-studio')).toMatchObject({ appNetworkAccessType: 'PublicInternetOnly', authMode: 'IAM' });
  });

  it('records an agent without guardrail as null and JSON line numbers', () => {
    const agent = byName(inventory.bedrock!.agents, 'faq-staging');
    expect(agent.guardrail).toBeNull();
    expect(agent.foundationModel).toBe('meta.llama3-70b-instruct-v1:0');
    expect(agent.source!.line).toBe(lineOf(json.text, '"UnguardedAgent"'));
    expect(agent.source!.properties!.FoundationModel!.line).toBe(lineOf(json.text, '"FoundationModel": "meta'));
  });
});

describe('CloudFormation SageMaker model artifacts', () => {
  const template = [
    'Parameters:',
    '  ArtifactKey: { Type: String }',
    'Resources:',
    '  Artifacts:',
    '    Type: AWS::S3::Bucket',
    '    Properties: { BucketName: acme-artifacts }',
    '  Multi:',
    '    Type: AWS::SageMaker::Model',
    '    Properties:',
    '      ModelName: multi',
    '      Containers:',
    '        - Image: img:1',
    '          ModelDataUrl: !Sub "s3://${Artifacts}/a/model.tar.gz"',
    '        - Image: img:2',
    '          ModelDataSource: { S3DataSource: { S3Uri: !Sub "s3://${Artifacts}/b/", S3DataType: S3Prefix, CompressionType: None } }',
    '  Bare:',
    '    Type: AWS::SageMaker::Model',
    '    Properties: { ModelName: bare, PrimaryContainer: { Image: img:1 } }',
    '  Pending:',
    '    Type: AWS::SageMaker::Model',
    '    Properties:',
    '      ModelName: pending',
    '      PrimaryContainer: { Image: img:1, ModelDataUrl: !Sub "s3://acme-artifacts/${ArtifactKey}" }',
    '  Imported:',
    '    Type: AWS::SageMaker::Model',
    '    Properties:',
    '      ModelName: imported',
    '      PrimaryContainer: { Image: img:1, ModelDataUrl: s3://acme-artifacts/known.tar.gz }',
    '      Containers: !ImportValue shared-containers',
  ].join('\n');
  const inventory = parseInventory(importCloudFormation(template, 'models.yaml'), 'models.yaml');
  const models = Object.fromEntries(inventory.sagemaker!.models.map((m) => [m.name, m]));

  it('lists ModelDataUrl and ModelDataSource S3 URIs of every container, resolving !Sub to the bucket name', () => {
    expect(models.multi!.modelDataUrls).toEqual(['s3://acme-artifacts/a/model.tar.gz', 's3://acme-artifacts/b/']);
    expect(models.bare!.modelDataUrls).toEqual([]);
    const graph = buildAiAssetGraph(inventory, new InventoryIndex(inventory));
    expect(describeMembership(graph, 'arn:aws:s3:::acme-artifacts')).toEqual(['model artifacts of model multi']);
  });

  it('leaves the list absent when one value is unresolved, and says which', () => {
    expect(models.pending!.modelDataUrls).toBeUndefined();
    expect(models.pending!.unresolved).toEqual(['PrimaryContainer.ModelDataUrl']);
    expect(models.imported!.modelDataUrls).toBeUndefined();
    expect(models.imported!.unresolved).toEqual(['Containers']);
    const given = parseInventory(importCloudFormation(template, 'models.yaml', { parameters: { ArtifactKey: 'p/model.tar.gz' } }), 'models.yaml');
    expect(given.sagemaker!.models.find((m) => m.name === 'pending')!.modelDataUrls).toEqual(['s3://acme-artifacts/p/model.tar.gz']);
  });
});
