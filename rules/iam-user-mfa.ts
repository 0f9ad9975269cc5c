import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'iam-user-mfa',
    title: 'IAM users with console access have MFA enabled',
    severity: 'high',
    service: 'iam',
    resourceTypes: ['AWS::IAM::User'],
    description:
      'Every IAM user with a console password must have an MFA device (virtual, FIDO security key or hardware TOTP). Users without a console password (programmatic-only) are not applicable. Console access and MFA status come from the IAM credential report; a user the report does not cover is unknown.',
    rationale:
      'Console users are people: data scientists who can open notebooks, download training data and change guardrails. A phished or reused password alone must not be enough to reach ePHI or personal data, which is what HIPAA 164.312(d), NIST IA-2(1) and GDPR Art. 32 expect of person authentication.',
    remediation: {
      console: [
        'Open the IAM console, Users, and choose the user.',
        'On the Security credentials tab, under Multi-factor authentication (MFA), choose Assign MFA device and follow the steps (passkey or security key preferred).',
        'Better: move people to IAM Identity Center with MFA enforced and delete the IAM user\'s console password.',
        'Enforce it: attach a policy that denies everything except MFA self-management when aws:MultiFactorAuthPresent is false.',
      ],
      cli: [
        'aws iam create-virtual-mfa-device --virtual-mfa-device-name <USER> --outfile /tmp/<USER>-qr.png --bootstrap-method QRCodePNG',
        'aws iam enable-mfa-device --user-name <USER> --serial-number arn:aws:iam::<ACCOUNT_ID>:mfa/<USER> \\',
        '  --authentication-code1 <CODE1> --authentication-code2 <CODE2>',
        '# or, if the user does not need the console:',
        'aws iam delete-login-profile --user-name <USER>',
      ].join('\n'),
      cloudformation: [
        '# MFA devices are bound to a person; enforce MFA with a policy on the users\' group:',
        'RequireMfa:',
        '  Type: AWS::IAM::ManagedPolicy',
        '  Properties:',
        '    Groups: [!Ref DataScientists]',
        '    PolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Sid: DenyAllExceptMfaSetupWithoutMfa',
        '          Effect: Deny',
        '          NotAction: [iam:CreateVirtualMFADevice, iam:EnableMFADevice, iam:GetUser, iam:ListMFADevices, iam:ListVirtualMFADevices, iam:ResyncMFADevice, sts:GetSessionToken]',
        "          Resource: '*'",
        '          Condition:',
        '            BoolIfExists:',
        "              aws:MultiFactorAuthPresent: 'false'",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "require_mfa" {',
        '  statement {',
        '    sid         = "DenyAllExceptMfaSetupWithoutMfa"',
        '    effect      = "Deny"',
        '    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]',
        '    resources   = ["*"]',
        '    condition {',
        '      test     = "BoolIfExists"',
        '      variable = "aws:MultiFactorAuthPresent"',
        '      values   = ["false"]',
        '    }',
        '  }',
        '}',
        'resource "aws_iam_group_policy" "require_mfa" {',
        '  group  = aws_iam_group.data_scientists.name',
        '  policy = data.aws_iam_policy_document.require_mfa.json',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-5',
    ],
  },

  *evaluate(context) {
    const iam = context.inventory.iam;
    if (!iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    for (const user of iam.users) {
      const resource = resourceRef(user.arn, 'AWS::IAM::User', user.region, user.name, user.source);
      const evidence = { consoleAccess: user.consoleAccess ?? null, mfaEnabled: user.mfaEnabled ?? null, passwordLastUsed: user.passwordLastUsed ?? null };
      if (user.consoleAccess === false) {
        yield { verdict: 'not_applicable', resource, message: `User ${user.name} has no console password.`, evidence };
      } else if (user.consoleAccess === true && user.mfaEnabled === true) {
        yield { verdict: 'pass', resource, message: `User ${user.name} has console access and an MFA device.`, evidence };
      } else if (user.consoleAccess === true && user.mfaEnabled === false) {
        yield {
          verdict: 'fail',
          resource,
          message: `User ${user.name} can sign in to the console with a password alone: no MFA device is enabled.`,
          evidence,
        };
      } else {
        const missing = user.consoleAccess === undefined ? 'whether the user has a console password' : 'the MFA status';
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot judge user ${user.name}: ${missingReason(context, 'iam', { resource: user.arn, operations: ['GetCredentialReport', 'GetLoginProfile', 'ListMFADevices'] }, missing)}.`,
          evidence,
        };
      }
    }
  },
});
