// The adapter's own events through a real DAP client over stdio: kpath/frame for every frame put
// on the wire (with its bytes and decoding), kpath/drop for every dropped packet, kpath/position
// with each stop, and the trace as output events when the launch asks for it.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, DEFAULT_SCENARIO, FIXTURES } from '../helpers/dap';

let s: DapSession;
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

interface FrameBody {
  time: number;
  dev: string;
  dir: 'tx' | 'rx';
  len: number;
  hex: string;
  src: string;
  dst: string;
  protocol: string;
  info: string;
  decoded: { eth?: { type: number }; arp?: { op: number; tpa: string }; ipv4?: unknown };
  packet: number;
}

function outputs(since = 0): string[] {
  return s.eventsOf('output', since).map((e) => (e as DebugProtocol.OutputEvent).body.output);
}

describe('kpath/frame', () => {
  it('one event per frame on the wire: ARP request and reply, the datagram, three fragments', async () => {
    assert.equal(await s.launch({ scenario: DEFAULT_SCENARIO }), null);
    const frames = s.eventsOf('kpath/frame').map((e) => e.body as FrameBody);
    assert.deepEqual(frames.map((f) => `${f.dir} ${f.protocol} ${f.len}`), ['tx ARP 42', 'rx ARP 42', 'tx UDP 142', 'tx IPv4 1514', 'tx IPv4 1514', 'tx IPv4 82']);
    for (const f of frames) {
      assert.equal(f.dev, 'eth0');
      assert.equal(f.hex.length, 2 * f.len, 'hex holds every byte');
      assert.match(f.hex, /^[0-9a-f]+$/);
      assert.equal(typeof f.time, 'number');
      assert.ok(f.decoded && typeof f.decoded === 'object', 'decoded');
    }
    assert.ok(frames[0].hex.startsWith('ffffffffffff020000000001'), 'broadcast from 02:00:00:00:00:01');
    assert.equal(frames[0].decoded.arp?.op, 1);
    assert.equal(frames[0].decoded.arp?.tpa, '192.0.2.2');
    assert.equal(frames[1].decoded.arp?.op, 2);
    assert.deepEqual(frames.map((f) => f.time), [0, 0, 0, 10e6, 10e6, 10e6], 'virtual time in ns');
    assert.match(frames[3].info, /off=0/);
    assert.match(frames[5].info, /off=2960/);
  });

  it('a stepped session emits each frame once, as the run passes it', async () => {
    let st = await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] });
    });
    const counts: number[] = [];
    while (st) {
      counts.push(s.eventsOf('kpath/frame').length);
      st = await s.exec('next');
      st = st && (await s.exec('continue'));
    }
    assert.deepEqual(counts, [0, 3, 4, 5], 'frames so far at each ip_finish_output2');
    assert.equal(s.eventsOf('kpath/frame').length, 6);
  });
});

describe('kpath/drop', () => {
  it('the datagram queued for a silent peer is dropped with NEIGH_FAILED', async () => {
    assert.equal(await s.launch({ scenario: path.join(FIXTURES, 'silent-peer.kpath') }), null);
    const drops = s.eventsOf('kpath/drop').map((e) => e.body);
    assert.equal(drops.length, 1);
    assert.equal(drops[0].reason, 'NEIGH_FAILED');
    assert.equal(drops[0].function, 'arp_error_report');
    assert.equal(drops[0].len, 128);
  });

  it('a netfilter drop names NETFILTER_DROP', async () => {
    assert.equal(await s.launch({ scenario: path.join(FIXTURES, 'nft-drop.kpath') }), null);
    assert.deepEqual(s.eventsOf('kpath/drop').map((e) => e.body.reason), ['NETFILTER_DROP']);
  });

  it('no drops in the default scenario', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO });
    assert.equal(s.eventsOf('kpath/drop').length, 0);
  });
});

describe('kpath/position', () => {
  it('comes with every stop, before the stopped event, with the step, time and context', async () => {
    let st = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    const steps: number[] = [];
    for (let i = 0; i < 5 && st; i++) {
      const stoppedAt = s.events.lastIndexOf(st);
      const pos = s.events.slice(0, stoppedAt).filter((e) => e.event === 'kpath/position').pop();
      assert.ok(pos, 'a kpath/position before the stopped event');
      assert.equal(s.events.slice(s.events.indexOf(pos) + 1, stoppedAt).filter((e) => e.event === 'stopped').length, 0, 'it belongs to this stop');
      assert.equal(pos.body.context, 'task');
      assert.equal(pos.body.time, 0);
      assert.match(pos.body.event, /send/);
      steps.push(pos.body.step);
      st = await s.exec('stepIn');
    }
    assert.deepEqual(steps, [1, 2, 3, 4, 5]);
  });
});

