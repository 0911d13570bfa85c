// compareEvents() on hand-made event lists: neighbour transitions, neigh_update fields, timer
// phases within the wheel's granularity, drop reasons in order, devices' transmit sequences.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareEvents, neighTransitions } from '../../src/capture/compare-events';
import { compare, type CmpSide } from '../../src/capture/compare';
import type { KernelEvent } from '../../src/model/result';

const MS = 1_000_000;
const N = { dev: 'veth0', neigh: '192.0.2.2' };

/** An unresolved neighbour: created, one request, two retransmits by its timer, FAILED, its packet dropped. */
function failing(t0: number, retrans: number[], reason = 'NEIGH_FAILED'): KernelEvent[] {
  const ev: KernelEvent[] = [
    { time: t0, event: 'neigh_create', ...N, created: true },
    { time: t0, event: 'net_dev_queue', dev: 'veth0', len: 42 },
    { time: t0, event: 'net_dev_xmit', dev: 'veth0', len: 42, rc: 0 },
    { time: t0, event: 'neigh_event_send_done', ...N, state: 'INCOMPLETE', rc: 1 },
  ];
  let t = t0;
  retrans.forEach((d, i) => {
    t += d;
    const last = i === retrans.length - 1;
    if (!last) ev.push({ time: t, event: 'net_dev_queue', dev: 'veth0', len: 42 }, { time: t, event: 'net_dev_xmit', dev: 'veth0', len: 42, rc: 0 });
    else ev.push({ time: t, event: 'kfree_skb', reason, function: 'neigh_invalidate' });
    ev.push({ time: t, event: 'neigh_timer_handler', ...N, state: last ? 'FAILED' : 'INCOMPLETE' });
  });
  return ev;
}

