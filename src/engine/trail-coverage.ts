/**
 * Which data events a CloudTrail trail records, read from its classic or advanced event selectors.
 * Pure functions over the inventory: the S3 and Bedrock data event rules and the data-class rule
 * ask here whether "data events of resource type T on resources whose ARN starts with P" are
 * recorded for reads and for writes, fully, only in part, or not at all.
 *
 * Selector values come from accounts, templates and plans: they are compared literally
 * (equality, startsWith, endsWith), never turned into patterns.
 *
 * Advanced selectors (CloudTrail's semantics): a selector records an event when every one of its
 * field selectors matches; a field selector matches a value when, if it has positive operators
 * (Equals, StartsWith, EndsWith), one of their values matches, and none of its negative operators'
 * values (NotEquals, NotStartsWith, NotEndsWith) does. A trail records what any of its selectors
 * records.
 */
import type { CloudTrail } from '../inventory/schema.js';
import { describeErrors } from './inventory-index.js';
import { missingReason, partialScopeReason } from './rule-kit.js';
import type { RuleContext } from './types.js';

/** How much of the target a selector, trail or set of trails records: nothing, part of it, all of it. */
export type Level = 'none' | 'some' | 'all';

const RANK: Record<Level, number> = { none: 0, some: 1, all: 2 };
const minLevel = (a: Level, b: Level): Level => (RANK[a] <= RANK[b] ? a : b);
const maxLevel = (a: Level, b: Level): Level => (RANK[a] >= RANK[b] ? a : b);

/** What must be recorded: data events of one resource type on the resources whose ARN starts with `arnPrefix`. */
export interface DataEventTarget {
  /** `resources.type` / classic `DataResources.Type`: `AWS::S3::Object`, `AWS::Bedrock::Guardrail`. */
  resourceType: string;
  /** Every resource of the target has an ARN starting with this: `arn:aws:s3:::bucket/`, `arn:aws:bedrock:us-east-1:`. */
  arnPrefix: string;
  /** Classic `DataResources.Values` that mean the whole target (`arn:aws:s3`, `arn:aws:s3:::`, `arn:aws:s3:::bucket`). */
  classicAll?: readonly string[];
  /** The eventSource of the target's events (`s3.amazonaws.com`): a filter that keeps it does not narrow. */
  eventSource?: string;
}

/** What one trail records of a target. */
export interface TrailDataCoverage {
  read: Level;
  write: Level;
  /** The selectors that record some of it ("advanced selector \"S3 data events\"", "event selector 1"). */
  selectors: string[];
  /** Why what is recorded is only part of the target, one phrase per selector and reason. */
  limits: string[];
}

/** The S3 objects of one bucket, as a data event target. */
export function s3ObjectTarget(partition: string, bucketName: string): DataEventTarget {
  return {
    resourceType: 'AWS::S3::Object',
    arnPrefix: `arn:${partition}:s3:::${bucketName}/`,
    classicAll: [`arn:${partition}:s3`, `arn:${partition}:s3:::`, `arn:${partition}:s3:::${bucketName}`],
    eventSource: 's3.amazonaws.com',
  };
}

/** All resources of one Bedrock data event resource type in one Region. */
export function bedrockTarget(partition: string, region: string, resourceType: string): DataEventTarget {
  return { resourceType, arnPrefix: `arn:${partition}:bedrock:${region}:`, eventSource: 'bedrock.amazonaws.com' };
}

/** Were the trail's selectors read? Advanced ones when the trail uses them, else the classic ones. */
export function selectorsRead(trail: CloudTrail): boolean {
  return Array.isArray(trail.advancedEventSelectors) || Array.isArray(trail.eventSelectors);
}

/** What the trail's selectors record of the target; undefined when its selectors were not read. */
export function trailDataCoverage(trail: CloudTrail, target: DataEventTarget): TrailDataCoverage | undefined {
  if (Array.isArray(trail.advancedEventSelectors) && trail.advancedEventSelectors.length > 0) {
    return advancedCoverage(trail.advancedEventSelectors, target);
  }
  if (Array.isArray(trail.eventSelectors)) return classicCoverage(trail.eventSelectors, target);
  if (Array.isArray(trail.advancedEventSelectors)) return { read: 'none', write: 'none', selectors: [], limits: [] };
  return undefined;
}

type ClassicSelector = NonNullable<CloudTrail['eventSelectors']>[number];
type AdvancedSelector = NonNullable<CloudTrail['advancedEventSelectors']>[number];
type FieldSelector = AdvancedSelector['fieldSelectors'][number];

