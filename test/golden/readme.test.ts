// The README says true things that can be checked:
// - its "A first run" excerpt is real output of `npm start`: each run of lines between "..." lines
//   must appear, whole and in order, in the golden trace of the default scenario (which
//   golden.test.ts compares with the command's real output), so that a change to the model's
//   output shows up in the README's diff too;
// - its set-up commands are exactly what .ci/run runs: the same Debian packages, then the same npm
//   commands in the same order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const readme = (): string => fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The body of the fenced block that follows `marker` in `text`. */
function blockAfter(text: string, marker: string, what: string): string {
  const start = text.indexOf(marker);
  assert.ok(start >= 0, `the README has its ${what} (after "${marker.split('\n')[0]}")`);
  const open = text.indexOf('```', start);
  const from = text.indexOf('\n', open) + 1;
  const end = text.indexOf('\n```', from);
  assert.ok(open >= 0 && end > from, `the README's ${what} is a fenced block`);
  return text.slice(from, end);
}

test('the README excerpt is part of the golden trace of the default scenario, in order', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = 'kpath run media/scenarios/default.kpath --trace';
  assert.equal(pkg.scripts.start, `node dist/cli.js ${command.replace(/^kpath /, '')}`, 'the README names the command `npm start` runs');
  const block = blockAfter(readme(), `This is part of its output (\`${command}\`):\n`, 'excerpt of `npm start`');
  const golden = fs.readFileSync(path.join(root, 'test', 'golden', 'default.trace.txt'), 'utf8').split('\n');
  const chunks = block.split('\n...\n').map((c) => c.split('\n'));
  assert.ok(chunks.length >= 2 && chunks.every((c) => c.length > 0 && c[0] !== ''), 'runs of lines separated by "..." lines');
  let at = 0;
  for (const chunk of chunks) {
    // The first place at or after `at` where the whole run of lines appears.
    let found = -1;
    for (let i = at; i + chunk.length <= golden.length && found < 0; i++) {
      if (chunk.every((line, j) => golden[i + j] === line)) found = i;
    }
    assert.ok(found >= 0, `README.md's excerpt has lines that test/golden/default.trace.txt does not have, in that order (paste them anew from \`${command}\`):\n${chunk.join('\n')}`);
    at = found + chunk.length;
  }
});

test('the README set-up runs what .ci/run runs', () => {
  const setup = blockAfter(readme(), '## Set-up\n', 'set-up commands')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l);
  const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8');
  const packages = [...ci.matchAll(/need\+=\(([\w.+-]+)\)/g)].map((m) => m[1]);
  assert.ok(packages.length > 0, '.ci/run names the Debian packages it installs');
  const npm = ci.split('\n').filter((l) => /^npm /.test(l));
  assert.deepEqual(setup, ['apt-get update', `apt-get install -y ${packages.join(' ')}`, ...npm]);
});
