/**
 * A summary of the access a principal's policies grant in a scope (some services or actions),
 * worked out from each policy's own answer instead of building the whole answer per principal.
 *
 * When no statement can take an Allow back (no Deny naming anything in scope, no permissions
 * boundary), what the policies grant together is the union of what each grants alone: an action is
 * granted when some policy grants it, unconditionally when some policy does, and the statements that
 * grant it are each policy's, in policy order. Each policy's answer is the engine's own
 * (`effectiveAccess` of that policy alone, which the engine keeps per document), so a principal
 * costs a walk over a few sorted arrays instead of one object per granted action: hundreds per
 * principal when its policies name `sagemaker:*` or a NotAction, thousands of principals per account.
 */
import type { ActionCatalog } from './actions.js';
import { effectiveAccess, questionKey, scopedStatements, type EffectiveAccess, type EffectiveAccessOptions, type GrantingStatement } from './analyze.js';
import type { NormalizedPolicy } from './document.js';
import type { NamedPolicy } from './evaluate.js';

export interface AccessSummary {
  /** How many actions are granted. */
  actionCount: number;
  /** The first `limit` granted action ids, in catalog order (the order of `effectiveAccess(...).actions`). */
  firstActions: string[];
  /**
   * The granting statements without repeats (same policy id and index), in the order the granted
   * actions first name them: `uniqueStatements(effectiveAccess(...).actions.flatMap((a) => a.statements))`.
   */
  statements: GrantingStatement[];
  /** Every granted action is granted only under a condition. */
  conditional: boolean;
  /** The lowercase service prefixes (`bedrock`) of the granted actions. */
  services: ReadonlySet<string>;
}

/**
 * One document's answer, as the union needs it. Kept per document and question (the engine's
 * answer for the document alone, reduced to this part), not per named policy: a managed policy held
 * through a thousand groups is a thousand named policies (`group g: ...`) and one document.
 */
interface DocumentPart {
  /** Catalog positions of the granted actions, ascending. */
  ordinals: Int32Array;
  ids: readonly string[];
  /** Its granting statements without repeats, in first-mention order, with the position of the action that first names each. */
  statements: readonly { index: number; sid: string | undefined; first: number }[];
  conditional: boolean;
  services: ReadonlySet<string>;
}

/** A document's part with the statements as the named policy's granting statements. */
interface PolicyPart extends Omit<DocumentPart, 'statements'> {
  statements: readonly { ref: GrantingStatement; first: number }[];
}

/** Per document, its part per question (questionKey); null when it grants nothing in scope. */
const documentParts = new WeakMap<NormalizedPolicy, Map<string, DocumentPart | null>>();
const policyParts = new WeakMap<NamedPolicy, { part: DocumentPart; named: PolicyPart }[]>();

/**
 * The summary of `effectiveAccess(policies, options)`, or undefined when a Deny statement naming
 * something in scope or a permissions boundary could take back part of the union (ask the engine
 * for the whole answer then).
 */
export function summarizeAccess(
  policies: readonly NamedPolicy[],
  options: Pick<EffectiveAccessOptions, 'catalog' | 'services' | 'actions' | 'resource' | 'boundary'>,
  limit: number,
): AccessSummary | undefined {
  if (options.boundary) return undefined;
  for (const policy of policies) {
    if (scopedStatements(policy.policy, options).some((statement) => statement.effect === 'Deny')) return undefined;
  }
  const granting: PolicyPart[] = [];
  for (const policy of policies) {
    const part = documentPart(policy.policy, options);
    if (part) granting.push(policyPart(policy, part));
  }
  return union(granting, options.catalog, limit);
}

/** The document's own answer (undefined when it grants nothing in scope). */
function documentPart(document: NormalizedPolicy, options: Pick<EffectiveAccessOptions, 'catalog' | 'services' | 'actions' | 'resource'>): DocumentPart | undefined {
  const key = questionKey(options);
  if (key === undefined) return partOfDocument(document, options) ?? undefined;
  let parts = documentParts.get(document);
  if (!parts) documentParts.set(document, (parts = new Map()));
  let part = parts.get(key);
  if (part === undefined) parts.set(key, (part = partOfDocument(document, options)));
  return part ?? undefined;
}

/**
 * The engine's answer for the document alone, made compact. Asked under a fresh name, so that the
 * engine's own cached answer (an object per granted action: hundreds for a document that names
 * `sagemaker:*`) goes as soon as the part exists; only the part is kept for the scan, which was
 * a sixth of a 100k-resource scan's memory otherwise.
 */
function partOfDocument(document: NormalizedPolicy, options: Pick<EffectiveAccessOptions, 'catalog' | 'services' | 'actions' | 'resource'>): DocumentPart | null {
  const access = effectiveAccess([{ id: '', policy: document }], options);
  return access.actions.length ? partOf(access, options.catalog) : null;
}

