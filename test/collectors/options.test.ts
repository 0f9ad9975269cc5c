import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatStats, parseRegions } from '../../src/collectors/index.js';
import { errorCodeOf } from '../../src/collectors/failures.js';
import type { CollectStats } from '../../src/collectors/runtime.js';
import { collectOptionsFrom, parseSinceDays } from '../../src/commands/collect-run.js';
import type { Io } from '../../src/commands/io.js';
import { UsageError } from '../../src/engine/errors.js';

const io = (env: NodeJS.ProcessEnv = {}): Io => ({ stdout: () => undefined, stderr: () => undefined, cwd: '/', env, isTTY: false });

describe('live options', () => {
  it('parses --regions lists and all', () => {
    expect(parseRegions(['us-east-1,eu-west-1', 'us-east-1'])).toEqual(['eu-west-1', 'us-east-1']);
    expect(parseRegions('all')).toBe('all');
    expect(parseRegions(['ALL'])).toBe('all');
    expect(parseRegions([])).toBeUndefined();
  });

  it('parses --since as days', () => {
    expect(parseSinceDays('30')).toBe(30);
    expect(parseSinceDays('90d')).toBe(90);
    expect(() => parseSinceDays('3 weeks')).toThrow(UsageError);
    expect(() => parseSinceDays('0')).toThrow(/--since/);
  });

  it('builds collect options and rejects bad flags as usage errors', () => {
    expect(
      collectOptionsFrom(
        { profile: 'audit', region: 'eu-west-1', regions: ['all'], services: ['s3,iam'], concurrency: ['4', 's3=16,iam=2'], since: '30d', maxAttempts: 3, requestTimeout: 5000 },
        io(),
      ),
    ).toEqual({ profile: 'audit', region: 'eu-west-1', regions: 'all', services: ['s3', 'iam'], concurrency: 4, serviceConcurrency: { s3: 16, iam: 2 }, sinceDays: 30, maxAttempts: 3, requestTimeoutMs: 5000 });
    expect(collectOptionsFrom({}, io({ AWS_ENDPOINT_URL: 'http://localhost:4566' }))).toEqual({ endpointUrl: 'http://localhost:4566' });
    expect(() => collectOptionsFrom({ services: ['s3', 'ec3'] }, io())).toThrow(/--services: unknown service "ec3"/);
    expect(() => collectOptionsFrom({ concurrency: ['0'] }, io())).toThrow(/--concurrency: expected a positive integer/);
    expect(() => collectOptionsFrom({ concurrency: ['s3:4'] }, io())).toThrow(/--concurrency: expected N or service=N/);
    expect(() => collectOptionsFrom({ endpointUrl: 'localhost:4566' }, io())).toThrow(/--endpoint-url/);
  });
});

describe('error codes', () => {
  it('prefers the AWS error code, then timeouts, network codes and HTTP status', () => {
    expect(errorCodeOf(Object.assign(new Error('x'), { name: 'AccessDenied' }))).toBe('AccessDenied');
    expect(errorCodeOf(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe('TimeoutError');
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe('TimeoutError');
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe('ENOTFOUND');
    expect(errorCodeOf(Object.assign(new Error('x'), { name: 'Unknown', $metadata: { httpStatusCode: 502 } }))).toBe('HTTP502');
    expect(errorCodeOf('weird')).toBe('UnknownError');
  });
});

describe('progress and stats', () => {
  it('rewrites one line on a TTY and clears it at the end', () => {
    const written: string[] = [];
    const reporter = createProgressReporter({ isTTY: true, write: (t) => written.push(t) });
    reporter.onProgress({ kind: 'unit', unitsDone: 1, unitsTotal: 4, calls: 10, errors: 1, unit: { service: 's3', region: 'global', calls: 10, errors: 1, ms: 5 } });
    reporter.done();
    expect(written[0]).toBe('\r\x1b[2Kaigis: collecting 1/4 service-regions, 10 API calls, 1 error');
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  it('prints one plain line per finished unit otherwise (no per-call noise)', () => {
    const written: string[] = [];
    const reporter = createProgressReporter({ isTTY: false, write: (t) => written.push(t) });
    reporter.onProgress({ kind: 'call', unitsDone: 0, unitsTotal: 4, calls: 1, errors: 0 });
    reporter.onProgress({ kind: 'unit', unitsDone: 1, unitsTotal: 4, calls: 3, errors: 0, unit: { service: 'kms', region: 'eu-west-1', calls: 3, errors: 0, ms: 12 } });
    expect(written).toEqual(['aigis: collected kms (eu-west-1) in 12 ms [1/4]\n']);
  });

  it('formats --stats', () => {
    const stats: CollectStats = {
      wallMs: 1200,
      calls: 3,
      errors: 1,
      callsByOperation: { 'kms:ListKeys': 2, 'sts:GetCallerIdentity': 1 },
      services: { kms: { calls: 2, errors: 1, wallMs: 900 } },
      medianCallMs: 12.5,
      concurrency: { kms: 8 },
      notes: ['something to know'],
    };
    expect(formatStats(stats)).toBe(
      [
        'API calls: 3 in 1200 ms (median call 12.5 ms), 1 collection error',
        '  kms:ListKeys                 2',
        '  sts:GetCallerIdentity        1',
        'Wall time per service:',
        '  kms                  900 ms        2 calls     1 errors  (concurrency 8)',
        'note: something to know',
        '',
      ].join('\n'),
    );
  });
});
