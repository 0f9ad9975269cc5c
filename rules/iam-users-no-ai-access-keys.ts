import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { effectiveAccess, type EffectiveAccess, type GrantingStatement } from '../src/policy/analyze.js';
import type { NormalizedStatement } from '../src/policy/document.js';
import { incompleteResult, principalPolicySets } from '../src/policy/principal-policies.js';
import { summarizeAccess, type AccessSummary } from '../src/policy/access-union.js';

/** The AI services whose permissions must not sit behind a long-lived access key. */
const AI_SERVICES = ['bedrock', 'sagemaker'];

export default defineRule({
  meta: {
    id: 'iam-users-no-ai-access-keys',
    title: 'IAM users with active access keys hold no Bedrock or SageMaker permissions',
    severity: 'high',
    service: 'iam',
    aiControl: true,
    resourceTypes: ['AWS::IAM::User'],
    description:
      'No IAM user with an Active access key may be allowed any Bedrock or SageMaker action ("*", "bedrock:*", "sagemaker:Create*"...) by its inline or managed policies or those of its groups, after Deny statements and its permissions boundary. Decided by the policy engine against the action catalog. Users without an active key pass; a user whose access keys were not read (credential report) is unknown, and so is a user with a key whose policies are not all in the inventory unless a readable policy already grants AI access.',
    rationale:
      'An access key never expires and is copied into notebooks, CI variables and laptops; leaked, it lets anyone invoke models, read training data through SageMaker or start jobs on the account\'s bill. Workloads and pipelines should use roles with short-term credentials (SageMaker execution roles, OIDC-federated CI roles, IAM Identity Center for people), which is what least privilege and credential management (NIST AC-6, SOC 2 CC6.1 and CC6.3, HIPAA access authorization, GDPR Art. 32) expect.',
    remediation: {
      console: [
        'Open the IAM console, Users, and the user named in the finding.',
        'Find what uses the key (Security credentials tab: "Last used"; CloudTrail events with the access key id) and move it to a role: an execution role for SageMaker jobs, an OIDC role for CI (GitHub Actions, GitLab), IAM Identity Center for people.',
        'Then make the key Inactive, confirm nothing breaks, and delete it; or remove the Bedrock and SageMaker permissions from the user and its groups.',
      ],
      cli: [
        'aws iam list-access-keys --user-name <USER>',
        'aws iam get-access-key-last-used --access-key-id <KEY_ID>',
        'aws iam update-access-key --user-name <USER> --access-key-id <KEY_ID> --status Inactive',
        'aws iam delete-access-key --user-name <USER> --access-key-id <KEY_ID>',
      ].join('\n'),
      cloudformation: [
        '# No AWS::IAM::AccessKey for users with AI permissions: give the pipeline a role instead.',
        'PipelineRole:',
        '  Type: AWS::IAM::Role',
        '  Properties:',
        '    AssumeRolePolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Effect: Allow',
        "          Principal: { Federated: !Sub 'arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com' }",
        '          Action: sts:AssumeRoleWithWebIdentity',
        '          Condition:',
        "            StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:<ORG>/<REPO>:*' }",
        '    ManagedPolicyArns: [!Ref BedrockInvokePolicy]',
      ].join('\n'),
      terraform: [
        '# remove: resource "aws_iam_access_key" for the user',
        'resource "aws_iam_role" "pipeline" {',
        '  name               = "ml-pipeline"',
        '  assume_role_policy = data.aws_iam_policy_document.github_oidc.json',
        '}',
        'resource "aws_iam_role_policy_attachment" "pipeline_bedrock" {',
        '  role       = aws_iam_role.pipeline.name',
        '  policy_arn = aws_iam_policy.bedrock_invoke.arn',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
    ],
  },

  *evaluate(context) {
    const iam = context.inventory.iam;
    if (!iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    const users = new Map(iam.users.map((u) => [u.arn, u]));
    // What a failing finding says, per whole answer of the engine (users holding the same Bedrock
    // and SageMaker policies get the same answer object: the engine keeps it per set of documents).
    const answers = new Map<EffectiveAccess, AiAccess>();
    for (const principal of principalPolicySets(context, { includeGroupPolicies: true })) {
      if (principal.kind !== 'user') continue;
      const user = users.get(principal.resource.arn);
      if (!user) continue;
      const resource = resourceRef(user.arn, 'AWS::IAM::User', user.region, user.name, user.source);
      if (!user.accessKeys) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot judge user ${user.name}: ${missingReason(context, 'iam', { resource: user.arn, operations: ['GetCredentialReport', 'ListAccessKeys'] }, 'its access key list (credential report)')}.`,
        };
        continue;
      }
      const active = user.accessKeys.filter((k) => k.status === 'Active');
      if (!active.length) {
        yield {
          verdict: 'pass',
          resource,
          message: `User ${user.name} has no active access key.`,
          evidence: { accessKeys: user.accessKeys.map((k) => ({ id: k.id, status: k.status })) },
        };
        continue;
      }
      const keys = active.map((k) => k.id);
      // Expanding Bedrock and SageMaker actions over the catalog is the costly step: only users
      // with an Allow statement that could name one of them (its service part is bedrock,
      // sagemaker or a wildcard, or a NotAction) need it. Unreadable policies still go the long way.
      if (!principal.unreadable.length && !principal.policies.some((p) => p.policy.statements.some(mayAllowAiService))) {
        yield incompleteResult(principal, 'the Bedrock and SageMaker access of') ?? {
          verdict: 'pass',
          resource,
          message: `User ${user.name} has ${active.length === 1 ? 'an active access key' : `${active.length} active access keys`}, but no policy of the user or its groups allows a Bedrock or SageMaker action.`,
          evidence: { activeAccessKeys: keys },
        };
        continue;
      }
      const boundary = principal.boundary === 'unreadable' ? undefined : principal.boundary;
      const question = { catalog: context.catalog, services: AI_SERVICES, ...(boundary ? { boundary } : {}) };
      // Without a Deny or a boundary in the way, the union of each policy's own answer says it all.
      let answer = aiAccess(summarizeAccess(principal.policies, question, 20));
      if (!answer) {
        const access = effectiveAccess(principal.policies, question);
        answer = answers.get(access);
        if (!answer) answers.set(access, (answer = aiAccess(summaryOf(access))!));
      }
      if (answer.granting && principal.boundary !== 'unreadable') {
        const { actionCount, services, statements, first, conditional, actions, property } = answer.granting;
        yield {
          verdict: 'fail',
          resource,
          message: `User ${user.name} has ${active.length === 1 ? 'an active access key' : `${active.length} active access keys`} (${keys.join(', ')}) and ${actionCount} ${services.map(serviceName).join(' and ')} action${actionCount === 1 ? '' : 's'}: ${first.policyId}, statement ${first.index}${first.sid ? ` (Sid "${first.sid}")` : ''} allows them${conditional ? ' (under a condition)' : ''}. Use a role with short-term credentials instead.`,
          evidence: { activeAccessKeys: keys, services, actions, actionCount, statements },
          property,
        };
        continue;
      }
      yield incompleteResult(principal, 'the Bedrock and SageMaker access of') ?? {
        verdict: 'pass',
        resource,
        message: `User ${user.name} has ${active.length === 1 ? 'an active access key' : `${active.length} active access keys`}, but no policy of the user or its groups allows a Bedrock or SageMaker action.`,
        evidence: { activeAccessKeys: keys },
      };
    }
  },
});

/** What a failing finding says about one set of policies, worked out once for all users holding it. */
interface AiAccess {
  granting?: {
    actionCount: number;
    services: string[];
    statements: GrantingStatement[];
    first: GrantingStatement;
    conditional: boolean;
    /** The first 20 actions, for the evidence. */
    actions: string[];
    property: string;
  };
}

function aiAccess(summary: AccessSummary | undefined): AiAccess | undefined {
  if (!summary) return undefined;
  if (!summary.actionCount) return {};
  const first = summary.statements[0]!;
  return {
    granting: {
      actionCount: summary.actionCount,
      services: AI_SERVICES.filter((s) => summary.services.has(s)),
      statements: summary.statements,
      first,
      conditional: summary.conditional,
      actions: summary.firstActions,
      property: first.policyId.startsWith('inline ') ? 'Policies' : 'ManagedPolicyArns',
    },
  };
}

/** The summary of the engine's whole answer (when a Deny or a boundary is in the way). */
function summaryOf(access: EffectiveAccess): AccessSummary {
  // Actions granted by the same statements share one evidence array: each array is walked once,
  // in the order the actions first name it, which keeps the statements' order of first mention.
  const lists = new Set<readonly GrantingStatement[]>();
  const services = new Set<string>();
  for (const a of access.actions) {
    lists.add(a.statements);
    for (const s of AI_SERVICES) if (a.action.toLowerCase().startsWith(`${s}:`)) services.add(s);
  }
  return {
    actionCount: access.actions.length,
    firstActions: access.actions.slice(0, 20).map((a) => a.action),
    statements: uniqueStatements([...lists].flat()),
    conditional: access.actions.every((a) => a.conditional),
    services,
  };
}

function serviceName(service: string): string {
  return service === 'bedrock' ? 'Bedrock' : 'SageMaker';
}

function uniqueStatements<T extends { policyId: string; index: number }>(statements: T[]): T[] {
  const seen = new Set<string>();
  return statements.filter((s) => {
    const key = `${s.policyId}\u0000${s.index}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Could this statement allow a Bedrock or SageMaker action? (A cheap over-approximation.) */
function mayAllowAiService(statement: NormalizedStatement): boolean {
  if (statement.effect !== 'Allow') return false;
  if (statement.notAction) return true;
  return (statement.action ?? []).some((action) => {
    const colon = action.indexOf(':');
    const service = (colon < 0 ? action : action.slice(0, colon)).toLowerCase();
    return service.includes('*') || service.includes('?') || service === 'bedrock' || service === 'sagemaker';
  });
}
