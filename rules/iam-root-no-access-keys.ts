import { defineRule } from '../src/engine/types.js';
import { accountRef, missingReason, partialScopeReason, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'iam-root-no-access-keys',
    title: 'The root user has no access keys',
    severity: 'critical',
    service: 'iam',
    resourceTypes: ['AWS::::Account'],
    description:
      'The account\'s root user must have no access keys, read from the IAM account summary (AccountAccessKeysPresent, GetAccountSummary). A root access key, active or not, fails; none passes. The verdict is given on the account. An account summary that was not read, or that lacks the field, is unknown.',
    rationale:
      'A root access key is a long-lived credential of the one identity that no IAM policy or permissions boundary restricts (only SCPs): leaked from a notebook, a training script or a CI variable, it gives programmatic control of every Bedrock model, SageMaker job, training data bucket and KMS key, with no MFA in the way. Workloads and people should use roles with least privilege instead. This is the least privilege evidence of NIST AC-6, and access control evidence for HIPAA 164.312(a)(1), GDPR Art. 32(1)(b) and SOC 2 CC6.1.',
    remediation: {
      console: [
        'Find what uses the key first: in CloudTrail, look up events whose user identity type is Root and whose access key id is the root key, and move those callers to IAM roles.',
        'Sign in as the root user, open Security credentials in the account menu, and under Access keys choose Actions, Deactivate; once nothing breaks, Delete.',
        'In an organization, centralized root access management (IAM console, Root access management) removes member accounts\' root credentials, keys included.',
      ],
      cli: [
        '# Root access keys can only be deleted while signed in as root (or through centralized root access); verify afterwards:',
        'aws iam get-account-summary --query "SummaryMap.AccountAccessKeysPresent"   # 0 = no root access keys',
        '# organizations: remove a member account\'s root credentials centrally',
        'aws sts assume-root --target-principal <MEMBER_ACCOUNT_ID> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials',
        'aws iam delete-access-key --access-key-id <ROOT_ACCESS_KEY_ID>   # with the credentials returned by assume-root',
      ].join('\n'),
      cloudformation: [
        '# Root access keys cannot be managed in CloudFormation. Detect them with the AWS Config managed rule:',
        'RootAccessKeyRule:',
        '  Type: AWS::Config::ConfigRule',
        '  Properties:',
        '    ConfigRuleName: iam-root-access-key-check',
        '    Source:',
        '      Owner: AWS',
        '      SourceIdentifier: IAM_ROOT_ACCESS_KEY_CHECK',
        '    MaximumExecutionFrequency: TwentyFour_Hours',
      ].join('\n'),
      terraform: [
        '# Root access keys cannot be managed in Terraform. Detect them with the AWS Config managed rule:',
        'resource "aws_config_config_rule" "root_access_key" {',
        '  name = "iam-root-access-key-check"',
        '  source {',
        '    owner             = "AWS"',
        '    source_identifier = "IAM_ROOT_ACCESS_KEY_CHECK"',
        '  }',
        '  maximum_execution_frequency = "TwentyFour_Hours"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-4',
    ],
  },

  *evaluate(context) {
    const iam = context.inventory.iam;
    if (!iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    const resource = accountRef(context);
    const present = iam.accountSummary?.rootAccessKeysPresent;
    if (present === undefined) {
      const partial = iam.accountSummary === undefined ? partialScopeReason(context) : undefined;
      yield {
        verdict: 'unknown',
        resource,
        message: `Cannot tell whether the root user has access keys: ${partial ?? missingReason(context, 'iam', { operations: ['GetAccountSummary'] }, 'the IAM account summary (AccountAccessKeysPresent)')}.`,
      };
    } else if (present) {
      yield {
        verdict: 'fail',
        resource,
        message: 'The root user has an access key (AccountAccessKeysPresent is not 0): a long-lived credential with unrestricted control of the account and no MFA.',
        evidence: { rootAccessKeysPresent: true },
      };
    } else {
      yield { verdict: 'pass', resource, message: 'The root user has no access keys (AccountAccessKeysPresent is 0).', evidence: { rootAccessKeysPresent: false } };
    }
  },
});
