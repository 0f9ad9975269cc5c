/**
 * The `ocsf` format against OCSF's own schema sources, where a checkout of them is named:
 *
 *   git clone --branch 1.8.0 --depth 1 https://github.com/ocsf/ocsf-schema /tmp/ocsf-schema
 *   AIGIS_OCSF_SCHEMA_DIR=/tmp/ocsf-schema npx vitest run test/report/ocsf-official.test.ts
 *
 * CI has no network and OCSF's files are not in this repository (test/schemas/README.md), so there
 * test/report/ocsf.test.ts checks the same output against the JSON Schema written for aigis. The
 * validator (test/helpers/ocsf-sources.ts) is tested here on a small source tree in OCSF's layout, so
 * that what it reads and checks is tested everywhere.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/engine/paths.js';
import { OCSF_VERSION, ocsfEvents } from '../../src/report/ocsf.js';
import { buildScanResult } from '../fixtures-report/scan-result.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { loadOcsfSources } from '../helpers/ocsf-sources.js';

type Event = Record<string, any>;

/** A source tree in OCSF's layout: one category, a base class, a class extending it, objects, a profile. */
function miniSources(): string {
  const dir = tempDir();
  const write = (file: string, value: unknown) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), JSON.stringify(value));
  };
  write('version.json', { version: '9.9.0' });
  write('categories.json', { attributes: { findings: { uid: 2, caption: 'Findings' } } });
  write('dictionary.json', {
    types: {
      attributes: {
        string_t: {},
        integer_t: {},
        long_t: {},
        boolean_t: {},
        json_t: {},
        float_t: {},
        timestamp_t: { type: 'long_t' },
        short_t: { type: 'string_t', max_len: 3 },
        port_t: { type: 'integer_t', range: [0, 65535] },
        digits_t: { type: 'string_t', regex: '^[0-9]+$' },
      },
    },
    attributes: {
      class_uid: { type: 'integer_t', enum: { '0': { caption: 'Unknown' } } },
      class_name: { type: 'string_t' },
      category_uid: { type: 'integer_t', enum: { '0': { caption: 'Unknown' } } },
      category_name: { type: 'string_t' },
      type_uid: { type: 'long_t' },
      type_name: { type: 'string_t' },
      activity_id: { type: 'integer_t', sibling: 'activity_name', enum: { '0': { caption: 'Unknown' }, '99': { caption: 'Other' } } },
      activity_name: { type: 'string_t' },
      time: { type: 'timestamp_t' },
      metadata: { type: 'metadata' },
      version: { type: 'string_t' },
      profiles: { type: 'string_t', is_array: true },
      thing: { type: 'thing' },
      things: { type: 'thing', is_array: true },
      old: { type: 'string_t', '@deprecated': { since: '1.0.0' } },
      name: { type: 'string_t' },
      uid: { type: 'string_t' },
      code: { type: 'short_t' },
      port: { type: 'port_t' },
      digits: { type: 'digits_t' },
      state_id: { type: 'integer_t', sibling: 'state', enum: { '0': { caption: 'Unknown' }, '1': { caption: 'Open' }, '99': { caption: 'Other' } } },
      state: { type: 'string_t' },
      cloud: { type: 'cloud' },
      provider: { type: 'string_t' },
      unmapped: { type: 'object' },
    },
  });
  write('events/base_event.json', {
    name: 'base_event',
    caption: 'Base Event',
    category: 'other',
    profiles: ['cloud'],
    attributes: {
      $include: ['profiles/cloud.json'],
      class_uid: { requirement: 'required' },
      class_name: {},
      category_uid: { requirement: 'required' },
      category_name: {},
      type_uid: { requirement: 'required' },
      type_name: {},
      activity_id: { requirement: 'required' },
      activity_name: {},
      time: { requirement: 'required' },
      metadata: { requirement: 'required' },
      unmapped: {},
    },
  });
  write('events/findings/finding.json', {
    name: 'finding',
    caption: 'Finding',
    category: 'findings',
    extends: 'base_event',
    attributes: { activity_id: { enum: { '1': { caption: 'Create' } } }, old: {} },
  });
  write('events/findings/thing_finding.json', { name: 'thing_finding', caption: 'Thing Finding', uid: 7, extends: 'finding', attributes: { thing: { requirement: 'required' }, things: {} } });
  write('objects/object.json', { name: 'object', attributes: {} });
  write('objects/_entity.json', { name: '_entity', extends: 'object', attributes: { name: {}, uid: {} }, constraints: { at_least_one: ['name', 'uid'] } });
  write('objects/metadata.json', { name: 'metadata', extends: 'object', attributes: { version: { requirement: 'required' }, profiles: {} } });
  write('objects/thing.json', {
    name: 'thing',
    extends: '_entity',
    attributes: { code: {}, port: {}, digits: {}, state_id: { requirement: 'required', enum: { '2': { caption: 'Closed' } } }, state: {} },
  });
  write('objects/cloud.json', { name: 'cloud', extends: 'object', attributes: { provider: { requirement: 'required' } } });
  write('profiles/cloud.json', { name: 'cloud', meta: 'profile', attributes: { cloud: { requirement: 'required' } } });
  return dir;
}

