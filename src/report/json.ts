/**
 * The JSON report: the ScanResult as data, under a versioned envelope. Documented in
 * docs/json-report.md. Key order follows construction order, which is fixed, and findings are
 * sorted by the engine, so the same input always gives the same bytes.
 */
import type { ScanResult } from '../engine/scan.js';
import { joinChunks, prettyJsonChunks } from './json-chunks.js';

export const JSON_REPORT_VERSION = '1.0';

export function renderJson(result: ScanResult): string {
  return joinChunks(renderJsonChunks(result));
}

/** The report in chunks, the findings written one by one (see json-chunks.ts). */
export function* renderJsonChunks(result: ScanResult): Generator<string> {
  yield* prettyJsonChunks(jsonReport(result), ['findings']);
  yield '\n';
}

function jsonReport(result: ScanResult) {
  return {
    reportVersion: JSON_REPORT_VERSION,
    tool: result.tool,
    account: result.account,
    inputs: result.inputs,
    summary: result.summary,
    frameworks: result.frameworks,
    findings: result.findings,
    coverage: result.coverage,
    ...(result.scope ? { scope: result.scope } : {}),
    aiWorkloads: result.aiWorkloads,
    rules: result.rules.map(({ id, title, severity, service, resourceTypes, controls }) => ({
      id,
      title,
      severity,
      service,
      resourceTypes,
      controls,
    })),
  };
}
