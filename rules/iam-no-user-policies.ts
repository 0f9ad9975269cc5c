import { defineRule } from '../src/engine/types.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import { resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

/** The IAM operations that list a user's policies (the collector reads them all through GetAccountAuthorizationDetails). */
const POLICY_OPERATIONS = ['GetAccountAuthorizationDetails', 'ListAttachedUserPolicies', 'ListUserPolicies', 'GetUserPolicy'];

export default defineRule({
  meta: {
    id: 'iam-no-user-policies',
    title: 'IAM users have no policies attached directly',
    severity: 'low',
    service: 'iam',
    resourceTypes: ['AWS::IAM::User'],
    description:
      'No IAM user may have a managed policy attached or an inline policy of its own: permissions belong to groups (for people) or roles (for workloads). A user with any direct policy fails, naming them; a user whose policy lists could not be read is unknown.',
    rationale:
      'Permissions granted user by user drift apart, outlive job changes and cannot be reviewed as roles: who may read the training data or invoke a model becomes a list of individual exceptions. Granting them through groups and roles gives each access a named job function that access reviews can check and revoke in one place, which is what HIPAA 164.308(a)(4) (access authorization), NIST AC-2 and AC-6 and SOC 2 CC6.3 (role-based access) expect.',
    remediation: {
      console: [
        'Open the IAM console, Users, choose the user, and note the policies on the Permissions tab.',
        'Create (or pick) a group for the user\'s job function, attach the same managed policies to it (turn inline policies into customer managed policies first) and add the user to the group.',
        'Back on the user, Remove each directly attached policy and delete each inline policy.',
        'Better for workloads: replace the user and its access keys with a role the workload assumes.',
      ],
      cli: [
        'aws iam list-attached-user-policies --user-name <USER>',
        'aws iam list-user-policies --user-name <USER>',
        'aws iam add-user-to-group --user-name <USER> --group-name <GROUP>',
        'aws iam attach-group-policy --group-name <GROUP> --policy-arn <POLICY_ARN>',
        'aws iam detach-user-policy --user-name <USER> --policy-arn <POLICY_ARN>',
        'aws iam delete-user-policy --user-name <USER> --policy-name <INLINE_POLICY>',
      ].join('\n'),
      cloudformation: [
        '# Attach policies to a group and add users to it; no Policies or ManagedPolicyArns on the user:',
        'DataScientists:',
        '  Type: AWS::IAM::Group',
        '  Properties:',
        '    ManagedPolicyArns: [!Ref DataScienceAccess]',
        'Alice:',
        '  Type: AWS::IAM::User',
        '  Properties:',
        '    UserName: alice',
        '    Groups: [!Ref DataScientists]',
      ].join('\n'),
      terraform: [
        '# No aws_iam_user_policy or aws_iam_user_policy_attachment: attach to a group instead.',
        'resource "aws_iam_group" "data_scientists" {',
        '  name = "data-scientists"',
        '}',
        'resource "aws_iam_group_policy_attachment" "data_science" {',
        '  group      = aws_iam_group.data_scientists.name',
        '  policy_arn = aws_iam_policy.data_science.arn',
        '}',
        'resource "aws_iam_user_group_membership" "alice" {',
        '  user   = aws_iam_user.alice.name',
        '  groups = [aws_iam_group.data_scientists.name]',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_attach-policy.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2',
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
      const managed = user.attachedManagedPolicies.map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
      const inline = user.inlinePolicies.map((p) => p.name);
      if (managed.length || inline.length) {
        const named = [...managed.map((n) => `managed policy ${n}`), ...inline.map((n) => `inline policy ${n}`)];
        yield {
          verdict: 'fail',
          resource,
          message: `User ${user.name} has ${named.length === 1 ? 'a policy' : `${named.length} policies`} attached directly (${named.join(', ')}): grant permissions through a group or a role.`,
          evidence: { attachedManagedPolicies: user.attachedManagedPolicies, inlinePolicies: inline },
          property: managed.length ? 'ManagedPolicyArns' : 'Policies',
        };
        continue;
      }
      const errors = context.index.errorsFor('iam', { resource: user.arn, operations: POLICY_OPERATIONS });
      if (errors.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether user ${user.name} has policies attached directly: its policy lists could not be read (${describeErrors(errors)}).`,
          evidence: { collectionErrors: errors },
        };
      } else {
        yield { verdict: 'pass', resource, message: `User ${user.name} has no policies attached directly.` };
      }
    }
  },
});
