// Bundles the entry points with esbuild: the command (dist/cli.js), the debug adapter on its own
// (dist/dap.js) and the VS Code extension (dist/extension.js, which loads neither of the others).
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

// The `kpath` command, and the debug adapter on its own (what an editor starts).
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
await build({ ...common, entryPoints: ['src/adapter/main.ts'], outfile: 'dist/dap.js' });
// The extension: `vscode` is the editor's own module, and the adapter runs in a process of its own.
await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
chmodSync('dist/cli.js', 0o755);
