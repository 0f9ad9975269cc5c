import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTerraformPlan, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { InventoryIndex } from '../../src/engine/inventory-index.js';
import { parseInventory } from '../../src/inventory/load.js';
import { byName, fixture, lineOf } from './helpers.js';

const plan = fixture('terraform/plan.json');
const mainTf = fixture('terraform/main.tf');
const moduleTf = fixture('terraform/modules/guardrails/main.tf');

describe('Terraform plan JSON', () => {
  const input = importTerraformPlan(plan.text, plan.file);
  const inventory = parseInventory(input, plan.file);
  const index = new InventoryIndex(inventory);
  const buckets = inventory.s3!.buckets;

  it('takes the region from the provider configuration and the placeholder account', () => {
    expect(inventory.account.id).toBe('123456789012');
    expect(inventory.regions).toEqual(['eu-west-1']);
    expect(inventory.source).toEqual({ kind: 'terraform', detail: plan.file });
    expect(inventory.s3!.accountPublicAccessBlock).toBeUndefined();
  });

  it('joins split S3 resources to their bucket by reference when the bucket id is unknown until apply', () => {
    const bucket = byName(buckets, 'prod-training-data-eu');
    expect(bucket.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(bucket.versioning).toEqual({ status: 'Enabled', mfaDelete: 'Disabled' });
    expect(bucket.tags).toEqual({ 'data-classification': 'phi' });
    const rule = bucket.encryption!.rules[0]!;
    expect(rule).toMatchObject({ sseAlgorithm: 'aws:kms', bucketKeyEnabled: true });
    // kms_master_key_id is unknown in the plan: followed to aws_kms_key.training_data.arn.
    const key = index.resolveKmsKey(rule.kmsMasterKeyId!, bucket.region);
    expect(key).toMatchObject({ keyManager: 'CUSTOMER', rotationEnabled: true, aliases: ['alias/training-data'] });
    // No policy in the configuration: KMS's documented default key policy.
    expect(key?.policy?.normalized.statements[0]).toMatchObject({ effect: 'Allow', action: ['kms:*'], principal: { AWS: ['arn:aws:iam::123456789012:root'] } });
    expect(key?.unresolved).toBeUndefined();
  });

  it('joins split S3 resources by bucket name when it is known; missing flags are false', () => {
    const bucket = byName(buckets, 'raw-uploads-eu');
    expect(bucket.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false });
    expect(bucket.encryption).toEqual({ rules: [{ sseAlgorithm: 'AES256' }] });
    expect(bucket.policy).toBeNull();
    expect(bucket.unresolved).toBeUndefined();
  });

  it('recognises the AWS managed aws/s3 key; a bucket the plan creates without a block gets S3\'s default', () => {
    const bucket = byName(buckets, 'model-artifacts-eu');
    const rule = bucket.encryption!.rules[0]!;
    expect(index.resolveKmsKey(rule.kmsMasterKeyId!, bucket.region)?.keyManager).toBe('AWS');
    expect(bucket.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(bucket.publicAccessBlockFromDefault).toBe(true);
    expect(bucket.unresolved).toBeUndefined();
  });

  it('leaves the block of a bucket the plan does not create unknown (its setting is not in the plan)', () => {
    const data = JSON.parse(plan.text);
    for (const change of data.resource_changes) if (change.address === 'aws_s3_bucket.model_artifacts') change.change.actions = ['no-op'];
    const existing = parseInventory(importTerraformPlan(JSON.stringify(data), plan.file), plan.file);
    const bucket = byName(existing.s3!.buckets, 'model-artifacts-eu');
    expect(bucket.publicAccessBlock).toBeUndefined();
    expect(bucket.publicAccessBlockFromDefault).toBeUndefined();
    expect(bucket.unresolved).toEqual(['PublicAccessBlockConfiguration']);
  });

  it('leaves a policy that depends on apply-time values absent and says why', () => {
    const bucket = byName(buckets, 'prod-training-data-eu');
    expect(bucket.policy).toBeUndefined();
    expect(bucket.unresolved).toEqual(['BucketPolicy']);
  });

  it('synthesizes the name of a bucket named only at apply (bucket_prefix) and notes it', () => {
    // bucket_prefix plus a hash of the plan and the address, as Terraform adds a unique suffix.
    const scratch = buckets.find((b) => b.source?.logicalId === 'aws_s3_bucket.scratch')!;
    expect(scratch.name).toMatch(/^scratch-[0-9a-f]{12}$/);
    expect(scratch.arn).toBe(`arn:aws:s3:::${scratch.name}`);
    expect(scratch.unresolved).toEqual(['BucketName']);
    expect(scratch.encryption).toEqual({ rules: [{ sseAlgorithm: 'AES256' }] });
  });

  it('reads trails, following the KMS key reference', () => {
    const audit = byName(inventory.cloudtrail!.trails, 'org-audit');
    expect(audit).toMatchObject({ isMultiRegionTrail: true, isLogging: true, logFileValidationEnabled: true, s3BucketName: 'raw-uploads-eu', homeRegion: 'eu-west-1' });
    expect(index.resolveKmsKey(audit.kmsKeyId!, audit.region)?.keyManager).toBe('CUSTOMER');
    expect(byName(inventory.cloudtrail!.trails, 'app-trail')).toMatchObject({ isMultiRegionTrail: false, isLogging: false, kmsKeyId: null });
  });

  it('reads IAM roles with inline_policy blocks, aws_iam_role_policy and policy attachments', () => {
    const training = byName(inventory.iam!.roles, 'sagemaker-training');
    expect(training.inlinePolicies[0]!.policy.normalized.statements[0]).toMatchObject({ action: ['s3:*'], resource: ['*'] });
    expect(training.trustPolicy.normalized.statements[0]?.principal?.Service).toEqual(['sagemaker.amazonaws.com']);
    // managed_policy_arns is provider-computed and not configured: not a reason for unknown.
    expect(training.unresolved).toBeUndefined();
    const scoped = byName(inventory.iam!.roles, 'sagemaker-scoped');
    expect(scoped.inlinePolicies.map((p) => p.name)).toEqual(['read-training-data']);
    expect(scoped.attachedManagedPolicies).toEqual(['arn:aws:iam::123456789012:policy/bedrock-invoke-any-model']);
    const policy = byName(inventory.iam!.policies, 'bedrock-invoke-any-model');
    expect(policy).toMatchObject({ attachmentCount: 1, awsManaged: false });
    expect(policy.document?.normalized.statements[0]?.resource).toEqual(['*']);
  });

  it('reads SageMaker notebooks and models with provider defaults', () => {
    expect(byName(inventory.sagemaker!.notebookInstances, 'open-notebook')).toMatchObject({ directInternetAccess: 'Enabled', subnetId: null, rootAccess: 'Enabled' });
    const closed = byName(inventory.sagemaker!.notebookInstances, 'private-research');
    expect(closed).toMatchObject({ directInternetAccess: 'Disabled', subnetId: 'subnet-0abc1234def567890', securityGroups: ['sg-0123456789abcdef0'], rootAccess: 'Disabled' });
    expect(index.resolveKmsKey(closed.kmsKeyId!, closed.region)?.keyManager).toBe('CUSTOMER');
    expect(closed.roleArn).toBe('arn:aws:iam::123456789012:role/sagemaker-scoped');
    expect(byName(inventory.sagemaker!.models, 'fraud-detector')).toMatchObject({ enableNetworkIsolation: true, vpcConfig: null });
  });

  it('walks child modules and follows var.* into the module and module outputs out of it', () => {
    const guardrail = byName(inventory.bedrock!.guardrails, 'phi-guardrail');
    expect(guardrail.source?.logicalId).toBe('module.guardrails.aws_bedrock_guardrail.phi');
    expect(index.resolveKmsKey(guardrail.kmsKeyArn!, guardrail.region)?.keyManager).toBe('CUSTOMER');
    expect(guardrail.contentPolicy?.filters).toEqual([{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }]);
    const agent = byName(inventory.bedrock!.agents, 'support-agent');
    expect(agent.guardrail).toEqual({ id: guardrail.id, version: 'DRAFT' });
  });

  it('points resources and settings at the .tf lines, split resources included', () => {
    const bucket = byName(buckets, 'prod-training-data-eu');
    expect(bucket.source).toMatchObject({ file: mainTf.file, line: lineOf(mainTf.text, 'resource "aws_s3_bucket" "training_data"'), column: 1, logicalId: 'aws_s3_bucket.training_data' });
    const pab = lineOf(mainTf.text, 'resource "aws_s3_bucket_public_access_block" "training_data"');
    expect(bucket.source!.properties!.PublicAccessBlockConfiguration).toEqual({ line: pab, column: 1 });
    expect(bucket.source!.properties!['PublicAccessBlockConfiguration.RestrictPublicBuckets']!.line).toBe(lineOf(mainTf.text, 'restrict_public_buckets', pab));
    expect(bucket.source!.properties!.BucketEncryption!.line).toBe(lineOf(mainTf.text, 'resource "aws_s3_bucket_server_side_encryption_configuration" "training_data"'));
    const notebook = byName(inventory.sagemaker!.notebookInstances, 'private-research');
    expect(notebook.source!.properties!.DirectInternetAccess!.line).toBe(lineOf(mainTf.text, 'direct_internet_access = "Disabled"'));
    const guardrail = byName(inventory.bedrock!.guardrails, 'phi-guardrail');
    expect(guardrail.source).toMatchObject({ file: moduleTf.file, line: lineOf(moduleTf.text, 'resource "aws_bedrock_guardrail" "phi"') });
    const role = byName(inventory.iam!.roles, 'sagemaker-scoped');
    expect(role.source!.properties!['Policies[0]']!.line).toBe(lineOf(mainTf.text, 'resource "aws_iam_role_policy" "scoped_read"'));
    // The names the rules use: `Policies` for IAM, `PolicyDocument` for bucket policies.
    // `Policies` is only the role's own inline_policy: a finding may come from an attached managed
    // policy instead, so separate policy resources do not claim it (the role's line is used).
    expect(role.source!.properties!.Policies).toBeUndefined();
    expect(bucket.source!.properties!.PolicyDocument!.line).toBe(lineOf(mainTf.text, 'resource "aws_s3_bucket_policy" "training_data"'));
    const training = byName(inventory.iam!.roles, 'sagemaker-training');
    expect(training.source!.properties!.Policies!.line).toBe(lineOf(mainTf.text, 'inline_policy {'));
  });

  it('without .tf files beside the plan, points at the resource_changes entry of the resource in the plan', () => {
    const elsewhere = importTerraformPlan(plan.text, plan.file, { terraformDir: path.join(path.dirname(plan.file), 'no-such-dir') });
    const bucket = elsewhere.s3!.buckets.find((b) => b.name === 'prod-training-data-eu')!;
    const line = lineOf(plan.text, '"address": "aws_s3_bucket.training_data"', lineOf(plan.text, '"resource_changes"'));
    const column = plan.text.split('\n')[line - 1]!.indexOf('"address"') + 1;
    // Settings declared by a split resource point at that resource's entry.
    const block = lineOf(plan.text, '"address": "aws_s3_bucket_public_access_block.training_data"', lineOf(plan.text, '"resource_changes"'));
    expect(bucket.source).toEqual({
      file: plan.file,
      line,
      column,
      logicalId: 'aws_s3_bucket.training_data',
      properties: expect.objectContaining({ PublicAccessBlockConfiguration: { line: block, column } }),
    });
    // Without the text (data parsed elsewhere), only the file and the address.
    const fromData = importTerraformPlanData(JSON.parse(plan.text), plan.file, { terraformDir: path.join(path.dirname(plan.file), 'no-such-dir') });
    expect(fromData.s3!.buckets.find((b) => b.name === 'prod-training-data-eu')!.source).toEqual({ file: plan.file, logicalId: 'aws_s3_bucket.training_data' });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(importTerraformPlan(plan.text, plan.file))).toBe(JSON.stringify(input));
  });
});