function goodEvent(): Event {
  return {
    class_uid: 2007,
    class_name: 'Thing Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200701,
    type_name: 'Thing Finding: Create',
    time: 0,
    metadata: { version: '9.9.0', profiles: ['cloud'] },
    cloud: { provider: 'AWS' },
    thing: { name: 'a', state_id: 2, state: 'Closed', code: 'abc', port: 443, digits: '123' },
    things: [{ uid: 'b', state_id: 1 }],
    unmapped: { anything: [1, { deep: true }] },
  };
}

describe('the OCSF source validator (test/helpers/ocsf-sources.ts) on a source tree in OCSF layout', () => {
  const sources = loadOcsfSources(miniSources());

  it('accepts an event that follows the sources: extends chain, profile, merged enums, types, constraints', () => {
    expect(sources.version).toBe('9.9.0');
    expect(sources.validate(goodEvent())).toEqual([]);
  });

  const cases: [string, (e: Event) => void, string][] = [
    ['a class the sources lack', (e) => (e.class_uid = 2008), '$.class_uid: 2008 is not a class of OCSF 9.9.0'],
    ['the wrong category', (e) => (e.category_uid = 3), '$.category_uid: expected 2'],
    ['the wrong class caption', (e) => (e.class_name = 'Finding'), '$.class_name: expected "Thing Finding"'],
    ['type_uid not class_uid * 100 + activity_id', (e) => (e.type_uid = 200702), '$.type_uid: expected class_uid * 100 + activity_id'],
    ['type_name not "class: activity"', (e) => (e.type_name = 'Thing Finding: Update'), '$.type_name: expected "Thing Finding: Create"'],
    ['another version', (e) => (e.metadata.version = '1.0.0'), '$.metadata.version: "1.0.0", the sources are 9.9.0'],
    ['a missing required attribute of the class', (e) => delete e.thing, '$.thing: required by thing_finding, missing'],
    ['a missing required attribute of a base class', (e) => delete e.time, '$.time: required by thing_finding, missing'],
    ['an attribute nobody defines', (e) => (e.extra = 1), '$.extra: not an attribute of thing_finding'],
    ['an attribute an object does not define', (e) => (e.thing.extra = 1), '$.thing.extra: not an attribute of thing'],
    ['a deprecated attribute', (e) => (e.old = 'x'), '$.old: deprecated'],
    ['a profile attribute without the profile', (e) => (e.metadata.profiles = []), '$.cloud: belongs to the cloud profile, which metadata.profiles does not list'],
    ['a profile the class does not support', (e) => e.metadata.profiles.push('host'), '$.metadata.profiles: thing_finding does not support the host profile'],
    ['a required attribute of an applied profile', (e) => delete e.cloud, '$.cloud: required by thing_finding, missing'],
    ['an enum value outside the merged enum', (e) => (e.thing.state_id = 3), '$.thing.state_id: 3 is not one of 0, 1, 2, 99'],
    ['a sibling caption that does not match', (e) => (e.thing.state = 'Open'), '$.thing.state: "Open" is not the caption of state_id 2 (Closed)'],
    ['an activity outside the dictionary\'s and the finding class\'s values', (e) => (e.activity_id = 2), '$.activity_id: 2 is not one of 0, 1, 99'],
    ['an inherited constraint', (e) => delete e.things[0].uid, '$.things[0]: thing needs at least one of name, uid'],
    ['an array where one value belongs', (e) => (e.thing = [e.thing]), '$.thing: expected an object (thing)'],
    ['one value where an array belongs', (e) => (e.things = e.things[0]), '$.things: expected an array'],
    ['a timestamp as text', (e) => (e.time = '2026-12-01'), '$.time: expected an integer (timestamp_t)'],
    ['a string over its type\'s max_len', (e) => (e.thing.code = 'abcd'), '$.thing.code: longer than 3 (short_t)'],
    ['an integer out of its type\'s range', (e) => (e.thing.port = 70000), '$.thing.port: out of range (port_t)'],
    ['a string that fails its type\'s regex', (e) => (e.thing.digits = '12a'), '$.thing.digits: does not match digits_t'],
    ['unmapped data that is not an object', (e) => (e.unmapped = 'x'), '$.unmapped: expected an object'],
  ];
  it.each(cases)('rejects %s', (_name, mutate, problem) => {
    const event = goodEvent();
    mutate(event);
    expect(sources.validate(event)).toContain(problem);
  });

  it('lets 99 Other carry the source\'s own caption', () => {
    const event = goodEvent();
    event.thing.state_id = 99;
    event.thing.state = 'Half open';
    expect(sources.validate(event)).toEqual([]);
  });
});

