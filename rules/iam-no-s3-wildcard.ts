import { defineRule } from '../src/engine/types.js';
import { describePolicy, describeStatement, principalsWithPolicies, sectionUnknown } from '../src/engine/rule-kit.js';
import { coversWholeService } from '../src/policy/actions.js';

export default defineRule({
  meta: {
    id: 'iam-no-s3-wildcard',
    title: 'No identity policy grants every S3 action (s3:*)',
    severity: 'high',
    service: 'iam',
    resourceTypes: ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'],
    description:
      'No Allow statement in a policy attached to a user, group or role (inline, customer managed or AWS managed) may grant every S3 action. Coverage is decided against the IAM action catalog: "s3:*", "*", patterns such as "s*:*" and a NotAction that leaves S3 in all count; "s3:Get*" does not.',
    rationale:
      'Full S3 access lets one compromised notebook, pipeline or user read, overwrite, re-encrypt or delete every training set and model artifact, change bucket policies and turn off Block Public Access. Least privilege (NIST AC-6, SOC 2 CC6.3) means naming the actions and buckets a job needs.',
    remediation: {
      console: [
        'Open the IAM console and the user, group or role named in the finding.',
        'Edit the policy and statement named in the finding: replace "s3:*" (or "*") with the actions the workload needs, e.g. s3:GetObject and s3:ListBucket.',
        'Scope Resource to the buckets and prefixes it uses; use IAM Access Analyzer policy generation to derive the actions from CloudTrail activity.',
        'Detach AWS managed AmazonS3FullAccess / AdministratorAccess from workload roles.',
      ],
      cli: [
        'aws iam put-role-policy --role-name <ROLE> --policy-name training-data-read --policy-document \\',
        '  \'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::<BUCKET>","arn:aws:s3:::<BUCKET>/*"]}]}\'',
        'aws iam detach-role-policy --role-name <ROLE> --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess',
      ].join('\n'),
      cloudformation: [
        'TrainingRole:',
        '  Type: AWS::IAM::Role',
        '  Properties:',
        '    Policies:',
        '      - PolicyName: training-data-read',
        '        PolicyDocument:',
        "          Version: '2012-10-17'",
        '          Statement:',
        '            - Effect: Allow',
        '              Action: [s3:GetObject, s3:ListBucket]',
        '              Resource:',
        '                - !GetAtt TrainingData.Arn',
        "                - !Sub '${TrainingData.Arn}/*'",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "training_data_read" {',
        '  statement {',
        '    actions   = ["s3:GetObject", "s3:ListBucket"]',
        '    resources = [aws_s3_bucket.training_data.arn, "${aws_s3_bucket.training_data.arn}/*"]',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html',
    ],
  },

  *evaluate(context) {
    if (!context.inventory.iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    for (const principal of principalsWithPolicies(context)) {
      const offending: Record<string, unknown>[] = [];
      const unreadable: string[] = [];
      for (const policy of principal.policies) {
        if (!policy.document) {
          unreadable.push(describePolicy(policy));
          continue;
        }
        for (const statement of policy.document.normalized.statements) {
          if (statement.effect !== 'Allow' || !coversWholeService(statement, 's3', context.catalog)) continue;
          offending.push({
            policy: describePolicy(policy),
            ...(policy.arn ? { policyArn: policy.arn } : {}),
            statement: describeStatement(statement.sid, statement.index),
            ...(statement.action ? { Action: statement.action } : { NotAction: statement.notAction }),
            ...(statement.resource ? { Resource: statement.resource } : { NotResource: statement.notResource }),
          });
        }
      }
      const kind = principal.kind;
      if (offending.length) {
        const first = offending[0]!;
        yield {
          verdict: 'fail',
          resource: principal.resource,
          message: `${capitalize(kind)} ${principal.resource.name} is granted every S3 action by ${first.policy}, ${first.statement}${offending.length > 1 ? ` (and ${offending.length - 1} more statement${offending.length > 2 ? 's' : ''})` : ''}.`,
          evidence: { statements: offending },
          property: 'Policies',
        };
      } else if (unreadable.length) {
        yield {
          verdict: 'unknown',
          resource: principal.resource,
          message: `The document of ${unreadable.join(', ')} attached to ${kind} ${principal.resource.name} is not in the inventory, so its S3 access cannot be judged.`,
          evidence: { unreadablePolicies: unreadable },
        };
      } else {
        yield {
          verdict: 'pass',
          resource: principal.resource,
          message: principal.policies.length
            ? `None of the ${principal.policies.length} identity polic${principal.policies.length > 1 ? 'ies' : 'y'} of ${kind} ${principal.resource.name} grants every S3 action.`
            : `${capitalize(kind)} ${principal.resource.name} has no identity policies.`,
        };
      }
    }
  },
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
