// The debug adapter's code (dist/dap-core.js), loaded through src/adapter/core.ts: by dist/dap.js
// (src/adapter/dap.ts) to serve DAP on stdin/stdout, and by the extension when the adapter runs
// inline or a listing is annotated with no session.

export { KpathDebugSession } from './session';
export { serveStdio } from './stdio';
export { useLanguage, languageOf } from '../l10n';
export { listingAnnotations, noteLanguage } from './annotations';
