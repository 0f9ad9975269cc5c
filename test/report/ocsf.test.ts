/**
 * The `ocsf` format: OCSF 1.8.0 Compliance Finding events (JSON Lines), validated with ajv against
 * test/schemas/ocsf-1.8.0-compliance-finding.schema.json, a JSON Schema written for aigis from the OCSF
 * 1.8.0 documentation (see test/schemas/README.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/engine/paths.js';
import type { ScanResult } from '../../src/engine/scan.js';
import { OCSF_VERSION, ocsfEvents, renderOcsfChunks } from '../../src/report/ocsf.js';
import { buildLargeScanResult } from '../fixtures-report/large-scan-result.js';
import { HOSTILE_IMG, HOSTILE_SCRIPT, buildScanResult } from '../fixtures-report/scan-result.js';
import { runCli, tempDir } from '../helpers/cli.js';

const DEMO = path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json');

// ajv-formats is CommonJS: its default export arrives as the module under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const SCHEMA_FILE = path.join(packageRoot(), 'test', 'schemas', `ocsf-${OCSF_VERSION}-compliance-finding.schema.json`);

/** The event schema, compiled once: `validateEvent` gives every problem as `/path: message [schema path]`. */
const schema = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
  const describe = (e: ErrorObject): string => {
    const params = e.params as Record<string, unknown>;
    const detail =
      e.keyword === 'enum' ? ` ${(params.allowedValues as unknown[]).join(', ')}`
      : e.keyword === 'const' ? ` ${JSON.stringify(params.allowedValue)}`
      : e.keyword === 'additionalProperties' ? ` (${String(params.additionalProperty)})`
      : '';
    return `${e.instancePath || '/'}: ${e.message ?? e.keyword}${detail} [${e.schemaPath}]`;
  };
  return {
    validateEvent(event: unknown): string[] {
      return validate(event) ? [] : (validate.errors ?? []).map(describe);
    },
  };
})();

type Event = Record<string, any>;

function lines(text: string): Event[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Event);
}

function expectValid(events: Event[]): void {
  const problems = events.flatMap((event, i) => schema.validateEvent(event).map((p) => `event ${i}: ${p}`));
  expect(problems).toEqual([]);
}

interface JsonReport {
  findings: { fingerprint: string; verdict: string }[];
  summary: { byVerdict: Record<string, number> };
}

/** `aigis scan --input <demo> --format ocsf` (plus `extra`), written to one file; with `json`, also the JSON report. */
async function scanDemo(extra: string[] = [], withJson = false): Promise<{ ocsf: string; json?: JsonReport }> {
  const cwd = tempDir();
  const output = withJson ? ['--format', 'json,ocsf', '--output', 'out'] : ['--format', 'ocsf', '--output', 'report.ocsf.jsonl'];
  const run = await runCli(['scan', '--input', DEMO, ...output, ...extra], cwd);
  expect(run.code, run.stderr).toBe(0);
  if (!withJson) return { ocsf: readFileSync(path.join(cwd, 'report.ocsf.jsonl'), 'utf8') };
  return {
    ocsf: readFileSync(path.join(cwd, 'out', 'aigis-report.ocsf.jsonl'), 'utf8'),
    json: JSON.parse(readFileSync(path.join(cwd, 'out', 'aigis-report.json'), 'utf8')) as JsonReport,
  };
}

