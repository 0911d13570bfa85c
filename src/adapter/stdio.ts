// DAP on stdin/stdout: one session per process, as VS Code and other DAP clients start it.

import { KpathDebugSession } from './session';
import { useLanguage, languageFromEnv } from '../l10n';

/** Serves one debug session on this process's stdin and stdout until the client goes away. */
export function serveStdio(afterFirstStop?: () => void): void {
  useLanguage(languageFromEnv());
  const session = new KpathDebugSession();
  if (afterFirstStop) session.afterFirstStop = afterFirstStop;
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}
