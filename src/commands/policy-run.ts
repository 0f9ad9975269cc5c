/**
 * `aigis policy check`, the run: read, validate and analyse the policy documents, then report.
 * Loaded by the command's handler (policy.ts) only when the command runs.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, UsageError } from '../engine/errors.js';
import { TOOL_NAME, TOOL_URI, toolVersion } from '../engine/paths.js';
import { compareFindings, fingerprintOf, summarize, type ScanResult } from '../engine/scan.js';
import type { Finding, ResourceRef } from '../engine/types.js';
import { loadActionCatalog, type ActionCatalog } from '../policy/actions.js';
import { checkRuleId, checkRuleMeta } from '../policy/check-rules.js';
import { normalizePolicy, type NormalizedPolicy } from '../policy/document.js';
import { findLimitBreach, POLICY_LIMITS, type LimitBreach } from '../policy/limits.js';
import { checkJsonStructure, parseJsonText, readInputFile, stripBom } from '../inventory/input-text.js';
import { jsonLocations, locate, type Location } from '../policy/json-locations.js';
import { detectPolicyType, validatePolicy, type FindingCode, type PolicyFinding, type PolicyType } from '../policy/validate.js';
import type { Io } from './io.js';
import { parseFailOn, parsePassed, report } from './pipeline.js';
import { loadConfigOption } from './config-option.js';
import type { PolicyCheckArgs } from './policy.js';

const TYPES: readonly PolicyType[] = ['identity', 'resource', 'trust', 'scp'];

const RESOURCE_TYPES: Record<PolicyType, string> = {
  identity: 'AWS::IAM::ManagedPolicy',
  resource: 'AWS::IAM::ResourcePolicy',
  trust: 'AWS::IAM::Role',
  scp: 'AWS::Organizations::Policy',
};

export interface CheckedFile {
  file: string;
  type?: PolicyType;
  findings: PolicyFinding[];
  /** Line/column of each JSON path of the file, for report locations. */
  locations: Map<string, Location>;
  /** Statements analysed (0 when the document is not valid policy grammar). */
  statements: number;
}

interface Unwrapped {
  document: unknown;
  /** JSON path of the document inside the file. */
  prefix: (string | number)[];
  /** The document was JSON text inside the file (get-bucket-policy's `{"Policy": "<json>"}`). */
  embedded: boolean;
}

/**
 * Finds the policy inside common wrappers: the AWS CLI's get-policy-version ({PolicyVersion:
 * {Document}}), get-role ({Role: {AssumeRolePolicyDocument}}), get-bucket-policy and
 * get-key-policy ({Policy: "<json>"}). Returns the path prefix of the document too.
 */
function unwrap(data: unknown, display: string): Unwrapped | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const o = data as Record<string, unknown>;
  if ('Statement' in o) return { document: o, prefix: [], embedded: false };
  const at = (document: unknown, prefix: (string | number)[]): Unwrapped => ({ ...decodeMaybe(document, display, prefix), prefix });
  const pv = o.PolicyVersion as Record<string, unknown> | undefined;
  if (pv && typeof pv === 'object' && 'Document' in pv) return at(pv.Document, ['PolicyVersion', 'Document']);
  const role = o.Role as Record<string, unknown> | undefined;
  if (role && typeof role === 'object' && 'AssumeRolePolicyDocument' in role) return at(role.AssumeRolePolicyDocument, ['Role', 'AssumeRolePolicyDocument']);
  if (typeof o.Policy === 'string') return at(o.Policy, ['Policy']);
  if (o.PolicyDocument !== undefined) return at(o.PolicyDocument, ['PolicyDocument']);
  return undefined;
}

/**
 * A document given as JSON text (plain or URL-encoded) is decoded. Text that is not JSON stays a
 * string, which normalization reports as a finding; JSON with a duplicate key is refused like a
 * file with one (IAM would reject it), at its path inside the file.
 */
function decodeMaybe(value: unknown, display: string, prefix: (string | number)[]): { document: unknown; embedded: boolean } {
  if (typeof value !== 'string') return { document: value, embedded: false };
  let text = value;
  let parsed: unknown;
  try {
    if (/^\s*%7[bB]/.test(value)) text = decodeURIComponent(value);
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (or a malformed URL encoding): left as the string, which normalization reports.
    return { document: value, embedded: false };
  }
  try {
    checkJsonStructure(text, display);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(display, [...prefix, ...error.jsonPath], error.detail);
    throw error;
  }
  return { document: parsed, embedded: true };
}

function limitError(display: string, prefix: readonly (string | number)[], breach: LimitBreach | undefined): void {
  if (breach) throw new InputError(display, [...prefix, ...breach.path], breach.detail);
}

