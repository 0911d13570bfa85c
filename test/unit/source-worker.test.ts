// The worker thread that parses a Linux tree (dist/source-worker.js) reports its failures in the
// language of the thread that started it: here, a package without the C grammar's files.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { REPO_ROOT, makeTempDir, removeTempDir } from '../helpers/cli';

// A copy of the worker and the catalogues, with no grammar beside it, above it or in the folder it runs in.
const root = makeTempDir('kpath-worker-');
after(() => removeTempDir(root));
fs.mkdirSync(path.join(root, 'dist'));
fs.copyFileSync(path.join(REPO_ROOT, 'dist', 'source-worker.js'), path.join(root, 'dist', 'source-worker.js'));
fs.cpSync(path.join(REPO_ROOT, 'l10n'), path.join(root, 'l10n'), { recursive: true });

/** What the worker posts back when started with `language`. */
function workerAnswer(language: string): { data?: unknown; error?: string } {
  const script = `
    const { Worker } = require('node:worker_threads');
    const w = new Worker(${JSON.stringify(path.join(root, 'dist', 'source-worker.js'))}, { workerData: { files: [], version: '6.1', language: ${JSON.stringify(language)} } });
    w.once('message', (m) => { process.stdout.write(JSON.stringify(m)); w.terminate(); });
    w.once('error', (e) => { process.stdout.write(JSON.stringify({ thrown: e.message })); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 })) as { error?: string };
}

test('a missing grammar file is named, with where the worker looked, in English', () => {
  const m = workerAnswer('en');
  assert.equal(m.data, undefined);
  assert.match(m.error ?? '', /^tree-sitter\.wasm not found \(looked in .*kpath-worker-[^,]*\/dist\/tree-sitter\.wasm, /);
});

test('... and in Chinese', () => {
  const m = workerAnswer('zh-cn');
  assert.match(m.error ?? '', /^找不到 tree-sitter\.wasm（查找过：.*\/dist\/tree-sitter\.wasm, /);
});
