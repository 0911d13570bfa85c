// Bundles the command-line entry point into one file (dist/cli.js) with esbuild.
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
chmodSync('dist/cli.js', 0o755);
