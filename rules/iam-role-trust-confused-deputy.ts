import { defineRule } from '../src/engine/types.js';
import { resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { confusedDeputies } from '../src/policy/analyze.js';

export default defineRule({
  meta: {
    id: 'iam-role-trust-confused-deputy',
    title: 'Service roles pin the calling account (no confused deputy)',
    severity: 'medium',
    service: 'iam',
    resourceTypes: ['AWS::IAM::Role'],
    description:
      'A trust statement that lets an AWS service principal (sagemaker.amazonaws.com, bedrock.amazonaws.com, ...) assume the role must carry an aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition, so that the service acts for this account only. Roles that no service can assume are not applicable; service-linked roles (path /aws-service-role/) are managed by AWS and not applicable.',
    rationale:
      'Without the source condition, another AWS customer can make the service act with this role on their behalf (the cross-service confused deputy). Bedrock and SageMaker service roles typically reach training data and KMS keys, which makes them worth pinning.',
    remediation: {
      console: [
        'Open the IAM console, Roles, the role named in the finding, Trust relationships tab, Edit trust policy.',
        'Add to the service statement: Condition StringEquals aws:SourceAccount <ACCOUNT_ID> (and, where the service supports it, ArnLike aws:SourceArn with the job, agent or resource ARN pattern).',
      ],
      cli: 'aws iam update-assume-role-policy --role-name <ROLE> --policy-document file://trust.json',
      cloudformation: [
        'BedrockAgentRole:',
        '  Type: AWS::IAM::Role',
        '  Properties:',
        '    AssumeRolePolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Effect: Allow',
        '          Principal: { Service: bedrock.amazonaws.com }',
        '          Action: sts:AssumeRole',
        '          Condition:',
        "            StringEquals: { 'aws:SourceAccount': !Ref AWS::AccountId }",
        "            ArnLike: { 'aws:SourceArn': !Sub 'arn:aws:bedrock:${AWS::Region}:${AWS::AccountId}:agent/*' }",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "bedrock_trust" {',
        '  statement {',
        '    actions = ["sts:AssumeRole"]',
        '    principals {',
        '      type        = "Service"',
        '      identifiers = ["bedrock.amazonaws.com"]',
        '    }',
        '    condition {',
        '      test     = "StringEquals"',
        '      variable = "aws:SourceAccount"',
        '      values   = [data.aws_caller_identity.current.account_id]',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/agents-permissions.html',
    ],
  },

  *evaluate(context) {
    const iam = context.inventory.iam;
    if (!iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    for (const role of iam.roles) {
      const resource = resourceRef(role.arn, 'AWS::IAM::Role', role.region, role.name, role.source);
      const services = [...new Set(role.trustPolicy.normalized.statements.filter((s) => s.effect === 'Allow').flatMap((s) => s.principal?.Service ?? []))].sort();
      if (role.path.startsWith('/aws-service-role/')) {
        yield { verdict: 'not_applicable', resource, message: `Role ${role.name} is a service-linked role; AWS manages its trust policy.` };
        continue;
      }
      if (services.length === 0) {
        yield { verdict: 'not_applicable', resource, message: `No AWS service can assume role ${role.name}.` };
        continue;
      }
      const unpinned = confusedDeputies(role.trustPolicy.normalized);
      if (unpinned.length) {
        const first = unpinned[0]!;
        yield {
          verdict: 'fail',
          resource,
          message: `Trust statement ${first.index}${first.sid ? ` (Sid "${first.sid}")` : ''} of role ${role.name} lets ${first.services.join(', ')} assume it without an aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition.`,
          evidence: { statements: unpinned },
          property: 'AssumeRolePolicyDocument',
        };
      } else {
        yield {
          verdict: 'pass',
          resource,
          message: `Every trust statement for ${services.join(', ')} pins the source account, ARN or organization.`,
          evidence: { services },
        };
      }
    }
  },
});
