// Bundles the command-line entry point into one file (dist/cli.js) with esbuild.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/cli.js',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  define: { KPATH_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
