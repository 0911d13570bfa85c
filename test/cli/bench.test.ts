// `npm run bench` is how kpath's speed is proven (never by timed tests). This only checks that the
// benchmark still runs and reports every figure it promises, in its quick form.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/cli';

test('the benchmark runs and prints one JSON object with every figure (quick, without the kernel)', () => {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bench.mjs'), '--quick', '--no-kernel', '--json'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  const keys = [
    'fastPathPps', 'fragmentPps', 'stepMedianMs', 'stepP99Ms', 'firstStopMs', 'stepBackMedianMs', 'historyBytesPerStep',
    'millionPacketsSeconds', 'millionPacketsPeakRssMb', 'bundleBytes', 'activationMs',
    // What this machine's pipes and wake-ups cost, and stepping at a learner's pace.
    'stepFloorMedianMs', 'stepFloorP99Ms', 'stepPacedMedianMs', 'stepPacedFloorMedianMs',
    // Stepping in adapters started ahead, as the extension starts them.
    'stepAheadMedianMs', 'stepAheadP99Ms', 'firstStopAheadMs',
  ];
  for (const k of keys) assert.ok(typeof doc[k] === 'number' && Number.isFinite(doc[k]) && (doc[k] as number) >= 0, `${k}: ${doc[k]}`);
  assert.equal(doc.kernelPps, undefined, 'no kernel figure without the kernel');
});

test('the benchmark refuses an unknown option', () => {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bench.mjs'), '--fast'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option --fast/);
});
