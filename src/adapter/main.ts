// Standalone entry of the debug adapter (dist/dap.js): DAP on stdin/stdout. `kpath dap` does the same.
// With --warm (an editor starting the adapter before it is needed), it warms up at once (warmup.ts).

import { standaloneSession } from './session';
import { serveStdio } from './stdio';

const args = process.argv.slice(2);
if (args.some((a) => a !== '--warm')) {
  process.stderr.write(`dist/dap.js takes no arguments but --warm (got: ${args.join(' ')})\n`);
  process.exit(2);
}
serveStdio(standaloneSession(args.includes('--warm')));
