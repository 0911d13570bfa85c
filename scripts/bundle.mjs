// Bundles the entry points with esbuild: the command (dist/cli.js), the debug adapter on its own
// (dist/dap.js loading dist/dap-core.js), the VS Code extension (dist/extension.js, which loads
// the adapter's code only when it runs the adapter inline) and its webviews' pages (dist/webview-*.js,
// run in the webviews' browser frames; ELK in a script of its own).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

// The listings' explanations (src/model/listing/notes) are a bundle of their own, dist/notes.js,
// required from beside the bundle that asks for them the first time one is shown.
const notesApart = {
  name: 'notes-apart',
  setup(b) {
    b.onResolve({ filter: /\/listing\/notes$/ }, () => ({ path: './notes.js', external: true }));
  },
};

// What a process loads before its first answer is kept small: Node's modules and VS Code's API are
// imported as `import fs = require('node:fs')` (a namespace import makes the bundle copy every
// export, once per importing file; the extension takes `l10n` from 'vscode' by name, the form
// `npm run l10n` reads), and @vscode/l10n is its build without a file reader (kpath hands it the
// catalogue's contents).
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  define: { KPATH_VERSION: JSON.stringify(version) },
  alias: { '@vscode/l10n': '@vscode/l10n/dist/browser.js' },
  plugins: [notesApart],
  logLevel: 'warning',
};

// The `kpath` command, and the debug adapter on its own (what an editor starts), minified: a person
// waits for them to load.
await build({ ...common, minify: true, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
// The adapter's code, inside the function wrapper Node.js puts around a CommonJS module: the loader
// (src/adapter/core.ts) compiles the file as it is, read as Latin-1 (so: ASCII only).
await build({ ...common, minify: true, charset: 'ascii', entryPoints: ['src/adapter/main.ts'], outfile: 'dist/dap-core.js', banner: { js: '(function (exports, require, module, __filename, __dirname) {' }, footer: { js: '})' } });
await build({ ...common, minify: true, plugins: [], entryPoints: ['src/model/listing/notes/index.ts'], outfile: 'dist/notes.js' });
// What an editor starts: a loader that compiles dist/dap-core.js with V8's code cache.
await build({ ...common, minify: true, entryPoints: ['src/adapter/dap.ts'], outfile: 'dist/dap.js' });
// The worker that parses a Linux tree (src/source), with tree-sitter's runtime and C grammar beside it.
await build({ ...common, minify: true, entryPoints: ['src/source/worker.ts'], outfile: 'dist/source-worker.js' });
copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
copyFileSync('node_modules/tree-sitter-c/tree-sitter-c.wasm', 'dist/tree-sitter-c.wasm');
// The extension: `vscode` is the editor's own module, and the adapter runs in a process of its own.
await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
// The .kpath editor's help (src/language: the parser and the words' documentation), loaded by the
// extension on the first .kpath document.
await build({ ...common, minify: true, entryPoints: ['src/language/index.ts'], outfile: 'dist/language.js' });
// The webviews' pages: for a browser, with nothing of Node.js or VS Code.
const page = { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', minify: true, logLevel: 'warning' };
await build({ ...page, entryPoints: ['src/extension/webview/browser/skb.ts'], outfile: 'dist/webview-skb.js' });
await build({ ...page, entryPoints: ['src/extension/webview/browser/path.ts'], outfile: 'dist/webview-path.js' });
await build({ ...page, entryPoints: ['src/extension/webview/browser/elk.ts'], outfile: 'dist/webview-elk.js' });
await build({ ...page, entryPoints: ['src/extension/webview/browser/wire.ts'], outfile: 'dist/wire-view.js' });
await build({ ...page, entryPoints: ['src/extension/webview/browser/bytes.ts'], outfile: 'dist/frame-bytes.js' });
await build({ ...page, entryPoints: ['src/extension/webview/browser/tutorial.ts'], outfile: 'dist/tutorial.js' });
chmodSync('dist/cli.js', 0o755);
// Node.js reads the nearest package.json of every script it starts (for its "type"): this one, and
// not the extension's manifest of 70 KB, for the adapter, the command and the extension.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
