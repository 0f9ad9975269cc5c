/**
 * `aigis merge shard-*.jsonl`: one report from the organization snapshots that sharded runs
 * (`aigis collect --org --shard K/N`) wrote, byte-identical to a scan of the whole organization on
 * one machine. Every shard must be given once; files are read one account at a time, in any order.
 * The same as `aigis scan --input` of those files, with the report options of `scan`.
 */
import type { Argv, CommandModule } from 'yargs';
import type { Io } from './io.js';
import { scanOptions, type ScanArgs } from './scan.js';

interface MergeArgs extends ScanArgs {
  snapshots?: string[];
}

export function mergeCommand(io: Io, setExit: (code: number) => void): CommandModule<object, MergeArgs> {
  return {
    command: 'merge <snapshots..>',
    describe: 'Scan the organization snapshots of sharded runs (collect --org --shard K/N) as one organization',
    builder: (yargs) => scanOptions(yargs).positional('snapshots', { type: 'string', array: true, describe: 'Organization snapshots (JSON Lines), one per shard' }) as unknown as Argv<MergeArgs>,
    handler: async (args) => {
      const { runMergeCommand } = await import('./scan-run.js');
      setExit(await runMergeCommand(args.snapshots ?? [], args, io));
    },
  };
}
