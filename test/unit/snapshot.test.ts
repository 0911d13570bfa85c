// A copy of the kernel taken between two events must run on exactly as the original: the
// debugger's checkpoints depend on it. Each scenario runs twice, once plainly and once hopping
// to a fresh copy of the kernel before every event, and the two result documents must be equal,
// frame for frame, byte for byte.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import type { Scenario } from '../../src/model/scenario/types';
import { createKernel, runKernel, resultOf } from '../../src/model/run';
import { copyKernel, Shared } from '../../src/debugger/snapshot';
import type { Kernel } from '../../src/model/kernel/kernel';
import { RICH } from '../helpers/scenarios';

const ROOT = path.join(__dirname, '..', '..', '..');
const SCENARIOS = path.join(ROOT, 'test', 'scenarios');

class Pause {}

/**
 * Runs `s` to its end, copying the kernel before every `stride`-th event and going on with the
 * copy.
 */
function hopping(s: Scenario, record: 'all' | 'counts', stride = 1): { kernel: Kernel; copies: number; objects: number } {
  const shared = new Shared();
  shared.add(s);
  // The kernel as built, before its first event, is a checkpoint too.
  let k = copyKernel(createKernel(s, { record }), shared).kernel;
  let copies = 1;
  let objects = 0;
  for (;;) {
    let n = 0;
    k.segment = (event: boolean) => {
      if (event && n++ === stride) throw new Pause();
    };
    try {
      runKernel(k, s.run);
      return { kernel: k, copies, objects };
    } catch (e) {
      if (!(e instanceof Pause)) throw e;
    }
    const c = copyKernel(k, shared);
    copies++;
    objects = Math.max(objects, c.objects);
    // The original must be left as it was: it is the checkpoint the debugger keeps.
    assert.equal(k.segment !== null, true);
    k = c.kernel;
  }
}

function plain(s: Scenario, record: 'all' | 'counts'): { kernel: Kernel; events: number } {
  const k = createKernel(s, { record });
  let events = 0;
  k.segment = (event: boolean) => {
    if (event) events++;
  };
  runKernel(k, s.run);
  k.segment = null;
  return { kernel: k, events };
}

const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.kpath')).map((f) => path.join(SCENARIOS, f));
files.push(path.join(ROOT, 'media', 'scenarios', 'default.kpath'));

for (const file of files) {
  for (const kernel of ['6.18', '4.9'] as const) {
    test(`a copy before every event runs on as the original: ${path.basename(file)} (${kernel})`, () => {
      const s = parseScenario(fs.readFileSync(file, 'utf8'), file);
      s.kernel = kernel;
      const ref = plain(s, 'all');
      const want = resultOf(ref.kernel, s);
      // Every event, or about 200 of them spread over the run in the long scenarios.
      const got = hopping(s, 'all', Math.max(1, Math.floor(ref.events / 200)));
      assert.deepEqual(resultOf(got.kernel, s), want);
    });
  }
}

test('a copy in counts mode runs on as the original, and the original is untouched', () => {
  const s = parseScenario(RICH, 'rich.kpath');
  const want = resultOf(plain(s, 'counts').kernel, s);
  const got = hopping(s, 'counts');
  assert.deepEqual(resultOf(got.kernel, s), want);

  // Copy once in the middle, run the copy to the end, then the original: both end the same.
  const shared = new Shared();
  shared.add(s);
  const k = createKernel(s, { record: 'all' });
  let events = 0;
  k.segment = (event: boolean) => {
    if (event && ++events === 5) throw new Pause();
  };
  assert.throws(() => runKernel(k, s.run), Pause);
  const c = copyKernel(k, shared);
  k.segment = null;
  runKernel(c.kernel, s.run);
  runKernel(k, s.run);
  assert.deepEqual(resultOf(c.kernel, s), resultOf(k, s));
  assert.deepEqual(resultOf(k, s), resultOf(plain(s, 'all').kernel, s));
});

test('a copy shares the scenario and copies packet bytes', () => {
  const s = parseScenario(RICH, 'rich.kpath');
  const shared = new Shared();
  shared.add(s);
  const k = createKernel(s, { record: 'all' });
  const c = copyKernel(k, shared);
  assert.notEqual(c.kernel, k);
  assert.notEqual(c.kernel.net, k.net);
  assert.equal(c.kernel.net.devices[1].name, k.net.devices[1].name);
  assert.notEqual(c.kernel.net.devices[1], k.net.devices[1]);
  assert.equal(c.kernel.net.peers[0].spec, k.net.peers[0].spec, 'scenario objects are shared');
  assert.equal(Object.getPrototypeOf(c.kernel), Object.getPrototypeOf(k), 'class instances keep their class');
  assert.ok(c.objects > 10);
});
