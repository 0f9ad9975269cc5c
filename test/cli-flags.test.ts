/**
 * Command-line edges (issue 11, items 8 and 9): a flag that would silently fall back to a default,
 * be ignored, or write somewhere unexpected is one clear line and exit 2, and nothing is written.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoInventoryPath } from '../src/commands/scan.js';
import { runCli, tempDir } from './helpers/cli.js';

const DEMO_ACCOUNT = JSON.parse(readFileSync(demoInventoryPath(), 'utf8')).account.id as string;

/** Exit 2, exactly one stderr line (the given one), nothing on stdout, nothing written in cwd. */
async function expectUsageError(argv: string[], line: string | RegExp, cwd = tempDir()): Promise<void> {
  const before = readdirSync(cwd);
  const run = await runCli(argv, cwd);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr.endsWith('\n')).toBe(true);
  const lines = run.stderr.trimEnd().split('\n');
  // yargs' own usage errors close with a "Run `aigis --help`" hint line; aigis's are one line.
  if (lines.length === 2) expect(lines[1]).toMatch(/^Run `aigis.*--help` for usage\.$/);
  else expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(run.stdout).toBe('');
  expect(readdirSync(cwd)).toEqual(before);
}

describe('aigis without a command', () => {
  it('names every command, policy included', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('aigis: error: give a command (scan, collect, merge, rules, frameworks, validate, policy, export, diff)');
  });
});

describe('empty list flags are usage errors, not "everything"', () => {
  it.each([
    [['--format', ''], '--format'],
    [['--format', ','], '--format'],
    [['--rules', ''], '--rules'],
    [['--rules', ' , '], '--rules'],
    [['--skip-rules', ''], '--skip-rules'],
    [['--framework', ''], '--framework'],
  ])('scan --demo %j', async (flags, flag) => {
    await expectUsageError(['scan', '--demo', ...flags], `aigis: error: ${flag}: empty value (give one or more, comma-separated, or leave the flag out)`);
  });

  it('policy check --format ""', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }));
    await expectUsageError(['policy', 'check', 'p.json', '--format', ''], 'aigis: error: --format: empty value (give one or more, comma-separated, or leave the flag out)', dir);
  });

  it('--output "" for scan, and for collect before any AWS call', async () => {
    await expectUsageError(['scan', '--demo', '--output', ''], 'aigis: error: --output: empty path');
    await expectUsageError(['collect', '--output', ''], 'aigis: error: --output: empty path (use - for stdout)');
  });

  it.each([
    [['--profile', ''], 'aigis: error: --profile: empty value'],
    [['--region', ' '], 'aigis: error: --region: empty value'],
    [['--role-arn', ''], 'aigis: error: --role-arn: empty value'],
    [['--services', ''], 'aigis: error: --services: empty value (give one or more, comma-separated, or leave the flag out)'],
    [['--regions', ','], 'aigis: error: --regions: empty value (give one or more, comma-separated, or leave the flag out)'],
    [['--concurrency', ''], 'aigis: error: --concurrency: empty value (give one or more, comma-separated, or leave the flag out)'],
  ])('collect %j (checked before any AWS call)', async (flags, line) => {
    await expectUsageError(['collect', ...flags, '--output', 'never.json'], line);
  });
});

describe('flags the chosen mode never reads', () => {
  it.each([
    [['--demo', '--profile', 'audit'], '--profile: a flag of a live scan, not used with --demo'],
    [['--demo', '--region', 'eu-west-1', '--regions', 'all', '--stats'], '--region, --regions, --stats: flags of a live scan, not used with --demo'],
    [['--input', demoInventoryPath(), '--role-arn', 'arn:aws:iam::111122223333:role/x'], '--role-arn: a flag of a live scan, not used with --input'],
    [['--input', demoInventoryPath(), '--endpoint-url', 'http://localhost:4566', '--max-attempts', '2'], '--endpoint-url, --max-attempts: flags of a live scan, not used with --input'],
    [['--iac', 'template.yaml', '--services', 's3', '--since', '30d'], '--services, --since: flags of a live scan, not used with --iac'],
  ])('scan %j', async (flags, message) => {
    await expectUsageError(['scan', ...flags], `aigis: error: ${message} (a live scan is one without --input, --iac and --demo)`);
  });

  it('--account-id without --iac', async () => {
    await expectUsageError(['scan', '--demo', '--account-id', '123456789012'], 'aigis: error: --account-id applies to CloudFormation templates given with --iac');
  });
});

