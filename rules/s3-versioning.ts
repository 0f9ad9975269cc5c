import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 's3-versioning',
    title: 'S3 buckets have versioning enabled',
    severity: 'medium',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'Each bucket must have S3 Versioning in the Enabled state. Suspended versioning (existing versions are kept, new overwrites are not) and never-enabled versioning fail. MFA Delete is reported as evidence but not required.',
    rationale:
      'Versioning is the recovery point for training data, feature sets and model artifacts: an overwrite, a deletion, ransomware that re-encrypts objects or a poisoned data set pushed over the good one can be rolled back to a known-good version. Auditors read it as the backup and integrity evidence for HIPAA 164.308(a)(7), NIST CP-9 and GDPR Art. 32(1)(c), and it is a prerequisite for S3 Object Lock and replication.',
    remediation: {
      console: [
        'Open the bucket in the S3 console and choose the Properties tab.',
        'Under Bucket Versioning choose Edit, select Enable, and Save changes.',
        'Add a lifecycle rule that expires noncurrent versions after your retention period to control storage cost.',
      ],
      cli: 'aws s3api put-bucket-versioning --bucket <BUCKET> --versioning-configuration Status=Enabled',
      cloudformation: [
        'TrainingData:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    VersioningConfiguration:',
        '      Status: Enabled',
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket_versioning" "training_data" {',
        '  bucket = aws_s3_bucket.training_data.id',
        '  versioning_configuration {',
        '    status = "Enabled"',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/manage-versioning-examples.html',
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
      const versioning = bucket.versioning;
      if (versioning === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether bucket ${bucket.name} is versioned: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketVersioning'] }, 'the versioning configuration')}.`,
        };
        continue;
      }
      const evidence = { status: versioning.status, mfaDelete: versioning.mfaDelete };
      if (versioning.status === 'Enabled') {
        yield {
          verdict: 'pass',
          resource,
          message: `Versioning is enabled on bucket ${bucket.name}${versioning.mfaDelete === 'Enabled' ? ' (MFA Delete on)' : ''}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message:
            versioning.status === 'Suspended'
              ? `Versioning is suspended on bucket ${bucket.name}: overwritten or deleted objects are no longer kept as versions.`
              : `Versioning has never been enabled on bucket ${bucket.name}: an overwrite or deletion cannot be undone.`,
          evidence,
          property: 'VersioningConfiguration',
        };
      }
    }
  },
});
