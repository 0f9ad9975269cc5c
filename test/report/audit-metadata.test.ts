/**
 * Audit metadata (issue 15, item 6): the account alias and the scan's scope (Regions, services,
 * inputs, config digest) in every report format, the digest as docs/json-report.md defines it,
 * per-account aliases in a scan of several accounts, and a hostile alias kept inert.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { loadFrameworks } from '../../src/engine/frameworks.js';
import { loadRules } from '../../src/engine/registry.js';
import { canonicalJson } from '../../src/engine/scan-scope.js';
import { CSV_COLUMNS } from '../../src/report/csv.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { createHash } from 'node:crypto';

const ALL_FORMATS = 'json,sarif,html,markdown,junit,ocsf,asff,csv';
const DEMO = path.resolve('fixtures/demo/inventory.json');
const DEMO_ALIAS = 'acme-ai-prod';
const DEMO_REGIONS = ['ap-southeast-2', 'eu-west-1', 'us-east-1'];
const DIGEST = /^sha256:[0-9a-f]{64}$/;

interface Scope {
  regions: string[];
  services: string[];
  inputs: string[];
  configDigest: string;
}

/** Report files by extension (`asff.json`, `ocsf.jsonl`, `json`, ...). */
function reports(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir).sort()) out[file.replace(/^aigis-report\./, '')] = readFileSync(path.join(dir, file), 'utf8');
  return out;
}

async function scan(argv: string[], cwd = tempDir()): Promise<{ files: Record<string, string>; stderr: string; cwd: string }> {
  const run = await runCli(['scan', ...argv, '--format', ALL_FORMATS, '--output', 'out'], cwd);
  expect(run.code, run.stderr).not.toBe(2);
  return { files: reports(path.join(run.cwd, 'out')), stderr: run.stderr, cwd: run.cwd };
}

function jsonOf(files: Record<string, string>): { reportVersion: string; account: { alias?: string }; accounts?: { id: string; alias?: string }[]; scanScope: Scope } {
  return JSON.parse(files.json!);
}

/** CSV rows (the demo's cells hold no quoted newline in the columns read here). */
function csvColumn(csv: string, name: string): string[] {
  const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const index = header.indexOf(name);
  expect(index).toBe(header.length - 1);
  // The last column: what follows the last comma of each record line.
  return lines.slice(1).filter((l) => /^[a-z0-9-]+,/.test(l)).map((l) => l.slice(l.lastIndexOf(',') + 1));
}

