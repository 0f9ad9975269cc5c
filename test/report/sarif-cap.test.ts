/**
 * GitHub code scanning rejects a SARIF run with more than 25,000 results: the writer keeps the
 * most important 25,000 (failing before unknown, most severe first, as the engine orders them) and
 * says in a notification how many it left out and where the full list is.
 */
import { describe, expect, it } from 'vitest';
import { compareFindings } from '../../src/engine/scan.js';
import type { Finding, Severity, Verdict } from '../../src/engine/types.js';
import { MAX_SARIF_RESULTS, buildSarif } from '../../src/report/sarif.js';
import { buildScanResult } from '../fixtures-report/scan-result.js';

function many(count: number, verdict: Verdict, severity: Severity, prefix: string): Finding[] {
  return Array.from({ length: count }, (_, i) => ({
    ruleId: 's3-block-public-access',
    title: 'Block public access',
    severity,
    verdict,
    service: 's3',
    resource: { arn: `arn:aws:s3:::${prefix}-${String(i).padStart(6, '0')}`, type: 'AWS::S3::Bucket', region: 'us-east-1' },
    message: `${prefix} ${i}`,
    controls: [],
    fingerprint: `${prefix}${i}`,
  }));
}

describe('SARIF result cap', () => {
  it('keeps 25,000 results, failing and most severe first, and says how many it left out', () => {
    const findings = [
      ...many(3, 'pass', 'high', 'ok'),
      ...many(10, 'unknown', 'critical', 'unread'),
      ...many(MAX_SARIF_RESULTS - 5, 'fail', 'low', 'low'),
      ...many(20, 'fail', 'critical', 'crit'),
    ].sort(compareFindings);
    const log = buildSarif(buildScanResult({ findings }));
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(MAX_SARIF_RESULTS);
    const levels = run.results!.map((r) => r.properties?.severity);
    expect(levels.slice(0, 20).every((s) => s === 'critical')).toBe(true);
    // 25,015 failing and 10 unknown: the 20 critical and the first 24,980 low failures are kept;
    // the unknown ones, though critical, come after every failure.
    expect(run.results!.filter((r) => r.properties?.verdict === 'unknown')).toHaveLength(0);
    expect(run.results!.filter((r) => r.properties?.severity === 'low')).toHaveLength(MAX_SARIF_RESULTS - 20);
    expect(run.properties?.resultsOmitted).toBe(25);
    const note = run.invocations![0]!.toolExecutionNotifications!.find((n) => n.descriptor?.id === 'results-truncated');
    expect(note?.message.text).toMatch(/^25 of 25025 failing and unknown findings are left out: GitHub code scanning accepts at most 25000 results per run\./);
    expect(note?.message.text).toContain('the JSON report (--format json) has every finding');
  });

  it('leaves a run within the limit untouched, without a notification', () => {
    const findings = many(MAX_SARIF_RESULTS, 'fail', 'high', 'b').sort(compareFindings);
    const run = buildSarif(buildScanResult({ findings })).runs[0]!;
    expect(run.results).toHaveLength(MAX_SARIF_RESULTS);
    expect(run.properties?.resultsOmitted).toBeUndefined();
    expect(run.invocations![0]!.toolExecutionNotifications?.some((n) => n.descriptor?.id === 'results-truncated') ?? false).toBe(false);
  });
});
