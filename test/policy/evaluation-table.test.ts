/**
 * Request evaluation against a table of cases built from the examples and rules in AWS's IAM
 * documentation. Each case names the page it comes from. "unknown" means the engine must say
 * "depends on context" because the request leaves a condition key unspecified.
 */
import { describe, expect, it } from 'vitest';
import { normalizePolicy } from '../../src/policy/document.js';
import { evaluateRequest, type DecisionKind, type EvaluationRequest, type NamedPolicy, type PolicySet } from '../../src/policy/evaluate.js';

const IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';
const EVAL = `${IAM}reference_policies_evaluation-logic.html`;
const BASICS = `${IAM}reference_policies_evaluation-logic_policy-eval-basics.html`;
const DENYALLOW = `${IAM}reference_policies_evaluation-logic_policy-eval-denyallow.html`;
const XACCT = `${IAM}reference_policies_evaluation-logic-cross-account.html`;
const OPS = `${IAM}reference_policies_elements_condition_operators.html`;
const MULTI = `${IAM}reference_policies_condition-single-vs-multi-valued-context-keys.html`;
const MULTIEX = `${IAM}reference_policies_condition_examples-multi-valued-context-keys.html`;
const RES = `${IAM}reference_policies_elements_resource.html`;
const NOTRES = `${IAM}reference_policies_elements_notresource.html`;
const NOTACT = `${IAM}reference_policies_elements_notaction.html`;
const NOTPRIN = `${IAM}reference_policies_elements_notprincipal.html`;
const PRIN = `${IAM}reference_policies_elements_principal.html`;
const VARS = `${IAM}reference_policies_variables.html`;
const BOUND = `${IAM}access_policies_boundaries.html`;
const SCP = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html';
const RCP = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html';
const ACTION = `${IAM}reference_policies_elements_action.html`;
const COND = `${IAM}reference_policies_elements_condition.html`;
const KEYS = `${IAM}reference_policies_condition-keys.html`;

const ACCT = '111122223333';
const OTHER = '444455556666';
const ALICE = `arn:aws:iam::${ACCT}:user/alice`;
const CARLOS = `arn:aws:iam::${ACCT}:user/carlossalazar`;
const ROLE = `arn:aws:iam::${ACCT}:role/app`;
const SESSION = `arn:aws:sts::${ACCT}:assumed-role/app/worker`;
const OUTSIDER = `arn:aws:iam::${OTHER}:role/partner`;
const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
const OBJECT = `${BUCKET}/report.csv`;

type Raw = Record<string, unknown>;
const doc = (...statements: Raw[]): Raw => ({ Version: '2012-10-17', Statement: statements });
const allow = (Action: unknown, Resource: unknown = '*', extra: Raw = {}): Raw => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: unknown, Resource: unknown = '*', extra: Raw = {}): Raw => ({ Effect: 'Deny', Action, Resource, ...extra });

interface Case {
  name: string;
  source: string;
  identity?: Raw[];
  resource?: Raw[];
  boundary?: Raw[];
  session?: Raw[];
  scps?: Raw[][];
  rcps?: Raw[][];
  request: Partial<EvaluationRequest> & { action: string; resource: string };
  expected: DecisionKind;
}

const user = (id = ALICE) => ({ type: 'AWS' as const, id });

