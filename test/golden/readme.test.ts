// The README's "A first run" transcript is the real output of `npm start`: it must match the golden
// trace, so that a change to the model's output shows up in the README's diff too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

test('the README transcript is the golden trace of the default scenario', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const golden = fs.readFileSync(path.join(root, 'test', 'golden', 'default.trace.txt'), 'utf8');
  const marker = 'This is its real output (`kpath run media/scenarios/default.kpath --trace`):\n\n```\n';
  const start = readme.indexOf(marker);
  assert.ok(start >= 0, 'the README has its transcript block');
  const from = start + marker.length;
  const block = readme.slice(from, readme.indexOf('\n```\n', from));
  // The golden file holds the whole output; the README shows its trace and report verbatim.
  assert.equal(block.trimEnd(), golden.trimEnd(), 'README.md transcript differs from test/golden/default.trace.txt: paste the new output of `kpath run media/scenarios/default.kpath --trace` into the README');
});