function classicCoverage(selectors: readonly ClassicSelector[], target: DataEventTarget): TrailDataCoverage {
  const out: TrailDataCoverage = { read: 'none', write: 'none', selectors: [], limits: [] };
  selectors.forEach((selector, i) => {
    const label = `event selector ${i + 1}`;
    let level: Level = 'none';
    const prefixes: string[] = [];
    for (const resource of selector.dataResources) {
      if (resource.type !== target.resourceType) continue;
      for (const value of resource.values) {
        if (value === target.arnPrefix || target.classicAll?.includes(value)) level = 'all';
        else if (value.startsWith(target.arnPrefix)) {
          level = maxLevel(level, 'some');
          prefixes.push(value);
        }
      }
    }
    if (level === 'none') return;
    out.selectors.push(label);
    if (level === 'some') out.limits.push(`${label} records only objects under ${prefixes.sort().join(', ')}`);
    if (selector.readWriteType !== 'WriteOnly') out.read = maxLevel(out.read, level);
    if (selector.readWriteType !== 'ReadOnly') out.write = maxLevel(out.write, level);
  });
  return out;
}

function advancedCoverage(selectors: readonly AdvancedSelector[], target: DataEventTarget): TrailDataCoverage {
  const out: TrailDataCoverage = { read: 'none', write: 'none', selectors: [], limits: [] };
  selectors.forEach((selector, i) => {
    const label = selector.name ? `advanced selector "${selector.name}"` : `advanced selector ${i + 1}`;
    const judged = judgeAdvanced(selector, target);
    if (!judged || judged.level === 'none' || (!judged.read && !judged.write)) return;
    out.selectors.push(label);
    for (const limit of judged.limits) out.limits.push(`${label} ${limit}`);
    if (judged.read) out.read = maxLevel(out.read, judged.level);
    if (judged.write) out.write = maxLevel(out.write, judged.level);
  });
  return out;
}

/** One advanced selector against the target: how much it records, for which directions, and why only part. */
function judgeAdvanced(selector: AdvancedSelector, target: DataEventTarget): { level: Level; read: boolean; write: boolean; limits: string[] } | undefined {
  const byField = new Map<string, FieldSelector[]>();
  for (const f of selector.fieldSelectors) byField.set(f.field, [...(byField.get(f.field) ?? []), f]);

  const category = byField.get('eventCategory');
  if (!category || !category.every((f) => matchesValue(f, 'Data'))) return undefined;
  const type = byField.get('resources.type');
  if (!type || !type.every((f) => matchesValue(f, target.resourceType))) return undefined;

  const readOnly = byField.get('readOnly');
  const read = !readOnly || readOnly.every((f) => matchesValue(f, 'true'));
  const write = !readOnly || readOnly.every((f) => matchesValue(f, 'false'));

  let level: Level = 'all';
  const limits: string[] = [];
  for (const [field, list] of [...byField.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (field === 'eventCategory' || field === 'resources.type' || field === 'readOnly') continue;
    for (const f of list) {
      if (!hasCondition(f)) continue;
      if (field === 'resources.ARN') {
        const arn = prefixSetLevel(f, target.arnPrefix);
        level = minLevel(level, arn);
        if (arn === 'some') limits.push(`limits resources.ARN (${describeConditions(f, target.arnPrefix)})`);
      } else if (field === 'eventSource' && target.eventSource !== undefined) {
        if (!matchesValue(f, target.eventSource)) level = 'none';
      } else {
        level = minLevel(level, 'some');
        limits.push(`filters on ${field} (${describeConditions(f)})`);
      }
    }
  }
  return { level, read, write, limits };
}

const POSITIVE = ['equals', 'startsWith', 'endsWith'] as const;
const NEGATIVE = ['notEquals', 'notStartsWith', 'notEndsWith'] as const;

function hasCondition(f: FieldSelector): boolean {
  return [...POSITIVE, ...NEGATIVE].some((op) => (f[op]?.length ?? 0) > 0);
}

/** Does one literal value satisfy the field selector? */
export function matchesValue(f: FieldSelector, value: string): boolean {
  const positives = POSITIVE.some((op) => (f[op]?.length ?? 0) > 0);
  const positive =
    !positives ||
    (f.equals ?? []).includes(value) ||
    (f.startsWith ?? []).some((s) => value.startsWith(s)) ||
    (f.endsWith ?? []).some((s) => value.endsWith(s));
  const negative =
    (f.notEquals ?? []).includes(value) ||
    (f.notStartsWith ?? []).some((s) => value.startsWith(s)) ||
    (f.notEndsWith ?? []).some((s) => value.endsWith(s));
  return positive && !negative;
}

/**
 * How much of the set of strings starting with `prefix` (every object ARN of a bucket, every
 * resource ARN in a Region) the field selector lets through.
 */
export function prefixSetLevel(f: FieldSelector, prefix: string): Level {
  let positive: Level;
  if (!POSITIVE.some((op) => (f[op]?.length ?? 0) > 0)) positive = 'all';
  else if ((f.startsWith ?? []).some((s) => prefix.startsWith(s))) positive = 'all';
  else if (
    (f.startsWith ?? []).some((s) => s.startsWith(prefix)) ||
    (f.equals ?? []).some((s) => s.startsWith(prefix)) ||
    (f.endsWith ?? []).length > 0
  ) {
    positive = 'some';
  } else positive = 'none';

  let negative: Level = 'all';
  if ((f.notStartsWith ?? []).some((s) => prefix.startsWith(s))) negative = 'none';
  else if (
    (f.notStartsWith ?? []).some((s) => s.startsWith(prefix)) ||
    (f.notEquals ?? []).some((s) => s.startsWith(prefix)) ||
    (f.notEndsWith ?? []).length > 0
  ) {
    negative = 'some';
  }
  return minLevel(positive, negative);
}

const OPERATOR_NAMES: Record<(typeof POSITIVE)[number] | (typeof NEGATIVE)[number], string> = {
  equals: 'Equals',
  startsWith: 'StartsWith',
  endsWith: 'EndsWith',
  notEquals: 'NotEquals',
  notStartsWith: 'NotStartsWith',
  notEndsWith: 'NotEndsWith',
};

/** The field selector's conditions in words; with `prefix`, only the values that bear on ARNs under it. */
function describeConditions(f: FieldSelector, prefix?: string): string {
  const relevant = (op: (typeof POSITIVE)[number] | (typeof NEGATIVE)[number], value: string): boolean =>
    prefix === undefined || op === 'endsWith' || op === 'notEndsWith' || value.startsWith(prefix) || prefix.startsWith(value);
  return [...POSITIVE, ...NEGATIVE]
    .map((op): [string, string[]] => [OPERATOR_NAMES[op], (f[op] ?? []).filter((v) => relevant(op, v))])
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => `${name} ${values.join(', ')}`)
    .join('; ');
}

