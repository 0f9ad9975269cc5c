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
  skipRules?: string[];
  failOn?: string;
  config?: string;
  baseline?: string;
  compare?: string;
  iac?: string[];
  parameters?: string[];
  accountId?: string;
  scope?: string;
  passed?: string;
  pretty?: boolean;
  timestamp?: boolean;
  rulesDir?: string[];
  frameworkFile?: string[];
}

export function demoInventoryPath(): string {
  return path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json');
}

export function scanOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('input', { alias: 'i', type: 'string', array: true, describe: 'Inventory snapshot file(s) (from `aigis collect` or your own export)' })
    .option('demo', { type: 'boolean', describe: 'Scan the bundled demo inventory' })
    .option('format', { alias: 'f', type: 'string', array: true, describe: 'Report formats: json, sarif, html, markdown, ocsf, csv, junit, asff (comma-separated or repeated)', default: ['json', 'sarif', 'html'] })
    .option('output', { alias: 'o', type: 'string', describe: 'Output directory, or a file when one format is chosen', default: 'aigis-report' })
    .option('passed', { type: 'string', describe: 'Passing and not-applicable findings in reports: list (default: the resources per rule), count, or full (every finding)' })
    .option('pretty', { type: 'boolean', describe: 'Indent the JSON and SARIF reports (compact by default)' })
    .option('timestamp', { type: 'boolean', describe: 'Write the scan time into every report (off by default: reports stay byte-comparable)' })
    .option('framework', { type: 'string', array: true, describe: 'Frameworks to report (default: all; see `aigis frameworks`)' })
    .option('rules', { type: 'string', array: true, describe: 'Only run these rule ids (see `aigis rules`)' })
    .option('skip-rules', { type: 'string', array: true, describe: 'Do not run these rule ids (applied after --rules and the config)' })
    .option('scope', { type: 'string', describe: 'all (default): every finding, AI membership shown; ai: only AI resources and account-wide controls' })
    .option('fail-on', { type: 'string', describe: 'Exit 1 when a failing finding has this severity or higher: critical, high, medium, low, info, none' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: aigis.config.json/.yaml/.yml in the working directory)' })
    .option('rules-dir', { type: 'string', array: true, describe: 'Directory of custom rule modules (.js/.mjs, docs/writing-rules.md); code that aigis runs (repeat for several)' })
    .option('framework-file', { type: 'string', array: true, describe: 'Extra framework YAML file, e.g. a company control catalog mapping built-in and custom rules (repeat for several)' })
    .option('baseline', { type: 'string', describe: 'Previous aigis JSON report or SARIF: only new failing findings count toward --fail-on' })
    .option('compare', { type: 'string', describe: 'Previous aigis JSON report: the reports show what changed since (new, regressed, fixed, still failing)' })
    .option('iac', { type: 'string', array: true, describe: 'CloudFormation templates, Terraform plans (terraform show -json) or directories of them; detected by content; merged with --input' })
    .option('parameters', { type: 'string', array: true, describe: 'CloudFormation parameter overrides for --iac, Key=Value (repeat the flag for several)' })
    .option('account-id', { type: 'string', describe: 'Account id used in ARNs synthesized from --iac templates (default: the --input snapshot\'s, else 123456789012)' })
    .conflicts('demo', 'iac')
    .conflicts('demo', 'input');
}

/**
 * The offline scan options a command line can give without the option parser (see quickScanArgs):
 * flag -> [option name (kebab case), alias, kind]. test/startup.test.ts checks each against
 * scanOptions (type, array, alias) and compares runs through both ways.
 */
const QUICK_SCAN_FLAGS: Record<string, [name: string, alias: string | undefined, kind: 'string' | 'array' | 'boolean']> = {
  '--iac': ['iac', undefined, 'array'],
  '--input': ['input', 'i', 'array'],
  '-i': ['input', 'i', 'array'],
  '--format': ['format', 'f', 'array'],
  '-f': ['format', 'f', 'array'],
  '--framework': ['framework', undefined, 'array'],
  '--rules': ['rules', undefined, 'array'],
  '--skip-rules': ['skip-rules', undefined, 'array'],
  '--parameters': ['parameters', undefined, 'array'],
  '--output': ['output', 'o', 'string'],
  '-o': ['output', 'o', 'string'],
  '--fail-on': ['fail-on', undefined, 'string'],
  '--config': ['config', 'c', 'string'],
  '-c': ['config', 'c', 'string'],
  '--baseline': ['baseline', undefined, 'string'],
  '--compare': ['compare', undefined, 'string'],
  '--account-id': ['account-id', undefined, 'string'],
  '--scope': ['scope', undefined, 'string'],
  '--passed': ['passed', undefined, 'string'],
  '--rules-dir': ['rules-dir', undefined, 'array'],
  '--framework-file': ['framework-file', undefined, 'array'],
  '--demo': ['demo', undefined, 'boolean'],
  '--pretty': ['pretty', undefined, 'boolean'],
  '--timestamp': ['timestamp', undefined, 'boolean'],
};

/**
 * `aigis scan` arguments after `scan`, read without yargs (loading it costs about a tenth of a
 * one-template scan) when they are plainly one of the common offline forms: each token a flag of
 * QUICK_SCAN_FLAGS or a value, no value starting with `-`, no flag given twice (list flags
 * excepted), each list flag with at least one value, boolean flags without a value, and no
 * positional argument. The result is the object yargs gives the scan's handler for the same
 * tokens (defaults and alias keys included). Anything else, including every usage error, gives
 * undefined: the parser reads it.
 */
export function quickScanArgs(argv: readonly string[]): ScanArgs | undefined {
  const values = new Map<string, string[] | string | boolean>();
  let i = 0;
  while (i < argv.length) {
    const flag = QUICK_SCAN_FLAGS[argv[i]!];
    if (!flag) return undefined;
    const [name, , kind] = flag;
    i++;
    if (kind === 'boolean') {
      if (values.has(name) || (i < argv.length && !argv[i]!.startsWith('-'))) return undefined;
      values.set(name, true);
      continue;
    }
    const given: string[] = [];
    while (i < argv.length && !argv[i]!.startsWith('-') && (kind === 'array' || given.length === 0)) given.push(argv[i++]!);
    if (given.length === 0) return undefined;
    if (i < argv.length && !argv[i]!.startsWith('-')) return undefined;
    if (kind === 'string') {
      if (values.has(name)) return undefined;
      values.set(name, given[0]!);
    } else {
      values.set(name, [...((values.get(name) as string[] | undefined) ?? []), ...given]);
    }
  }
  if (values.has('demo') && (values.has('iac') || values.has('input'))) return undefined;
  if (!values.has('format')) values.set('format', ['json', 'sarif', 'html']);
  if (!values.has('output')) values.set('output', 'aigis-report');
  const args: Record<string, unknown> = { _: ['scan'] };
  for (const [name, value] of values) {
    const [, alias] = Object.values(QUICK_SCAN_FLAGS).find(([n]) => n === name)!;
    args[name] = value;
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (camel !== name) args[camel] = value;
    if (alias) args[alias] = value;
  }
  args.$0 = 'aigis';
  return args as ScanArgs;
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
