/**
 * Object Ownership from infrastructure code: a bucket the template or plan creates without
 * ownership controls gets S3's default for new buckets (BucketOwnerEnforced since April 2023); a
 * declared setting wins; a bucket the plan does not create, or a setting known only after apply,
 * stays unknown (absent).
 */
import { describe, expect, it } from 'vitest';
import { importCloudFormation, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';

const template = JSON.stringify({
  Resources: {
    Defaulted: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'defaulted' } },
    Preferred: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'preferred', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } } },
    FromParameter: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'from-parameter', OwnershipControls: { Rules: [{ ObjectOwnership: { Ref: 'Ownership' } }] } } },
  },
  Parameters: { Ownership: { Type: 'String' } },
});

describe('S3 Object Ownership from CloudFormation', () => {
  const inventory = parseInventory(importCloudFormation(template, 'template.json'), 'template.json');
  const ownership = (name: string) => inventory.s3!.buckets.find((b) => b.name === name)!.ownership;

  it('is BucketOwnerEnforced for a bucket created without OwnershipControls', () => {
    expect(ownership('defaulted')).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
  });
  it('is the declared setting when there is one', () => {
    expect(ownership('preferred')).toEqual({ objectOwnership: 'BucketOwnerPreferred' });
  });
  it('is unknown when the declared setting cannot be resolved', () => {
    expect(ownership('from-parameter')).toBeUndefined();
  });
});

describe('S3 Object Ownership from a Terraform plan', () => {
  const bucket = (name: string) => ({ address: `aws_s3_bucket.${name}`, mode: 'managed', type: 'aws_s3_bucket', name, values: { bucket: name } });
  const create = (address: string) => ({ address, change: { actions: ['create'], after_unknown: {} } });
  const plan = {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          bucket('created'),
          bucket('existing'),
          bucket('preferred'),
          bucket('pending'),
          { address: 'aws_s3_bucket_ownership_controls.preferred', mode: 'managed', type: 'aws_s3_bucket_ownership_controls', name: 'preferred', values: { bucket: 'preferred', rule: [{ object_ownership: 'BucketOwnerPreferred' }] } },
          { address: 'aws_s3_bucket_ownership_controls.pending', mode: 'managed', type: 'aws_s3_bucket_ownership_controls', name: 'pending', values: { bucket: 'pending', rule: [{}] } },
        ],
      },
    },
    resource_changes: [
      create('aws_s3_bucket.created'),
      create('aws_s3_bucket.preferred'),
      create('aws_s3_bucket.pending'),
      create('aws_s3_bucket_ownership_controls.preferred'),
      { address: 'aws_s3_bucket_ownership_controls.pending', change: { actions: ['create'], after_unknown: { rule: [{ object_ownership: true }] } } },
    ],
    configuration: {},
  };
  const inventory = parseInventory(importTerraformPlanData(plan, 'plan.json'), 'plan.json');
  const ownership = (name: string) => inventory.s3!.buckets.find((b) => b.name === name)!.ownership;

  it('is BucketOwnerEnforced for a bucket the plan creates without aws_s3_bucket_ownership_controls', () => {
    expect(ownership('created')).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
  });
  it('is unknown for a bucket the plan does not create', () => {
    expect(ownership('existing')).toBeUndefined();
  });
  it('is the joined aws_s3_bucket_ownership_controls setting', () => {
    expect(ownership('preferred')).toEqual({ objectOwnership: 'BucketOwnerPreferred' });
  });
  it('is unknown when the joined setting is known only after apply', () => {
    expect(ownership('pending')).toBeUndefined();
  });
});
