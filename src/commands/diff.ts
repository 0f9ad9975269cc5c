/**
 * `aigis diff OLD.json NEW.json`: what changed between two scans (new, regressed, fixed, still
 * failing findings, per control). Every command line loads this module for the help text; the
 * work is in diff-run.ts, loaded when it runs.
 */
import type { Argv, CommandModule } from 'yargs';
import type { Io } from './io.js';

export interface DiffArgs {
  old?: string;
  new?: string;
  output?: string;
  format?: string[];
  failOn?: string;
}

export function diffCommand(io: Io, setExit: (code: number) => void): CommandModule<object, DiffArgs> {
  return {
    command: 'diff <old> <new>',
    describe: 'Compare two aigis JSON reports: new, regressed, fixed and still-failing findings, per control',
    builder: (yargs) =>
      yargs
        .positional('old', { type: 'string', describe: 'The previous aigis JSON report' })
        .positional('new', { type: 'string', describe: 'The current aigis JSON report' })
        .option('output', { alias: 'o', type: 'string', describe: 'Write aigis-diff.json / aigis-diff.md into this directory (or this file, with one format)' })
        .option('format', { alias: 'f', type: 'string', array: true, describe: 'With --output: json, markdown (comma-separated or repeated; default both)' })
        .option('fail-on', { type: 'string', describe: 'Exit 1 when a new or regressed finding has this severity or higher: critical, high, medium, low, info, none' })
        .example('$0 diff last-week/aigis-report.json aigis-report/aigis-report.json --output diff/', 'Print the changes and write diff/aigis-diff.json and diff/aigis-diff.md')
        .epilogue('Findings are matched by fingerprint (rule and resource). Exit 0, 1 with --fail-on when a new or regressed finding reaches it, 2 on a usage or input error.') as unknown as Argv<DiffArgs>,
    handler: async (args) => {
      const { runDiffCommand } = await import('./diff-run.js');
      setExit(await runDiffCommand(args, io));
    },
  };
}
