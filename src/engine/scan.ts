/**
 * Runs rules over an inventory and produces findings, the per-framework rollup and a summary.
 * Everything here is deterministic: findings are sorted, fingerprints are content-derived, and no
 * clock is read.
 */
import type { CollectionError, Inventory } from '../inventory/schema.js';
import { loadActionCatalog, type ActionCatalog } from '../policy/actions.js';
import { buildAiAssetGraph, describeMembership, type AiAssetGraph } from './ai-graph.js';
import type { AccountCollectionError, AccountEntry } from './accounts.js';
import type { ScanDelta } from './diff.js';
import type { Framework } from './frameworks.js';
import type { OrganizationContext } from './organization-context.js';
import { cyrb128Into, fingerprintOf, mixLanes, ruleIdLanes } from './fingerprint.js';
import { InventoryIndex } from './inventory-index.js';
import { configDigest, scanScopeOf, type ScanScopeMetadata } from './scan-scope.js';

export { fingerprintOf } from './fingerprint.js';
import {
  SEVERITIES,
  SEVERITY_RANK,
  VERDICTS,
  type ControlRef,
  type Finding,
  type Rule,
  type RuleContext,
  type RuleMeta,
  type ResourceRef,
  type RuleSettings,
  type Severity,
  type Verdict,
} from './types.js';

export interface ScanOptions {
  inventory: Inventory;
  rules: Rule[];
  frameworks: Framework[];
  settings: RuleSettings;
  /** Severity overrides from config, by rule id. */
  severityOverrides?: Record<string, Severity>;
  /** The input the inventory came from, for report locations (file path relative to the cwd). */
  inputs?: string[];
  catalog?: ActionCatalog;
  /**
   * `all` (default): every finding, with AI membership shown. `ai`: only findings about AI
   * resources (members of the AI asset graph, or judged by an AI rule) and account-wide controls.
   */
  scope?: ScanScope;
  /**
   * `true` (default): pass and not-applicable findings are findings like the others. `false`:
   * they are kept only as the resources each rule passed or found not applicable
   * (`ScanResult.passed`), without a message, evidence or fingerprint. A large account's findings
   * are mostly passes (62% of 4.4 million at 1M resources); reports that show them as lists or
   * counts (`--passed list|count`) need nothing more, and this is most of a scan's memory.
   */
  keepPassingFindings?: boolean;
  /** The account's organization, in an organization scan (RuleContext.organization). */
  organization?: OrganizationContext;
  /**
   * `scanScope.configDigest` (src/engine/scan-scope.ts): the CLI gives the digest of the config it
   * used (suppressions included); without it, the digest of these options (no suppressions).
   */
  configDigest?: string;
}

/** The resources one rule passed and found not applicable, in ARN order. */
export interface PassedGroup {
  ruleId: string;
  pass: ResourceRef[];
  notApplicable: ResourceRef[];
}

export const SCAN_SCOPES = ['all', 'ai'] as const;
export type ScanScope = (typeof SCAN_SCOPES)[number];

/**
 * Resource types whose findings are account-wide controls (logging, detection, analyzers): they
 * protect the AI estate as much as the rest, so `--scope ai` keeps them.
 */
const ACCOUNT_WIDE_TYPES: ReadonlySet<string> = new Set([
  'AWS::::Account',
  'AWS::AccessAnalyzer::Analyzer',
  'AWS::CloudTrail::Trail',
  'AWS::Config::ConfigurationRecorder',
  'AWS::GuardDuty::Detector',
  'AWS::Macie::Session',
  'AWS::SecurityHub::Hub',
]);

/** Rules whose every finding is about AI: the Bedrock and SageMaker services, and rules that say so. */
export function isAiRule(meta: RuleMeta): boolean {
  return meta.service === 'bedrock' || meta.service === 'sagemaker' || meta.aiControl === true;
}

