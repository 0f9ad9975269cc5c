/**
 * `aigis collect`: read the live account (read-only) and write the inventory snapshot that
 * `aigis scan --input` reads. Also provides the live-account options shared with `aigis scan`.
 *
 * Every command line loads this module (its options are part of `scan`'s help): it imports only
 * yargs types and the service names. The collection itself is in collect-run.ts, loaded when a
 * live collection runs, and the AWS SDK clients later still, per service.
 */
import type { Argv, CommandModule } from 'yargs';
import type { CollectOptions } from '../collectors/options.js';
import { COLLECTOR_NAMES } from '../collectors/options.js';
import type { Io } from './io.js';

export interface LiveArgs {
  profile?: string;
  region?: string;
  regions?: string[];
  roleArn?: string;
  externalId?: string;
  endpointUrl?: string;
  services?: string[];
  concurrency?: (string | number)[];
  since?: string;
  maxAttempts?: number;
  requestTimeout?: number;
  stats?: boolean;
}

export interface CollectArgs extends LiveArgs {
  output?: string;
  timestamp?: boolean;
}

const GROUP = 'Live account (read-only):';

/** Options for scanning the live account; shared by `collect` and `scan`. */
export function liveOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('profile', { type: 'string', group: GROUP, describe: 'AWS named profile (default: the standard credential chain)' })
    .option('region', { type: 'string', group: GROUP, describe: 'Default region (global services, region discovery)' })
    .option('regions', { type: 'string', array: true, group: GROUP, describe: "Regions to scan: a list, or 'all' for every enabled region (default: --region)" })
    .option('role-arn', { type: 'string', group: GROUP, describe: 'Role to assume for the scan (e.g. the aigis read-only role in a member account)' })
    .option('external-id', { type: 'string', group: GROUP, describe: 'External id for --role-arn' })
    .option('endpoint-url', { type: 'string', group: GROUP, describe: 'Send all AWS calls to this endpoint (local emulator); AWS_ENDPOINT_URL is honoured too' })
    .option('services', { type: 'string', array: true, group: GROUP, describe: `Collect only these: ${COLLECTOR_NAMES.join(', ')}` })
    .option('concurrency', { type: 'string', array: true, group: GROUP, describe: 'Maximum in-flight API calls per service: N for all (default 8), or service=N (e.g. s3=16,iam=2)' })
    .option('since', { type: 'string', group: GROUP, describe: 'SageMaker training/processing jobs created in the last N days (default 90d)' })
    .option('max-attempts', { type: 'number', group: GROUP, describe: 'Attempts per API call with adaptive retry (default 5)' })
    .option('request-timeout', { type: 'number', group: GROUP, describe: 'Per-request socket timeout in ms (default 30000)' })
    .option('stats', { type: 'boolean', group: GROUP, describe: 'Print API calls per operation and wall time per service to stderr' });
}

export function collectCommand(io: Io, setExit: (code: number) => void, overrides: Partial<CollectOptions> = {}): CommandModule<object, CollectArgs> {
  return {
    command: 'collect',
    describe: 'Read the live AWS account (read-only) and write an inventory snapshot',
    builder: (yargs) =>
      liveOptions(yargs)
        .option('output', { alias: 'o', type: 'string', describe: 'Snapshot file to write (default: stdout)' })
        .option('timestamp', { type: 'boolean', describe: 'Record collectedAt in the snapshot (off by default: snapshots stay byte-comparable)' }) as unknown as Argv<CollectArgs>,
    handler: async (args) => {
      const { runCollectCommand } = await import('./collect-run.js');
      setExit(await runCollectCommand(args, io, overrides));
    },
  };
}
