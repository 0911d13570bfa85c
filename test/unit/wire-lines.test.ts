// The Wire view page's pure parts: display lines with open frames (src/extension/webview/lines.ts),
// the virtual scroll window (viewport.ts) and the hex dump (hexdump.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lines, flattenDetail, deepestAt, nodeAt } from '../../src/extension/webview/lines';
import { windowAt, scrollToShow, scrollTopOf, contentPx, MAX_SCROLL_PX } from '../../src/extension/webview/viewport';
import { hexLines } from '../../src/extension/webview/hexdump';
import type { DetailNode } from '../../src/extension/webview/protocol';

test('lines: rows, with the detail lines of open rows below them', () => {
  const l = new Lines(10, [{ row: 7, lines: 2 }, { row: 2, lines: 3 }, { row: 12, lines: 4 }]);
  assert.equal(l.count, 15, 'a row past the end is not open');
  const naive: string[] = [];
  for (let r = 0; r < 10; r++) {
    naive.push(`${r}`);
    const n = r === 2 ? 3 : r === 7 ? 2 : 0;
    for (let s = 0; s < n; s++) naive.push(`${r}.${s}`);
  }
  assert.deepEqual(Array.from({ length: l.count }, (_, i) => {
    const p = l.at(i);
    return p.sub < 0 ? `${p.row}` : `${p.row}.${p.sub}`;
  }), naive);
  naive.forEach((name, i) => {
    const [row, sub] = name.split('.').map(Number);
    assert.equal(l.lineOf(row, sub ?? -1), i, name);
  });
  const big = new Lines(1_000_000, [{ row: 999_998, lines: 5 }]);
  assert.deepEqual(big.at(big.count - 1), { row: 999_999, sub: -1 });
});

const tree: DetailNode[] = [
  { label: 'Frame', value: '', offset: 0, length: 42, children: [{ label: 'Time', value: '0', offset: 0, length: 0 }] },
  {
    label: 'Ethernet', value: '', offset: 0, length: 14,
    children: [{ label: 'Destination', value: 'x', offset: 0, length: 6 }, { label: 'Type', value: 'ARP', offset: 12, length: 2 }],
  },
  {
    label: 'ARP', value: '', offset: 14, length: 28,
    children: [{ label: 'Flags', value: '', offset: 20, length: 2, children: [{ label: 'Bit', value: '', offset: 20, length: 1, mask: 0x40 }] }],
  },
];

test('details: layers, and the fields of the open ones; a byte finds its deepest field', () => {
  assert.deepEqual(flattenDetail(tree, new Set()).map((l) => l.path), ['0', '1', '2']);
  const open = flattenDetail(tree, new Set(['1', '2', '2.0']));
  assert.deepEqual(open.map((l) => `${l.path}@${l.depth}${l.expandable ? (l.expanded ? '-' : '+') : ''}`), ['0@0+', '1@0-', '1.0@1', '1.1@1', '2@0-', '2.0@1-', '2.0.0@2']);
  assert.equal(deepestAt(tree, 13), '1.1');
  assert.equal(deepestAt(tree, 20), '2.0.0');
  assert.equal(deepestAt(tree, 30), '2');
  assert.equal(deepestAt(tree, 99), '');
  assert.equal(nodeAt(tree, '2.0.0')?.mask, 0x40);
});

test('viewport: lines at a scroll position, plain and scaled past the height browsers allow', () => {
  assert.deepEqual(windowAt(0, 220, 100, 22), { first: 0, offsetPx: 0, count: 11 });
  assert.deepEqual(windowAt(33, 220, 100, 22), { first: 1, offsetPx: -11, count: 11 });
  assert.equal(windowAt(0, 220, 3, 22).count, 3);
  const n = 1_000_000;
  assert.equal(contentPx(n, 22), MAX_SCROLL_PX);
  assert.equal(windowAt(0, 220, n, 22).first, 0);
  const end = windowAt(MAX_SCROLL_PX - 220, 220, n, 22);
  assert.equal(end.first + Math.floor(220 / 22), n, 'scrolled to the bottom, the last line is in view');
  const mid = windowAt(scrollTopOf(500_000, 220, n, 22), 220, n, 22);
  assert.ok(Math.abs(mid.first - 500_000) <= 1, `${mid.first}`);
  // Showing a line below the view scrolls just enough; one in view does not scroll.
  assert.equal(scrollToShow(3, 0, 220, 100, 22), 0);
  assert.equal(scrollToShow(20, 0, 220, 100, 22), (20 - 10 + 1) * 22);
  const far = scrollToShow(900_000, 0, 220, n, 22);
  const w = windowAt(far, 220, n, 22);
  assert.ok(900_000 >= w.first && 900_000 < w.first + 10, `${w.first}`);
});

test('hex dump: sixteen bytes a line, offsets in hex, dots for what does not print', () => {
  const hex = Buffer.from('Hi\x00there, this is 20b').toString('hex');
  const lines = hexLines(hex);
  assert.deepEqual(lines.map((l) => l.offset), ['0000', '0010']);
  assert.equal(lines[0].bytes.map((b) => b.ascii).join(''), 'Hi.there, this i');
  assert.deepEqual(lines[1].bytes.map((b) => b.at), [16, 17, 18, 19, 20]);
});