export type ControlStatus = 'failing' | 'unknown' | 'passing' | 'not_applicable' | 'not_assessed';

export interface ControlRollup {
  id: string;
  title: string;
  group?: string;
  status: ControlStatus;
  rules: string[];
  counts: Record<Verdict, number>;
  /**
   * Status not_assessed only: the control's rules, none of which ran in this run (not chosen with
   * --rules, or turned off in config). Absent when no aigis rule evidences the control at all.
   */
  notSelected?: string[];
}

export interface FrameworkRollup {
  id: string;
  name: string;
  version: string;
  url: string;
  controls: ControlRollup[];
  totals: Record<ControlStatus, number>;
}

export interface ReportedRule extends RuleMeta {
  controls: ControlRef[];
}

export interface ScanSummary {
  resourcesEvaluated: number;
  findings: number;
  byVerdict: Record<Verdict, number>;
  /** Failing findings by severity (suppressed ones excluded). */
  failingBySeverity: Record<Severity, number>;
  suppressed: number;
  /** Present when a baseline was given. */
  newFailing?: number;
}

export interface ScanResult {
  tool: { name: string; version: string; informationUri: string };
  /** `alias`: the account alias (iam:ListAccountAliases), when the inventory has one. */
  account: { id: string; partition: string; alias?: string };
  /** Present when the scan covers several accounts (src/engine/accounts.ts); `account.id` is then a label. */
  accounts?: AccountEntry[];
  inputs: string[];
  rules: ReportedRule[];
  findings: Finding[];
  frameworks: FrameworkRollup[];
  summary: ScanSummary;
  coverage: { collectionErrors: AccountCollectionError[] };
  /** The AI workloads and what each uses (buckets, keys, roles, subnets, log destinations). */
  aiWorkloads: AiWorkloadReport[];
  /** Present when the findings were narrowed with --scope ai. */
  scope?: ScanScope;
  /**
   * Present when the scan kept pass and not-applicable results as resources per rule
   * (`keepPassingFindings: false`): `findings` then holds only fail and unknown findings, and
   * these groups (in rule order, rules with neither left out) hold the rest. Counts everywhere
   * (summary, control rollups) include them.
   */
  passed?: PassedGroup[];
  /** When the inventory was collected (`collectedAt`, written by `aigis collect --timestamp`); absent when not recorded. */
  collectedAt?: string;
  /**
   * Regions, services, inputs and config digest of the scan (src/engine/scan-scope.ts). Every scan
   * sets it; absent only from results built otherwise (`aigis policy check`, hand-made results).
   */
  scanScope?: ScanScopeMetadata;
  /** What changed since a previous report (`scan --compare`, src/engine/diff.ts). */
  delta?: ScanDelta;
}

export interface AiWorkloadReport {
  type: string;
  arn: string;
  name: string;
  region: string;
  /** What the workload uses, sorted by relation then ARN/id. */
  uses: { relation: string; resource: string }[];
}

