// The adapter works out `next` ahead of time while the learner reads a stop (Runtime.prepareNext).
// These tests check that nothing of that shows: a runtime that prepares before every request gives
// the stops, reasons, breakpoint ids, logpoint output and hook reports (frames, drops, trace lines)
// of one that never does, in the same order, and that a change made after preparing (breakpoints,
// exception filters, a knob) is honoured by the next `next`.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import type { Scenario } from '../../src/model/scenario/types';
import { Runtime, StopResult } from '../../src/model/engine/runtime';
import { RICH, BASE } from '../helpers/scenarios';

const SCENARIOS = path.join(__dirname, '..', '..', '..', 'test', 'scenarios');

/** A runtime with every hook logging into `log`. */
function watched(s: Scenario, log: string[]): Runtime {
  const rt = new Runtime(s);
  rt.hooks = {
    onFrame: (time, dev, dir, bytes, packet, index) => log.push(`frame ${index} ${time} ${dev} ${dir} ${packet} ${Buffer.from(bytes).toString('hex')}`),
    onDrop: (detail) => log.push(`drop ${JSON.stringify(detail)}`),
    onTrace: (line) => log.push(`trace ${line}`),
  };
  return rt;
}

/** What a client sees of a request's result. */
function seen(r: StopResult): string {
  const s = r.stop;
  return JSON.stringify({
    stop: s && { step: s.step, kind: s.kind, event: s.eventSeq, time: s.time, frames: s.frames.map((f) => `${f.call}:${f.fn}:${f.step}`), frameCount: s.frameCount, exception: s.exception?.kind },
    reason: r.reason,
    ids: r.hitBreakpointIds,
    output: r.output,
  });
}

type Op = 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue';

/** Drives a plain runtime and one that prepares ahead through the same requests, comparing all. */
function compare(name: string, s: Scenario, setup: (rt: Runtime) => void, ops: (i: number) => Op, limit = 400): number {
  const logA: string[] = [];
  const logB: string[] = [];
  const a = watched(s, logA);
  const b = watched(s, logB);
  setup(a);
  setup(b);
  let ra = a.start(true);
  let rb = b.start(true);
  let n = 0;
  for (; n < limit && ra.stop; n++) {
    assert.equal(seen(rb), seen(ra), `${name}: request ${n}`);
    assert.deepEqual(logB, logA, `${name}: hook reports up to request ${n}`);
    b.prepareNext();
    // Preparing reports nothing by itself.
    assert.deepEqual(logB, logA, `${name}: preparing after request ${n} reported something`);
    const op = ops(n);
    ra = a[op]();
    rb = b[op]();
  }
  assert.equal(seen(rb), seen(ra), `${name}: last request`);
  assert.deepEqual(logB, logA, `${name}: hook reports at the end`);
  return n;
}

const scenarioFiles = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.kpath')).sort();
const BATCHED = [BASE, 'at 0ms send udp to 192.0.2.2:9000 size 100 count 4 socket s1', 'at 1ms send udp to 192.0.2.2:9000 size 2000 count 3 every 0ms', ''].join('\n');
const all: [string, Scenario][] = [
  ...scenarioFiles.map((f) => [f, parseScenario(fs.readFileSync(path.join(SCENARIOS, f), 'utf8'), f)] as [string, Scenario]),
  ['rich', parseScenario(RICH, 'rich')],
  ['batched', parseScenario(BATCHED, 'batched')],
];

for (const [name, s] of all) {
  test(`${name}: next prepared ahead gives the stops and reports of next`, () => {
    // Mostly next, with a step into a call now and then so that next runs at every depth.
    const n = compare(name, s, () => {}, (i) => (i % 3 === 1 ? 'stepIn' : 'next'));
    assert.ok(n >= 5, `${name}: only ${n} requests`);
  });
}