describe('compareEvents', () => {
  it('neighTransitions collapses repeats and starts at NONE', () => {
    assert.deepEqual(neighTransitions(failing(0, [1000 * MS, 1024 * MS, 1024 * MS])).map((t) => t.state), ['NONE', 'INCOMPLETE', 'FAILED']);
  });

  it('agrees when the kernel fires the same events with its timer phases', () => {
    const model = failing(0, [1004 * MS, 1024 * MS, 1024 * MS]);
    const kernel = failing(40_000, [1013 * MS, 1024 * MS, 1024 * MS]);
    assert.deepEqual(compareEvents(model, kernel), []);
  });

  it('a timer outside the wheel granularity differs, with the rule applied', () => {
    const model = failing(0, [1004 * MS, 1024 * MS, 1024 * MS]);
    const kernel = failing(0, [1004 * MS, 1200 * MS, 1024 * MS]);
    const d = compareEvents(model, kernel);
    assert.equal(d.length, 1);
    assert.equal(d[0].field, 'neigh_timer_handler.time');
    assert.match(d[0].where, /timer 2/);
    assert.match(d[0].rule!, /granularity/);
  });

  it('a timer that finds the entry REACHABLE is not timed (reachable_time is random)', () => {
    const base: KernelEvent[] = [{ time: 0, event: 'neigh_update', ...N, state: 'INCOMPLETE', new: 'REACHABLE', lladdr: '02:00:00:00:00:02' }, { time: 0, event: 'neigh_update_done', ...N, state: 'REACHABLE', rc: 0 }];
    const model = [...base, { time: 20_000 * MS, event: 'neigh_timer_handler', ...N, state: 'STALE' }];
    const kernel = [...base, { time: 37_000 * MS, event: 'neigh_timer_handler', ...N, state: 'STALE' }];
    assert.deepEqual(compareEvents(model, kernel), []);
  });

  it('different transitions and neigh_update fields differ', () => {
    const model: KernelEvent[] = [{ time: 0, event: 'neigh_update', ...N, state: 'STALE', new: 'REACHABLE', lladdr: '02:00:00:00:00:02' }, { time: 0, event: 'neigh_update_done', ...N, state: 'REACHABLE', rc: 0 }];
    const kernel: KernelEvent[] = [{ time: 0, event: 'neigh_update', ...N, state: 'STALE', new: 'STALE', lladdr: '02:00:00:00:00:02' }, { time: 0, event: 'neigh_update_done', ...N, state: 'STALE', rc: 0 }];
    const d = compareEvents(model, kernel);
    assert.deepEqual(d.map((x) => x.field).sort(), ['neigh.transitions', 'neigh_update']);
    assert.equal(d.find((x) => x.field === 'neigh.transitions')!.model, 'STALE -> REACHABLE');
    assert.equal(d.find((x) => x.field === 'neigh.transitions')!.kernel, 'STALE');
  });

  it('an entry only one side has differs', () => {
    const model: KernelEvent[] = [{ time: 0, event: 'neigh_create', dev: 'lo', neigh: '0.0.0.0', created: true }];
    const kernel: KernelEvent[] = [{ time: 0, event: 'neigh_create', dev: 'lo', neigh: '192.0.2.1', created: true }];
    const d = compareEvents(model, kernel);
    assert.deepEqual(d.map((x) => `${x.where}: ${x.model} / ${x.kernel}`), [
      'neighbour 0.0.0.0 dev lo: NONE / (no events)',
      'neighbour 192.0.2.1 dev lo: (no events) / NONE',
    ]);
  });

  it('drop reasons are compared in order; the function is not', () => {
    const model = failing(0, [1000 * MS, 1024 * MS, 1024 * MS], 'NEIGH_FAILED').map((e) => (e.event === 'kfree_skb' ? { ...e, function: 'arp_error_report' } : e));
    assert.deepEqual(compareEvents(model, failing(0, [1000 * MS, 1024 * MS, 1024 * MS])), []);
    const d = compareEvents(model, failing(0, [1000 * MS, 1024 * MS, 1024 * MS], 'NEIGH_QUEUEFULL'));
    assert.equal(d.length, 1);
    assert.equal(d[0].field, 'kfree_skb.reason');
    assert.match(d[0].model, /^NEIGH_FAILED/);
    assert.match(d[0].kernel, /^NEIGH_QUEUEFULL/);
  });

  it('a missing or extra drop differs', () => {
    const d = compareEvents([], [{ time: 5, event: 'kfree_skb', reason: 'NO_SOCKET', function: '__udp4_lib_rcv' }]);
    assert.equal(d.length, 1);
    assert.equal(d[0].model, '(none)');
  });

  it("each device's transmit sequence: lengths and return codes", () => {
    const tx = (len: number, rc = 0): KernelEvent[] => [{ time: 0, event: 'net_dev_queue', dev: 'veth0', len }, { time: 0, event: 'net_dev_xmit', dev: 'veth0', len, rc }];
    assert.deepEqual(compareEvents([...tx(1514), ...tx(82)], [...tx(1514), ...tx(82)]), []);
    const d = compareEvents([...tx(1514), ...tx(82)], [...tx(1514), ...tx(82, -105)]);
    assert.deepEqual(d.map((x) => `${x.where}: ${x.model} / ${x.kernel}`), ['device veth0, event 4: net_dev_xmit len 82 rc 0 / net_dev_xmit len 82 rc -105']);
  });

  it('many transmit differences on a device are summed up after the first four', () => {
    const tx = (n: number, len: number): KernelEvent[] => Array.from({ length: n }, () => ({ time: 0, event: 'net_dev_xmit', dev: 'lo', len, rc: 0 }));
    const d = compareEvents(tx(2, 590), tx(10, 590));
    assert.equal(d.length, 5);
    assert.match(d[4].rule!, /4 more differences/);
  });

  it('a tracepoint one side could not record is not compared', () => {
    const k: KernelEvent[] = [{ time: 0, event: 'qdisc_enqueue', dev: 'veth0' }];
    assert.equal(compareEvents([], k).length, 1);
    assert.deepEqual(compareEvents([], k, { missing: ['qdisc_enqueue'] }), []);
  });

  it('compare() compares events only when both sides recorded them', () => {
    const side = (events?: KernelEvent[]): CmpSide => ({ frames: [], sends: [], ...(events ? { events } : {}) });
    const k = [{ time: 0, event: 'kfree_skb', reason: 'NO_SOCKET' }];
    assert.equal(compare(side([]), side()).eventsCompared, false);
    const c = compare(side([]), side(k));
    assert.equal(c.eventsCompared, true);
    assert.equal(c.agree, false);
    assert.equal(c.differences[0].kind, 'event');
    assert.equal(compare(side([]), side(k), { events: false }).agree, true);
  });
});
