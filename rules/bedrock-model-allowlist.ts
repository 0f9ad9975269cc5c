import { defineRule, type RuleContext } from '../src/engine/types.js';
import { describeStatement, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { evaluateRequest } from '../src/policy/evaluate.js';
import { incompleteResult, principalPolicySets } from '../src/policy/principal-policies.js';
import { statementNamesAction } from '../src/policy/actions.js';
import type { NormalizedPolicy, NormalizedStatement } from '../src/policy/document.js';
import { globCovers, globMatches } from '../src/policy/glob.js';
import { scpPath } from '../src/engine/organization-policies.js';

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
      'Identity policies may allow bedrock:InvokeModel, InvokeModelWithResponseStream, Converse and ConverseStream only on foundation models and inference profiles whose model id matches the approved list (config bedrock.approvedModels, globs). "*" and wildcard ARNs that reach unapproved models fail, unless the policy engine finds that a Deny statement, the permissions boundary or, in an organization scan (aigis scan --org), the service control policies on the account\'s path block every unapproved model they reach; a single-account scan judges the account\'s own policies only. Custom models must be built on an approved base model.',
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
      // What each document holds for this rule, worked out once: thousands of principals share them.
      const byDocument = new Map<NormalizedPolicy, DocumentFacts>();
      const factsOf = (policy: NormalizedPolicy): DocumentFacts => {
        let facts = byDocument.get(policy);
        if (!facts) byDocument.set(policy, (facts = documentFacts(policy)));
        return facts;
      };
      // In an organization scan, the SCPs on the account's path take part in the decision: an SCP
      // that denies unapproved models blocks them for every principal of the account.
      const scpLevels = context.organization ? scpPath(context.organization)?.levels : undefined;
      const scps = scpLevels && scpLevels.length ? scpLevels : undefined;
      for (const principal of principalPolicySets(context)) {
        const violations: Record<string, unknown>[] = [];
        const blocked: string[] = [];
        let grantsInvoke = false;
        const boundary = principal.boundary === 'unreadable' ? undefined : principal.boundary;
        // Only a Deny or a boundary can take an Allow back; without either the engine would agree.
        // Asked only when a statement reaches unapproved models (most principals have none).
        let opposable: boolean | undefined;
        for (const { id, policy } of principal.policies) {
          for (const { statement, actions } of factsOf(policy).invoking) {
            grantsInvoke = true;
            const unapproved = unapprovedResources(statement, approved).filter((pattern) => {
              // The engine has the last word: a Deny (e.g. on NotResource of the approved ARNs), a
              // permissions boundary or an SCP can block what this statement allows. Probe with a concrete
              // model outside the list that the pattern reaches.
              opposable ??= Boolean(boundary) || Boolean(scps) || principal.policies.some(({ policy }) => factsOf(policy).denies);
              if (!opposable) return true;
              const probe = probeArn(pattern, context.index.partition, approved);
              if (!probe) return true;
              const reachable = actions.some((action) => {
                const decision = evaluateRequest(
                  { identity: principal.policies, ...(boundary ? { boundary } : {}), ...(scps ? { scps } : {}) },
                  { principal: { type: 'AWS', id: principal.resource.arn }, action, resource: probe },
                ).decision;
                return decision === 'allow' || decision === 'unknown';
              });
              if (!reachable) blocked.push(pattern);
              return reachable;
            });
            if (unapproved.length) {
              violations.push({ policy: id, statement: describeStatement(statement.sid, statement.index), unapprovedResources: unapproved });
            }
          }
        }
        const name = `${principal.kind} ${principal.name}`;
        if (violations.length && principal.boundary !== 'unreadable') {
          const first = violations[0]!;
          yield {
            verdict: 'fail',
            resource: principal.resource,
            message: `${name} may invoke models outside the approved list: ${first.policy}, ${first.statement} allows ${(first.unapprovedResources as string[]).join(', ')}.`,
            evidence: { violations, approvedModels: approved },
            property: 'Policies',
          };
        } else {
          yield incompleteResult(principal, 'the Bedrock model access of') ?? {
            verdict: grantsInvoke ? 'pass' : 'not_applicable',
            resource: principal.resource,
            message: grantsInvoke
              ? `${capitalize(name)} may invoke only approved foundation models${blocked.length ? ` (broader grants on ${[...new Set(blocked)].join(', ')} are blocked by Deny statements, the permissions boundary or service control policies)` : ''}.`
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

/** Of one policy document: whether it has a Deny statement, and its Allow statements naming an invoke action. */
interface DocumentFacts {
  denies: boolean;
  invoking: { statement: NormalizedStatement; actions: readonly string[] }[];
}

function documentFacts(policy: NormalizedPolicy): DocumentFacts {
  const invoking: DocumentFacts['invoking'] = [];
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow') continue;
    const actions = invokeActionsNamedBy(statement);
    if (actions.length) invoking.push({ statement, actions });
  }
  return { denies: policy.statements.some((st) => st.effect === 'Deny'), invoking };
}

/**
 * The invoke actions a statement's Action/NotAction names, kept per list: every principal repeats
 * the same few lists, and managed policies share theirs.
 */
function invokeActionsNamedBy(statement: NormalizedStatement): readonly string[] {
  const patterns = statement.action ?? statement.notAction;
  if (!patterns) return [];
  let named = invokeActionsByList.get(patterns);
  if (!named) invokeActionsByList.set(patterns, (named = INVOKE_ACTIONS.filter((a) => statementNamesAction(statement, a))));
  return named;
}

const invokeActionsByList = new WeakMap<readonly string[], readonly string[]>();

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

/**
 * A concrete foundation-model ARN that `pattern` matches and the allowlist does not (wildcards
 * filled with a probe name), or undefined when none can be built that way.
 */
function probeArn(pattern: string, partition: string, approved: readonly string[]): string | undefined {
  const fill = (text: string) => text.replaceAll('*', 'aigis-probe-unapproved').replaceAll('?', 'x');
  let arn: string;
  if (pattern === '*') arn = `arn:${partition}:bedrock:us-east-1::foundation-model/aigis-probe-unapproved`;
  else {
    const parts = pattern.split(':');
    if (parts.length < 6) return undefined;
    const region = parts[3] === '' || parts[3]!.includes('*') || parts[3]!.includes('?') ? 'us-east-1' : parts[3]!;
    const resource = parts.slice(5).join(':');
    const id = resource.startsWith('foundation-model/') || resource.startsWith('inference-profile/') ? fill(resource.slice(resource.indexOf('/') + 1)) : 'aigis-probe-unapproved';
    const type = resource.startsWith('inference-profile/') ? 'inference-profile' : 'foundation-model';
    arn = `arn:${parts[1] === '*' ? partition : parts[1]}:bedrock:${region}:${type === 'inference-profile' ? parts[4]!.replace(/[*?]/g, '1') : ''}:${type}/${id}`;
  }
  const id = modelIdOf(arn);
  if (id === undefined || approved.some((glob) => globMatches(glob, id))) return undefined;
  return arn;
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