/** The part with its statements named as the engine names them for this policy. */
function policyPart(policy: NamedPolicy, part: DocumentPart): PolicyPart {
  let known = policyParts.get(policy);
  const hit = known?.find((k) => k.part === part);
  if (hit) return hit.named;
  const named: PolicyPart = {
    ...part,
    statements: part.statements.map(({ index, sid, first }) => {
      // The engine's shape, key order included: policyId, index, then sid when there is one.
      const ref: GrantingStatement = { policyId: policy.id, index };
      if (sid !== undefined) ref.sid = sid;
      return { ref, first };
    }),
  };
  if (!known) policyParts.set(policy, (known = []));
  known.push({ part, named });
  return named;
}

/**
 * Per catalog, each granted action id (as the engine spells it) with its catalog position and
 * lowercase service prefix: thousands of documents name the same few hundred actions.
 */
const actionPlaces = new WeakMap<ActionCatalog, Map<string, { ordinal: number; service: string }>>();

function placeOf(catalog: ActionCatalog, places: Map<string, { ordinal: number; service: string }>, id: string): { ordinal: number; service: string } {
  let place = places.get(id);
  if (place) return place;
  const catalogAction = catalog.get(id);
  const ordinal = catalogAction ? catalog.sorted().ordinals.get(catalogAction) : undefined;
  if (ordinal === undefined) throw new Error(`internal: ${id} is not in the action catalog`);
  const lower = id.toLowerCase();
  places.set(id, (place = { ordinal, service: lower.slice(0, lower.indexOf(':')) }));
  return place;
}

function partOf(access: EffectiveAccess, catalog: ActionCatalog): DocumentPart {
  let places = actionPlaces.get(catalog);
  if (!places) actionPlaces.set(catalog, (places = new Map()));
  const ordinals = new Int32Array(access.actions.length);
  const statements: { index: number; sid: string | undefined; first: number }[] = [];
  const seen = new Set<number>();
  const lists = new Set<readonly GrantingStatement[]>();
  const services = new Set<string>();
  let conditional = true;
  access.actions.forEach((action, i) => {
    const { ordinal, service } = placeOf(catalog, places, action.action);
    ordinals[i] = ordinal;
    if (!action.conditional) conditional = false;
    services.add(service);
    // Actions granted by the same statements share one list: each list is read once.
    if (lists.has(action.statements)) return;
    lists.add(action.statements);
    for (const ref of action.statements) {
      if (seen.has(ref.index)) continue;
      seen.add(ref.index);
      statements.push({ index: ref.index, sid: ref.sid, first: ordinal });
    }
  });
  return { ordinals, ids: access.actions.map((a) => a.action), statements, conditional, services };
}

/** Per catalog, a mark per action for counting a union (entries are reset after each use). */
const marksByCatalog = new WeakMap<ActionCatalog, Uint8Array>();

function union(granting: PolicyPart[], catalog: ActionCatalog, limit: number): AccessSummary {
  const empty: AccessSummary = { actionCount: 0, firstActions: [], statements: [], conditional: true, services: new Set() };
  if (granting.length === 0) return empty;
  if (granting.length === 1) {
    const only = granting[0]!;
    return {
      actionCount: only.ordinals.length,
      firstActions: only.ids.slice(0, limit),
      statements: only.statements.map((s) => s.ref),
      conditional: only.conditional,
      services: only.services,
    };
  }
  const size = catalog.sorted().actions.length;
  let marks = marksByCatalog.get(catalog);
  if (!marks || marks.length !== size) marksByCatalog.set(catalog, (marks = new Uint8Array(size)));
  let actionCount = 0;
  for (const part of granting) {
    for (const o of part.ordinals) {
      if (!marks[o]) {
        marks[o] = 1;
        actionCount++;
      }
    }
  }
  for (const part of granting) for (const o of part.ordinals) marks[o] = 0;
  // The first actions of the union are among the first `limit` of each part.
  const first = new Map<number, string>();
  for (const part of granting) {
    const n = Math.min(limit, part.ordinals.length);
    for (let i = 0; i < n; i++) first.set(part.ordinals[i]!, part.ids[i]!);
  }
  const firstActions = [...first.keys()]
    .sort((a, b) => a - b)
    .slice(0, limit)
    .map((o) => first.get(o)!);
  // A statement first appears with the first action it grants; at the same action, in policy
  // order, then in its policy's order (the engine's order of granting statements).
  const ordered = granting
    .flatMap((part, p) => part.statements.map((s, i) => ({ ...s, p, i })))
    .sort((a, b) => a.first - b.first || a.p - b.p || a.i - b.i);
  const seen = new Set<string>();
  const statements: GrantingStatement[] = [];
  for (const { ref } of ordered) {
    const key = `${ref.policyId}\u0000${ref.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    statements.push(ref);
  }
  const services = new Set<string>();
  for (const part of granting) for (const s of part.services) services.add(s);
  return { actionCount, firstActions, statements, conditional: granting.every((part) => part.conditional), services };
}
