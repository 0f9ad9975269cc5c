/**
 * Scan-to-scan: `aigis diff OLD.json NEW.json` and `aigis scan --compare OLD.json`, on two scans of
 * fixtures/diff (previous.json, current.json): between them one failing bucket is fixed and one is
 * removed, one passing bucket regresses, two buckets are new and fail (one with a hostile name),
 * one stays failing, one failing finding is suppressed in the current scan (aigis.config.yaml),
 * and one bucket's encryption was not collected in the current scan (failing -> unknown).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../src/engine/fingerprint.js';
import { packageRoot } from '../src/engine/paths.js';
import { runCli, tempDir } from './helpers/cli.js';

const FIXTURES = path.join(packageRoot(), 'fixtures', 'diff');
const RULES = ['--rules', 's3-block-public-access,s3-sse-kms-cmk'];
const BPA = 's3-block-public-access';
const CMK = 's3-sse-kms-cmk';
const HOSTILE = '<img src=x onerror=alert(1)>-`@team';
const arn = (name: string) => `arn:aws:s3:::${name}`;

let dir: string;

async function scan(input: string, out: string, extra: string[] = []) {
  const res = await runCli(['scan', '--input', path.join(FIXTURES, input), ...RULES, '--format', 'json', '--output', out, ...extra], dir);
  expect(res.stderr).not.toContain('aigis: error');
  return res;
}

beforeAll(async () => {
  dir = tempDir('aigis-diff-');
  await scan('previous.json', 'previous.json');
  await scan('previous.json', 'previous-count.json', ['--passed', 'count']);
  await scan('previous.json', 'previous-full.json', ['--passed', 'full']);
  await scan('current.json', 'current.json', ['--config', path.join(FIXTURES, 'aigis.config.yaml')]);
});

const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('aigis diff', () => {
  it('sorts every finding into new, regressed, fixed, suppressed since, still failing and unknown changes', async () => {
    const res = await runCli(['diff', 'previous.json', 'current.json', '--output', 'out'], dir);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    const diff = JSON.parse(read('out/aigis-diff.json'));
    expect(diff.diffVersion).toBe('1.0');
    expect(diff.previous).toEqual({ file: 'previous.json', reportVersion: '2.3', passedMode: 'list' });
    expect(diff.regressedKnown).toBe(true);
    expect(diff.counts).toEqual({ new: 2, regressed: 1, fixed: 2, suppressed: 1, stillFailing: 1, unknownChanged: 1 });
    const pick = (list: any[]) => list.map((f) => [f.ruleId, f.resource.arn, f.from, f.to]);
    expect(pick(diff.findings.new)).toEqual([
      [BPA, arn(HOSTILE), 'absent', 'fail'],
      [CMK, arn('brand-new'), 'absent', 'fail'],
    ]);
    expect(pick(diff.findings.regressed)).toEqual([[BPA, arn('regresses'), 'pass', 'fail']]);
    expect(pick(diff.findings.fixed)).toEqual([
      [BPA, arn('gets-fixed'), 'fail', 'pass'],
      [BPA, arn('removed'), 'fail', 'absent'],
    ]);
    expect(pick(diff.findings.suppressed)).toEqual([[CMK, arn('accepted'), 'fail', 'suppressed']]);
    expect(pick(diff.findings.stillFailing)).toEqual([[BPA, arn('stays-open'), 'fail', 'fail']]);
    expect(pick(diff.findings.unknownChanged)).toEqual([[CMK, arn('goes-dark'), 'fail', 'unknown']]);
    // Fingerprints are those of (rule, resource); a fixed finding keeps the message that said what was wrong.
    expect(diff.findings.regressed[0].fingerprint).toBe(fingerprintOf(BPA, arn('regresses')));
    expect(diff.findings.fixed[0].message).toContain('Block Public Access is not fully in effect');

    // Per control: the rules' controls from the report (HIPAA 164.312(a)(1) is evidenced by s3-block-public-access only).
    const control = (framework: string, id: string) => diff.controls.find((c: any) => c.framework === framework && c.controlId === id);
    const access = control('hipaa', '164.312(a)(1)');
    expect(access).toMatchObject({ frameworkName: 'HIPAA Security Rule', title: 'Access control', counts: { new: 1, regressed: 1, fixed: 2, suppressed: 0, stillFailing: 1, unknownChanged: 0 } });
    expect(access.fingerprints.regressed).toEqual([fingerprintOf(BPA, arn('regresses'))]);
    const encryption = control('hipaa', '164.312(a)(2)(iv)');
    expect(encryption.counts).toEqual({ new: 1, regressed: 0, fixed: 0, suppressed: 1, stillFailing: 0, unknownChanged: 1 });
    // Controls in the reports' order: frameworks, then their controls.
    const frameworks = [...new Set(diff.controls.map((c: any) => c.framework))];
    expect(frameworks).toEqual(JSON.parse(read('current.json')).frameworks.map((f: any) => f.id).filter((id: string) => frameworks.includes(id)));

    const md = read('out/aigis-diff.md');
    expect(md).toMatch(/^## aigis diff\n/);
    expect(md).toContain('| Regressed (passing before) | 1 |');
    expect(md).toContain('| HIPAA Security Rule | 164.312(a)(1) Access control | 1 | 1 | 2 | 0 | 1 |');
    expect(md).toContain('| regressed: passing → failing | high | s3-block-public-access | regresses (AWS::S3::Bucket)');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;-\\`@&#8203;team');
    expect(md).not.toContain('<img');

    expect(res.stdout).toContain('2 new, 1 regressed, 2 fixed, 1 suppressed since, 1 still failing, 1 unknown change');
    expect(res.stdout).toContain('[HIGH] regressed  s3-block-public-access  arn:aws:s3:::regresses');
    expect(res.stdout).toContain('HIPAA Security Rule 164.312(a)(1): 1 new, 1 regressed, 2 fixed');
    expect(res.stdout).toContain(`wrote ${path.join('out', 'aigis-diff.json')}`);
  });

  it('gives byte-identical output on every run', async () => {
    const first = await runCli(['diff', 'previous.json', 'current.json', '--output', 'a', '--format', 'json,markdown'], dir);
    const second = await runCli(['diff', 'previous.json', 'current.json', '--output', 'b', '--format', 'json', '--format', 'markdown'], dir);
    expect(read('a/aigis-diff.json')).toBe(read('b/aigis-diff.json'));
    expect(read('a/aigis-diff.md')).toBe(read('b/aigis-diff.md'));
    expect(first.stdout.replace(/wrote a\//g, '')).toBe(second.stdout.replace(/wrote b\//g, ''));
    // One format to a file name.
    const one = await runCli(['diff', 'previous.json', 'current.json', '--output', 'only.md', '--format', 'markdown'], dir);
    expect(one.code).toBe(0);
    expect(read('only.md')).toBe(read('a/aigis-diff.md'));
  });

  it('exits 1 when a new or regressed finding reaches --fail-on', async () => {
    expect((await runCli(['diff', 'previous.json', 'current.json', '--fail-on', 'high'], dir)).code).toBe(1);
    expect((await runCli(['diff', 'previous.json', 'current.json', '--fail-on', 'critical'], dir)).code).toBe(0);
    expect((await runCli(['diff', 'previous.json', 'current.json', '--fail-on', 'none'], dir)).code).toBe(0);
    // Nothing new: the same report twice.
    const same = await runCli(['diff', 'current.json', 'current.json', '--fail-on', 'info'], dir);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('0 new, 0 regressed, 0 fixed, 0 suppressed since, 4 still failing, 0 unknown changes');
  });

  it('with a previous report that counts its passing resources, says regressed cannot be told from new', async () => {
    const res = await runCli(['diff', 'previous-count.json', 'current.json', '--output', 'count', '--format', 'json'], dir);
    const diff = JSON.parse(read('count/aigis-diff.json'));
    expect(diff.regressedKnown).toBe(false);
    expect(diff.counts).toMatchObject({ new: 3, regressed: 0, fixed: 2 });
    expect(diff.findings.new.find((f: any) => f.resource.arn === arn('regresses')).from).toBe('not_failing');
    expect(res.stdout).toContain('cannot be told from a new one');
  });

  it('reads a version-1 report (every finding in full, controls in each finding)', async () => {
    const full = JSON.parse(read('previous-full.json'));
    const controls = new Map(full.rules.map((r: any) => [r.id, r.controls]));
    const v1 = {
      reportVersion: '1.0',
      tool: full.tool,
      account: full.account,
      findings: full.findings.map((f: any) => ({ ...f, title: 'x', service: 's3', controls: controls.get(f.ruleId) })),
    };
    writeFileSync(path.join(dir, 'v1.json'), JSON.stringify(v1));
    await runCli(['diff', 'v1.json', 'current.json', '--output', 'v1', '--format', 'json'], dir);
    const a = JSON.parse(read('v1/aigis-diff.json'));
    await runCli(['diff', 'previous.json', 'current.json', '--output', 'v2', '--format', 'json'], dir);
    const b = JSON.parse(read('v2/aigis-diff.json'));
    expect(a.previous).toEqual({ file: 'v1.json', reportVersion: '1.0', passedMode: 'full' });
    expect(a.findings).toEqual(b.findings);
    expect(a.controls.map((c: any) => [c.framework, c.controlId, c.counts])).toEqual(
      expect.arrayContaining(b.controls.map((c: any) => [c.framework, c.controlId, c.counts])),
    );
  });

  it('prints nothing raw from a report to the terminal', async () => {
    const report = JSON.parse(read('current.json'));
    report.findings[0].message = 'evil \u001b[31mred\u001b[0m\n::error::injected \u202e';
    writeFileSync(path.join(dir, 'hostile.json'), JSON.stringify(report));
    const res = await runCli(['diff', 'previous.json', 'hostile.json'], dir);
    expect(res.code).toBe(0);
    expect(res.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(res.stdout).not.toMatch(/^\s*::/m);
    expect(res.stdout).toContain('evil \\x1b[31mred');
  });

  it('bad input: exit 2 and one line naming the file and the JSON path', async () => {
    const bad = (name: string, content: string) => writeFileSync(path.join(dir, name), content);
    bad('syntax.json', '{"reportVersion": "2.3",');
    const wrongFp = JSON.parse(read('current.json'));
    wrongFp.findings[1].fingerprint = 'abc';
    bad('fp.json', JSON.stringify(wrongFp));
    bad('sarif.json', JSON.stringify({ version: '2.1.0', runs: [] }));
    bad('future.json', JSON.stringify({ reportVersion: '3.0', findings: [] }));
    const other = JSON.parse(read('current.json'));
    other.account.id = '111122223333';
    bad('other.json', JSON.stringify(other));
    const cases: [string[], RegExp][] = [
      [['diff', 'syntax.json', 'current.json'], /^aigis: error: syntax\.json: report is not valid JSON: /],
      [['diff', 'previous.json', 'fp.json'], /^aigis: error: fp\.json at \$\.findings\[1\]\.fingerprint: expected an aigis fingerprint/],
      [['diff', 'sarif.json', 'current.json'], /^aigis: error: sarif\.json at \$\.runs: a SARIF log/],
      [['diff', 'future.json', 'current.json'], /^aigis: error: future\.json at \$\.reportVersion: unsupported reportVersion/],
      [['diff', 'missing.json', 'current.json'], /^aigis: error: missing\.json: .*ENOENT/],
      [['diff', 'other.json', 'current.json'], /^aigis: error: other\.json is a report of account 111122223333 and current\.json of 444455556666/],
      [['diff', 'previous.json', 'current.json', '--format', 'json'], /^aigis: error: --format: give --output too/],
      [['diff', 'previous.json', 'current.json', '--fail-on', 'severe'], /^aigis: error: --fail-on: unknown severity "severe"/],
    ];
    for (const [argv, expected] of cases) {
      const res = await runCli(argv, dir);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.stderr, argv.join(' ')).toMatch(expected);
      expect(res.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(res.stdout).toBe('');
    }
  });
});

describe('aigis scan --compare', () => {
  it('puts the changes in the Markdown, HTML and JSON reports, escaped', async () => {
    const argv = ['scan', '--input', path.join(FIXTURES, 'current.json'), ...RULES, '--config', path.join(FIXTURES, 'aigis.config.yaml'), '--compare', 'previous.json', '--format', 'json,markdown,html'];
    const res = await runCli([...argv, '--output', 'cmp'], dir);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('since previous.json: 2 new, 1 regressed, 2 fixed, 1 suppressed since, 1 still failing, 1 unknown change');

    const md = read('cmp/aigis-report.md');
    const section = md.slice(md.indexOf('### Changes since the previous scan'), md.indexOf('\n### Controls\n'));
    expect(section).toContain('Compared with previous.json (report 2.3).');
    expect(section).toContain('| New | 2 |');
    expect(section).toContain('| regressed: passing → failing | high | s3-block-public-access | regresses (AWS::S3::Bucket)');
    expect(section).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(section).not.toContain('<img');

    const html = read('cmp/aigis-report.html');
    const start = html.indexOf('<section id="delta">');
    expect(start).toBeGreaterThan(html.indexOf('<section id="summary">'));
    const delta = html.slice(start, html.indexOf('</section>', start));
    expect(delta).toContain('<h2>Changes since the previous scan</h2>');
    expect(delta).toContain('<div class="card delta-regressed" id="delta-regressed"><div class="n">1</div>');
    expect(delta).toContain('&lt;img src=x onerror=alert(1)&gt;-&#96;@team');
    expect(delta).not.toContain('<img');
    expect(delta).not.toMatch(/ style="| on\w+="/);

    const json = JSON.parse(read('cmp/aigis-report.json'));
    expect(json.reportVersion).toBe('2.3');
    expect(json.delta).toEqual({
      previous: { file: 'previous.json', reportVersion: '2.3', passedMode: 'list' },
      regressedKnown: true,
      counts: { new: 2, regressed: 1, fixed: 2, suppressed: 1, stillFailing: 1, unknownChanged: 1 },
      new: [fingerprintOf(BPA, arn(HOSTILE)), fingerprintOf(CMK, arn('brand-new'))],
      regressed: [fingerprintOf(BPA, arn('regresses'))],
      fixed: [fingerprintOf(BPA, arn('gets-fixed')), fingerprintOf(BPA, arn('removed'))],
      suppressed: [fingerprintOf(CMK, arn('accepted'))],
      stillFailing: [fingerprintOf(BPA, arn('stays-open'))],
      unknownChanged: [fingerprintOf(CMK, arn('goes-dark'))],
    });

    // Same bytes again; and a bad previous report stops the scan before it writes anything.
    await runCli([...argv, '--output', 'cmp2'], dir);
    for (const f of ['aigis-report.md', 'aigis-report.html', 'aigis-report.json']) expect(read(`cmp2/${f}`)).toBe(read(`cmp/${f}`));
    const bad = await runCli([...argv.slice(0, -4), '--compare', 'fp-missing.json', '--output', 'cmp3'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^aigis: error: fp-missing\.json: .*ENOENT/);
  });
});
