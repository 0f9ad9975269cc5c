/**
 * `aigis policy check FILE...`: audit standalone IAM policy documents (files, or directories of
 * .json files) with the policy engine's validation and analysis findings, and write the same
 * reports as `scan` (json, sarif, html, markdown) with the same exit codes: 0 clean, 1 failing
 * findings at/above --fail-on, 2 usage or input error.
 *
 * This module is the command's name, options and help, loaded by every command line; the audit
 * (policy engine, IAM action catalog, reports) is in policy-run.ts, loaded when the command runs.
 */
import type { Argv, CommandModule } from 'yargs';
import type { Io } from './io.js';

export interface PolicyCheckArgs {
  files?: string[];
  type?: string;
  accountId?: string;
  format?: string[];
  output?: string;
  failOn?: string;
  config?: string;
  passed?: string;
  pretty?: boolean;
  timestamp?: boolean;
}

export function policyCommand(io: Io, setExit: (code: number) => void): CommandModule<object, PolicyCheckArgs> {
  const check: CommandModule<object, PolicyCheckArgs> = {
    command: 'check <files..>',
    describe: 'Audit IAM policy documents (JSON files or directories): validation, public/cross-account access, privilege escalation',
    builder: (yargs) =>
      yargs
        .positional('files', { type: 'string', array: true, describe: 'Policy JSON files or directories of them' })
        .option('type', { alias: 't', type: 'string', describe: 'Policy type: identity, resource, trust, scp (default: detected per file)' })
        .option('account-id', { type: 'string', describe: 'The account that owns the policies: other accounts are reported as external' })
        .option('format', { alias: 'f', type: 'string', array: true, describe: 'Report formats: json, sarif, html, markdown, ocsf, csv, junit, asff (comma-separated or repeated)', default: ['json', 'sarif', 'html'] })
        .option('output', { alias: 'o', type: 'string', describe: 'Output directory, or a file when one format is chosen', default: 'aigis-policy-report' })
        .option('passed', { type: 'string', describe: 'Passing and not-applicable findings in reports: list (default), count, or full' })
        .option('pretty', { type: 'boolean', describe: 'Indent the JSON and SARIF reports (compact by default)' })
        .option('timestamp', { type: 'boolean', describe: 'Write the check time into every report (off by default: reports stay byte-comparable)' })
        .option('fail-on', { type: 'string', describe: 'Exit 1 when a finding has this severity or higher: critical, high, medium, low, info, none' })
        .option('config', { alias: 'c', type: 'string', describe: 'Config file (for failOn)' }) as unknown as Argv<PolicyCheckArgs>,
    handler: async (args) => {
      const { runPolicyCheck } = await import('./policy-run.js');
      setExit(await runPolicyCheck(args, io));
    },
  };
  return {
    command: 'policy <command>',
    describe: 'Static IAM policy auditor (see `aigis policy check --help`)',
    builder: (yargs) => yargs.command(check).demandCommand(1, 'give a policy subcommand (check)') as unknown as Argv<PolicyCheckArgs>,
    handler: () => undefined,
  };
}
