/**
 * The aigis command line. `main` never throws and never exits the process itself: it returns the
 * exit code (0 clean, 1 findings at/above --fail-on, 2 usage or input error), which keeps it
 * testable in-process and lets bin/aigis.js own process exit.
 */
import type { CommandModule } from 'yargs';
import { InputError, UsageError } from './engine/errors.js';
import { toolVersion } from './engine/paths.js';
import { frameworksCommand, rulesCommand, validateCommand } from './commands/catalog.js';
import { processIo, type Io } from './commands/io.js';
import { quickScanArgs, scanCommand } from './commands/scan.js';
import { policyCommand } from './commands/policy.js';
import { collectCommand } from './commands/collect.js';
import { mergeCommand } from './commands/merge.js';
import { exportCommand } from './commands/export.js';
import { diffCommand } from './commands/diff.js';
import { MESSAGE_MAX, inertErrorMessage, inertLines, inertText } from './report/inert.js';

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  argv = joinStdoutOutput(argv);
  try {
    const quick = quickCommand(argv, io);
    return quick ? await quick() : await parseAndRun(argv, io);
  } catch (error) {
    if (error instanceof InputError || error instanceof UsageError) {
      // Messages embed file names, JSON keys and values from the input: printed inert (src/report/inert.ts).
      io.stderr(`aigis: error: ${inertErrorMessage(error.message)}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`aigis: internal error: ${inertText(message, MESSAGE_MAX)}\n${io.env.AIGIS_DEBUG && error instanceof Error ? `${inertLines(String(error.stack))}\n` : 'Set AIGIS_DEBUG=1 for details, and please report it.\n'}`);
    return 2;
  }
}

/**
 * `--output -` (standard output) as `--output=-`: the option parser reads a lone `-` after a long
 * option as a stray argument, though it takes it after `-o`.
 */
function joinStdoutOutput(argv: string[]): string[] {
  const at = argv.findIndex((arg, i) => arg === '--output' && argv[i + 1] === '-');
  return at < 0 ? argv : [...argv.slice(0, at), '--output=-', ...joinStdoutOutput(argv.slice(at + 2))];
}

/**
 * The invocations that take no option but a plain `--json`: `aigis --version`, `aigis rules` and
 * `aigis frameworks [ID]`, answered without loading the option parser (yargs costs about as much
 * as starting node itself, and these are the commands that should answer at once); and `aigis
 * scan` with plain offline flags (quickScanArgs in commands/scan.ts), which then runs with the
 * arguments the parser would give it. Everything else, `--help` and any other flag included,
 * goes through the parser, which gives the same output for these (test/startup.test.ts compares
 * them).
 */
function quickCommand(argv: readonly string[], io: Io): (() => Promise<number>) | undefined {
  const [command, ...rest] = argv;
  if (command === '--version' && rest.length === 0) {
    return async () => {
      io.stdout(`${toolVersion()}\n`);
      return 0;
    };
  }
  if (command === 'scan') {
    const args = quickScanArgs(rest);
    if (!args) return undefined;
    return async () => (await import('./commands/scan-run.js')).runScanCommand(args, io);
  }
  const json = rest.at(-1) === '--json';
  const args = json ? rest.slice(0, -1) : rest;
  if (command === 'rules' && args.length === 0) {
    return async () => (await import('./commands/catalog-run.js')).runRulesCommand({ json }, io);
  }
  if (command === 'frameworks' && args.length <= 1 && args.every((id) => /^[a-z0-9][a-z0-9-]*$/.test(id))) {
    return async () => (await import('./commands/catalog-run.js')).runFrameworksCommand({ json, ...(args[0] ? { id: args[0] } : {}) }, io);
  }
  return undefined;
}

/** The command line through the option parser: every command, option, help text and usage error. */
export async function parseAndRun(argv: string[], io: Io): Promise<number> {
  const { default: yargs } = await import('yargs');
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const commands = [
    scanCommand(io, setExit),
    collectCommand(io, setExit),
    mergeCommand(io, setExit),
    rulesCommand(io, setExit),
    frameworksCommand(io, setExit),
    validateCommand(io, setExit),
    policyCommand(io, setExit),
    exportCommand(io, setExit),
    diffCommand(io, setExit),
  ] as CommandModule<object, never>[];
  // Named from the registered commands, so the hint never misses one.
  const names = commands.map((c) => String(c.command).split(' ')[0]);
  const parser = yargs(argv)
    .scriptName('aigis')
    .usage('$0 <command> [options]\n\nCompliance posture scanner and static policy auditor for AI workloads on AWS.')
    .command(commands)
    .demandCommand(1, `give a command (${names.join(', ')})`)
    .strict()
    .recommendCommands()
    .version(toolVersion())
    .help()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports both its own validation messages and errors thrown by handlers here.
      // Throwing stops it before any handler runs, so a bad flag never writes a report.
      if (error) throw error;
      throw new UsageError(`${message}\nRun \`aigis --help\` for usage.`);
    });

  skipHelpCache(parser);

  let printed = '';
  await parser.parseAsync(argv, {}, (_err, _argv, output) => {
    printed = output;
  });
  if (printed) io.stdout(`${printed}\n`);
  return exitCode;
}

/**
 * yargs renders a command's whole help text each time the command runs, in case the handler
 * prints it later (`cacheHelpMessage`, through cliui and string-width); aigis never does, and for
 * `scan` that rendering was about a tenth of a one-template scan. Help asked for with --help, or
 * after a usage error, is rendered as before. Reached through yargs' internal methods: if a
 * yargs release changes them, this does nothing and help is cached again.
 */
function skipHelpCache(parser: object): void {
  type Usage = { cacheHelpMessage?: () => void };
  const internal = parser as { getInternalMethods?: () => { getUsageInstance?: () => Usage | undefined } };
  const usage = typeof internal.getInternalMethods === 'function' ? internal.getInternalMethods().getUsageInstance?.() : undefined;
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}
