// The debugger's runtime re-executes the scenario for every stop, and skips the part of the run it
// already knows by running it with no watcher. These tests check that a stop reached that way is
// exactly the stop a full recorded run gives: same step, function, label, depth, event and time,
// forwards, backwards, with breakpoints, hit counts and knob changes.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import type { Scenario } from '../../src/model/scenario/types';
import { createKernel, runKernel } from '../../src/model/run';
import { Runtime, Stop } from '../../src/debugger/runtime';
import type { Watcher, ExceptionKind } from '../../src/model/kernel/watch';
import { RICH, BASE } from '../helpers/scenarios';

const SCENARIOS = path.join(__dirname, '..', '..', '..', 'test', 'scenarios');

interface Ref {
  step: number;
  kind: 'enter' | 'at' | 'leave' | 'exception';
  fn: string;
  label: string;
  depth: number;
  event: number;
  time: number;
  exception?: ExceptionKind;
}

/** Every step point of one plain recorded run, in order (what the runtime must agree with). */
function reference(s: Scenario, knob?: { step: number; apply: (k: ReturnType<typeof createKernel>) => void }): Ref[] {
  const out: Ref[] = [];
  const stack: string[] = [];
  let event = 0;
  let k: ReturnType<typeof createKernel> | null = null;
  const point = (kind: Ref['kind'], label: string, exception?: ExceptionKind) => {
    const step = out.length + 1;
    out.push({ step, kind, fn: stack[stack.length - 1] ?? '', label, depth: stack.length, event, time: k!.now, exception });
    if (knob && step === knob.step) knob.apply(k!);
  };
  const w: Watcher = {
    context: () => {
      event++;
      stack.length = 0;
    },
    enter: (fn) => {
      stack.push(fn);
      point('enter', 'enter');
    },
    at: (label) => point('at', label),
    note: () => {},
    leave: () => {
      point('leave', 'leave');
      stack.pop();
    },
    exception: (kind) => point('exception', 'exception', kind),
  };
  k = createKernel(s, { watcher: w });
  runKernel(k, s.run);
  return out;
}

function same(stop: Stop | null, r: Ref, what: string): void {
  assert.ok(stop, `${what}: expected a stop at step ${r.step}`);
  const top = stop.frames[0];
  assert.deepEqual(
    { step: stop.step, kind: stop.kind, fn: top?.fn ?? '', label: r.kind === 'exception' ? 'exception' : top?.step ?? '', depth: stop.frames.length, event: stop.eventSeq, time: stop.time },
    { step: r.step, kind: r.kind, fn: r.fn, label: r.label, depth: r.depth, event: r.event, time: r.time },
    what,
  );
}

const scenarioFiles = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.kpath')).sort();

function load(name: string): Scenario {
  return parseScenario(fs.readFileSync(path.join(SCENARIOS, name), 'utf8'), name);
}

const BATCHED = [BASE, 'at 0ms send udp to 192.0.2.2:9000 size 100 count 4 socket s1', 'at 1ms send udp to 192.0.2.2:9000 size 2000 count 3 every 0ms', ''].join('\n');

const extra: [string, string][] = [['rich', RICH], ['batched', BATCHED]];

/** The step back from `cur` as the reference defines it. */
function expectedBack(ref: Ref[], cur: Ref): number {
  for (let i = cur.step - 2; i >= 0; i--) {
    const s = ref[i];
    if (s.kind !== 'exception' && (s.event !== cur.event || s.depth <= cur.depth)) return s.step;
  }
  return 1;
}

for (const [name, s] of [...scenarioFiles.map((f) => [f, load(f)] as const), ...extra.map(([n, t]) => [n, parseScenario(t, n)] as const)]) {
  test(`${name}: stepping in and back through the whole run matches a plain recorded run`, () => {
    const ref = reference(s);
    const nextAfter = (step: number): Ref | undefined => ref.slice(step).find((x) => x.kind !== 'exception');
    const rt = new Runtime(s);
    let r = rt.start(true);
    same(r.stop, ref[0], 'entry');
    // Every step of the run (bounded for long runs), with a step back and forth now and then.
    for (let n = 1; n < 1500; n++) {
      const prev = r.stop!.step;
      r = rt.stepIn();
      const want = nextAfter(prev);
      if (!want) {
        assert.equal(r.stop, null, `the run ends after step ${prev}`);
        break;
      }
      same(r.stop, want, `stepIn from ${prev}`);
      if (n % 7 === 3) {
        const cur = r.stop!.step;
        r = rt.stepBack();
        const back = expectedBack(ref, ref[cur - 1]);
        same(r.stop, ref[back - 1], `stepBack from ${cur}`);
      }
    }
  });
}

