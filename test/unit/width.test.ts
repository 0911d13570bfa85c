// Text in a terminal's columns (src/text/width.ts): Chinese characters and fullwidth punctuation
// take two columns, everything else one, so that tables line up in both languages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth, padEndColumns, padStartColumns } from '../../src/text/width';

test('Chinese characters and fullwidth punctuation take two columns; Latin letters, digits and symbols one', () => {
  assert.equal(displayWidth('Dir'), 3);
  assert.equal(displayWidth('方向'), 4);
  assert.equal(displayWidth('时间 (ms)'), 9);
  assert.equal(displayWidth('第 4 行，'), 9);
  assert.equal(displayWidth('02:00:00:00:00:01 → 9000'), 24);
  assert.equal(displayWidth(''), 0);
});

test('padding counts columns, never cuts, and leaves a wide enough text as it is', () => {
  assert.equal(padEndColumns('方向', 6), '方向  ');
  assert.equal(padStartColumns('序号', 6), '  序号');
  assert.equal(padEndColumns('tx', 3), 'tx ');
  assert.equal(padEndColumns('目的地址', 3), '目的地址');
  assert.equal(displayWidth(padEndColumns('源地址', 17)), 17);
});
