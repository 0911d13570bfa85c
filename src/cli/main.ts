// The `kpath` command.

import { MAIN_HELP, RUN_HELP, parseRunArgs, UsageError } from './args';
import { runCommand } from './run';
import { ScenarioError } from '../model/scenario/parse';
import { MODELED_FUNCTIONS } from '../model/kernel/functions';

declare const KPATH_VERSION: string | undefined;

function main(argv: string[]): number {
  const write = (s: string) => process.stdout.write(s);
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      write(MAIN_HELP + '\n');
      return cmd ? 0 : 2;
    }
    if (cmd === '--version' || cmd === '-V') {
      write(`kpath ${typeof KPATH_VERSION === 'string' ? KPATH_VERSION : 'dev'}\n`);
      return 0;
    }
    if (cmd === 'run') {
      if (rest.includes('-h') || rest.includes('--help')) {
        write(RUN_HELP + '\n');
        return 0;
      }
      return runCommand(parseRunArgs(rest), write);
    }
    if (cmd === 'functions') {
      for (const f of MODELED_FUNCTIONS) write(`${f.name.padEnd(28)} ${f.source.padEnd(26)} ${f.profiles.join(', ')}\n`);
      return 0;
    }
    throw new UsageError(`unknown command "${cmd}" (see kpath --help)`);
  } catch (e) {
    if (e instanceof ScenarioError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`kpath: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`kpath: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

// A reader that stops early (kpath run ... | head) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = main(process.argv.slice(2));