test('reverse continue visits the breakpoint hits of a forward run in reverse order, with conditions and hit counts', () => {
  const s = parseScenario([BASE, 'at 0ms send udp to 192.0.2.2:9000 size 3000 count 6 every 1ms', 'at 2500us send udp to 192.0.2.2:9000 size 100 count 4', ''].join('\n'), 'rc');
  const cases: { fn: string; condition?: string; hitCondition?: string }[] = [
    { fn: 'ip_finish_output2' },
    { fn: 'ip_finish_output2', condition: 'skb->len > 1000' },
    { fn: 'ip_finish_output2', hitCondition: '% 3' },
    { fn: '__ip_local_out', hitCondition: '>= 4' },
  ];
  for (const c of cases) {
    const rt = new Runtime(s);
    rt.setFunctionBreakpoints([{ id: 1, name: c.fn, condition: c.condition, hitCondition: c.hitCondition }]);
    const hits: number[] = [];
    let r = rt.start(false);
    while (r.stop) {
      hits.push(r.stop.step);
      r = rt.continue();
    }
    assert.ok(hits.length >= 3, `${JSON.stringify(c)}: forward hits ${hits}`);
    // Back to the last hit, then reverse through the others.
    const rt2 = new Runtime(s);
    rt2.setFunctionBreakpoints([{ id: 1, name: c.fn, condition: c.condition, hitCondition: c.hitCondition }]);
    r = rt2.start(false);
    while (r.stop && r.stop.step !== hits[hits.length - 1]) r = rt2.continue();
    const back: number[] = [r.stop!.step];
    for (;;) {
      r = rt2.reverseContinue();
      if (!r.stop || r.reason === 'entry') break;
      back.push(r.stop.step);
    }
    assert.deepEqual(back, hits.slice().reverse(), JSON.stringify(c));
  }
});

test('reverse continue after the breakpoints change finds the new breakpoints\' hits, not the hits it found before', () => {
  // Small datagrams and datagrams that fragment, interleaved: a breakpoint on ip_finish_output2
  // hits every packet, one on ip_fragment only the large ones.
  const s = parseScenario([BASE, 'at 0ms send udp to 192.0.2.2:9000 size 100 count 12 every 1ms', 'at 500us send udp to 192.0.2.2:9000 size 3000 count 12 every 1ms', ''].join('\n'), 'rc-change');
  const sets: Record<string, { id: number; name: string; condition?: string }[]> = {
    every: [{ id: 1, name: 'ip_finish_output2' }],
    large: [{ id: 2, name: 'ip_fragment' }],
    late: [{ id: 3, name: 'ip_finish_output2', condition: 'now >= 6000000' }],
  };
  const forward: Record<string, number[]> = {};
  for (const [name, bps] of Object.entries(sets)) {
    const rt = new Runtime(s);
    rt.setFunctionBreakpoints(bps);
    forward[name] = [];
    for (let r = rt.start(false); r.stop; r = rt.continue()) forward[name].push(r.stop.step);
  }
  const rt = new Runtime(s);
  rt.setFunctionBreakpoints(sets.every);
  let r = rt.start(false);
  while (r.stop && r.stop.step !== forward.every[forward.every.length - 1]) r = rt.continue();
  // Each reverse continue lands on the last hit before the stop of the breakpoints set now.
  const order = ['every', 'every', 'large', 'every', 'late', 'large', 'large', 'every', 'late', 'every', 'large', 'every'];
  for (const name of order) {
    rt.setFunctionBreakpoints(sets[name]);
    const at = r.stop!.step;
    r = rt.reverseContinue();
    const want = forward[name].filter((x) => x < at).pop();
    if (want === undefined) {
      assert.equal(r.reason, 'entry', `${name} from ${at}`);
      break;
    }
    assert.equal(r.stop!.step, want, `${name} from ${at}`);
    assert.deepEqual(r.hitBreakpointIds, [sets[name][0].id], `${name} from ${at}`);
  }
});

test('a knob changed at a stop holds in every later re-execution, before and after the history was built', () => {
  const text = [BASE, 'at 0ms send udp to 192.0.2.2:9000 size 1400 count 4 every 1ms', ''].join('\n');
  const s = parseScenario(text, 'knob');
  const plain = reference(s);
  // Stop at the entry of the second udp_sendmsg and lower the MTU there.
  const at = plain.filter((x) => x.fn === 'udp_sendmsg' && x.kind === 'enter')[1].step;
  const ref = reference(s, { step: at, apply: (k) => (k.net.dev('eth0')!.mtu = 576) });
  assert.ok(ref.length > plain.length, 'the smaller MTU makes fragments, so more step points');
  const rt = new Runtime(s);
  // Build the history of the whole run first, so that the knob has to invalidate it.
  let r = rt.start(false);
  assert.equal(r.stop, null);
  r = rt.restart(true);
  while (r.stop && r.stop.step < at) r = rt.stepIn();
  same(r.stop, plain[at - 1], 'at the knob');
  rt.intervene((stop) => (stop.kernel.net.dev('eth0')!.mtu = 576));
  for (let i = 0; i < 60; i++) {
    r = rt.next();
    if (!r.stop) break;
    same(r.stop, ref[r.stop.step - 1], `next after the knob (${r.stop.step})`);
  }
  r = rt.stepBack();
  same(r.stop, ref[r.stop!.step - 1], 'step back after the knob');
  // From the start again: the knob is applied at its step, the rest follows it.
  r = rt.restart(true);
  const steps = [at + 5, ref.length - 3, at - 2];
  for (const n of steps) {
    const rt2 = rt;
    while (r.stop && r.stop.step < n) r = rt2.next();
    if (r.stop && r.stop.step > n) {
      while (r.stop && r.stop.step > n) r = rt2.stepBack();
    }
    assert.ok(r.stop);
    same(r.stop, ref[r.stop.step - 1], `restart, then to ${n}`);
  }
});

