import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { publicUnlessRcps, rcpShield } from '../src/engine/resource-control.js';
import { analyzeExposure } from '../src/policy/analyze.js';

export default defineRule({
  meta: {
    id: 'kms-key-policy-not-public',
    title: 'KMS key policies do not grant public access',
    severity: 'critical',
    service: 'kms',
    resourceTypes: ['AWS::KMS::Key'],
    description:
      'A KMS key policy must not let anyone outside the account use or manage the key: an Allow with Principal "*" passes only when a condition restricts it to known accounts (kms:CallerAccount, aws:PrincipalAccount), the organization (aws:PrincipalOrgID), VPC endpoints or named sources. AWS managed keys, whose policies combine kms:CallerAccount with kms:ViaService, pass. In an organization scan (aigis scan --org), a public key policy passes when the resource control policies on the account\'s path deny every action it allows to principals outside the organization. Grants to named external accounts are listed as evidence.',
    rationale:
      'The customer managed keys that protect training data, model artifacts and endpoints are the last line of defence: a key anyone can use for Decrypt turns every encrypted copy into a readable one, and a key anyone can manage can be disabled or scheduled for deletion.',
    remediation: {
      console: [
        'Open the KMS console, Customer managed keys, the key named in the finding, Key policy tab, Edit.',
        'Replace Principal "*" with the account root or role ARNs that need the key, or add a condition such as StringEquals kms:CallerAccount or aws:PrincipalOrgID.',
      ],
      cli: [
        'aws kms get-key-policy --key-id <KEY_ID> --policy-name default --query Policy --output text > key-policy.json',
        '# edit key-policy.json: restrict the Principal or add a kms:CallerAccount / aws:PrincipalOrgID condition',
        'aws kms put-key-policy --key-id <KEY_ID> --policy-name default --policy file://key-policy.json',
      ].join('\n'),
      cloudformation: [
        'TrainingDataKey:',
        '  Type: AWS::KMS::Key',
        '  Properties:',
        '    KeyPolicy:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Sid: AccountAdministration',
        '          Effect: Allow',
        "          Principal: { AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root' }",
        "          Action: 'kms:*'",
        "          Resource: '*'",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "key" {',
        '  statement {',
        '    actions   = ["kms:*"]',
        '    resources = ["*"]',
        '    principals {',
        '      type        = "AWS"',
        '      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html',
      'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account',
    ],
  },

  *evaluate(context) {
    const kms = context.inventory.kms;
    if (!kms) {
      yield sectionUnknown(context, 'kms', 'The KMS inventory');
      return;
    }
    for (const key of kms.keys) {
      const resource = resourceRef(key.arn, 'AWS::KMS::Key', key.region, key.aliases[0] ?? key.keyId, key.source);
      if (key.policy === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot judge the key policy: ${missingReason(context, 'kms', { region: key.region, resource: key.arn, operations: ['GetKeyPolicy'] }, 'the key policy')}.`,
        };
        continue;
      }
      if (key.policy === null) {
        yield { verdict: 'pass', resource, message: 'The key has no key policy in the inventory that grants anything.' };
        continue;
      }
      const exposure = analyzeExposure(key.policy.normalized, { accountId: context.index.accountId, kind: 'resource' });
      const evidence = { exposure: exposure.exposure, externalAccounts: exposure.externalAccounts, statements: exposure.statements };
      const publicStatements = exposure.statements.filter((s) => s.accounts.length === 0);
      if (exposure.exposure === 'public' && publicStatements.every((s) => s.undecided)) {
        // Too many statements to compare every Allow with every Deny: unknown, not a guessed failure.
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether the key policy is public: it has too many statements to compare every Allow with every Deny (statement ${publicStatements[0]!.index}: ${publicStatements[0]!.reason}).`,
          evidence,
        };
      } else if (exposure.exposure === 'public') {
        const first = publicStatements.find((s) => !s.undecided)!;
        const where = `statement ${first.index}${first.sid ? ` (Sid "${first.sid}")` : ''}`;
        const shield = rcpShield(context, key.policy.normalized, publicStatements.map((p) => p.index), 'kms', () => key.arn);
        yield publicUnlessRcps(
          resource,
          shield,
          {
            wouldBe: `The key policy would be public (${where}: ${first.reason})`,
            is: `The key policy is public (${where}: ${first.reason})`,
            fail: `The key policy is public: ${where} allows ${first.actions.join(', ')} to ${first.reason}`,
          },
          evidence,
          'KeyPolicy',
        );
      } else {
        yield {
          verdict: 'pass',
          resource,
          message:
            exposure.exposure === 'cross-account'
              ? `The key policy is not public; it grants access to external account(s) ${exposure.externalAccounts.join(', ')}.`
              : 'The key policy grants access only within the account, to AWS services, or under restricting conditions.',
          evidence,
        };
      }
    }
  },
});
