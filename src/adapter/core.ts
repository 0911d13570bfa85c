// How the adapter's code, dist/dap-core.js, is loaded: by dist/dap.js (with V8's code cache) and
// by the extension (inline sessions, a listing's annotations). The build writes it inside the
// function wrapper Node.js puts around a CommonJS module, so it is compiled as it is, without a
// copy of its 400 KB of text (docs/performance.md).

import path = require('node:path');
import fs = require('node:fs');
import vm = require('node:vm');
import { createRequire } from 'node:module';

export type Core = typeof import('./main');

/**
 * dist/dap-core.js compiled, not yet run; `cachedData`, when given, is V8's code cache for it. The
 * file is ASCII (esbuild escapes the rest), read as Latin-1: no UTF-8 decoding, and less memory.
 */
export function compileCore(file: string, cachedData?: Buffer): vm.Script {
  return new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file, cachedData });
}

/**
 * Runs the compiled code as Node.js runs a CommonJS module, and returns its exports. `require_`
 * resolves from the bundles' folder (the code requires ./notes.js beside it).
 */
export function runCore(script: vm.Script, file: string, require_: NodeJS.Require): Core {
  const module_ = { exports: {} as Core };
  (script.runInThisContext() as (...a: unknown[]) => void)(module_.exports, require_, module_, file, path.dirname(file));
  return module_.exports;
}

const loaded = new Map<string, Core>();

/** The adapter's code from the bundles' folder, compiled (without a code cache) once per process, as `require` would. */
export function loadCore(dist: string): Core {
  const file = path.join(dist, 'dap-core.js');
  let core = loaded.get(file);
  if (!core) loaded.set(file, (core = runCore(compileCore(file), file, createRequire(file))));
  return core;
}