test('with breakpoints, hit counts, logpoints and exception filters, a mix of requests gives the same stops', () => {
  const s = parseScenario(RICH, 'rich');
  const setup = (rt: Runtime): void => {
    rt.setFunctionBreakpoints([
      { id: 1, name: 'ip_finish_output2', hitCondition: '% 2' },
      { id: 2, name: 'ip_output', logMessage: 'ip_output len {skb->len}' },
      { id: 3, name: 'neigh_resolve_output', condition: 'skb->len > 50' },
    ]);
    rt.setExceptionFilters([{ kind: 'drop' }, { kind: 'icmp' }]);
  };
  const cycle: Op[] = ['next', 'next', 'stepIn', 'next', 'stepBack', 'next', 'stepOut', 'next', 'continue', 'next'];
  compare('rich with breakpoints', s, setup, (i) => cycle[i % cycle.length]);
});

test('a breakpoint set after preparing stops the next `next`', () => {
  const s = parseScenario([BASE, 'at 0ms send udp to 192.0.2.2:9000 size 100 count 2', ''].join('\n'), 'bp');
  const bp = [{ id: 7, name: 'ip_output' }];
  // Find a stop whose `next` steps over the call that leads to ip_output: with the breakpoint,
  // that `next` stops in ip_output; without it, somewhere else. There, prepare, set the
  // breakpoint, and step: the prepared answer (made without the breakpoint) must not be used.
  for (let i = 0; i < 200; i++) {
    const at = (): Runtime => {
      const rt = new Runtime(s);
      rt.start(true);
      for (let j = 0; j < i; j++) rt.next();
      return rt;
    };
    const without = at().next();
    const plain = at();
    plain.setFunctionBreakpoints(bp);
    const want = plain.next();
    if (want.reason !== 'function breakpoint') continue;
    assert.notEqual(seen(without), seen(want), 'the breakpoint changes where this next stops');
    const rt = at();
    rt.prepareNext();
    rt.setFunctionBreakpoints(bp);
    const got = rt.next();
    assert.equal(seen(got), seen(want));
    assert.equal(got.stop!.frames[0].fn, 'ip_output');
    assert.deepEqual(got.hitBreakpointIds, [7]);
    return;
  }
  assert.fail('no next in the run reached ip_output');
});

test('a knob changed after preparing holds in the next `next`', () => {
  const s = parseScenario([BASE, 'at 0ms send udp to 192.0.2.2:9000 size 1400 count 2 every 1ms', ''].join('\n'), 'knob');
  const plain = new Runtime(s);
  const rt = new Runtime(s);
  let rp = plain.start(true);
  let r = rt.start(true);
  // To the entry of ip_output, then lower the MTU there on both.
  rt.setFunctionBreakpoints([{ id: 1, name: 'ip_output' }]);
  plain.setFunctionBreakpoints([{ id: 1, name: 'ip_output' }]);
  r = rt.continue();
  rp = plain.continue();
  rt.prepareNext();
  rt.intervene((stop) => (stop.kernel.net.dev('eth0')!.mtu = 576));
  plain.intervene((stop) => (stop.kernel.net.dev('eth0')!.mtu = 576));
  for (let i = 0; i < 80 && rp.stop; i++) {
    r = rt.next();
    rp = plain.next();
    assert.equal(seen(r), seen(rp), `next ${i} after the knob`);
    // The step prepared before the change ran with the old MTU: its kernel must not be the stop's.
    if (r.stop) assert.equal(r.stop.kernel.net.dev('eth0')!.mtu, 576, `next ${i} after the knob sees the new MTU`);
    rt.prepareNext();
  }
  // The smaller MTU fragments the datagram: the run puts more frames on the wire.
  assert.ok(rt.frames(0, 0).total >= 2);
});

test('preparing twice, or after the end, changes nothing', () => {
  const s = parseScenario([BASE, 'at 0ms send udp to 192.0.2.2:9000 size 100', ''].join('\n'), 'twice');
  const rt = new Runtime(s);
  let r = rt.start(true);
  const at = r.stop!.step;
  rt.prepareNext();
  rt.prepareNext();
  assert.equal(rt.current!.step, at, 'preparing does not move the position');
  r = rt.next();
  assert.ok(r.stop && r.stop.step > at);
  while (r.stop) r = rt.continue();
  assert.equal(rt.ended, true);
  rt.prepareNext();
  assert.equal(rt.current, null);
  assert.equal(rt.ended, true);
});
