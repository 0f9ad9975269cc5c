/** Options every report format takes (`--passed`, `--pretty`). */

/**
 * How much of the passing side a report carries. Failing and unknown findings are always in full;
 * pass and not-applicable findings are most of a large account's findings and mostly noise:
 * - `full`: each one as a finding, like the failing ones;
 * - `list`: per rule, the resources that passed (and that were not applicable), ARNs only;
 * - `count`: per rule, how many.
 */
export const PASSED_MODES = ['full', 'list', 'count'] as const;
export type PassedMode = (typeof PASSED_MODES)[number];

export interface ReportOptions {
  passed: PassedMode;
  /** Indented JSON (JSON and SARIF); compact by default. */
  pretty: boolean;
  /**
   * When the scan ran (ISO 8601, UTC), with `--timestamp`: audit evidence needs an "as of" date.
   * Absent by default, so that the same input gives byte-identical reports.
   */
  timestamp?: string;
}

export const DEFAULT_REPORT_OPTIONS: ReportOptions = { passed: 'list', pretty: false };
