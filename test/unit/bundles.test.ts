// What the built bundles load before their first answer (scripts/bundle.mjs): the debug adapter's
// code holds no explanations (they are dist/notes.js, read when one is first shown), Node's modules
// and VS Code's API are required as they are (not copied export by export), and @vscode/l10n comes
// without its file reader (fs/promises). The adapter's code is written inside the CommonJS function
// wrapper, and dist/package.json spares Node.js the extension's manifest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { REPO_ROOT } from '../helpers/cli';
import { fileNotes, noteText } from '../../src/model/listing/notes';
import { loadCore } from '../../src/adapter/core';

const dist = (name: string): string => fs.readFileSync(path.join(REPO_ROOT, 'dist', name), 'utf8');

test('the adapter\'s code leaves the explanations to dist/notes.js', () => {
  const core = dist('dap-core.js');
  const notes = dist('notes.js');
  const summary = noteText(fileNotes('net/ipv4/ip_output.c')!.ip_finish_output2.summary, '6.18', 'en');
  // esbuild writes strings as JSON would (ASCII; quotes escaped): look for a plain stretch of it.
  const words = summary.slice(0, 30);
  assert.ok(notes.includes(words), `dist/notes.js lacks "${words}"`);
  assert.ok(!core.includes(words), 'dist/dap-core.js holds the explanations');
  assert.match(core, /require\("\.\/notes\.js"\)/);
});

test('the bundles for Node.js and VS Code require modules as they are, and nothing of fs/promises', () => {
  for (const name of ['dap.js', 'dap-core.js', 'cli.js', 'extension.js', 'language.js', 'notes.js']) {
    const text = dist(name);
    const copied = [...text.matchAll(/[\w$]\(require\("(node:[\w/]+|vscode)"\)\)/g)].map((m) => m[1]);
    assert.deepEqual(copied, [], `${name} copies the exports of ${copied.join(', ')} (import x = require('...') instead)`);
    assert.ok(!text.includes('require("fs/promises")'), `${name} loads fs/promises`);
  }
});

test('dist/dap-core.js is a CommonJS module\'s function as it is compiled: loadCore runs it once per process', () => {
  const core = dist('dap-core.js');
  assert.ok(core.startsWith('(function (exports, require, module, __filename, __dirname) {\n'), 'dist/dap-core.js starts with the wrapper');
  // It is read as Latin-1 (src/adapter/core.ts): only ASCII.
  assert.ok(/^[\x00-\x7f]*$/.test(core), 'dist/dap-core.js holds a character that is not ASCII');
  const loaded = loadCore(path.join(REPO_ROOT, 'dist'));
  assert.equal(typeof loaded.serveStdio, 'function');
  assert.equal(typeof loaded.KpathDebugSession, 'function');
  assert.equal(loadCore(path.join(REPO_ROOT, 'dist')), loaded, 'a second load gives the same code');
  // Node.js reads this, not the extension's manifest, when it starts a bundle.
  assert.deepEqual(JSON.parse(dist('package.json')), { type: 'commonjs' });
});