/** Why a trail cannot be counted either way. */
export type UndecidedReason = 'selectors' | 'status' | 'region';

/** What the account's trails record of one target, as far as the inventory shows. */
export interface CoverageSummary {
  /** Best coverage of read and of write events by trails known to be logging. */
  read: Level;
  write: Level;
  /** Logging trails that record all of the target's read (write) events. */
  readBy: string[];
  writeBy: string[];
  /** Logging trails that record part of it, with why only part. */
  partial: { trail: string; limits: string[]; read: Level; write: Level }[];
  /** Trails that record some of it but are not logging. */
  stopped: string[];
  /** Trails that could change the verdict but were not fully read (selectors, logging status), or whose Region coverage is unknown. */
  undecided: { trail: CloudTrail; reason: UndecidedReason }[];
  /** The trails that apply to the target's Region (multi-region, or home Region). */
  considered: number;
}

/** Complete (read and write, all of it), partly recorded, not recorded, or not known. */
export type CoverageState = 'covered' | 'partial' | 'none' | 'undecided';

/**
 * What the trails record of the target in `region` (undefined when the resource's Region is not
 * known: only multi-region trails then count for sure). A trail counts when it is logging
 * (isLogging true) and is multi-region or has its home in the Region. Read and write events may be
 * recorded by different trails.
 */
export function summarizeCoverage(trails: readonly CloudTrail[], target: DataEventTarget, region: string | undefined): CoverageSummary {
  const summary: CoverageSummary = { read: 'none', write: 'none', readBy: [], writeBy: [], partial: [], stopped: [], undecided: [], considered: 0 };
  // What undecided trails could at best add: a verdict stays open only if they could complete it.
  let potentialRead: Level = 'none';
  let potentialWrite: Level = 'none';
  const pending: { trail: CloudTrail; reason: UndecidedReason; read: Level; write: Level }[] = [];
  for (const trail of [...trails].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))) {
    const regional = !trail.isMultiRegionTrail;
    if (regional && region !== undefined && trail.homeRegion !== region) continue;
    summary.considered++;
    const coverage = trailDataCoverage(trail, target);
    if (!coverage) {
      if (trail.isLogging !== false) pending.push({ trail, reason: 'selectors', read: 'all', write: 'all' });
      continue;
    }
    if (coverage.read === 'none' && coverage.write === 'none') continue;
    if (trail.isLogging === false) {
      summary.stopped.push(trail.name);
      continue;
    }
    if (trail.isLogging === undefined || (regional && region === undefined)) {
      pending.push({ trail, reason: trail.isLogging === undefined ? 'status' : 'region', read: coverage.read, write: coverage.write });
      continue;
    }
    summary.read = maxLevel(summary.read, coverage.read);
    summary.write = maxLevel(summary.write, coverage.write);
    if (coverage.read === 'all') summary.readBy.push(trail.name);
    if (coverage.write === 'all') summary.writeBy.push(trail.name);
    if (coverage.limits.length || coverage.read !== 'all' || coverage.write !== 'all') {
      summary.partial.push({ trail: trail.name, limits: coverage.limits, read: coverage.read, write: coverage.write });
    }
  }
  potentialRead = summary.read;
  potentialWrite = summary.write;
  for (const p of pending) {
    potentialRead = maxLevel(potentialRead, p.read);
    potentialWrite = maxLevel(potentialWrite, p.write);
  }
  // Undecided trails matter only when the logging ones leave the target incomplete and they could complete it.
  const complete = summary.read === 'all' && summary.write === 'all';
  if (!complete && potentialRead === 'all' && potentialWrite === 'all') {
    summary.undecided = pending.map(({ trail, reason }) => ({ trail, reason }));
  }
  return summary;
}

