/**
 * Rule metadata for the findings of `aigis policy check`, so that its reports (JSON, SARIF,
 * HTML, Markdown) describe each kind of finding like any scan rule: what it means, why it
 * matters and how to fix it. Ids are `policy-<code>`.
 */
import type { RuleMeta } from '../engine/types.js';
import { FINDING_CODES, severityOf, type FindingCode } from './validate.js';

const IAM_DOCS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';
const CHECKS = `${IAM_DOCS}access-analyzer-reference-policy-checks.html`;

interface Text {
  title: string;
  description: string;
  rationale: string;
  fix: string;
  references: string[];
}

const TEXT: Record<FindingCode, Text> = {
  'syntax-error': {
    title: 'Policy document is not valid IAM policy grammar',
    description: 'The document is JSON but not a policy IAM accepts: a missing or misspelled element, a wrong type, an unknown principal type, an Effect other than Allow or Deny.',
    rationale: 'IAM rejects the policy, or (through infrastructure-as-code) a deployment fails late; the finding names the statement and field.',
    fix: 'Correct the element named in the finding (see the IAM JSON policy grammar).',
    references: [`${IAM_DOCS}reference_policies_grammar.html`],
  },
  'unknown-service': {
    title: 'Action names a service prefix that does not exist',
    description: 'The service prefix of an action (the part before the colon) is not a service in the IAM action catalog.',
    rationale: 'The statement grants or denies nothing for that entry; a typo in a Deny silently leaves access open.',
    fix: 'Use the service prefix from the Service Authorization Reference (e.g. s3, sagemaker, bedrock).',
    references: ['https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html'],
  },
  'unknown-action': {
    title: 'Action matches no action of its service',
    description: 'The action (or wildcard pattern) matches no action in the IAM action catalog, e.g. s3:GetObjects; the finding suggests the closest real action.',
    rationale: 'The entry does nothing: an Allow grants less than intended and a Deny protects nothing.',
    fix: 'Correct the action name; the finding suggests the closest match.',
    references: [`${CHECKS}#access-analyzer-reference-policy-checks-error-invalid-action`],
  },
  'invalid-action': {
    title: 'Action is not in service:Action form',
    description: 'An Action or NotAction entry has no service prefix or no action name.',
    rationale: 'IAM rejects the policy.',
    fix: 'Write actions as service:ActionName, or "*".',
    references: [`${IAM_DOCS}reference_policies_elements_action.html`],
  },
  'invalid-arn': {
    title: 'Resource is not a valid ARN',
    description: 'A Resource or NotResource entry is neither "*" nor an ARN with six segments, or uses a wildcard in the service segment.',
    rationale: 'The statement never matches the resource it was meant for.',
    fix: 'Write the full ARN: arn:partition:service:region:account:resource.',
    references: [`${IAM_DOCS}reference_policies_elements_resource.html`],
  },
  'resource-type-mismatch': {
    title: 'No Resource matches a resource type of the action',
    description: 'For an action named in the statement, none of the Resource ARNs matches any resource type the action applies to (e.g. s3:ListBucket with only object ARNs), or the action supports only Resource "*".',
    rationale: 'The statement grants nothing for that action; code that relies on it fails with AccessDenied, and people then widen the policy.',
    fix: 'Add the ARN of the resource type the action needs (bucket vs object), or use "*" for actions without resource-level permissions.',
    references: [`${CHECKS}#access-analyzer-reference-policy-checks-error-unsupported-resource-arn-in-policy`],
  },
  'unknown-condition-operator': {
    title: 'Condition operator does not exist',
    description: 'The condition uses an operator IAM does not have (a typo such as StringEqual, or Null...IfExists).',
    rationale: 'IAM rejects the policy.',
    fix: 'Use an operator from the IAM condition operator reference.',
    references: [`${IAM_DOCS}reference_policies_elements_condition_operators.html`],
  },
  'invalid-condition-value': {
    title: 'Condition value does not fit its operator',
    description: 'A value is not valid for its operator: not a CIDR for IpAddress, not true/false for Bool or Null, not a number or date for the numeric and date operators.',
    rationale: 'The condition never matches, so an Allow never applies and a Deny never protects.',
    fix: 'Correct the value (e.g. 203.0.113.0/24, "true", 2025-01-01T00:00:00Z).',
    references: [`${IAM_DOCS}reference_policies_elements_condition_operators.html`],
  },
  'unknown-global-condition-key': {
    title: 'aws: condition key that AWS does not define',
    description: 'The condition uses a key with the aws: prefix that is not a global condition key (e.g. aws:SourceAccountId).',
    rationale: 'The key is never present in a request: a positive condition never matches and a negated one always does.',
    fix: 'Use the key name from the global condition key reference.',
    references: [`${IAM_DOCS}reference_policies_condition-keys.html`],
  },
  'variables-unsupported-version': {
    title: 'Policy variable in a policy without Version 2012-10-17',
    description: 'A ${...} policy variable appears in a policy whose Version is 2008-10-17 or missing; IAM treats it as literal text.',
    rationale: 'The statement matches nothing it was meant to (e.g. per-user home folders never match).',
    fix: 'Set "Version": "2012-10-17".',
    references: [`${IAM_DOCS}reference_policies_variables.html`],
  },
  'missing-version': {
    title: 'Policy has no Version element',
    description: 'Without Version, IAM evaluates the policy with the 2008-10-17 language, without policy variables.',
    rationale: 'Later edits that add policy variables silently stop working.',
    fix: 'Add "Version": "2012-10-17".',
    references: [`${IAM_DOCS}reference_policies_elements_version.html`],
  },
  'principal-not-allowed': {
    title: 'Principal in an identity-based policy or SCP',
    description: 'Identity-based policies, permissions boundaries and SCPs apply to the identity they are attached to and cannot name a Principal.',
    rationale: 'IAM rejects the policy.',
    fix: 'Remove Principal/NotPrincipal, or attach the statement to the resource as a resource-based policy.',
    references: [`${IAM_DOCS}reference_policies_elements_principal.html`],
  },
  'missing-principal': {
    title: 'Resource-based or trust policy statement without Principal',
    description: 'Statements of resource-based and trust policies must say whom they apply to.',
    rationale: 'The service rejects the policy.',
    fix: 'Add a Principal naming the accounts, roles or services that need access.',
    references: [`${IAM_DOCS}reference_policies_elements_principal.html`],
  },
  'invalid-principal': {
    title: 'Principal value is not valid',
    description: 'A principal is not an account id, ARN, service principal or "*", or uses a wildcard inside an ARN (which IAM does not support).',
    rationale: 'The policy is rejected or never matches the intended principal.',
    fix: 'Use "*" with an aws:PrincipalArn condition for patterns; otherwise full ARNs or account ids.',
    references: [`${IAM_DOCS}reference_policies_elements_principal.html`],
  },
  'allow-not-action': {
    title: 'Allow with NotAction',
    description: 'An Allow with NotAction grants every action not listed, in every service, including actions AWS adds later.',
    rationale: 'The grant grows over time without anyone editing the policy.',
    fix: 'List the actions to allow in Action; use NotAction only in Deny statements.',
    references: [`${CHECKS}#access-analyzer-reference-policy-checks-security-warning-allow-with-not-action`],
  },
  'allow-not-resource': {
    title: 'Allow with NotResource',
    description: 'An Allow with NotResource grants the actions on every resource not listed, in every account reachable.',
    rationale: 'New resources are granted by default.',
    fix: 'List the resources to allow in Resource.',
    references: [`${IAM_DOCS}reference_policies_elements_notresource.html`],
  },
  'allow-not-principal': {
    title: 'Allow with NotPrincipal',
    description: 'An Allow with NotPrincipal grants access to every principal not listed, including anonymous users.',
    rationale: 'It is public access written in a way that is easy to miss.',
    fix: 'Name the principals that need access in Principal.',
    references: [`${IAM_DOCS}reference_policies_elements_notprincipal.html`],
  },
  'full-admin': {
    title: 'Allows "*" on "*" (full administrator access)',
    description: 'An identity policy statement allows every action on every resource.',
    rationale: 'Whoever holds the policy controls the account.',
    fix: 'Grant only the actions and resources the workload needs; keep administrator access on a few break-glass roles with MFA.',
    references: ['https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1'],
  },
  'passrole-wildcard': {
    title: 'iam:PassRole on every role',
    description: 'The statement allows iam:PassRole on "*" or on every role of an account.',
    rationale: 'The holder can start compute (SageMaker jobs, Bedrock agents, Lambda, EC2) as the most privileged role in the account.',
    fix: 'Scope Resource to the execution roles and add Condition StringEquals iam:PassedToService.',
    references: [`${CHECKS}#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource`],
  },
  'privilege-escalation': {
    title: 'Known privilege-escalation path',
    description: 'The policy grants, on broad resources, a set of actions known to let the holder raise its own permissions (policy version or attachment changes, PassRole with a compute service, ...).',
    rationale: 'A principal that can grant itself more permissions effectively has them.',
    fix: 'Remove or scope the actions named in the finding; use a permissions boundary for roles that must manage IAM.',
    references: ['https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/'],
  },
  'redundant-statement': {
    title: 'Redundant statement',
    description: 'Another statement with the same effect, principal and condition already covers every action and resource of this one.',
    rationale: 'Redundant statements hide what a policy really grants and drift apart on edits.',
    fix: 'Delete the redundant statement.',
    references: [`${CHECKS}#access-analyzer-reference-policy-checks-suggestion-redundant-statement`],
  },
  'public-access': {
    title: 'Resource or trust policy grants public access',
    description: 'An Allow for Principal "*" (or NotPrincipal, or web identity federation without subject/audience conditions) is not restricted by a condition to known accounts, the organization, networks or identities.',
    rationale: 'Anyone on the internet (or any AWS account, or any holder of a token from the identity provider) gets the access.',
    fix: 'Name the principals, or add a condition such as aws:PrincipalOrgID, aws:SourceAccount or aws:SourceVpce.',
    references: [`${IAM_DOCS}access-analyzer-resources.html`],
  },
  'cross-account-access': {
    title: 'Resource or trust policy grants access to other accounts',
    description: 'The policy names accounts other than the owner as principals, or restricts "*" to other accounts. The owner is --account-id, else the one account the document itself shows (its Resource ARNs, kms:CallerAccount conditions, a key policy\'s kms:* grant to an account root); when neither says, the finding is unknown rather than failing, since a named account may be the owner itself.',
    rationale: 'Cross-account access must be intended and reviewed; the finding lists the accounts.',
    fix: 'Confirm each external account is intended, or remove it.',
    references: [`${IAM_DOCS}reference_policies_evaluation-logic-cross-account.html`],
  },
  'confused-deputy': {
    title: 'Service trust without aws:SourceAccount / aws:SourceArn',
    description: 'A trust statement lets an AWS service principal assume the role without pinning the account or resource it acts for.',
    rationale: 'Another AWS customer can make the service act with this role (cross-service confused deputy).',
    fix: 'Add Condition StringEquals aws:SourceAccount <account> (and ArnLike aws:SourceArn where supported).',
    references: [`${IAM_DOCS}confused-deputy.html`],
  },
};

export function checkRuleId(code: FindingCode): string {
  return `policy-${code}`;
}

export function checkRuleMeta(code: FindingCode): RuleMeta {
  const t = TEXT[code];
  return {
    id: checkRuleId(code),
    title: t.title,
    severity: severityOf(code),
    service: 'iam',
    resourceTypes: ['AWS::IAM::Policy'],
    description: t.description,
    rationale: t.rationale,
    remediation: {
      console: [t.fix, 'Validate the result with IAM Access Analyzer (Policy validation) or `aigis policy check` before deploying.'],
      cli: `${t.fix}\naigis policy check <policy.json> --fail-on high`,
      cloudformation: `# In the PolicyDocument / KeyPolicy / AssumeRolePolicyDocument of the template:\n# ${t.fix}`,
      terraform: `# In the aws_iam_policy_document (or jsonencode) of the policy:\n# ${t.fix}`,
    },
    references: t.references,
  };
}

export const CHECK_RULES: readonly RuleMeta[] = FINDING_CODES.map(checkRuleMeta);
