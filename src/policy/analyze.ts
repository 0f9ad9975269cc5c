/**
 * Analyses that rules and `aigis policy check` call: effective access of a principal on a
 * resource pattern, public / cross-account exposure of resource and trust policies, the
 * confused-deputy check of service trust, and the TLS-only check of a bucket policy.
 *
 * Everything here reads the catalog for actions (never the text of a pattern), so `s3:Get*` is
 * Read and List access, not write access, and a NotAction leaves exactly what it leaves.
 */
import {
  accessLevelsOf,
  compileActionPatterns,
  primaryAccessLevel,
  type AccessLevel,
  type ActionCatalog,
  type CatalogAction,
  type SimpleAccessLevel,
} from './actions.js';
import { accountOf, arnMatches, parseArn, patternCovers, patternsIntersect } from './arn.js';
import { isUniversalRange, parseOperator } from './conditions.js';
import type { NormalizedPolicy, NormalizedPrincipal, NormalizedStatement } from './document.js';
import { evaluateRequest, type NamedPolicy, type RequestPrincipal } from './evaluate.js';
import { CandidateFinder, CoverChecker, PAIRWISE_BUDGET, PrefixIndex, WorkBudget } from './pairwise.js';

// ----------------------------------------------------------------- effective access

export interface GrantingStatement {
  policyId: string;
  index: number;
  sid?: string;
}

export interface GrantedAction {
  action: string;
  accessLevel: AccessLevel;
  level: SimpleAccessLevel;
  /** Every granting statement has a Condition (or depends on one): access only in some contexts. */
  conditional: boolean;
  /** The grants cover only part of the resource pattern asked about. */
  partial: boolean;
  /** A conditional or partial Deny also names the action. */
  limitedByDeny: boolean;
  /** Resource patterns of the granting statements (`*` for NotResource grants). */
  resources: string[];
  statements: GrantingStatement[];
}

export interface EffectiveAccess {
  actions: GrantedAction[];
  /** Action ids by primary access level. */
  byLevel: Record<SimpleAccessLevel, string[]>;
}

export interface EffectiveAccessOptions {
  catalog: ActionCatalog;
  /** Resource ARN or ARN pattern the question is about (default `*`: anything). */
  resource?: string;
  /** Only these services (lowercase keys), for speed and focus. */
  services?: string[];
  /** Permissions boundary: an action must also be allowed here (absent: no boundary). */
  boundary?: NamedPolicy[];
  /**
   * Only these actions (`iam:PassRole`...): for questions about a handful of actions this avoids
   * expanding `*` or a NotAction over whole services for every principal (the hot path of the
   * IAM rules on large accounts).
   */
  actions?: readonly string[];
}

const targetCache = new WeakMap<ActionCatalog, Map<string, Int32Array>>();

/** Catalog positions of the named actions (unknown names are ignored), cached per list. */
const targetsByList = new WeakMap<readonly string[], Int32Array>();

function targetOrdinals(catalog: ActionCatalog, actions: readonly string[]): Int32Array {
  // Callers pass the same constant list for every principal: find it by identity first.
  const known = targetsByList.get(actions);
  if (known) return known;
  const resolved = resolveTargetOrdinals(catalog, actions);
  targetsByList.set(actions, resolved);
  return resolved;
}

function resolveTargetOrdinals(catalog: ActionCatalog, actions: readonly string[]): Int32Array {
  let cache = targetCache.get(catalog);
  if (!cache) targetCache.set(catalog, (cache = new Map()));
  const key = actions.map((a) => a.toLowerCase()).join('\u0000');
  let hit = cache.get(key);
  if (!hit) {
    const { ordinals } = catalog.sorted();
    const found = actions.flatMap((a) => {
      const action = catalog.get(a);
      return action ? [ordinals.get(action)!] : [];
    });
    hit = Int32Array.from(new Set(found)).sort();
    cache.set(key, hit);
  }
  return hit;
}

const candidatesByTargets = new WeakMap<Int32Array, { byList: WeakMap<readonly string[], number[]>; byContent: Map<string, number[]> }>();

/**
 * The target actions a statement's Action/NotAction names, cached per action list (by identity,
 * then by content): thousands of principals repeat the same few lists.
 */
function targetedCandidates(statement: NormalizedStatement, catalog: ActionCatalog, targets: Int32Array): number[] {
  const patterns = statement.action ?? statement.notAction;
  if (!patterns) return [];
  let caches = candidatesByTargets.get(targets);
  if (!caches) candidatesByTargets.set(targets, (caches = { byList: new WeakMap(), byContent: new Map() }));
  let hit = caches.byList.get(patterns);
  if (hit) return hit;
  const key = `${statement.action ? 'A' : 'N'}\u0000${patterns.join('\u0000')}`;
  hit = caches.byContent.get(key);
  if (!hit) {
    hit = computeTargetedCandidates(statement, catalog, targets);
    if (caches.byContent.size > 50_000) caches.byContent.clear();
    caches.byContent.set(key, hit);
  }
  caches.byList.set(patterns, hit);
  return hit;
}

function computeTargetedCandidates(statement: NormalizedStatement, catalog: ActionCatalog, targets: Int32Array): number[] {
  const { actions } = catalog.sorted();
  const out: number[] = [];
  if (statement.action) {
    const names = compileActionPatterns(statement.action);
    for (const o of targets) if (names(actions[o]!.id)) out.push(o);
  } else if (statement.notAction) {
    const excluded = compileActionPatterns(statement.notAction);
    for (const o of targets) if (!excluded(actions[o]!.id)) out.push(o);
  }
  return out;
}

