// `npm run bench` is how kpath's speed is proven (never by timed tests). This only checks that the
// benchmark still runs and reports every figure it promises, in its quick form, without the real
// kernel and without an editor (so it needs neither root, nor chromium, nor a network).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/cli';
import { linux61 } from '../helpers/linux-tree';

const BENCH = path.join(REPO_ROOT, 'scripts', 'bench', 'main.mjs');

test('the benchmark runs and prints one JSON object with every figure (quick, without the kernel)', () => {
  const r = spawnSync(process.execPath, [BENCH, '--quick', '--no-kernel', '--json'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  const keys = [
    'fastPathPps', 'fragmentPps',
    // An adapter started as VS Code starts it: its first stop without and with the code cache, its steps.
    'firstStopColdMs', 'firstStopMs', 'stepMedianMs', 'stepP99Ms',
    // A million steps into the run.
    'historySteps', 'deepNextP99Ms', 'stepBackP99Ms', 'reverseContinueP99Ms', 'deepStepP99Ms', 'historyBytesPerStep',
    // The pictures at stops deep in a long run.
    'pictureSkbP99Ms', 'picturePathP99Ms', 'picturePathAgainP99Ms', 'pictureWaitedPathP99Ms',
    'millionPacketsSeconds', 'millionPacketsPeakRssMb', 'millionPacketsFirstProgressMs', 'bundleBytes',
    // With a Linux tree (the tests' 6.1 tree when Debian's linux-source-6.1 is installed).
    ...(linux61().root ? ['sourceFirstStopMs', 'sourceColdFirstStopMs', 'sourceColdLinesMs'] : []),
  ];
  for (const k of keys) assert.ok(typeof doc[k] === 'number' && Number.isFinite(doc[k]) && (doc[k] as number) > 0, `${k}: ${doc[k]}`);
  assert.ok((doc.historySteps as number) >= 1_000_000, `the deep moves start ${doc.historySteps} steps in, not a million`);
  assert.equal(doc.deepStepP99Ms, Math.max(doc.deepNextP99Ms as number, doc.stepBackP99Ms as number, doc.reverseContinueP99Ms as number));
  assert.equal(doc.kernelPps, undefined, 'no kernel figure without the kernel');
  assert.equal(doc.activationMs, undefined, 'no activation figure without --editor');
  assert.equal(doc.wireOpenMs, undefined, 'no Wire view figure without --editor');
});

test('the benchmark refuses an unknown option', () => {
  const r = spawnSync(process.execPath, [BENCH, '--fast'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option '--fast'/i);
  const t = spawnSync(process.execPath, [BENCH, '--tree'], { encoding: 'utf8' });
  assert.equal(t.status, 2);
  assert.match(t.stderr, /--tree <value>' argument missing/);
});