async function expandInputs(inputs: string[], cwd: string): Promise<{ file: string; explicit: boolean }[]> {
  const out: { file: string; explicit: boolean }[] = [];
  for (const input of inputs) {
    const full = path.resolve(cwd, input);
    let info;
    try {
      info = await stat(full);
    } catch (error) {
      throw new InputError(input, [], `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (info.isDirectory()) {
      const walk = async (dir: string): Promise<void> => {
        const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
        for (const entry of entries) {
          const p = path.join(dir, entry.name);
          if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') await walk(p);
          else if (entry.isFile() && entry.name.endsWith('.json')) out.push({ file: p, explicit: false });
        }
      };
      await walk(full);
    } else {
      out.push({ file: full, explicit: true });
    }
  }
  return out;
}

/**
 * Checks one policy text. `display` names the file in messages and reports. Input errors (not
 * JSON, a duplicate key, a limit of POLICY_LIMITS passed) are thrown as InputError naming the
 * file and JSON path; everything else becomes findings.
 */
export function checkPolicyText(
  text: string,
  display: string,
  options: { catalog: ActionCatalog; type?: PolicyType; accountId?: string; explicit?: boolean },
): CheckedFile | undefined {
  const source = stripBom(text);
  const data = parseJsonText(source, display);
  const unwrapped = unwrap(data, display);
  if (!unwrapped) {
    if (options.explicit === false) return undefined;
    throw new InputError(display, [], 'is not an IAM policy document (no Statement element)');
  }
  // Limits before any analysis: the file's own strings (an embedded policy's text aside), then the
  // embedded document once decoded, then the document's size.
  limitError(display, [], findLimitBreach(data, unwrapped.embedded ? unwrapped.prefix : undefined));
  if (unwrapped.embedded) limitError(display, unwrapped.prefix, findLimitBreach(unwrapped.document));
  if (source.length > POLICY_LIMITS.documentChars) {
    throw new InputError(display, [], `is ${(source.length / 1024 / 1024).toFixed(1)} MB of text, more than the ${POLICY_LIMITS.documentChars / 1024 / 1024} MB limit for a policy document (AWS's largest policies are 32 KB)`);
  }
  let locations: Map<string, Location>;
  try {
    locations = jsonLocations(source);
  } catch {
    // Pathologically nested JSON: findings are still reported, without line numbers.
    locations = new Map();
  }
  const prefix = unwrapped.prefix;
  const located = (finding: PolicyFinding): PolicyFinding => ({ ...finding, path: [...prefix, ...finding.path] });
  const normalized = normalizePolicy(unwrapped.document);
  if (!normalized.ok) {
    return {
      file: display,
      findings: normalized.errors.map((e) =>
        located({
          code: 'syntax-error',
          severity: 'high',
          message: `${e.path.length ? `${e.path.join('.')}: ` : ''}${e.message}`,
          path: e.path,
          ...(typeof e.path[1] === 'number' ? { statementIndex: e.path[1] } : {}),
        }),
      ),
      locations,
      statements: 0,
    };
  }
  const statementArray = Array.isArray((unwrapped.document as Record<string, unknown>).Statement);
  limitError(display, prefix, crossServicePatternBreach(normalized.policy, statementArray));
  const type = options.type ?? detectPolicyType(normalized.policy);
  const findings = validatePolicy(normalized.policy, {
    type,
    catalog: options.catalog,
    ...(options.accountId ? { accountId: options.accountId } : {}),
    statementArray,
  }).map(located);
  return { file: display, type, findings, locations, statements: normalized.policy.statements.length };
}

/** The 1001st distinct action pattern with a wildcard service prefix, if there is one. */
function crossServicePatternBreach(policy: NormalizedPolicy, statementArray: boolean): LimitBreach | undefined {
  const seen = new Set<string>();
  for (const s of policy.statements) {
    const key = s.action ? 'Action' : 'NotAction';
    const list = s.action ?? s.notAction ?? [];
    for (let i = 0; i < list.length; i++) {
      const pattern = list[i]!;
      const colon = pattern.indexOf(':');
      const service = colon < 0 ? '' : pattern.slice(0, colon);
      if (!service.includes('*') && !service.includes('?')) continue;
      seen.add(pattern.toLowerCase());
      if (seen.size > POLICY_LIMITS.crossServicePatterns) {
        return {
          path: [...(statementArray ? ['Statement', s.index] : ['Statement']), key, i],
          detail: `more than ${POLICY_LIMITS.crossServicePatterns.toLocaleString('en-US')} distinct action patterns with a wildcard in the service prefix (each is matched against every action of every service)`,
        };
      }
    }
  }
  return undefined;
}

function toFinding(checked: CheckedFile, finding: PolicyFinding): Finding {
  const where = locate(checked.locations, finding.path);
  const pointer = finding.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const statementPointer = finding.statementIndex !== undefined ? `#statement-${finding.statementIndex}` : '';
  const resource: ResourceRef = {
    arn: `${checked.file}${statementPointer}`,
    type: RESOURCE_TYPES[checked.type ?? 'identity'],
    region: 'global',
    name: path.basename(checked.file),
    source: { file: checked.file, ...(where ? { line: where.line, column: where.column } : {}) },
  };
  const ruleId = checkRuleId(finding.code);
  return {
    ruleId,
    title: checkRuleMeta(finding.code).title,
    severity: finding.severity,
    verdict: finding.verdict ?? 'fail',
    service: 'iam',
    resource,
    message: finding.message,
    evidence: { ...(finding.evidence ?? {}), jsonPath: `/${pointer}`, ...(checked.type ? { policyType: checked.type } : {}) },
    ...(pointer ? { property: pointer } : {}),
    controls: [],
    fingerprint: fingerprintOf(ruleId, `${resource.arn}\u0000/${pointer}\u0000${finding.message}`),
  };
}

export async function checkPolicyFiles(
  inputs: string[],
  options: { cwd: string; type?: PolicyType; accountId?: string; catalog?: ActionCatalog },
): Promise<{ result: ScanResult; files: CheckedFile[] }> {
  const catalog = options.catalog ?? (await loadActionCatalog());
  const files = await expandInputs(inputs, options.cwd);
  if (files.length === 0) throw new UsageError('policy check: no .json files found in the given directories');
  const checked: CheckedFile[] = [];
  for (const { file, explicit } of files) {
    const display = path.relative(options.cwd, file) || file;
    // Decoded as every input is (UTF-8 or UTF-16, a byte order mark dropped), up to the size limit.
    const text = await readInputFile(file, display, POLICY_LIMITS.fileBytes, 'policy');
    const result = checkPolicyText(text, display, {
      catalog,
      explicit,
      ...(options.type ? { type: options.type } : {}),
      ...(options.accountId ? { accountId: options.accountId } : {}),
    });
    if (result) checked.push(result);
  }
  if (checked.length === 0) throw new UsageError('policy check: none of the .json files is an IAM policy document');
  const findings = checked.flatMap((c) => c.findings.map((f) => toFinding(c, f))).sort(compareFindings);
  const codes = [...new Set(findings.map((f) => f.ruleId))].sort();
  const rules = codes.map((id) => ({ ...checkRuleMeta(id.slice('policy-'.length) as FindingCode), controls: [] }));
  const result: ScanResult = {
    tool: { name: TOOL_NAME, version: toolVersion(), informationUri: TOOL_URI },
    account: { id: options.accountId ?? 'unknown', partition: 'aws' },
    inputs: checked.map((c) => c.file),
    rules,
    findings,
    frameworks: [],
    // What a policy check evaluates is documents: the summary counts them as its resources.
    summary: summarize(findings, checked.length),
    coverage: { collectionErrors: [] },
    aiWorkloads: [],
  };
  return { result, files: checked };
}

export async function runPolicyCheck(args: PolicyCheckArgs, io: Io): Promise<number> {
  const timestamp = args.timestamp ? new Date().toISOString() : undefined;
  const files = args.files ?? [];
  if (files.length === 0) throw new UsageError('policy check: give one or more policy files or directories');
  if (args.type !== undefined && !(TYPES as readonly string[]).includes(args.type)) {
    throw new UsageError(`--type: unknown policy type "${args.type}" (choose from ${TYPES.join(', ')})`);
  }
  if (args.accountId !== undefined && !/^\d{12}$/.test(String(args.accountId))) {
    throw new UsageError(`--account-id: "${args.accountId}" is not a 12-digit AWS account id`);
  }
  const { config } = await loadConfigOption(args.config, io);
  const failOn = parseFailOn(args.failOn, config);
  parsePassed(args.passed);
  const { result, files: checked } = await checkPolicyFiles(files, {
    cwd: io.cwd,
    ...(args.type ? { type: args.type as PolicyType } : {}),
    ...(args.accountId ? { accountId: String(args.accountId) } : {}),
  });
  // The shared console summary counts "findings on N resources"; for policies the line says
  // what was analysed instead.
  const totals = policySummaryLine(result, checked);
  return report(
    result,
    { format: args.format ?? [], output: args.output ?? 'aigis-policy-report', totals, ...(args.passed !== undefined ? { passed: args.passed } : {}), pretty: args.pretty === true, ...(timestamp !== undefined ? { timestamp } : {}) },
    failOn,
    io,
  );
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** `2 policy documents, 14 statements: 3 findings: 2 fail, 1 unknown, 0 pass, 0 not applicable` */
export function policySummaryLine(result: ScanResult, files: readonly CheckedFile[]): string {
  const { summary } = result;
  const statements = files.reduce((n, f) => n + f.statements, 0);
  return (
    `${plural(files.length, 'policy document')}, ${plural(statements, 'statement')}: ${plural(summary.findings, 'finding')}: ` +
    `${summary.byVerdict.fail} fail, ${summary.byVerdict.unknown} unknown, ${summary.byVerdict.pass} pass, ${summary.byVerdict.not_applicable} not applicable`
  );
}