describe('audit metadata in every report', () => {
  it('states the account alias and the scan scope in each format', async () => {
    const { files, stderr } = await scan(['--input', DEMO]);
    expect(Object.keys(files).sort()).toEqual(['asff.json', 'csv', 'html', 'json', 'junit.xml', 'md', 'ocsf.jsonl', 'sarif']);

    const json = jsonOf(files);
    expect(json.reportVersion).toBe('2.3');
    expect(json.account).toEqual({ id: '111122223333', partition: 'aws', alias: DEMO_ALIAS });
    const scope = json.scanScope;
    expect(Object.keys(scope)).toEqual(['regions', 'services', 'inputs', 'configDigest']);
    expect(scope.regions).toEqual(DEMO_REGIONS);
    expect(scope.services).toEqual([...new Set(scope.services)].sort());
    expect(scope.services).toEqual(expect.arrayContaining(['bedrock', 'iam', 's3', 'sagemaker']));
    expect(scope.inputs).toEqual([expect.stringMatching(/fixtures\/demo\/inventory\.json$/)]);
    expect(scope.configDigest).toMatch(DIGEST);

    const sarif = JSON.parse(files.sarif!) as { runs: { properties: { account: { alias?: string }; scanScope: Scope } }[] };
    expect(sarif.runs[0]!.properties.account.alias).toBe(DEMO_ALIAS);
    expect(sarif.runs[0]!.properties.scanScope).toEqual(scope);

    expect(files.html).toContain(`<div><dt>Account alias</dt><dd>${DEMO_ALIAS}</dd></div>`);
    expect(files.html).toContain(`<div><dt>Regions</dt><dd>${DEMO_REGIONS.join(', ')}</dd></div>`);
    expect(files.html).toContain(`<div><dt>Services</dt><dd>${scope.services.join(', ')}</dd></div>`);
    expect(files.html).toContain(`<div><dt>Config digest</dt><dd><code>${scope.configDigest}</code></dd></div>`);

    expect(files.md).toContain(`Account 111122223333 "${DEMO_ALIAS}" (aws)`);
    expect(files.md).toContain(`Regions: ${DEMO_REGIONS.join(', ')} · services: ${scope.services.map((s) => s.replace(/_/g, '\\_')).join(', ')} · config digest ${scope.configDigest}`);

    expect(files['junit.xml']).toContain(`<property name="aigis.accountAlias" value="${DEMO_ALIAS}"/>`);
    expect(files['junit.xml']).toContain(`<property name="aigis.regions" value="${DEMO_REGIONS.join(',')}"/>`);
    expect(files['junit.xml']).toContain(`<property name="aigis.services" value="${scope.services.join(',')}"/>`);
    expect(files['junit.xml']).toContain(`<property name="aigis.configDigest" value="${scope.configDigest}"/>`);

    const events = files['ocsf.jsonl']!.trimEnd().split('\n').map((l) => JSON.parse(l) as { cloud: { account: { name?: string } }; finding_info: { data_sources?: string[] }; unmapped: { scan: unknown } });
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.cloud.account.name).toBe(DEMO_ALIAS);
      expect(event.finding_info.data_sources).toEqual(scope.inputs);
      expect(event.unmapped.scan).toEqual({ regions: scope.regions, services: scope.services, config_digest: scope.configDigest });
    }

    const asff = JSON.parse(files['asff.json']!) as { AwsAccountName?: string; ProductFields: Record<string, string> }[];
    expect(asff.length).toBeGreaterThan(0);
    for (const finding of asff) {
      expect(finding.AwsAccountName).toBe(DEMO_ALIAS);
      expect(finding.ProductFields['aigis/config-digest']).toBe(scope.configDigest);
      expect(finding.ProductFields['aigis/scan-regions']).toBe(DEMO_REGIONS.join(', '));
    }

    expect(CSV_COLUMNS.at(-1)).toBe('account_alias');
    const aliases = csvColumn(files.csv!, 'account_alias');
    expect(aliases.length).toBeGreaterThan(0);
    expect(new Set(aliases)).toEqual(new Set([DEMO_ALIAS]));

    expect(stderr.split('\n')[0]).toMatch(new RegExp(`^aigis \\S+ — account 111122223333 "${DEMO_ALIAS}" \\(aws\\)$`));
  });

  it('gives the same bytes on every run', async () => {
    const a = await scan(['--input', DEMO]);
    const b = await scan(['--input', DEMO], a.cwd);
    expect(b.files).toEqual(a.files);
  });

  it('leaves the alias out when the inventory has none, and keeps the scope', async () => {
    const dir = tempDir();
    const inventory = JSON.parse(readFileSync(DEMO, 'utf8'));
    delete inventory.account.alias;
    writeFileSync(path.join(dir, 'inv.json'), JSON.stringify(inventory));
    const { files } = await scan(['--input', 'inv.json'], dir);
    const json = jsonOf(files);
    expect(json.account).toEqual({ id: '111122223333', partition: 'aws' });
    expect(json.scanScope.inputs).toEqual(['inv.json']);
    expect(files.html).not.toContain('Account alias');
    expect(files['junit.xml']).not.toContain('aigis.accountAlias');
    const events = files['ocsf.jsonl']!.trimEnd().split('\n').map((l) => JSON.parse(l) as { cloud: { account: Record<string, unknown> } });
    expect(events.filter((e) => 'name' in e.cloud.account)).toEqual([]);
    expect(files['asff.json']).not.toContain('AwsAccountName');
  });
});

describe('config digest', () => {
  const digestOf = async (argv: string[], cwd = tempDir()) => {
    const run = await runCli(['scan', '--input', DEMO, ...argv, '--format', 'json', '--output', 'r.json'], cwd);
    expect(run.code, run.stderr).not.toBe(2);
    return (JSON.parse(readFileSync(path.join(run.cwd, 'r.json'), 'utf8')) as { scanScope: Scope }).scanScope.configDigest;
  };

  it('is the SHA-256 of the canonical JSON that docs/json-report.md defines', async () => {
    const rules = (await loadRules()).map((r) => r.meta.id);
    const frameworks = (await loadFrameworks(new Set(rules))).map((f) => f.id);
    const document = { frameworks: [...frameworks].sort(), rules: [...rules].sort(), scope: 'all', settings: ruleSettings(DEFAULT_CONFIG), severityOverrides: {}, suppressions: [] };
    const expected = `sha256:${createHash('sha256').update(canonicalJson(document)).digest('hex')}`;
    expect(await digestOf([])).toBe(expected);
    // Canonical: keys sorted at every level, no whitespace.
    expect(canonicalJson({ b: [2, { d: 1, c: undefined, a: 'x' }], a: null })).toBe('{"a":null,"b":[2,{"a":"x","d":1}]}');
  });

  it('is the same for the same effective settings and differs when they differ', async () => {
    const none = await digestOf([]);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'empty.yaml'), '{}\n');
    writeFileSync(path.join(dir, 'severity.yaml'), 'rules:\n  s3-block-public-access:\n    severity: low\n');
    writeFileSync(
      path.join(dir, 'suppress.yaml'),
      'suppressions:\n  - rule: s3-block-public-access\n    resource: "arn:aws:s3:::nothing-here"\n    reason: test\n',
    );
    expect(await digestOf(['--config', 'empty.yaml'], dir)).toBe(none);
    // Output options are not part of it.
    expect(await digestOf(['--passed', 'count', '--timestamp', '--fail-on', 'none'])).toBe(none);
    const others = [
      await digestOf(['--config', 'severity.yaml'], dir),
      await digestOf(['--config', 'suppress.yaml'], dir),
      await digestOf(['--skip-rules', 's3-block-public-access']),
      await digestOf(['--framework', 'hipaa']),
      await digestOf(['--scope', 'ai']),
    ];
    for (const other of others) expect(other).toMatch(DIGEST);
    expect(new Set([none, ...others]).size).toBe(others.length + 1);
  });
});

