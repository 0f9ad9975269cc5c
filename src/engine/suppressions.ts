/**
 * Suppressions: accepted risks, declared in the config file or inline in a template, that keep a
 * finding visible (reports mark it suppressed, SARIF carries `suppressions`) but stop it from
 * counting toward --fail-on, the failing totals and the control rollup.
 *
 * Pattern semantics (documented in the README; tests pin them):
 * - A pattern is matched against the WHOLE string, never a substring: `ci-logs` matches the
 *   bucket named `ci-logs` and not `ci-logs-replica`.
 * - `*` matches any run of characters (including none, and including `/` and `:`, so
 *   `arn:aws:s3:::ci-*` covers every bucket whose name starts with `ci-`); `?` matches exactly
 *   one character; every other character is literal. Matching is case-sensitive (ARNs are).
 * - `resource` matches when the pattern matches the finding's resource ARN, its IaC logical id
 *   (CloudFormation) or address (Terraform), or its name.
 * - `rule` is a rule id, or a pattern over rule ids (`*` = every rule, `s3-*` = every S3 rule).
 * - `expires: YYYY-MM-DD` is the last day (UTC) the suppression applies; from the next day on
 *   the finding counts again and aigis warns. Without `expires` a suppression never expires.
 * - Only `fail` and `unknown` findings can be suppressed: a passing resource needs no exception.
 * - The first live (unexpired) suppression that matches wins, in declaration order (config
 *   entries first, then inline template ones).
 * - Config entries may also name `tags` (every key must be on the resource with exactly that value;
 *   a resource whose tags are not known never matches), `accounts` (the finding's account id) and
 *   `regions` (the resource's Region, `global` for IAM). All given conditions must hold (AND).
 */
import { codePointGlob, type WildcardMatcher } from '../policy/glob.js';
import { InputError, UsageError } from './errors.js';
import type { Finding } from './types.js';

export interface SuppressionSpec {
  /** Rule id or glob over rule ids. */
  rule: string;
  /** Glob over ARN, logical id/address or name. */
  resource: string;
  reason: string;
  /** Last day the suppression applies, YYYY-MM-DD. */
  expires?: string;
  /** Where it was declared, for reports and warnings: `aigis.config.yaml at $.suppressions[0]`. */
  source: string;
  /**
   * Inline (template) suppressions apply to exactly one resource: the one declared at this
   * logical id in this file. `resource` is then ignored.
   */
  scope?: { file: string; logicalId: string };
  /**
   * Terraform inline suppressions (`# aigis:suppress` in a .tf file) apply to the findings located
   * in one resource block: the resource the block declares, or a setting it declares for another
   * (a split `aws_s3_bucket_*` resource). `resource` is then ignored.
   */
  block?: { file: string; startLine: number; endLine: number; address: string };
  /** Every key must be on the resource with exactly this value. */
  tags?: Record<string, string>;
  /** Account ids; the finding's account must be one of them. */
  accounts?: string[];
  /** Region names (`global` for global resources); the resource's Region must be one of them. */
  regions?: string[];
  /** File and JSON path of the declaration, for errors (unknown rule ids). */
  origin?: { file: string; path: (string | number)[] };
}

export interface SuppressionOutcome {
  findings: Finding[];
  /** Human-readable lines for stderr (expired and unused suppressions). */
  warnings: string[];
  /** Findings that an expired suppression would have hidden, by fingerprint. */
  expired: number;
}

/** Key under which a finding carries the note that its suppression has expired. */
export const EXPIRED_EVIDENCE_KEY = 'suppressionExpired';

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * A RegExp whose matching is done by the linear-time glob matcher of src/policy/glob.ts: a
 * suppression pattern comes from a config or template in a pull request, and as a real RegExp
 * (`[\s\S]*` per star) `a*a*a*a*a*a*a*a*b` backtracks for minutes. It stays a RegExp so callers
 * keep using `.test`. `test` and `exec` (which every RegExp method goes through) use the glob
 * matcher; the source it carries is only the pattern's text, escaped, so nothing built from it
 * can backtrack either.
 */
class GlobRegExp extends RegExp {
  private readonly matcher: WildcardMatcher;

