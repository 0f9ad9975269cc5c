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
import { UsageError } from '../engine/errors.js';
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
  org?: boolean;
  orgRoleName?: string;
  orgExternalId?: string;
  orgSessionName?: string;
  orgSessionDuration?: number;
  accounts?: string[];
  excludeAccounts?: string[];
  ous?: string[];
  shard?: string;
  accountConcurrency?: number;
  workers?: number;
}

export interface CollectArgs extends LiveArgs {
  output?: string;
  timestamp?: boolean;
}

/** Flags that only an organization scan reads: beside a single-account scan they are an error, not ignored. */
export const ORGANIZATION_FLAGS: [keyof LiveArgs, string][] = [
  ['orgRoleName', '--org-role-name'],
  ['orgExternalId', '--org-external-id'],
  ['orgSessionName', '--org-session-name'],
  ['orgSessionDuration', '--org-session-duration'],
  ['accounts', '--accounts'],
  ['excludeAccounts', '--exclude-accounts'],
  ['ous', '--ous'],
  ['shard', '--shard'],
  ['accountConcurrency', '--account-concurrency'],
  ['workers', '--workers'],
];

export function checkOrganizationFlags(args: LiveArgs): void {
  if (args.org) return;
  const given = ORGANIZATION_FLAGS.filter(([key]) => args[key] !== undefined).map(([, flag]) => flag);
  if (given.length) throw new UsageError(`${given.join(', ')}: ${given.length === 1 ? 'a flag' : 'flags'} of an organization scan, used only with --org`);
}

const GROUP = 'Live account (read-only):';
const ORG_GROUP = 'Organization (live, read-only; from the management account or a delegated administrator):';

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
    .option('stats', { type: 'boolean', group: GROUP, describe: 'Print API calls per operation and wall time per service to stderr' })
    .option('org', { type: 'boolean', group: ORG_GROUP, describe: 'Every account of the AWS Organization, through a role assumed in each' })
    .option('org-role-name', { type: 'string', group: ORG_GROUP, describe: 'Role to assume in each account (default aigis-readonly: deploy/aigis-readonly-stackset.yaml)' })
    .option('org-external-id', { type: 'string', group: ORG_GROUP, describe: "External id the accounts' role requires" })
    .option('org-session-name', { type: 'string', group: ORG_GROUP, describe: 'Role session name, seen in CloudTrail (default aigis-scan)' })
    .option('org-session-duration', { type: 'number', group: ORG_GROUP, describe: 'Seconds each assumed session lasts, 900-43200 (default 3600; refreshed when needed)' })
    .option('accounts', { type: 'string', array: true, group: ORG_GROUP, describe: 'Only these account ids' })
    .option('exclude-accounts', { type: 'string', array: true, group: ORG_GROUP, describe: 'Leave out these account ids' })
    .option('ous', { type: 'string', array: true, group: ORG_GROUP, describe: 'Only accounts under these units (ou-... or the root r-...), at any depth' })
    .option('shard', { type: 'string', group: ORG_GROUP, describe: 'K/N: this run takes slice K (0-based) of N; N alone reads K from AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX' })
    .option('account-concurrency', { type: 'number', group: ORG_GROUP, describe: 'Accounts collected at the same time (default 4)' })
    .option('workers', { type: 'number', group: ORG_GROUP, describe: 'Worker threads that collect accounts, e.g. one per CPU core (default 0: the main thread)' });
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
      if (args.org) {
        const { runCollectOrganization } = await import('./org-run.js');
        setExit(await runCollectOrganization(args, io, overrides));
        return;
      }
      const { runCollectCommand } = await import('./collect-run.js');
      setExit(await runCollectCommand(args, io, overrides));
    },
  };
}
