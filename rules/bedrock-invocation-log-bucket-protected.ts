import { defineRule } from '../src/engine/types.js';
import type { S3Bucket } from '../src/inventory/schema.js';
import { missingReason, pushTo, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { cmkEncryptionCheck, notPublicCheck, versioningCheck } from '../src/engine/bucket-checks.js';

export default defineRule({
  meta: {
    id: 'bedrock-invocation-log-bucket-protected',
    title: 'The S3 destination of Bedrock invocation logging is encrypted with a customer managed key, versioned and not public',
    severity: 'high',
    service: 'bedrock',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'The S3 bucket that Amazon Bedrock model invocation logging writes to (s3Config.bucketName, in any Region) must (1) encrypt by default with SSE-KMS or DSSE-KMS using a key that resolves to an enabled customer managed KMS key, (2) have versioning enabled, and (3) not be public: its policy status says not public, or all four Block Public Access settings are in effect (bucket and account level combined). A bucket missing any of these fails, naming each one. A bucket whose settings were not read, whose key is not in the inventory, or that is not in the inventory at all (another account, or S3 not collected) is unknown. Regions without invocation logging or without an S3 destination give no verdict here (bedrock-invocation-logging judges those).',
    rationale:
      'Invocation logs hold the prompts and completions themselves: patient questions, personal data, proprietary documents passed as context. The log bucket is therefore as sensitive as the training data, and often less watched. A customer managed key makes reading a log take kms:Decrypt under a key policy you control, with every decrypt recorded; versioning keeps an overwritten or deleted log recoverable; a public bucket would publish every prompt. This is the protection of audit information (NIST AU-9), encryption at rest (NIST SC-28, HIPAA 164.312(a)(2)(iv), GDPR Art. 32(1)(a)) and confidentiality of the audit trail (HIPAA 164.312(b), SOC 2 CC6.1 and CC7.2).',
    remediation: {
      console: [
        'Find the bucket: Amazon Bedrock console, Settings, Model invocation logging, S3 location (in every Region where it is on).',
        'Encryption: in the S3 console open the bucket, Properties, Default encryption, Edit; choose SSE-KMS with a customer managed key whose policy lets bedrock.amazonaws.com call kms:GenerateDataKey (with aws:SourceAccount / aws:SourceArn conditions); enable Bucket Key; Save.',
        'Versioning: Properties, Bucket Versioning, Edit, Enable, Save.',
        'Public access: Permissions, Block public access (bucket settings), Edit, turn on all four settings, Save; remove any bucket policy statement that grants Principal "*" without conditions.',
      ],
      cli: [
        'aws s3api put-bucket-encryption --bucket <LOG_BUCKET> --server-side-encryption-configuration \\',
        '  \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"arn:aws:kms:<REGION>:<ACCOUNT_ID>:key/<KEY_ID>"},"BucketKeyEnabled":true}]}\'',
        'aws s3api put-bucket-versioning --bucket <LOG_BUCKET> --versioning-configuration Status=Enabled',
        'aws s3api put-public-access-block --bucket <LOG_BUCKET> --public-access-block-configuration \\',
        '  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
      ].join('\n'),
      cloudformation: [
        'InvocationLogKey:',
        '  Type: AWS::KMS::Key',
        '  Properties:',
        '    EnableKeyRotation: true',
        'InvocationLogBucket:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    BucketEncryption:',
        '      ServerSideEncryptionConfiguration:',
        '        - ServerSideEncryptionByDefault:',
        '            SSEAlgorithm: aws:kms',
        '            KMSMasterKeyID: !GetAtt InvocationLogKey.Arn',
        '          BucketKeyEnabled: true',
        '    VersioningConfiguration:',
        '      Status: Enabled',
        '    PublicAccessBlockConfiguration:',
        '      BlockPublicAcls: true',
        '      IgnorePublicAcls: true',
        '      BlockPublicPolicy: true',
        '      RestrictPublicBuckets: true',
      ].join('\n'),
      terraform: [
        'resource "aws_kms_key" "bedrock_logs" {',
        '  enable_key_rotation = true',
        '}',
        'resource "aws_s3_bucket_server_side_encryption_configuration" "bedrock_logs" {',
        '  bucket = aws_s3_bucket.bedrock_logs.id',
        '  rule {',
        '    apply_server_side_encryption_by_default {',
        '      sse_algorithm     = "aws:kms"',
        '      kms_master_key_id = aws_kms_key.bedrock_logs.arn',
        '    }',
        '    bucket_key_enabled = true',
        '  }',
        '}',
        'resource "aws_s3_bucket_versioning" "bedrock_logs" {',
        '  bucket = aws_s3_bucket.bedrock_logs.id',
        '  versioning_configuration { status = "Enabled" }',
        '}',
        'resource "aws_s3_bucket_public_access_block" "bedrock_logs" {',
        '  bucket                  = aws_s3_bucket.bedrock_logs.id',
        '  block_public_acls       = true',
        '  ignore_public_acls      = true',
        '  block_public_policy     = true',
        '  restrict_public_buckets = true',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
    ],
  },

  *evaluate(context) {
    const { bedrock, s3 } = context.inventory;
    if (!bedrock) {
      yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
      return;
    }
    const regionsByBucket = new Map<string, string[]>();
    for (const entry of bedrock.invocationLogging) {
      const name = entry.config?.s3Config?.bucketName;
      if (!name) continue;
      pushTo(regionsByBucket, name, entry.region);
    }
    const buckets = new Map<string, S3Bucket>((s3?.buckets ?? []).map((b) => [b.name, b]));
    const { partition } = context.index;
    for (const name of [...regionsByBucket.keys()].sort()) {
      const regions = regionsByBucket.get(name)!.sort();
      const writers = `Bedrock invocation logging in ${regions.join(', ')}`;
      const bucket = buckets.get(name);
      if (!bucket) {
        const why = s3 === undefined
          ? missingReason(context, 's3', {}, 'the S3 inventory')
          : 'the bucket is not in the inventory (another account, or it was not read)';
        yield {
          verdict: 'unknown',
          resource: resourceRef(`arn:${partition}:s3:::${name}`, 'AWS::S3::Bucket', regions[0]!, name),
          message: `Bucket ${name} receives ${writers}, but ${why}, so its encryption, versioning and public access cannot be judged.`,
          evidence: { invocationLoggingRegions: regions },
        };
        continue;
      }
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const checks = [cmkEncryptionCheck(context, bucket), versioningCheck(context, bucket), notPublicCheck(context, bucket, s3?.accountPublicAccessBlock)];
      const missing = checks.flatMap((c) => (c.missing ? [c.missing] : []));
      const unread = checks.flatMap((c) => (c.unread ? [c.unread] : []));
      const evidence = {
        invocationLoggingRegions: regions,
        encryption: bucket.encryption?.rules[0] ?? bucket.encryption ?? null,
        versioning: bucket.versioning?.status ?? null,
        policyStatus: bucket.policyStatus ?? null,
        publicAccessBlock: { bucketLevel: bucket.publicAccessBlock ?? null, accountLevel: s3?.accountPublicAccessBlock ?? null },
      };
      if (missing.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `Bucket ${bucket.name} receives ${writers} (prompts and completions), but ${missing.join('; ')}.${unread.length ? ` Not read: ${unread.join('; ')}.` : ''}`,
          evidence,
        };
      } else if (unread.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Bucket ${bucket.name} receives ${writers}; cannot judge it fully: ${unread.join('; ')}.`,
          evidence,
        };
      } else {
        yield {
          verdict: 'pass',
          resource,
          message: `Bucket ${bucket.name}, which receives ${writers}, ${checks.map((c) => c.ok).join(', ')}.`,
          evidence,
        };
      }
    }
  },
});
