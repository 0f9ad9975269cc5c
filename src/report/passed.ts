/**
 * The passing side of a scan, per rule: which resources passed and which were not applicable.
 * Reports carry this instead of one finding per passing resource (`--passed list`, the default)
 * or just the counts (`--passed count`): on a large account pass and not-applicable findings
 * are most of the findings and say the same thing again and again.
 */
import type { ScanResult } from '../engine/scan.js';

export interface PassedByRule {
  ruleId: string;
  /** ARNs, in the engine's order (sorted). */
  pass: string[];
  notApplicable: string[];
}

/** In `result.rules` order; rules with neither passing nor not-applicable resources are left out. */
export function passedByRule(result: ScanResult): PassedByRule[] {
  // Kept apart by the engine (ScanResult.passed): already grouped and ordered.
  if (result.passed) {
    return result.passed.map((g) => ({ ruleId: g.ruleId, pass: g.pass.map((r) => r.arn), notApplicable: g.notApplicable.map((r) => r.arn) }));
  }
  const byRule = new Map<string, PassedByRule>();
  for (const rule of result.rules) byRule.set(rule.id, { ruleId: rule.id, pass: [], notApplicable: [] });
  for (let i = 0; i < result.findings.length; i++) {
    const f = result.findings[i]!;
    if (f.verdict !== 'pass' && f.verdict !== 'not_applicable') continue;
    let entry = byRule.get(f.ruleId);
    if (!entry) byRule.set(f.ruleId, (entry = { ruleId: f.ruleId, pass: [], notApplicable: [] }));
    (f.verdict === 'pass' ? entry.pass : entry.notApplicable).push(f.resource.arn);
  }
  return [...byRule.values()].filter((e) => e.pass.length > 0 || e.notApplicable.length > 0);
}
