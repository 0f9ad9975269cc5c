import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

const ENFORCED = 'BucketOwnerEnforced';

export default defineRule({
  meta: {
    id: 's3-acls-disabled',
    title: 'S3 buckets have ACLs disabled (Object Ownership BucketOwnerEnforced)',
    severity: 'medium',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'Each bucket must have the Object Ownership setting BucketOwnerEnforced, which disables access control lists: the bucket owner owns every object and only policies grant access. BucketOwnerPreferred, ObjectWriter, or no ownership controls on an existing bucket (ACLs enabled, objects owned by the writer) fail. A bucket that a template or plan creates without ownership controls gets S3\'s default for new buckets since April 2023, BucketOwnerEnforced, and passes. A bucket whose setting was not read is unknown.',
    rationale:
      'ACLs are a second, per-object access path that bucket policies, Access Analyzer and most reviews do not show: an object uploaded with a public-read or cross-account grant, or written by another account that then owns it, escapes the access model the bucket policy describes. With ACLs disabled, access to training data, model artifacts and logs is decided by IAM and bucket policies alone, which is what the access reviews for NIST AC-3 and AC-6, HIPAA 164.312(a)(1) and SOC 2 CC6.1 rely on.',
    remediation: {
      console: [
        'Check that no access depends on ACLs (S3 server access logs or CloudTrail data events with aclRequired), and move any such grants into the bucket policy.',
        'Open the bucket in the S3 console, Permissions tab, Object Ownership, Edit.',
        'Choose "ACLs disabled (recommended)" (Bucket owner enforced), and Save changes.',
      ],
      cli: [
        'aws s3api put-bucket-ownership-controls --bucket <BUCKET> \\',
        '  --ownership-controls \'{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]}\'',
      ].join('\n'),
      cloudformation: [
        'TrainingData:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    OwnershipControls:',
        '      Rules:',
        '        - ObjectOwnership: BucketOwnerEnforced',
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket_ownership_controls" "training_data" {',
        '  bucket = aws_s3_bucket.training_data.id',
        '  rule {',
        '    object_ownership = "BucketOwnerEnforced"',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ensure-object-ownership.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-12',
    ],
  },

  *evaluate(context) {
    const s3 = context.inventory.s3;
    if (!s3) {
      yield sectionUnknown(context, 's3', 'The S3 inventory');
      return;
    }
    for (const bucket of s3.buckets) {
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const ownership = bucket.ownership;
      if (ownership === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether the bucket's ACLs are disabled: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketOwnershipControls'] }, 'its Object Ownership setting')}.`,
        };
        continue;
      }
      const evidence = { objectOwnership: ownership?.objectOwnership ?? null };
      if (ownership?.objectOwnership === ENFORCED) {
        yield { verdict: 'pass', resource, message: 'Object Ownership is BucketOwnerEnforced: ACLs are disabled and the bucket owner owns every object.', evidence };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: ownership === null
            ? 'The bucket has no ownership controls, so ACLs are enabled and objects are owned by the account that writes them (ObjectWriter).'
            : `Object Ownership is ${ownership.objectOwnership}, so ACLs are enabled and can grant access that the bucket policy does not show.`,
          evidence,
          property: 'OwnershipControls',
        };
      }
    }
  },
});