const officialDir = process.env.AIGIS_OCSF_SCHEMA_DIR;

describe.skipIf(!officialDir)(`aigis's ocsf output against OCSF's own sources (AIGIS_OCSF_SCHEMA_DIR, OCSF ${OCSF_VERSION})`, () => {
  const sources = officialDir ? loadOcsfSources(officialDir) : undefined;
  const problemsOf = (events: Event[]) => events.flatMap((event, i) => sources!.validate(event).map((p) => `event ${i}: ${p}`));
  const lines = (text: string): Event[] => text.trim().split('\n').map((line) => JSON.parse(line) as Event);

  it('is the version aigis writes', () => {
    expect(sources!.version).toBe(OCSF_VERSION);
  });

  it('accepts every event of the demo scan: plain, with --timestamp, and with --passed full (Pass and Other too)', async () => {
    const cwd = tempDir();
    const variants = [
      ['plain.ocsf.jsonl', [], ['Fail', 'Warning']],
      ['timed.ocsf.jsonl', ['--timestamp'], ['Fail', 'Warning']],
      ['full.ocsf.jsonl', ['--passed', 'full'], ['Fail', 'Warning', 'Pass', 'Not Applicable']],
    ] as const;
    for (const [file, extra, statuses] of variants) {
      const run = await runCli(['scan', '--demo', '--format', 'ocsf', '--output', file, '--fail-on', 'none', ...extra], cwd);
      expect(run.code, run.stderr).toBe(0);
      const events = lines(readFileSync(path.join(cwd, file), 'utf8'));
      expect(events.length).toBeGreaterThan(200);
      expect(new Set(events.map((e) => e.compliance.status))).toEqual(new Set(statuses));
      expect(problemsOf(events)).toEqual([]);
    }
  });

  it('accepts the events of an IaC scan (source locations), a policy check and hostile names', async () => {
    const cwd = tempDir();
    const iac = await runCli(['scan', '--iac', path.join(packageRoot(), 'fixtures', 'iac', 'cloudformation'), '--format', 'ocsf', '--output', 'iac.ocsf.jsonl', '--fail-on', 'none'], cwd);
    expect(iac.code, iac.stderr).toBe(0);
    const policy = await runCli(['policy', 'check', path.join(packageRoot(), 'fixtures', 'policies', 'risky'), '--format', 'ocsf', '--output', 'p.ocsf.jsonl', '--fail-on', 'none'], cwd);
    expect(policy.code, policy.stderr).toBe(0);
    const events = [...lines(readFileSync(path.join(cwd, 'iac.ocsf.jsonl'), 'utf8')), ...lines(readFileSync(path.join(cwd, 'p.ocsf.jsonl'), 'utf8')), ...(ocsfEvents(buildScanResult()) as unknown as Event[])];
    expect(events.length).toBeGreaterThan(20);
    expect(problemsOf(events)).toEqual([]);
  });

  it('rejects what aigis must never write, read from the official sources', async () => {
    const event = ocsfEvents(buildScanResult())[0] as unknown as Event;
    expect(sources!.validate(event)).toEqual([]);
    const broken: [(e: Event) => void, string][] = [
      [(e) => delete e.compliance, '$.compliance: required by compliance_finding, missing'],
      [(e) => (e.compliance.status = 'Pass'), `$.compliance.status: "Pass" is not the caption of status_id ${event.compliance.status_id} (${event.compliance.status})`],
      [(e) => (e.resource = e.resources[0]), '$.resource: deprecated'],
      [(e) => (e.metadata.profiles = []), '$.cloud: belongs to the cloud profile, which metadata.profiles does not list'],
      [(e) => delete e.finding_info.analytic.type_id, '$.finding_info.analytic.type_id: required by analytic, missing'],
      [(e) => (e.time = new Date(0).toISOString()), '$.time: expected an integer (timestamp_t)'],
      [(e) => (e.aigis = true), '$.aigis: not an attribute of compliance_finding'],
    ];
    for (const [mutate, problem] of broken) {
      const copy = structuredClone(event);
      mutate(copy);
      expect(sources!.validate(copy)).toContain(problem);
    }
  });
});