describe('-o with several formats', () => {
  it('a path with an extension is refused: it would become a directory of that name', async () => {
    await expectUsageError(
      ['scan', '--demo', '--format', 'json,sarif', '-o', 'report.json'],
      'aigis: error: --output report.json: with several formats (json, sarif) the output is a directory; give a directory such as aigis-report/, or one --format',
    );
  });

  it('one format writes that file; an existing directory, a trailing slash or no extension are directories', async () => {
    const dir = tempDir();
    let run = await runCli(['scan', '--demo', '--format', 'json', '-o', 'report.json'], dir);
    expect(run.code).toBe(0);
    expect(statSync(path.join(dir, 'report.json')).isFile()).toBe(true);

    mkdirSync(path.join(dir, 'out.d'));
    run = await runCli(['scan', '--demo', '--format', 'json,sarif', '-o', 'out.d'], dir);
    expect(run.code).toBe(0);
    expect(readdirSync(path.join(dir, 'out.d')).sort()).toEqual(['aigis-report.json', 'aigis-report.sarif']);

    run = await runCli(['scan', '--demo', '--format', 'json,sarif', '-o', 'reports.v2/'], dir);
    expect(run.code).toBe(0);
    expect(readdirSync(path.join(dir, 'reports.v2')).sort()).toEqual(['aigis-report.json', 'aigis-report.sarif']);

    run = await runCli(['scan', '--demo', '--format', 'json,markdown', '-o', 'plain'], dir);
    expect(run.code).toBe(0);
    expect(readdirSync(path.join(dir, 'plain')).sort()).toEqual(['aigis-report.json', 'aigis-report.md']);
  });
});

describe('--baseline', () => {
  async function baselineOf(accountId: string, format: 'json' | 'sarif'): Promise<{ dir: string; file: string }> {
    const dir = tempDir();
    const inventory = JSON.parse(readFileSync(demoInventoryPath(), 'utf8'));
    inventory.account.id = accountId;
    writeFileSync(path.join(dir, 'other.json'), JSON.stringify(inventory));
    const run = await runCli(['scan', '--input', 'other.json', '--format', format, '-o', `base.${format}`], dir);
    expect(run.code, run.stderr).toBe(0);
    return { dir, file: `base.${format}` };
  }

  it.each(['json', 'sarif'] as const)('a %s report of another account is refused, naming both accounts', async (format) => {
    const { dir, file } = await baselineOf('999988887777', format);
    await expectUsageError(
      ['scan', '--demo', '--baseline', file, '--format', 'json', '-o', 'now.json'],
      `aigis: error: --baseline ${file}: a report of account 999988887777, but this scan is of account ${DEMO_ACCOUNT}; fingerprints of different accounts never match`,
      dir,
    );
  });

  it.each(['json', 'sarif'] as const)('a %s report of the same account is used', async (format) => {
    const { dir, file } = await baselineOf(DEMO_ACCOUNT, format);
    const run = await runCli(['scan', '--demo', '--baseline', file, '--format', 'json', '-o', 'now.json', '--fail-on', 'low'], dir);
    expect(run.code, run.stderr).toBe(0); // everything failing is already in the baseline
    expect(JSON.parse(readFileSync(path.join(dir, 'now.json'), 'utf8')).summary.newFailing).toBe(0);
  });

  it('a baseline whose JSON is broken across lines is one line with a line and column', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "reportVersion": "1.0",\n  "findings": [\n    oops\n  ]\n}\n');
    await expectUsageError(['scan', '--demo', '--baseline', 'broken.json', '-o', 'out'], /^aigis: error: broken\.json: baseline is not valid JSON: [^\n]+$/, dir);
    writeFileSync(path.join(dir, 'cut.json'), '{\n  "reportVersion": "1.0",\n  "findings": [\n');
    await expectUsageError(['scan', '--demo', '--baseline', 'cut.json', '-o', 'out'], /^aigis: error: cut\.json: baseline is not valid JSON: [^\n]*\(line 4, column 1\)$/, dir);
  });

  it('a baseline is read as every input is: UTF-16 with a BOM accepted, duplicate keys refused', async () => {
    const { dir, file } = await baselineOf(DEMO_ACCOUNT, 'json');
    const text = readFileSync(path.join(dir, file), 'utf8');
    writeFileSync(path.join(dir, 'utf16.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const run = await runCli(['scan', '--demo', '--baseline', 'utf16.json', '--format', 'json', '-o', 'now.json', '--fail-on', 'low'], dir);
    expect(run.code, run.stderr).toBe(0);
    // Another account first, then this one: JSON.parse alone would keep the last and accept it.
    writeFileSync(path.join(dir, 'dup.json'), text.replace(`"id":"${DEMO_ACCOUNT}"`, `"id":"999988887777","id":"${DEMO_ACCOUNT}"`));
    await expectUsageError(['scan', '--demo', '--baseline', 'dup.json', '-o', 'out'], /^aigis: error: dup\.json at \$\.account\.id: duplicate key "id"/, dir);
  });
});

