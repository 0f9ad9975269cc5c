import { defineRule } from '../src/engine/types.js';
import { accountRef, missingReason, partialScopeReason, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'iam-root-account-mfa',
    title: 'The root user has MFA enabled',
    severity: 'critical',
    service: 'iam',
    resourceTypes: ['AWS::::Account'],
    description:
      'The account\'s root user must have an MFA device, read from the IAM account summary (AccountMFAEnabled, GetAccountSummary). AccountMFAEnabled 0 fails; 1 passes. The verdict is given on the account. An account summary that was not read, or that lacks the field, is unknown. Member accounts whose root credentials were removed by centralized root access management in AWS Organizations report no MFA and no password: suppress the finding there, with that reason.',
    rationale:
      'The root user can do everything in the account, including what no IAM policy can deny: close the account, change its contact and billing details, delete the KMS keys that protect training data and model artifacts, and remove the audit trail. A password alone, phished or reused, must not be enough to take it over. MFA on the most privileged identity is what HIPAA 164.312(d), NIST IA-2(1), GDPR Art. 32(1)(b) and SOC 2 CC6.1 ask for person authentication.',
    remediation: {
      console: [
        'Sign in as the root user (account email and password) and open the IAM console, or choose Security credentials in the account menu.',
        'Under Multi-factor authentication (MFA) choose Assign MFA device; prefer a passkey or FIDO security key, or a hardware TOTP token kept in a safe, and register a second device as backup.',
        'In an organization, consider centralized root access management (IAM console, Root access management) to remove member accounts\' root credentials altogether.',
      ],
      cli: [
        '# MFA for the root user can only be assigned while signed in as root (console); verify afterwards:',
        'aws iam get-account-summary --query "SummaryMap.AccountMFAEnabled"   # 1 = root MFA on',
        '# organizations: remove member accounts\' root credentials centrally',
        'aws iam enable-organizations-root-credentials-management',
      ].join('\n'),
      cloudformation: [
        '# Root MFA cannot be set in CloudFormation. Detect its absence with the AWS Config managed rule:',
        'RootMfaRule:',
        '  Type: AWS::Config::ConfigRule',
        '  Properties:',
        '    ConfigRuleName: root-account-mfa-enabled',
        '    Source:',
        '      Owner: AWS',
        '      SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED',
        '    MaximumExecutionFrequency: TwentyFour_Hours',
      ].join('\n'),
      terraform: [
        '# Root MFA cannot be set in Terraform. Detect its absence with the AWS Config managed rule:',
        'resource "aws_config_config_rule" "root_mfa" {',
        '  name = "root-account-mfa-enabled"',
        '  source {',
        '    owner             = "AWS"',
        '    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"',
        '  }',
        '  maximum_execution_frequency = "TwentyFour_Hours"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user_manage_mfa',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-9',
    ],
  },

  *evaluate(context) {
    const iam = context.inventory.iam;
    if (!iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    const resource = accountRef(context);
    const enabled = iam.accountSummary?.rootMfaEnabled;
    if (enabled === undefined) {
      const partial = iam.accountSummary === undefined ? partialScopeReason(context) : undefined;
      yield {
        verdict: 'unknown',
        resource,
        message: `Cannot tell whether the root user has MFA: ${partial ?? missingReason(context, 'iam', { operations: ['GetAccountSummary'] }, 'the IAM account summary (AccountMFAEnabled)')}.`,
      };
    } else if (enabled) {
      yield { verdict: 'pass', resource, message: 'The root user has an MFA device enabled (AccountMFAEnabled is 1).', evidence: { rootMfaEnabled: true } };
    } else {
      yield {
        verdict: 'fail',
        resource,
        message: 'The root user has no MFA device (AccountMFAEnabled is 0): its password alone gives unrestricted control of the account.',
        evidence: { rootMfaEnabled: false },
      };
    }
  },
});
