/**
 * OpenSearch Serverless encryption security policies, as templates and plans declare them: which
 * collections each one covers (its `collection/<name or prefix*>` resource patterns) and with which
 * key. A collection takes its key when it is created from its own EncryptionConfig, else from the
 * encryption policy matching its name; the importers give the collection that key, so that the
 * inventory says what a live scan (BatchGetCollection) would.
 *
 * Policies come from pull requests: the JSON is parsed with size and count bounds, and the patterns
 * are matched with the linear wildcard matcher of src/policy/glob.ts, never turned into a RegExp.
 */
import { globMatches } from '../../policy/glob.js';

/** AWS caps a security policy at 20 KB; anything much larger is not a policy. */
const MAX_POLICY_CHARS = 64 * 1024;
const MAX_RULES = 100;
const MAX_RESOURCES = 100;
/** Collection names are at most 32 characters; a pattern is `collection/` plus a name or prefix. */
const MAX_PATTERN_CHARS = 128;

export interface EncryptionPolicyDraft {
  region: string;
  name: string;
  /** The collection name patterns (without `collection/`); undefined: the policy text is not known. */
  patterns?: string[];
  /** KmsARN; null: AWSOwnedKey true; undefined: not known (unresolved, or neither set). */
  key?: string | null;
}

/** The patterns and key of an encryption policy's JSON text; undefined when it is not one. */
export function parseEncryptionPolicy(text: unknown): { patterns: string[]; key: string | null | undefined } | undefined {
  let doc: unknown = text;
  if (typeof text === 'string') {
    if (text.length > MAX_POLICY_CHARS) return undefined;
    try {
      doc = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const policy = doc as Record<string, unknown>;
  const rules = Array.isArray(policy.Rules) ? policy.Rules.slice(0, MAX_RULES) : [];
  const patterns: string[] = [];
  for (const rule of rules) {
    if (typeof rule !== 'object' || rule === null) continue;
    const { ResourceType: type, Resource: resources } = rule as Record<string, unknown>;
    if (typeof type !== 'string' || type.toLowerCase() !== 'collection') continue;
    for (const resource of (Array.isArray(resources) ? resources : [resources]).slice(0, MAX_RESOURCES)) {
      if (typeof resource !== 'string' || resource.length > MAX_PATTERN_CHARS) continue;
      const slash = resource.indexOf('/');
      if (slash < 0 || resource.slice(0, slash).toLowerCase() !== 'collection') continue;
      patterns.push(resource.slice(slash + 1));
    }
  }
  // "If you include KmsARN, OpenSearch Serverless ignores AWSOwnedKey."
  const kms = policy.KmsARN;
  const owned = policy.AWSOwnedKey;
  const key = typeof kms === 'string' && kms ? kms : owned === true || owned === 'true' ? null : undefined;
  return { patterns, key };
}

/**
 * The key the declared encryption policies give a collection of this name: the policies of its
 * region whose patterns match the name must all be known and agree (aigis does not guess which of
 * several disagreeing policies AWS would apply). `policy` names the policies that gave it.
 */
export function keyFromPolicies(
  collectionName: string,
  region: string,
  policies: readonly EncryptionPolicyDraft[],
): { key: string | null; policy: string } | undefined {
  const matching = policies.filter((p) => p.region === region && (p.patterns === undefined || p.patterns.some((pattern) => globMatches(pattern, collectionName))));
  if (matching.length === 0) return undefined;
  // A policy whose text is unknown might match: the key cannot be told.
  if (matching.some((p) => p.patterns === undefined || p.key === undefined)) return undefined;
  const keys = new Set(matching.map((p) => p.key));
  if (keys.size !== 1) return undefined;
  return { key: matching[0]!.key as string | null, policy: matching.map((p) => p.name).sort().join(', ') };
}
