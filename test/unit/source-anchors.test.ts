// The anchor table (src/source/anchors.ts) against the model: every step point of every listing,
// in each profile, has an anchor (or a stated reason it has no statement in the kernel), and the
// table names no function or step point the model does not have.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anchors, stepAnchor } from '../../src/source/anchors';
import { stepsOf } from '../../src/source/match';
import { MODELED_FUNCTIONS } from '../../src/model/kernel/functions';
import type { ListingProfile } from '../../src/model/listing';

const PROFILES: ListingProfile[] = ['6.18', '4.9'];

test('every step point of every profile has an anchor, or says why the kernel has none', () => {
  const missing: string[] = [];
  let n = 0;
  for (const m of MODELED_FUNCTIONS) {
    for (const p of m.profiles) {
      for (const step of stepsOf(m.name, p)) {
        if (step === 'enter' || step === 'leave') continue;
        n++;
        const a = stepAnchor(m.name, step, p);
        if (!a) missing.push(`${m.name}:${step} (${p})`);
        else if ('none' in a) assert.match(a.none(), /\w+ \w+ \w+/, `${m.name}:${step}: a reason a person can read`);
      }
    }
  }
  assert.ok(n > 60, `only ${n} step points`);
  assert.deepEqual(missing, []);
});

test('the table names only modeled functions and step points their listings have', () => {
  const modeled = new Set(MODELED_FUNCTIONS.map((m) => m.name));
  for (const [fn, a] of Object.entries(anchors())) {
    assert.ok(modeled.has(fn), `${fn} is not a modeled function`);
    const steps = new Set(PROFILES.flatMap((p) => stepsOf(fn, p)));
    for (const step of Object.keys(a.steps ?? {})) assert.ok(steps.has(step), `${fn}:${step} is in no listing of ${fn}`);
    for (const callee of Object.keys(a.calls ?? {})) assert.ok(modeled.has(callee), `${fn} calls ${callee}, which is not modeled`);
  }
  for (const m of MODELED_FUNCTIONS) assert.ok(anchors()[m.name], `${m.name} has no entry in the table`);
});
