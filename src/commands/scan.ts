/**
 * `aigis scan`: build an inventory (demo, snapshot file, or the live account), evaluate the
 * rules, write reports. Exit 0 clean, 1 failing findings at/above --fail-on, 2 bad usage/input.
 *
 * This module is what every command line loads (the command's name, options and help): it
 * imports only yargs types and the live options. The scan itself (engine, importers, reports) is
 * in scan-run.ts, loaded when the command runs, so `aigis --version` or `aigis rules` never pay
 * for it (test/startup.test.ts).
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { packageRoot } from '../engine/paths.js';
import type { Io } from './io.js';
import { liveOptions, type LiveArgs } from './collect.js';

export interface ScanArgs extends LiveArgs {
  input?: string[];
  demo?: boolean;
  format?: string[];
  output?: string;
  framework?: string[];
  rules?: string[];
  failOn?: string;
  config?: string;
  baseline?: string;
  iac?: string[];
  parameters?: string[];
  accountId?: string;
  scope?: string;
  passed?: string;
  pretty?: boolean;
}

export function demoInventoryPath(): string {
  return path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json');
}

export function scanOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('input', { alias: 'i', type: 'string', array: true, describe: 'Inventory snapshot file(s) (from `aigis collect` or your own export)' })
    .option('demo', { type: 'boolean', describe: 'Scan the bundled demo inventory' })
    .option('format', { alias: 'f', type: 'string', array: true, describe: 'Report formats: json, sarif, html, markdown (comma-separated or repeated)', default: ['json', 'sarif', 'html'] })
    .option('output', { alias: 'o', type: 'string', describe: 'Output directory, or a file when one format is chosen', default: 'aigis-report' })
    .option('passed', { type: 'string', describe: 'Passing and not-applicable findings in reports: list (default: the resources per rule), count, or full (every finding)' })
    .option('pretty', { type: 'boolean', describe: 'Indent the JSON and SARIF reports (compact by default)' })
    .option('framework', { type: 'string', array: true, describe: 'Frameworks to report (default: all; see `aigis frameworks`)' })
    .option('rules', { type: 'string', array: true, describe: 'Only run these rule ids (see `aigis rules`)' })
    .option('scope', { type: 'string', describe: 'all (default): every finding, AI membership shown; ai: only AI resources and account-wide controls' })
    .option('fail-on', { type: 'string', describe: 'Exit 1 when a failing finding has this severity or higher: critical, high, medium, low, info, none' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: aigis.config.json/.yaml/.yml in the working directory)' })
    .option('baseline', { type: 'string', describe: 'Previous aigis JSON report or SARIF: only new failing findings count toward --fail-on' })
    .option('iac', { type: 'string', array: true, describe: 'CloudFormation templates, Terraform plans (terraform show -json) or directories of them; detected by content; merged with --input' })
    .option('parameters', { type: 'string', array: true, describe: 'CloudFormation parameter overrides for --iac, Key=Value (repeat the flag for several)' })
    .option('account-id', { type: 'string', describe: 'Account id used in ARNs synthesized from --iac templates (default: the --input snapshot\'s, else 123456789012)' })
    .conflicts('demo', 'iac')
    .conflicts('demo', 'input');
}

export function scanCommand(io: Io, setExit: (code: number) => void): CommandModule<object, ScanArgs> {
  return {
    command: 'scan',
    describe: 'Scan an inventory (snapshot, demo or live account) and write reports',
    builder: (yargs) => liveOptions(scanOptions(yargs)) as unknown as Argv<ScanArgs>,
    handler: async (args) => {
      const { runScanCommand } = await import('./scan-run.js');
      setExit(await runScanCommand(args, io));
    },
  };
}