describe('several accounts', () => {
  it("lists each account's alias and names it on that account's findings", async () => {
    const dir = tempDir();
    const first = JSON.parse(readFileSync(DEMO, 'utf8'));
    const second = JSON.parse(readFileSync(DEMO, 'utf8').replaceAll('111122223333', '444455556666'));
    second.account.alias = 'acme-ai-dev';
    second.regions = ['eu-central-1'];
    // Bucket names are global: the second account's are renamed.
    for (const bucket of second.s3?.buckets ?? []) {
      bucket.arn = `${bucket.arn}-dev`;
      bucket.name = `${bucket.name}-dev`;
    }
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify(first));
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify(second));
    const { files } = await scan(['--input', 'a.json', '--input', 'b.json'], dir);
    const json = jsonOf(files);
    expect(json.accounts!.map((a) => [a.id, a.alias])).toEqual([
      ['111122223333', DEMO_ALIAS],
      ['444455556666', 'acme-ai-dev'],
    ]);
    expect(json.scanScope.regions).toEqual([...DEMO_REGIONS, 'eu-central-1'].sort());
    expect(json.scanScope.inputs).toEqual(['a.json', 'b.json']);
    const events = files['ocsf.jsonl']!.trimEnd().split('\n').map((l) => JSON.parse(l) as { cloud: { account: { uid: string; name?: string } } });
    const names = new Map(events.map((e) => [e.cloud.account.uid, e.cloud.account.name]));
    expect(Object.fromEntries(names)).toEqual({ '111122223333': DEMO_ALIAS, '444455556666': 'acme-ai-dev' });
    const asff = JSON.parse(files['asff.json']!) as { AwsAccountId: string; AwsAccountName?: string }[];
    expect(Object.fromEntries(asff.map((f) => [f.AwsAccountId, f.AwsAccountName]))).toEqual({ '111122223333': DEMO_ALIAS, '444455556666': 'acme-ai-dev' });
    expect(new Set(csvColumn(files.csv!, 'account_alias'))).toEqual(new Set([DEMO_ALIAS, 'acme-ai-dev']));
    // The accounts tables name each alias too.
    expect(files.html).toMatch(/<tr><td>444455556666<\/td><td>[^<]*<div class="muted">alias acme-ai-dev<\/div><\/td>/);
    expect(files.md).toMatch(/\| 444455556666 \| [^|]*\(alias acme-ai-dev\) \|/);
  });
});

describe('a hostile alias', () => {
  const HOSTILE = '<img src=x onerror=alert(1)>"\u001b[2J\u202e@org/team [x](https://evil.example) ::error::forged';

  it('is escaped in the HTML, markdown and console summary', async () => {
    const dir = tempDir();
    const inventory = JSON.parse(readFileSync(DEMO, 'utf8'));
    inventory.account.alias = HOSTILE;
    writeFileSync(path.join(dir, 'inv.json'), JSON.stringify(inventory));
    const { files, stderr } = await scan(['--input', 'inv.json'], dir);

    expect(files.html).not.toContain('<img src=x');
    expect(files.html).toContain('<dt>Account alias</dt><dd>&lt;img src=x onerror=alert(1)&gt;&quot;');

    expect(files.md).not.toContain('<img');
    expect(files.md).not.toContain('\u001b');
    expect(files.md).not.toContain('\u202e');
    expect(files.md).not.toContain('@org');
    expect(files.md).not.toContain('[x](https://evil');
    expect(files.md).toContain('\\[x\\](https:&#8203;//evil.example)');
    expect(files.md).toContain('&lt;img src=x onerror=alert(1)&gt;');

    const header = stderr.split('\n')[0]!;
    expect(header).not.toContain('\u001b');
    expect(header).not.toContain('\u202e');
    expect(header).toContain('\\x1b[2J');
    expect(stderr).not.toMatch(/^::error/m);

    // The machine formats keep it as data; ASFF cuts it to AwsAccountName's 50 characters.
    expect(jsonOf(files).account.alias).toBe(HOSTILE);
    const asff = JSON.parse(files['asff.json']!) as { AwsAccountName?: string }[];
    expect(asff[0]!.AwsAccountName!.length).toBeLessThanOrEqual(50);
    expect(files['junit.xml']).not.toContain('<img');
  });
});
