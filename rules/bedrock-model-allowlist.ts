import { defineRule, type RuleContext } from '../src/engine/types.js';
import { describePolicy, describeStatement, principalsWithPolicies, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { statementNamesAction } from '../src/policy/actions.js';
import type { NormalizedStatement } from '../src/policy/document.js';
import { globCovers, globMatches } from '../src/policy/glob.js';

/** The runtime actions that run a model (Converse and ConverseStream are authorized as these too, but policies may name them). */
const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:Converse', 'bedrock:ConverseStream'];
/** Cross-region inference profile ids are a geography prefix plus the model id: `us.anthropic.claude-...`. */
const PROFILE_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\./;

export default defineRule({
  meta: {
    id: 'bedrock-model-allowlist',
    title: 'Bedrock model access is limited to approved foundation models',
    severity: 'high',
    service: 'bedrock',
    resourceTypes: ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role', 'AWS::Bedrock::CustomModel'],
    description:
      'Identity policies may allow bedrock:InvokeModel, InvokeModelWithResponseStream, Converse and ConverseStream only on foundation models and inference profiles whose model id matches the approved list (config bedrock.approvedModels, globs). "*" and wildcard ARNs that reach unapproved models fail. Custom models must be built on an approved base model.',
    rationale:
      'Each foundation model is a third-party processor with its own terms, data handling, regions and risk profile; a model allowlist is how an organization records that a model passed its DPIA, legal and security review (GDPR Art. 28/35, NIST SA-9). Granting bedrock:InvokeModel on "*" silently approves every model AWS adds later.',
    remediation: {
      console: [
        'Open the IAM policy named in the finding and edit the statement that allows bedrock:InvokeModel.',
        'Replace "*" with the ARNs of approved models, e.g. arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0.',
        'Enforce the same list organization-wide with a service control policy that denies bedrock:InvokeModel* on other foundation-model ARNs.',
        'For a custom model on an unapproved base model: approve the base model through your review process or retrain on an approved one.',
      ],
      cli: [
        'aws iam create-policy-version --policy-arn <POLICY_ARN> --set-as-default --policy-document \\',
        '  \'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],"Resource":"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-*"}]}\'',
      ].join('\n'),
      cloudformation: [
        'InvokeApprovedModels:',
        '  Type: AWS::IAM::ManagedPolicy',
        '  Properties:',
        '    PolicyDocument:',
        "      Version: '2012-10-17'",
        '      Statement:',
        '        - Effect: Allow',
        '          Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream]',
        "          Resource: !Sub 'arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-5-sonnet-*'",
      ].join('\n'),
      terraform: [
        'data "aws_iam_policy_document" "invoke_approved_models" {',
        '  statement {',
        '    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]',
        '    resources = ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-*"]',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/security_iam_id-based-policy-examples.html',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html',
    ],
  },

  *evaluate(context) {
    const approved = context.settings.bedrock.approvedModels;
    if (!context.inventory.iam) {
      yield sectionUnknown(context, 'iam', 'The IAM inventory');
    } else {
      for (const principal of principalsWithPolicies(context)) {
        const violations: Record<string, unknown>[] = [];
        const unreadable: string[] = [];
        let grantsInvoke = false;
        for (const policy of principal.policies) {
          if (!policy.document) {
            unreadable.push(describePolicy(policy));
            continue;
          }
          for (const statement of policy.document.normalized.statements) {
            if (statement.effect !== 'Allow' || !INVOKE_ACTIONS.some((a) => statementNamesAction(statement, a))) continue;
            grantsInvoke = true;
            const unapproved = unapprovedResources(statement, approved);
            if (unapproved.length) {
              violations.push({
                policy: describePolicy(policy),
                ...(policy.arn ? { policyArn: policy.arn } : {}),
                statement: describeStatement(statement.sid, statement.index),
                unapprovedResources: unapproved,
              });
            }
          }
        }
        const name = `${principal.kind} ${principal.resource.name}`;
        if (violations.length) {
          const first = violations[0]!;
          yield {
            verdict: 'fail',
            resource: principal.resource,
            message: `${name} may invoke models outside the approved list: ${first.policy}, ${first.statement} allows ${(first.unapprovedResources as string[]).join(', ')}.`,
            evidence: { violations, approvedModels: approved },
            property: 'Policies',
          };
        } else if (unreadable.length) {
          yield {
            verdict: 'unknown',
            resource: principal.resource,
            message: `The document of ${unreadable.join(', ')} attached to ${name} is not in the inventory, so its Bedrock model access cannot be judged.`,
            evidence: { unreadablePolicies: unreadable },
          };
        } else {
          yield {
            verdict: grantsInvoke ? 'pass' : 'not_applicable',
            resource: principal.resource,
            message: grantsInvoke
              ? `${capitalize(name)} may invoke only approved foundation models.`
              : `${capitalize(name)} is not allowed to invoke Bedrock models.`,
          };
        }
      }
    }
    yield* judgeCustomModels(context, approved);
  },
});

function* judgeCustomModels(context: RuleContext, approved: string[]) {
  const bedrock = context.inventory.bedrock;
  if (!bedrock) {
    yield sectionUnknown(context, 'bedrock', 'The Bedrock inventory');
    return;
  }
  for (const model of bedrock.customModels) {
    const resource = resourceRef(model.arn, 'AWS::Bedrock::CustomModel', model.region, model.name, model.source);
    if (!model.baseModelArn) {
      yield { verdict: 'unknown' as const, resource, message: `The base model of custom model ${model.name} is not in the inventory.` };
      continue;
    }
    const id = modelIdOf(model.baseModelArn);
    if (id !== undefined && approved.some((glob) => globMatches(glob, id))) {
      yield { verdict: 'pass' as const, resource, message: `Custom model ${model.name} is built on approved base model ${id}.`, evidence: { baseModel: id } };
    } else {
      yield {
        verdict: 'fail' as const,
        resource,
        message: `Custom model ${model.name} is built on ${id ?? model.baseModelArn}, which is not an approved foundation model.`,
        evidence: { baseModel: id ?? model.baseModelArn, approvedModels: approved },
        property: 'BaseModelIdentifier',
      };
    }
  }
}

/**
 * The resource patterns of an Allow statement that reach a foundation model or inference profile
 * outside the allowlist. A pattern is approved only when every model id it can match is matched by
 * one approved glob (glob containment), so `anthropic.claude-3-5-sonnet-*` is inside
 * `anthropic.claude-3-*` and `*` is inside nothing but `*`.
 */
function unapprovedResources(statement: NormalizedStatement, approved: string[]): string[] {
  if (statement.notResource) {
    // NotResource grants everything except the listed ARNs: that always includes future models.
    return [`NotResource ${JSON.stringify(statement.notResource)}`];
  }
  const out: string[] = [];
  let verdicts = approvalCache.get(approved);
  if (!verdicts) approvalCache.set(approved, (verdicts = new Map()));
  for (const pattern of statement.resource ?? []) {
    let isApproved = verdicts.get(pattern);
    if (isApproved === undefined) {
      isApproved = modelIdPatterns(pattern).every((idPattern) => approved.some((glob) => globCovers(glob, idPattern)));
      verdicts.set(pattern, isApproved);
    }
    if (!isApproved) out.push(pattern);
  }
  return out;
}

/** Per allowlist, whether a resource pattern stays inside it: the same ARNs recur across principals. */
const approvalCache = new WeakMap<readonly string[], Map<string, boolean>>();

/**
 * Model-id patterns a resource ARN pattern can reach: `[]` when it cannot name a foundation model
 * or inference profile (another service, a custom or provisioned model, an application profile).
 */
function modelIdPatterns(pattern: string): string[] {
  if (pattern === '*') return ['*'];
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return [];
  if (!globMatches(parts[2]!, 'bedrock')) return [];
  const resource = parts.slice(5).join(':');
  const ids: string[] = [];
  for (const type of ['foundation-model/', 'inference-profile/']) {
    if (resource.startsWith(type)) {
      const id = resource.slice(type.length);
      ids.push(type === 'inference-profile/' ? id.replace(PROFILE_PREFIX, '') : id);
    } else if (couldStartWith(resource, type)) {
      // e.g. `*` or `foundation*`: the pattern reaches every model of this type.
      ids.push('*');
    }
  }
  return ids;
}

/** Can some string matched by `glob` start with `prefix`? (Compare up to the first wildcard.) */
function couldStartWith(glob: string, prefix: string): boolean {
  for (let i = 0; i < prefix.length; i++) {
    const ch = glob[i];
    if (ch === undefined) return false;
    if (ch === '*') return true;
    if (ch !== '?' && ch !== prefix[i]) return false;
  }
  return true;
}

/** `arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1` -> `amazon.titan-text-express-v1`. */
function modelIdOf(arn: string): string | undefined {
  const match = /:(?:foundation-model|inference-profile)\/(.+)$/.exec(arn);
  if (match) return match[1]!.replace(PROFILE_PREFIX, '');
  return arn.startsWith('arn:') ? undefined : arn;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
