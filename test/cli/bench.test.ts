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
/** A small debug adapter to take turns with (`--reference`, serving with KPATH_TEST_REFERENCE=1), and a file to launch it on. */
const REFERENCE = path.join(REPO_ROOT, 'out', 'test', 'helpers', 'reference-adapter.js');
const REFERENCE_PROGRAM = path.join(REPO_ROOT, 'README.md');

test('the benchmark runs and prints one JSON object with every figure (quick, without the kernel)', () => {
  const args = ['--quick', '--no-kernel', '--json', '--reference', REFERENCE, '--reference-program', REFERENCE_PROGRAM];
  const r = spawnSync(process.execPath, [BENCH, ...args], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, KPATH_TEST_REFERENCE: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  const keys = [
    'fastPathPps', 'fragmentPps',
    // An adapter started as VS Code starts it: its first stop without and with the code cache, its steps.
    'firstStopColdMs', 'firstStopMs', 'stepMedianMs', 'stepP99Ms',
    // The first stop in turns with a reference adapter.
    'referenceFirstStopMs', 'pairedFirstStopMs', 'referenceTurns',
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
  // kpath's lead or lag on the reference, per turn: any sign; the turns it stopped first, of 10.
  assert.ok(Number.isFinite(doc.firstStopOverReferenceMs), `firstStopOverReferenceMs: ${doc.firstStopOverReferenceMs}`);
  assert.equal(doc.referenceTurns, 10);
  assert.ok(Number.isInteger(doc.firstStopFasterTurns) && (doc.firstStopFasterTurns as number) >= 0 && (doc.firstStopFasterTurns as number) <= 10, `firstStopFasterTurns: ${doc.firstStopFasterTurns}`);
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

test('the benchmark refuses a reference adapter without its program, or one that is not there', () => {
  const alone = spawnSync(process.execPath, [BENCH, '--reference', REFERENCE], { encoding: 'utf8' });
  assert.equal(alone.status, 2);
  assert.match(alone.stderr, /--reference and --reference-program go together/);
  const missing = path.join(REPO_ROOT, 'no-such-adapter.js');
  const gone = spawnSync(process.execPath, [BENCH, '--reference', missing, '--reference-program', REFERENCE_PROGRAM], { encoding: 'utf8' });
  assert.equal(gone.status, 2);
  assert.ok(gone.stderr.includes(`${missing}: no such file`), gone.stderr);
});
