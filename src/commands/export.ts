/**
 * `aigis export securityhub --input report.json`: sends a report's findings to AWS Security Hub
 * (BatchImportFindings), the only aigis command that writes to AWS. Opt-in, with its own IAM
 * policy (policies/aigis-securityhub-export.json). Every command line loads this module for the
 * help text: the work, and the Security Hub SDK client, are in export-run.ts, loaded when it runs.
 */
import type { Argv, CommandModule } from 'yargs';
import type { Io } from './io.js';

export const EXPORT_TARGETS = ['securityhub'] as const;

export interface ExportArgs {
  target?: string;
  input?: string;
  region?: string;
  profile?: string;
  dryRun?: boolean;
  maxAttempts?: number;
}

export function exportCommand(io: Io, setExit: (code: number) => void): CommandModule<object, ExportArgs> {
  return {
    command: 'export <target>',
    describe: 'Send the findings of an aigis JSON report to AWS Security Hub (BatchImportFindings; writes to AWS)',
    builder: (yargs) =>
      yargs
        .positional('target', { type: 'string', choices: EXPORT_TARGETS, describe: 'Where to send the findings' })
        .option('input', { alias: 'i', type: 'string', demandOption: true, describe: 'An aigis JSON report (aigis scan --format json)' })
        .option('region', { type: 'string', describe: 'Home Region: where findings on global resources (IAM, the account) go (default: the partition\'s, us-east-1)' })
        .option('profile', { type: 'string', describe: 'AWS profile for the credentials' })
        .option('dry-run', { type: 'boolean', describe: 'Convert and batch the findings, send nothing (loads no AWS SDK)' })
        .option('max-attempts', { type: 'number', describe: 'Attempts per request, throttling retried with back-off (default 8)' })
        .example('$0 export securityhub --input aigis-report/aigis-report.json', 'Import the failing and unknown findings into Security Hub')
        .epilogue(
          'Needs securityhub:BatchImportFindings on the default product of the account (policies/aigis-securityhub-export.json). ' +
            'Findings go to the Region of their resource. Exit 0 when every finding was imported, 1 when any failed, 2 on a usage or input error.',
        ) as unknown as Argv<ExportArgs>,
    handler: async (args) => {
      const { runExportCommand } = await import('./export-run.js');
      setExit(await runExportCommand(args, io));
    },
  };
}
