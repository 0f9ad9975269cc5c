/**
 * Applying a baseline to findings: apart from reading baseline files (baseline.ts, which validates
 * them with zod) so that the gate, which every scan runs, does not load zod.
 */
import type { Baseline } from './baseline.js';
import type { Finding } from './types.js';

/**
 * Sets `baseline` on every fail/unknown finding. Passing findings carry no state: "new" would
 * mean nothing for them.
 */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  return findings.map((finding) => {
    if (finding.verdict !== 'fail' && finding.verdict !== 'unknown') return finding;
    return { ...finding, baseline: baseline.fingerprints.has(finding.fingerprint) ? 'existing' : 'new' };
  });
}