/** How a statement's Resource/NotResource relates to the resource asked about. */
function statementResourceRelation(statement: NormalizedStatement, query: string): ResourceRelation {
  return query === '*' ? relationToAnything(statement) : computeResourceRelation(statement, query);
}

type ResourceRelation = 'none' | 'partial' | 'full';

/**
 * computeResourceRelation for the question about any resource (`*`, every principal-wide
 * question), without glob matching: only a pattern of nothing but `*` covers `*`, and `*`
 * meets every pattern.
 */
function relationToAnything(statement: NormalizedStatement): ResourceRelation {
  if (statement.resource) return anyAllStars(statement.resource) ? 'full' : statement.resource.length ? 'partial' : 'none';
  if (statement.notResource) return anyAllStars(statement.notResource) ? 'none' : statement.notResource.length ? 'partial' : 'full';
  return 'full';
}

function anyAllStars(patterns: readonly string[]): boolean {
  for (let p = 0; p < patterns.length; p++) {
    const pattern = patterns[p]!;
    if (pattern === '*') return true;
    // Rare beyond `*` itself (`**`): only patterns starting with a star need the scan.
    if (pattern.charCodeAt(0) !== 42) continue;
    let i = 1;
    while (i < pattern.length && pattern.charCodeAt(i) === 42) i++;
    if (i === pattern.length) return true;
  }
  return false;
}

function computeResourceRelation(statement: NormalizedStatement, query: string): ResourceRelation {
  if (statement.resource) {
    let best: ResourceRelation = 'none';
    for (const pattern of statement.resource) {
      if (pattern === '*' || patternCovers(pattern, query)) return 'full';
      if (query === '*' || patternsIntersect(pattern, query) || (!query.includes('*') && arnMatches(pattern, query))) best = 'partial';
    }
    return best;
  }
  if (statement.notResource) {
    if (statement.notResource.some((p) => patternCovers(p, query))) return 'none';
    return statement.notResource.some((p) => patternsIntersect(p, query)) ? 'partial' : 'full';
  }
  return 'full';
}

const scopedCache = new WeakMap<ActionCatalog, Map<string, Int32Array>>();

/** `expandOrdinals` restricted to some services, cached per (services, pattern). */
function scopedOrdinals(catalog: ActionCatalog, pattern: string, services: Set<string> | undefined, servicesKey: string): Int32Array {
  const all = catalog.expandOrdinals(pattern);
  if (!services) return all;
  let cache = scopedCache.get(catalog);
  if (!cache) scopedCache.set(catalog, (cache = new Map()));
  const key = `${servicesKey}\u0000${pattern.toLowerCase()}`;
  let hit = cache.get(key);
  if (!hit) {
    const { actions } = catalog.sorted();
    hit = all.filter((o) => services.has(actions[o]!.service));
    if (cache.size > 20_000) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}

/** The catalog positions (see ActionCatalog.sorted) of the actions a statement's Action/NotAction names. */
function candidateOrdinals(statement: NormalizedStatement, catalog: ActionCatalog, services: Set<string> | undefined, servicesKey: string): ArrayLike<number> {
  if (statement.action) {
    if (statement.action.length === 1) return scopedOrdinals(catalog, statement.action[0]!, services, servicesKey);
    const seen = new Set<number>();
    for (const pattern of statement.action) for (const o of scopedOrdinals(catalog, pattern, services, servicesKey)) seen.add(o);
    return [...seen];
  }
  if (statement.notAction) {
    // Per NotAction list (statements share interned lists) and catalog and service scope: the
    // answer walks every action of the catalog, and the same few lists come back for every role.
    let byScope = notActionOrdinals.get(statement.notAction);
    const scopeKey = servicesKey;
    const known = byScope?.get(scopeKey);
    if (known && known.catalog === catalog) return known.ordinals;
    const { actions, ordinals } = catalog.sorted();
    const excluded = compileActionPatterns(statement.notAction);
    const out: number[] = [];
    if (services) {
      for (const service of services) for (const a of catalog.actionsOf(service)) if (!excluded(a.id)) out.push(ordinals.get(a)!);
    } else {
      for (let o = 0; o < actions.length; o++) if (!excluded(actions[o]!.id)) out.push(o);
    }
    if (!byScope) notActionOrdinals.set(statement.notAction, (byScope = new Map()));
    byScope.set(scopeKey, { catalog, ordinals: out });
    return out;
  }
  return [];
}

/** candidateOrdinals of NotAction lists, by list identity, then service scope. */
const notActionOrdinals = new WeakMap<readonly string[], Map<string, { catalog: ActionCatalog; ordinals: readonly number[] }>>();

interface Scratch {
  granted: Uint8Array;
  unconditional: Uint8Array;
  full: Uint8Array;
  limited: Uint8Array;
  firstGrant: Int32Array;
  moreGrants: (string | undefined)[];
}

const scratchByCatalog = new WeakMap<ActionCatalog, Scratch>();

/** Per-action working arrays, reused across calls (entries are reset after each use). */
function scratchFor(catalog: ActionCatalog, n: number): Scratch {
  let scratch = scratchByCatalog.get(catalog);
  if (!scratch || scratch.granted.length !== n) {
    scratch = {
      granted: new Uint8Array(n),
      unconditional: new Uint8Array(n),
      full: new Uint8Array(n),
      limited: new Uint8Array(n),
      firstGrant: new Int32Array(n),
      moreGrants: new Array<string | undefined>(n),
    };
    scratchByCatalog.set(catalog, scratch);
  }
  return scratch;
}

const ANY_RESOURCE: readonly string[] = Object.freeze(['*']);

function hasCondition(statement: NormalizedStatement): boolean {
  return Object.keys(statement.condition).length > 0;
}

function numeric(a: number, b: number): number {
  return a - b;
}

/** The result, with the by-level view built only when asked for (rules read `actions` alone). */
class Access implements EffectiveAccess {
  private levels: Record<SimpleAccessLevel, string[]> | undefined;

  constructor(readonly actions: GrantedAction[]) {}

  get byLevel(): Record<SimpleAccessLevel, string[]> {
    if (!this.levels) {
      const byLevel: Record<SimpleAccessLevel, string[]> = { List: [], Read: [], Write: [], 'Permissions management': [], Tagging: [] };
      for (const a of this.actions) byLevel[a.level].push(a.action);
      this.levels = byLevel;
    }
    return this.levels;
  }

  toJSON(): { actions: GrantedAction[]; byLevel: Record<SimpleAccessLevel, string[]> } {
    return { actions: this.actions, byLevel: this.byLevel };
  }
}

/**
 * Answers to scoped questions (some actions, or some services), by the policies that take part:
 * only documents with a statement naming an action in scope can change the answer, and thousands
 * of principals hold the same few such documents (managed and group policies) beside inline ones
 * that name nothing in scope. Several IAM rules also ask the same question about the same
 * principal in one scan (the escalation paths and iam:PassRole). Keyed by the identities of the
 * policies that take part (first one: WeakMap, so answers go with the scan's documents), of the
 * catalog, scope and boundary documents, and by the resource. Answers are never changed once given.
 */
const scopedAnswers = new WeakMap<NamedPolicy, Map<string, EffectiveAccess>>();

/** Small integer ids for objects that make up answer keys. */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

function objectId(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) objectIds.set(value, (id = nextObjectId++));
  return id;
}

