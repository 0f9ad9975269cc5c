import { defineRule } from '../src/engine/types.js';
import type { PublicAccessBlock, S3Bucket } from '../src/inventory/schema.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import type { RuleContext } from '../src/engine/types.js';

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);
/** Keys that can no longer encrypt: new log objects cannot be written with them. */
const UNUSABLE_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'Unavailable']);
const FLAGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;

/** What one check found: `missing` fails the bucket, `unread` makes it unknown, neither means it holds. */
interface Check {
  missing?: string;
  unread?: string;
  ok?: string;
}

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
      regionsByBucket.set(name, [...(regionsByBucket.get(name) ?? []), entry.region]);
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
      const checks = [encryptionCheck(context, bucket), versioningCheck(context, bucket), publicCheck(context, bucket, s3?.accountPublicAccessBlock)];
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

function encryptionCheck(context: RuleContext, bucket: S3Bucket): Check {
  if (bucket.encryption === undefined) {
    return { unread: missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketEncryption'] }, 'the default encryption') };
  }
  const rule = bucket.encryption?.rules[0];
  if (!rule) return { missing: 'it has no default encryption configuration' };
  if (!KMS_ALGORITHMS.has(rule.sseAlgorithm)) {
    return { missing: `default encryption is ${rule.sseAlgorithm === 'AES256' ? 'SSE-S3 (AES256)' : rule.sseAlgorithm}, not SSE-KMS with a customer managed key` };
  }
  const keyRef = rule.kmsMasterKeyId;
  if (!keyRef || /(^|:)alias\/aws\/s3$/.test(keyRef)) {
    return { missing: 'default encryption uses the AWS managed key aws/s3, not a customer managed key' };
  }
  const key = context.index.resolveKmsKey(keyRef, bucket.region);
  if (!key) {
    const why = context.inventory.kms === undefined
      ? 'KMS keys were not collected'
      : context.index.errorsFor('kms', { region: bucket.region }).length
        ? `KMS keys in ${bucket.region} could not all be read`
        : 'the key is not in the inventory (another account, or deleted)';
    return { unread: `whether KMS key ${keyRef} is customer managed (${why})` };
  }
  const keyName = key.aliases[0] ?? key.arn;
  if (key.keyManager !== 'CUSTOMER') return { missing: `default encryption uses ${keyName}, an AWS managed key, not a customer managed key` };
  if (key.keyState && UNUSABLE_STATES.has(key.keyState)) {
    return { missing: `default encryption uses customer managed key ${keyName}, which is ${key.keyState}` };
  }
  return { ok: `is encrypted with customer managed key ${keyName}` };
}

function versioningCheck(context: RuleContext, bucket: S3Bucket): Check {
  if (bucket.versioning === undefined) {
    return { unread: missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketVersioning'] }, 'the versioning status') };
  }
  if (bucket.versioning.status !== 'Enabled') {
    return { missing: `versioning is ${bucket.versioning.status === 'Suspended' ? 'suspended' : 'not enabled'}` };
  }
  return { ok: 'is versioned' };
}

function publicCheck(context: RuleContext, bucket: S3Bucket, account: PublicAccessBlock | null | undefined): Check {
  if (bucket.policyStatus?.isPublic === false) return { ok: 'is not public (policy status)' };
  const effective = FLAGS.map((flag) => {
    const a = account === undefined ? undefined : account === null ? false : account[flag];
    const b = bucket.publicAccessBlock === undefined ? undefined : bucket.publicAccessBlock === null ? false : bucket.publicAccessBlock[flag];
    if (a === true || b === true) return true;
    if (a === false && b === false) return false;
    return undefined;
  });
  if (effective.every((state) => state === true)) return { ok: 'is not public (all four Block Public Access settings in effect)' };
  const off = FLAGS.filter((_, i) => effective[i] === false);
  if (bucket.policyStatus?.isPublic === true && effective[3] === false) {
    return { missing: 'its bucket policy is public and RestrictPublicBuckets is not in effect' };
  }
  if (bucket.policyStatus !== undefined && off.length && !effective.includes(undefined)) {
    return { missing: `Block Public Access is not fully in effect (${off.join(', ')} off at bucket and account level) and the policy status does not show the bucket private` };
  }
  const reasons: string[] = [];
  if (bucket.policyStatus === undefined) {
    reasons.push(missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketPolicyStatus'] }, 'the bucket policy status'));
  }
  if (bucket.publicAccessBlock === undefined) {
    reasons.push(missingReason(context, 's3', { resource: bucket.arn, operations: ['GetPublicAccessBlock'] }, 'the bucket-level Block Public Access setting'));
  }
  if (account === undefined) {
    reasons.push(missingReason(context, 's3control', { operations: ['GetPublicAccessBlock'] }, 'the account-level Block Public Access setting'));
  }
  return { unread: `whether it is public (${reasons.join('; ')})` };
}
