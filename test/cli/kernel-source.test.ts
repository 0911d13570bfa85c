// `kpath run --kernel-source DIR`: each trace line ends with the file:line of its function in the
// tree (the line the mapping gives), --json trace entries carry it as `source`, what does not map
// is listed on stderr, and a folder that is not a Linux tree is a usage error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { DEFAULT_SCENARIO, describeRun, kpath, stackLines } from '../helpers/cli';
import { linux61, tempCache } from '../helpers/linux-tree';
import { loadSourceMap } from '../../src/source/load';
import { computeSourceMap } from '../../src/source/compute';

const tree = linux61();
const skip = tree.skip;
// A cache of the command's own: the first run parses the tree (in its worker), the second reads it.
const cache = tempCache();
const env = { XDG_CACHE_HOME: cache };

test('--trace --kernel-source: each line names file:line of its function in the real tree', { skip }, async () => {
  const r = kpath(['run', DEFAULT_SCENARIO, '--trace', '--kernel-source', tree.root!], { env });
  assert.equal(r.status, 0, describeRun(r));
  const loaded = await loadSourceMap(tree.root!, '6.18', { cache: tempCache(), compute: computeSourceMap });
  assert.ok(!('problem' in loaded));
  const lines = r.stdout.split('\n').filter((l) => /^\s*\d+\.\d{6}ms /.test(l));
  assert.ok(lines.length > 40, describeRun(r));
  for (const l of lines) {
    const fn = /^\s*\d+\.\d{6}ms \S+\s+(?:#\d+)?\s+(\S+)/.exec(l)![1];
    const p = loaded.map.position(fn, 'enter')!;
    assert.ok(l.endsWith(`  ${p.path}:${p.line}`), `${fn}: ${l}`);
  }
  assert.match(r.stderr, /kernel source .* \(Linux 6\.1\.\d+\): \d+ of \d+ step points of the 6\.18 profile/);
  assert.match(r.stderr, /udp_sendmsg:autobind: the kernel binds the source port in inet_sendmsg/);
  // The second run reads the cached mapping and prints the same trace.
  const again = kpath(['run', DEFAULT_SCENARIO, '--trace', '--kernel-source', tree.root!], { env });
  assert.equal(again.stdout, r.stdout);
});

test('--json --trace --kernel-source: trace entries carry source', { skip }, () => {
  const r = kpath(['run', DEFAULT_SCENARIO, '--json', '--trace', '--kernel-source', tree.root!, '--kernel', '4.9'], { env });
  assert.equal(r.status, 0, describeRun(r));
  const doc = JSON.parse(r.stdout) as { trace: { function: string; source: string | null }[] };
  const f2 = doc.trace.find((t) => t.function === 'ip_finish_output2')!;
  assert.match(f2.source ?? '', /^net\/ipv4\/ip_output\.c:\d+$/);
  // 4.9's dst_neigh_output is not in a 6.1 tree: no place, never a wrong one.
  assert.equal(doc.trace.find((t) => t.function === 'dst_neigh_output')!.source, null);
  assert.match(r.stderr, /dst_neigh_output:enter: dst_neigh_output is not defined in include\/net\/dst\.h/);
});

test('--kernel-source with a folder that is not a Linux tree: exit 2 and why', () => {
  const r = kpath(['run', DEFAULT_SCENARIO, '--trace', '--kernel-source', os.tmpdir()], { env });
  assert.equal(r.status, 2, describeRun(r));
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /--kernel-source: .* is not a Linux source tree: it has no Makefile/);
  assert.deepEqual(stackLines(r.stderr), []);
  const none = kpath(['run', DEFAULT_SCENARIO, '--kernel-source'], { env });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--kernel-source needs a value/);
});