describe('Terraform plan details', () => {
  const basePlan = (resources: unknown[], changes: unknown[] = [], configuration: unknown = {}) => ({
    format_version: '1.2',
    planned_values: { root_module: { resources } },
    resource_changes: changes,
    configuration,
  });

  it('makes a configured attribute that is unknown after apply absent, not a guess', () => {
    const data = basePlan(
      [
        { address: 'aws_sagemaker_notebook_instance.nb', mode: 'managed', type: 'aws_sagemaker_notebook_instance', name: 'nb', values: { name: 'nb', instance_type: 'ml.t3.medium' } },
      ],
      [{ address: 'aws_sagemaker_notebook_instance.nb', change: { actions: ['create'], after_unknown: { direct_internet_access: true, subnet_id: true } } }],
      {
        root_module: {
          resources: [
            {
              address: 'aws_sagemaker_notebook_instance.nb',
              mode: 'managed',
              type: 'aws_sagemaker_notebook_instance',
              name: 'nb',
              expressions: { direct_internet_access: { references: ['var.internet'] }, subnet_id: { references: ['data.aws_subnet.x.id'] } },
            },
          ],
        },
      },
    );
    const inventory = parseInventory(importTerraformPlanData(data, 'plan.json', { region: 'us-west-2' }), 'plan.json');
    const notebook = inventory.sagemaker!.notebookInstances[0]!;
    expect(notebook.directInternetAccess).toBeUndefined();
    expect(notebook.subnetId).toBeUndefined();
    expect(notebook.unresolved).toEqual(['DirectInternetAccess', 'SubnetId']);
    expect(notebook.region).toBe('us-west-2');
  });

  it('reads the account-level public access block, per-resource regions and count instances', () => {
    const data = basePlan([
      { address: 'aws_s3_account_public_access_block.this', mode: 'managed', type: 'aws_s3_account_public_access_block', name: 'this', values: { block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true } },
      { address: 'aws_s3_bucket.logs[0]', mode: 'managed', type: 'aws_s3_bucket', name: 'logs', index: 0, values: { bucket: 'logs-a', region: 'ap-southeast-2' } },
      { address: 'aws_s3_bucket.logs[1]', mode: 'managed', type: 'aws_s3_bucket', name: 'logs', index: 1, values: { bucket: 'logs-b' } },
      { address: 'data.aws_iam_policy_document.x', mode: 'data', type: 'aws_iam_policy_document', name: 'x', values: {} },
    ]);
    const inventory = parseInventory(importTerraformPlanData(data, 'plan.json'), 'plan.json');
    expect(inventory.s3!.accountPublicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(inventory.s3!.buckets.map((b) => [b.name, b.region, b.source?.logicalId])).toEqual([
      ['logs-a', 'ap-southeast-2', 'aws_s3_bucket.logs[0]'],
      ['logs-b', 'us-east-1', 'aws_s3_bucket.logs[1]'],
    ]);
    expect(inventory.regions).toEqual(['ap-southeast-2', 'us-east-1']);
  });

  it('reads model artifacts; a URI known only after apply is unknown, never the referenced bucket\'s id', () => {
    const model = (name: string, values: Record<string, unknown>) => ({ address: `aws_sagemaker_model.${name}`, mode: 'managed', type: 'aws_sagemaker_model', name, values: { name, ...values } });
    const data = basePlan(
      [
        { address: 'aws_s3_bucket.art', mode: 'managed', type: 'aws_s3_bucket', name: 'art', values: { bucket_prefix: 'art-' } },
        model('pending', { primary_container: [{ image: 'img:1' }] }),
        model('multi', {
          container: [
            { image: 'img:1', model_data_url: 's3://acme-artifacts/a/model.tar.gz' },
            { image: 'img:2', model_data_source: [{ s3_data_source: [{ s3_uri: 's3://acme-artifacts/b/', s3_data_type: 'S3Prefix', compression_type: 'None' }] }] },
          ],
        }),
        model('dynamic', {}),
        model('bare', { primary_container: [{ image: 'img:1' }] }),
      ],
      [
        { address: 'aws_s3_bucket.art', change: { actions: ['create'], after_unknown: { bucket: true, id: true, arn: true } } },
        // The image comes from a repository created with the plan: unknown too, but not a model artifact.
        { address: 'aws_sagemaker_model.pending', change: { actions: ['create'], after_unknown: { primary_container: [{ model_data_url: true }] } } },
        { address: 'aws_sagemaker_model.multi', change: { actions: ['create'], after_unknown: { container: [{ image: true }, {}] } } },
        { address: 'aws_sagemaker_model.dynamic', change: { actions: ['create'], after_unknown: { container: true } } },
      ],
      {
        root_module: {
          resources: [
            { address: 'aws_sagemaker_model.pending', mode: 'managed', type: 'aws_sagemaker_model', name: 'pending', expressions: { primary_container: [{ model_data_url: { references: ['aws_s3_bucket.art.id', 'aws_s3_bucket.art'] } }] } },
            { address: 'aws_sagemaker_model.dynamic', mode: 'managed', type: 'aws_sagemaker_model', name: 'dynamic', expressions: { container: { references: ['var.containers'] } } },
          ],
        },
      },
    );
    const inventory = parseInventory(importTerraformPlanData(data, 'plan.json'), 'plan.json');
    const models = Object.fromEntries(inventory.sagemaker!.models.map((m) => [m.name, m]));
    expect(models.pending!.modelDataUrls).toBeUndefined();
    expect(models.pending!.unresolved).toEqual(['PrimaryContainer.ModelDataUrl']);
    expect(models.multi!.modelDataUrls).toEqual(['s3://acme-artifacts/a/model.tar.gz', 's3://acme-artifacts/b/']);
    expect(models.multi!.unresolved).toBeUndefined();
    expect(models.dynamic!.modelDataUrls).toBeUndefined();
    expect(models.dynamic!.unresolved).toEqual(['Containers[0].ModelDataSource.S3DataSource.S3Uri', 'Containers[0].ModelDataUrl']);
    expect(models.bare!.modelDataUrls).toEqual([]);
    // Container images: in order; one known only after apply leaves the list unknown (not noted).
    expect(models.bare!.containerImages).toEqual(['img:1']);
    expect(models.multi!.containerImages).toBeUndefined();
    expect(models.dynamic!.containerImages).toBeUndefined();
  });

  it('reads a Bedrock custom model\'s customization role and S3 data', () => {
    const custom = (name: string, values: Record<string, unknown>) => ({
      address: `aws_bedrock_custom_model.${name}`,
      mode: 'managed',
      type: 'aws_bedrock_custom_model',
      name,
      values: { custom_model_name: name, job_name: `${name}-job`, base_model_identifier: 'amazon.titan-text-express-v1', customization_type: 'FINE_TUNING', ...values },
    });
    const data = basePlan(
      [
        { address: 'aws_iam_role.ft', mode: 'managed', type: 'aws_iam_role', name: 'ft', values: { name: 'bedrock-ft', assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) } },
        custom('support', {
          training_data_config: [{ s3_uri: 's3://acme-train/support/train.jsonl' }],
          validation_data_config: [{ validator: [{ s3_uri: 's3://acme-eval/v1.jsonl' }, { s3_uri: 's3://acme-eval/v2.jsonl' }] }],
          output_data_config: [{ s3_uri: 's3://acme-out/support/' }],
        }),
        custom('pending', { role_arn: 'arn:aws:iam::123456789012:role/given', training_data_config: [{ s3_uri: 's3://acme-train/p.jsonl' }], output_data_config: [{}] }),
      ],
      [
        { address: 'aws_iam_role.ft', change: { actions: ['create'], after_unknown: { arn: true, id: true } } },
        { address: 'aws_bedrock_custom_model.support', change: { actions: ['create'], after_unknown: { role_arn: true, custom_model_arn: true, job_arn: true } } },
        { address: 'aws_bedrock_custom_model.pending', change: { actions: ['create'], after_unknown: { output_data_config: [{ s3_uri: true }], custom_model_arn: true } } },
      ],
      {
        root_module: {
          resources: [{ address: 'aws_bedrock_custom_model.support', mode: 'managed', type: 'aws_bedrock_custom_model', name: 'support', expressions: { role_arn: { references: ['aws_iam_role.ft.arn', 'aws_iam_role.ft'] } } }],
        },
      },
    );
    const inventory = parseInventory(importTerraformPlanData(data, 'plan.json'), 'plan.json');
    const models = Object.fromEntries(inventory.bedrock!.customModels.map((m) => [m.name, m]));
    expect(models.support).toMatchObject({
      roleArn: 'arn:aws:iam::123456789012:role/bedrock-ft',
      trainingDataS3Uri: 's3://acme-train/support/train.jsonl',
      validationDataS3Uris: ['s3://acme-eval/v1.jsonl', 's3://acme-eval/v2.jsonl'],
      outputDataS3Uri: 's3://acme-out/support/',
    });
    expect(models.pending).toMatchObject({ roleArn: 'arn:aws:iam::123456789012:role/given', trainingDataS3Uri: 's3://acme-train/p.jsonl', validationDataS3Uris: [] });
    expect(models.pending!.outputDataS3Uri).toBeUndefined();
    expect(models.pending!.unresolved).toEqual(['OutputDataConfig.S3Uri']);
  });

  it('omits sections the plan does not touch (not collected, not empty)', () => {
    const inventory = importTerraformPlanData(basePlan([]), 'plan.json');
    expect(inventory.s3).toBeUndefined();
    expect(inventory.cloudtrail).toBeUndefined();
    expect(inventory.iam).toBeUndefined();
  });
});