describe('trace output', () => {
  it('launch with trace: true sends one output line per function entered', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, trace: true });
    const lines = outputs().join('').split('\n').filter(Boolean);
    assert.ok(lines.some((l) => /\budp_sendmsg\b/.test(l)), 'udp_sendmsg');
    assert.equal(lines.filter((l) => /\bip_finish_output2 len \d+/.test(l)).length, 4, 'four packets through ip_finish_output2');
    assert.ok(lines.some((l) => /ip_fragment len 3028/.test(l)));
    // The ARP reply comes without delay: received in the task, under do_softirq, deeper than it.
    const depth = (re: RegExp): number => /^(\S+ \S+ (?:#\d+ )?)(\s*)/.exec(lines.find((l) => re.test(l)) ?? '')?.[2].length ?? -1;
    assert.ok(depth(/\bdo_softirq\b/) >= 0 && depth(/\barp_process\b/) > depth(/\bdo_softirq\b/), 'the ARP reply, received at a local_bh_enable');
    for (const e of s.eventsOf('output')) assert.equal((e as DebugProtocol.OutputEvent).body.category, 'console');
  });

  it('without trace there are no trace lines', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO });
    assert.ok(!outputs().some((o) => /ip_finish_output2/.test(o)), outputs().join(''));
  });

  it('while stepping, the trace covers only what ran since the last stop', async () => {
    let st = await s.launch({ scenario: DEFAULT_SCENARIO, trace: true }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] });
    });
    assert.ok(st);
    const first = outputs().join('');
    assert.equal((first.match(/ip_finish_output2/g) ?? []).length, 1);
    const since = s.mark();
    st = await s.exec('continue');
    const second = outputs(since).join('');
    assert.ok(!/udp_sendmsg.*len 128|ip_route_output_flow[^\n]*\n[^\n]*ip_make_skb[^\n]*len 100/.test(second), 'the first datagram is not traced again');
    assert.equal((second.match(/ip_finish_output2/g) ?? []).length, 1, second);
    assert.ok(/ip_fragment len 3028/.test(second));
  });
});

describe('progress of long runs', () => {
  // 140,000 socket calls: two progress reports (one every 65,536 calls) before the end.
  function longScenario(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-progress-'));
    const file = path.join(dir, 'long.kpath');
    fs.writeFileSync(file, [
      'link add eth0 mtu 1500 address 02:00:00:00:00:01',
      'addr add 192.0.2.1/24 dev eth0',
      'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
      'at 0ms send udp to 192.0.2.2:9000 size 100 count 140000 every 1us socket s1',
      '',
    ].join('\n'));
    return file;
  }

  it('a client that shows progress gets progressStart, progressUpdate and progressEnd', async () => {
    s.clientArgs = { supportsProgressReporting: true };
    const file = longScenario();
    try {
      assert.equal(await s.launch({ scenario: file }), null);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    const kinds = s.events.map((e) => e.event).filter((e) => e.startsWith('progress') || e === 'terminated');
    assert.deepEqual(kinds, ['progressStart', 'progressUpdate', 'progressEnd', 'terminated']);
    const start = s.eventsOf('progressStart')[0] as DebugProtocol.ProgressStartEvent;
    const update = s.eventsOf('progressUpdate')[0] as DebugProtocol.ProgressUpdateEvent;
    const end = s.eventsOf('progressEnd')[0] as DebugProtocol.ProgressEndEvent;
    assert.equal(start.body.title, 'kpath: running the scenario');
    assert.equal(start.body.message, '65,536 of 140,000 socket calls');
    assert.equal(start.body.percentage, 46);
    assert.equal(update.body.message, '131,072 of 140,000 socket calls');
    assert.equal(update.body.percentage, 93);
    assert.equal(update.body.progressId, start.body.progressId);
    assert.equal(end.body.progressId, start.body.progressId);

    // 140,002 frames: the first 1,000 as events, the rest announced and fetched on request.
    const frames = s.eventsOf('kpath/frame').map((e) => e.body as FrameBody & { index: number });
    assert.equal(frames.length, 1000);
    assert.deepEqual(frames.slice(0, 3).map((f) => f.index), [0, 1, 2]);
    const omitted = s.eventsOf('kpath/framesOmitted');
    assert.equal(omitted.length, 1);
    assert.deepEqual(omitted[0].body, { count: 139002, first: 1000, frameCount: 140002 });
    const page = await s.dc.customRequest('kpath/frames', { start: 139990, count: 20 });
    assert.equal(page.body.total, 140002);
    assert.deepEqual(page.body.frames.map((f: { index: number }) => f.index), [139990, 139991, 139992, 139993, 139994, 139995, 139996, 139997, 139998, 139999, 140000, 140001]);
    assert.equal(page.body.frames[11].protocol, 'UDP');
    const first = await s.dc.customRequest('kpath/frames', { start: 0, count: 2 });
    const { layers, ...event } = frames[0] as FrameBody & { layers?: unknown };
    assert.ok(Array.isArray(layers), 'the event carries the frame\'s layers');
    assert.deepEqual(first.body.frames[0], event, 'a fetched frame is the frame the event carried');
  });

  it('a client that does not show progress gets none', async () => {
    const file = longScenario();
    try {
      assert.equal(await s.launch({ scenario: file }), null);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    assert.deepEqual(s.events.filter((e) => e.event.startsWith('progress')), []);
    for (const bad of [{ start: -1 }, { start: 1.5 }, { count: 1001 }, { start: 'x' }]) {
      await assert.rejects(s.dc.customRequest('kpath/frames', bad), /kpath\/frames: (start|count) must be/);
    }
  });
});