describe('ocsf format through the CLI (demo account)', () => {
  let report: Awaited<ReturnType<typeof scanDemo>>;
  beforeAll(async () => {
    report = await scanDemo(['--passed', 'full'], true);
  }, 120_000);

  it('writes one schema-valid Compliance Finding per failing or unknown finding by default', async () => {
    const { ocsf } = await scanDemo();
    const events = lines(ocsf);
    const byVerdict = report.json!.summary.byVerdict;
    expect(events.length).toBe(byVerdict.fail! + byVerdict.unknown!);
    expectValid(events);
    for (const event of events) {
      expect(event.class_uid).toBe(2003);
      expect(event.category_uid).toBe(2);
      expect(event.type_uid).toBe(2003 * 100 + event.activity_id);
      expect(event.metadata.version).toBe(OCSF_VERSION);
      expect(event.metadata.product.name).toBe('aigis');
      expect([2, 3]).toContain(event.compliance.status_id);
    }
  });

  it('maps every verdict to the compliance status: unknown and not applicable are never Pass', () => {
    const events = lines(report.ocsf);
    expectValid(events);
    const verdicts = new Map(report.json!.findings.map((f) => [f.fingerprint, f.verdict]));
    expect(events.length).toBe(report.json!.findings.length);
    const seen = new Set<string>();
    for (const event of events) {
      const verdict = verdicts.get(event.finding_info.uid);
      expect(verdict).toBeDefined();
      seen.add(verdict!);
      const expected = { pass: [1, 'Pass'], fail: [3, 'Fail'], unknown: [2, 'Warning'], not_applicable: [99, 'Not Applicable'] }[verdict!]!;
      expect([event.compliance.status_id, event.compliance.status]).toEqual(expected);
      if (verdict !== 'pass') expect(event.compliance.status_id).not.toBe(1);
      if (verdict === 'unknown') expect(event.compliance.status_details[0]).toMatch(/^data missing: /);
    }
    expect([...seen].sort()).toEqual(['fail', 'not_applicable', 'pass', 'unknown']);
  });

  it('is byte-identical across runs, with time 0 when no time was recorded', async () => {
    const first = await scanDemo();
    const second = await scanDemo();
    expect(second.ocsf).toBe(first.ocsf);
    expect(new Set(lines(first.ocsf).map((e) => e.time))).toEqual(new Set([0]));
  });

  it('takes time from aigis scan --timestamp, the same instant as the JSON report', async () => {
    const cwd = tempDir();
    const run = await runCli(['scan', '--input', DEMO, '--format', 'json,ocsf', '--output', 'out', '--timestamp'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(readFileSync(path.join(cwd, 'out', 'aigis-report.json'), 'utf8')) as { scannedAt: string };
    const events = lines(readFileSync(path.join(cwd, 'out', 'aigis-report.ocsf.jsonl'), 'utf8'));
    expectValid(events);
    expect(new Set(events.map((e) => e.time))).toEqual(new Set([Date.parse(json.scannedAt)]));
    expect(events[0]!.time).toBeGreaterThan(0);
  });

  it('keeps hostile names and messages inside their JSON strings, one event per line', async () => {
    const hostile = `evil"name\n{"class_uid":1}\u2028</script>${HOSTILE_IMG}`;
    const inventory = readFileSync(DEMO, 'utf8').replaceAll('acme-ai-demo-site', JSON.stringify(hostile).slice(1, -1));
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'hostile.json'), inventory);
    const run = await runCli(['scan', '--input', 'hostile.json', '--format', 'ocsf', '--output', 'r.ocsf.jsonl'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(path.join(cwd, 'r.ocsf.jsonl'), 'utf8');
    const events = lines(text);
    expectValid(events);
    const mine = events.filter((e) => e.resources[0].uid === `arn:aws:s3:::${hostile}`);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]!.resources[0].name).toBe(hostile);
    expect(text.split('\n').length - 1).toBe(events.length);
  });
});

