// The debug adapter's code (dist/dap-core.js): loaded by dist/dap.js (src/adapter/dap.ts) to
// serve DAP on stdin/stdout, and by the extension when the adapter runs inline.

export { KpathDebugSession } from './session';
export { serveStdio } from './stdio';
export { useLanguage, languageOf } from '../l10n';
export { listingAnnotations, noteLanguage } from './annotations';
