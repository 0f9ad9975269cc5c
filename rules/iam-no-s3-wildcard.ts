import { defineRule } from '../src/engine/types.js';
import { describeStatement, sectionUnknown } from '../src/engine/rule-kit.js';
import { coversWholeService, serviceActionIndexes, type ActionCatalog } from '../src/policy/actions.js';
import type { NamedPolicy } from '../src/policy/evaluate.js';
import type { NormalizedPolicy, NormalizedStatement } from '../src/policy/document.js';
import { effectiveAccess } from '../src/policy/analyze.js';
import { incompleteResult, principalPolicySets } from '../src/policy/principal-policies.js';

export default defineRule({
  meta: {
    id: 'iam-no-s3-wildcard',
    title: 'No identity policy grants every S3 action (s3:*)',
    severity: 'high',
    service: 'iam',
    resourceTypes: ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'],
    description:
      'No Allow statement in a policy attached to a user, group or role (inline, customer managed or AWS managed) may grant every S3 action. Coverage is decided by the policy engine against the IAM action catalog, after Deny statements and the permissions boundary: "s3:*", "*", patterns such as "s*:*", a NotAction that leaves S3 in, and statements that together add up to every S3 action all count; "s3:Get*" does not.',
    rationale:
      'Full S3 access lets one compromised notebook, pipeline or user read, overwrite, re-encrypt or delete every training set and model artifact, change bucket policies and turn off Block Public Access. Least privilege (NIST AC-6, SOC 2 CC6.3) means naming the actions and buckets a job needs.',
    remediation: {
      console: [
        'Open the IAM console and the user, group or role named in the finding.',
        'Edit the policy and statement named in the finding: replace "s3:*" (or "*") with the actions the workload needs, e.g. s3:GetObject and s3:ListBucket.',
        'Scope Resource to the buckets and prefixes it uses; use IAM Access Analyzer policy generation to derive the actions from CloudTrail activity.',
        'Detach AWS managed AmazonS3FullAccess / AdministratorAccess from workload roles.',
      ],
      cli: [
        'aws iam put-role-policy --role-name <ROLE> --policy-name training-data-read --policy-document \\',
        '  \'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::<BUCKET>","arn:aws:s3:::<BUCKET>/*"]}]}\'',
        'aws iam detach-role-policy --role-name <ROLE> --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess',
      ].join('\n'),
      cloudformation: [
        'TrainingRole:',
        '  Type: AWS::IAM::Role',
        '  Properties:',
        '    Policies:',
        '      - PolicyName: training-data-read',
        '        PolicyDocument:',
        "          Version: '2012-10-17'",
        '          Statement:',
        '            - Effect: Allow',
        '              Action: [s3:GetObject, s3:ListBucket]',
        '              Resource:',
        '                - !GetAtt TrainingData.Arn',
        "                - !Sub '${TrainingData.Arn}/*'",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "training_data_read" {',
        '  statement {',
        '    actions   = ["s3:GetObject", "s3:ListBucket"]',
        '    resources = [aws_s3_bucket.training_data.arn, "${aws_s3_bucket.training_data.arn}/*"]',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html',
    ],
  },

  *evaluate(context) {
    if (!context.inventory.iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
      return;
    }
    const allS3 = context.catalog.actionsOf('s3').length;
    // Per document, worked out once: thousands of principals share their managed policies.
    const byDocument = new Map<NormalizedPolicy, S3Facts>();
    const factsOf = (policy: NormalizedPolicy): S3Facts => {
      let facts = byDocument.get(policy);
      if (!facts) byDocument.set(policy, (facts = s3Facts(policy, context.catalog)));
      return facts;
    };
    for (const principal of principalPolicySets(context)) {
      // The statements that grant all of S3 on their own, for the evidence and the message.
      // A plain loop: this runs for every principal, and most have no such statement.
      const wildcards: WildcardStatement[] = [];
      for (const { id, policy } of principal.policies) {
        for (const s of factsOf(policy).wholeService) {
          wildcards.push({
            policy: id,
            statement: describeStatement(s.sid, s.index),
            ...(s.action ? { Action: s.action } : { NotAction: s.notAction }),
            ...(s.resource ? { Resource: s.resource } : { NotResource: s.notResource }),
            conditional: Object.keys(s.condition).length > 0,
          });
        }
      }
      // The engine decides: S3 actions granted after Deny statements, NotAction and the boundary.
      // Several statements together (s3:Get*, s3:Put*, ...) can add up to every S3 action too.
      // Allow statements alone bound the answer, so the engine only runs when they grant all of S3.
      const boundary = principal.boundary === 'unreadable' ? undefined : principal.boundary;
      const allowed = allowedS3Count(principal.policies, factsOf, allS3);
      // With no Deny statement and no boundary nothing can take an Allow back: no engine needed.
      const unopposed = !principal.boundary && !principal.policies.some(({ policy }) => factsOf(policy).denies);
      const access =
        allowed === allS3 && !(unopposed && wildcards.length)
          ? effectiveAccess(principal.policies, { catalog: context.catalog, services: S3, ...(boundary ? { boundary } : {}) })
          : undefined;
      const everyAction = allS3 > 0 && allowed === allS3 && (access === undefined ? unopposed && wildcards.length > 0 : access.actions.length === allS3);
      const kind = principal.kind;
      if (everyAction && principal.boundary !== 'unreadable') {
        const granting = access?.actions[0]?.statements ?? [];
        const first = wildcards[0];
        const where = first
          ? `${first.policy}, ${first.statement}${wildcards.length > 1 ? ` (and ${wildcards.length - 1} more statement${wildcards.length > 2 ? 's' : ''})` : ''}`
          : `${granting.length} statements together (${granting.map((g) => `${g.policyId}, ${describeStatement(g.sid, g.index)}`).join('; ')})`;
        const conditional = access ? access.actions.every((a) => a.conditional) : wildcards.every((w) => w.conditional);
        yield {
          verdict: 'fail',
          resource: principal.resource,
          message: `${capitalize(kind)} ${principal.name} is granted every S3 action by ${where}${conditional ? ' (under a condition)' : ''}.`,
          evidence: { statements: wildcards.length ? wildcards : granting },
          property: policyProperty(first?.policy ?? granting[0]?.policyId ?? ''),
        };
      } else if (wildcards.length) {
        yield incompleteResult(principal, 'the S3 access of') ?? {
          verdict: 'pass',
          resource: principal.resource,
          message: `${capitalize(kind)} ${principal.name} has an Allow of every S3 action, but Deny statements or its permissions boundary take part of it back (${access?.actions.length ?? 0} of ${allS3} S3 actions remain).`,
          evidence: { statements: wildcards, grantedS3Actions: access?.actions.length ?? 0 },
        };
      } else {
        yield incompleteResult(principal, 'the S3 access of') ?? {
          verdict: 'pass',
          resource: principal.resource,
          message: principal.policies.length
            ? `The identity policies of ${kind} ${principal.name} allow ${allowed} of the ${allS3} S3 actions, not all of them.`
            : `${capitalize(kind)} ${principal.name} has no identity policies.`,
        };
      }
    }
  },
});

const S3 = ['s3'];

/** Evidence of one statement that grants all of S3 on its own. */
interface WildcardStatement {
  policy: string;
  statement: string;
  Action?: readonly string[];
  NotAction?: readonly string[];
  Resource?: string[];
  NotResource?: string[];
  conditional: boolean;
}

/** How many S3 actions the Allow statements name together (before Deny and boundaries). */
/** Of one policy document: its Allow statements granting all of S3, the S3 actions of each Allow statement naming some, and whether it has a Deny. */
interface S3Facts {
  wholeService: NormalizedStatement[];
  indexes: (readonly number[])[];
  denies: boolean;
}

function s3Facts(policy: NormalizedPolicy, catalog: ActionCatalog): S3Facts {
  const facts: S3Facts = { wholeService: [], indexes: [], denies: false };
  for (const statement of policy.statements) {
    if (statement.effect === 'Deny') facts.denies = true;
    if (statement.effect !== 'Allow') continue;
    if (coversWholeService(statement, 's3', catalog)) facts.wholeService.push(statement);
    const indexes = serviceActionIndexes(statement, 's3', catalog);
    if (indexes.length) facts.indexes.push(indexes);
  }
  return facts;
}

function allowedS3Count(policies: readonly NamedPolicy[], factsOf: (policy: NormalizedPolicy) => S3Facts, allS3: number): number {
  let single: readonly number[] | undefined;
  // Several statements: their union counted on a reused bitmap over the S3 actions (not a set per principal).
  let marked: number[] | undefined;
  for (const { policy } of policies) {
    for (const indexes of factsOf(policy).indexes) {
      if (indexes.length === allS3) return clear(marked, allS3);
      if (!single) single = indexes;
      else {
        if (!marked) {
          marked = [];
          mark(single, marked, allS3);
        }
        mark(indexes, marked, allS3);
      }
    }
  }
  return marked ? clear(marked, marked.length) : (single?.length ?? 0);
}

let s3Bitmap = new Uint8Array(0);

/** Marks the indexes in the shared bitmap, recording newly marked ones in `marked`. */
function mark(indexes: readonly number[], marked: number[], size: number): void {
  if (s3Bitmap.length < size) s3Bitmap = new Uint8Array(size);
  for (const i of indexes) {
    if (!s3Bitmap[i]) {
      s3Bitmap[i] = 1;
      marked.push(i);
    }
  }
}

/** Resets the bitmap entries set by mark and returns `result`. */
function clear(marked: number[] | undefined, result: number): number {
  if (marked) for (const i of marked) s3Bitmap[i] = 0;
  return result;
}

/** The CloudFormation property that holds the policy (for IaC locations). */
function policyProperty(policyId: string): string {
  return policyId.startsWith('inline ') ? 'Policies' : 'ManagedPolicyArns';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
