import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { publicUnlessRcps, rcpShield } from '../src/engine/resource-control.js';
import { analyzeExposure } from '../src/policy/analyze.js';
import type { PublicAccessBlock } from '../src/inventory/schema.js';

export default defineRule({
  meta: {
    id: 's3-bucket-policy-not-public',
    title: 'S3 bucket policies do not grant public access',
    severity: 'critical',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'A bucket policy must not allow anyone outside the account in: an Allow with Principal "*" (or NotPrincipal) passes only when a condition ties it to known accounts, the organization, VPC endpoints, fixed IP ranges or named source ARNs (aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, aws:SourceVpce, aws:SourceIp other than 0.0.0.0/0, ...), or when a Deny shuts out everyone outside such a restriction. A public policy is neutralised when RestrictPublicBuckets is in effect at the bucket or account level, or, in an organization scan (aigis scan --org), when the resource control policies on the account\'s path deny every action it allows to principals outside the organization (anonymous callers and roles of other organizations, asked of the policy engine). Grants to named external accounts are reported as evidence but do not fail this rule.',
    rationale:
      'A public bucket policy publishes training data, model artifacts and inference logs to the internet. Scanners that call every "Principal: *" public drown teams in false positives; this rule reads the conditions and Block Public Access as S3 does, so a failure is a real exposure.',
    remediation: {
      console: [
        'Open the S3 console, the bucket named in the finding, Permissions tab, Bucket policy.',
        'Edit the statement named in the finding: replace Principal "*" with the account or role ARNs that need access, or add a condition such as StringEquals aws:PrincipalOrgID.',
        'Turn on Block Public Access (all four settings) for the account so that a future public policy is rejected.',
      ],
      cli: [
        'aws s3api get-bucket-policy --bucket <BUCKET> --query Policy --output text > policy.json',
        '# edit policy.json: restrict the Principal or add an aws:PrincipalOrgID condition',
        'aws s3api put-bucket-policy --bucket <BUCKET> --policy file://policy.json',
        'aws s3control put-public-access-block --account-id <ACCOUNT_ID> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
      ].join('\n'),
      cloudformation: [
        'TrainingDataPolicy:',
        '  Type: AWS::S3::BucketPolicy',
        '  Properties:',
        '    Bucket: !Ref TrainingData',
        '    PolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Effect: Allow',
        "          Principal: { AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:role/training' }",
        '          Action: s3:GetObject',
        "          Resource: !Sub '${TrainingData.Arn}/*'",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "training_data" {',
        '  statement {',
        '    principals {',
        '      type        = "AWS"',
        '      identifiers = [aws_iam_role.training.arn]',
        '    }',
        '    actions   = ["s3:GetObject"]',
        '    resources = ["${aws_s3_bucket.training_data.arn}/*"]',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
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
      if (bucket.policy === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot judge the bucket policy: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketPolicy'] }, 'the bucket policy')}.`,
        };
        continue;
      }
      if (bucket.policy === null) {
        yield { verdict: 'pass', resource, message: 'The bucket has no bucket policy, so no policy grants public access.' };
        continue;
      }
      const exposure = analyzeExposure(bucket.policy.normalized, { accountId: context.index.accountId, kind: 'resource' });
      const evidence = {
        exposure: exposure.exposure,
        externalAccounts: exposure.externalAccounts,
        statements: exposure.statements,
        restrictedStatements: exposure.restricted.map((r) => ({ index: r.index, sid: r.sid, restrictedBy: r.restrictions.map((x) => x.key) })),
      };
      if (exposure.exposure !== 'public') {
        yield {
          verdict: 'pass',
          resource,
          message:
            exposure.exposure === 'cross-account'
              ? `The bucket policy is not public; it grants access to external account(s) ${exposure.externalAccounts.join(', ')}.`
              : exposure.restricted.length
                ? `The bucket policy is not public: its "*" statements are restricted by ${[...new Set(exposure.restricted.flatMap((r) => r.restrictions.map((x) => x.key)))].join(', ')}.`
                : 'The bucket policy grants access only within the account or to AWS services.',
          evidence,
        };
        continue;
      }
      const publicStatements = exposure.statements.filter((s) => s.accounts.length === 0);
      // A document with more Deny statements than the comparison budget can settle: public only
      // if an Allow escapes every Deny, which could not be told. Unknown, not a guessed failure.
      if (publicStatements.every((s) => s.undecided)) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether the bucket policy is public: it has too many statements to compare every Allow with every Deny (statement ${publicStatements[0]!.index} may be public: ${publicStatements[0]!.reason}).`,
          evidence,
        };
        continue;
      }
      const first = publicStatements.find((s) => !s.undecided)!;
      const where = `statement ${first.index}${first.sid ? ` (Sid "${first.sid}")` : ''}`;
      const restrict = restrictPublicBuckets(s3.accountPublicAccessBlock, bucket.publicAccessBlock);
      if (restrict === true) {
        yield {
          verdict: 'pass',
          resource,
          message: `The bucket policy would be public (${where}: ${first.reason}), but RestrictPublicBuckets is in effect, so S3 limits it to the account and AWS services.`,
          evidence: { ...evidence, restrictPublicBuckets: true },
        };
        continue;
      }
      const shield = rcpShield(
        context,
        bucket.policy.normalized,
        publicStatements.map((p) => p.index),
        's3',
        (action) => (action.resourceTypes.includes('object') ? `${bucket.arn}/aigis-rcp-probe` : bucket.arn),
      );
      if (shield?.outcome === 'denied' || restrict === false) {
        yield publicUnlessRcps(
          resource,
          shield,
          {
            wouldBe: `The bucket policy would be public (${where}: ${first.reason})`,
            is: `The bucket policy is public (${where}: ${first.reason})`,
            fail: `The bucket policy is public: ${where} allows ${first.actions.join(', ')} to ${first.reason}${publicStatements.length > 1 ? ` (and ${publicStatements.length - 1} more statement${publicStatements.length > 2 ? 's' : ''})` : ''}`,
          },
          { ...evidence, ...(restrict === false ? { restrictPublicBuckets: false } : {}) },
          'PolicyDocument',
        );
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: `The bucket policy is public (${where}: ${first.reason}), but whether RestrictPublicBuckets neutralises it cannot be told: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetPublicAccessBlock'] }, 'the Block Public Access settings')}.`,
          evidence,
        };
      }
    }
  },
});

/** True when RestrictPublicBuckets is on at either level, false when known off at both, else undefined. */
function restrictPublicBuckets(account: PublicAccessBlock | null | undefined, bucket: PublicAccessBlock | null | undefined): boolean | undefined {
  if (account?.restrictPublicBuckets || bucket?.restrictPublicBuckets) return true;
  const accountOff = account === null || account?.restrictPublicBuckets === false;
  const bucketOff = bucket === null || bucket?.restrictPublicBuckets === false;
  return accountOff && bucketOff ? false : undefined;
}
