// The debugger as a learner meets it at F5: VS Code starts `node dist/dap.js` (no options), a new
// process per session, and makes the launch (initialize, launch with stopOnEntry, breakpoints,
// configurationDone). Measured: the time from starting the process to the first stop, without the
// adapter's code cache (the first session after installing or building kpath) and with it (every
// later one); then F10 over and over, each step followed by what the editor asks at a stop.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dap, launch, move, showStop } from './dap-client.mjs';
import { HOST, median, percentile, ROOT, round2 } from './measure.mjs';

/** A function breakpoint where the path gets interesting; `next` walks its lines and those around. */
export const STEP_BREAKPOINTS = [{ name: 'ip_finish_output2' }];

/** A scenario long enough that `next` never runs out: sends 1 ms apart, 100 and 3000 bytes, ARP first. */
export function steppingScenario(tmp) {
  const file = path.join(tmp, 'stepping.kpath');
  const sends = ['at 0ms send udp to 192.0.2.2:9000 size 100 count 500 every 1ms socket s1', 'at 100us send udp to 192.0.2.2:9000 size 3000 count 500 every 1ms socket s1'];
  fs.writeFileSync(file, [...HOST, ...sends, ''].join('\n'));
  return file;
}

/** One session in a new adapter process: its first stop (ms from the spawn) and its steps' round trips. */
export async function session(file, env, steps) {
  const dap = new Dap(path.join(ROOT, 'dist/dap.js'), env);
  try {
    const first = await launch(dap, { scenario: file, stopOnEntry: true }, STEP_BREAKPOINTS);
    await showStop(dap, first.ev);
    const times = [];
    for (let n = 0; n < steps; n++) {
      const r = await move(dap, 'next');
      if (r.ended) throw new Error('the stepping scenario ended before its steps were done');
      times.push(r.ms);
    }
    return { first: first.ms, steps: times };
  } finally {
    await dap.close();
  }
}

export async function stepping({ quick, tmp, env, cacheHome, results, notes }) {
  const file = steppingScenario(tmp);
  const code = path.join(cacheHome, 'kpath', 'code');
  const colds = quick ? 1 : 3;
  const warmPerCold = quick ? 2 : 3;
  const perSession = quick ? 100 : 300;
  const cold = [];
  const firsts = [];
  const steps = [];
  // Each process without a cache is followed by some with the cache it wrote, so that the host's
  // swings fall on both kinds alike.
  for (let i = 0; i < colds; i++) {
    fs.rmSync(path.join(cacheHome, 'kpath'), { recursive: true, force: true });
    cold.push((await session(file, env, 0)).first);
    if (!fs.existsSync(code) || fs.readdirSync(code).length === 0) notes.push('the adapter wrote no code cache: every first stop was without one');
    for (let j = 0; j < warmPerCold; j++) {
      const r = await session(file, env, perSession);
      firsts.push(r.first);
      steps.push(...r.steps);
    }
  }
  results.firstStopColdMs = round2(median(cold));
  results.firstStopMs = round2(median(firsts));
  results.stepMedianMs = round2(median(steps));
  results.stepP99Ms = round2(percentile(steps, 99));
  results.stepMaxMs = round2(Math.max(...steps));
  notes.push(`first stop: ${colds} process(es) without the code cache (${cold.map(round2).join(', ')} ms), ${firsts.length} with it; steps: ${firsts.length} sessions of ${perSession} (${steps.length} steps)`);
}