const VERDICT_ORDER: Record<Verdict, number> = { fail: 0, unknown: 1, pass: 2, not_applicable: 3 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.resource.arn, b.resource.arn) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function runScan(options: ScanOptions, tool: ScanResult['tool']): Promise<ScanResult> {
  const catalog = options.catalog ?? (await loadActionCatalog());
  const index = new InventoryIndex(options.inventory);
  const ai = buildAiAssetGraph(options.inventory, index, { resources: options.settings.aiWorkloads.resources });
  const context: RuleContext = { inventory: options.inventory, index, catalog, settings: options.settings, ai, ...(options.organization ? { organization: options.organization } : {}) };

  const controlsByRule = controlsOfRules(options.frameworks);

  // Rule ids looked up once, not per finding: a large account has hundreds of thousands.
  const aiRules = new Set(options.rules.filter((r) => isAiRule(r.meta)).map((r) => r.meta.id));
  const evaluated = evaluateRules(options, context, controlsByRule, aiRules);
  const { resourcesEvaluated } = evaluated;
  const findings = options.scope === 'ai' ? evaluated.findings.filter((f) => isInAiScope(f, aiRules)) : evaluated.findings;
  const passed = evaluated.passed;

  const reportedRules = reportRules(options, controlsByRule);

  return {
    tool,
    account: {
      id: options.inventory.account.id,
      partition: options.inventory.account.partition,
      ...(options.inventory.account.alias !== undefined ? { alias: options.inventory.account.alias } : {}),
    },
    inputs: options.inputs ?? [],
    rules: reportedRules,
    findings,
    frameworks: rollupFrameworks(options.frameworks, findings, new Set(options.rules.map((r) => r.meta.id)), passed),
    // Narrowed findings judge fewer resources: count them again.
    summary: summarize(findings, options.scope === 'ai' ? undefined : resourcesEvaluated, passed),
    coverage: { collectionErrors: [...options.inventory.collectionErrors].sort(compareErrors) },
    aiWorkloads: reportWorkloads(ai),
    ...(options.scope === 'ai' ? { scope: 'ai' as const } : {}),
    ...(passed ? { passed } : {}),
    ...(options.inventory.collectedAt ? { collectedAt: options.inventory.collectedAt } : {}),
    scanScope: scanScopeOf(
      options.inventory.regions,
      options.rules.map((r) => r.meta.service),
      options.inputs ?? [],
      options.configDigest ??
        configDigest({
          rules: options.rules.map((r) => r.meta.id),
          frameworks: options.frameworks.map((f) => f.id),
          severityOverrides: options.severityOverrides ?? {},
          settings: options.settings,
          suppressions: [],
          scope: options.scope ?? 'all',
        }),
    ),
  };
}

/** Each rule id's controls, in framework and control order. */
function controlsOfRules(frameworks: Framework[]): Map<string, ControlRef[]> {
  const controlsByRule = new Map<string, ControlRef[]>();
  for (const framework of frameworks) {
    for (const control of framework.controls) {
      for (const ruleId of control.rules) {
        const list = controlsByRule.get(ruleId) ?? [];
        list.push({ framework: framework.id, controlId: control.id });
        controlsByRule.set(ruleId, list);
      }
    }
  }
  return controlsByRule;
}

/** The rules as reports state them: meta, effective severity and the controls they evidence. */
export function reportRules(
  options: Pick<ScanOptions, 'rules' | 'frameworks' | 'severityOverrides'>,
  controlsByRule = controlsOfRules(options.frameworks),
): ReportedRule[] {
  return options.rules.map((rule) => ({
    ...rule.meta,
    severity: options.severityOverrides?.[rule.meta.id] ?? rule.meta.severity,
    controls: controlsByRule.get(rule.meta.id) ?? [],
  }));
}

function isInAiScope(finding: Pick<Finding, 'ai' | 'resource' | 'ruleId'>, aiRules: ReadonlySet<string>): boolean {
  return finding.ai !== undefined || ACCOUNT_WIDE_TYPES.has(finding.resource.type) || aiRules.has(finding.ruleId);
}

/** Each workload with what it uses: the graph turned around, for reports. */
function reportWorkloads(graph: AiAssetGraph): AiWorkloadReport[] {
  const uses = new Map<string, { relation: string; resource: string }[]>();
  for (const [resource, memberships] of graph.members) {
    for (const m of memberships) {
      if (!m.workload) continue;
      let list = uses.get(m.workload.arn);
      if (!list) uses.set(m.workload.arn, (list = []));
      list.push({ relation: m.relation, resource });
    }
  }
  return graph.workloads
    .map((w) => ({
      type: w.type,
      arn: w.arn,
      name: w.name,
      region: w.region,
      uses: (uses.get(w.arn) ?? []).sort((a, b) => cmp(a.relation, b.relation) || cmp(a.resource, b.resource)),
    }))
    .sort((a, b) => cmp(a.type, b.type) || cmp(a.arn, b.arn));
}

