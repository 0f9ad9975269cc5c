/**
 * `aigis scan --compare OLD.json`: the previous report is read (and validated) before the scan,
 * so a bad file fails fast; once the scan's result exists, the delta (src/engine/diff.ts) is
 * attached to it for the reports (Markdown, HTML, the JSON report's `delta`).
 */
import { readReportDocument } from '../engine/baseline.js';
import { checkSameAccounts, computeDelta, scanResultSide, type DiffSide } from '../engine/diff.js';
import { parseDiffReport } from '../engine/diff-report.js';
import type { ScanResult } from '../engine/scan.js';

export async function loadPreviousReport(file: string, shown: string): Promise<DiffSide> {
  return parseDiffReport(await readReportDocument(file, shown, 'report'), shown);
}

/** The result with `delta`: what changed since the previous report. */
export function withDelta(result: ScanResult, previous: DiffSide, flag: string): ScanResult {
  const current = scanResultSide(result);
  checkSameAccounts(previous, current, `--compare ${flag}`, 'this scan');
  result.delta = computeDelta(previous, current);
  return result;
}
