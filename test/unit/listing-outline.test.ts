// A listing's outline (how many lines a profile shows, where the step points are) is read from the
// markers alone, so that a breakpoint's line is known before the listing is written. It must give
// the lines renderListing gives. This file runs in a process of its own: the outlines here are
// read before any listing is parsed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LISTINGS, listingStepLines, renderListing, stepLine, type ListingProfile } from '../../src/model/listing';
import { fn, BOTH } from '../../src/model/listing/dsl';

const PROFILES: ListingProfile[] = ['6.18', '4.9'];

test('every listing\'s step lines, from outlines read first, are those of its rendered text', () => {
  const outlined = new Map<string, ReadonlyMap<string, number>>();
  for (const file of LISTINGS) for (const p of PROFILES) outlined.set(`${p} ${file.path}`, listingStepLines(p, file.path)!);
  let steps = 0;
  for (const file of LISTINGS) {
    for (const p of PROFILES) {
      const rendered = renderListing(file, p);
      assert.deepEqual(new Map([...outlined.get(`${p} ${file.path}`)!].sort()), new Map([...rendered.lines].sort()), `${file.path} (${p})`);
      steps += rendered.lines.size;
    }
  }
  assert.ok(steps > 200, `only ${steps} step points`);
  const at = stepLine('6.18', 'ip_finish_output2', 'enter')!;
  assert.equal(at.path, 'net/ipv4/ip_output.c');
  assert.match(renderListing(LISTINGS.find((f) => f.path === at.path)!, '6.18').text.split('\n')[at.line - 1], /ip_finish_output2\s*\(/);
});

test('an outline counts the lines a profile shows, with or without the lines parsed first', () => {
  const src = `

      int f(void)  @@enter
      {
          a = 1;  /* an @ in a comment is text */
          b = 2;  @6.18
          c = 3;  @4.9 @@old
          d = 4;  @@mid
      }  @@leave

  `;
  for (const parsedFirst of [false, true]) {
    const f = fn('f', BOTH, src);
    if (parsedFirst) assert.equal(f.lines.length, 7);
    assert.deepEqual(f.outline('6.18'), { lines: 6, steps: new Map([['enter', 0], ['mid', 4], ['leave', 5]]) });
    assert.deepEqual(f.outline('4.9'), { lines: 6, steps: new Map([['enter', 0], ['old', 3], ['mid', 4], ['leave', 5]]) });
  }
});