const NO_ACCESS: EffectiveAccess = new Access(Object.freeze([]) as unknown as GrantedAction[]);

/** Which actions (by access level) the identity policies grant on `resource`, after Deny and NotAction. */
export function effectiveAccess(policies: readonly NamedPolicy[], options: EffectiveAccessOptions): EffectiveAccess {
  const { scope, candidatesOf } = questionScope(options);
  if (scope === undefined) return computeEffectiveAccess(policies, options);
  let taking: NamedPolicy[] | undefined;
  let allows = false;
  let key = '';
  for (const named of policies) {
    const statements = statementsNaming(named.policy, options.catalog, scope, candidatesOf);
    if (!statements.length) continue;
    (taking ??= []).push(named);
    if (!allows) allows = statements.some((st) => st.effect !== 'Deny');
    if (taking.length > 1) key += `,${objectId(named)}`;
  }
  // Nothing in scope is allowed: Deny statements and a boundary cannot add any.
  if (!taking || !allows) return NO_ACCESS;
  const boundary = options.boundary?.map((b) => `${objectId(b.policy)}\u0001${b.id}`).join('\u0002') ?? '';
  key = `${objectId(options.catalog)}|${typeof scope === 'string' ? `s${scope}` : `t${objectId(scope)}`}|${options.resource ?? '*'}|${boundary}|${key}`;
  let answers = scopedAnswers.get(taking[0]!);
  if (!answers) scopedAnswers.set(taking[0]!, (answers = new Map()));
  let access = answers.get(key);
  if (!access) {
    access = computeEffectiveAccess(taking, options);
    answers.set(key, access);
  }
  return access;
}

/**
 * The statements of a policy that can take part in the answer to a question: for a scoped one
 * (some actions or services), those naming something in scope; otherwise all of them.
 */
export function scopedStatements(policy: NormalizedPolicy, options: Pick<EffectiveAccessOptions, 'catalog' | 'services' | 'actions'>): readonly NormalizedStatement[] {
  const { scope, candidatesOf } = questionScope(options);
  return scope === undefined ? policy.statements : statementsNaming(policy, options.catalog, scope, candidatesOf);
}

/** What a question is scoped to (the target actions, or a service key) and how a statement's candidates are found. */
interface QuestionScope {
  catalog: ActionCatalog;
  scope: Int32Array | string | undefined;
  candidatesOf: (statement: NormalizedStatement) => ArrayLike<number>;
}

/**
 * Scopes per action or service list (by identity: rules ask with the same constant list for every
 * principal), then catalog; unscoped questions per catalog.
 */
const scopesByList = new WeakMap<readonly string[], QuestionScope[]>();
const unscopedByCatalog = new WeakMap<ActionCatalog, QuestionScope>();

/**
 * A name for the question `options` asks (catalog, scope of actions or services, resource): the
 * same policies asked questions with equal keys get equal answers. Undefined for a question about
 * every action, which nothing caches.
 */
export function questionKey(options: Pick<EffectiveAccessOptions, 'catalog' | 'services' | 'actions' | 'resource'>): string | undefined {
  const { scope } = questionScope(options);
  if (scope === undefined) return undefined;
  return `${objectId(options.catalog)}|${typeof scope === 'string' ? `s${scope}` : `t${objectId(scope)}`}|${options.resource ?? '*'}`;
}

function questionScope(options: Pick<EffectiveAccessOptions, 'catalog' | 'services' | 'actions'>): QuestionScope {
  const list = options.actions ?? options.services;
  const known = list ? scopesByList.get(list)?.find((q) => q.catalog === options.catalog) : unscopedByCatalog.get(options.catalog);
  if (known) return known;
  const question = buildQuestionScope(options);
  if (!list) unscopedByCatalog.set(options.catalog, question);
  else {
    const scopes = scopesByList.get(list);
    if (scopes) scopes.push(question);
    else scopesByList.set(list, [question]);
  }
  return question;
}