describe('ocsf format for several accounts', () => {
  it('names each finding\'s own account, and is the same whatever the order of the inputs', async () => {
    const cwd = tempDir();
    const demo = readFileSync(DEMO, 'utf8');
    writeFileSync(path.join(cwd, 'a.json'), demo);
    // A second account: another id, and other bucket names (bucket names are global).
    writeFileSync(path.join(cwd, 'b.json'), demo.split('111122223333').join('210987654321').replace(/acme-/g, 'beta-'));
    const ab = await runCli(['scan', '-i', 'a.json', '-i', 'b.json', '-f', 'ocsf', '-o', 'ab.ocsf.jsonl'], cwd);
    const ba = await runCli(['scan', '-i', 'b.json', '-i', 'a.json', '-f', 'ocsf', '-o', 'ba.ocsf.jsonl'], cwd);
    expect(ab.code, ab.stderr).toBe(0);
    expect(ba.code, ba.stderr).toBe(0);
    const text = readFileSync(path.join(cwd, 'ab.ocsf.jsonl'), 'utf8');
    expect(readFileSync(path.join(cwd, 'ba.ocsf.jsonl'), 'utf8')).toBe(text);
    const events = lines(text);
    expectValid(events);
    expect(new Set(events.map((e) => e.cloud.account.uid))).toEqual(new Set(['111122223333', '210987654321']));
    for (const event of events) expect(event.resources[0].uid.includes(':210987654321:') ? '210987654321' : event.cloud.account.uid).toBe(event.cloud.account.uid);
  });
});

