/**
 * Known IAM privilege-escalation paths: sets of actions that, granted together on broad
 * resources, let a principal raise its own permissions (create/attach policies, pass a more
 * privileged role to a compute service it can drive). Paths from public research (Rhino Security
 * Labs' IAM escalation methods) plus the AI services aigis covers (SageMaker, Bedrock agents).
 */
import { parseArn } from './arn.js';
import type { ActionCatalog } from './actions.js';
import { effectiveAccess, type EffectiveAccess, type EffectiveAccessOptions, type GrantedAction } from './analyze.js';
import type { NamedPolicy } from './evaluate.js';

export interface EscalationPath {
  id: string;
  actions: string[];
  description: string;
}

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  { id: 'create-policy-version', actions: ['iam:CreatePolicyVersion'], description: 'create a new default version of a customer managed policy (including one attached to itself)' },
  { id: 'set-default-policy-version', actions: ['iam:SetDefaultPolicyVersion'], description: 'switch a managed policy to a more permissive existing version' },
  { id: 'attach-user-policy', actions: ['iam:AttachUserPolicy'], description: 'attach any managed policy (e.g. AdministratorAccess) to a user' },
  { id: 'attach-group-policy', actions: ['iam:AttachGroupPolicy'], description: 'attach any managed policy to a group' },
  { id: 'attach-role-policy', actions: ['iam:AttachRolePolicy'], description: 'attach any managed policy to a role' },
  { id: 'put-user-policy', actions: ['iam:PutUserPolicy'], description: 'write an arbitrary inline policy on a user' },
  { id: 'put-group-policy', actions: ['iam:PutGroupPolicy'], description: 'write an arbitrary inline policy on a group' },
  { id: 'put-role-policy', actions: ['iam:PutRolePolicy'], description: 'write an arbitrary inline policy on a role' },
  { id: 'add-user-to-group', actions: ['iam:AddUserToGroup'], description: 'join a more privileged group' },
  { id: 'create-access-key', actions: ['iam:CreateAccessKey'], description: 'create access keys for other (more privileged) users' },
  { id: 'create-login-profile', actions: ['iam:CreateLoginProfile'], description: 'set a console password on another user' },
  { id: 'update-login-profile', actions: ['iam:UpdateLoginProfile'], description: "change another user's console password" },
  { id: 'update-assume-role-policy', actions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], description: 'rewrite a role trust policy and assume the role' },
  { id: 'passrole-ec2', actions: ['iam:PassRole', 'ec2:RunInstances'], description: 'launch an instance with a privileged instance profile' },
  { id: 'passrole-lambda-invoke', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], description: 'run code as a privileged role through a new Lambda function' },
  { id: 'passrole-lambda-event-source', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], description: 'run code as a privileged role through a Lambda triggered by an event source' },
  { id: 'lambda-update-code', actions: ['lambda:UpdateFunctionCode'], description: 'replace the code of an existing function that runs as a privileged role' },
  { id: 'passrole-cloudformation', actions: ['iam:PassRole', 'cloudformation:CreateStack'], description: 'create a stack that acts with a privileged service role' },
  { id: 'passrole-glue-dev-endpoint', actions: ['iam:PassRole', 'glue:CreateDevEndpoint'], description: 'create a Glue development endpoint running as a privileged role' },
  { id: 'glue-update-dev-endpoint', actions: ['glue:UpdateDevEndpoint'], description: 'add an SSH key to an existing Glue endpoint and use its role' },
  { id: 'passrole-codebuild', actions: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'], description: 'run a build as a privileged service role' },
  { id: 'passrole-sagemaker-notebook', actions: ['iam:PassRole', 'sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], description: 'open a notebook instance running as a privileged execution role' },
  { id: 'passrole-sagemaker-training', actions: ['iam:PassRole', 'sagemaker:CreateTrainingJob'], description: 'run a training container as a privileged execution role' },
  { id: 'passrole-sagemaker-processing', actions: ['iam:PassRole', 'sagemaker:CreateProcessingJob'], description: 'run a processing container as a privileged execution role' },
  { id: 'passrole-bedrock-agent', actions: ['iam:PassRole', 'bedrock:CreateAgent'], description: 'create a Bedrock agent whose service role acts with more privileges' },
];

/**
 * Every action some path needs: the engine is asked about these only, not about whole services.
 * Exported so that a question about one of them (iam:PassRole) can ask with the same list and
 * share the engine's remembered answer for the principal.
 */
export const ESCALATION_ACTIONS: readonly string[] = Object.freeze([...new Set(ESCALATION_PATHS.flatMap((p) => p.actions))].sort());

/**
 * A grant is broad when some granting resource pattern covers every resource of its type
 * (`*`, `arn:aws:iam::123456789012:role/*`, a NotResource grant): a path scoped to named
 * resources (one role, one policy ARN) is not reported, which keeps false positives down.
 */
export function isBroadGrant(grant: GrantedAction): boolean {
  return grant.resources.some(isBroadResource);
}

/** Per resource pattern: the same few patterns recur in every principal's grants. */
const broadResources = new Map<string, boolean>();

function isBroadResource(pattern: string): boolean {
  let broad = broadResources.get(pattern);
  if (broad === undefined) {
    const arn = pattern === '*' ? undefined : parseArn(pattern);
    broad = pattern === '*' || (arn !== undefined && (arn.resource === '*' || /^[^/*?]+\/\*$/.test(arn.resource)));
    if (broadResources.size > 100_000) broadResources.clear();
    broadResources.set(pattern, broad);
  }
  return broad;
}

export interface EscalationFinding {
  path: EscalationPath;
  grants: GrantedAction[];
  /** Some required action is granted only under a condition. */
  conditional: boolean;
}

export function escalationPaths(
  policies: readonly NamedPolicy[],
  catalog: ActionCatalog,
  options: Pick<EffectiveAccessOptions, 'boundary'> = {},
): EscalationFinding[] {
  const access = effectiveAccess(policies, { catalog, actions: ESCALATION_ACTIONS, ...(options.boundary ? { boundary: options.boundary } : {}) });
  if (access.actions.length === 0) return [];
  // The engine gives principals holding the same relevant documents one answer: its paths too.
  let out = pathsByAccess.get(access);
  if (!out) pathsByAccess.set(access, (out = pathsOf(access)));
  return out;
}

/** The paths found per engine answer; callers only read them. */
const pathsByAccess = new WeakMap<EffectiveAccess, EscalationFinding[]>();

function pathsOf(access: EffectiveAccess): EscalationFinding[] {
  const out: EscalationFinding[] = [];
  // Granted actions carry the catalog's spelling of the id; the paths' ids are matched in lowercase.
  // A principal holds a handful of these actions at most: a list beats building a map per principal.
  const ids = access.actions.map((a) => a.action.toLowerCase());
  for (const path of LOWERCASE_PATHS) {
    let grants: GrantedAction[] | undefined;
    for (const action of path.actions) {
      const at = ids.indexOf(action);
      const grant = at < 0 ? undefined : access.actions[at];
      if (!grant || !isBroadGrant(grant)) {
        grants = undefined;
        break;
      }
      (grants ??= []).push(grant);
    }
    if (grants) out.push({ path: path.path, grants, conditional: grants.some((g) => g.conditional) });
  }
  return out;
}

/** Each path with its action ids lowercased once, not once per principal. */
const LOWERCASE_PATHS = ESCALATION_PATHS.map((path) => ({ path, actions: path.actions.map((a) => a.toLowerCase()) }));
