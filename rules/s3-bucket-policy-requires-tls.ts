import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { requiresTls } from '../src/policy/analyze.js';

export default defineRule({
  meta: {
    id: 's3-bucket-policy-requires-tls',
    title: 'S3 bucket policies deny requests made without TLS',
    severity: 'medium',
    service: 's3',
    resourceTypes: ['AWS::S3::Bucket'],
    description:
      'The bucket policy must deny every request that does not use TLS. Decided by evaluating the policy with the policy engine: reads, writes, deletes and listing by any principal with aws:SecureTransport = "false" must each meet an explicit Deny (the usual statement is Deny, Principal "*", Action "s3:*", Resource the bucket and bucket/*, Condition Bool aws:SecureTransport false). A deny that covers only some actions or objects, or that depends on other conditions, fails with the gaps listed.',
    rationale:
      'Training data and model artifacts in transit must be encrypted (HIPAA 164.312(e)(1), GDPR Art. 32, NIST SC-8). S3 accepts plain HTTP unless the bucket policy refuses it; nothing else in S3 enforces TLS for every client.',
    remediation: {
      console: [
        'Open the S3 console, the bucket named in the finding, Permissions tab, Bucket policy, Edit.',
        'Add a statement: Effect Deny, Principal "*", Action "s3:*", Resource the bucket ARN and the bucket ARN followed by /*, Condition Bool aws:SecureTransport "false".',
        'Save; clients that use HTTPS (every AWS SDK and the CLI by default) are unaffected.',
      ],
      cli: [
        'aws s3api get-bucket-policy --bucket <BUCKET> --query Policy --output text > policy.json',
        '# add: {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",',
        '#       "Resource":["arn:aws:s3:::<BUCKET>","arn:aws:s3:::<BUCKET>/*"],',
        '#       "Condition":{"Bool":{"aws:SecureTransport":"false"}}}',
        'aws s3api put-bucket-policy --bucket <BUCKET> --policy file://policy.json',
      ].join('\n'),
      cloudformation: [
        'TrainingDataPolicy:',
        '  Type: AWS::S3::BucketPolicy',
        '  Properties:',
        '    Bucket: !Ref TrainingData',
        '    PolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Sid: DenyInsecureTransport',
        '          Effect: Deny',
        "          Principal: '*'",
        "          Action: 's3:*'",
        "          Resource: [!GetAtt TrainingData.Arn, !Sub '${TrainingData.Arn}/*']",
        '          Condition:',
        "            Bool: { 'aws:SecureTransport': 'false' }",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "tls_only" {',
        '  statement {',
        '    sid       = "DenyInsecureTransport"',
        '    effect    = "Deny"',
        '    actions   = ["s3:*"]',
        '    resources = [aws_s3_bucket.training_data.arn, "${aws_s3_bucket.training_data.arn}/*"]',
        '    principals {',
        '      type        = "*"',
        '      identifiers = ["*"]',
        '    }',
        '    condition {',
        '      test     = "Bool"',
        '      variable = "aws:SecureTransport"',
        '      values   = ["false"]',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5',
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
          message: `Cannot tell whether HTTP is refused: ${missingReason(context, 's3', { resource: bucket.arn, operations: ['GetBucketPolicy'] }, 'the bucket policy')}.`,
        };
        continue;
      }
      if (bucket.policy === null) {
        yield {
          verdict: 'fail',
          resource,
          message: 'The bucket has no bucket policy, so nothing denies requests made without TLS (aws:SecureTransport).',
          property: 'PolicyDocument',
        };
        continue;
      }
      const check = requiresTls(bucket.policy.normalized, bucket.arn);
      if (check.enforced) {
        yield {
          verdict: 'pass',
          resource,
          message: `The bucket policy denies every request made without TLS (statement${check.statements.length > 1 ? 's' : ''} ${check.statements.join(', ')}).`,
          evidence: { denyingStatements: check.statements },
        };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: check.statements.length
            ? `The bucket policy denies insecure transport only in part: not denied: ${check.gaps.join('; ')}.`
            : check.conditional.length
              ? `The bucket policy denies insecure transport only under further conditions (statement${check.conditional.length > 1 ? 's' : ''} ${check.conditional.join(', ')}), so requests that do not meet them are accepted over HTTP.`
              : 'The bucket policy has no Deny for requests made without TLS (Bool aws:SecureTransport "false").',
          evidence: { denyingStatements: check.statements, conditionalStatements: check.conditional, notDenied: check.gaps },
          property: 'PolicyDocument',
        };
      }
    }
  },
});