describe('ocsf format from aigis policy check', () => {
  it('writes valid events with no account when the policies belong to none', async () => {
    const cwd = tempDir();
    const run = await runCli(['policy', 'check', path.join(packageRoot(), 'fixtures', 'policies', 'risky'), '--format', 'ocsf', '--output', 'p.ocsf.jsonl'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const events = lines(readFileSync(path.join(cwd, 'p.ocsf.jsonl'), 'utf8'));
    expect(events.length).toBeGreaterThan(0);
    expectValid(events);
    for (const event of events) expect(event.cloud.account).toBeUndefined();
  });
});

describe('ocsf renderer', () => {
  const result = buildScanResult();

  it('gives valid events for every verdict, suppression and hostile evidence', () => {
    const events = ocsfEvents(result, { passed: 'full', pretty: false }) as Event[];
    expect(events.length).toBe(result.findings.length);
    expectValid(events);
    const suppressed = events.filter((e) => e.status_id === 3);
    expect(suppressed.length).toBe(result.findings.filter((f) => f.suppression).length);
    expect(suppressed[0]!.status).toBe('Suppressed');
    expect(suppressed[0]!.status_detail).toMatch(/^suppressed: /);
    const hostile = events.find((e) => JSON.stringify(e).includes(HOSTILE_SCRIPT))!;
    expect(hostile.unmapped.evidence.tags.owner).toBe(HOSTILE_SCRIPT);
  });

  it('takes time from --timestamp, else from the inventory collection time, else 0', () => {
    const time = (r: ScanResult, timestamp?: string) => ocsfEvents(r, { passed: 'list', pretty: false, ...(timestamp ? { timestamp } : {}) })[0]!.time;
    expect(time(result)).toBe(0);
    expect(time({ ...result, collectedAt: '2026-11-01T08:00:00.000Z' })).toBe(Date.UTC(2026, 10, 1, 8));
    expect(time({ ...result, collectedAt: '2026-11-01T08:00:00.000Z' }, '2026-11-30T12:00:00Z')).toBe(Date.UTC(2026, 10, 30, 12));
  });

  it('streams a large report in chunks of whole lines', () => {
    const large = buildLargeScanResult(2_000);
    const chunks = [...renderOcsfChunks(large, { passed: 'list', pretty: false })];
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    const problems = large.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown').length;
    expect(chunks.join('').split('\n').length - 1).toBe(problems);
  });

  it('writes nothing when nothing fails', () => {
    expect([...renderOcsfChunks({ ...result, findings: result.findings.filter((f) => f.verdict === 'pass') }, { passed: 'list', pretty: false })]).toEqual([]);
  });
});

describe('the OCSF schema rejects broken events', () => {
  const valid = ocsfEvents(buildScanResult(), { passed: 'list', pretty: false })[0]! as Event;
  const broken = (mutate: (e: Event) => void): string[] => {
    const event = structuredClone(valid) as Event;
    mutate(event);
    return schema.validateEvent(event);
  };

  it('accepts the unbroken event', () => {
    expect(schema.validateEvent(valid)).toEqual([]);
  });

  it.each<[string, (e: Event) => void, RegExp]>([
    ['a required attribute of the class missing', (e) => delete e.compliance, /^\/: must have required property 'compliance'/],
    ['a required attribute of an object missing', (e) => delete e.finding_info.uid, /^\/finding_info: must have required property 'uid'/],
    ['time missing', (e) => delete e.time, /^\/: must have required property 'time'/],
    ['a wrong enum value', (e) => (e.compliance.status_id = 7), /^\/compliance\/status_id: must be equal to one of the allowed values 0, 1, 2, 3, 99 /],
    ['a sibling caption that does not match its id', (e) => (e.severity = 'Low'), /^\/severity: must be equal to constant "(?!Low")/],
    ['a compliance status caption that does not match its id', (e) => (e.compliance.status = 'Pass'), /^\/compliance\/status: must be equal to constant "(Fail|Warning)"/],
    ['99 (Other) without its caption', (e) => ((e.severity_id = 99), delete e.severity), /^\/: must have required property 'severity'/],
    ['an attribute the object does not define', (e) => (e.finding_info.verdict = 'fail'), /^\/finding_info: must NOT have additional properties \(verdict\)/],
    ['an attribute the class does not define', (e) => (e.rule_id = 'x'), /^\/: must NOT have additional properties \(rule_id\)/],
    ['an incident profile attribute without its profile', (e) => (e.verdict = 'fail'), /^\/metadata\/profiles: must contain at least 1 valid item\(s\) \[#\/\$defs\/incidentProfileListed\//],
    ['an attribute a resource does not define', (e) => (e.resources[0].arn = e.resources[0].uid), /^\/resources\/0: must NOT have additional properties \(arn\)/],
    ['an attribute the account does not define', (e) => (e.cloud.account.id = '111122223333'), /^\/cloud\/account: must NOT have additional properties \(id\)/],
    ['an attribute the product does not define', (e) => (e.metadata.product.license = 'MIT'), /^\/metadata\/product: must NOT have additional properties \(license\)/],
    ['a wrong type', (e) => (e.time = '2026-11-30T00:00:00Z'), /^\/time: must be integer/],
    ['a fractional timestamp', (e) => (e.time = 1.5), /^\/time: must be integer/],
    ['a wrong type_uid', (e) => (e.type_uid = 200302), /^\/type_uid: must be equal to constant 200301/],
    ['a wrong type_name', (e) => (e.type_name = 'Compliance Finding: Update'), /^\/type_name: must be equal to constant "Compliance Finding: Create"/],
    ['a class that does not exist', (e) => (e.class_uid = 2999), /^\/class_uid: must be equal to constant 2003/],
    ['another category', (e) => (e.category_name = 'Discovery'), /^\/category_name: must be equal to constant "Findings"/],
    ['a profile attribute without its profile', (e) => delete e.metadata.profiles, /^\/metadata: must have required property 'profiles' \[#\/\$defs\/cloudProfileListed\//],
    ['the cloud profile without cloud', (e) => delete e.cloud, /^\/: must have required property 'cloud'/],
    ['an object failing its constraint', (e) => (e.resources = [{ type: 'AWS::S3::Bucket' }]), /^\/resources\/0: must match a schema in anyOf/],
    ['a required attribute of the cloud missing', (e) => delete e.cloud.provider, /^\/cloud: must have required property 'provider'/],
    ['a deprecated attribute', (e) => (e.compliance.status_detail = 'x'), /^\/compliance\/status_detail: must NOT be valid/],
    ['a deprecated enum value', (e) => ((e.cloud.account.type_id = 4), (e.cloud.account.type = 'AWS IAM Role')), /^\/cloud\/account\/type_id: must be equal to one of the allowed values/],
    ['another OCSF version', (e) => (e.metadata.version = '1.3.0'), /^\/metadata\/version: must be equal to constant "1\.8\.0"/],
  ])('%s', (_name, mutate, expected) => {
    const problems = broken(mutate);
    expect(problems.some((p) => expected.test(p)), problems.join('\n')).toBe(true);
  });
});
