/**
 * Baselines: a previous aigis JSON report or SARIF log. Findings whose fingerprint was already
 * failing (or unknown) in the baseline are `existing`; the others are `new`, and only new ones
 * count toward --fail-on (see breachesThreshold). This is how a pull request is gated on what it
 * introduces rather than on the debt it inherits.
 *
 * Fingerprints derive from the rule id and the resource ARN only (engine/scan.ts), so they do not
 * change with finding order, line numbers or unrelated edits. For IaC the ARN is synthesized from
 * the resource's name or logical id/address, not from its file position.
 */
import { z } from 'zod';
import { MAX_INPUT_BYTES, checkJsonStructure, describeJsonSyntaxError, readInputFile } from '../inventory/input-text.js';
import { InputError, formatZodIssues } from './errors.js';
import { TOOL_NAME } from './paths.js';

/** SARIF partialFingerprints key aigis publishes (report/sarif.ts FINGERPRINT_KEY). */
export const SARIF_FINGERPRINT_KEY = 'aigis/v1';

export interface Baseline {
  file: string;
  format: 'json' | 'sarif';
  /** Fingerprints of findings that were failing or unknown in the baseline. */
  fingerprints: ReadonlySet<string>;
  /**
   * The scanned accounts, when the report names them (aigis reports do): one for a single-account
   * report, each account of a multi-account one. A scan of none of them cannot use the baseline.
   */
  accountIds?: string[];
}

const fingerprint = z.string().regex(/^[0-9a-f]{32}$/, 'expected an aigis fingerprint (32 lowercase hex characters)');

/** `account` of a JSON report and of a SARIF run's properties. */
const account = z.object({ id: z.string() }).optional();
/** `accounts` of a multi-account report. */
const accounts = z.array(z.object({ id: z.string() })).optional();

const jsonReportSchema = z.object({
  reportVersion: z.string().regex(/^[12]\./, 'unsupported reportVersion (this aigis reads 1.x and 2.x)'),
  account,
  accounts,
  findings: z.array(
    z.object({
      ruleId: z.string(),
      verdict: z.enum(['fail', 'unknown', 'pass', 'not_applicable']),
      fingerprint,
    }),
  ),
});

const sarifSchema = z.object({
  version: z.literal('2.1.0', { error: 'expected SARIF version "2.1.0"' }),
  runs: z.array(
    z.object({
      tool: z.object({ driver: z.object({ name: z.string() }) }),
      properties: z.object({ account, accounts }).optional(),
      results: z
        .array(
          z.object({
            kind: z.string().optional(),
            partialFingerprints: z.object({ [SARIF_FINGERPRINT_KEY]: fingerprint }, { error: `expected partialFingerprints["${SARIF_FINGERPRINT_KEY}"] (was this SARIF written by aigis?)` }),
          }),
        )
        .default([]),
    }),
  ),
});

/**
 * Reads a baseline as every input is read (src/inventory/input-text.ts): UTF-8 or UTF-16, a BOM
 * dropped, invalid bytes, duplicate keys and excessive nesting refused, syntax errors on one line.
 */
export async function loadBaseline(file: string, displayName: string = file): Promise<Baseline> {
  return parseBaseline(await readReportDocument(file, displayName, 'baseline'), displayName);
}

/**
 * An aigis report (or SARIF log) as JSON data, read as every input is read; `noun` names it in
 * errors (`baseline is not valid JSON: ...`). Also what `aigis export` reads reports with.
 */
export async function readReportDocument(file: string, displayName: string, noun: string): Promise<unknown> {
  const text = await readInputFile(file, displayName, MAX_INPUT_BYTES, noun);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(displayName, [], `${noun} is not valid JSON: ${describeJsonSyntaxError(error as Error, text)}`);
  }
  checkJsonStructure(text, displayName);
  return data;
}

/** Accepts an aigis JSON report (has `reportVersion`) or a SARIF log (has `runs`), by content. */
export function parseBaseline(data: unknown, file: string): Baseline {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(file, [], 'baseline must be an aigis JSON report or an aigis SARIF log (a JSON object)');
  }
  const record = data as Record<string, unknown>;
  if ('runs' in record) return parseSarifBaseline(record, file);
  if ('reportVersion' in record) return parseJsonBaseline(record, file);
  throw new InputError(file, [], 'baseline must be an aigis JSON report (with reportVersion) or a SARIF log (with runs)');
}

function parseJsonBaseline(data: unknown, file: string): Baseline {
  const parsed = jsonReportSchema.safeParse(data);
  if (!parsed.success) throw new InputError(file, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  const fingerprints = new Set<string>();
  for (const f of parsed.data.findings) if (f.verdict === 'fail' || f.verdict === 'unknown') fingerprints.add(f.fingerprint);
  const ids = parsed.data.accounts ? parsed.data.accounts.map((a) => a.id) : parsed.data.account ? [parsed.data.account.id] : undefined;
  return { file, format: 'json', fingerprints, ...(ids ? { accountIds: ids } : {}) };
}

function parseSarifBaseline(data: unknown, file: string): Baseline {
  const parsed = sarifSchema.safeParse(data);
  if (!parsed.success) throw new InputError(file, parsed.error.issues[0]?.path ?? [], formatZodIssues(parsed.error.issues));
  const fingerprints = new Set<string>();
  let accountId: string | undefined;
  let accountIds: string[] | undefined;
  for (const [i, run] of parsed.data.runs.entries()) {
    if (run.properties?.accounts) accountIds = [...(accountIds ?? []), ...run.properties.accounts.map((a) => a.id)];
    const runAccount = run.properties?.account?.id;
    if (runAccount !== undefined) {
      if (accountId !== undefined && runAccount !== accountId) {
        throw new InputError(file, ['runs', i, 'properties', 'account', 'id'], `runs of different accounts (${accountId}, ${runAccount}): give a baseline of one account`);
      }
      accountId = runAccount;
    }
    if (run.tool.driver.name !== TOOL_NAME) {
      throw new InputError(file, ['runs', i, 'tool', 'driver', 'name'], `run was produced by "${run.tool.driver.name}", not ${TOOL_NAME}: its fingerprints cannot match`);
    }
    // aigis writes only fail (kind "fail") and unknown (kind "review") results to SARIF.
    for (const result of run.results) {
      if (result.kind === undefined || result.kind === 'fail' || result.kind === 'review') {
        fingerprints.add(result.partialFingerprints[SARIF_FINGERPRINT_KEY]);
      }
    }
  }
  const ids = accountIds ?? (accountId !== undefined ? [accountId] : undefined);
  return { file, format: 'sarif', fingerprints, ...(ids ? { accountIds: ids } : {}) };
}

export { applyBaseline } from './baseline-apply.js';