function buildQuestionScope(options: Pick<EffectiveAccessOptions, 'catalog' | 'services' | 'actions'>): QuestionScope {
  const { catalog } = options;
  const targets = options.actions ? targetOrdinals(catalog, options.actions) : undefined;
  if (targets) return { catalog, scope: targets, candidatesOf: (statement) => targetedCandidates(statement, catalog, targets) };
  const services = options.services ? new Set(options.services.map((s) => s.toLowerCase())) : undefined;
  const servicesKey = services ? [...services].sort().join(',') : '';
  return { catalog, scope: services ? servicesKey : undefined, candidatesOf: (statement) => candidateOrdinals(statement, catalog, services, servicesKey) };
}

function computeEffectiveAccess(policies: readonly NamedPolicy[], options: EffectiveAccessOptions): EffectiveAccess {
  const query = options.resource ?? '*';
  const { scope, candidatesOf } = questionScope(options);
  const { actions: sorted } = options.catalog.sorted();
  // The boundary first: it reuses the same scratch arrays.
  let boundary: Map<string, GrantedAction> | undefined;
  if (options.boundary) {
    const b = effectiveAccess(options.boundary, { ...options, boundary: undefined });
    boundary = new Map(b.actions.map((a) => [a.action, a]));
  }
  // Flat per-action state indexed by catalog position: a role granted "*" touches ~22,000 actions,
  // so objects are only built once, for the actions that survive, and share their evidence arrays.
  // Which allow statements grant an action: the first one, and the others as text when there are several.
  const { granted, unconditional, full, limited, firstGrant, moreGrants } = scratchFor(options.catalog, sorted.length);
  // A question about some actions or services: only the statements that name one of them can
  // grant or deny anything, and which those are is a property of the document (kept per question).
  const touched: number[] = [];
  const allows: { ref: GrantingStatement; resources: readonly string[] }[] = [];
  const denies: NormalizedStatement[] = [];
  for (const { id, policy } of policies) {
    const statements = scope === undefined ? policy.statements : statementsNaming(policy, options.catalog, scope, candidatesOf);
    for (const statement of statements) {
      if (statement.effect === 'Deny') {
        denies.push(statement);
        continue;
      }
      const relation = statementResourceRelation(statement, query);
      if (relation === 'none') continue;
      // Targeted questions (a few actions) skip most statements here, before building any evidence.
      const candidates = candidatesOf(statement);
      if (candidates.length === 0) continue;
      const k = allows.length;
      const ref: GrantingStatement = { policyId: id, index: statement.index };
      if (statement.sid !== undefined) ref.sid = statement.sid;
      allows.push({ ref, resources: statement.resource ?? ANY_RESOURCE });
      const isUnconditional = !hasCondition(statement);
      const isFull = relation === 'full';
      for (let c = 0; c < candidates.length; c++) {
        const o = candidates[c]!;
        if (!granted[o]) {
          granted[o] = 1;
          touched.push(o);
          firstGrant[o] = k;
        } else {
          moreGrants[o] = `${moreGrants[o] ?? ''},${k}`;
        }
        if (isUnconditional) unconditional[o] = 1;
        if (isFull) full[o] = 1;
      }
    }
  }
  for (const deny of denies) {
    const relation = statementResourceRelation(deny, query);
    if (relation === 'none') continue;
    const removes = relation === 'full' && !hasCondition(deny);
    const named = candidatesOf(deny);
    for (let c = 0; c < named.length; c++) {
      const o = named[c]!;
      if (!granted[o]) continue;
      if (removes) granted[o] = 0;
      else limited[o] = 1;
    }
  }
  let evidence: Map<string, { statements: GrantingStatement[]; resources: string[] }> | undefined;
  if (touched.length > 1) touched.sort(numeric);
  const actions: GrantedAction[] = [];
  for (const o of touched) {
    if (!granted[o]) continue;
    const action = sorted[o]!;
    const b = boundary?.get(action.id);
    if (boundary && !b) continue;
    const sig = `${firstGrant[o]}${moreGrants[o] ?? ''}`;
    evidence ??= new Map();
    let shared = evidence.get(sig);
    if (!shared) {
      const picked = sig.split(',').map((k) => allows[Number(k)]!);
      shared = { statements: picked.map((p) => p.ref), resources: [...new Set(picked.flatMap((p) => p.resources))] };
      evidence.set(sig, shared);
    }
    actions.push({
      action: action.id,
      accessLevel: action.accessLevel,
      level: primaryAccessLevel(action.accessLevel),
      conditional: !unconditional[o] || (b?.conditional ?? false),
      partial: !full[o] || (b?.partial ?? false),
      limitedByDeny: limited[o] === 1 || (b?.limitedByDeny ?? false),
      resources: shared.resources,
      statements: shared.statements,
    });
  }
  for (const o of touched) {
    granted[o] = 0;
    unconditional[o] = 0;
    full[o] = 0;
    limited[o] = 0;
    moreGrants[o] = undefined;
  }
  return new Access(actions);
}

/**
 * The statements of a policy that name at least one action of a scoped question (a target action
 * list, or a service scope key), in document order. Statements naming none grant and deny nothing
 * in the answer, so leaving them out changes nothing; thousands of principals share the documents.
 */
const namingStatements = new WeakMap<NormalizedPolicy, { catalog: ActionCatalog; scope: Int32Array | string; kept: readonly NormalizedStatement[] }[]>();

