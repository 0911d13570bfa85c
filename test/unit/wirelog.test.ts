// Frames and drops in one list in the order they happened (src/debugger/wirelog.ts): any page of
// it, found by a binary search, is the same as the same rows of the whole list built naively.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wireRows, WireRowRef } from '../../src/debugger/wirelog';

/** The whole list the slow way: each drop after the frames before it. */
function naive(frames: number, drops: { frame: number }[]): WireRowRef[] {
  const out: WireRowRef[] = [];
  let d = 0;
  for (let f = 0; f <= frames; f++) {
    while (d < drops.length && drops[d].frame <= f) out.push({ kind: 'drop', index: d++ });
    if (f < frames) out.push({ kind: 'frame', index: f });
  }
  return out;
}

test('every page of every small list is the naive list cut at the same rows', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let trial = 0; trial < 200; trial++) {
    const frames = rand(12);
    const nd = rand(8);
    const drops = Array.from({ length: nd }, () => ({ frame: rand(frames + 1) })).sort((a, b) => a.frame - b.frame);
    const all = naive(frames, drops);
    assert.equal(all.length, frames + nd);
    for (let start = 0; start <= all.length + 1; start++) {
      for (const count of [0, 1, 2, 5, 100]) {
        assert.deepEqual(wireRows(frames, drops, nd, start, count), all.slice(start, start + count), `frames ${frames} drops ${JSON.stringify(drops)} start ${start} count ${count}`);
      }
    }
  }
});

test('only the first dropCount drops count (a stop before the later ones)', () => {
  const drops = [{ frame: 0 }, { frame: 2 }, { frame: 3 }];
  assert.deepEqual(wireRows(2, drops, 1, 0, 10), [{ kind: 'drop', index: 0 }, { kind: 'frame', index: 0 }, { kind: 'frame', index: 1 }]);
});

test('a page near the end of a million rows', () => {
  const drops = Array.from({ length: 1000 }, (_, i) => ({ frame: i * 1000 }));
  const rows = wireRows(1_000_000, drops, 1000, 1_000_995, 10);
  assert.deepEqual(rows, [1_000_995, 1_000_996, 1_000_997, 1_000_998, 1_000_999].map((r) => ({ kind: 'frame', index: r - 1000 })));
  // Drop 500 comes right before frame 500000.
  assert.deepEqual(wireRows(1_000_000, drops, 1000, 500_500, 2), [{ kind: 'drop', index: 500 }, { kind: 'frame', index: 500_000 }]);
});
