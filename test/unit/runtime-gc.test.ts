// What a step leaves for the garbage collector. Every stop is a fresh re-execution, so the stop
// before it, its kernel and the hooks of its re-execution must be garbage once the next stop is
// made. Something that keeps them reachable for young collections only (an old object pointing
// at them) does not show in a heap snapshot, which collects everything first, but makes every
// young collection copy whole kernels: in a new process that was 3 to 7 MB and 5 to 20 ms a
// collection. This test steps in a child process with V8's optimizing compiler off (the
// interpreter is where a new process runs, and optimized code can hide the problem) and reads
// what each young collection found alive from V8's GC trace. It measures bytes, not time.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { BASE } from '../helpers/scenarios';

const RUNTIME = path.join(__dirname, '..', '..', 'src', 'model', 'engine', 'runtime.js');
const PARSE = path.join(__dirname, '..', '..', 'src', 'model', 'scenario', 'parse.js');

/** The objects young collections found alive, per collection, over `steps` of F10 (bytes). */
function youngSurvivors(steps: number): number[] {
  const scenario = [BASE, 'at 0ms send udp to 192.0.2.2:9000 size 100 count 500 every 1ms socket s1', 'at 100us send udp to 192.0.2.2:9000 size 3000 count 500 every 1ms socket s1', ''].join('\n');
  const script = `
    const { parseScenario } = require(${JSON.stringify(PARSE)});
    const { Runtime } = require(${JSON.stringify(RUNTIME)});
    const rt = new Runtime(parseScenario(${JSON.stringify(scenario)}, 'gc.kpath'));
    rt.setFunctionBreakpoints([{ id: 1, name: 'ip_finish_output2' }]);
    // A hook like the debug adapter's, so that the re-executions attach their progress hook too.
    rt.hooks = { onProgress: () => {} };
    let r = rt.start(false);
    for (let i = 0; i < ${steps} && r.stop; i++) r = rt.next();
    process.stderr.write('steps done\\n');
  `;
  const out = spawnSync(process.execPath, ['--no-opt', '--trace-gc-nvp', '-e', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stderr, /steps done/);
  const survived: number[] = [];
  for (const line of out.stdout.split('\n')) {
    if (!/ gc=s /.test(line)) continue;
    const m = / new_space_survived=(\d+)/.exec(line);
    if (m) survived.push(Number(m[1]));
  }
  return survived;
}

test('young collections find only the current stop alive, not the kernels of earlier steps', () => {
  const survived = youngSurvivors(1500);
  // The first collections see the process start up (modules, the scenario, the first segments).
  const late = survived.slice(Math.floor(survived.length / 2));
  assert.ok(late.length >= 5, `young collections: ${survived.length}`);
  const mean = late.reduce((a, b) => a + b, 0) / late.length;
  // A kernel copy and its step's records are about 60 KB; the stop, its kernel, the recent
  // checkpoint and the run's index make about 0.1 MB. Kernels kept by earlier steps made 3 MB+.
  assert.ok(mean < 1 << 20, `young collections found ${Math.round(mean / 1024)} KB alive on average: ${late.map((x) => Math.round(x / 1024)).join(' ')} KB`);
});
