/**
 * Start-up: offline commands never load an AWS SDK client (loading all of them took seconds before
 * any work began); only a live collection does. Watched with a module resolution hook in a real
 * process, so an eager import anywhere on the command's path makes this fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const hook = path.join(root, 'test/helpers/sdk-watch-register.mjs');

function sdkClientsLoaded(args: string[], script?: string): string[] {
  const { loaded, status } = watch(args, script);
  // The command ran to its end (0 clean, 1 findings at --fail-on): an early usage error loads little.
  expect(status, 'exit code').toBeLessThan(2);
  return loaded;
}

function watch(args: string[], script?: string): { loaded: string[]; status: number | null } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'aigis-startup-'));
  const argv = script ? ['--import', hook, '--input-type=module', '-e', script] : ['--import', hook, path.join(root, 'bin/aigis.js'), ...args];
  const run = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
  return { loaded: [...run.stderr.matchAll(/^sdk-watch: (\S+)$/gm)].map((m) => m[1]!), status: run.status };
}

describe('start-up', () => {
  it.each([
    [['--version']],
    [['rules']],
    [['scan', '--demo', '-f', 'json', '-o', 'out.json']],
    [['scan', '--iac', path.join(root, 'fixtures/iac/cloudformation'), '-f', 'sarif', '-o', 'out.sarif']],
    [['policy', 'check', path.join(root, 'fixtures/policies/risky')]],
  ])('aigis %j loads no AWS SDK client', (args) => {
    expect(sdkClientsLoaded(args)).toEqual([]);
  });

  it('the watch sees the clients a live collection loads (the check above can fail)', () => {
    const loaded = sdkClientsLoaded([], `await import(${JSON.stringify(path.join(root, 'dist/src/collectors/index.js'))});`);
    expect(loaded).toContain('@aws-sdk/client-s3');
  });
});
