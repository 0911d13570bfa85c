// Golden transcripts: the full stdout of `kpath run media/scenarios/default.kpath --trace`, for each
// kernel profile (and of a few scenarios of test/scenarios), compared with files kept beside this test. Any change to what the command prints
// for the default scenario (trace lines, decisions, frames, counters) shows up here as a line diff.
//
// To accept a change on purpose: `npm run golden` (it sets KPATH_UPDATE_GOLDEN=1, which rewrites the
// files instead of comparing), then read the diff of test/golden/ before committing it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SCENARIO_REL, REPO_ROOT, describeRun, kpath, writeFileAtomic } from '../helpers/cli';
import { lineDiff } from '../helpers/diff';

const UPDATE = process.env.KPATH_UPDATE_GOLDEN === '1';

interface Golden {
  /** File under test/golden/. */
  file: string;
  /** Arguments after `kpath`, run from the repository root. */
  args: string[];
}

const GOLDENS: Golden[] = [
  { file: 'default.trace.txt', args: ['run', DEFAULT_SCENARIO_REL, '--trace'] },
  { file: 'default.4.9.trace.txt', args: ['run', DEFAULT_SCENARIO_REL, '--trace', '--kernel', '4.9'] },
  // VLAN links, policy routing, the LOCAL_OUT reroute, nft dup and ip_finish_output2's headroom branch.
  { file: 'p-policy-reroute.trace.txt', args: ['run', 'test/scenarios/p-policy-reroute.kpath', '--trace'] },
  { file: 'p-dup.trace.txt', args: ['run', 'test/scenarios/p-dup.kpath', '--trace'] },
  { file: 'p-vlan.trace.txt', args: ['run', 'test/scenarios/p-vlan.kpath', '--trace'] },
  { file: 'p-vlan-headroom.trace.txt', args: ['run', 'test/scenarios/p-vlan-headroom.kpath', '--trace'] },
  { file: 'p-vlan-headroom.4.9.trace.txt', args: ['run', 'test/scenarios/p-vlan-headroom.kpath', '--trace', '--kernel', '4.9'] },
  { file: 'p-vlan-reroute.trace.txt', args: ['run', 'test/scenarios/p-vlan-reroute.kpath', '--trace'] },
  { file: 'p-vlan-reroute.4.9.trace.txt', args: ['run', 'test/scenarios/p-vlan-reroute.kpath', '--trace', '--kernel', '4.9'] },
];

for (const g of GOLDENS) {
  test(`golden: kpath ${g.args.join(' ')} matches test/golden/${g.file}`, () => {
    // Run from the repository root with the relative path, exactly as `npm start` does, so the
    // scenario name printed in the report is the same wherever the tests are started.
    const r = kpath(g.args, { cwd: REPO_ROOT });
    assert.equal(r.status, 0, describeRun(r));
    assert.equal(r.stderr, '', describeRun(r));
    const target = path.join(REPO_ROOT, 'test', 'golden', g.file);
    if (UPDATE) {
      writeFileAtomic(target, r.stdout);
      return;
    }
    assert.ok(fs.existsSync(target), `test/golden/${g.file} is missing; create it with: npm run golden`);
    const expected = fs.readFileSync(target, 'utf8');
    if (expected !== r.stdout) {
      assert.fail(
        `the output of \`kpath ${g.args.join(' ')}\` differs from test/golden/${g.file}\n` +
          lineDiff(expected, r.stdout) +
          `\n\nIf the change is intended, regenerate the golden files with: npm run golden\n` +
          `(or: KPATH_UPDATE_GOLDEN=1 node --test out/test/golden/) and review the diff of test/golden/.`,
      );
    }
  });
}

test('golden files end with exactly one newline and hold no trailing spaces or tabs', () => {
  // The command's own output is checked above; this keeps the files easy to diff and review.
  for (const g of GOLDENS) {
    const target = path.join(REPO_ROOT, 'test', 'golden', g.file);
    if (!fs.existsSync(target)) continue; // reported by the test above
    const text = fs.readFileSync(target, 'utf8');
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), `${g.file}: should end with one newline`);
    text.split('\n').forEach((line, i) => {
      assert.ok(!/[ \t]$/.test(line), `${g.file}:${i + 1}: trailing whitespace`);
      assert.ok(!line.includes('\t'), `${g.file}:${i + 1}: a tab`);
    });
  }
});

test('lineDiff shows the first differing lines with their numbers', () => {
  const d = lineDiff('a\nb\nc\nd\n', 'a\nb\nX\nd\n');
  assert.match(d, /first difference at line 3/);
  assert.match(d, /^- line 3 \| c$/m);
  assert.match(d, /^\+ line 3 \| X$/m);
  assert.match(d, /^ {2}line 2 \| b$/m);
  const ins = lineDiff('a\nb\n', 'a\nnew\nb\n');
  assert.match(ins, /^\+ line 2 \| new$/m);
  assert.doesNotMatch(ins, /^- /m, 'an insertion removes nothing');
  assert.match(lineDiff('a \n', 'a\n'), /"a "/, 'whitespace-only differences are quoted');
  assert.equal(lineDiff('same', 'same'), '');
});
