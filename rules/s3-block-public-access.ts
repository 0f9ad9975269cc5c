import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import type { PublicAccessBlock } from '../src/inventory/schema.js';

const FLAGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;
const API_NAMES: Record<(typeof FLAGS)[number], string> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};

export default defineRule({
  meta: {
    id: 's3-block-public-access',
    title: 'S3 buckets block all public access',
    severity: 'high',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'Each bucket must have all four S3 Block Public Access settings in effect. A setting is in effect when it is on at the account level (S3 Control) or on the bucket: S3 applies the most restrictive combination, so the account level alone is enough. Templates and plans rarely declare the account level: there a bucket that turns its own settings off fails, unless config `assume: { accountPublicAccessBlock: true }` records that the account-level block is on.',
    rationale:
      'Training data, model artifacts and inference logs are confidential and often personal data. Block Public Access is the one control that overrides any bucket policy or ACL mistake; without all four settings a single policy edit can publish a data set.',
    remediation: {
      console: [
        'Open the S3 console and choose "Block Public Access settings for this account".',
        'Choose Edit, select "Block all public access", and confirm.',
        'Or, for one bucket: open the bucket, Permissions tab, "Block public access (bucket settings)", Edit, select all four settings, Save.',
      ],
      cli: [
        'aws s3control put-public-access-block --account-id <ACCOUNT_ID> \\',
        '  --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
        'aws s3api put-public-access-block --bucket <BUCKET> \\',
        '  --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
      ].join('\n'),
      cloudformation: [
        'TrainingData:',
        '  Type: AWS::S3::Bucket',
        '  Properties:',
        '    PublicAccessBlockConfiguration:',
        '      BlockPublicAcls: true',
        '      IgnorePublicAcls: true',
        '      BlockPublicPolicy: true',
        '      RestrictPublicBuckets: true',
      ].join('\n'),
      terraform: [
        'resource "aws_s3_bucket_public_access_block" "training_data" {',
        '  bucket                  = aws_s3_bucket.training_data.id',
        '  block_public_acls       = true',
        '  ignore_public_acls      = true',
        '  block_public_policy     = true',
        '  restrict_public_buckets = true',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8',
    ],
  },

  *evaluate(context) {
    const s3 = context.inventory.s3;
    if (!s3) {
      yield sectionUnknown(context, 's3', 'The S3 inventory');
      return;
    }
    const account = s3.accountPublicAccessBlock;
    const accountAllOn = account ? FLAGS.every((f) => account[f]) : false;
    // Templates and plans rarely declare the account-level block: what it is stays unknown there.
    const iacAccountUnknown = context.inventory.partial === true && account === undefined;
    const assumed = iacAccountUnknown && context.settings.assume.accountPublicAccessBlock;

    for (const bucket of s3.buckets) {
      const resource = resourceRef(bucket.arn, 'AWS::S3::Bucket', bucket.region, bucket.name, bucket.source);
      const evidence = { accountLevel: account ?? null, bucketLevel: bucket.publicAccessBlock ?? null };
      if (accountAllOn) {
        yield { verdict: 'pass', resource, message: 'All four Block Public Access settings are on at the account level.', evidence };
        continue;
      }
      const effective = combine(account, bucket.publicAccessBlock);
      if (effective.every((state) => state === true)) {
        yield {
          verdict: 'pass',
          resource,
          message: bucket.publicAccessBlockFromDefault
            ? 'All four Block Public Access settings are on at the bucket level: the bucket is created without a PublicAccessBlockConfiguration, so S3 applies its default for new buckets (all four on since April 2023).'
            : account === undefined
              ? 'All four Block Public Access settings are on at the bucket level.'
              : 'All four Block Public Access settings are in effect (bucket and account level combined).',
          evidence,
        };
        continue;
      }
      // Off (or unreadable) on the bucket itself; from here on only the account level could save it.
      const bucketOff = bucketFlagsOff(bucket.publicAccessBlock);
      if (assumed) {
        yield {
          verdict: 'pass',
          resource,
          message: `Passes on an assumption: ${
            bucket.publicAccessBlock === undefined
              ? 'the bucket-level setting is not known from the infrastructure code'
              : `the bucket turns off ${bucketOff.join(', ')}`
          }, and the pass rests on the account-level Block Public Access being on (all four settings), as config \`assume: { accountPublicAccessBlock: true }\` records; the infrastructure code does not show it.`,
          evidence: { ...evidence, assumed: { accountPublicAccessBlock: true }, ...(bucketOff.length ? { settingsOffOnBucket: bucketOff } : {}) },
        };
        continue;
      }
      if (iacAccountUnknown && bucketOff.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `Block Public Access is turned off on the bucket: ${bucketOff.join(', ')} ${bucketOff.length === 1 ? 'is' : 'are'} false in its PublicAccessBlockConfiguration. It passes only if the account-level Block Public Access is on, which the infrastructure code does not show; if it is, config \`assume: { accountPublicAccessBlock: true }\` records that.`,
          evidence: { ...evidence, settingsOff: bucketOff },
          property: 'PublicAccessBlockConfiguration',
        };
        continue;
      }
      const off = FLAGS.filter((_, i) => effective[i] === false).map((f) => API_NAMES[f]);
      const unread = FLAGS.filter((_, i) => effective[i] === undefined).map((f) => API_NAMES[f]);
      if (off.length && unread.length === 0) {
        yield {
          verdict: 'fail',
          resource,
          message: `Block Public Access is not fully in effect: ${off.join(', ')} ${off.length === 1 ? 'is' : 'are'} off at both the bucket and the account level.`,
          evidence: { ...evidence, settingsOff: off },
          property: 'PublicAccessBlockConfiguration',
        };
        continue;
      }
      const reasons: string[] = [];
      if (bucket.publicAccessBlock === undefined) {
        reasons.push(missingReason(context, 's3', { resource: bucket.arn, operations: ['GetPublicAccessBlock'] }, 'the bucket-level setting'));
      }
      if (account === undefined) {
        reasons.push(
          iacAccountUnknown
            ? 'the account-level setting is not in the infrastructure code (if it is on, config `assume: { accountPublicAccessBlock: true }` records that)'
            : missingReason(context, 's3control', { operations: ['GetPublicAccessBlock'] }, 'the account-level setting'),
        );
      }
      yield {
        verdict: 'unknown',
        resource,
        message: `Cannot tell whether ${unread.join(', ')} ${unread.length === 1 ? 'is' : 'are'} in effect: ${reasons.join('; ')}.${off.length ? ` Already off on both levels: ${off.join(', ')}.` : ''}`,
        evidence: { ...evidence, settingsOff: off, settingsUnknown: unread },
      };
    }
  },
});

/** The bucket's own settings that are off (API names); none when the bucket-level setting is unknown. */
function bucketFlagsOff(bucket: PublicAccessBlock | null | undefined): string[] {
  if (bucket === undefined) return [];
  return FLAGS.filter((f) => bucket === null || !bucket[f]).map((f) => API_NAMES[f]);
}

/** Per flag: true if either level has it on, false if both are known off, undefined otherwise. */
function combine(account: PublicAccessBlock | null | undefined, bucket: PublicAccessBlock | null | undefined): (boolean | undefined)[] {
  return FLAGS.map((flag) => {
    const a = account === undefined ? undefined : account === null ? false : account[flag];
    const b = bucket === undefined ? undefined : bucket === null ? false : bucket[flag];
    if (a === true || b === true) return true;
    if (a === false && b === false) return false;
    return undefined;
  });
}
