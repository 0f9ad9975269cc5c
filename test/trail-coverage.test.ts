/**
 * The selector matching of src/engine/trail-coverage.ts: literal comparisons (selector values are
 * user strings, never patterns), prefix sets, classic and advanced selectors, and how trails
 * combine.
 */
import { describe, expect, it } from 'vitest';
import type { CloudTrail } from '../src/inventory/schema.js';
import {
  bedrockTarget,
  coverageState,
  matchesValue,
  prefixSetLevel,
  s3ObjectTarget,
  summarizeCoverage,
  trailDataCoverage,
} from '../src/engine/trail-coverage.js';

type Advanced = NonNullable<CloudTrail['advancedEventSelectors']>;
type Classic = NonNullable<CloudTrail['eventSelectors']>;

function trail(name: string, selectors: { advanced?: Advanced; classic?: Classic }, extra: Partial<CloudTrail> = {}): CloudTrail {
  return {
    arn: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`,
    region: 'us-east-1',
    name,
    homeRegion: 'us-east-1',
    isMultiRegionTrail: true,
    isOrganizationTrail: false,
    isLogging: true,
    eventSelectors: selectors.advanced ? null : (selectors.classic ?? undefined),
    advancedEventSelectors: selectors.advanced ?? (selectors.classic ? null : undefined),
    ...extra,
  };
}

const s3Data = (...more: Advanced[number]['fieldSelectors']): Advanced[number] => ({
  fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }, ...more],
});
const classic = (readWriteType: 'All' | 'ReadOnly' | 'WriteOnly', ...values: string[]): Classic[number] => ({
  readWriteType,
  includeManagementEvents: true,
  dataResources: [{ type: 'AWS::S3::Object', values }],
  excludeManagementEventSources: [],
});

describe('field selector matching', () => {
  it('compares values literally: regular expression characters are plain characters', () => {
    expect(matchesValue({ field: 'eventName', equals: ['Get.*'] }, 'GetObject')).toBe(false);
    expect(matchesValue({ field: 'eventName', equals: ['Get.*'] }, 'Get.*')).toBe(true);
    expect(matchesValue({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::ai.data/'] }, 'arn:aws:s3:::aixdata/x')).toBe(false);
    expect(matchesValue({ field: 'resources.ARN', endsWith: ['(a+)+$'] }, 'x(a+)+$')).toBe(true);
  });

  it('needs one positive condition and no negative one', () => {
    const f = { field: 'resources.ARN', startsWith: ['arn:aws:s3:::b/'], notEndsWith: ['.tmp'] };
    expect(matchesValue(f, 'arn:aws:s3:::b/data.csv')).toBe(true);
    expect(matchesValue(f, 'arn:aws:s3:::b/data.tmp')).toBe(false);
    expect(matchesValue({ field: 'readOnly', notEquals: ['true'] }, 'false')).toBe(true);
  });

  it('judges the set of ARNs under a prefix: all, some or none', () => {
    const p = 'arn:aws:s3:::bucket/';
    expect(prefixSetLevel({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::bucket/'] }, p)).toBe('all');
    expect(prefixSetLevel({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::'] }, p)).toBe('all');
    expect(prefixSetLevel({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::bucket/logs/'] }, p)).toBe('some');
    expect(prefixSetLevel({ field: 'resources.ARN', equals: ['arn:aws:s3:::bucket/one.csv'] }, p)).toBe('some');
    expect(prefixSetLevel({ field: 'resources.ARN', endsWith: ['.parquet'] }, p)).toBe('some');
    expect(prefixSetLevel({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::other/'] }, p)).toBe('none');
    expect(prefixSetLevel({ field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::bucket/'] }, p)).toBe('none');
    expect(prefixSetLevel({ field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::bucket/tmp/'] }, p)).toBe('some');
    expect(prefixSetLevel({ field: 'resources.ARN', notEquals: ['arn:aws:s3:::other/x'] }, p)).toBe('all');
    // A bucket whose name extends another's is not under the other's prefix.
    expect(prefixSetLevel({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::bucket-2/'] }, p)).toBe('none');
  });
});

describe('what one trail records', () => {
  const target = s3ObjectTarget('aws', 'training');

  it('is undefined when the selectors were not read', () => {
    expect(trailDataCoverage(trail('t', {}), target)).toBeUndefined();
  });

  it('classic: arn:aws:s3 and the bucket ARN cover all; a longer value only part; other types nothing', () => {
    for (const value of ['arn:aws:s3', 'arn:aws:s3:::', 'arn:aws:s3:::training', 'arn:aws:s3:::training/']) {
      expect(trailDataCoverage(trail('t', { classic: [classic('All', value)] }), target), value).toMatchObject({ read: 'all', write: 'all' });
    }
    expect(trailDataCoverage(trail('t', { classic: [classic('All', 'arn:aws:s3:::training/raw/')] }), target)).toMatchObject({ read: 'some', write: 'some' });
    expect(trailDataCoverage(trail('t', { classic: [classic('All', 'arn:aws:s3:::train')] }), target)).toMatchObject({ read: 'none', write: 'none' });
    expect(trailDataCoverage(trail('t', { classic: [classic('ReadOnly', 'arn:aws:s3'), classic('WriteOnly', 'arn:aws:s3:::training')] }), target)).toMatchObject({ read: 'all', write: 'all' });
  });

  it('advanced: needs eventCategory Data and the resource type; readOnly splits directions', () => {
    const management = trail('t', { advanced: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] });
    expect(trailDataCoverage(management, target)).toMatchObject({ read: 'none', write: 'none' });
    const reads = trail('t', { advanced: [s3Data({ field: 'readOnly', equals: ['true'] })] });
    expect(trailDataCoverage(reads, target)).toMatchObject({ read: 'all', write: 'none' });
    const lambda = trail('t', { advanced: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::Lambda::Function'] }] }] });
    expect(trailDataCoverage(lambda, target)).toMatchObject({ read: 'none', write: 'none' });
    const source = trail('t', { advanced: [s3Data({ field: 'eventSource', equals: ['s3.amazonaws.com'] })] });
    expect(trailDataCoverage(source, target)).toMatchObject({ read: 'all', write: 'all', limits: [] });
    const principal = trail('t', { advanced: [s3Data({ field: 'userIdentity.arn', notStartsWith: ['arn:aws:sts::123456789012:assumed-role/etl/'] })] });
    expect(trailDataCoverage(principal, target)).toMatchObject({ read: 'some', write: 'some' });
    expect(trailDataCoverage(principal, target)?.limits[0]).toContain('filters on userIdentity.arn');
  });

  it('Bedrock: a resources.ARN condition on the Region prefix keeps everything, a narrower one does not', () => {
    const guardrails = bedrockTarget('aws', 'us-east-1', 'AWS::Bedrock::Guardrail');
    const selector = (arn: string) =>
      trail('t', {
        advanced: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::Bedrock::Guardrail'] }, { field: 'resources.ARN', startsWith: [arn] }] }],
      });
    expect(trailDataCoverage(selector('arn:aws:bedrock:'), guardrails)).toMatchObject({ read: 'all', write: 'all' });
    expect(trailDataCoverage(selector('arn:aws:bedrock:us-east-1:123456789012:guardrail/'), guardrails)).toMatchObject({ read: 'some', write: 'some' });
  });
});

describe('what the trails record together', () => {
  const target = s3ObjectTarget('aws', 'training');

  it('takes reads and writes from different logging trails', () => {
    const summary = summarizeCoverage(
      [trail('reads', { classic: [classic('ReadOnly', 'arn:aws:s3')] }), trail('writes', { classic: [classic('WriteOnly', 'arn:aws:s3')] })],
      target,
      'us-east-1',
    );
    expect(coverageState(summary)).toBe('covered');
    expect(summary).toMatchObject({ readBy: ['reads'], writeBy: ['writes'] });
  });

  it('ignores trails of other Regions and stopped trails; an unread status stays open only when it could complete the coverage', () => {
    const other = trail('eu', { classic: [classic('All', 'arn:aws:s3')] }, { homeRegion: 'eu-west-1', isMultiRegionTrail: false });
    const stopped = trail('stopped', { classic: [classic('All', 'arn:aws:s3')] }, { isLogging: false });
    expect(coverageState(summarizeCoverage([other, stopped], target, 'us-east-1'))).toBe('none');
    const unreadFull = trail('unread', { classic: [classic('All', 'arn:aws:s3')] }, { isLogging: undefined });
    expect(coverageState(summarizeCoverage([unreadFull], target, 'us-east-1'))).toBe('undecided');
    const unreadPartial = trail('unread', { classic: [classic('All', 'arn:aws:s3:::training/raw/')] }, { isLogging: undefined });
    expect(coverageState(summarizeCoverage([unreadPartial], target, 'us-east-1'))).toBe('none');
  });

  it('is the same whatever the order of the trails', () => {
    const a = trail('a', { classic: [classic('ReadOnly', 'arn:aws:s3')] });
    const b = trail('b', { classic: [classic('All', 'arn:aws:s3:::training/x/')] });
    expect(JSON.stringify(summarizeCoverage([a, b], target, 'us-east-1'))).toBe(JSON.stringify(summarizeCoverage([b, a], target, 'us-east-1')));
  });

  it('stays linear on many hostile values', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `arn:aws:s3:::${'a'.repeat(50)}(${i}+)+$/`);
    const started = performance.now();
    const summary = summarizeCoverage([trail('big', { classic: [classic('All', ...values)] })], s3ObjectTarget('aws', `${'a'.repeat(50)}(4999+)+$`), 'us-east-1');
    expect(coverageState(summary)).toBe('covered');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
