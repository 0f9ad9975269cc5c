import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/commands/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, from `cwd` (a fresh temp dir by default). */
export async function runCli(argv: string[], cwd = tempDir()): Promise<CliRun & { cwd: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd,
    env: {},
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, cwd };
}

export function tempDir(prefix = 'aigis-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
