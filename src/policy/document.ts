/**
 * IAM policy documents: parse as written, normalize into one shape.
 *
 * Normalized form: `Statement` is always an array; Action/NotAction, Resource/NotResource are
 * always string arrays; principals are split by type; condition values are string arrays
 * (IAM compares condition values as strings, so `true` and "true" are the same thing).
 * Nothing is dropped or reinterpreted: matching and evaluation live elsewhere.
 */

export type Effect = 'Allow' | 'Deny';

export interface NormalizedPrincipal {
  /** `"Principal": "*"` (or `{"AWS": "*"}`, which IAM treats the same for most purposes but we keep apart). */
  wildcard: boolean;
  AWS: string[];
  Service: string[];
  Federated: string[];
  CanonicalUser: string[];
}

/** operator (e.g. `StringEquals`, `ForAnyValue:StringLike`, `BoolIfExists`) -> condition key -> values */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface NormalizedStatement {
  /** Position in the original Statement array (0 when Statement was a single object). */
  index: number;
  sid?: string;
  effect: Effect;
  /** Shared, frozen lists: identical lists across statements are one array (see internActionList). */
  action?: readonly string[];
  notAction?: readonly string[];
  resource?: string[];
  notResource?: string[];
  principal?: NormalizedPrincipal;
  notPrincipal?: NormalizedPrincipal;
  condition: ConditionBlock;
}

export interface NormalizedPolicy {
  version?: string;
  id?: string;
  statements: NormalizedStatement[];
}

export interface PolicyDocument {
  /** The document exactly as it was given (object, or the JSON string as AWS returned it). */
  raw: unknown;
  normalized: NormalizedPolicy;
}

export interface PolicyIssue {
  message: string;
  path: (string | number)[];
}

export type NormalizeResult = { ok: true; document: PolicyDocument } | { ok: false; errors: PolicyIssue[] };

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

/** Accepts an object, a JSON string, or a URL-encoded JSON string (as IAM's Get* APIs return). */
export function normalizePolicyInput(value: unknown): NormalizeResult {
  let parsed = value;
  if (typeof value === 'string') {
    const text = value.trimStart().startsWith('%7B') || value.trimStart().startsWith('%7b') ? safeDecode(value) : value;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { ok: false, errors: [{ message: `policy is not valid JSON: ${(error as Error).message}`, path: [] }] };
    }
  }
  const result = normalizePolicy(parsed);
  if (!result.ok) return result;
  return { ok: true, document: { raw: value, normalized: result.policy } };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function normalizePolicy(
  doc: unknown,
): { ok: true; policy: NormalizedPolicy } | { ok: false; errors: PolicyIssue[] } {
  const errors: PolicyIssue[] = [];
  if (!isPlainObject(doc)) {
    return { ok: false, errors: [{ message: 'a policy must be a JSON object', path: [] }] };
  }
  const policy: NormalizedPolicy = { statements: [] };
  if (doc.Version !== undefined) {
    if (typeof doc.Version !== 'string' || !VERSIONS.has(doc.Version)) {
      errors.push({ message: `Version must be "2012-10-17" or "2008-10-17", got ${JSON.stringify(doc.Version)}`, path: ['Version'] });
    } else {
      policy.version = doc.Version;
    }
  }
  if (doc.Id !== undefined) {
    if (typeof doc.Id !== 'string') errors.push({ message: 'Id must be a string', path: ['Id'] });
    else policy.id = doc.Id;
  }
  const rawStatements = doc.Statement;
  if (rawStatements === undefined) {
    errors.push({ message: 'Statement is required', path: ['Statement'] });
    return { ok: false, errors };
  }
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  list.forEach((raw, index) => {
    const path: (string | number)[] = Array.isArray(rawStatements) ? ['Statement', index] : ['Statement'];
    const statement = normalizeStatement(raw, index, path, errors);
    if (statement) policy.statements.push(statement);
  });
  return errors.length ? { ok: false, errors } : { ok: true, policy };
}

function normalizeStatement(
  raw: unknown,
  index: number,
  path: (string | number)[],
  errors: PolicyIssue[],
): NormalizedStatement | undefined {
  if (!isPlainObject(raw)) {
    errors.push({ message: 'a statement must be a JSON object', path });
    return undefined;
  }
  const before = errors.length;
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) errors.push({ message: `unknown statement element "${key}"`, path: [...path, key] });
  }
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    errors.push({ message: `Effect must be "Allow" or "Deny", got ${JSON.stringify(effect)}`, path: [...path, 'Effect'] });
  }
  const statement: NormalizedStatement = { index, effect: effect as Effect, condition: {} };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid !== 'string') errors.push({ message: 'Sid must be a string', path: [...path, 'Sid'] });
    else statement.sid = raw.Sid;
  }
  exclusivePair(raw, 'Action', 'NotAction', path, errors, true);
  exclusivePair(raw, 'Resource', 'NotResource', path, errors, false);
  exclusivePair(raw, 'Principal', 'NotPrincipal', path, errors, false);
  if (raw.Action !== undefined) statement.action = internActionList(stringList(raw.Action, [...path, 'Action'], errors));
  if (raw.NotAction !== undefined) statement.notAction = internActionList(stringList(raw.NotAction, [...path, 'NotAction'], errors));
  if (raw.Resource !== undefined) statement.resource = stringList(raw.Resource, [...path, 'Resource'], errors);
  if (raw.NotResource !== undefined) statement.notResource = stringList(raw.NotResource, [...path, 'NotResource'], errors);
  if (raw.Principal !== undefined) statement.principal = principal(raw.Principal, [...path, 'Principal'], errors);
  if (raw.NotPrincipal !== undefined) statement.notPrincipal = principal(raw.NotPrincipal, [...path, 'NotPrincipal'], errors);
  if (raw.Condition !== undefined) statement.condition = condition(raw.Condition, [...path, 'Condition'], errors);
  return errors.length === before ? statement : undefined;
}

