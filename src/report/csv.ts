/**
 * The CSV report: one row per finding, for spreadsheets and audit workpapers. Failing and unknown
 * findings always; pass and not-applicable ones only with `--passed full` (the same findings, in
 * the same order, as the JSON report's `findings`). A header row names the columns.
 *
 * Every cell may be attacker-controlled (resource names, tag-derived messages, template paths):
 * - spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return
 *   gets a leading `'` (OWASP CSV injection guidance; csv-stringify's `escape_formulas`);
 * - control characters (terminal escapes, NUL) become U+FFFD; tab, LF and CR stay, quoted.
 *
 * Written in batches of rows (csv-stringify's sync API per batch): never one string for the whole
 * report. UTF-8 with a byte order mark, so Excel reads non-ASCII text right. Deterministic: with
 * `--timestamp`, a last column `scanned_at` holds the scan time; without it there is no time.
 * `account_alias`: the alias of the finding's account (empty when unknown).
 */
import { createRequire } from 'node:module';
import type { stringify as Stringify } from 'csv-stringify/sync';
import type { ScanResult } from '../engine/scan.js';
import type { Finding } from '../engine/types.js';
import { aliasOfAccount } from './audit-metadata.js';
import { DEFAULT_REPORT_OPTIONS, type ReportOptions } from './options.js';

/** The columns, in order: the header row. */
export const CSV_COLUMNS = [
  'rule_id',
  'title',
  'severity',
  'verdict',
  'service',
  'account',
  'resource_arn',
  'resource_type',
  'region',
  'resource_name',
  'message',
  'controls',
  'fingerprint',
  'source_file',
  'source_line',
  'suppressed',
  'baseline',
  'account_alias',
] as const;

/** Rows per csv-stringify call: each yields one chunk of a few hundred kilobytes at most. */
const ROWS_PER_CHUNK = 500;

const STRINGIFY_OPTIONS = { escape_formulas: true, record_delimiter: 'unix', quote_record_delimiter: true } as const;

let stringifyFn: typeof Stringify | undefined;
/** Loaded when a CSV report is written, not by every scan that imports the report table. */
function csvStringify(): typeof Stringify {
  return (stringifyFn ??= (createRequire(import.meta.url)('csv-stringify/sync') as { stringify: typeof Stringify }).stringify);
}

export function* renderCsvChunks(result: ScanResult, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Generator<string> {
  const stringify = csvStringify();
  // BOM written on its own: csv-stringify's `bom` would add it to every batch.
  yield '\uFEFF';
  // `--timestamp`: the scan time as a last column, the same on every row (absent by default).
  const stamp = options.timestamp;
  yield stringify([stamp === undefined ? [...CSV_COLUMNS] : [...CSV_COLUMNS, 'scanned_at']], STRINGIFY_OPTIONS);
  const full = options.passed === 'full';
  const findings = result.findings;
  let batch: string[][] = [];
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    if (!full && finding.verdict !== 'fail' && finding.verdict !== 'unknown') continue;
    const row = csvRow(finding, aliasOfAccount(result, finding.account) ?? '');
    if (stamp !== undefined) row.push(cleanCell(stamp));
    batch.push(row);
    if (batch.length === ROWS_PER_CHUNK) {
      yield stringify(batch, STRINGIFY_OPTIONS);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringify(batch, STRINGIFY_OPTIONS);
}

function csvRow(f: Finding, alias: string): string[] {
  const source = f.resource.source;
  const suppression = f.suppression ? `${f.suppression.reason}${f.suppression.expires ? ` (expires ${f.suppression.expires})` : ''}` : '';
  return [
    f.ruleId,
    f.title,
    f.severity,
    f.verdict,
    f.service,
    f.account ?? '',
    f.resource.arn,
    f.resource.type,
    f.resource.region,
    f.resource.name ?? '',
    f.message,
    f.controls.map((c) => `${c.framework}:${c.controlId}`).join('; '),
    f.fingerprint,
    source?.file ?? '',
    source?.line !== undefined ? String(source.line) : '',
    suppression,
    f.baseline ?? '',
    alias,
  ].map(cleanCell);
}

/**
 * C0 controls but tab, LF and CR, DEL, C1 controls and lone surrogates become U+FFFD: a file
 * printed to a terminal cannot replay escape sequences, and every cell is valid UTF-16.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanCell(value: string): string {
  return value.replace(UNSAFE_CHARS, '\uFFFD');
}
