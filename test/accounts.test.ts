/**
 * Several accounts in one scan (issue 13, item 2): `aigis scan --input a.json --input b.json`
 * evaluates each account alone and reports them together. Each account's findings are exactly
 * those of its own single-account scan, now carrying the account; the summary and control
 * rollups count every account; the order of the inputs does not change a byte; an account that
 * could not be scanned is unknown on every rule, never missing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoInventoryPath } from '../src/commands/scan.js';
import { combineAccountScans, accountStandings, failingAccountsByControl } from '../src/engine/accounts.js';
import { loadFrameworks } from '../src/engine/frameworks.js';
import { loadRules } from '../src/engine/registry.js';
import { reportRules, runScan, type ScanResult } from '../src/engine/scan.js';
import { DEFAULT_CONFIG, ruleSettings } from '../src/engine/config.js';
import { parseInventory } from '../src/inventory/load.js';
import { FORMATS, type FormatName } from '../src/report/index.js';
import { runCli, tempDir } from './helpers/cli.js';

const DEMO_TEXT = readFileSync(demoInventoryPath(), 'utf8');
const DEMO_ACCOUNT = JSON.parse(DEMO_TEXT).account.id as string;
const OTHER_ACCOUNT = '210987654321';

/**
 * The demo as a second account: its ids and bucket names changed (bucket names are global), and its
 * REST API ids (API Gateway ARNs carry no account id; another account's APIs have other ids).
 */
function otherAccountText(): string {
  const apiIds = [...new Set([...DEMO_TEXT.matchAll(/\/restapis\/([a-z0-9]{10})/g)].map((m) => m[1]!))];
  let text = DEMO_TEXT.split(DEMO_ACCOUNT).join(OTHER_ACCOUNT).replace(/acme-/g, 'beta-');
  for (const id of apiIds) text = text.split(id).join([...id].reverse().join(''));
  return text;
}

function twoSnapshots(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'a.json'), DEMO_TEXT);
  writeFileSync(path.join(dir, 'b.json'), otherAccountText());
  return dir;
}