/**
 * One frozen array per distinct action list. Accounts repeat a few lists (`s3:GetObject`,
 * `s3:ListBucket`) across thousands of inline and managed statements, and the policy engine keeps
 * its per-list answers (expansion, service coverage, targeted actions) by array identity: with
 * shared lists those answers are computed once per distinct list instead of once per statement.
 */
const internedActionLists = new Map<string, readonly string[]>();

function internActionList(list: string[]): readonly string[] {
  const key = list.join('\u0000');
  let shared = internedActionLists.get(key);
  if (!shared) {
    // Bounded: a long-lived process reading many unrelated inventories must not grow without end.
    if (internedActionLists.size >= 100_000) internedActionLists.clear();
    shared = Object.freeze(list);
    internedActionLists.set(key, shared);
  }
  return shared;
}

function exclusivePair(
  raw: Record<string, unknown>,
  a: string,
  b: string,
  path: (string | number)[],
  errors: PolicyIssue[],
  required: boolean,
): void {
  if (raw[a] !== undefined && raw[b] !== undefined) {
    errors.push({ message: `a statement cannot have both ${a} and ${b}`, path: [...path, b] });
  } else if (required && raw[a] === undefined && raw[b] === undefined) {
    errors.push({ message: `a statement needs ${a} or ${b}`, path: [...path, a] });
  }
}

function stringList(value: unknown, path: (string | number)[], errors: PolicyIssue[]): string[] {
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  list.forEach((item, i) => {
    if (typeof item !== 'string') {
      errors.push({ message: `expected a string, got ${describe(item)}`, path: Array.isArray(value) ? [...path, i] : path });
    } else {
      out.push(item);
    }
  });
  if (Array.isArray(value) && value.length === 0) errors.push({ message: 'must not be an empty array', path });
  return out;
}

function principal(value: unknown, path: (string | number)[], errors: PolicyIssue[]): NormalizedPrincipal {
  const result: NormalizedPrincipal = { wildcard: false, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  if (value === '*') {
    result.wildcard = true;
    return result;
  }
  if (!isPlainObject(value)) {
    errors.push({ message: `Principal must be "*" or an object, got ${describe(value)}`, path });
    return result;
  }
  for (const [type, ids] of Object.entries(value)) {
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
      errors.push({ message: `unknown principal type "${type}"`, path: [...path, type] });
      continue;
    }
    result[type as (typeof PRINCIPAL_TYPES)[number]] = stringList(ids, [...path, type], errors);
  }
  return result;
}

function condition(value: unknown, path: (string | number)[], errors: PolicyIssue[]): ConditionBlock {
  const block: ConditionBlock = {};
  if (!isPlainObject(value)) {
    errors.push({ message: `Condition must be an object, got ${describe(value)}`, path });
    return block;
  }
  for (const [operator, keys] of Object.entries(value)) {
    if (!isPlainObject(keys)) {
      errors.push({ message: `condition operator ${operator} must map keys to values`, path: [...path, operator] });
      continue;
    }
    const entry: Record<string, string[]> = {};
    for (const [key, raw] of Object.entries(keys)) {
      const list = Array.isArray(raw) ? raw : [raw];
      const values: string[] = [];
      list.forEach((item, i) => {
        if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') values.push(String(item));
        else errors.push({ message: `condition values must be strings, numbers or booleans, got ${describe(item)}`, path: Array.isArray(raw) ? [...path, operator, key, i] : [...path, operator, key] });
      });
      entry[key] = values;
    }
    block[operator] = entry;
  }
  return block;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Writes a normalized policy back as an IAM JSON document (arrays everywhere, principals by type).
 * Normalizing the result gives the same normalized policy again (tested as a property).
 */
export function serializePolicy(policy: NormalizedPolicy): Record<string, unknown> {
  const principalJson = (p: NormalizedPrincipal): unknown => {
    if (p.wildcard) return '*';
    const out: Record<string, string[]> = {};
    for (const type of PRINCIPAL_TYPES) if (p[type].length) out[type] = [...p[type]];
    return out;
  };
  return {
    ...(policy.version !== undefined ? { Version: policy.version } : {}),
    ...(policy.id !== undefined ? { Id: policy.id } : {}),
    Statement: policy.statements.map((s) => ({
      ...(s.sid !== undefined ? { Sid: s.sid } : {}),
      Effect: s.effect,
      ...(s.principal ? { Principal: principalJson(s.principal) } : {}),
      ...(s.notPrincipal ? { NotPrincipal: principalJson(s.notPrincipal) } : {}),
      ...(s.action ? { Action: [...s.action] } : {}),
      ...(s.notAction ? { NotAction: [...s.notAction] } : {}),
      ...(s.resource ? { Resource: [...s.resource] } : {}),
      ...(s.notResource ? { NotResource: [...s.notResource] } : {}),
      ...(Object.keys(s.condition).length ? { Condition: JSON.parse(JSON.stringify(s.condition)) as unknown } : {}),
    })),
  };
}
