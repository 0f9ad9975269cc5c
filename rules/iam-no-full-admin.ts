import { defineRule } from '../src/engine/types.js';
import { sectionUnknown } from '../src/engine/rule-kit.js';
import { effectiveAccess } from '../src/policy/analyze.js';
import { incompleteResult, principalPolicySets } from '../src/policy/principal-policies.js';
import type { NormalizedPolicy, NormalizedStatement } from '../src/policy/document.js';

export default defineRule({
  meta: {
    id: 'iam-no-full-admin',
    title: 'No IAM principal has full administrator access ("*" on "*")',
    severity: 'critical',
    service: 'iam',
    resourceTypes: ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'],
    description:
      'No user, group or role may hold an Allow of Action "*" on Resource "*" (inline, customer managed or AWS managed such as AdministratorAccess) that no Deny takes back and its permissions boundary keeps. Decided by the policy engine: the effective access on "*" must not include every action of the catalog. Grants under a condition still fail, with the condition named. A principal whose policy documents are not all in the inventory is unknown unless a readable policy already grants full access.',
    rationale:
      'Administrator access on the roles of notebooks, training jobs, pipelines or agents turns any code or prompt-injection compromise into an account takeover. Least privilege (NIST AC-6, SOC 2 CC6.3, HIPAA access control) expects administrator access to be rare, named and protected.',
    remediation: {
      console: [
        'Open the IAM console and the user, group or role named in the finding.',
        'Detach AdministratorAccess (or edit the statement named in the finding) and attach a policy with the actions the workload needs; IAM Access Analyzer can generate one from CloudTrail activity.',
        'Keep administrator access on a small number of break-glass roles that require MFA.',
      ],
      cli: [
        'aws iam detach-role-policy --role-name <ROLE> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
        'aws accessanalyzer start-policy-generation --policy-generation-details principalArn=<ROLE_ARN> --cloud-trail-details file://trail.json',
      ].join('\n'),
      cloudformation: [
        'TrainingRole:',
        '  Type: AWS::IAM::Role',
        '  Properties:',
        '    ManagedPolicyArns: []   # no AdministratorAccess',
        '    Policies:',
        '      - PolicyName: training',
        '        PolicyDocument:',
        "          Version: '2012-10-17'",
        '          Statement:',
        '            - Effect: Allow',
        '              Action: [s3:GetObject, s3:ListBucket]',
        "              Resource: ['arn:aws:s3:::training-data', 'arn:aws:s3:::training-data/*']",
      ].join('\n'),
      terraform: [
        '# remove: aws_iam_role_policy_attachment with policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"',
        'resource "aws_iam_role_policy" "training" {',
        '  role   = aws_iam_role.training.id',
        '  policy = data.aws_iam_policy_document.training.json',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    ],
  },

  *evaluate(context) {
    if (!context.inventory.iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    const total = context.catalog.expand('*').length;
    // Per document, worked out once: thousands of principals share their managed policies.
    const byDocument = new Map<NormalizedPolicy, { admin: NormalizedStatement[]; denies: boolean }>();
    const factsOf = (policy: NormalizedPolicy) => {
      let facts = byDocument.get(policy);
      if (!facts) {
        facts = {
          admin: policy.statements.filter((s) => s.effect === 'Allow' && s.action?.includes('*') && (s.resource?.includes('*') || s.notResource)),
          denies: policy.statements.some((s) => s.effect === 'Deny'),
        };
        byDocument.set(policy, facts);
      }
      return facts;
    };
    for (const principal of principalPolicySets(context)) {
      const admin: { policy: string; statement: number; sid?: string; conditional: boolean }[] = [];
      for (const { id, policy } of principal.policies) {
        for (const s of factsOf(policy).admin) {
          admin.push({ policy: id, statement: s.index, ...(s.sid !== undefined ? { sid: s.sid } : {}), conditional: Object.keys(s.condition).length > 0 });
        }
      }
      const boundary = principal.boundary === 'unreadable' ? undefined : principal.boundary;
      let effective = false;
      if (admin.length && !boundary && !principal.policies.some(({ policy }) => factsOf(policy).denies)) {
        // Nothing can take an Allow of "*" on "*" back: no Deny statement and no boundary.
        effective = true;
      } else if (admin.length) {
        // Deny statements and the boundary can take full access back: ask the engine.
        const access = effectiveAccess(principal.policies, { catalog: context.catalog, ...(boundary ? { boundary } : {}) });
        effective = access.actions.length === total;
      }
      const kind = principal.kind;
      if (effective && (principal.boundary !== 'unreadable')) {
        const first = admin[0]!;
        yield {
          verdict: 'fail',
          resource: principal.resource,
          message: `${cap(kind)} ${principal.name} has full administrator access: ${first.policy}, statement ${first.statement}${first.sid ? ` (Sid "${first.sid}")` : ''} allows "*" on "*"${first.conditional ? ' (under a condition)' : ''}.`,
          evidence: { statements: admin },
          // The CloudFormation property that holds the offending policy (for IaC locations).
          property: first.policy.startsWith('inline ') ? 'Policies' : 'ManagedPolicyArns',
        };
      } else {
        yield incompleteResult(principal) ?? {
          verdict: 'pass',
          resource: principal.resource,
          message: admin.length
            ? `${cap(kind)} ${principal.name} has an Allow of "*" on "*", but Deny statements or its permissions boundary take part of it back.`
            : `No policy of ${kind} ${principal.name} allows "*" on "*".`,
          ...(admin.length ? { evidence: { statements: admin } } : {}),
        };
      }
    }
  },
});

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
