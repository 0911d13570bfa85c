// The kernel's trace as tracefs wrote it during real captures (test/capture/traces/NAME.txt, kept
// with `kpath capture --trace`, beside the result.json of that capture): its lines parsed, and the
// host namespace's events picked out of it as the capture did.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTrace, parseFields, hostEvents, type RawTraceEvent, type Whose } from '../../src/capture/trace-events';
import type { CaptureDoc } from '../../src/capture/capture-doc';

const DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'capture', 'traces');

/** Each recorded trace: the capture's device prefix and its socket helper's process id (from the trace's lines). */
const TRACES: Record<string, { prefix: string; pid: number }> = {
  's11-02-udp-3000-unknown-neighbour': { prefix: 'koyj_0_', pid: 32412 },
  's11-11-resolution-failure': { prefix: 'kwp_0_', pid: 1388 },
  's13-d-peer-absent': { prefix: 'k482_0_', pid: 5610 },
};

function load(name: string): { text: string; doc: CaptureDoc } {
  return {
    text: fs.readFileSync(path.join(DIR, `${name}.txt`), 'utf8'),
    doc: JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as CaptureDoc,
  };
}

function whose(name: string, raw: RawTraceEvent[], doc: CaptureDoc): Whose {
  const { prefix, pid } = TRACES[name];
  // Time 0 from the first event the capture kept (the helper's CLOCK_MONOTONIC is not in result.json).
  const first = raw.find((e) => e.event === doc.events![0].event && parseFields(e)?.dev === `${prefix}h0`)!;
  return {
    host: { [`${prefix}h0`]: 'veth0', [`${prefix}lo`]: 'lo' }, peers: [`${prefix}p0`], ifindex: {}, pids: [pid],
    zero: first.ts - doc.events![0].time, end: doc.endTime, lo: `${prefix}lo`,
  };
}

