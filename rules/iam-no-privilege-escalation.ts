import { defineRule } from '../src/engine/types.js';
import { sectionUnknown } from '../src/engine/rule-kit.js';
import { escalationPaths, type EscalationFinding } from '../src/policy/escalation.js';
import { incompleteResult, principalPolicySets } from '../src/policy/principal-policies.js';

export default defineRule({
  meta: {
    id: 'iam-no-privilege-escalation',
    title: 'No IAM principal holds a known privilege-escalation path',
    severity: 'high',
    service: 'iam',
    resourceTypes: ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'],
    description:
      'No user (with its groups\' policies), group or role may be allowed, on broad resources, a combination of actions known to raise its own privileges: creating or switching managed policy versions, attaching or writing policies, adding users to groups, creating keys or passwords for others, rewriting a trust policy and assuming the role, or iam:PassRole together with a service that runs code as the passed role (EC2, Lambda, CloudFormation, Glue, CodeBuild, SageMaker notebooks, training and processing jobs, Bedrock agents). Decided by the policy engine after Deny statements and the permissions boundary; paths scoped to named resources are not reported.',
    rationale:
      'A principal that can grant itself more permissions has, for audit purposes, those permissions already. ML platform roles are frequent carriers: PassRole with sagemaker:CreateNotebookInstance or bedrock:CreateAgent lets a data scientist run code as any role in the account.',
    remediation: {
      console: [
        'Open the IAM console and the principal named in the finding; find the statements listed in the evidence.',
        'Remove the IAM write actions the workload does not need, or scope them to named resources; scope iam:PassRole to the execution roles it launches, with an iam:PassedToService condition.',
        'Use a permissions boundary on roles that must create other roles or policies.',
      ],
      cli: 'aws iam put-role-permissions-boundary --role-name <ROLE> --permissions-boundary arn:aws:iam::<ACCOUNT_ID>:policy/<BOUNDARY>',
      cloudformation: [
        'MlPlatformRole:',
        '  Type: AWS::IAM::Role',
        '  Properties:',
        "    PermissionsBoundary: !Sub 'arn:aws:iam::${AWS::AccountId}:policy/ml-boundary'",
        '    Policies:',
        '      - PolicyName: pass-execution-role',
        '        PolicyDocument:',
        "          Version: '2012-10-17'",
        '          Statement:',
        '            - Effect: Allow',
        '              Action: iam:PassRole',
        "              Resource: !GetAtt SageMakerExecutionRole.Arn",
      ].join('\n'),
      terraform: [
        'resource "aws_iam_role" "ml_platform" {',
        '  name                 = "ml-platform"',
        '  permissions_boundary = aws_iam_policy.ml_boundary.arn',
        '  assume_role_policy   = data.aws_iam_policy_document.trust.json',
        '}',
      ].join('\n'),
    },
    references: [
      'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
    ],
  },

  *evaluate(context) {
    if (!context.inventory.iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    // Principals holding the same relevant policies get the same paths (one array): described once.
    const described = new Map<EscalationFinding[], Record<string, unknown>[]>();
    for (const principal of principalPolicySets(context, { includeGroupPolicies: true })) {
      const boundary = principal.boundary === 'unreadable' ? undefined : principal.boundary;
      const paths = escalationPaths(principal.policies, context.catalog, boundary ? { boundary } : {});
      const kind = principal.kind;
      let evidencePaths = described.get(paths);
      if (!evidencePaths) {
        evidencePaths = paths.map((p) => ({
          id: p.path.id,
          actions: p.path.actions,
          conditional: p.conditional,
          statements: [...new Set(p.grants.flatMap((g) => g.statements.map((s) => `${s.policyId}#${s.index}`)))].sort(),
        }));
        if (paths.length) described.set(paths, evidencePaths);
      }
      const evidence = { paths: evidencePaths };
      if (paths.length && principal.boundary !== 'unreadable') {
        const first = paths[0]!;
        yield {
          verdict: 'fail',
          resource: principal.resource,
          message: `${cap(kind)} ${principal.name} can escalate its privileges: ${first.path.actions.join(' + ')} (${first.path.id}) lets it ${first.path.description}${paths.length > 1 ? `; ${paths.length - 1} more path${paths.length > 2 ? 's' : ''}: ${paths.slice(1).map((p) => p.path.id).join(', ')}` : ''}.`,
          evidence,
          // The CloudFormation property that holds the offending policy (for IaC locations).
          property: policyProperty(first.grants[0]!.statements[0]!.policyId),
        };
      } else {
        yield incompleteResult(principal) ?? { verdict: 'pass', resource: principal.resource, message: `No known privilege-escalation path is open to ${kind} ${principal.name}.` };
      }
    }
  },
});

/** The CloudFormation property of the principal that holds the policy: inline, managed, or a group's. */
function policyProperty(policyId: string): string {
  if (policyId.startsWith('group ')) return 'Groups';
  return policyId.startsWith('inline ') ? 'Policies' : 'ManagedPolicyArns';
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