describe('--rules and control status', () => {
  it('controls whose rules were not selected are not "not assessed by any rule"', async () => {
    const dir = tempDir();
    const all = await runCli(['scan', '--demo', '--format', 'markdown', '-o', 'all.md', '--framework', 'hipaa'], dir);
    expect(all.code).toBe(0);
    const allLine = all.stderr.split('\n').find((l) => l.startsWith('  HIPAA'))!;
    expect(allLine).toMatch(/, \d+ not assessed by any rule$/);
    const withoutRule = Number(/(\d+) not assessed by any rule$/.exec(allLine)![1]);

    const one = await runCli(['scan', '--demo', '--format', 'markdown,json', '-o', 'one', '--framework', 'hipaa', '--rules', 's3-sse-kms-cmk'], dir);
    expect(one.code).toBe(0);
    const line = one.stderr.split('\n').find((l) => l.startsWith('  HIPAA'))!;
    const match = /, (\d+) not assessed by any rule, (\d+) not assessed \(rules not selected in this run\)$/.exec(line);
    expect(match, line).not.toBeNull();
    // Exactly the controls without any rule still read "by any rule".
    expect(Number(match![1])).toBe(withoutRule);
    expect(Number(match![2])).toBeGreaterThan(0);

    const report = JSON.parse(readFileSync(path.join(dir, 'one', 'aigis-report.json'), 'utf8'));
    const controls = report.frameworks[0].controls as { status: string; rules: string[]; notSelected?: string[] }[];
    const notSelected = controls.filter((c) => c.notSelected);
    expect(notSelected).toHaveLength(Number(match![2]));
    for (const c of notSelected) {
      expect(c.status).toBe('not_assessed');
      expect(c.rules).toEqual([]);
      expect(c.notSelected!.length).toBeGreaterThan(0);
      expect(c.notSelected).not.toContain('s3-sse-kms-cmk');
    }
    expect(controls.filter((c) => c.status === 'not_assessed' && !c.notSelected)).toHaveLength(withoutRule);

    const md = readFileSync(path.join(dir, 'one', 'aigis-report.md'), 'utf8');
    expect(md).toMatch(new RegExp(`\\| ${report.frameworks[0].totals.not_assessed} \\(${match![2]}: rules not selected in this run\\) \\|`));
    expect(readFileSync(path.join(dir, 'all.md'), 'utf8')).not.toContain('rules not selected');
    expect(existsSync(path.join(dir, 'one', 'aigis-report.md'))).toBe(true);
  });
});

describe('a reader that stops early', () => {
  it('ends the process quietly, without an EPIPE stack trace (`aigis frameworks hipaa | head -1`)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.resolve(import.meta.dirname, '..', 'bin', 'aigis.js'), 'frameworks', 'hipaa'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Our end closed before the first write (a reader gone, as after `head -1`).
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
