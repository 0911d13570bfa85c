// Standalone entry of the debug adapter (dist/dap.js): DAP on stdin/stdout. `kpath dap` does the same.

import { KpathDebugSession } from './session';
import { serveStdio } from './stdio';

serveStdio(new KpathDebugSession());
