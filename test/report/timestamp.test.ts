/**
 * `--timestamp` (issue 14): an opt-in scan time in every report, so auditors get an "as of" date,
 * while reports without it stay byte-comparable.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FORMATS = 'json,sarif,html,markdown';

function reports(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir).sort()) out[path.extname(file).slice(1)] = readFileSync(path.join(dir, file), 'utf8');
  return out;
}

describe('--timestamp', () => {
  it('writes the scan start time into every report format, and only when asked', async () => {
    const before = new Date().toISOString();
    const stamped = await runCli(['scan', '--demo', '--format', FORMATS, '--output', 'out', '--timestamp']);
    const after = new Date().toISOString();
    expect(stamped.code, stamped.stderr).not.toBe(2);
    const got = reports(path.join(stamped.cwd, 'out'));
    expect(Object.keys(got)).toEqual(['html', 'json', 'md', 'sarif']);

    const json = JSON.parse(got.json!) as { scannedAt?: string };
    expect(json.scannedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const at = json.scannedAt!;
    expect(at >= before && at <= after).toBe(true);
    const sarif = JSON.parse(got.sarif!) as { runs: { invocations: { startTimeUtc?: string }[] }[] };
    expect(sarif.runs[0]!.invocations[0]!.startTimeUtc).toBe(at);
    expect(got.html).toContain(`<dt>Scanned at</dt><dd><time datetime="${at}">${at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>`);
    expect(got.md).toContain(`as of ${at}`);

    // Without the flag: no time anywhere, and two runs give the same bytes.
    const first = await runCli(['scan', '--demo', '--format', FORMATS, '--output', 'out']);
    const second = await runCli(['scan', '--demo', '--format', FORMATS, '--output', 'out']);
    const a = reports(path.join(first.cwd, 'out'));
    const b = reports(path.join(second.cwd, 'out'));
    expect(a).toEqual(b);
    expect(a.json).not.toContain('scannedAt');
    expect(a.sarif).not.toContain('startTimeUtc');
    expect(a.html).not.toContain('Scanned at');
    expect(a.md).not.toContain('as of');
    // The stamp is the only difference.
    const unstamped = JSON.parse(a.json!) as Record<string, unknown>;
    delete (json as Record<string, unknown>).scannedAt;
    expect(json).toEqual(unstamped);
  });

  it('is taken by the quick argument reader as by the option parser', async () => {
    // `scan --input F --timestamp` is a form the quick reader (src/commands/scan.ts) handles.
    const run = await runCli(['scan', '--input', path.resolve('fixtures/demo/inventory.json'), '--format', 'json', '--output', 'r.json', '--timestamp']);
    expect(run.code, run.stderr).not.toBe(2);
    expect((JSON.parse(readFileSync(path.join(run.cwd, 'r.json'), 'utf8')) as { scannedAt?: string }).scannedAt).toBeDefined();
  });

  it('stamps policy check reports too', async () => {
    const run = await runCli(['policy', 'check', path.resolve('fixtures/policies/clean'), '--format', 'json', '--output', 'p.json', '--timestamp']);
    expect(run.code, run.stderr).not.toBe(2);
    expect((JSON.parse(readFileSync(path.join(run.cwd, 'p.json'), 'utf8')) as { scannedAt?: string }).scannedAt).toBeDefined();
  });
});
