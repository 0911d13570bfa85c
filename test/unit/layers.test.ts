// The layers of src/ import downward only (docs/architecture.md). This reads every import of every
// source file (type-only imports too: a type that crosses a layer is a dependency all the same)
// and checks it against the table below.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/cli';

const SRC = path.join(REPO_ROOT, 'src');

/**
 * What each layer may import, besides itself. A layer is a folder of src/ (the deepest one listed
 * here that holds the file); `model/*` is every layer of the model. `node` stands for Node.js's own
 * modules; a package is named as such.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  // Plain-text helpers (the "did you mean" of messages), with the messages' lookup.
  'text': ['@vscode/l10n'],
  'model/wire': [],
  'model/core': [],
  // A listing's opening comment is in the user's language (l10n.t, a pure lookup as below).
  'model/listing': ['@vscode/l10n'],
  // The scenario checks write their messages as l10n.t(...): a pure lookup in the bundle that
  // src/l10n configured (the model itself does no I/O), so that the CLI, the debug console and the
  // editor show them in the user's language.
  'model/scenario': ['model/wire', 'text', '@vscode/l10n'],
  'model/net': ['model/wire', 'model/core', 'model/scenario'],
  // A run stopped at a limit says why in the user's language (l10n.t, a pure lookup as above).
  'model/kernel': ['model/net', 'model/wire', 'model/core', 'model/scenario', 'model', '@vscode/l10n'],
  'model/peers': ['model/net', 'model/wire', 'model/core'],
  // run.ts, result.ts, report.ts, trace.ts: running a scenario and what it produces.
  'model': ['model/kernel', 'model/peers', 'model/net', 'model/wire', 'model/core', 'model/scenario', 'text', '@vscode/l10n'],
  // The lesson format and the tutorial's progress: plain text and state, nothing of the model; the
  // lesson format's errors are l10n.t(...) calls, as the scenario's.
  'tutorial': ['text', '@vscode/l10n'],
  // Messages for the user (expression errors, "not stopped") are l10n.t(...) calls, as the adapter's.
  'debugger': ['model/*', 'tutorial', 'text', '@vscode/l10n'],
  // Its refusals of an unsafe cache folder are l10n.t(...) calls (a pure lookup, as above).
  'io': ['node', '@vscode/l10n'],
  // The message catalogues (src/l10n, with l10n/*.json, the Chinese one read from its file when
  // Chinese is spoken): any layer that shows messages may use them.
  'l10n': ['@vscode/l10n', 'l10n bundles', 'node'],
  // The mapping of step points to a real Linux tree (tree-sitter's C parser runs in its worker).
  // Messages are written as l10n.t(...) with l10n imported from @vscode/l10n itself: that is the
  // import @vscode/l10n-dev recognises when it exports the strings (src/l10n configures the same module).
  'source': ['model/*', 'io', 'l10n', '@vscode/l10n', 'node', 'web-tree-sitter'],
  'adapter': ['source', 'debugger', 'tutorial', 'model/*', 'io', 'l10n', '@vscode/l10n', 'node', '@vscode/debugadapter', '@vscode/debugprotocol'],
  'capture': ['model/*', 'io', 'l10n', '@vscode/l10n', 'node'],
  'cli': ['adapter', 'source', 'debugger', 'tutorial', 'capture', 'model/*', 'text', 'io', 'l10n', '@vscode/l10n', 'node'],
  // The .kpath editor's help: the parser and the words of the language (pure, no I/O), with the
  // messages in the display language. The one way in for the extension to the model: bundled on its
  // own (dist/language.js) and loaded on the first .kpath document.
  'language': ['model/scenario', 'model/wire', 'l10n', '@vscode/l10n'],
  // Deliberate exception: the extension may use src/language (and so, through it, the parser). It
  // hands @vscode/l10n VS Code's catalogue, for the messages of the lesson format (src/tutorial).
  'extension': ['adapter', 'source', 'tutorial', 'language', 'vscode', 'node', 'extension/webview', '@vscode/l10n'],
  // What the webviews and the extension share (the messages between them, layouts): no VS Code, no
  // Node.js, types of the adapter's answers.
  'extension/webview': ['adapter', 'tutorial'],
  // The webviews' pages: browser code only; ELK lays out the path picture.
  'extension/webview/browser': ['extension/webview', 'adapter', 'tutorial', 'elkjs'],
};

/** The layer of a file or folder under src/: the longest key of MAY_IMPORT that contains it. */
function layerOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  let best = '';
  for (const layer of Object.keys(MAY_IMPORT)) {
    if ((rel === layer || rel.startsWith(layer + '/')) && layer.length > best.length) best = layer;
  }
  if (!best) throw new Error(`src/${rel} is in no layer of the table: add its folder to MAY_IMPORT`);
  return best;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The module specifiers a file imports: import/export ... from, import('...'), require('...'). */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|[^\w.])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[1] ?? m[2] ?? m[3]);
  return specs;
}

/** What an import names, as the table does: a layer, `node`, or a package. */
function targetOf(file: string, spec: string): string {
  if (spec.startsWith('.')) {
    const target = path.resolve(path.dirname(file), spec);
    if (path.relative(path.join(REPO_ROOT, 'l10n'), target).split(path.sep)[0] !== '..') return 'l10n bundles';
    return layerOf(target);
  }
  if (spec.startsWith('node:')) return 'node';
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function allowed(from: string, to: string): boolean {
  const may = MAY_IMPORT[from];
  return may.includes(to) || (may.includes('model/*') && (to === 'model' || to.startsWith('model/')));
}

test('every import in src/ goes where the layer table allows', () => {
  const problems: string[] = [];
  let imports = 0;
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      imports++;
      const to = targetOf(file, spec);
      if (to !== from && !allowed(from, to)) problems.push(`src/${path.relative(SRC, file)}: ${from} imports ${to} ('${spec}')`);
    }
  }
  assert.ok(imports > 200, `only ${imports} imports found: the reader has stopped seeing them`);
  assert.deepEqual(problems, []);
});

test('the reader sees every form of import, and the table catches a forbidden one', () => {
  const text = [
    "import type { Kernel } from '../kernel/kernel';",
    "import { a,\n  b } from '../kernel/dev';",
    "export { c } from './x';",
    "import '../kernel/side-effect';",
    "const m = require('node:fs');",
    "type T = typeof import('../kernel/skbuff');",
  ].join('\n');
  assert.deepEqual(importsOf(text), ['../kernel/kernel', '../kernel/dev', './x', '../kernel/side-effect', 'node:fs', '../kernel/skbuff']);
  const netFile = path.join(SRC, 'model', 'net', 'neigh.ts');
  assert.equal(targetOf(netFile, '../kernel/kernel'), 'model/kernel');
  assert.equal(allowed(layerOf(netFile), 'model/kernel'), false, 'net/ may not import kernel/');
  assert.equal(allowed('model/wire', 'model/net'), false, 'wire/ imports nothing else of the model');
  assert.equal(allowed('model/kernel', 'debugger'), false, 'the model never imports the debugger');
  assert.equal(allowed('adapter', 'vscode'), false, 'the adapter never imports vscode');
  assert.equal(allowed('adapter', 'model/core'), true);
});