test('the history costs a few bytes per step and covers the run', () => {
  const s = parseScenario([BASE, 'at 0ms send udp to 192.0.2.2:9000 size 100 count 2000 every 10us socket s1', ''].join('\n'), 'long');
  const rt = new Runtime(s);
  const r = rt.start(false);
  assert.equal(r.stop, null);
  const h = rt.historyStats();
  assert.ok(h.segments >= 2000, `segments ${h.segments}`);
  assert.ok(h.steps > 50000, `steps ${h.steps}`);
  assert.ok(h.bytes / h.steps < 4, `${h.bytes} bytes for ${h.steps} steps`);
});

test('checkpoints: stops deep in a long run, forwards and backwards, are the stops of a plain run', () => {
  // Unnamed sockets make the kernel grow as the run goes on (a socket per call), so the copies do too.
  const s = parseScenario([BASE, 'at 0ms send udp to 192.0.2.2:9000 size 100 count 600 every 10us', 'at 3ms send udp to 192.0.2.2:9000 size 2000 count 200 every 10us socket s1', ''].join('\n'), 'deep');
  const ref = reference(s);
  const rt = new Runtime(s);
  rt.setFunctionBreakpoints([{ id: 1, name: 'ip_finish_output2', condition: 'skb->len > 1000' }]);
  let r = rt.start(false);
  const hits: number[] = [];
  while (r.stop) {
    same(r.stop, ref[r.stop.step - 1], `continue to ${r.stop.step}`);
    hits.push(r.stop.step);
    r = rt.continue();
  }
  const h = rt.historyStats();
  assert.ok(h.checkpoints >= 10, `checkpoints ${h.checkpoints} over ${h.steps} steps`);
  assert.ok(h.checkpointObjects > 0);
  // Back through the last hits, then steps around each.
  r = rt.restart(false);
  while (r.stop && r.stop.step !== hits[hits.length - 1]) r = rt.continue();
  for (let i = hits.length - 2; i >= hits.length - 20; i--) {
    r = rt.reverseContinue();
    same(r.stop, ref[hits[i] - 1], `reverseContinue to ${hits[i]}`);
    const at = r.stop!.step;
    r = rt.next();
    same(r.stop, ref[r.stop!.step - 1], `next from ${at}`);
    r = rt.stepBack();
    same(r.stop, ref[at - 1], `stepBack to ${at}`);
  }
});

test('checkpoints: a knob changed deep in a run discards the checkpoints after it and holds', () => {
  const text = [BASE, 'at 0ms send udp to 192.0.2.2:9000 size 1400 count 60 every 1ms socket s1', ''].join('\n');
  const s = parseScenario(text, 'knob-deep');
  const plain = reference(s);
  const at = plain.filter((x) => x.fn === 'udp_sendmsg' && x.kind === 'enter')[30].step;
  const ref = reference(s, { step: at, apply: (k) => (k.net.dev('eth0')!.mtu = 576) });
  const rt = new Runtime(s);
  let r = rt.start(false);
  assert.equal(r.stop, null);
  const before = rt.historyStats().checkpoints;
  assert.ok(before >= 3, `checkpoints ${before}`);
  rt.setFunctionBreakpoints([{ id: 1, name: 'udp_sendmsg', hitCondition: '== 31' }]);
  r = rt.restart(false);
  same(r.stop, plain[at - 1], 'at the knob');
  rt.setFunctionBreakpoints([]);
  rt.intervene((stop) => (stop.kernel.net.dev('eth0')!.mtu = 576));
  assert.ok(rt.historyStats().checkpoints < before, 'the checkpoints after the knob are gone');
  // To the end (new checkpoints are taken with the knob), then back and forth from the start.
  while (r.stop) r = rt.next();
  assert.ok(rt.historyStats().checkpoints >= before - 1);
  r = rt.restart(true);
  for (const n of [at + 300, ref.length - 5, at + 3, at - 10]) {
    while (r.stop && r.stop.step < n) r = rt.next();
    while (r.stop && r.stop.step > n) r = rt.stepBack();
    assert.ok(r.stop);
    same(r.stop, ref[r.stop.step - 1], `to ${n}`);
  }
});