/**
 * Runs every rule and returns its findings in report order (see compareFindings), with the number
 * of distinct resources judged.
 *
 * This loop runs once per finding, hundreds of thousands of times on a large account, so each
 * distinct resource ARN gets a small integer once: its hash lanes (for fingerprints), duplicate
 * detection and sort rank are then array lookups instead of string hashing and comparison.
 */
function evaluateRules(
  options: ScanOptions,
  context: RuleContext,
  controlsByRule: Map<string, ControlRef[]>,
  aiRules: ReadonlySet<string>,
): { findings: Finding[]; resourcesEvaluated: number; passed?: PassedGroup[] } {
  const keepPassing = options.keepPassingFindings !== false;
  // Pass and not-applicable results when they are not findings: rule index, ARN id, verdict
  // (0 pass, 1 not applicable), and one ResourceRef per ARN (the first a rule gave).
  const passRules: number[] = [];
  const passArns: number[] = [];
  const passVerdicts: number[] = [];
  const refs: ResourceRef[] = [];
  const arnIds = new Map<string, number>();
  const arns: string[] = [];
  // The four hash lanes of ARN id i at [4i, 4i + 4): one array, not one typed array per ARN.
  let arnLanes = new Uint32Array(4 * 1024);
  // Which rule last judged a resource, and how often: one finding per (rule, resource) is the
  // contract, and a second one (e.g. a duplicated resource in a hand-made export) gets a distinct
  // but still stable fingerprint.
  const lastRule: number[] = [];
  const occurrences: number[] = [];
  // Why each resource is in the AI asset graph (undefined when it is not), once per ARN, worked out
  // when a finding first needs it: a resource that only passes (the reasons of a bucket that
  // thousands of jobs use run to thousands of phrases) costs nothing without --passed full.
  const aiReasons: (string[] | undefined | typeof NOT_YET)[] = [];
  const reasonsOf = (id: number): string[] | undefined => {
    let reasons = aiReasons[id];
    if (reasons === NOT_YET) {
      const described = describeMembership(context.ai, arns[id]!);
      aiReasons[id] = reasons = described.length ? described : undefined;
    }
    return reasons;
  };
  const findings: Finding[] = [];
  const findingArnIds: number[] = [];
  const findingRules: number[] = [];
  options.rules.forEach((rule, ruleIndex) => {
    const ruleId = rule.meta.id;
    const severity = options.severityOverrides?.[ruleId] ?? rule.meta.severity;
    const controls = controlsByRule.get(ruleId) ?? [];
    const lanes = ruleIdLanes(ruleId);
    // Rules walk the inventory's lists in the same order, so the resource after the previous
    // one is usually the one with the next id: checking that first skips most hash lookups.
    let previous = -1;
    for (const result of rule.evaluate(context)) {
      const arn = result.resource.arn;
      let id = arns[previous + 1] === arn ? previous + 1 : arnIds.get(arn);
      if (id === undefined) {
        id = arns.length;
        arnIds.set(arn, id);
        arns.push(arn);
        if (arnLanes.length < (id + 1) * 4) {
          const grown = new Uint32Array(arnLanes.length * 2);
          grown.set(arnLanes);
          arnLanes = grown;
        }
        cyrb128Into(arn, arnLanes, id * 4);
        lastRule.push(-1);
        occurrences.push(0);
        aiReasons.push(NOT_YET);
        refs.push(result.resource);
      }
      if (lastRule[id] !== ruleIndex) {
        lastRule[id] = ruleIndex;
        occurrences[id] = 0;
      }
      // Counted for every verdict, so a fingerprint does not depend on keepPassingFindings.
      const occurrence = ++occurrences[id]!;
      previous = id;
      // Rules build a ResourceRef per result; the same resource's first one serves every finding
      // on it when they agree, so the copies die young instead of being kept once per finding.
      const known = refs[id]!;
      const resource = sameRef(known, result.resource) ? known : result.resource;
      if (!keepPassing && (result.verdict === 'pass' || result.verdict === 'not_applicable')) {
        if (options.scope === 'ai' && !isInAiScope({ ai: reasonsOf(id), resource, ruleId }, aiRules)) continue;
        passRules.push(ruleIndex);
        passArns.push(id);
        passVerdicts.push(result.verdict === 'pass' ? 0 : 1);
        continue;
      }
      // Rules build messages from template literals: V8 keeps those as trees of pieces (rope
      // strings, 32 bytes a node). Reading one character flattens the tree in place, so a
      // finding's message costs about its length: 40% less memory per failing finding, and the
      // pieces die young instead of being copied by every GC.
      result.message.charCodeAt(0);
      const finding: Finding = {
        ruleId,
        title: rule.meta.title,
        severity,
        verdict: result.verdict,
        service: rule.meta.service,
        resource,
        message: result.message,
        controls,
        fingerprint: occurrence === 1 ? mixLanes(lanes, arnLanes, id * 4) : fingerprintOf(ruleId, `${arn}#${occurrence}`),
        // Always present (undefined when absent, which JSON leaves out): fields added after the
        // literal would cost every finding a second, out-of-object property store.
        evidence: result.evidence || undefined,
        property: result.property || undefined,
        ai: reasonsOf(id),
      };
      findings.push(finding);
      findingArnIds.push(id);
      findingRules.push(ruleIndex);
    }
  });
  const ranks = arnRanks(arns, arnIds);
  return {
    findings: sortFindings(findings, findingArnIds, findingRules, arns, ranks, options),
    resourcesEvaluated: arns.length,
    ...(keepPassing ? {} : { passed: groupPassed(options.rules, passRules, passArns, passVerdicts, refs, ranks) }),
  };
}

