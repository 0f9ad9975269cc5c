/**
 * `aigis rules`, `aigis frameworks`, `aigis validate`: look at what aigis knows and check inputs.
 * This module is the commands' names, options and help, loaded by every command line; what they
 * do is in catalog-run.ts, loaded when one of them runs.
 */
import type { CommandModule } from 'yargs';
import type { Io } from './io.js';

export interface ListArgs {
  json?: boolean;
  /** Custom rule directories and framework files to list with the built-in ones (extensions.ts). */
  rulesDir?: string[];
  frameworkFile?: string[];
  config?: string;
}

/** --rules-dir, --framework-file and --config of `aigis rules` and `aigis frameworks`. */
function extensionOptions<T>(y: import('yargs').Argv<T>) {
  return y
    .option('rules-dir', { type: 'string', array: true, describe: 'Also list the custom rules of this directory (repeatable; docs/writing-rules.md)' })
    .option('framework-file', { type: 'string', array: true, describe: 'Also list this framework file, e.g. a company control catalog (repeatable)' })
    .option('config', { alias: 'c', type: 'string', describe: 'Also list the rulesDirs and frameworkFiles of this config file' });
}

export function rulesCommand(io: Io, setExit: (code: number) => void): CommandModule<object, ListArgs> {
  return {
    command: 'rules',
    describe: 'List rules with severity, title and the controls they evidence',
    builder: (y) => extensionOptions(y.option('json', { type: 'boolean', describe: 'Print JSON' })) as never,
    handler: async (args) => {
      const { runRulesCommand } = await import('./catalog-run.js');
      setExit(await runRulesCommand(args, io));
    },
  };
}

export function frameworksCommand(io: Io, setExit: (code: number) => void): CommandModule<object, ListArgs & { id?: string }> {
  return {
    command: 'frameworks [id]',
    describe: 'List frameworks, or the controls of one framework with the rules that evidence them',
    builder: (y) =>
      extensionOptions(y.positional('id', { type: 'string', describe: 'Framework id' }).option('json', { type: 'boolean', describe: 'Print JSON' })) as never,
    handler: async (args) => {
      const { runFrameworksCommand } = await import('./catalog-run.js');
      setExit(await runFrameworksCommand(args, io));
    },
  };
}

export function validateCommand(io: Io, setExit: (code: number) => void): CommandModule<object, { file: string }> {
  return {
    command: 'validate <file>',
    describe: 'Check that an inventory snapshot is well-formed (schema, policies); exit 2 if not',
    builder: (y) => y.positional('file', { type: 'string', demandOption: true, describe: 'Inventory JSON file' }) as never,
    handler: async (args) => {
      const { runValidateCommand } = await import('./catalog-run.js');
      setExit(await runValidateCommand(args, io));
    },
  };
}