const CASES: Case[] = [
  // ---------------------------------------------------------------- basics: implicit deny, allow, explicit deny
  { name: 'no policies: implicit deny', source: DENYALLOW, request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'identity allow grants', source: BASICS, identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'allow of another action does not grant', source: DENYALLOW, identity: [doc(allow('s3:PutObject', `${BUCKET}/*`))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'allow on another resource does not grant', source: DENYALLOW, identity: [doc(allow('s3:GetObject', 'arn:aws:s3:::other-bucket/*'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'explicit deny overrides allow in the same policy', source: DENYALLOW, identity: [doc(allow('s3:*'), deny('s3:GetObject'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'explicit_deny' },
  { name: 'explicit deny in another policy overrides allow', source: DENYALLOW, identity: [doc(allow('*')), doc(deny('s3:*', `${BUCKET}/*`))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'explicit_deny' },
  { name: 'deny on another resource leaves allow', source: DENYALLOW, identity: [doc(allow('s3:*'), deny('s3:*', 'arn:aws:s3:::secret/*'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'deny only without allow is implicit deny for other actions', source: DENYALLOW, identity: [doc(deny('s3:DeleteObject'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'Carlos: identity allows PutObject on his log bucket', source: BASICS, identity: [doc(allow(['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject'], ['arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs', 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/*']))], request: { principal: user(CARLOS), action: 's3:PutObject', resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/a.log' }, expected: 'allow' },
  { name: 'Carlos: resource policy denies PutObject to him', source: BASICS, identity: [doc(allow(['s3:PutObject'], 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/*'))], resource: [doc(deny('s3:PutObject', 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/*', { Principal: { AWS: CARLOS } }))], request: { principal: user(CARLOS), action: 's3:PutObject', resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/a.log' }, expected: 'explicit_deny' },

  // ---------------------------------------------------------------- same account: identity OR resource
  { name: 'same account: resource policy naming the user grants without identity policy', source: EVAL, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ALICE } }))], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'same account: resource policy naming only the account delegates to identity policies', source: PRIN, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${ACCT}:root` } }))], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'implicit_deny' },
  { name: 'same account: account principal plus identity allow grants', source: PRIN, identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ACCT } }))], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'same account: identity allows, resource policy silent', source: EVAL, identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: OUTSIDER } }))], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'same account: resource policy deny beats identity allow', source: EVAL, identity: [doc(allow('s3:*'))], resource: [doc(deny('s3:GetObject', `${BUCKET}/*`, { Principal: '*' }))], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'explicit_deny' },
  { name: 'same account: Principal * in resource policy grants', source: PRIN, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: '*' }))], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'same account: resource policy naming the role session grants the session', source: EVAL, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: SESSION } }))], request: { principal: user(SESSION), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'same account: resource policy naming the role grants its sessions', source: PRIN, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } }))], request: { principal: user(SESSION), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'same account: role with a path matches its session', source: PRIN, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${ACCT}:role/team/app` } }))], request: { principal: user(SESSION), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'same account: resource policy naming another user does not grant', source: PRIN, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${ACCT}:user/bob` } }))], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'implicit_deny' },

  // ---------------------------------------------------------------- cross account: both sides
  { name: 'cross account: resource allow alone is not enough', source: XACCT, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: OUTSIDER } }))], request: { principal: user(OUTSIDER), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'implicit_deny' },
  { name: 'cross account: identity allow alone is not enough', source: XACCT, identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))], request: { principal: user(OUTSIDER), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'implicit_deny' },
  { name: 'cross account: both allow', source: XACCT, identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: OUTSIDER } }))], request: { principal: user(OUTSIDER), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'cross account: resource trusts the whole account, identity allows', source: XACCT, identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }))], request: { principal: user(OUTSIDER), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'cross account: deny in identity policy wins', source: XACCT, identity: [doc(allow('s3:*'), deny('s3:GetObject'))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: OUTSIDER } }))], request: { principal: user(OUTSIDER), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'explicit_deny' },
  { name: 'cross account: boundary without the action blocks', source: XACCT, identity: [doc(allow('s3:*'))], boundary: [doc(allow('ec2:*'))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: OUTSIDER } }))], request: { principal: user(OUTSIDER), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'implicit_deny' },
  { name: 'cross account: account id taken from the resource ARN', source: XACCT, identity: [doc(allow('kms:Decrypt'))], resource: [doc(allow('kms:Decrypt', '*', { Principal: { AWS: OTHER } }))], request: { principal: user(OUTSIDER), action: 'kms:Decrypt', resource: `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }, expected: 'allow' },
  { name: 'cross account: KMS key policy not naming the account', source: XACCT, identity: [doc(allow('kms:Decrypt'))], resource: [doc(allow('kms:*', '*', { Principal: { AWS: `arn:aws:iam::${ACCT}:root` } }))], request: { principal: user(OUTSIDER), action: 'kms:Decrypt', resource: `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }, expected: 'implicit_deny' },

  // ---------------------------------------------------------------- permissions boundaries
  { name: 'boundary allows and identity allows', source: BOUND, identity: [doc(allow('s3:GetObject'))], boundary: [doc(allow(['s3:*', 'cloudwatch:*', 'ec2:*']))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'boundary does not include the action', source: BOUND, identity: [doc(allow('iam:CreateUser'))], boundary: [doc(allow(['s3:*', 'cloudwatch:*', 'ec2:*']))], request: { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCT}:user/x` }, expected: 'implicit_deny' },
  { name: 'boundary alone grants nothing', source: BOUND, boundary: [doc(allow('*'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'boundary deny wins', source: BOUND, identity: [doc(allow('*'))], boundary: [doc(allow('*'), deny('s3:DeleteObject'))], request: { action: 's3:DeleteObject', resource: OBJECT }, expected: 'explicit_deny' },
  { name: 'same account: resource policy naming the user is not limited by the boundary', source: BOUND, boundary: [doc(allow('ec2:*'))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ALICE } }))], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'same account: resource policy naming the role is limited by the boundary', source: BOUND, boundary: [doc(allow('ec2:*'))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } }))], request: { principal: user(SESSION), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'implicit_deny' },
  { name: 'same account: resource policy naming the session is not limited by the boundary', source: BOUND, boundary: [doc(allow('ec2:*'))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: SESSION } }))], request: { principal: user(SESSION), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'session policy limits identity allow', source: EVAL, identity: [doc(allow('s3:*'))], session: [doc(allow('s3:ListBucket'))], request: { principal: user(SESSION), action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'session policy and identity both allow', source: EVAL, identity: [doc(allow('s3:*'))], session: [doc(allow('s3:GetObject'))], request: { principal: user(SESSION), action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },

  // ---------------------------------------------------------------- SCPs
  { name: 'SCP allows everything: identity decides', source: SCP, identity: [doc(allow('s3:GetObject'))], scps: [[doc(allow('*'))]], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'SCP without the action: implicit deny despite identity allow', source: SCP, identity: [doc(allow('*'))], scps: [[doc(allow('ec2:*'))]], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'SCP deny wins', source: SCP, identity: [doc(allow('*'))], scps: [[doc(allow('*'), deny('s3:DeleteBucket'))]], request: { action: 's3:DeleteBucket', resource: BUCKET }, expected: 'explicit_deny' },
  { name: 'SCP allows nothing by itself', source: SCP, scps: [[doc(allow('*'))]], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'SCP: every level of the path must allow (OU level missing)', source: SCP, identity: [doc(allow('*'))], scps: [[doc(allow('*'))], [doc(allow('ec2:*'))], [doc(allow('*'))]], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'SCP: every level allows', source: SCP, identity: [doc(allow('*'))], scps: [[doc(allow('*'))], [doc(allow('s3:*'))], [doc(allow('s3:Get*'))]], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'SCP: region deny with known region', source: SCP, identity: [doc(allow('*'))], scps: [[doc(allow('*'), deny('*', '*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } }))]], request: { action: 'ec2:RunInstances', resource: '*', context: { 'aws:RequestedRegion': 'us-east-1' } }, expected: 'explicit_deny' },
  { name: 'SCP: region deny with allowed region', source: SCP, identity: [doc(allow('*'))], scps: [[doc(allow('*'), deny('*', '*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } }))]], request: { action: 'ec2:RunInstances', resource: '*', context: { 'aws:RequestedRegion': 'eu-west-1' } }, expected: 'allow' },
  { name: 'SCP: region deny with region unknown depends on context', source: SCP, identity: [doc(allow('*'))], scps: [[doc(allow('*'), deny('*', '*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } }))]], request: { action: 'ec2:RunInstances', resource: '*' }, expected: 'unknown' },

  // ---------------------------------------------------------------- RCPs
  { name: 'RCP allowing everything: policies decide', source: RCP, identity: [doc(allow('s3:GetObject'))], rcps: [[doc(allow('*'))]], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'RCP deny of access from outside the organization', source: RCP, identity: [doc(allow('s3:GetObject'))], resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: OUTSIDER } }))], rcps: [[doc(allow('*'), deny('s3:*', '*', { Principal: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } } }))]], request: { principal: user(OUTSIDER), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT, context: { 'aws:PrincipalOrgID': 'o-other' } }, expected: 'explicit_deny' },
  { name: 'RCP deny does not touch principals inside the organization', source: RCP, identity: [doc(allow('s3:GetObject'))], rcps: [[doc(allow('*'), deny('s3:*', '*', { Principal: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } } }))]], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalOrgID': 'o-1' } }, expected: 'allow' },
  { name: 'RCP without the action: implicit deny', source: RCP, identity: [doc(allow('*'))], rcps: [[doc(allow('kms:*'))]], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },

  // ---------------------------------------------------------------- actions and wildcards
  { name: 'action names are case-insensitive', source: ACTION, identity: [doc(allow('S3:getobject'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 's3:Get* matches GetObject', source: ACTION, identity: [doc(allow('s3:Get*'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 's3:Get* does not match PutObject', source: ACTION, identity: [doc(allow('s3:Get*'))], request: { action: 's3:PutObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'iam:*AccessKey* matches CreateAccessKey', source: ACTION, identity: [doc(allow('iam:*AccessKey*'))], request: { action: 'iam:CreateAccessKey', resource: ALICE }, expected: 'allow' },
  { name: '? matches one character', source: ACTION, identity: [doc(allow('s3:GetObjec?'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: '? does not match two characters', source: ACTION, identity: [doc(allow('s3:GetObj?'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: '* allows every action', source: ACTION, identity: [doc(allow('*'))], request: { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' }, expected: 'allow' },
  { name: 'service wildcard does not cross services', source: ACTION, identity: [doc(allow('s3:*'))], request: { action: 's3control:GetPublicAccessBlock', resource: '*' }, expected: 'implicit_deny' },
  { name: 'action list: second entry matches', source: ACTION, identity: [doc(allow(['sqs:SendMessage', 's3:GetObject']))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },

  // ---------------------------------------------------------------- NotAction / NotResource
  { name: 'Allow NotAction grants actions not listed', source: NOTACT, identity: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'Allow NotAction does not grant listed actions', source: NOTACT, identity: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], request: { action: 'iam:CreateUser', resource: ALICE }, expected: 'implicit_deny' },
  { name: 'Deny NotAction denies everything else (MFA example: without MFA)', source: NOTACT, identity: [doc(allow('*'), { Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:MultiFactorAuthPresent': 'false' } }, expected: 'explicit_deny' },
  { name: 'Deny NotAction: MFA present lets the allow through', source: NOTACT, identity: [doc(allow('*'), { Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:MultiFactorAuthPresent': 'true' } }, expected: 'allow' },
  { name: 'Deny NotAction: key absent, IfExists makes the deny apply', source: NOTACT, identity: [doc(allow('*'), { Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:MultiFactorAuthPresent': null } }, expected: 'explicit_deny' },
  { name: 'Deny NotAction does not touch listed actions', source: NOTACT, identity: [doc(allow('*'), { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' })], request: { action: 'iam:ListUsers', resource: '*' }, expected: 'allow' },
  { name: 'Allow NotResource grants on other resources', source: NOTRES, identity: [doc({ Effect: 'Allow', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] })], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'Allow NotResource does not grant the listed resource', source: NOTRES, identity: [doc({ Effect: 'Allow', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] })], request: { action: 's3:GetObject', resource: 'arn:aws:s3:::HRBucket/Payroll/june.csv' }, expected: 'implicit_deny' },
  { name: 'Deny NotResource denies everything but the bucket', source: NOTRES, identity: [doc(allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] })], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'explicit_deny' },
  { name: 'Deny NotResource allows the listed resource', source: NOTRES, identity: [doc(allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] })], request: { action: 's3:GetObject', resource: 'arn:aws:s3:::HRBucket/Payroll/june.csv' }, expected: 'allow' },

  // ---------------------------------------------------------------- resource ARN wildcards
  { name: 'resource * matches everything', source: RES, identity: [doc(allow('sqs:SendMessage', '*'))], request: { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-2:${ACCT}:queue1` }, expected: 'allow' },
  { name: 'exact ARN', source: RES, identity: [doc(allow('sqs:SendMessage', `arn:aws:sqs:us-east-2:${ACCT}:queue1`))], request: { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-2:${ACCT}:queue1` }, expected: 'allow' },
  { name: 'resource ARNs are case-sensitive', source: RES, identity: [doc(allow('iam:GetUser', `arn:aws:iam::${ACCT}:user/Bob`))], request: { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCT}:user/bob` }, expected: 'implicit_deny' },
  { name: 'path wildcard: users under /accounting/', source: RES, identity: [doc(allow('iam:GetUser', `arn:aws:iam::${ACCT}:user/accounting/*`))], request: { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCT}:user/accounting/alice` }, expected: 'allow' },
  { name: 'path wildcard does not match other paths', source: RES, identity: [doc(allow('iam:GetUser', `arn:aws:iam::${ACCT}:user/accounting/*`))], request: { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCT}:user/sales/alice` }, expected: 'implicit_deny' },
  { name: 'bucket/* matches objects at any depth', source: RES, identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))], request: { action: 's3:GetObject', resource: `${BUCKET}/a/b/c.txt` }, expected: 'allow' },
  { name: 'bucket/* does not match the bucket itself', source: RES, identity: [doc(allow('s3:ListBucket', `${BUCKET}/*`))], request: { action: 's3:ListBucket', resource: BUCKET }, expected: 'implicit_deny' },
  { name: 'region wildcard segment', source: RES, identity: [doc(allow('sqs:SendMessage', `arn:aws:sqs:*:${ACCT}:queue1`))], request: { action: 'sqs:SendMessage', resource: `arn:aws:sqs:eu-west-1:${ACCT}:queue1` }, expected: 'allow' },
  { name: 'wildcard in a middle segment does not absorb the account', source: RES, identity: [doc(allow('sqs:SendMessage', `arn:aws:sqs:us-*-1:${ACCT}:queue1`))], request: { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCT}:queue1` }, expected: 'allow' },
  { name: 'segment-internal ? does not match a colon', source: RES, identity: [doc(allow('sqs:SendMessage', `arn:aws:sqs:us-east-?${ACCT}:queue1`))], request: { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-:${ACCT}:queue1` }, expected: 'implicit_deny' },
  { name: 'trailing * of a segment expands across colons', source: RES, identity: [doc(allow('iam:GetUser', 'arn:aws:iam::*'))], request: { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCT}:user/alice` }, expected: 'allow' },
  { name: 'account segment must match', source: RES, identity: [doc(allow('sqs:SendMessage', `arn:aws:sqs:us-east-2:${OTHER}:queue1`))], request: { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-2:${ACCT}:queue1` }, expected: 'implicit_deny' },
  { name: 'resource segment may contain colons (Bedrock model id)', source: RES, identity: [doc(allow('bedrock:InvokeModel', 'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-*'))], request: { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' }, expected: 'allow' },
  { name: 'model allowlist excludes other families', source: RES, identity: [doc(allow('bedrock:InvokeModel', 'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-*'))], request: { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-70b-instruct-v1:0' }, expected: 'implicit_deny' },

  // ---------------------------------------------------------------- condition operators
  { name: 'StringEquals match', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, expected: 'allow' },
  { name: 'StringEquals is case-sensitive', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/job-category': 'IAMUSER-ADMIN' } }, expected: 'implicit_deny' },
  { name: 'StringEqualsIgnoreCase ignores case', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEqualsIgnoreCase: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/job-category': 'IAMUser-Admin' } }, expected: 'allow' },
  { name: 'condition key names are case-insensitive', source: COND, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'AWS:PRINCIPALTAG/job-category': 'admin' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/job-category': 'admin' } }, expected: 'allow' },
  { name: 'StringEquals with missing key is false', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': null } }, expected: 'implicit_deny' },
  { name: 'StringNotEquals with missing key is true', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'a' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': null } }, expected: 'allow' },
  { name: 'StringNotEquals: value matches one of the list: false', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringNotEquals: { 'aws:PrincipalTag/team': ['a', 'b'] } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': 'b' } }, expected: 'implicit_deny' },
  { name: 'multiple values of a key are ORed', source: COND, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': 'b' } }, expected: 'allow' },
  { name: 'multiple keys are ANDed', source: COND, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a', 'aws:PrincipalTag/env': 'prod' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': 'a', 'aws:PrincipalTag/env': 'dev' } }, expected: 'implicit_deny' },
  { name: 'multiple operators are ANDed', source: COND, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' }, Bool: { 'aws:SecureTransport': 'true' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': 'a', 'aws:SecureTransport': 'true' } }, expected: 'allow' },
  { name: 'StringLike wildcard', source: OPS, identity: [doc(allow('s3:ListBucket', BUCKET, { Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } } }))], request: { action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': 'home/alice/docs' } }, expected: 'allow' },
  { name: 'StringLike with another user prefix', source: OPS, identity: [doc(allow('s3:ListBucket', BUCKET, { Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } } }))], request: { action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': 'home/bob/docs' } }, expected: 'implicit_deny' },
  { name: 'StringNotLike', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringNotLike: { 'aws:userid': 'AIDA*' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:userid': 'AROAEXAMPLE:session' } }, expected: 'allow' },
  { name: 'NumericLessThanEquals within limit', source: OPS, identity: [doc(allow('s3:ListBucket', BUCKET, { Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } }))], request: { action: 's3:ListBucket', resource: BUCKET, context: { 's3:max-keys': '10' } }, expected: 'allow' },
  { name: 'NumericLessThanEquals over limit', source: OPS, identity: [doc(allow('s3:ListBucket', BUCKET, { Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } }))], request: { action: 's3:ListBucket', resource: BUCKET, context: { 's3:max-keys': '11' } }, expected: 'implicit_deny' },
  { name: 'NumericGreaterThan', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '0' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:MultiFactorAuthAge': '30' } }, expected: 'allow' },
  { name: 'NumericNotEquals', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { NumericNotEquals: { 's3:max-keys': '5' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 's3:max-keys': '5' } }, expected: 'implicit_deny' },
  { name: 'DateLessThan before cutoff (ISO 8601)', source: OPS, identity: [doc(allow('iam:*AccessKey*', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2020-06-30T00:00:00Z' } } }))], request: { action: 'iam:CreateAccessKey', resource: ALICE, context: { 'aws:CurrentTime': '2020-06-01T12:00:00Z' } }, expected: 'allow' },
  { name: 'DateLessThan after cutoff', source: OPS, identity: [doc(allow('iam:*AccessKey*', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2020-06-30T00:00:00Z' } } }))], request: { action: 'iam:CreateAccessKey', resource: ALICE, context: { 'aws:CurrentTime': '2021-01-01T00:00:00Z' } }, expected: 'implicit_deny' },
  { name: 'DateGreaterThan with epoch seconds', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { DateGreaterThan: { 'aws:EpochTime': '1577836800' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:EpochTime': '1600000000' } }, expected: 'allow' },
  { name: 'Bool SecureTransport true', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:SecureTransport': 'true' } }, expected: 'allow' },
  { name: 'Bool accepts JSON booleans', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': true } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:SecureTransport': 'true' } }, expected: 'allow' },
  { name: 'Bool false does not match true', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:SecureTransport': 'true' } }, expected: 'implicit_deny' },
  { name: 'BinaryEquals', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { BinaryEquals: { 'key-name': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'key-name': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, expected: 'allow' },
  { name: 'IpAddress in range', source: OPS, identity: [doc(allow('*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:SourceIp': '203.0.113.7' } }, expected: 'allow' },
  { name: 'IpAddress out of range', source: OPS, identity: [doc(allow('*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:SourceIp': '198.51.100.7' } }, expected: 'implicit_deny' },
  { name: 'IpAddress IPv6 range', source: OPS, identity: [doc(allow('*', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:SourceIp': '2001:db8:1234:5678::1' } }, expected: 'allow' },
  { name: 'NotIpAddress deny outside range', source: OPS, identity: [doc(allow('*'), deny('*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:SourceIp': '198.51.100.1' } }, expected: 'explicit_deny' },
  { name: 'NotIpAddress deny inside range lets allow through', source: OPS, identity: [doc(allow('*'), deny('*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:SourceIp': '192.0.2.10' } }, expected: 'allow' },
  { name: 'ArnLike on aws:SourceArn', source: OPS, resource: [doc(allow('sns:Publish', '*', { Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCT}:*` } } }))], request: { principal: { type: 'Service', id: 'sns.amazonaws.com' }, action: 'sns:Publish', resource: `arn:aws:sqs:us-east-1:${ACCT}:q`, context: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCT}:topic` } }, expected: 'allow' },
  { name: 'ArnLike from another account', source: OPS, resource: [doc(allow('sns:Publish', '*', { Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCT}:*` } } }))], request: { principal: { type: 'Service', id: 'sns.amazonaws.com' }, action: 'sns:Publish', resource: `arn:aws:sqs:us-east-1:${ACCT}:q`, context: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${OTHER}:topic` } }, expected: 'implicit_deny' },
  { name: 'ArnEquals exact', source: OPS, identity: [doc(allow('iam:PassRole', '*', { Condition: { ArnEquals: { 'aws:PrincipalArn': ALICE } } }))], request: { action: 'iam:PassRole', resource: ROLE }, expected: 'allow' },
  { name: 'ArnNotLike deny from outside', source: OPS, identity: [doc(allow('*'), deny('*', '*', { Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/admin-*` } } }))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'explicit_deny' },
  { name: 'Null true: key absent', source: OPS, identity: [doc(allow('ec2:RunInstances', '*', { Condition: { Null: { 'aws:TokenIssueTime': 'true' } } }))], request: { action: 'ec2:RunInstances', resource: '*', context: { 'aws:TokenIssueTime': null } }, expected: 'allow' },
  { name: 'Null true: key present', source: OPS, identity: [doc(allow('ec2:RunInstances', '*', { Condition: { Null: { 'aws:TokenIssueTime': 'true' } } }))], request: { action: 'ec2:RunInstances', resource: '*', context: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' } }, expected: 'implicit_deny' },
  { name: 'Null false: key present', source: OPS, identity: [doc(allow('ec2:RunInstances', '*', { Condition: { Null: { 'aws:TokenIssueTime': 'false' } } }))], request: { action: 'ec2:RunInstances', resource: '*', context: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' } }, expected: 'allow' },
  { name: 'StringLikeIfExists: key absent is true', source: OPS, identity: [doc(allow('ec2:RunInstances', '*', { Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*'] } } }))], request: { action: 'ec2:RunInstances', resource: '*', context: { 'ec2:InstanceType': null } }, expected: 'allow' },
  { name: 'StringLikeIfExists: key present and matching', source: OPS, identity: [doc(allow('ec2:RunInstances', '*', { Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*'] } } }))], request: { action: 'ec2:RunInstances', resource: '*', context: { 'ec2:InstanceType': 't2.micro' } }, expected: 'allow' },
  { name: 'StringLikeIfExists: key present and not matching', source: OPS, identity: [doc(allow('ec2:RunInstances', '*', { Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*'] } } }))], request: { action: 'ec2:RunInstances', resource: '*', context: { 'ec2:InstanceType': 'm5.large' } }, expected: 'implicit_deny' },
  { name: 'unknown operator never decides allow', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringFoo: { 'aws:PrincipalTag/team': 'a' } } }))], request: { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': 'a' } }, expected: 'unknown' },

  // ---------------------------------------------------------------- multivalued keys and set operators
  { name: 'ForAllValues: every request tag key allowed', source: MULTI, identity: [doc(allow('ec2:CreateTags', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } } }))], request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': ['environment'] } }, expected: 'allow' },
  { name: 'ForAllValues: one request tag key not allowed', source: MULTI, identity: [doc(allow('ec2:CreateTags', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } } }))], request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': ['environment', 'owner'] } }, expected: 'implicit_deny' },
  { name: 'ForAllValues: true when the key is absent', source: MULTIEX, identity: [doc(allow('ec2:CreateTags', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment'] } } }))], request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': null } }, expected: 'allow' },
  { name: 'ForAllValues with Null false guard: absent key denied', source: MULTIEX, identity: [doc(allow('ec2:CreateTags', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment'] }, Null: { 'aws:TagKeys': 'false' } } }))], request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': null } }, expected: 'implicit_deny' },
  { name: 'ForAnyValue: one value matches', source: MULTI, identity: [doc(allow('ec2:CreateTags', '*', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } } }))], request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': ['owner', 'environment'] } }, expected: 'allow' },
  { name: 'ForAnyValue: none matches', source: MULTI, identity: [doc(allow('ec2:CreateTags', '*', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } } }))], request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': ['owner'] } }, expected: 'implicit_deny' },
  { name: 'ForAnyValue: false when the key is absent', source: MULTI, identity: [doc(allow('ec2:CreateTags', '*', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } } }))], request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': null } }, expected: 'implicit_deny' },
  { name: 'Deny ForAnyValue:StringLike on tag key prefixes', source: MULTIEX, identity: [doc(allow('iam:Tag*'), deny('iam:Tag*', '*', { Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['key1*'] } } }))], request: { action: 'iam:TagUser', resource: ALICE, context: { 'aws:TagKeys': ['key1-team', 'other'] } }, expected: 'explicit_deny' },
  { name: 'ForAllValues:StringNotEquals: no forbidden value present', source: MULTIEX, identity: [doc(allow('ec2:CreateTags', '*', { Condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } } }))], request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': ['a', 'b'] } }, expected: 'allow' },

  // ---------------------------------------------------------------- policy variables
  { name: '${aws:username} in Resource: own folder', source: VARS, identity: [doc(allow('s3:*', `${BUCKET}/home/\${aws:username}/*`))], request: { action: 's3:GetObject', resource: `${BUCKET}/home/alice/notes.txt` }, expected: 'allow' },
  { name: '${aws:username} in Resource: other folder', source: VARS, identity: [doc(allow('s3:*', `${BUCKET}/home/\${aws:username}/*`))], request: { action: 's3:GetObject', resource: `${BUCKET}/home/bob/notes.txt` }, expected: 'implicit_deny' },
  { name: 'variables are literal in Version 2008-10-17', source: VARS, identity: [{ Version: '2008-10-17', Statement: [allow('s3:*', `${BUCKET}/home/\${aws:username}/*`)] }], request: { action: 's3:GetObject', resource: `${BUCKET}/home/alice/notes.txt` }, expected: 'implicit_deny' },
  { name: 'variables are literal without Version', source: VARS, identity: [{ Statement: [allow('s3:*', `${BUCKET}/home/\${aws:username}/*`)] }], request: { action: 's3:GetObject', resource: `${BUCKET}/home/\${aws:username}/x` }, expected: 'allow' },
  { name: 'variable of an unknown key: depends on context', source: VARS, identity: [doc(allow('s3:*', `${BUCKET}/\${aws:PrincipalTag/team}/*`))], request: { action: 's3:GetObject', resource: `${BUCKET}/red/x` }, expected: 'unknown' },
  { name: 'variable of a tag present in context', source: VARS, identity: [doc(allow('s3:*', `${BUCKET}/\${aws:PrincipalTag/team}/*`))], request: { action: 's3:GetObject', resource: `${BUCKET}/red/x`, context: { 'aws:PrincipalTag/team': 'red' } }, expected: 'allow' },
  { name: 'variable of an absent key matches nothing', source: VARS, identity: [doc(allow('s3:*', `${BUCKET}/\${aws:PrincipalTag/team}/*`))], request: { action: 's3:GetObject', resource: `${BUCKET}/red/x`, context: { 'aws:PrincipalTag/team': null } }, expected: 'implicit_deny' },
  { name: 'variable default value used when the key is absent', source: VARS, identity: [doc(allow('s3:*', `${BUCKET}/\${aws:PrincipalTag/team, 'company-wide'}/*`))], request: { action: 's3:GetObject', resource: `${BUCKET}/company-wide/x`, context: { 'aws:PrincipalTag/team': null } }, expected: 'allow' },
  { name: '${*} is a literal asterisk, not a wildcard', source: VARS, identity: [doc(allow('s3:GetObject', `${BUCKET}/\${*}`))], request: { action: 's3:GetObject', resource: `${BUCKET}/anything` }, expected: 'implicit_deny' },
  { name: '${*} matches an object literally named *', source: VARS, identity: [doc(allow('s3:GetObject', `${BUCKET}/\${*}`))], request: { action: 's3:GetObject', resource: `${BUCKET}/*` }, expected: 'allow' },
  { name: '${?} is a literal question mark', source: VARS, identity: [doc(allow('s3:GetObject', `${BUCKET}/what\${?}`))], request: { action: 's3:GetObject', resource: `${BUCKET}/whatX` }, expected: 'implicit_deny' },
  { name: '${$} is a literal dollar', source: VARS, identity: [doc(allow('s3:GetObject', `${BUCKET}/price\${$}`))], request: { action: 's3:GetObject', resource: `${BUCKET}/price$` }, expected: 'allow' },
  { name: 'variable in a condition value', source: VARS, identity: [doc(allow('iam:*AccessKey*', '*', { Condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } }))], request: { action: 'iam:CreateAccessKey', resource: ALICE, context: { 'aws:ResourceTag/owner': 'alice' } }, expected: 'allow' },
  { name: 'substituted value is literal even with wildcards in it', source: VARS, identity: [doc(allow('s3:GetObject', `${BUCKET}/\${aws:PrincipalTag/dir}/x`))], request: { action: 's3:GetObject', resource: `${BUCKET}/abc/x`, context: { 'aws:PrincipalTag/dir': 'a*' } }, expected: 'implicit_deny' },

  // ---------------------------------------------------------------- principals, NotPrincipal, services
  { name: 'service principal in resource policy', source: PRIN, resource: [doc(allow('s3:PutObject', `${BUCKET}/AWSLogs/*`, { Principal: { Service: 'cloudtrail.amazonaws.com' } }))], request: { principal: { type: 'Service', id: 'cloudtrail.amazonaws.com' }, action: 's3:PutObject', resource: `${BUCKET}/AWSLogs/${ACCT}/x.json.gz` }, expected: 'allow' },
  { name: 'other service principal', source: PRIN, resource: [doc(allow('s3:PutObject', `${BUCKET}/AWSLogs/*`, { Principal: { Service: 'cloudtrail.amazonaws.com' } }))], request: { principal: { type: 'Service', id: 'config.amazonaws.com' }, action: 's3:PutObject', resource: `${BUCKET}/AWSLogs/${ACCT}/x.json.gz` }, expected: 'implicit_deny' },
  { name: 'anonymous request allowed by Principal *', source: PRIN, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: '*' }))], request: { principal: { type: 'Anonymous' }, action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'anonymous request allowed by AWS *', source: PRIN, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: '*' } }))], request: { principal: { type: 'Anonymous' }, action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'anonymous request not allowed by a named account', source: PRIN, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ACCT } }))], request: { principal: { type: 'Anonymous' }, action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'Deny NotPrincipal denies everyone else', source: NOTPRIN, identity: [doc(allow('s3:*'))], resource: [doc(allow('s3:*', `${BUCKET}/*`, { Principal: '*' }), { Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:user/bob`, `arn:aws:iam::${ACCT}:root`] }, Action: 's3:*', Resource: `${BUCKET}/*` })], request: { action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'explicit_deny' },
  { name: 'Deny NotPrincipal spares the listed user', source: NOTPRIN, identity: [doc(allow('s3:*'))], resource: [doc({ Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:user/bob`, `arn:aws:iam::${ACCT}:root`] }, Action: 's3:*', Resource: `${BUCKET}/*` })], request: { principal: user(`arn:aws:iam::${ACCT}:user/bob`), action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCT }, expected: 'allow' },
  { name: 'trust policy: account may assume', source: PRIN, identity: [doc(allow('sts:AssumeRole', ROLE))], resource: [doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'sts:AssumeRole' })], request: { principal: user(OUTSIDER), action: 'sts:AssumeRole', resource: ROLE }, expected: 'allow' },
  { name: 'trust policy: ExternalId required and missing', source: PRIN, identity: [doc(allow('sts:AssumeRole', ROLE))], resource: [doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } } })], request: { principal: user(OUTSIDER), action: 'sts:AssumeRole', resource: ROLE, context: { 'sts:ExternalId': null } }, expected: 'implicit_deny' },
  { name: 'trust policy: ExternalId not given: depends on context', source: PRIN, identity: [doc(allow('sts:AssumeRole', ROLE))], resource: [doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } } })], request: { principal: user(OUTSIDER), action: 'sts:AssumeRole', resource: ROLE }, expected: 'unknown' },

  // ---------------------------------------------------------------- unknown context propagation
  { name: 'allow conditioned on an unknown key: depends on context', source: KEYS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } } }))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'unknown' },
  { name: 'unknown allow plus certain allow: allow', source: KEYS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } } }), allow('s3:GetObject', OBJECT))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'unknown deny over a certain allow: depends on context', source: KEYS, identity: [doc(allow('s3:*'), deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'unknown' },
  { name: 'unknown deny but no allow: still implicit deny', source: KEYS, identity: [doc(deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'implicit_deny' },
  { name: 'certain deny beats unknown allow', source: DENYALLOW, identity: [doc(allow('s3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }), deny('s3:GetObject'))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'explicit_deny' },
  { name: 'complete context: missing key is absent, not unknown', source: OPS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } } }))], request: { action: 's3:GetObject', resource: OBJECT, contextComplete: true }, expected: 'implicit_deny' },
  { name: 'principal keys are derived from the principal', source: KEYS, identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCT } } }))], request: { action: 's3:GetObject', resource: OBJECT }, expected: 'allow' },
  { name: 'aws:username is derived for IAM users', source: KEYS, identity: [doc(allow('iam:GetUser', `arn:aws:iam::${ACCT}:user/\${aws:username}`))], request: { action: 'iam:GetUser', resource: ALICE }, expected: 'allow' },
  { name: 'TLS deny: insecure request denied', source: COND, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: '*' }), deny('s3:*', [BUCKET, `${BUCKET}/*`], { Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))], request: { principal: { type: 'Anonymous' }, action: 's3:GetObject', resource: OBJECT, context: { 'aws:SecureTransport': 'false' } }, expected: 'explicit_deny' },
  { name: 'TLS deny: secure request allowed', source: COND, resource: [doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: '*' }), deny('s3:*', [BUCKET, `${BUCKET}/*`], { Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))], request: { principal: { type: 'Anonymous' }, action: 's3:GetObject', resource: OBJECT, context: { 'aws:SecureTransport': 'true' } }, expected: 'allow' },
];

function named(docs: Raw[] | undefined, prefix: string): NamedPolicy[] | undefined {
  if (!docs) return undefined;
  return docs.map((d, i) => {
    const result = normalizePolicy(d);
    if (!result.ok) throw new Error(`${prefix}[${i}] invalid: ${JSON.stringify(result.errors)}`);
    return { id: `${prefix}-${i}`, policy: result.policy };
  });
}

export function policySetOf(c: Pick<Case, 'identity' | 'resource' | 'boundary' | 'session' | 'scps' | 'rcps'>): PolicySet {
  const set: PolicySet = {};
  const identity = named(c.identity, 'identity');
  const resource = named(c.resource, 'resource');
  const boundary = named(c.boundary, 'boundary');
  const session = named(c.session, 'session');
  if (identity) set.identity = identity;
  if (resource) set.resource = resource;
  if (boundary) set.boundary = boundary;
  if (session) set.session = session;
  if (c.scps) set.scps = c.scps.map((level, i) => named(level, `scp${i}`)!);
  if (c.rcps) set.rcps = c.rcps.map((level, i) => named(level, `rcp${i}`)!);
  return set;
}

describe('policy evaluation table (AWS documentation examples)', () => {
  it('has at least 100 cases, each with a source page', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    for (const c of CASES) expect(c.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const decision = evaluateRequest(policySetOf(c), { principal: user(), ...c.request });
    expect(decision.decision, `${c.source}: ${decision.reason}`).toBe(c.expected);
    if (c.expected === 'allow' || c.expected === 'explicit_deny' || c.expected === 'unknown') expect(decision.statements.length).toBeGreaterThan(0);
  });
});
