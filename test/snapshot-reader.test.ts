/**
 * The streaming snapshot reader (src/inventory/snapshot-reader.ts, issue 12) against the
 * whole-text reader it replaces for files (`parseInventoryText(decodeInput(bytes))`): the same
 * inventory for the demo and a generated account, and the same error message, word for word, for
 * every kind of broken document (syntax, duplicate keys, depth, schemaVersion, schema problems
 * deep in a large list), encoding (UTF-8, UTF-16 either order, BOMs) and the size limit.
 * `exactErrorBytes: 0` makes the streaming reader word syntax errors itself (by default files up
 * to 512 MB get the whole-text reader's wording directly), so both paths are what is compared.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../bench/prng.js';
import { buildSyntheticInventory } from '../bench/synthetic.js';
import { packageRoot } from '../src/engine/paths.js';
import { MAX_JSON_DEPTH, decodeInput } from '../src/inventory/input-text.js';
import { loadInventoryFile, parseInventoryText } from '../src/inventory/load.js';
import { describeSchema, listElementParser } from '../src/inventory/fast-parse.js';
import { inventorySchema, policyDocument } from '../src/inventory/schema.js';
import { MAX_SNAPSHOT_BYTES, parseSnapshotBytes } from '../src/inventory/snapshot-reader.js';

const FILE = 'snap.json';
const demoText = readFileSync(path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json'), 'utf8');
const synthetic = buildSyntheticInventory(2000);
const compact = JSON.stringify(synthetic);
const pretty = JSON.stringify(synthetic, null, 2);

type Outcome = { value: unknown } | { error: string };

function outcome(read: () => unknown): Outcome {
  try {
    return { value: read() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// List elements are parsed by the fast parser (as the built CLI does), zod taking what it doubts;
// `zodOnly` is the reader without it. Both must give the whole-text reader's outcome.
const described = describeSchema(inventorySchema, policyDocument, 'test');

/** zod's schema of one training job (the inventory schema's list element). */
function trainingJobSchema() {
  const unwrap = (schema: any): any => (['optional', 'default', 'nullable'].includes(schema._zod.def.type) ? unwrap(schema._zod.def.innerType) : schema);
  return unwrap(unwrap(inventorySchema.shape.sagemaker).shape.trainingJobs)._zod.def.element as { parse: (v: unknown) => unknown };
}
const streamed = (bytes: Buffer) => outcome(() => parseSnapshotBytes(bytes, FILE, { exactErrorBytes: 0, schemaDescription: described }));
const zodOnly = (bytes: Buffer) => outcome(() => parseSnapshotBytes(bytes, FILE, { exactErrorBytes: 0, schemaDescription: null }));
const whole = (bytes: Buffer) => outcome(() => parseInventoryText(decodeInput(bytes, FILE), FILE));

/** The streamed outcome, after checking it equals the whole-text reader's. */
function same(input: Buffer | string): Outcome {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const a = streamed(bytes);
  const b = whole(bytes);
  for (const read of [a, zodOnly(bytes)]) {
    if ('error' in b) expect('error' in read ? read.error : 'no error').toBe(b.error);
    else {
      expect('error' in read ? read.error : undefined).toBeUndefined();
      expect(isDeepStrictEqual((read as { value: unknown }).value, b.value)).toBe(true);
    }
  }
  return a;
}

const errorOf = (input: Buffer | string) => {
  const result = same(input);
  return 'error' in result ? result.error : undefined;
};

/** The synthetic inventory with `edit` applied to a copy. */
function edited(edit: (doc: Record<string, any>) => void, space?: number): string {
  const doc = JSON.parse(compact) as Record<string, any>;
  edit(doc);
  return JSON.stringify(doc, null, space);
}

