// dist/dap.js, what VS Code starts (package.json's `program`): the debug adapter on stdin/stdout.
// It compiles the adapter's code (dist/dap-core.js) with V8's code cache, kept in kpath's private
// cache folder, as Node.js 22's module compile cache would: a new adapter process then reaches its
// first stop sooner (docs/performance.md). Without a usable cache it compiles as usual.

import fs = require('node:fs');
import path = require('node:path');
import { cacheDir, writeFileAtomic } from '../io/files';
import { compileCore, runCore } from './core';

if (process.argv.length > 2) {
  process.stderr.write(`dist/dap.js takes no arguments (got: ${process.argv.slice(2).join(' ')})\n`);
  process.exit(2);
}

const file = path.join(__dirname, 'dap-core.js');
const cache = cacheFileFor(file);
let cachedData: Buffer | undefined;
try {
  if (cache) cachedData = fs.readFileSync(cache);
} catch {
  // no cache yet
}
const script = compileCore(file, cachedData);
// This file is dist/dap.js: its own require resolves from the bundles' folder.
runCore(script, file, require).serveStdio(() => {
  // After the first stop the cache also holds what V8 compiled to get there.
  if (cache && (!cachedData || script.cachedDataRejected)) saveCache(cache, script.createCachedData());
});

/** The cache file for this build of the adapter and this Node.js, or null when there is no private folder. */
function cacheFileFor(core: string): string | null {
  try {
    const st = fs.statSync(core);
    return path.join(cacheDir(), 'code', `dap-core-${st.size}-${Math.floor(st.mtimeMs)}-${process.version}.bin`);
  } catch {
    return null;
  }
}

/** Writes the cache, replacing those of other builds. A cache that cannot be written is no error. */
function saveCache(target: string, data: Buffer): void {
  try {
    const dir = path.dirname(target);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const old of fs.readdirSync(dir)) if (old.startsWith('dap-core-') && old !== path.basename(target)) fs.rmSync(path.join(dir, old), { force: true });
    writeFileAtomic(target, data, 0o600);
  } catch {
    // the next process compiles as usual
  }
}
