/**
 * Suppressions: anchored whole-string globs (a suppression for `ci-logs` never hides
 * `ci-logs-replica`), rule patterns, expiry against an injected "today", and suppressed findings
 * that stay visible in JSON, SARIF and Markdown while no longer counting toward --fail-on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySuppressions, globMatches, resolveToday, type SuppressionSpec } from '../../src/engine/suppressions.js';
import type { Finding } from '../../src/engine/types.js';
import { GATE_INVENTORY, S3_RULES, readJson, runCli, tempDir, writeText } from './helpers.js';

describe('glob semantics', () => {
  const table: [pattern: string, value: string, matches: boolean][] = [
    ['ci-logs', 'ci-logs', true],
    ['ci-logs', 'ci-logs-replica', false],
    ['ci-logs', 'old-ci-logs', false],
    ['ci-logs', 'arn:aws:s3:::ci-logs', false],
    ['arn:aws:s3:::ci-logs', 'arn:aws:s3:::ci-logs', true],
    ['arn:aws:s3:::ci-logs', 'arn:aws:s3:::ci-logs-replica', false],
    ['ci-logs*', 'ci-logs-replica', true],
    ['ci-logs*', 'ci-logs', true],
    ['*logs', 'ci-logs', true],
    ['*logs', 'ci-logs-replica', false],
    ['ci-log?', 'ci-logs', true],
    ['ci-log?', 'ci-log', false],
    ['ci-log?', 'ci-logs-replica', false],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:role/service-role/Train', true],
    ['arn:aws:s3:::ci.logs', 'arn:aws:s3:::ci-logs', false],
    ['a+b(c)', 'a+b(c)', true],
    ['CI-LOGS', 'ci-logs', false],
    ['*', 'anything at all', true],
  ];
  for (const [pattern, value, matches] of table) {
    it(`${JSON.stringify(pattern)} ${matches ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      expect(globMatches(pattern, value)).toBe(matches);
    });
  }
});

function finding(ruleId: string, arn: string, verdict: Finding['verdict'] = 'fail', logicalId?: string): Finding {
  return {
    ruleId,
    title: ruleId,
    severity: 'high',
    verdict,
    service: 's3',
    resource: { arn, type: 'AWS::S3::Bucket', region: 'us-east-1', name: arn.split(':::')[1] ?? arn, ...(logicalId ? { source: { file: 'templates/app.yaml', logicalId } } : {}) },
    message: 'm',
    controls: [],
    fingerprint: `${ruleId}|${arn}`,
  };
}

describe('applySuppressions', () => {
  const spec = (over: Partial<SuppressionSpec>): SuppressionSpec => ({ rule: 's3-sse-kms-cmk', resource: '*', reason: 'accepted', source: 'cfg', ...over });

  it('matches the logical id and the name as whole strings too', () => {
    const findings = [finding('s3-sse-kms-cmk', 'arn:aws:s3:::a-bucket', 'fail', 'LogsBucket'), finding('s3-sse-kms-cmk', 'arn:aws:s3:::b-bucket', 'fail', 'LogsBucketReplica')];
    const out = applySuppressions(findings, [spec({ resource: 'LogsBucket' })], '2026-01-01');
    expect(out.findings.map((f) => f.suppression !== undefined)).toEqual([true, false]);
    const byName = applySuppressions(findings, [spec({ resource: 'b-bucket' })], '2026-01-01');
    expect(byName.findings.map((f) => f.suppression !== undefined)).toEqual([false, true]);
  });

  it('never suppresses passing findings, and says when a suppression matched nothing', () => {
    const out = applySuppressions([finding('s3-sse-kms-cmk', 'arn:aws:s3:::ok', 'pass')], [spec({ resource: 'ok' })], '2026-01-01', ['s3-sse-kms-cmk']);
    expect(out.findings[0]!.suppression).toBeUndefined();
    expect(out.warnings).toEqual(['suppression cfg (rule s3-sse-kms-cmk, resource ok) matches no failing or unknown finding: remove it if the issue was fixed']);
  });

  it('does not call a suppression unused when its rule did not run', () => {
    expect(applySuppressions([], [spec({})], '2026-01-01', ['iam-no-s3-wildcard']).warnings).toEqual([]);
  });

  it('suppresses unknown findings too (e.g. a key in an account aigis cannot read)', () => {
    const out = applySuppressions([finding('s3-sse-kms-cmk', 'arn:aws:s3:::x', 'unknown')], [spec({})], '2026-01-01');
    expect(out.findings[0]!.suppression).toEqual({ reason: 'accepted', source: 'cfg' });
  });

  it('expires after the last day, by the injected date', () => {
    const s = [spec({ expires: '2026-06-30' })];
    const f = [finding('s3-sse-kms-cmk', 'arn:aws:s3:::x')];
    expect(applySuppressions(f, s, '2026-06-30').findings[0]!.suppression).toEqual({ reason: 'accepted', expires: '2026-06-30', source: 'cfg' });
    const later = applySuppressions(f, s, '2026-07-01');
    expect(later.findings[0]!.suppression).toBeUndefined();
    expect(later.findings[0]!.evidence).toEqual({ suppressionExpired: { expires: '2026-06-30', reason: 'accepted', source: 'cfg' } });
    expect(later.warnings).toEqual(['suppression cfg (rule s3-sse-kms-cmk, resource *) expired on 2026-06-30: 1 finding counts again']);
  });

  it('a live suppression wins over an expired one for the same finding', () => {
    const out = applySuppressions([finding('s3-sse-kms-cmk', 'arn:aws:s3:::x')], [spec({ expires: '2025-01-01', source: 'old' }), spec({ source: 'new' })], '2026-01-01');
    expect(out.findings[0]!.suppression?.source).toBe('new');
    expect(out.findings[0]!.evidence).toBeUndefined();
  });

  it('takes today from AIGIS_TODAY, validated', () => {
    expect(resolveToday({ AIGIS_TODAY: '2030-01-02' })).toBe('2030-01-02');
    expect(resolveToday({}, () => new Date('2026-03-04T23:59:59Z'))).toBe('2026-03-04');
    expect(() => resolveToday({ AIGIS_TODAY: 'tomorrow' })).toThrow(/AIGIS_TODAY/);
  });
});

async function scan(config: string, env: NodeJS.ProcessEnv = {}, formats = 'json,sarif,markdown', extra: string[] = []) {
  const dir = tempDir();
  writeText(dir, 'aigis.config.yaml', config);
  const run = await runCli(['scan', '--input', GATE_INVENTORY, '--format', formats, '--output', 'out', '--fail-on', 'high', ...S3_RULES, ...extra], { cwd: dir, env });
  const read = (ext: string) => readFileSync(path.join(dir, 'out', `aigis-report.${ext}`), 'utf8');
  return { ...run, dir, read };
}

const CI_LOGS = `suppressions:
  - rule: s3-sse-kms-cmk
    resource: ci-logs
    reason: CI build logs, no customer data (RISK-7)
`;

describe('suppressions through the CLI', () => {
  it('suppressing ci-logs leaves ci-logs-replica failing; the suppressed finding stays visible in every report', async () => {
    const run = await scan(CI_LOGS);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.read('json'));
    const sse = json.findings.filter((f: Finding) => f.ruleId === 's3-sse-kms-cmk' && f.verdict === 'fail');
    expect(sse.map((f: Finding) => [f.resource.name, f.suppression?.reason ?? null])).toEqual([
      ['ci-logs', 'CI build logs, no customer data (RISK-7)'],
      ['ci-logs-replica', null],
    ]);
    expect(sse[0].suppression.source).toBe('aigis.config.yaml at $.suppressions[0]');
    expect(json.summary.suppressed).toBe(1);
    expect(json.summary.failingBySeverity.high).toBe(2);

    const sarif = JSON.parse(run.read('sarif'));
    const results = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 's3-sse-kms-cmk');
    expect(results.map((r: { suppressions?: unknown[] }) => r.suppressions?.length ?? 0)).toEqual([1, 0]);
    expect(results[0].suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted', justification: 'CI build logs, no customer data (RISK-7)' });

    const md = run.read('md');
    expect(md).toContain('<summary>Suppressed (1)</summary>');
    expect(md).toMatch(/\| \[s3-sse-kms-cmk\]\([^)]+\) \| ci-logs \(AWS::S3::Bucket\)<br>arn:aws:s3:::ci-logs \| CI build logs, no customer data \(RISK-7\) \| never \| aigis.config.yaml at \$.suppressions\\\[0\\\] \|/);
    expect(md).toContain('**2 failing findings**');
  });

  it('suppressing everything that fails makes --fail-on pass, and the control rollup follows', async () => {
    const run = await scan(`suppressions:
  - { rule: "s3-*", resource: "arn:aws:s3:::ci-logs*", reason: CI buckets }
  - { rule: "*", resource: public-datasets, reason: Open data by design }
`);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.read('json'));
    expect(json.summary.suppressed).toBe(3);
    expect(json.summary.byVerdict.fail).toBe(0);
    expect(json.frameworks.every((f: { totals: { failing: number } }) => f.totals.failing === 0)).toBe(true);
    expect(run.stderr).not.toContain('warning');
  });

  it('an expired suppression stops suppressing, warns on stderr and is marked in the reports', async () => {
    const config = `${CI_LOGS}    expires: "2026-06-30"\n`;
    const before = await scan(config, { AIGIS_TODAY: '2026-06-30' });
    expect(JSON.parse(before.read('json')).summary.suppressed).toBe(1);
    expect(before.stderr).not.toContain('expired');

    const after = await scan(config, { AIGIS_TODAY: '2026-07-01' });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(
      'aigis: warning: suppression aigis.config.yaml at $.suppressions[0] (rule s3-sse-kms-cmk, resource ci-logs) expired on 2026-06-30: 1 finding counts again',
    );
    const json = JSON.parse(after.read('json'));
    expect(json.summary.suppressed).toBe(0);
    const ciLogs = json.findings.find((f: Finding) => f.ruleId === 's3-sse-kms-cmk' && f.resource.name === 'ci-logs');
    expect(ciLogs.evidence.suppressionExpired).toEqual({ expires: '2026-06-30', reason: 'CI build logs, no customer data (RISK-7)', source: 'aigis.config.yaml at $.suppressions[0]' });
    const sarif = JSON.parse(after.read('sarif'));
    const result = sarif.runs[0].results.find((r: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[]; ruleId: string }) =>
      r.ruleId === 's3-sse-kms-cmk' && r.locations[0]!.logicalLocations[0]!.fullyQualifiedName === 'arn:aws:s3:::ci-logs');
    expect(result.suppressions).toBeUndefined();
    expect(result.properties.evidence.suppressionExpired.expires).toBe('2026-06-30');
    const md = after.read('md');
    expect(md).toContain('### Expired suppressions (1)');
    expect(md).toContain('suppression expired on 2026-06-30');
  });

  it('accepts an unquoted YAML date', async () => {
    const run = await scan(`${CI_LOGS}    expires: 2026-06-30\n`, { AIGIS_TODAY: '2026-06-01' });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.read('json')).findings.find((f: Finding) => f.suppression)?.suppression.expires).toBe('2026-06-30');
  });

  it('output does not depend on the date unless an expiry is involved', async () => {
    const a = await scan(CI_LOGS, { AIGIS_TODAY: '2026-01-01' });
    const b = await scan(CI_LOGS, { AIGIS_TODAY: '2031-12-31' });
    for (const ext of ['json', 'sarif', 'md']) expect(a.read(ext)).toBe(b.read(ext));
    expect(a.read('json')).not.toContain('2026-01-01');
  });

  it('warns about a suppression that matches no failing finding', async () => {
    const run = await scan(`suppressions:\n  - { rule: s3-sse-kms-cmk, resource: training-data, reason: fixed long ago }\n`);
    expect(run.stderr).toContain('aigis: warning: suppression aigis.config.yaml at $.suppressions[0] (rule s3-sse-kms-cmk, resource training-data) matches no failing or unknown finding');
  });
});