describe('the kernel trace parser (trace-events.ts) on recorded traces', () => {
  it('reads every event line of a trace, and skips comments', () => {
    const { text } = load('s11-11-resolution-failure');
    const raw = parseTrace(text);
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(raw.length, lines.length);
    assert.deepEqual(raw[0], {
      ts: raw[0].ts, cpu: 1, pid: 1388, irq: false, event: 'neigh_create',
      text: raw[0].text,
    });
    assert.equal(raw[0].ts % 1000, 0, 'the trace prints microseconds');
    assert.match(raw[0].text, /^family 2 dev kwp_0_h0 /);
    // A timer runs in softirq context, in whatever task was interrupted.
    const timer = raw.find((e) => e.event === 'neigh_timer_handler')!;
    assert.equal(timer.irq, true);
    assert.notEqual(timer.pid, 1388);
  });

  it('reads the fields of each tracepoint', () => {
    const raw = parseTrace(load('s11-02-udp-3000-unknown-neighbour').text);
    const update = parseFields(raw.find((e) => e.event === 'neigh_update' && e.text.includes('koyj_0_h0'))!)!;
    assert.deepEqual(update, { dev: 'koyj_0_h0', event: { event: 'neigh_update', neigh: '10.0.0.2', state: 'INCOMPLETE', new: 'REACHABLE', lladdr: update.event.lladdr } });
    assert.match(update.event.lladdr!, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const done = parseFields(raw.find((e) => e.event === 'neigh_update_done' && e.text.includes('koyj_0_h0'))!)!;
    assert.equal(done.event.state, 'REACHABLE');
    assert.equal(done.event.rc, 0);
    const xmit = parseFields(raw.find((e) => e.event === 'net_dev_xmit' && e.text.includes('len=82'))!)!;
    assert.equal(xmit.dev, 'koyj_0_h0');
    assert.deepEqual(xmit.event, { event: 'net_dev_xmit', len: 82, rc: 0 });
    const drop = parseFields(raw.find((e) => e.event === 'kfree_skb' && e.text.includes('NO_SOCKET'))!)!;
    assert.deepEqual(drop.event, { event: 'kfree_skb', reason: 'NO_SOCKET', function: '__udp4_lib_rcv' });
  });

  it('a line it cannot read is skipped, not misread', () => {
    assert.deepEqual(parseTrace('garbage\n  foo-1 [000] ..... 12.000001: \n'), []);
    assert.equal(parseFields({ ts: 0, cpu: 0, pid: 1, irq: false, event: 'sched_switch', text: 'prev_comm=x' }), undefined);
  });

  for (const name of Object.keys(TRACES)) {
    it(`${name}: picks out the host namespace's events as the capture recorded them`, () => {
      const { text, doc } = load(name);
      const raw = parseTrace(text);
      const got = hostEvents(raw, whose(name, raw, doc));
      assert.deepEqual(got.events, doc.events);
      assert.deepEqual(got.setAside, doc.eventInfo!.setAside);
    });
  }

  it("a peer's reassembled datagram is the peer's: its head by the packet's last device, its frag_list parts with it", () => {
    const name = 's11-02-udp-3000-unknown-neighbour';
    const { text, doc } = load(name);
    const raw = parseTrace(text);
    const got = hostEvents(raw, whose(name, raw, doc));
    assert.equal(got.events.filter((e) => e.event === 'kfree_skb').length, 0);
    assert.equal(got.setAside["kfree_skb of the peers' namespaces"], 3);
    // One of the parts was freed at an address the peer's ARP reply had used just before.
    const drops = raw.filter((e) => e.event === 'kfree_skb').map((e) => parseFields(e)!);
    assert.deepEqual(drops.map((d) => d.event.function), ['__udp4_lib_rcv', 'skb_release_data', 'skb_release_data']);
  });

  it("other namespaces' drops are set aside; the host's NEIGH_FAILED drop in a timer is kept", () => {
    const name = 's13-d-peer-absent';
    const { text, doc } = load(name);
    const raw = parseTrace(text);
    const got = hostEvents(raw, whose(name, raw, doc));
    assert.ok(got.setAside['kfree_skb of other namespaces'] > 0);
    // Three datagrams were queued when the entry failed (the result's ICMP errors and EHOSTUNREACH).
    assert.deepEqual(got.events.filter((e) => e.event === 'kfree_skb').map((e) => e.reason), ['NEIGH_FAILED', 'NEIGH_FAILED', 'NEIGH_FAILED']);
  });

  it("another namespace's neighbour timer dropping its queue just before the host's, in the same softirq, is that namespace's", () => {
    // Captures running at once: timers that expire in the same tick run one after the other on one
    // CPU. The other capture's neigh_timer_handler is in the trace (that tracepoint is not filtered
    // by device), and it closes the other capture's drop before the host's timer runs.
    const name = 's11-11-resolution-failure';
    const { text, doc } = load(name);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('reason: NEIGH_FAILED'));
    const other = [
      '            node-1380    [001] .Ns.. 12967.560060: kfree_skb: skbaddr=00000000deadbeef rx_sk=0000000000000000 protocol=2048 location=neigh_invalidate+0x7e/0x140 reason: NEIGH_FAILED',
      '            node-1380    [001] .Ns.. 12967.560066: neigh_timer_handler: family 2 dev kzz_0_h0 lladdr 000000000000 flags 00 nud_state failed type 01 dead 0 refcnt 2 primary_key4 10.9.0.2 primary_key6 ::ffff:10.9.0.2 confirmed 4298118357 updated 4298134120 used 4298133357 err 0',
    ];
    const raw = parseTrace([...lines.slice(0, at), ...other, ...lines.slice(at)].join('\n'));
    const got = hostEvents(raw, whose(name, raw, doc));
    const drops = got.events.filter((e) => e.event === 'kfree_skb');
    assert.deepEqual(drops.map((e) => e.skb), ['0000000022f1dbac']);
    assert.equal(got.setAside['kfree_skb of other namespaces'], 1);
    assert.equal(got.setAside['neigh_timer_handler of other namespaces'], 1);
  });

  it('devices are named by the scenario, times are after time 0, later events are left out', () => {
    const name = 's11-11-resolution-failure';
    const { text, doc } = load(name);
    const raw = parseTrace(text);
    const w = whose(name, raw, doc);
    const all = hostEvents(raw, w).events;
    assert.deepEqual([...new Set(all.map((e) => e.dev).filter(Boolean))].sort(), ['lo', 'veth0']);
    assert.ok(all.every((e) => e.time >= 0));
    const cut = hostEvents(raw, { ...w, end: 2_500_000_000 });
    assert.ok(cut.events.length < all.length);
    assert.ok(cut.setAside['after the end of the run'] > 0);
  });
});
