// DAP on stdin/stdout: one session per process, as VS Code and other DAP clients start it.

import { KpathDebugSession } from './session';
import { DapFraming } from './framing';
import { useLanguage, languageFromEnv } from '../l10n';

/** Serves one debug session on this process's stdin and stdout until the client goes away. */
export function serveStdio(afterFirstStop?: () => void): void {
  useLanguage(languageFromEnv());
  const session = new KpathDebugSession();
  if (afterFirstStop) session.afterFirstStop = afterFirstStop;
  process.on('SIGTERM', () => session.shutdown());
  // Messages pass through DapFraming, which drops what is not one and finds the next after it.
  const input = process.stdin.pipe(new DapFraming((why) => process.stderr.write(`kpath: ignored ${why}\n`)));
  session.start(input, process.stdout);
}