/** An ARN's AI reasons not worked out yet (see evaluateRules). */
const NOT_YET: unique symbol = Symbol('not yet');

function sameRef(a: ResourceRef, b: ResourceRef): boolean {
  return a === b || (a.type === b.type && a.region === b.region && a.name === b.name && a.source === b.source);
}

/** Each ARN's rank in code-unit order (as `<` compares strings), by ARN id. */
function arnRanks(arns: string[], arnIds: Map<string, number>): Int32Array {
  // The default sort compares strings by UTF-16 code units, as `<` does, without a callback.
  const sortedArns = arns.slice().sort();
  const arnRank = new Int32Array(arns.length);
  for (let rank = 0; rank < sortedArns.length; rank++) arnRank[arnIds.get(sortedArns[rank]!)!] = rank;
  return arnRank;
}

/** The pass / not-applicable records as resources per rule, in rule order and ARN order. */
function groupPassed(rules: Rule[], passRules: number[], passArns: number[], passVerdicts: number[], refs: ResourceRef[], ranks: Int32Array): PassedGroup[] {
  const byRule: { pass: number[]; notApplicable: number[] }[] = rules.map(() => ({ pass: [], notApplicable: [] }));
  for (let i = 0; i < passRules.length; i++) {
    const group = byRule[passRules[i]!]!;
    (passVerdicts[i] === 0 ? group.pass : group.notApplicable).push(passArns[i]!);
  }
  // Stable: a resource a rule judged twice keeps the order the rule gave.
  const ordered = (ids: number[]) => ids.sort((a, b) => ranks[a]! - ranks[b]!).map((id) => refs[id]!);
  const groups: PassedGroup[] = [];
  rules.forEach((rule, index) => {
    const { pass, notApplicable } = byRule[index]!;
    if (pass.length || notApplicable.length) groups.push({ ruleId: rule.meta.id, pass: ordered(pass), notApplicable: ordered(notApplicable) });
  });
  return groups;
}

