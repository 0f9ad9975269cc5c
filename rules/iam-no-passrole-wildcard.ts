import { defineRule } from '../src/engine/types.js';
import { sectionUnknown } from '../src/engine/rule-kit.js';
import { effectiveAccess } from '../src/policy/analyze.js';
import { ESCALATION_ACTIONS, isBroadGrant } from '../src/policy/escalation.js';
import { incompleteResult, principalPolicySets } from '../src/policy/principal-policies.js';


export default defineRule({
  meta: {
    id: 'iam-no-passrole-wildcard',
    title: 'No IAM principal may pass every role (iam:PassRole on *)',
    severity: 'high',
    service: 'iam',
    resourceTypes: ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'],
    description:
      'No user, group or role may be allowed iam:PassRole on every role: Resource "*", "arn:aws:iam::<account>:role/*", a NotResource grant, or an action pattern such as "iam:*" or "iam:Pass*" on those. Decided against the action catalog and after Deny statements and the permissions boundary. PassRole scoped to named roles or a role path passes.',
    rationale:
      'PassRole decides which role a SageMaker job, Bedrock agent, Lambda function or EC2 instance runs as. Allowed on every role, it lets the holder start compute as the most privileged role in the account, the most common IAM privilege-escalation step.',
    remediation: {
      console: [
        'Open the IAM console and the principal named in the finding; edit the statement that allows iam:PassRole.',
        'Set Resource to the execution roles the workload launches, e.g. arn:aws:iam::<ACCOUNT_ID>:role/sagemaker-execution-*, and add Condition StringEquals iam:PassedToService sagemaker.amazonaws.com.',
      ],
      cli: 'aws iam put-role-policy --role-name <ROLE> --policy-name pass-execution-role --policy-document file://passrole.json',
      cloudformation: [
        '- Effect: Allow',
        '  Action: iam:PassRole',
        "  Resource: !Sub 'arn:aws:iam::${AWS::AccountId}:role/sagemaker-execution-*'",
        '  Condition:',
        "    StringEquals: { 'iam:PassedToService': sagemaker.amazonaws.com }",
      ].join('\n'),
      terraform: [
        'statement {',
        '  actions   = ["iam:PassRole"]',
        '  resources = [aws_iam_role.sagemaker_execution.arn]',
        '  condition {',
        '    test     = "StringEquals"',
        '    variable = "iam:PassedToService"',
        '    values   = ["sagemaker.amazonaws.com"]',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource',
    ],
  },

  *evaluate(context) {
    if (!context.inventory.iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    for (const principal of principalPolicySets(context)) {
      const boundary = principal.boundary === 'unreadable' ? undefined : principal.boundary;
      // Asked with the escalation rule's action list (iam:PassRole is in it): the engine answers a
      // principal's question about that list once per scan, for both rules.
      const access = effectiveAccess(principal.policies, { catalog: context.catalog, actions: ESCALATION_ACTIONS, ...(boundary ? { boundary } : {}) });
      const passRole = access.actions.find((a) => a.action === 'iam:PassRole');
      const kind = principal.kind;
      if (passRole && isBroadGrant(passRole) && principal.boundary !== 'unreadable') {
        const first = passRole.statements[0]!;
        yield {
          verdict: 'fail',
          resource: principal.resource,
          message: `${cap(kind)} ${principal.name} may pass any role: ${first.policyId}, statement ${first.index}${first.sid ? ` (Sid "${first.sid}")` : ''} allows iam:PassRole on ${passRole.resources.join(', ')}${passRole.conditional ? ' (under a condition)' : ''}.`,
          evidence: { resources: passRole.resources, statements: passRole.statements, conditional: passRole.conditional },
          // The CloudFormation property that holds the offending policy (for IaC locations).
          property: first.policyId.startsWith('inline ') ? 'Policies' : 'ManagedPolicyArns',
        };
      } else {
        yield incompleteResult(principal) ?? {
          verdict: 'pass',
          resource: principal.resource,
          message: passRole
            ? `${cap(kind)} ${principal.name} may pass only named roles: ${passRole.resources.join(', ')}.`
            : `${cap(kind)} ${principal.name} is not allowed iam:PassRole.`,
          ...(passRole ? { evidence: { resources: passRole.resources } } : {}),
        };
      }
    }
  },
});

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