  constructor(pattern: string) {
    super(`^${pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'u');
    this.matcher = codePointGlob(pattern);
  }

  override test(value: string): boolean {
    return this.matcher.test(String(value));
  }

  override exec(value: string): RegExpExecArray | null {
    const text = String(value);
    if (!this.matcher.test(text)) return null;
    return Object.assign([text], { index: 0, input: text, groups: undefined }) as RegExpExecArray;
  }
}

/** Anchored, whole-string glob: `*` any run of characters, `?` exactly one, the rest literal. */
export function globToRegExp(pattern: string): RegExp {
  return new GlobRegExp(pattern);
}

export function globMatches(pattern: string, value: string): boolean {
  return globToRegExp(pattern).test(value);
}

/** `YYYY-MM-DD` that names a real calendar day (no 2026-02-30). */
export function isValidIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Today's date in UTC as YYYY-MM-DD. Only read when a suppression has an expiry. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

interface CompiledSpec {
  /** Declaration order (the first live match wins). */
  index: number;
  spec: SuppressionSpec;
  rule: RegExp;
  resource: RegExp;
  expired: boolean;
  used: number;
  wouldHaveMatched: number;
}

function isSuppressible(finding: Finding): boolean {
  return finding.verdict === 'fail' || finding.verdict === 'unknown';
}

/** What a finding does not carry itself: its account in a one-account scan, its resource's tags. */
export interface SuppressionContext {
  /** The finding's account id (default: `finding.account`). */
  accountOf?: (finding: Finding) => string | undefined;
  /** The resource's tags; undefined when not known (then a `tags` condition never matches). */
  tagsOf?: (finding: Finding) => Readonly<Record<string, string>> | undefined;
}

function conditionsHold(spec: SuppressionSpec, finding: Finding, context: SuppressionContext): boolean {
  if (spec.regions && !spec.regions.includes(finding.resource.region)) return false;
  if (spec.accounts) {
    const account = context.accountOf ? context.accountOf(finding) : finding.account;
    if (account === undefined || !spec.accounts.includes(account)) return false;
  }
  if (spec.tags) {
    const tags = context.tagsOf?.(finding);
    if (!tags) return false;
    for (const [key, value] of Object.entries(spec.tags)) {
      if (!Object.hasOwn(tags, key) || tags[key] !== value) return false;
    }
  }
  return true;
}

function resourceMatches(c: CompiledSpec, finding: Finding): boolean {
  const { resource } = finding;
  if (c.spec.scope) {
    return resource.source?.logicalId === c.spec.scope.logicalId && samePath(resource.source.file, c.spec.scope.file);
  }
  return (
    c.resource.test(resource.arn) ||
    (resource.source?.logicalId !== undefined && c.resource.test(resource.source.logicalId)) ||
    (resource.name !== undefined && c.resource.test(resource.name))
  );
}

/**
 * The block-scoped specs whose block holds the finding: its resource is declared there (the block's
 * first line), or the offending setting is (the property location SARIF points at, which may be
 * another resource's block, in another file).
 */
function blockMatches(blocksByFile: ReadonlyMap<string, CompiledSpec[]>, finding: Finding): CompiledSpec[] {
  const source = finding.resource.source;
  if (!source) return [];
  const found = new Set<CompiledSpec>();
  const at = (file: string | undefined, line: number | undefined) => {
    if (file === undefined || line === undefined) return;
    for (const c of blocksByFile.get(normalizePath(file)) ?? []) {
      const block = c.spec.block!;
      if (line >= block.startLine && line <= block.endLine) found.add(c);
    }
  };
  at(source.file, source.line);
  const property = finding.property;
  if (property !== undefined && source.properties) {
    for (const key of Object.keys(source.properties)) {
      if (key !== property && !key.startsWith(`${property}.`) && !key.startsWith(`${property}[`)) continue;
      const location = source.properties[key]!;
      at(location.file ?? source.file, location.line);
    }
  }
  return [...found];
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function samePath(a: string, b: string): boolean {
  return normalizePath(a) === normalizePath(b);
}

/**
 * Marks findings suppressed. `today` (YYYY-MM-DD) decides expiry; it is injected so that tests and
 * reproducible runs do not depend on the clock. `ranRules` limits "unused suppression" warnings
 * to suppressions whose rules actually ran (a --rules filter must not make them all look stale).
 */
export function applySuppressions(
  findings: readonly Finding[],
  specs: readonly SuppressionSpec[],
  today: string,
  ranRules: readonly string[] = [],
  context: SuppressionContext = {},
): SuppressionOutcome {
  const compiled: CompiledSpec[] = specs.map((spec, index) => ({
    index,
    spec,
    rule: globToRegExp(spec.rule),
    resource: globToRegExp(spec.resource),
    expired: spec.expires !== undefined && today > spec.expires,
    used: 0,
    wouldHaveMatched: 0,
  }));
  // Block-scoped (Terraform comment) specs by file: a finding is compared with the blocks of the
  // files it is located in, not with every directive of the scan.
  const plain = compiled.filter((c) => !c.spec.block);
  const blocksByFile = new Map<string, CompiledSpec[]>();
  for (const c of compiled) {
    if (!c.spec.block) continue;
    const file = normalizePath(c.spec.block.file);
    const list = blocksByFile.get(file);
    if (list) list.push(c);
    else blocksByFile.set(file, [c]);
  }
  let expiredCount = 0;
  const out = findings.map((finding): Finding => {
    if (!isSuppressible(finding) || compiled.length === 0) return finding;
    const matching = plain.filter((c) => c.rule.test(finding.ruleId) && resourceMatches(c, finding) && conditionsHold(c.spec, finding, context));
    if (blocksByFile.size) {
      const inBlocks = blockMatches(blocksByFile, finding).filter((c) => c.rule.test(finding.ruleId));
      if (inBlocks.length) {
        matching.push(...inBlocks);
        matching.sort((a, b) => a.index - b.index);
      }
    }
    const live = matching.find((c) => !c.expired);
    if (live) {
      live.used++;
      const { reason, expires, source } = live.spec;
      return { ...finding, suppression: { reason, ...(expires !== undefined ? { expires } : {}), source } };
    }
    const lapsed = matching[0];
    if (!lapsed) return finding;
    lapsed.wouldHaveMatched++;
    expiredCount++;
    // Reports say why a previously accepted finding is back; the date only appears because an
    // expiry is involved, so output stays deterministic for a fixed `today` bucket.
    return {
      ...finding,
      evidence: {
        ...(finding.evidence ?? {}),
        [EXPIRED_EVIDENCE_KEY]: { expires: lapsed.spec.expires, reason: lapsed.spec.reason, source: lapsed.spec.source },
      },
    };
  });

  const warnings: string[] = [];
  for (const c of compiled) {
    const what = `suppression ${c.spec.source} (${describeSpec(c.spec)})`;
    if (c.expired) {
      warnings.push(
        `${what} expired on ${c.spec.expires}` +
          (c.wouldHaveMatched ? `: ${c.wouldHaveMatched} ${c.wouldHaveMatched > 1 ? 'findings count' : 'finding counts'} again` : ' and matches nothing any more: remove it'),
      );
    } else if (c.used === 0 && ranRules.some((id) => c.rule.test(id))) {
      warnings.push(`${what} matches no failing or unknown finding: remove it if the issue was fixed`);
    }
  }
  return { findings: out, warnings, expired: expiredCount };
}

/** `rule s3-sse-kms-cmk, resource ci-logs, tags env=sandbox, accounts 111122223333` */
function describeSpec(spec: SuppressionSpec): string {
  const parts = [`rule ${spec.rule}`, `resource ${spec.block ? spec.block.address : spec.scope ? spec.scope.logicalId : spec.resource}`];
  if (spec.tags) parts.push(`tags ${Object.entries(spec.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (spec.accounts) parts.push(`accounts ${spec.accounts.join(', ')}`);
  if (spec.regions) parts.push(`regions ${spec.regions.join(', ')}`);
  return parts.join(', ');
}

/**
 * "Today" for expiry decisions: AIGIS_TODAY=YYYY-MM-DD when set (reproducible runs, tests,
 * "what fails next week?"), else the UTC date from the clock.
 */
export function resolveToday(env: NodeJS.ProcessEnv, now: () => Date = () => new Date()): string {
  const forced = env.AIGIS_TODAY;
  if (forced !== undefined && forced !== '') {
    if (!isValidIsoDate(forced)) throw new UsageError(`AIGIS_TODAY: expected a date written YYYY-MM-DD, got "${forced}"`);
    return forced;
  }
  return utcToday(now());
}

/**
 * A suppression whose rule pattern names no rule aigis knows is a typo that would silently
 * suppress nothing: an input error naming where it was declared.
 */
export function checkSuppressionRules(specs: readonly SuppressionSpec[], knownRules: ReadonlySet<string>): void {
  for (const spec of specs) {
    const re = globToRegExp(spec.rule);
    if ([...knownRules].some((id) => re.test(id))) continue;
    const file = spec.origin?.file ?? spec.source;
    // A line-addressed origin (`main.tf:12`, a Terraform comment) has no JSON path to extend.
    const at = spec.origin && spec.origin.path.length === 0 ? [] : [...(spec.origin?.path ?? []), 'rule'];
    throw new InputError(file, at, isGlob(spec.rule) ? `pattern "${spec.rule}" matches no rule (see \`aigis rules\`)` : `unknown rule id "${spec.rule}" (see \`aigis rules\`)`);
  }
}
