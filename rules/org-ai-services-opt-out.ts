import { defineRule, type RuleResult } from '../src/engine/types.js';
import { accountRef } from '../src/engine/rule-kit.js';
import type { OrganizationPolicyRef } from '../src/engine/organization-context.js';

/** Bounds for documents from the management account: Organizations caps a policy at a few KB. */
const MAX_CONTENT = 100_000;
const MAX_SERVICES = 500;

type Setting = 'optOut' | 'optIn';

interface Effective {
  value: Setting;
  /** The policy and level that set it. */
  from: string;
  /** A parent forbade child policies to change it. */
  locked: boolean;
}

export default defineRule({
  meta: {
    id: 'org-ai-services-opt-out',
    title: 'An AI services opt-out policy opts the account out of all AI services',
    severity: 'medium',
    service: 'organizations',
    aiControl: true,
    resourceTypes: ['AWS::::Account'],
    description:
      'Organization scans only. The AI services opt-out policies (AISERVICES_OPT_OUT_POLICY) attached to the root, each organizational unit and the account are combined as AWS Organizations does for management policies: a child\'s "@@assign" replaces its parent\'s value unless the parent limited "@@operators_allowed_for_child_policies" (to "@@none", or to a list without "@@assign"). Pass when the effective policy sets services.default.opt_out_policy to "optOut" and no service is set to "optIn"; fail when there is no default opt-out, or when a service is opted back in (named with the policy that does it). Unknown when opt-out policies were not collected, a policy on the path could not be read, or two policies on the same level assign different values to one service. In a single-account scan the verdict is unknown: these policies are read from the management account (run aigis scan --org). Verdict on the account root.',
    rationale:
      'By default AWS may store and use content processed by some AI services (Amazon Comprehend, Lex, Polly, Rekognition, Textract, Transcribe, Translate and others) to improve those services, including moving it outside the Region. For personal data and PHI that is a use the organization did not instruct and its data-processing agreements may not allow (GDPR Art. 28, Art. 5(1)(b)); the opt-out policy, with "default" set to "optOut", stops it for every current and future AI service.',
    remediation: {
      console: [
        'In the AWS Organizations console of the management account, open Policies and enable AI services opt-out policies.',
        'Create a policy with services.default.opt_out_policy set to optOut (and @@operators_allowed_for_child_policies ["@@none"] so no unit or account can opt back in) and attach it to the root.',
      ],
      cli: [
        'aws organizations enable-policy-type --root-id <ROOT_ID> --policy-type AISERVICES_OPT_OUT_POLICY',
        'aws organizations create-policy --type AISERVICES_OPT_OUT_POLICY --name opt-out-all-ai-services --description "Opt out of all AI services" --content \\',
        '  \'{"services":{"@@operators_allowed_for_child_policies":["@@none"],"default":{"@@operators_allowed_for_child_policies":["@@none"],"opt_out_policy":{"@@operators_allowed_for_child_policies":["@@none"],"@@assign":"optOut"}}}}\'',
        'aws organizations attach-policy --policy-id <POLICY_ID> --target-id <ROOT_ID>',
      ].join('\n'),
      cloudformation: [
        'OptOutAllAiServices:',
        '  Type: AWS::Organizations::Policy',
        '  Properties:',
        '    Name: opt-out-all-ai-services',
        '    Type: AISERVICES_OPT_OUT_POLICY',
        '    TargetIds: [<ROOT_ID>]',
        '    Content:',
        '      services:',
        "        '@@operators_allowed_for_child_policies': ['@@none']",
        '        default:',
        "          '@@operators_allowed_for_child_policies': ['@@none']",
        '          opt_out_policy:',
        "            '@@operators_allowed_for_child_policies': ['@@none']",
        "            '@@assign': optOut",
      ].join('\n'),
      terraform: [
        'resource "aws_organizations_policy" "opt_out_all_ai_services" {',
        '  name = "opt-out-all-ai-services"',
        '  type = "AISERVICES_OPT_OUT_POLICY"',
        '  content = jsonencode({',
        '    services = {',
        '      "@@operators_allowed_for_child_policies" = ["@@none"]',
        '      default = {',
        '        "@@operators_allowed_for_child_policies" = ["@@none"]',
        '        opt_out_policy = { "@@operators_allowed_for_child_policies" = ["@@none"], "@@assign" = "optOut" }',
        '      }',
        '    }',
        '  })',
        '}',
        'resource "aws_organizations_policy_attachment" "opt_out_root" {',
        '  policy_id = aws_organizations_policy.opt_out_all_ai_services.id',
        '  target_id = "<ROOT_ID>"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_ai-opt-out.html',
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_ai-opt-out_syntax.html',
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html',
    ],
  },

  *evaluate(context) {
    const organization = context.organization;
    const resource = accountRef(context);
    if (!organization) {
      yield { verdict: 'unknown', resource, message: 'The AI services opt-out policies of this account are not known in a single-account scan: they are read from the management account (run aigis scan --org).' };
      return;
    }
    const levels = organization.policies('AISERVICES_OPT_OUT_POLICY');
    if (!levels) {
      yield { verdict: 'unknown', resource, message: `The AI services opt-out policies of organization ${organization.organizationId} were not collected, so this cannot be evaluated for account ${organization.accountId}.` };
      return;
    }
    const result = effectivePolicy(levels, organization.levels);
    if ('problem' in result) {
      yield { verdict: 'unknown', resource, message: `The effective AI services opt-out policy of account ${organization.accountId} (${organization.path}) cannot be worked out: ${result.problem}.` };
      return;
    }
    yield judge(result.effective, organization.accountId, organization.path, resource);
  },
});

function judge(effective: Map<string, Effective>, account: string, path: string, resource: RuleResult['resource']): RuleResult {
  const services = [...effective.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const evidence = { effective: Object.fromEntries(services.map(([service, e]) => [service, { opt_out_policy: e.value, from: e.from, ...(e.locked ? { locked: true } : {}) }])) };
  const fallback = effective.get('default');
  if (!fallback || fallback.value !== 'optOut') {
    return {
      verdict: 'fail',
      resource,
      message: fallback
        ? `Account ${account} (${path}) is opted in to AI services by default: ${fallback.from} assigns services.default.opt_out_policy "optIn".`
        : `No AI services opt-out policy on ${path} opts account ${account} out of AI services by default (services.default.opt_out_policy "optOut"), so AWS may use its AI service content to improve those services.`,
      evidence,
      property: 'AiServicesOptOutPolicy',
    };
  }
  const optedIn = services.filter(([service, e]) => service !== 'default' && e.value === 'optIn');
  if (optedIn.length) {
    return {
      verdict: 'fail',
      resource,
      message: `Account ${account} (${path}) opts out of AI services by default but is opted back in to ${optedIn.map(([service, e]) => `${service} (${e.from})`).join(', ')}.`,
      evidence,
      property: 'AiServicesOptOutPolicy',
    };
  }
  return {
    verdict: 'pass',
    resource,
    message: `Account ${account} (${path}) is opted out of all AI services: ${fallback.from} assigns services.default.opt_out_policy "optOut"${fallback.locked ? ' and forbids child policies to change it' : ''}.`,
    evidence,
  };
}

/**
 * The effective opt-out setting per service key, from the root down to the account. Each level's
 * policies are applied in policy-id order; a value locked by a parent is kept.
 */
function effectivePolicy(levels: OrganizationPolicyRef[][], levelIds: string[]): { effective: Map<string, Effective> } | { problem: string } {
  const effective = new Map<string, Effective>();
  let allLocked = false;
  for (let i = 0; i < levels.length; i++) {
    const levelId = levelIds[i] ?? `level ${i + 1}`;
    const assigned = new Map<string, { value: Setting; from: string; lock: boolean }>();
    let lockAllAfter = false;
    for (const ref of [...levels[i]!].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const from = `policy ${ref.name} (${ref.id}) on ${levelId}`;
      const services = servicesOf(ref);
      if (typeof services === 'string') return { problem: `${from} ${services}` };
      if (locksChildren(services['@@operators_allowed_for_child_policies'])) lockAllAfter = true;
      let count = 0;
      for (const [service, node] of Object.entries(services)) {
        if (service.startsWith('@@')) continue;
        if (++count > MAX_SERVICES) return { problem: `${from} names more than ${MAX_SERVICES} services` };
        if (!isObject(node)) return { problem: `${from} has a service entry "${service}" that is not an object` };
        const setting = node.opt_out_policy;
        if (setting === undefined) continue;
        if (!isObject(setting)) return { problem: `${from} has an opt_out_policy for "${service}" that is not an object` };
        const lock = locksChildren(node['@@operators_allowed_for_child_policies']) || locksChildren(setting['@@operators_allowed_for_child_policies']);
        const value = setting['@@assign'];
        if (value === undefined) continue;
        if (value !== 'optOut' && value !== 'optIn') return { problem: `${from} assigns ${JSON.stringify(String(value).slice(0, 40))} to "${service}" (only "optOut" and "optIn" are valid, with that capitalization)` };
        if (allLocked || effective.get(service)?.locked) continue;
        const same = assigned.get(service);
        if (same && same.value !== value) return { problem: `${same.from} and ${from} assign different values to "${service}" on the same level` };
        assigned.set(service, { value, from, lock: lock || (same?.lock ?? false) });
      }
    }
    for (const [service, a] of assigned) effective.set(service, { value: a.value, from: a.from, locked: a.lock });
    if (lockAllAfter) allLocked = true;
  }
  return { effective };
}

function servicesOf(ref: OrganizationPolicyRef): Record<string, unknown> | string {
  if (ref.content === undefined) return 'could not be read';
  if (ref.content.length > MAX_CONTENT) return `is longer than ${MAX_CONTENT} characters`;
  let doc: unknown;
  try {
    doc = JSON.parse(ref.content);
  } catch {
    return 'is not valid JSON';
  }
  if (!isObject(doc)) return 'is not a JSON object';
  if (doc.services === undefined) return {};
  if (!isObject(doc.services)) return 'has a "services" element that is not an object';
  return doc.services;
}

/** `@@operators_allowed_for_child_policies` that keep child policies from assigning a value. */
function locksChildren(operators: unknown): boolean {
  if (operators === undefined) return false;
  if (!Array.isArray(operators)) return false;
  return !operators.includes('@@all') && !operators.includes('@@assign');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
