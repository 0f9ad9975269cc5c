/**
 * The JSON report: the ScanResult as data, under a versioned envelope. Documented in
 * docs/json-report.md. Key order follows construction order, which is fixed, and findings are
 * sorted by the engine, so the same input always gives the same bytes.
 */
import type { ScanResult } from '../engine/scan.js';

export const JSON_REPORT_VERSION = '1.0';

export function renderJson(result: ScanResult): string {
  const report = {
    reportVersion: JSON_REPORT_VERSION,
    tool: result.tool,
    account: result.account,
    inputs: result.inputs,
    summary: result.summary,
    frameworks: result.frameworks,
    findings: result.findings,
    coverage: result.coverage,
    rules: result.rules.map(({ id, title, severity, service, resourceTypes, controls }) => ({
      id,
      title,
      severity,
      service,
      resourceTypes,
      controls,
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