function statementsNaming(
  policy: NormalizedPolicy,
  catalog: ActionCatalog,
  scope: Int32Array | string,
  candidatesOf: (statement: NormalizedStatement) => ArrayLike<number>,
): readonly NormalizedStatement[] {
  // A document is asked about a few scopes at most: a short list beats a map per document.
  const entries = namingStatements.get(policy);
  if (entries) {
    for (const entry of entries) if (entry.scope === scope && entry.catalog === catalog) return entry.kept;
  }
  const kept = policy.statements.filter((statement) => candidatesOf(statement).length > 0);
  if (entries) entries.push({ catalog, scope, kept });
  else namingStatements.set(policy, [{ catalog, scope, kept }]);
  return kept;
}

/** Does the access include any action at one of these levels (combined catalog levels count for each part)? */
export function hasAccessAt(access: EffectiveAccess, levels: readonly SimpleAccessLevel[]): GrantedAction[] {
  return access.actions.filter((a) => accessLevelsOf(a.accessLevel).some((l) => levels.includes(l)));
}

// ----------------------------------------------------------------- exposure

/** Condition keys whose positive use ties a statement to known principals, networks or sources. */
const ACCOUNT_KEYS = new Set(['aws:principalaccount', 'aws:sourceaccount', 'aws:sourceowner', 'kms:calleraccount', 'aws:resourceaccount']);
const ARN_KEYS = new Set(['aws:principalarn', 'aws:sourcearn']);
const ORG_KEYS = new Set(['aws:principalorgid', 'aws:principalorgpaths', 'aws:sourceorgid', 'aws:sourceorgpaths']);
const NETWORK_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceip', 'aws:vpcsourceip']);
const IDENTITY_KEYS = new Set(['aws:userid', 'aws:username', 'aws:principalservicename', 'aws:principalservicenameslist']);

export type RestrictionKind = 'account' | 'organization' | 'network' | 'identity';

export interface Restriction {
  kind: RestrictionKind;
  key: string;
  values: string[];
  /** Accounts named by the restriction (account keys, or the account segment of ARN keys). */
  accounts: string[];
}

function restrictingKind(key: string): RestrictionKind | undefined {
  const k = key.toLowerCase();
  if (ACCOUNT_KEYS.has(k) || ARN_KEYS.has(k)) return 'account';
  if (ORG_KEYS.has(k)) return 'organization';
  if (NETWORK_KEYS.has(k)) return 'network';
  if (IDENTITY_KEYS.has(k)) return 'identity';
  return undefined;
}

function accountsIn(key: string, values: string[]): string[] | 'any' {
  const k = key.toLowerCase();
  const out: string[] = [];
  for (const v of values) {
    if (ACCOUNT_KEYS.has(k)) {
      if (/^\d{12}$/.test(v)) out.push(v);
      else return 'any';
    } else if (ARN_KEYS.has(k)) {
      const arn = parseArn(v);
      if (!arn) return 'any';
      if (/^\d{12}$/.test(arn.account)) out.push(arn.account);
      // An S3 ARN has no account; it still pins the source to one named resource.
      else if (arn.account !== '' || arn.resource.startsWith('*')) return 'any';
    }
  }
  return out;
}

/** A value list that lets anything through (`*`, `0.0.0.0/0`). */
function universal(key: string, values: string[]): boolean {
  return values.some((v) => v === '*' || v === '' || (key.toLowerCase().endsWith('sourceip') && isUniversalRange(v)));
}

/**
 * The restrictions a condition block places on who can use a statement: positive operators on
 * restricting keys, not `IfExists` and not `ForAllValues` (both hold when the key is absent,
 * e.g. for anonymous callers).
 */
export function conditionRestrictions(condition: NormalizedStatement['condition'], mode: 'allow' | 'deny'): Restriction[] | undefined {
  const out: Restriction[] = [];
  for (const [operator, keys] of Object.entries(condition)) {
    const op = parseOperator(operator);
    for (const [key, values] of Object.entries(keys)) {
      const kind = restrictingKind(key);
      if (!op || !kind) {
        if (mode === 'deny') return undefined;
        continue;
      }
      const usable =
        mode === 'allow'
          ? !op.negated && !op.ifExists && op.qualifier !== 'ForAllValues' && op.family !== 'null'
          : op.negated && op.qualifier !== 'ForAnyValue';
      if (!usable || universal(key, values)) {
        if (mode === 'deny') return undefined;
        continue;
      }
      const accounts = accountsIn(key, values);
      if (accounts === 'any' && kind === 'account') {
        if (mode === 'deny') return undefined;
        continue;
      }
      out.push({ kind, key, values, accounts: accounts === 'any' ? [] : accounts });
    }
  }
  return out;
}

export type Exposure = 'public' | 'cross-account' | 'private';

export interface ExposedStatement {
  index: number;
  sid?: string;
  /** Why: `Principal "*" without a restricting condition`, `account 444455556666`. */
  reason: string;
  actions: string[];
  accounts: string[];
  restrictions: Restriction[];
  /**
   * The policy has so many outsider Denies and `*` Allows that comparing them ran out of budget
   * (pairwise.ts) before this statement was settled: the entry is the answer without the Denies.
   */
  undecided?: true;
}

export interface ExposureResult {
  exposure: Exposure;
  /** External accounts granted access (sorted). */
  externalAccounts: string[];
  /** Statements granting public or external access. */
  statements: ExposedStatement[];
  /** `*` statements that conditions restrict (evidence for a pass). */
  restricted: ExposedStatement[];
}

