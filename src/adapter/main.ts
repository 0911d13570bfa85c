// Standalone entry of the debug adapter (dist/dap.js): DAP on stdin/stdout. `kpath dap` does the same.

import { KpathDebugSession } from './session';

const session = new KpathDebugSession();
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