/**
 * The findings in compareFindings order, without calling it hundreds of thousands of times: the
 * order up to the message is (verdict, severity, rule id, ARN), so each finding gets one number
 * packing (its verdict/severity/rule bucket, its ARN's rank, its own index), and a native numeric
 * sort of those numbers does the work. Only findings that tie on everything but the message (the
 * same rule judging the same ARN twice) are then compared as strings. The result is exactly what
 * a stable sort with compareFindings gives; when the packed numbers would not fit in a double's
 * 53-bit integer range, that sort is used instead.
 */
function sortFindings(
  findings: Finding[],
  findingArnIds: number[],
  ruleIndexes: number[],
  arns: string[],
  arnRank: Int32Array,
  options: ScanOptions,
): Finding[] {
  const n = findings.length;
  const ruleCount = options.rules.length;
  const groups = VERDICTS.length * SEVERITIES.length * Math.max(1, ruleCount);
  if (groups * Math.max(1, arns.length) * Math.max(1, n) > Number.MAX_SAFE_INTEGER) return findings.sort(compareFindings);

  // Rank of each rule by id and of each ARN as a string (code-unit order, as `<` compares).
  const ruleRank = new Array<number>(ruleCount);
  options.rules
    .map((rule, index) => ({ id: rule.meta.id, index }))
    .sort((a, b) => cmp(a.id, b.id))
    .forEach((entry, rank) => (ruleRank[entry.index] = rank));
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = findings[i]!;
    const group =
      (VERDICT_ORDER[f.verdict] * SEVERITIES.length + (SEVERITY_RANK.critical - SEVERITY_RANK[f.severity])) * ruleCount + ruleRank[ruleIndexes[i]!]!;
    keys[i] = (group * arns.length + arnRank[findingArnIds[i]!]!) * n + i;
  }
  keys.sort();
  const sorted = new Array<Finding>(n);
  for (let i = 0; i < n; i++) sorted[i] = findings[keys[i]! % n]!;
  // Runs that tie up to the message: the same rule and ARN with the same verdict.
  for (let start = 0; start < n; ) {
    const prefix = keyPrefix(keys[start]!, n);
    let end = start + 1;
    while (end < n && keyPrefix(keys[end]!, n) === prefix) end++;
    if (end - start > 1) {
      const run = sorted.slice(start, end).sort((a, b) => cmp(a.message, b.message));
      for (let k = 0; k < run.length; k++) sorted[start + k] = run[k]!;
    }
    start = end;
  }
  return sorted;
}

/** A packed key without its index part; exact, since % and the division of a multiple are exact on integers below 2^53. */
function keyPrefix(key: number, n: number): number {
  return (key - (key % n)) / n;
}

function compareErrors(a: CollectionError, b: CollectionError): number {
  return (
    cmp(a.service, b.service) ||
    cmp(a.region ?? '', b.region ?? '') ||
    cmp(a.operation, b.operation) ||
    cmp(a.resource ?? '', b.resource ?? '') ||
    cmp(a.errorCode, b.errorCode)
  );
}

export function emptyVerdictCounts(): Record<Verdict, number> {
  return Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
}

/** Findings that count: suppressed ones never do. */
export function isActive(finding: Finding): boolean {
  return finding.suppression === undefined;
}

/**
 * Counts over the findings. `resourcesEvaluated`, when the caller already knows it (runScan does,
 * and suppressions and baselines never change it), saves collecting every ARN into a set again.
 */
