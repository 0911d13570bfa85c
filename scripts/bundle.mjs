// Bundles the entry points with esbuild: the command (dist/cli.js), the debug adapter on its own
// (dist/dap.js loading dist/dap-core.js) and the VS Code extension (dist/extension.js, which loads
// the adapter's code only when it runs the adapter inline).
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  define: { KPATH_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
};

// The `kpath` command, and the debug adapter on its own (what an editor starts), minified: a person
// waits for them to load.
await build({ ...common, minify: true, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
await build({ ...common, minify: true, entryPoints: ['src/adapter/main.ts'], outfile: 'dist/dap-core.js' });
// What an editor starts: a loader that compiles dist/dap-core.js with V8's code cache.
await build({ ...common, minify: true, entryPoints: ['src/adapter/dap.ts'], outfile: 'dist/dap.js' });
// The extension: `vscode` is the editor's own module, and the adapter runs in a process of its own.
await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
// The tutorial panel's page: runs in the webview, with no access to VS Code or Node.js.
await build({ ...common, platform: 'browser', format: 'iife', target: 'es2020', minify: true, entryPoints: ['src/extension/webview/tutorial.ts'], outfile: 'dist/tutorial.js' });
chmodSync('dist/cli.js', 0o755);
