import { defineRule } from '../src/engine/types.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import { describePolicy, describeStatement, managedAttachment, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import type { IamRole } from '../src/inventory/schema.js';
import { statementNamesAction } from '../src/policy/actions.js';
import type { NormalizedPolicy } from '../src/policy/document.js';
import { patternCovers } from '../src/policy/arn.js';

/** AWS managed policies that grant a whole AI service: too broad for one workload's role. */
const FULL_ACCESS = /^arn:[^:]+:iam::aws:policy\/(AmazonSageMakerFullAccess|AmazonBedrockFullAccess)$/;
const POLICY_OPERATIONS = ['GetAccountAuthorizationDetails', 'GetRole', 'ListAttachedRolePolicies', 'ListRoles', 'GetRolePolicy', 'GetPolicyVersion'];
/** Object actions that read or change training data and artifacts. */
const S3_DATA_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];

type WorkloadKind = 'training job' | 'processing job' | 'model' | 'notebook instance' | 'agent' | 'knowledge base' | 'flow';

interface RoleUser {
  kind: WorkloadKind;
  name: string;
  arn: string;
}

export default defineRule({
  meta: {
    id: 'iam-ai-execution-role-scoped',
    title: 'AI execution roles are dedicated to one kind of workload, hold no AI full-access policy and name the buckets they use',
    severity: 'medium',
    service: 'iam',
    aiControl: true,
    resourceTypes: ['AWS::IAM::Role'],
    description:
      'The execution roles of SageMaker training jobs, processing jobs, models and notebook instances, and the service roles of Bedrock agents, knowledge bases and flows, must not have the AWS managed policies AmazonSageMakerFullAccess or AmazonBedrockFullAccess attached, and must not be shared between workloads of different kinds (for example a training job and a notebook instance, a model and an agent, or a knowledge base and an agent); workloads of the same kind may share a role. Nor may any of the role\'s policies (inline, customer or AWS managed) allow reading, writing or deleting objects in every bucket: an unconditional Allow of s3:GetObject, s3:PutObject or s3:DeleteObject (by name or wildcard) on a resource that covers arn:aws:s3:::*/* (such as "*"), or with NotResource. Statements that name buckets, or bucket name patterns such as ml-data-*, pass. A role a workload names but that is not in the IAM inventory is unknown, and so is a role that would pass while a workload of another kind has no role recorded or the SageMaker or Bedrock inventory is missing.',
    rationale:
      'An execution role is what the workload\'s code, and anyone who controls its input, can do. AmazonSageMakerFullAccess and AmazonBedrockFullAccess let a training script or an agent create endpoints, read every model, change guardrails and pass roles; one role shared by notebooks, training jobs and agents gives a data scientist\'s notebook the agent\'s permissions and the other way around, and CloudTrail can no longer tell the workloads apart. Separate, scoped roles per job type are the least-privilege and separation-of-duties evidence for NIST AC-6, SOC 2 CC6.3 and HIPAA access authorization.',
    remediation: {
      console: [
        'Open the IAM console and the role named in the finding.',
        'Detach AmazonSageMakerFullAccess / AmazonBedrockFullAccess and attach a policy with the actions and buckets this workload needs (IAM Access Analyzer can generate one from CloudTrail activity; SageMaker Role Manager has personas for training, inference and data science).',
        'If the role is shared, create one role per kind of workload (training, processing, inference, notebooks, agents) and start new jobs, models, notebooks and agent versions with their own role.',
      ],
      cli: [
        'aws iam detach-role-policy --role-name <ROLE> --policy-arn arn:aws:iam::aws:policy/AmazonSageMakerFullAccess',
        'aws iam create-role --role-name sagemaker-training --assume-role-policy-document file://sagemaker-trust.json',
        'aws iam put-role-policy --role-name sagemaker-training --policy-name training --policy-document file://training.json',
        'aws sagemaker update-notebook-instance --notebook-instance-name <NOTEBOOK> --role-arn arn:aws:iam::<ACCOUNT_ID>:role/sagemaker-notebooks',
      ].join('\n'),
      cloudformation: [
        'TrainingRole:',
        '  Type: AWS::IAM::Role',
        '  Properties:',
        '    AssumeRolePolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - { Effect: Allow, Principal: { Service: sagemaker.amazonaws.com }, Action: sts:AssumeRole }',
        '    ManagedPolicyArns: []   # no AmazonSageMakerFullAccess',
        '    Policies:',
        '      - PolicyName: training',
        '        PolicyDocument:',
        "          Version: '2012-10-17'",
        '          Statement:',
        '            - Effect: Allow',
        '              Action: [s3:GetObject, s3:ListBucket]',
        "              Resource: ['arn:aws:s3:::training-data', 'arn:aws:s3:::training-data/*']",
        '# and a separate NotebookRole / InferenceRole / AgentRole for the other workloads',
      ].join('\n'),
      terraform: [
        '# remove: aws_iam_role_policy_attachment with policy_arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"',
        'resource "aws_iam_role" "training" {',
        '  name               = "sagemaker-training"',
        '  assume_role_policy = data.aws_iam_policy_document.sagemaker_trust.json',
        '}',
        'resource "aws_iam_role_policy" "training" {',
        '  role   = aws_iam_role.training.id',
        '  policy = data.aws_iam_policy_document.training.json',
        '}',
        '# and separate roles for notebooks, models and agents',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/role-manager.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/agents-permissions.html',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/kb-permissions.html',
    ],
  },

  *evaluate(context) {
    const { sagemaker, bedrock, iam } = context.inventory;
    if (!sagemaker && !bedrock) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker and Bedrock inventories');
      return;
    }
    // Every AI workload with the role it runs as; those whose role was not recorded, by kind.
    const byRole = new Map<string, RoleUser[]>();
    const withoutRole: RoleUser[] = [];
    const add = (kind: WorkloadKind, item: { arn: string; name: string }, roleArn: string | undefined): void => {
      const use = { kind, name: item.name, arn: item.arn };
      if (!roleArn) {
        withoutRole.push(use);
        return;
      }
      const list = byRole.get(roleArn);
      if (list) list.push(use);
      else byRole.set(roleArn, [use]);
    };
    for (const job of sagemaker?.trainingJobs ?? []) add('training job', job, job.roleArn);
    for (const job of sagemaker?.processingJobs ?? []) add('processing job', job, job.roleArn);
    for (const model of sagemaker?.models ?? []) add('model', model, model.executionRoleArn);
    for (const notebook of sagemaker?.notebookInstances ?? []) add('notebook instance', notebook, notebook.roleArn);
    for (const agent of bedrock?.agents ?? []) add('agent', agent, agent.roleArn);
    for (const kb of bedrock?.knowledgeBases ?? []) add('knowledge base', kb, kb.roleArn);
    for (const flow of bedrock?.flows ?? []) add('flow', flow, flow.roleArn);
    if (!byRole.size) return;
    if (!iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    const roles = new Map(iam.roles.map((r) => [r.arn, r]));
    // The workloads without a recorded role that could share a role of these kinds: the same few
    // kind sets come back for thousands of roles, so the phrase is built once per set.
    const unattributedByKinds = new Map<string, string | undefined>();
    const broadCache: BroadCache = new Map();
    for (const [roleArn, uses] of byRole) {
      const role = roles.get(roleArn);
      const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
      const usedBy = describeUses(uses);
      if (!role) {
        const errors = context.index.errorsFor('iam', { resource: roleArn });
        yield {
          verdict: 'unknown',
          resource: resourceRef(roleArn, 'AWS::IAM::Role', 'global', name),
          message: `Cannot judge role ${name} (used by ${usedBy}): it is not in the IAM inventory${errors.length ? ` (${describeErrors(errors)})` : ''}.`,
          evidence: { usedBy: uses, collectionErrors: errors },
        };
        continue;
      }
      const resource = resourceRef(role.arn, 'AWS::IAM::Role', role.region, role.name, role.source);
      const kinds = [...new Set(uses.map((u) => u.kind))];
      const fullAccess = role.attachedManagedPolicies.filter((arn) => FULL_ACCESS.test(arn));
      const problems: string[] = [];
      if (fullAccess.length) {
        problems.push(`has ${list(fullAccess.map((arn) => arn.slice(arn.lastIndexOf('/') + 1)))} attached`);
      }
      if (kinds.length > 1) problems.push(`is shared by workloads of different kinds: ${usedBy}`);
      const { broad, unread } = allBucketStatements(context, role, broadCache);
      if (broad.length) {
        const first = broad[0]!;
        problems.push(`may ${first.actions.join('/')} objects in every bucket (${first.policy}, ${first.statement}${broad.length > 1 ? `, and ${broad.length - 1} more statement${broad.length > 2 ? 's' : ''}` : ''}), not only the buckets its workloads use`);
      }
      if (problems.length) {
        yield {
          verdict: 'fail',
          resource,
          message: `Execution role ${role.name} ${problems.join(', and ')}.`,
          evidence: { usedBy: uses, kinds, fullAccessPolicies: fullAccess, ...(broad.length ? { allBucketStatements: broad } : {}) },
          property: fullAccess.length ? 'ManagedPolicyArns' : kinds.length > 1 ? 'RoleName' : 'Policies',
        };
        continue;
      }
      // Nothing wrong in what is known: pass only when nothing that could change that is missing.
      const missing: string[] = [];
      const errors = context.index.errorsFor('iam', { resource: role.arn, operations: POLICY_OPERATIONS });
      if (errors.length) missing.push(`its attached policies could not be read (${describeErrors(errors)})`);
      else if (unread.length) missing.push(`the document of ${list(unread)} is not in the inventory, so its S3 scope cannot be checked`);
      const kindsKey = kinds.join('\u0000');
      let unattributed = unattributedByKinds.get(kindsKey);
      if (!unattributedByKinds.has(kindsKey)) {
        const others = withoutRole.filter((w) => !kinds.includes(w.kind));
        unattributed = others.length ? describeUses(others) : undefined;
        unattributedByKinds.set(kindsKey, unattributed);
      }
      if (unattributed !== undefined) missing.push(`the role of ${unattributed} was not collected, so sharing cannot be ruled out`);
      if (!sagemaker) missing.push('the SageMaker inventory was not collected, so sharing with SageMaker workloads cannot be ruled out');
      if (!bedrock) missing.push('the Bedrock inventory was not collected, so sharing with Bedrock agents, knowledge bases and flows cannot be ruled out');
      if (missing.length) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot judge execution role ${role.name} (used by ${usedBy}): ${missing.join('; ')}.`,
          evidence: { usedBy: uses, collectionErrors: errors },
        };
        continue;
      }
      yield {
        verdict: 'pass',
        resource,
        message: `Execution role ${role.name} serves only ${usedBy}, has no AI full-access managed policy and grants object access only on named buckets.`,
        evidence: { usedBy: uses },
      };
    }
  },
});

interface BroadStatement {
  policy: string;
  statement: string;
  actions: string[];
  resource: string[] | { NotResource: string[] };
}

/**
 * Allow statements of the role's policies that reach objects in every bucket, and the managed
 * policies whose document is not in the inventory (their scope is unknown).
 */
function allBucketStatements(context: Parameters<typeof sectionUnknown>[0], role: IamRole, cache: BroadCache): { broad: BroadStatement[]; unread: string[] } {
  const broad: BroadStatement[] = [];
  const unread: string[] = [];
  for (const p of role.inlinePolicies) {
    const description = describePolicy({ name: p.name, kind: 'inline' });
    if (!p.policy) unread.push(description);
    else for (const fact of broadFacts(context, p.policy.normalized)) broad.push({ policy: description, ...fact });
  }
  for (const arn of role.attachedManagedPolicies) {
    let managed = cache.get(arn);
    if (!managed) {
      const attached = managedAttachment(context, arn);
      const description = describePolicy(attached);
      cache.set(arn, (managed = { description, facts: attached.document ? broadFacts(context, attached.document.normalized) : undefined }));
    }
    if (!managed.facts) unread.push(managed.description);
    else for (const fact of managed.facts) broad.push({ policy: managed.description, ...fact });
  }
  return { broad, unread };
}

/** Per scan: each managed policy's description and statements on every object (thousands of roles share them). */
type BroadCache = Map<string, { description: string; facts: Omit<BroadStatement, 'policy'>[] | undefined }>;

/** A document's unconditional Allow statements that reach objects in every bucket. */
function broadFacts(context: Parameters<typeof sectionUnknown>[0], document: NormalizedPolicy): Omit<BroadStatement, 'policy'>[] {
  const everyObject = `arn:${context.inventory.account.partition}:s3:::*/*`;
  const facts: Omit<BroadStatement, 'policy'>[] = [];
  for (const s of document.statements) {
    if (s.effect !== 'Allow' || Object.keys(s.condition).length > 0) continue;
    const actions = S3_DATA_ACTIONS.filter((a) => statementNamesAction(s, a));
    if (!actions.length) continue;
    const everywhere = s.notResource ? true : (s.resource ?? []).some((r) => patternCovers(r, everyObject));
    if (!everywhere) continue;
    facts.push({
      statement: describeStatement(s.sid, s.index),
      actions,
      resource: s.notResource ? { NotResource: s.notResource } : (s.resource ?? []),
    });
  }
  return facts;
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "2 training jobs (a, b) and notebook instance lab": per kind, with at most three names each. */
function describeUses(uses: RoleUser[]): string {
  const byKind = new Map<WorkloadKind, string[]>();
  for (const u of uses) {
    const names = byKind.get(u.kind);
    if (names) names.push(u.name);
    else byKind.set(u.kind, [u.name]);
  }
  return list(
    [...byKind].map(([kind, names]) => {
      const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, +${names.length - 3} more` : '');
      return names.length === 1 ? `${kind} ${shown}` : `${names.length} ${kind}s (${shown})`;
    }),
  );
}