describe('streaming snapshot reader', () => {
  it('reads the demo and a generated 2,000-resource account exactly as the whole-text reader', async () => {
    same(demoText);
    same(compact);
    same(pretty);
    const dir = mkdtempSync(path.join(tmpdir(), 'aigis-snap-'));
    writeFileSync(path.join(dir, FILE), compact);
    expect(isDeepStrictEqual(await loadInventoryFile(path.join(dir, FILE)), parseInventoryText(compact, FILE))).toBe(true);
  });

  it('parses list elements with the fast parser as zod does, keeping one string per distinct value', () => {
    const doc = JSON.parse(compact) as Record<string, any>;
    const jobs = (doc.sagemaker.trainingJobs as Record<string, unknown>[]).filter((j) => typeof j.roleArn === 'string').slice(0, 50);
    expect(jobs.length).toBe(50);
    const strings = new Map<string, string>();
    const parse = listElementParser(['sagemaker', 'trainingJobs'], strings, described)!;
    const element = trainingJobSchema();
    for (const job of jobs) expect(isDeepStrictEqual(parse(structuredClone(job)), element.parse(structuredClone(job)))).toBe(true);
    // Every string value is looked up once; repeated ones (regions, role ARNs, tag values) are kept once.
    let values = 0;
    JSON.stringify(jobs, (_key, value: unknown) => (typeof value === 'string' && value.length <= 512 && values++, value));
    expect(strings.size).toBeGreaterThan(0);
    expect(strings.size).toBeLessThan(values);
    for (const [key, value] of strings) expect(value).toBe(key);
    // An invalid element is left to zod (undefined), never accepted.
    expect(parse({ ...jobs[0], roleArn: 5 })).toBeUndefined();
    // A list the description does not have.
    expect(listElementParser(['sagemaker', 'nothing'], strings, described)).toBeUndefined();
  });

  it('keeps encodings and byte order marks as before', () => {
    const small = JSON.stringify(JSON.parse(demoText));
    const le = Buffer.from(small, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const bytes of [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(small)]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
      le,
      be,
      Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
      Buffer.from(`\ufeff\ufeff\ufeff${small}`),
    ]) {
      expect('value' in same(bytes)).toBe(true);
    }
    expect(errorOf(Buffer.from(`\ufeff\ufeff\ufeff\ufeff${small}`))).toMatch(/is not valid JSON/);
    expect(errorOf(Buffer.concat([Buffer.from(small.slice(0, 100)), Buffer.from([0xc3, 0x28]), Buffer.from(small.slice(100))]))).toMatch(/not valid UTF-8 text/);
    expect(errorOf(Buffer.concat([Buffer.from([0xff, 0xfe]), le, Buffer.from([0x20])]))).toMatch(/odd number of bytes/);
    expect(errorOf(Buffer.concat([Buffer.from([0xff, 0xfe]), le.subarray(0, 40), Buffer.from([0x00, 0xd8, 0x41, 0x00]), le.subarray(40)]))).toMatch(/not valid UTF-16LE/);
    // Errors in a UTF-16 file are placed as in its text.
    expect(errorOf(Buffer.from(`{"schemaVersion":"1.0",\n "account": {"id": "123456789012"},\n  "regions": [1, ]}`, 'utf16le'))).toBe(
      `${FILE}: is not valid JSON: Unexpected token ']', ..."ons": [1, ]}" is not valid JSON`,
    );
  });

  it('names a schema problem deep in a large list by its path in the whole document, and counts every problem', () => {
    expect(errorOf(edited((d) => (d.s3.buckets[234].name = 5)))).toBe(`${FILE} at $.s3.buckets[234].name: Invalid input: expected string, received number`);
    expect(errorOf(edited((d) => (d.iam.roles[77].trustPolicy.Statement[0].Effect = 'Maybe')))).toMatch(/^snap\.json at \$\.iam\.roles\[77\]\.trustPolicy/);
    // Several problems in several lists and sections: the first in schema order, and how many.
    const many = edited((d) => {
      d.sagemaker.models[3].name = 1;
      d.s3.buckets[200].region = false;
      d.s3.buckets[201].region = false;
      d.kms.keys[2].keyManager = 'SOMEONE';
      d.regions.push(7);
      d.source = { kind: 'other' };
    });
    expect(errorOf(many)).toBe(`${FILE} at $.regions[6]: Invalid input: expected string, received number (and 5 more problems)`);
    expect(errorOf(edited((d) => ((d.s3.accountPublicAccessBlock = 3), (d.s3.buckets[0].name = 1))))).toMatch(/^snap\.json at \$\.s3\.accountPublicAccessBlock: .*\(and 1 more problem\)$/);
    expect(errorOf(edited((d) => ((d.s3.buckets[5].name = 1), (d.account.id = '12'))))).toMatch(/^snap\.json at \$\.account\.id: an AWS account id is 12 digits \(and 1 more problem\)$/);
    // A list that is not a list, a section that is not an object, a document that is not an object.
    errorOf(edited((d) => (d.s3.buckets = { a: 1 })));
    errorOf(edited((d) => (d.kms = [1, 2])));
    errorOf(edited((d) => (d.collectionErrors = 'none')));
    errorOf('[1, {"a": [2]}]');
    errorOf('"just a string"');
    errorOf('null');
  });

  it('checks schemaVersion first, and drops unknown keys at every level as before', () => {
    expect(errorOf(edited((d) => ((d.schemaVersion = '2.0'), (d.s3.buckets[3].name = 1))))).toBe(`${FILE} at $.schemaVersion: unsupported schemaVersion "2.0" (this aigis reads "1.0")`);
    expect(errorOf(edited((d) => ((d.schemaVersion = undefined), (d.s3.buckets[3].name = 1))))).toMatch(/missing schemaVersion/);
    const extra = edited((d) => {
      d.zzz = { big: [1, 2, { x: [3] }] };
      d.s3.extraList = [{ a: 1 }];
      d.s3.buckets[0].unknownField = { deep: true };
      d.__proto__ = 1;
    });
    const result = same(extra.replace('"zzz"', '"__proto__":{"polluted":true},"zzz"'));
    expect('value' in result && (result.value as Record<string, unknown>).zzz).toBe(undefined);
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  });

  it('refuses duplicate keys at the top, in a section and inside an element, with their path and line', () => {
    const dupTop = pretty.replace('"regions": [', '"account": {"id": "123456789012"},\n  "regions": [');
    expect(errorOf(dupTop)).toBe(`${FILE} at $.account: duplicate key "account" (line 20): each key may appear once`.replace('line 20', `line ${lineOf(dupTop, '"account": {"id"')}`));
    const dupSection = compact.replace('"buckets":[', '"buckets":[],"buckets":[');
    expect(errorOf(dupSection)).toBe(`${FILE} at $.s3.buckets: duplicate key "buckets" (line 1): each key may appear once`);
    const bucket = synthetic.s3!.buckets[150]!;
    const dupElement = pretty.replace(`"name": "${bucket.name}"`, `"name": "${bucket.name}",\n "n\\u0061me": "x"`);
    expect(errorOf(dupElement)).toBe(`${FILE} at $.s3.buckets[150].name: duplicate key "name" (line ${lineOf(dupElement, '"n\\u0061me"')}): each key may appear once`);
    expect(errorOf(compact.replace('"tags":{', '"tags":{"é":"1","\\u00e9":"2",'))).toBe(`${FILE} at $.s3.buckets[0].tags["é"]: duplicate key "é" (line 1): each key may appear once`);
    expect(errorOf(compact.replace('"tags":{', '"tags":{"\\ud83d\\ude00":"1","😀":"2",'))).toMatch(/duplicate key "😀"/);
    // Objects with many keys (compared through a set past 24): a repeat early, late, and none.
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `"k${i}":${i}`);
    expect(errorOf(compact.replace('"tags":{', `"tags":{${[...keys(40), '"k3":1'].join(',')},`))).toBe(
      `${FILE} at $.s3.buckets[0].tags.k3: duplicate key "k3" (line 1): each key may appear once`,
    );
    expect(errorOf(compact.replace('"tags":{', `"tags":{${[...keys(24), '"k23":1'].join(',')},`))).toMatch(/tags\.k23: duplicate key "k23"/);
    expect(errorOf(compact.replace('"tags":{', `"tags":{"x":{${keys(3000).join(',')}},${keys(30).join(',')},`))).toMatch(/^snap\.json at \$\.s3\.buckets\[0\]\.tags\.x: Invalid input/);
    // Keys equal in hash are not duplicates: "Aa" and "BB" have the same 31-hash.
    expect(errorOf(compact.replace('"tags":{', '"tags":{"Aa":"1","BB":"2",'))).toBeUndefined();
    // The first structure problem in the document is the one reported, but a syntax error anywhere wins.
    const twice = dupElement.replace('"regions": [', '"regions": [],\n  "regions": [');
    expect(errorOf(twice)).toMatch(/at \$\.regions: duplicate key "regions"/);
    expect(errorOf(`${dupElement.slice(0, -2)},}`)).toMatch(/is not valid JSON: Expected double-quoted property name \(line \d+, column \d+\)$/);
  });

  it('refuses nesting deeper than the limit inside an element, naming where it starts', () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(errorOf(compact.replace('"tags":{', `"tags":{"deep":${deep},`))).toBe(`${FILE} at $.s3.buckets[0].tags.deep[0][0][0]: is nested more than ${MAX_JSON_DEPTH} levels deep`);
    same(compact.replace('"tags":{', `"tags":{"deep":${'['.repeat(MAX_JSON_DEPTH - 6)}${']'.repeat(MAX_JSON_DEPTH - 6)},`));
    expect(errorOf(`{"schemaVersion":"1.0","x":${'{"a":'.repeat(300)}1${'}'.repeat(300)}}`)).toMatch(/^snap\.json at \$\.x\.a\.a\.a\.a\.a\.a\.a: is nested more than/);
    // Far deeper than tracked: still the depth error, or the syntax error when brackets do not match down there.
    const abyss = `${'[{"a":'.repeat(20000)}1${'}]'.repeat(20000)}`;
    expect(errorOf(compact.replace('"tags":{', `"tags":{"deep":${abyss},`))).toMatch(/tags\.deep\[0\]\.a\[0\]: is nested more than/);
    expect(errorOf(compact.replace('"tags":{', `"tags":{"deep":${abyss.replace('1}]}]', '1]}]}')},`))).toMatch(/is not valid JSON: /);
    expect(errorOf(compact.replace('"tags":{', `"tags":{"deep":${abyss.slice(0, -1)},`))).toMatch(/is not valid JSON: /);
  });

  it('places syntax errors inside a large list at the line and column of the whole document', () => {
    const bucket = synthetic.s3!.buckets[170]!;
    const broken = pretty.replace(`"name": "${bucket.name}",`, `"name": "${bucket.name}",,`);
    expect(errorOf(broken)).toBe(`${FILE}: is not valid JSON: Expected double-quoted property name (line ${lineOf(broken, ',,')}, column ${columnOf(broken, ',,') + 1})`);
    const missingComma = compact.replace(`}},{"arn":"${bucket.arn}"`, `}}{"arn":"${bucket.arn}"`);
    expect(errorOf(missingComma)).toMatch(/is not valid JSON: Expected ',' or '\]' after array element \(line 1, column \d+\)$/);
    const multibyte = compact.replace(`"name":"${bucket.name}"`, `"name":"é😀${bucket.name}",]`);
    expect(errorOf(multibyte)).toBe(`${FILE}: is not valid JSON: Expected double-quoted property name (line 1, column ${multibyte.indexOf(',]') + 2})`);
    for (const text of ['', '   ', '{', '{"schemaVersion"', '{"schemaVersion":', '{"schemaVersion":"1.0"', '{"schemaVersion":"1.0",', '{"a":1} x', '{"a":1}}', '[1,]', '[,1]', '{"a":[1}', '{"a":"\u0001"}', '{"a":"\\q"}', '{"a":tru}', '{"a":01}', '{"a":-}', '{"a":1.}', '{"a" 1}', '{"a":{"b":[{"c":}]}}', '{"a":"x"2}', '"abc', '{"s3":{"buckets":[{"arn":"x"}, ]}}', '{"s3":{"buckets":[{"arn":"x"} {}]}}', '{"s3":{"buckets":[{"arn":"x"}', '{"s3":{"buckets":[{"a\nb":1}]}}', `{"s3":{"buckets":[{"arn":"${'x'.repeat(5000)}`]) {
      expect(errorOf(text)).toBeDefined();
    }
  });

  it('gives the whole-text reader\'s outcome for random edits and truncations of a snapshot', () => {
    const random = mulberry32(12);
    const pick = (n: number) => Math.floor(random() * n);
    const tokens = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', 'x', '0', '\n', '-', 'n', '\u0001', 'é', '"a":1,', '\\u0000'];
    const small = JSON.stringify(buildSyntheticInventory(150));
    const smallPretty = JSON.stringify(JSON.parse(small), null, 1);
    let errors = 0;
    for (const doc of [small, smallPretty]) {
      const bytes = Buffer.from(doc);
      for (let k = 0; k < 250; k++) {
        const at = pick(bytes.length);
        const token = Buffer.from(tokens[pick(tokens.length)]!);
        const kind = pick(4);
        const mutated =
          kind === 0 ? Buffer.concat([bytes.subarray(0, at), token, bytes.subarray(at + 1)])
          : kind === 1 ? Buffer.concat([bytes.subarray(0, at), token, bytes.subarray(at)])
          : kind === 2 ? Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + pick(40))])
          : bytes.subarray(0, at);
        if ('error' in same(mutated)) errors++;
      }
    }
    expect(errors).toBeGreaterThan(180);
  });

  it('reads snapshots up to 4 GiB; the limit is injectable, a directory is refused', async () => {
    expect(MAX_SNAPSHOT_BYTES).toBe(4 * 1024 ** 3);
    const dir = mkdtempSync(path.join(tmpdir(), 'aigis-snap-'));
    writeFileSync(path.join(dir, FILE), compact);
    const limit = compact.length - 1;
    await expect(loadInventoryFile(path.join(dir, FILE), FILE, { maxBytes: limit })).rejects.toThrow(`${FILE}: is larger than ${Math.round(limit / 1024 / 1024)} MB`);
    await expect(loadInventoryFile(path.join(dir, FILE), FILE, { maxBytes: compact.length })).resolves.toBeDefined();
    await expect(loadInventoryFile(dir, 'd')).rejects.toThrow('d: cannot read input (EISDIR): it is a directory');
    await expect(loadInventoryFile(path.join(dir, 'missing.json'), 'm')).rejects.toThrow('m: cannot read input (ENOENT)');
  });
});

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return text.slice(0, at).split('\n').length;
}

function columnOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at - text.lastIndexOf('\n', at - 1);
}
