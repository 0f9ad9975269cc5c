import { defineRule } from '../src/engine/types.js';
import { resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { publicUnlessRcps, rcpShield } from '../src/engine/resource-control.js';
import { analyzeExposure } from '../src/policy/analyze.js';

export default defineRule({
  meta: {
    id: 'iam-role-trust-not-public',
    title: 'IAM role trust policies do not let anyone assume the role',
    severity: 'critical',
    service: 'iam',
    resourceTypes: ['AWS::IAM::Role'],
    description:
      'A role trust policy must not allow everyone to assume the role: Principal "*" (or NotPrincipal) without a condition tying it to known accounts, the organization or named sources fails, and so does web identity federation (GitHub Actions, Cognito, other OIDC providers) without a condition on the token\'s subject or audience, which lets anyone holding a token from that provider in. Trust in named external accounts is listed as evidence but passes. In an organization scan (aigis scan --org), a public trust policy passes when the resource control policies on the account\'s path deny the role\'s assumption to principals outside the organization.',
    rationale:
      'The roles of training jobs, notebooks and agents can read training data and invoke models; a trust policy that anyone can satisfy hands those permissions to the internet. The GitHub OIDC case is a common real-world mistake: without a sub condition, any repository on GitHub can assume the role.',
    remediation: {
      console: [
        'Open the IAM console, Roles, the role named in the finding, Trust relationships tab, Edit trust policy.',
        'Replace Principal "*" with the account or role ARNs that must assume it, or add StringEquals aws:PrincipalOrgID.',
        'For web identity providers add the audience and subject conditions, e.g. StringEquals token.actions.githubusercontent.com:aud sts.amazonaws.com and StringLike token.actions.githubusercontent.com:sub repo:<org>/<repo>:*.',
      ],
      cli: 'aws iam update-assume-role-policy --role-name <ROLE> --policy-document file://trust.json',
      cloudformation: [
        'DeployRole:',
        '  Type: AWS::IAM::Role',
        '  Properties:',
        '    AssumeRolePolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Effect: Allow',
        "          Principal: { Federated: !Sub 'arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com' }",
        '          Action: sts:AssumeRoleWithWebIdentity',
        '          Condition:',
        "            StringEquals: { 'token.actions.githubusercontent.com:aud': sts.amazonaws.com }",
        "            StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/my-repo:ref:refs/heads/main' }",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "trust" {',
        '  statement {',
        '    actions = ["sts:AssumeRoleWithWebIdentity"]',
        '    principals {',
        '      type        = "Federated"',
        '      identifiers = [aws_iam_openid_connect_provider.github.arn]',
        '    }',
        '    condition {',
        '      test     = "StringLike"',
        '      variable = "token.actions.githubusercontent.com:sub"',
        '      values   = ["repo:my-org/my-repo:ref:refs/heads/main"]',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#term_trust-policy',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub',
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
      const exposure = analyzeExposure(role.trustPolicy.normalized, { accountId: context.index.accountId, kind: 'trust' });
      const evidence = { exposure: exposure.exposure, externalAccounts: exposure.externalAccounts, statements: exposure.statements };
      const publicStatements = exposure.statements.filter((s) => s.accounts.length === 0);
      if (exposure.exposure === 'public' && publicStatements.every((s) => s.undecided)) {
        // Too many statements to compare every Allow with every Deny: unknown, not a guessed failure.
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether anyone can assume role ${role.name}: its trust policy has too many statements to compare every Allow with every Deny (statement ${publicStatements[0]!.index}: ${publicStatements[0]!.reason}).`,
          evidence,
        };
      } else if (exposure.exposure === 'public') {
        const first = publicStatements.find((s) => !s.undecided)!;
        const where = `trust statement ${first.index}${first.sid ? ` (Sid "${first.sid}")` : ''}`;
        const shield = rcpShield(context, role.trustPolicy.normalized, publicStatements.map((p) => p.index), 'sts', () => role.arn);
        yield publicUnlessRcps(
          resource,
          shield,
          {
            wouldBe: `Anyone could assume role ${role.name} by its trust policy (${where}: ${first.reason})`,
            is: `Anyone can assume role ${role.name} by its trust policy (${where}: ${first.reason})`,
            fail: `Anyone can assume role ${role.name}: ${where}: ${first.reason}`,
          },
          evidence,
          'AssumeRolePolicyDocument',
        );
      } else {
        yield {
          verdict: 'pass',
          resource,
          message:
            exposure.exposure === 'cross-account'
              ? `Role ${role.name} is not publicly assumable; it trusts external account(s) ${exposure.externalAccounts.join(', ')}.`
              : `Role ${role.name} can be assumed only by principals of the account, AWS services or restricted federated identities.`,
          evidence,
        };
      }
    }
  },
});
