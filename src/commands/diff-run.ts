/**
 * `aigis diff OLD.json NEW.json`, the run: read and validate both reports, compare them
 * (src/engine/diff.ts), print a summary on standard output, write aigis-diff.json / aigis-diff.md
 * with --output, and exit 1 when --fail-on is reached by a new or regressed finding.
 */
import path from 'node:path';
import { readReportDocument } from '../engine/baseline.js';
import { parseDiffReport } from '../engine/diff-report.js';
import { CATEGORY_SHORT, checkSameAccounts, computeDelta, deltaBreaches, type DiffEntry, type DiffSide, type ScanDelta } from '../engine/diff.js';
import { InputError, UsageError } from '../engine/errors.js';
import { TOOL_NAME, TOOL_URI, toolVersion } from '../engine/paths.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { renderDiffJsonChunks } from '../report/diff-json.js';
import { MESSAGE_MAX, inertLines, inertText } from '../report/inert.js';
import { REGRESSED_UNKNOWN_NOTE, deltaCountsText, renderDiffMarkdown } from '../report/markdown-delta.js';
import { planOutputs, writeReports } from '../report/write.js';
import type { DiffArgs } from './diff.js';
import type { Io } from './io.js';
import { listOption } from './pipeline.js';

const DIFF_FORMATS = { json: 'json', markdown: 'md' } as const;
type DiffFormat = keyof typeof DIFF_FORMATS;

/** Lines per list in the console summary. */
const MAX_LISTED = 15;

/** A previous aigis JSON report, read as every input is read and validated (scan --compare reads it the same way). */
export async function loadDiffReport(file: string, shown: string): Promise<DiffSide> {
  return parseDiffReport(await readReportDocument(file, shown, 'report'), shown);
}

function parseDiffFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined || value === 'none') return undefined;
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new UsageError(`--fail-on: unknown severity "${value}" (choose from ${SEVERITIES.join(', ')}, none)`);
  return value as Severity;
}

function parseDiffFormats(values: string[] | undefined, output: string | undefined): DiffFormat[] {
  const formats = listOption(values, '--format');
  if (formats && output === undefined) throw new UsageError('--format: give --output too (the directory to write aigis-diff.json / aigis-diff.md into)');
  for (const f of formats ?? []) if (!(f in DIFF_FORMATS)) throw new UsageError(`--format: unknown format "${f}" for diff (choose from ${Object.keys(DIFF_FORMATS).join(', ')})`);
  return [...new Set(formats ?? ['json', 'markdown'])] as DiffFormat[];
}

export async function runDiffCommand(args: DiffArgs, io: Io): Promise<number> {
  const failOn = parseDiffFailOn(args.failOn);
  const formats = parseDiffFormats(args.format, args.output);
  if (args.output !== undefined && args.output.trim() === '') throw new UsageError('--output: empty path');
  if (args.output === '-') throw new UsageError('--output -: diff prints its summary on standard output; give a directory (or a file with one --format)');
  const oldName = String(args.old);
  const newName = String(args.new);
  const previous = await loadDiffReport(path.resolve(io.cwd, oldName), oldName);
  const current = await loadDiffReport(path.resolve(io.cwd, newName), newName);
  checkSameAccounts(previous, current, oldName, newName);
  const delta = computeDelta(previous, current);
  const tool = { name: TOOL_NAME, version: toolVersion(), informationUri: TOOL_URI };

  const written: string[] = [];
  let failed = false;
  if (args.output !== undefined) {
    const plan = await planOutputs(args.output, formats.map((f) => ({ format: f, extension: DIFF_FORMATS[f] })), io.cwd, 'aigis-diff');
    const outcomes = await writeReports(
      formats.map((f) => ({ path: plan.get(f)!, render: () => (f === 'json' ? renderDiffJsonChunks(delta, tool) : renderDiffMarkdown(delta, tool)) })),
    );
    for (const outcome of outcomes) {
      const shown = path.relative(io.cwd, outcome.path) || outcome.path;
      if (!outcome.error) {
        written.push(shown);
        continue;
      }
      failed = true;
      const line = outcome.error instanceof InputError ? outcome.error.message : `${shown}: not written (internal error: ${outcome.error.message})`;
      io.stderr(`aigis: error: ${inertText(line, MESSAGE_MAX)}\n`);
    }
  }
  io.stdout(renderDiffSummary(delta, oldName, newName, written));
  if (failed) return 2;
  return deltaBreaches(delta, failOn) ? 1 : 0;
}

/** The console summary: counts, the worst new and regressed findings, the fixed ones, the controls with changes. */
export function renderDiffSummary(delta: ScanDelta, oldName: string, newName: string, written: string[]): string {
  const lines = [`aigis diff — ${inertText(oldName)} -> ${inertText(newName)}`, deltaCountsText(delta)];
  if (!delta.regressedKnown) lines.push(REGRESSED_UNKNOWN_NOTE.replace(/`/g, ''));
  const worse = [...delta.findings.new.map((f) => ['new', f] as const), ...delta.findings.regressed.map((f) => ['regressed', f] as const)];
  if (worse.length) {
    lines.push('', 'New and regressed:');
    for (const [category, f] of worse.slice(0, MAX_LISTED)) lines.push(...entryLines(category, f));
    if (worse.length > MAX_LISTED) lines.push(`  ... and ${worse.length - MAX_LISTED} more (see aigis-diff.json)`);
  }
  if (delta.findings.fixed.length) {
    lines.push('', 'Fixed:');
    for (const f of delta.findings.fixed.slice(0, MAX_LISTED)) lines.push(`  [${f.severity.toUpperCase()}] ${inertText(f.ruleId)}  ${inertText(f.resource.arn)}`);
    if (delta.findings.fixed.length > MAX_LISTED) lines.push(`  ... and ${delta.findings.fixed.length - MAX_LISTED} more`);
  }
  const changed = delta.controls.filter((k) => k.counts.new + k.counts.regressed + k.counts.fixed + k.counts.suppressed + k.counts.unknownChanged > 0);
  if (changed.length) {
    lines.push('', `Controls with changes (${changed.length}):`);
    for (const k of changed.slice(0, MAX_LISTED)) {
      const parts = (['new', 'regressed', 'fixed', 'suppressed', 'unknownChanged'] as const)
        .filter((c) => k.counts[c] > 0)
        .map((c) => `${k.counts[c]} ${CATEGORY_SHORT[c]}`);
      lines.push(`  ${inertText(k.frameworkName ?? k.framework)} ${inertText(k.controlId)}: ${parts.join(', ')}`);
    }
    if (changed.length > MAX_LISTED) lines.push(`  ... and ${changed.length - MAX_LISTED} more`);
  }
  if (written.length) {
    lines.push('');
    for (const file of written) lines.push(`wrote ${inertText(file, MESSAGE_MAX)}`);
  }
  return `${inertLines(lines.join('\n'))}\n`;
}

function entryLines(category: string, f: DiffEntry): string[] {
  return [
    `  [${f.severity.toUpperCase()}] ${category}  ${inertText(f.ruleId)}  ${inertText(f.resource.arn)}`,
    ...(f.message !== undefined ? [`      ${inertText(f.message, MESSAGE_MAX)}`] : []),
  ];
}
