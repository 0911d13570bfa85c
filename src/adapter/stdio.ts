// DAP on stdin/stdout: one session per process, as VS Code and other DAP clients start it.

import { OutputEvent } from '@vscode/debugadapter';
import * as l10n from '@vscode/l10n';
import { KpathDebugSession } from './session';
import { DapFraming } from './framing';
import { useLanguage, languageFromEnv } from '../l10n';

/** Serves one debug session on this process's stdin and stdout until the client goes away. */
export function serveStdio(afterFirstStop?: () => void): void {
  useLanguage(languageFromEnv());
  const session = new KpathDebugSession();
  if (afterFirstStop) session.afterFirstStop = afterFirstStop;
  process.on('SIGTERM', () => session.shutdown());
  // The last guard: an error no handler caught is logged and the session keeps serving, so that a
  // client is never left talking to a process that died.
  const survive = (e: unknown): void => {
    const text = e instanceof Error ? e.stack ?? e.message : String(e);
    process.stderr.write(`kpath dap: internal error (the session goes on): ${text}\n`);
    try {
      session.sendEvent(new OutputEvent(`kpath: ${l10n.t('internal error: {0}', e instanceof Error ? e.message : String(e))}\n`, 'stderr'));
    } catch {
      // the client is gone
    }
  };
  process.on('uncaughtException', survive);
  process.on('unhandledRejection', survive);
  // Messages pass through DapFraming, which drops what is not one and finds the next after it.
  const input = new DapFraming((why) => process.stderr.write(`kpath: ignored ${why}\n`));
  process.stdin.on('data', (chunk: Buffer) => input.write(chunk));
  process.stdin.on('end', () => input.end());
  session.start(input, process.stdout);
}
