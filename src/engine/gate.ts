/**
 * The gating step between evaluation and reports: suppressions (config + inline), then the
 * baseline, then the summary and control rollup recomputed so that suppressed findings stop
 * counting everywhere at once.
 */
import path from 'node:path';
import type { AigisConfig } from './config.js';
import type { Baseline } from './baseline.js';
import { applyBaseline } from './baseline-apply.js';
import type { Framework } from './frameworks.js';
import { isActive, rollupFrameworks, summarize, type ScanResult } from './scan.js';
import { applySuppressions, type SuppressionSpec } from './suppressions.js';
import type { Finding } from './types.js';
import { formatJsonPath } from './errors.js';

export interface GateOptions {
  /** Inline suppressions read from templates (after the config ones, which win on ties). */
  inlineSuppressions?: SuppressionSpec[];
  baseline?: Baseline;
  /** YYYY-MM-DD; decides suppression expiry. */
  today: string;
  /** Config file path as shown to the user (relative to cwd), for suppression sources. */
  configFile?: string;
  /**
   * The tags of a finding's resource, for config suppressions matched by tag (built from the
   * inventory by the caller, src/engine/resource-tags.ts; absent: no finding matches by tag).
   */
  tagsOf?: (finding: Finding) => Readonly<Record<string, string>> | undefined;
}

export interface GateOutcome {
  result: ScanResult;
  warnings: string[];
}

export function suppressionsFromConfig(config: AigisConfig, configFile: string | undefined): SuppressionSpec[] {
  const file = configFile ?? 'config';
  return config.suppressions.map((s, i) => ({
    rule: s.rule,
    resource: s.resource ?? '*',
    reason: s.reason,
    ...(s.tags !== undefined ? { tags: s.tags } : {}),
    ...(s.accounts !== undefined ? { accounts: s.accounts } : {}),
    ...(s.regions !== undefined ? { regions: s.regions } : {}),
    ...(s.expires !== undefined ? { expires: s.expires } : {}),
    source: `${file} at ${formatJsonPath(['suppressions', i])}`,
  }));
}

export function applyGate(result: ScanResult, config: AigisConfig, frameworks: Framework[], options: GateOptions): GateOutcome {
  const specs = [...suppressionsFromConfig(config, options.configFile), ...(options.inlineSuppressions ?? [])];
  const ranRules = result.rules.map((r) => r.id);
  // A one-account result names its account once; a combined one puts it on every finding.
  const single = result.accounts ? undefined : result.account.id;
  const context = { accountOf: (f: Finding) => f.account ?? single, ...(options.tagsOf ? { tagsOf: options.tagsOf } : {}) };
  const { findings: suppressed, warnings } = applySuppressions(result.findings, specs, options.today, ranRules, context);
  const findings = options.baseline ? applyBaseline(suppressed, options.baseline) : suppressed;
  // Suppressions and baselines mark findings, never add or drop them: the resources are the same.
  const summary = summarize(findings, result.summary.resourcesEvaluated, result.passed);
  if (options.baseline) {
    summary.newFailing = findings.filter((f) => isActive(f) && f.verdict === 'fail' && f.baseline === 'new').length;
  }
  return {
    result: {
      ...result,
      findings,
      summary,
      frameworks: rollupFrameworks(frameworks, findings, new Set(ranRules), result.passed),
    },
    warnings,
  };
}

/** Shown paths are relative to the working directory, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file) || file;
  return rel.split(path.sep).join('/');
}
