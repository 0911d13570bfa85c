// The `kpath` command.

import * as l10n from '@vscode/l10n';
import { mainHelp, runHelp, dapHelp, captureHelp, compareHelp, functionsHelp, parseRunArgs, UsageError } from './args';
import { captureCommand, printableLines, reportError } from './capture';
import { compareCommand } from './compare';
import { runCommand } from './run';
import { kernelSourceFor, profileOf } from './kernel-source';
import { tutorialCommand, tutorialHelp } from './tutorial';
import { MODELED_FUNCTIONS } from '../model/kernel/functions';
import { useLanguage, languageFromEnv } from '../l10n';
import { serveStdio } from '../adapter/stdio';
import { exitOnSignals } from '../io/files';

declare const KPATH_VERSION: string | undefined;

function main(argv: string[]): number | undefined {
  const write = (s: string) => process.stdout.write(s);
  const [cmd, ...rest] = argv;
  try {
    if (!cmd) {
      process.stderr.write(mainHelp() + '\n');
      return 2;
    }
    if (cmd === '-h' || cmd === '--help' || cmd === 'help') {
      write(mainHelp() + '\n');
      return 0;
    }
    if (cmd === '--version' || cmd === '-V') {
      write(`kpath ${typeof KPATH_VERSION === 'string' ? KPATH_VERSION : 'dev'}\n`);
      return 0;
    }
    if (cmd === 'run') {
      if (rest.includes('-h') || rest.includes('--help')) {
        write(runHelp() + '\n');
        return 0;
      }
      const a = parseRunArgs(rest);
      exitOnSignals();
      // The tree's mapping loads first (a worker parses it the first time), then the run.
      const sourceOf = a.kernelSource && profileOf(a.file) ? kernelSourceFor(a.kernelSource, a.kernel ?? profileOf(a.file)!) : Promise.resolve(undefined);
      void sourceOf
        .then((of) => runCommand(a, write, of))
        .then((c) => (process.exitCode = c))
        .catch((e: unknown) => (process.exitCode = reportError(e)));
      return undefined;
    }
    if (cmd === 'dap') {
      if (rest.includes('-h') || rest.includes('--help')) {
        write(dapHelp() + '\n');
        return 0;
      }
      if (rest.length) throw new UsageError(l10n.t('{0} takes no arguments, not "{1}" (see {2})', 'kpath dap', rest[0], 'kpath dap --help'));
      // The session speaks DAP on stdin/stdout and exits when its client goes away.
      serveStdio();
      return undefined;
    }
    if (cmd === 'capture' || cmd === 'compare') {
      if (rest.includes('-h') || rest.includes('--help')) {
        write((cmd === 'capture' ? captureHelp() : compareHelp()) + '\n');
        return 0;
      }
      // These run real processes and wait on them: the exit status comes when they are done.
      void (cmd === 'capture' ? captureCommand(rest, write) : compareCommand(rest, write)).then((c) => (process.exitCode = c));
      return undefined;
    }
    if (cmd === 'tutorial') {
      if (rest.includes('-h') || rest.includes('--help')) {
        write(tutorialHelp() + '\n');
        return 0;
      }
      // A lesson's problems quote its text: shown, never obeyed by the terminal.
      return tutorialCommand(rest, write, (s) => process.stderr.write(printableLines(s)));
    }
    if (cmd === 'functions') {
      if (rest.length === 1 && (rest[0] === '-h' || rest[0] === '--help')) {
        write(functionsHelp() + '\n');
        return 0;
      }
      if (rest.length) throw new UsageError(l10n.t('{0} takes no arguments, not "{1}" (see {2})', 'kpath functions', rest[0], 'kpath --help'));
      for (const f of MODELED_FUNCTIONS) write(`${f.name.padEnd(28)} ${f.source.padEnd(26)} ${f.profiles.join(', ')}\n`);
      return 0;
    }
    throw new UsageError(l10n.t('unknown command "{0}" (see {1})', cmd, 'kpath --help'));
  } catch (e) {
    return reportError(e);
  }
}

// A reader that stops early (kpath run ... | head) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

useLanguage(languageFromEnv());
const code = main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