export function summarize(findings: Finding[], resourcesEvaluated?: number, passed?: readonly PassedGroup[]): ScanSummary {
  const byVerdict = emptyVerdictCounts();
  const failingBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const resources = resourcesEvaluated === undefined ? new Set<string>() : undefined;
  let suppressed = 0;
  let newFailing = 0;
  let hasBaseline = false;
  // Indexed: this runs once per scan, often before the JIT has optimized it, and an unoptimized
  // for-of allocates an iterator result per finding.
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    resources?.add(f.resource.arn);
    if (!isActive(f)) {
      suppressed++;
      continue;
    }
    byVerdict[f.verdict]++;
    if (f.verdict === 'fail') failingBySeverity[f.severity]++;
    if (f.baseline) hasBaseline = true;
    if (f.baseline === 'new' && f.verdict === 'fail') newFailing++;
  }
  let passedCount = 0;
  for (const group of passed ?? []) {
    byVerdict.pass += group.pass.length;
    byVerdict.not_applicable += group.notApplicable.length;
    passedCount += group.pass.length + group.notApplicable.length;
    if (resources) for (const ref of [...group.pass, ...group.notApplicable]) resources.add(ref.arn);
  }
  return {
    resourcesEvaluated: resources ? resources.size : resourcesEvaluated!,
    findings: findings.length + passedCount,
    byVerdict,
    failingBySeverity,
    suppressed,
    ...(hasBaseline ? { newFailing } : {}),
  };
}

/**
 * A control fails when any active finding of its rules fails; it is unknown when none fails but
 * some could not be decided; passing when at least one passed and nothing else; not_applicable
 * when its rules found nothing to judge; not_assessed when no selected rule evidences it (with
 * `notSelected` when it has rules that did not run in this run).
 */
export function rollupFrameworks(frameworks: Framework[], findings: Finding[], activeRules: Set<string>, passed?: readonly PassedGroup[]): FrameworkRollup[] {
  const countsByRule = new Map<string, Record<Verdict, number>>();
  // Indexed: this runs once per scan, often before the JIT has optimized it, and an unoptimized
  // for-of allocates an iterator result per finding.
  // Findings come grouped by rule (within each verdict): the previous rule's counts usually serve.
  let lastRule: string | undefined;
  let counts: Record<Verdict, number> | undefined;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (!isActive(f)) continue;
    if (f.ruleId !== lastRule || !counts) {
      lastRule = f.ruleId;
      counts = countsByRule.get(f.ruleId);
      if (!counts) countsByRule.set(f.ruleId, (counts = emptyVerdictCounts()));
    }
    counts[f.verdict]++;
  }
  for (const group of passed ?? []) {
    let c = countsByRule.get(group.ruleId);
    if (!c) countsByRule.set(group.ruleId, (c = emptyVerdictCounts()));
    c.pass += group.pass.length;
    c.not_applicable += group.notApplicable.length;
  }
  return frameworks.map((framework) => {
    const totals: Record<ControlStatus, number> = { failing: 0, unknown: 0, passing: 0, not_applicable: 0, not_assessed: 0 };
    const controls = framework.controls.map((control): ControlRollup => {
      const rules = control.rules.filter((r) => activeRules.has(r));
      const counts = emptyVerdictCounts();
      for (const ruleId of rules) {
        const c = countsByRule.get(ruleId);
        if (c) for (const v of VERDICTS) counts[v] += c[v];
      }
      const status: ControlStatus =
        rules.length === 0
          ? 'not_assessed'
          : counts.fail > 0
            ? 'failing'
            : counts.unknown > 0
              ? 'unknown'
              : counts.pass > 0
                ? 'passing'
                : 'not_applicable';
      totals[status]++;
      const notSelected = rules.length === 0 && control.rules.length > 0 ? [...control.rules] : undefined;
      return { id: control.id, title: control.title, ...(control.group ? { group: control.group } : {}), status, rules, counts, ...(notSelected ? { notSelected } : {}) };
    });
    return { id: framework.id, name: framework.name, version: framework.version, url: framework.url, controls, totals };
  });
}

/** Exit code 1 when an active failing finding (new, if a baseline was given) is at or above the threshold. */
export function breachesThreshold(findings: Finding[], failOn: Severity | undefined): boolean {
  if (!failOn) return false;
  return findings.some(
    (f) => isActive(f) && f.verdict === 'fail' && f.baseline !== 'existing' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn],
  );
}