export function coverageState(summary: CoverageSummary): CoverageState {
  if (summary.read === 'all' && summary.write === 'all') return 'covered';
  if (summary.undecided.length) return 'undecided';
  return summary.read === 'none' && summary.write === 'none' ? 'none' : 'partial';
}

/** "read and write", "read", "write": what the summary records in full. */
export function describeRecorded(summary: CoverageSummary): string {
  const parts: string[] = [];
  if (summary.readBy.length) parts.push(`read events by ${summary.readBy.join(', ')}`);
  if (summary.writeBy.length) parts.push(`write events by ${summary.writeBy.join(', ')}`);
  return parts.join(' and ');
}

/** Why a summary is not complete, in words, for messages (without the leading subject). */
export function describeGaps(summary: CoverageSummary): string[] {
  const gaps: string[] = [];
  for (const p of summary.partial) {
    if (p.limits.length) gaps.push(`trail ${p.trail} records only part of them: ${p.limits.join('; ')}`);
  }
  if (summary.read === 'none' && summary.write === 'none') gaps.push('no logging trail records its data events');
  else {
    if (summary.read === 'none') gaps.push('no logging trail records its read data events');
    if (summary.write === 'none') gaps.push('no logging trail records its write data events');
  }
  if (summary.stopped.length) gaps.push(`trail${summary.stopped.length > 1 ? 's' : ''} ${summary.stopped.join(', ')} would record ${summary.stopped.length > 1 ? 'them but are' : 'them but is'} not logging`);
  return gaps;
}

/** A verdict-ready answer for one target: recorded, partly, not at all, or not known (and why, in words). */
export interface DataEventsJudgement {
  state: CoverageState;
  /** Absent when the trails were not collected. */
  summary?: CoverageSummary;
  /** covered: which trails record it; partial/none: the gaps; undecided: what is missing. */
  detail: string;
}

/**
 * The trails of the inventory against one target. On an inventory built from IaC (`partial`), a
 * target the declared trails do not cover is undecided: the account's other trails may cover it.
 */
export function judgeDataEvents(context: RuleContext, target: DataEventTarget, region: string | undefined): DataEventsJudgement {
  const trails = context.inventory.cloudtrail?.trails;
  if (!trails) {
    return { state: 'undecided', detail: missingReason(context, 'cloudtrail', {}, 'the list of CloudTrail trails') };
  }
  const summary = summarizeCoverage(trails, target, region);
  const state = coverageState(summary);
  if (state === 'covered') {
    const same = summary.readBy.join() === summary.writeBy.join();
    const detail = same
      ? `trail${summary.readBy.length > 1 ? 's' : ''} ${summary.readBy.join(', ')} record${summary.readBy.length > 1 ? '' : 's'} its read and write data events`
      : `read data events are recorded by ${summary.readBy.join(', ')} and write data events by ${summary.writeBy.join(', ')}`;
    return { state, summary, detail };
  }
  const listingErrors = context.index.errorsFor('cloudtrail').filter((e) => e.resource === undefined);
  if (state === 'undecided' || listingErrors.length) {
    const reasons = summary.undecided.map(({ trail, reason }) =>
      reason === 'selectors'
        ? `trail ${trail.name}: ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['GetEventSelectors'] }, 'its event selector configuration')}`
        : reason === 'status'
          ? `trail ${trail.name} would record them but ${missingReason(context, 'cloudtrail', { resource: trail.arn, operations: ['GetTrailStatus'] }, 'its logging status')}`
          : `trail ${trail.name} would record them but covers only ${trail.homeRegion}, and the resource's Region is not known`,
    );
    if (listingErrors.length) reasons.push(`trails could not all be listed (${describeErrors(listingErrors)})`);
    const gaps = state === 'undecided' ? [] : describeGaps(summary);
    return { state: 'undecided', summary, detail: [...gaps, ...reasons].join('; ') };
  }
  const partialReason = partialScopeReason(context);
  if (partialReason) {
    return { state: 'undecided', summary, detail: `${describeGaps(summary).join('; ')}, but ${partialReason}` };
  }
  return { state, summary, detail: describeGaps(summary).join('; ') };
}