const WEB_IDENTITY_PROVIDERS = new Set(['cognito-identity.amazonaws.com', 'www.amazon.com', 'graph.facebook.com', 'accounts.google.com', 'appleid.apple.com']);

/** The provider host of a Federated principal that uses web identity (OIDC), else undefined (SAML). */
function webIdentityHost(federated: string): string | undefined {
  if (WEB_IDENTITY_PROVIDERS.has(federated)) return federated;
  const m = /^arn:[^:]+:iam::\d{12}:oidc-provider\/(.+)$/.exec(federated);
  return m?.[1];
}

/** Does a web-identity statement pin the token's audience/subject (`host:aud`, `host:sub`, ...)? */
function pinsWebIdentity(statement: NormalizedStatement, host: string): boolean {
  const needsSubject = host === 'token.actions.githubusercontent.com' || host.includes('gitlab') || host === 'app.terraform.io';
  for (const [operator, keys] of Object.entries(statement.condition)) {
    const op = parseOperator(operator);
    if (!op || op.negated || op.ifExists || op.family === 'null') continue;
    for (const [key, values] of Object.entries(keys)) {
      const k = key.toLowerCase();
      if (!k.startsWith(`${host.toLowerCase()}:`) || universal(key, values)) continue;
      const claim = k.slice(host.length + 1);
      if (needsSubject ? claim === 'sub' : ['aud', 'sub', 'amr', 'oaud'].includes(claim)) return true;
    }
  }
  return false;
}

function isEveryone(p: NormalizedPrincipal | undefined): boolean {
  return !!p && (p.wildcard || p.AWS.includes('*'));
}

function actionsText(statement: NormalizedStatement): string[] {
  return statement.action ? [...statement.action] : (statement.notAction ? statement.notAction.map((a) => `NotAction ${a}`) : []);
}

/** Deny statements that shut out everyone outside their restriction (`StringNotEquals aws:PrincipalOrgID`). */
function outsiderDenies(policy: NormalizedPolicy): { statement: NormalizedStatement; restrictions: Restriction[] }[] {
  const out: { statement: NormalizedStatement; restrictions: Restriction[] }[] = [];
  for (const s of policy.statements) {
    if (s.effect !== 'Deny' || !isEveryone(s.principal)) continue;
    const restrictions = conditionRestrictions(s.condition, 'deny');
    if (restrictions && restrictions.length > 0) out.push({ statement: s, restrictions });
  }
  return out;
}

/**
 * Does the Deny name every action and resource the Allow names? undefined when the comparison
 * budget ran out before it could tell.
 */
function denyCovers(deny: NormalizedStatement, allow: NormalizedStatement, checker: CoverChecker): boolean | undefined {
  let actionsCovered: boolean | undefined;
  if (!deny.action) actionsCovered = false;
  else if (!allow.action) actionsCovered = deny.action.includes('*');
  else if (deny.action.includes('*')) actionsCovered = true;
  else actionsCovered = checker.coversAll(lowerList(deny.action), lowerList(allow.action));
  if (actionsCovered !== true) return actionsCovered;
  if (!deny.resource) return !deny.notResource;
  if (deny.resource.includes('*')) return true;
  return checker.coversAll(deny.resource, allow.resource ?? ANY_RESOURCE);
}

const lowered = new WeakMap<readonly string[], readonly string[]>();

/** An action list in lower case (IAM actions are case-insensitive), computed once per list. */
function lowerList(list: readonly string[]): readonly string[] {
  let hit = lowered.get(list);
  if (!hit) lowered.set(list, (hit = list.map((a) => a.toLowerCase())));
  return hit;
}

/**
 * The outsider Denies that cover each Allow, without comparing every pair: denies indexed by the
 * literal start of their actions and resources (pairwise.ts), each candidate checked in full
 * under one budget per policy. undefined for an Allow whose answer the budget cut short.
 */
class DenyCoverage {
  private readonly byAction: PrefixIndex | undefined;
  private readonly byResource: PrefixIndex | undefined;
  private readonly finder: CandidateFinder | undefined;
  private readonly checker: CoverChecker | undefined;

  constructor(private readonly denies: { statement: NormalizedStatement; restrictions: Restriction[] }[]) {
    // Most policies have no outsider Deny: nothing to build then.
    if (denies.length === 0) return;
    // A Deny without Action (NotAction) covers nothing; without Resource it covers every resource.
    this.byAction = new PrefixIndex(denies.length, (i) => lowerList(denies[i]!.statement.action ?? []));
    this.byResource = new PrefixIndex(denies.length, (i) => denies[i]!.statement.resource ?? (denies[i]!.statement.notResource ? [] : ANY_RESOURCE));
    this.finder = new CandidateFinder(denies.length);
    this.checker = new CoverChecker(new WorkBudget(PAIRWISE_BUDGET));
  }

  covering(allow: NormalizedStatement): { statement: NormalizedStatement; restrictions: Restriction[] }[] | undefined {
    const { byAction, byResource, finder, checker } = this;
    if (!byAction || !byResource || !finder || !checker) return [];
    const lookups = [
      ...(allow.action ? lowerList(allow.action) : ['*']).map((a) => byAction.lookup(a)),
      ...(allow.resource ?? ANY_RESOURCE).map((r) => byResource.lookup(r)),
    ];
    const out: { statement: NormalizedStatement; restrictions: Restriction[] }[] = [];
    for (const i of finder.smallest(lookups)) {
      const deny = this.denies[i]!;
      const covered = denyCovers(deny.statement, allow, checker);
      if (covered === undefined) return undefined;
      if (covered) out.push(deny);
    }
    return out;
  }
}

