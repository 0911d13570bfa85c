// Stepping a million steps into a run: next, stepBack and reverseContinue (and continue, which
// takes each round back to where it started) from a stop with at least 1,000,000 step points of
// history behind it, in an adapter started as VS Code starts it; and the memory that history costs.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dap, launch, move } from './dap-client.mjs';
import { HOST, median, percentile, ROOT, round2 } from './measure.mjs';

/** The depth the moves start from, at least. */
export const DEPTH = 1_000_000;

/**
 * Sends 10 us apart, about 49 step points each; the stop is the first ip_finish_output2 at or
 * after the time below, a little past DEPTH steps (checked from the adapter's kpath/position event).
 */
const SENDS = 24_000;
const STOP_AT_NS = 210_000_000;
const DEEP_BREAKPOINT = { name: 'ip_finish_output2', condition: `now >= ${STOP_AT_NS}` };

function deepScenario(tmp) {
  const file = path.join(tmp, 'deep.kpath');
  fs.writeFileSync(file, [...HOST, `at 0ms send udp to 192.0.2.2:9000 size 100 count ${SENDS} every 10us socket s1`, ''].join('\n'));
  return file;
}

/** Peak resident memory of a running process, in MB (Linux), or undefined. */
function peakRssMb(pid) {
  try {
    const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    return Math.round(kb / 1024);
  } catch {
    return undefined;
  }
}

const KINDS = ['next', 'stepBack', 'reverseContinue', 'continue'];

export async function deepHistory({ quick, tmp, env, results, notes }) {
  const file = deepScenario(tmp);
  const dap = new Dap(path.join(ROOT, 'dist/dap.js'), env);
  let depth = 0;
  try {
    dap.onEvent = (m) => {
      if (m.event === 'kpath/position') depth = m.body.step;
    };
    const t0 = process.hrtime.bigint();
    await launch(dap, { scenario: file, stopOnEntry: false }, [DEEP_BREAKPOINT]);
    const reachSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (depth < DEPTH) throw new Error(`the deep stop is at step ${depth}, short of ${DEPTH}`);
    results.historySteps = depth;
    results.deepLaunchSeconds = round2(reachSecs);
    // From there, a breakpoint on every packet: reverseContinue goes one packet back each time and
    // continue one ahead. The kinds take turns, a block of each per round, so that the host's
    // swings fall on all of them alike; each round comes back about where it started. Every move
    // is counted, the first of each kind in the process too.
    await dap.request('setFunctionBreakpoints', { breakpoints: [{ name: 'ip_finish_output2' }] });
    const rounds = quick ? 3 : 20;
    const block = 10;
    const got = Object.fromEntries(KINDS.map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) {
      for (const command of KINDS) {
        for (let i = 0; i < block; i++) {
          const m = await move(dap, command);
          if (m.ended) throw new Error(`${command} ended the run at depth`);
          got[command].push(m.ms);
        }
      }
    }
    results.deepNextMedianMs = round2(median(got.next));
    results.deepNextP99Ms = round2(percentile(got.next, 99));
    results.stepBackMedianMs = round2(median(got.stepBack));
    results.stepBackP99Ms = round2(percentile(got.stepBack, 99));
    results.reverseContinueMedianMs = round2(median(got.reverseContinue));
    results.reverseContinueP99Ms = round2(percentile(got.reverseContinue, 99));
    results.deepContinueMedianMs = round2(median(got.continue));
    results.deepContinueP99Ms = round2(percentile(got.continue, 99));
    results.deepStepP99Ms = Math.max(results.deepNextP99Ms, results.stepBackP99Ms, results.reverseContinueP99Ms);
    const rss = peakRssMb(dap.child.pid);
    if (rss !== undefined) results.deepAdapterPeakRssMb = rss;
    notes.push(`at ${results.historySteps.toLocaleString('en-US')} steps: ${rounds} rounds of ${block} moves of each kind (${rounds * block} each)`);
  } finally {
    await dap.close();
  }
  historyBytes(file, results);
}

/**
 * What the debugger keeps per step of history, in a process of its own: the heap after a full
 * collection at the entry and at the deep stop, over the steps between (the index of the run,
 * the checkpoints, the frames kept for the Wire view, the stop's kernel).
 */
function historyBytes(file, results) {
  const out = (f) => JSON.stringify(path.join(ROOT, 'out', f));
  const probe = `
    const { parseScenario } = require(${out('src/model/scenario/parse.js')});
    const { Runtime } = require(${out('src/debugger/runtime.js')});
    const fs = require('fs');
    const rt = new Runtime(parseScenario(fs.readFileSync(${JSON.stringify(file)}, 'utf8'), 'deep.kpath'));
    rt.start(true);
    gc(); gc();
    const h0 = process.memoryUsage().heapUsed;
    rt.setFunctionBreakpoints([{ id: 1, ...${JSON.stringify(DEEP_BREAKPOINT)} }]);
    const r = rt.continue();
    gc(); gc();
    const h1 = process.memoryUsage().heapUsed;
    process.stdout.write(JSON.stringify({ steps: r.stop.step, bytes: h1 - h0, history: rt.historyStats() }));
  `;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', probe], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the history probe failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout);
  results.historyBytesPerStep = round2(Math.max(0, m.bytes) / m.steps);
  results.checkpoints = m.history.checkpoints;
}