function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('scan --input with snapshots of several accounts', () => {
  it("reports each account's own findings, with the account, and sums the summary", async () => {
    const dir = twoSnapshots();
    const multi = await runCli(['scan', '-i', 'a.json', '-i', 'b.json', '-f', 'json', '-o', 'multi.json', '--fail-on', 'none', '--passed', 'full'], dir);
    expect(multi.code, multi.stderr).toBe(0);
    const a = await runCli(['scan', '-i', 'a.json', '-f', 'json', '-o', 'a-report.json', '--fail-on', 'none', '--passed', 'full'], dir);
    const b = await runCli(['scan', '-i', 'b.json', '-f', 'json', '-o', 'b-report.json', '--fail-on', 'none', '--passed', 'full'], dir);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const report = readJson(path.join(dir, 'multi.json'));
    const single = [readJson(path.join(dir, 'a-report.json')), readJson(path.join(dir, 'b-report.json'))];

    expect(report.account.id).toBe('multiple');
    expect(report.accounts.map((x: any) => [x.id, x.status])).toEqual([
      [DEMO_ACCOUNT, 'scanned'],
      [OTHER_ACCOUNT, 'scanned'],
    ]);
    for (const [i, id] of [DEMO_ACCOUNT, OTHER_ACCOUNT].entries()) {
      const own = report.findings.filter((f: any) => f.account === id).map(({ account, ...rest }: any) => rest);
      const expected = single[i].findings;
      // Same findings (fingerprints, messages, verdicts), in the same relative order.
      expect(own).toEqual(expected);
      const entry = report.accounts.find((x: any) => x.id === id);
      expect(entry.resourcesEvaluated).toBe(single[i].summary.resourcesEvaluated);
      expect(entry.fail).toBe(single[i].summary.byVerdict.fail);
      expect(entry.failingBySeverity).toEqual(single[i].summary.failingBySeverity);
    }
    expect(report.findings.every((f: any) => f.account === DEMO_ACCOUNT || f.account === OTHER_ACCOUNT)).toBe(true);
    for (const key of ['fail', 'unknown', 'pass', 'not_applicable'] as const) {
      expect(report.summary.byVerdict[key]).toBe(single[0].summary.byVerdict[key] + single[1].summary.byVerdict[key]);
    }
    expect(report.summary.resourcesEvaluated).toBe(single[0].summary.resourcesEvaluated + single[1].summary.resourcesEvaluated);
    // A control failing in both accounts names both, with their failing resources.
    const hipaa = report.frameworks.find((f: any) => f.id === 'hipaa');
    const failing = hipaa.controls.filter((c: any) => c.status === 'failing');
    expect(failing.length).toBeGreaterThan(0);
    for (const control of failing) {
      expect(control.failingAccounts.map((x: any) => x.account).sort()).toEqual([DEMO_ACCOUNT, OTHER_ACCOUNT]);
      const singleControl = single[0].frameworks.find((f: any) => f.id === 'hipaa').controls.find((c: any) => c.id === control.id);
      expect(control.counts.fail).toBe(2 * singleControl.counts.fail);
    }
  });

  it('gives the same bytes whatever the order of the inputs, in every format', async () => {
    const dir = twoSnapshots();
    const formats = ['-f', 'json,sarif,html,markdown'];
    expect((await runCli(['scan', '-i', 'a.json', '-i', 'b.json', ...formats, '-o', 'ab', '--fail-on', 'none'], dir)).code).toBe(0);
    expect((await runCli(['scan', '-i', 'b.json', '-i', 'a.json', ...formats, '-o', 'ba', '--fail-on', 'none'], dir)).code).toBe(0);
    for (const file of ['aigis-report.json', 'aigis-report.sarif', 'aigis-report.html', 'aigis-report.md']) {
      expect(readFileSync(path.join(dir, 'ba', file), 'utf8'), file).toBe(readFileSync(path.join(dir, 'ab', file), 'utf8'));
    }
    const sarif = readJson(path.join(dir, 'ab', 'aigis-report.sarif'));
    expect(sarif.runs[0].properties.accounts.map((x: any) => x.id)).toEqual([DEMO_ACCOUNT, OTHER_ACCOUNT]);
    expect(new Set(sarif.runs[0].results.map((r: any) => r.properties.account))).toEqual(new Set([DEMO_ACCOUNT, OTHER_ACCOUNT]));
    const markdown = readFileSync(path.join(dir, 'ab', 'aigis-report.md'), 'utf8');
    expect(markdown).toContain('### Accounts');
    expect(markdown).toContain(`| ${OTHER_ACCOUNT} |`);
    const html = readFileSync(path.join(dir, 'ab', 'aigis-report.html'), 'utf8');
    expect(html).toContain('<table id="account-table">');
  });

  it('lists the accounts worst first on the console', async () => {
    const dir = twoSnapshots();
    // The second account without its failing IAM roles: fewer critical failures.
    const other = JSON.parse(otherAccountText());
    other.iam.roles = [];
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify(other));
    const run = await runCli(['scan', '-i', 'b.json', '-i', 'a.json', '-f', 'json', '-o', 'r.json', '--fail-on', 'none'], dir);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toMatch(/— 2 accounts \(aws\)$/);
    const at = lines.findIndex((l) => l.startsWith('Accounts, worst first (2)'));
    expect(at).toBeGreaterThan(0);
    // Each account with the alias its snapshot read (the demo's).
    expect(lines[at + 1]).toMatch(new RegExp(`^  ${DEMO_ACCOUNT} alias acme-ai-prod: \\d+ failing \\(critical \\d+`));
    expect(lines[at + 2]).toMatch(new RegExp(`^  ${OTHER_ACCOUNT} alias beta-ai-prod: `));
  });

  it('refuses the same account twice, and the same file twice, naming them', async () => {
    const dir = twoSnapshots();
    writeFileSync(path.join(dir, 'c.json'), DEMO_TEXT);
    const run = await runCli(['scan', '-i', 'a.json', '-i', 'c.json', '-f', 'json', '-o', 'r.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`aigis: error: --input: c.json and a.json are both snapshots of account ${DEMO_ACCOUNT} (give each account once)\n`);
    const twice = await runCli(['scan', '-i', 'a.json', '-i', 'a.json', '-f', 'json', '-o', 'r.json'], dir);
    expect(twice.stderr).toBe('aigis: error: --input: a.json is given twice\n');
  });

  it("uses a single account's report as the baseline of a multi-account scan, and refuses one of other accounts", async () => {
    const dir = twoSnapshots();
    expect((await runCli(['scan', '-i', 'a.json', '-f', 'json', '-o', 'base.json', '--fail-on', 'none'], dir)).code).toBe(0);
    const run = await runCli(['scan', '-i', 'a.json', '-i', 'b.json', '-f', 'json', '-o', 'r.json', '--baseline', 'base.json', '--fail-on', 'high'], dir);
    const report = readJson(path.join(dir, 'r.json'));
    const failing = report.findings.filter((f: any) => f.verdict === 'fail');
    // The first account's failures are in the baseline; the second's are all new.
    expect(failing.filter((f: any) => f.account === DEMO_ACCOUNT).every((f: any) => f.baseline === 'existing')).toBe(true);
    expect(failing.filter((f: any) => f.account === OTHER_ACCOUNT).every((f: any) => f.baseline === 'new')).toBe(true);
    expect(run.code).toBe(1);

    writeFileSync(path.join(dir, 'c.json'), DEMO_TEXT.split(DEMO_ACCOUNT).join('999988887777').replace(/acme-/g, 'gamma-'));
    expect((await runCli(['scan', '-i', 'c.json', '-f', 'json', '-o', 'other.json', '--fail-on', 'none'], dir)).code).toBe(0);
    const refused = await runCli(['scan', '-i', 'a.json', '-i', 'b.json', '-f', 'json', '-o', 'r2.json', '--baseline', 'other.json'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`a report of account 999988887777, but this scan is of accounts ${DEMO_ACCOUNT}, ${OTHER_ACCOUNT}`);
  });
});

describe('an account that was not scanned', () => {
  it('is unknown on every rule, so no control reads as passing because of it', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    const tool = { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' };
    const inventory = parseInventory(JSON.parse(DEMO_TEXT), 'demo');
    const scanned: ScanResult = await runScan({ inventory, rules, frameworks, settings: ruleSettings(DEFAULT_CONFIG) }, tool);
    const combined = combineAccountScans(
      [scanned],
      [{ id: '123456789012', partition: 'aws', name: 'ml-sandbox', path: 'Root/Sandbox', reason: 'AccessDenied on sts:AssumeRole of OrganizationAccountAccessRole' }],
      { tool, rules: reportRules({ rules, frameworks }), frameworks },
    );
    const unscanned = combined.findings.filter((f) => f.account === '123456789012');
    expect(unscanned).toHaveLength(rules.length);
    expect(unscanned.every((f) => f.verdict === 'unknown' && f.resource.arn === 'arn:aws:iam::123456789012:root')).toBe(true);
    expect(unscanned[0]!.message).toContain('Account 123456789012 (Root/Sandbox) was not scanned (AccessDenied on sts:AssumeRole');
    const entry = combined.accounts!.find((a) => a.id === '123456789012')!;
    expect(entry).toMatchObject({ status: 'not_scanned', name: 'ml-sandbox', path: 'Root/Sandbox', resourcesEvaluated: 0 });
    // Every control with a rule is failing or unknown, none passing.
    for (const framework of combined.frameworks) {
      for (const control of framework.controls) {
        if (control.rules.length) expect(['failing', 'unknown'], `${framework.id} ${control.id}`).toContain(control.status);
      }
    }
    const standings = accountStandings(combined);
    expect(standings.map((s) => s.entry.id)).toEqual([DEMO_ACCOUNT, '123456789012']);
    expect(standings[1]!.unknown).toBe(rules.length);
    // Unknown is not failing: the unscanned account is never listed as failing a control.
    for (const controls of failingAccountsByControl(combined).values()) {
      for (const accounts of controls.values()) expect(accounts.map((a) => a.account)).not.toContain('123456789012');
    }
  });
});

describe('accounts with very long passing lists', () => {
  it('are combined (a list of 300,000 resources is not spread into one call)', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    const tool = { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' };
    const scanned = await runScan({ inventory: parseInventory(JSON.parse(DEMO_TEXT), 'demo'), rules, frameworks, settings: ruleSettings(DEFAULT_CONFIG), keepPassingFindings: false }, tool);
    const ruleId = scanned.passed![0]!.ruleId;
    const many = Array.from({ length: 300_000 }, (_, i) => ({ arn: `arn:aws:s3:::bucket-${String(i).padStart(6, '0')}`, type: 'AWS::S3::Bucket', region: 'us-east-1', name: `bucket-${i}` }));
    const large: ScanResult = { ...scanned, passed: [{ ruleId, pass: many, notApplicable: many }] };
    const combined = combineAccountScans([large], [], { tool, rules: reportRules({ rules, frameworks }), frameworks });
    const group = combined.passed!.find((g) => g.ruleId === ruleId)!;
    expect(group.pass).toHaveLength(300_000);
    expect(group.notApplicable).toHaveLength(300_000);
  });
});

describe('results kept on disk while the accounts are scanned', () => {
  // A multi-account scan writes each account's result as a JSON line and reads it back when the
  // accounts are combined: every report must be the same as from the result that was written.
  it('read back as JSON, give byte-identical reports in every format', async () => {
    const rules = await loadRules();
    const frameworks = await loadFrameworks(new Set(rules.map((r) => r.meta.id)));
    const tool = { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' };
    const scans: ScanResult[] = [];
    for (const text of [DEMO_TEXT, otherAccountText()]) {
      for (const keepPassingFindings of [true, false]) {
        scans.push(await runScan({ inventory: parseInventory(JSON.parse(text), 'demo'), rules, frameworks, settings: ruleSettings(DEFAULT_CONFIG), keepPassingFindings }, tool));
      }
    }
    const render = async (result: ScanResult, format: FormatName) => {
      const content = await FORMATS[format].render(result, { passed: 'list', pretty: false });
      if (typeof content === 'string') return content;
      let text = '';
      for await (const chunk of content) text += chunk;
      return text;
    };
    for (const scan of scans) {
      const back = JSON.parse(JSON.stringify(scan)) as ScanResult;
      for (const format of Object.keys(FORMATS) as FormatName[]) expect(await render(back, format), format).toBe(await render(scan, format));
    }
    const combine = (list: ScanResult[]) => combineAccountScans(list, [], { tool, rules: reportRules({ rules, frameworks }), frameworks, label: 'o-example' });
    const inMemory = combine([scans[0]!, scans[2]!].map((s) => ({ ...s, rules: [], frameworks: [] })));
    const fromDisk = combine([scans[0]!, scans[2]!].map((s) => JSON.parse(JSON.stringify({ ...s, rules: [], frameworks: [] })) as ScanResult));
    for (const format of Object.keys(FORMATS) as FormatName[]) expect(await render(fromDisk, format), format).toBe(await render(inMemory, format));
  });
});