/**
 * Who outside `accountId` can use a resource or trust policy. `*` is public unless a condition
 * (or a Deny on outsiders) restricts it to known accounts, the organization, networks or identities;
 * named external accounts are cross-account access.
 */
export function analyzeExposure(policy: NormalizedPolicy, options: { accountId: string; kind: 'resource' | 'trust' }): ExposureResult {
  const exposed: ExposedStatement[] = [];
  const restricted: ExposedStatement[] = [];
  const denies = new DenyCoverage(outsiderDenies(policy));
  const external = new Set<string>();
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow') continue;
    const base = { index: statement.index, ...(statement.sid !== undefined ? { sid: statement.sid } : {}), actions: actionsText(statement) };
    const everyone = isEveryone(statement.principal) || statement.notPrincipal !== undefined;
    if (everyone) {
      const own = conditionRestrictions(statement.condition, 'allow') ?? [];
      const covering = denies.covering(statement);
      // An Allow the comparison budget could not settle against the Denies is marked undecided.
      const undecided: { undecided?: true } = covering === undefined ? { undecided: true } : {};
      const restrictions = [...own, ...(covering ?? []).flatMap((d) => d.restrictions)];
      if (restrictions.length === 0) {
        exposed.push({
          ...base,
          reason: statement.notPrincipal ? 'Allow with NotPrincipal grants everyone not listed' : 'Principal "*" with no condition restricting it to known accounts, the organization, networks or identities',
          accounts: [],
          restrictions: [],
          ...undecided,
        });
        continue;
      }
      // Account restrictions name the accounts that get in; other kinds keep it non-public.
      const accountRestrictions = restrictions.filter((r) => r.kind === 'account');
      const accounts =
        accountRestrictions.length > 0 && accountRestrictions.length === restrictions.length
          ? [...new Set(accountRestrictions.flatMap((r) => r.accounts))].filter((a) => a !== options.accountId)
          : [];
      const entry = { ...base, reason: `Principal "*" restricted by ${restrictions.map((r) => r.key).join(', ')}`, accounts, restrictions, ...undecided };
      if (accounts.length > 0) {
        accounts.forEach((a) => external.add(a));
        exposed.push({ ...entry, reason: `Principal "*" restricted to accounts ${accounts.join(', ')}` });
      } else {
        restricted.push(entry);
      }
      continue;
    }
    const p = statement.principal;
    if (!p) continue;
    const accounts = new Set<string>();
    for (const value of p.AWS) {
      const account = accountOf(value);
      if (account && account !== options.accountId) accounts.add(account);
    }
    if (accounts.size > 0) {
      // A condition may still narrow it, but the accounts named are granted by design.
      accounts.forEach((a) => external.add(a));
      exposed.push({ ...base, reason: `grants access to external account(s) ${[...accounts].sort().join(', ')}`, accounts: [...accounts].sort(), restrictions: [] });
    }
    if (options.kind === 'trust') {
      for (const federated of p.Federated) {
        const host = webIdentityHost(federated);
        if (host && !pinsWebIdentity(statement, host)) {
          exposed.push({
            ...base,
            reason: `web identity federation with ${host} and no condition on the token's ${host === 'token.actions.githubusercontent.com' ? 'subject (sub)' : 'audience or subject'}: anyone with a token from that provider can assume the role`,
            accounts: [],
            restrictions: [],
          });
        }
      }
    }
  }
  const isPublic = exposed.some((e) => e.accounts.length === 0);
  return {
    exposure: isPublic ? 'public' : external.size > 0 ? 'cross-account' : 'private',
    externalAccounts: [...external].sort(),
    statements: exposed,
    restricted,
  };
}

// ----------------------------------------------------------------- owning account

export interface InferredOwner {
  account: string;
  /** Where the document shows it, e.g. `Resource ARN`, `kms:CallerAccount condition`. */
  evidence: string[];
}

const TWELVE_DIGITS = /^\d{12}$/;

/** `arn:aws:iam::123456789012:root` or a bare account id: the account itself as a principal. */
function rootAccount(principal: string): string | undefined {
  if (TWELVE_DIGITS.test(principal)) return principal;
  const arn = parseArn(principal);
  return arn && arn.service === 'iam' && arn.resource === 'root' && TWELVE_DIGITS.test(arn.account) ? arn.account : undefined;
}

/** A KMS key policy: every action it names is a KMS action (or `*`), and at least one is. */
function isKeyPolicy(policy: NormalizedPolicy): boolean {
  let kms = false;
  for (const s of policy.statements) {
    for (const a of s.action ?? s.notAction ?? []) {
      if (a === '*') continue;
      if (!a.toLowerCase().startsWith('kms:')) return false;
      kms = true;
    }
  }
  return kms;
}

/**
 * The account that owns a resource or trust policy, when the document itself shows it and shows
 * no other: the account segment of its Resource ARNs (a resource policy lives in its resource's
 * account), `kms:CallerAccount` conditions (AWS's default key policy ties "everyone in the
 * account" to it), and, in a key policy, the account whose root is granted `kms:*` (every key
 * policy must give its own account full access, or the key cannot be managed). Two different
 * accounts among these, or none: undefined, and the caller cannot tell external accounts apart.
 */
