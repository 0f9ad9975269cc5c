/**
 * Command-line edges (issue 11, items 8 and 9): every mistake is one clear line and exit 2, and
 * nothing is written.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('aigis without a command', () => {
  it('names every command, policy included', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    const first = run.stderr.split('\n')[0]!;
    expect(first).toBe('aigis: error: give a command (scan, collect, rules, frameworks, validate, policy)');
  });
});