export function inferOwnerAccount(policy: NormalizedPolicy): InferredOwner | undefined {
  const found = new Map<string, Set<string>>();
  const note = (account: string, evidence: string) => {
    let set = found.get(account);
    if (!set) found.set(account, (set = new Set()));
    set.add(evidence);
  };
  const keyPolicy = isKeyPolicy(policy);
  for (const s of policy.statements) {
    for (const r of [...(s.resource ?? []), ...(s.notResource ?? [])]) {
      const account = parseArn(r)?.account;
      if (account && TWELVE_DIGITS.test(account)) note(account, 'Resource ARN');
    }
    for (const [operator, keys] of Object.entries(s.condition)) {
      if (parseOperator(operator)?.family !== 'string') continue;
      for (const [key, values] of Object.entries(keys)) {
        if (key.toLowerCase() !== 'kms:calleraccount') continue;
        for (const v of values) if (TWELVE_DIGITS.test(v)) note(v, 'kms:CallerAccount condition');
      }
    }
    if (keyPolicy && s.effect === 'Allow' && s.principal && (s.action ?? []).some((a) => a === '*' || a.toLowerCase() === 'kms:*')) {
      for (const p of s.principal.AWS) {
        const account = rootAccount(p);
        if (account) note(account, 'key policy grant of kms:* to the account root');
      }
    }
  }
  if (found.size !== 1) return undefined;
  const [account, evidence] = [...found][0]!;
  return { account, evidence: [...evidence].sort() };
}

// ----------------------------------------------------------------- confused deputy

const SOURCE_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:sourceowner']);

export interface ConfusedDeputyFinding {
  index: number;
  sid?: string;
  services: string[];
}

/**
 * Trust statements that let an AWS service assume the role without pinning on whose behalf
 * (aws:SourceAccount / aws:SourceArn / aws:SourceOrgID): the cross-service confused deputy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function confusedDeputies(policy: NormalizedPolicy): ConfusedDeputyFinding[] {
  const out: ConfusedDeputyFinding[] = [];
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || !statement.principal || statement.principal.Service.length === 0) continue;
    const pinned = Object.entries(statement.condition).some(([operator, keys]) => {
      const op = parseOperator(operator);
      return !!op && !op.negated && !op.ifExists && op.family !== 'null' &&
        Object.entries(keys).some(([k, v]) => SOURCE_KEYS.has(k.toLowerCase()) && !universal(k, v));
    });
    if (!pinned) out.push({ index: statement.index, ...(statement.sid !== undefined ? { sid: statement.sid } : {}), services: [...statement.principal.Service].sort() });
  }
  return out;
}

// ----------------------------------------------------------------- TLS-only bucket policy

const ALLOW_ALL: NormalizedPolicy = {
  version: '2012-10-17',
  statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'], condition: {} }],
};

export interface TlsCheck {
  enforced: boolean;
  /** Statements that deny insecure transport for every probed request. */
  statements: number[];
  /** Probe requests that were not denied, e.g. `s3:PutObject on arn:aws:s3:::b/key`. */
  gaps: string[];
  /** Deny statements that would apply only under further conditions (the decision depends on context). */
  conditional: number[];
}

/**
 * Does the bucket policy deny every request made without TLS? Decided by evaluating probe requests
 * (reads, writes and listing, by an outside principal) with `aws:SecureTransport = false`: each must
 * come back as an explicit Deny.
 */
/** Constant probe values: the engine keeps request contexts per principal and context object. */
const TLS_PROBE_PRINCIPALS: readonly RequestPrincipal[] = [
  Object.freeze({ type: 'AWS' as const, id: 'arn:aws:iam::000000000000:role/aigis-probe', account: '000000000000' }),
  Object.freeze({ type: 'Anonymous' as const }),
];
const INSECURE_TRANSPORT = Object.freeze({ 'aws:SecureTransport': 'false' });
const PROBE_ALLOWS_EVERYTHING: NamedPolicy[] = [{ id: 'probe-allows-everything', policy: ALLOW_ALL }];

export function requiresTls(policy: NormalizedPolicy, bucketArn: string): TlsCheck {
  const probes: [string, string][] = [
    ['s3:GetObject', `${bucketArn}/aigis-probe-object`],
    ['s3:PutObject', `${bucketArn}/aigis-probe-object`],
    ['s3:DeleteObject', `${bucketArn}/aigis-probe-object`],
    ['s3:ListBucket', bucketArn],
  ];
  // Only a Deny can refuse a request without TLS: a policy with none enforces nothing, and every
  // probe is a gap (the common case, decided without running eight evaluations).
  if (!policy.statements.some((s) => s.effect === 'Deny')) {
    return { enforced: false, statements: [], gaps: probes.map(([action, resource]) => `${action} on ${resource}`), conditional: [] };
  }
  const statements = new Set<number>();
  const conditional = new Set<number>();
  const gaps: string[] = [];
  for (const [action, resource] of probes) {
    for (const principal of TLS_PROBE_PRINCIPALS) {
      // The probe principal is otherwise allowed everything, so the outcome is the bucket policy's Deny alone.
      const decision = evaluateRequest(
        { resource: [{ id: 'bucket-policy', policy }], identity: PROBE_ALLOWS_EVERYTHING },
        { principal, action, resource, context: INSECURE_TRANSPORT },
      );
      if (decision.decision === 'explicit_deny') decision.statements.forEach((s) => statements.add(s.index));
      else if (principal.type === 'AWS') {
        gaps.push(`${action} on ${resource}`);
        if (decision.decision === 'unknown') decision.statements.filter((s) => s.effect === 'Deny').forEach((s) => conditional.add(s.index));
      }
    }
  }
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return { enforced: gaps.length === 0, statements: sorted(statements), gaps, conditional: sorted(conditional) };
}
