// The softirq backlog and bh-disable nesting (src/model/kernel/softirq.ts): a peer's answer
// without delay is received at the local_bh_enable that ends the outermost bh-disabled section,
// inside the socket call, as Linux does on a veth; an answer after a reply delay stays an event.
// Frames sent on lo and looped multicast copies take the same backlog, as a real kernel's trace
// shows (netif_receive_skb before sendto returns; a looped copy received before the original is
// queued on its link).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import { runScenario, createKernel, runKernel } from '../../src/model/run';
import type { Watcher } from '../../src/model/kernel/watch';
import { do_softirq, MAX_SOFTIRQ_RESTART } from '../../src/model/kernel/softirq';
import { DEV_RX_WEIGHT, NETDEV_MAX_BACKLOG, netif_rx } from '../../src/model/kernel/dev';
import { NET_RX_SUCCESS, NET_RX_DROP } from '../../src/model/kernel/errno';
import type { KernelProfile } from '../../src/model/scenario/types';
import type { RunResult } from '../../src/model/result';
import { REPO_ROOT } from '../helpers/cli';

function run(text: string, kernel: KernelProfile = '6.18'): RunResult {
  const s = parseScenario(text, 't.kpath');
  s.kernel = kernel;
  return runScenario(s, { events: true });
}

/** How many times each modeled function was entered in a run. */
function entered(text: string, kernel: KernelProfile): Map<string, number> {
  const s = parseScenario(text, 't.kpath');
  s.kernel = kernel;
  const k = createKernel(s);
  const n = new Map<string, number>();
  const w: Watcher = {
    enter: (fn) => void n.set(fn, (n.get(fn) ?? 0) + 1),
    at: () => {},
    note: () => {},
    leave: () => {},
    exception: () => {},
    context: () => {},
  };
  k.w = w;
  runKernel(k, s.run);
  return n;
}

function scenarioText(name: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, 'test', 'scenarios', `${name}.kpath`), 'utf8');
}

/** A frame as `dev dir what`: ARP who-has / is-at, or the IP destination. */
function label(f: RunResult['frames'][number]): string {
  return `${f.dev} ${f.dir} ${f.protocol === 'ARP' ? (f.info.startsWith('Who has') ? 'who-has' : 'is-at') : f.dst}`;
}

test('nft dup (6.18): the copy\'s ARP request, reply and the copy, then the original\'s request, reply and the original', () => {
  const r = run(scenarioText('p-dup'));
  const first = r.frames.filter((f) => f.time === 0).map(label);
  assert.deepEqual(first, [
    'veth1 tx who-has', 'veth1 rx is-at', 'veth1 tx 192.0.2.2',
    'veth0 tx who-has', 'veth0 rx is-at', 'veth0 tx 192.0.2.2',
  ]);
});

for (const kernel of ['6.18', '4.9'] as const) {
  test(`a 3000-byte datagram to an unresolved neighbour (${kernel}): only the first fragment is queued; 2 and 3 find it REACHABLE`, () => {
    const r = run(scenarioText('s11-02-udp-3000-unknown-neighbour'), kernel);
    assert.deepEqual(r.frames.map(label), ['veth0 tx who-has', 'veth0 rx is-at', 'veth0 tx 10.0.0.2', 'veth0 tx 10.0.0.2', 'veth0 tx 10.0.0.2']);
    const events = r.events ?? [];
    if (kernel === '6.18') assert.equal(events.filter((e) => e.event === 'neigh_event_send_done').length, 1, 'one neigh_event_send');
    // The reply came while the first fragment was the only one queued: neigh_update flushed one.
    const update = events.find((e) => e.event === 'neigh_update');
    assert.ok(update, 'the reply updated the entry');
    const after = events.slice(events.indexOf(update));
    assert.equal(after.filter((e) => e.event === 'net_dev_xmit' && e.len !== 42).length, 3, 'the three fragments leave after the reply');
    assert.equal(r.neighbours[0].state, 'REACHABLE');
    assert.equal(r.neighbours[0].queued, 0);
    const calls = entered(scenarioText('s11-02-udp-3000-unknown-neighbour'), kernel);
    assert.equal(calls.get('__neigh_event_send'), 1, 'the first fragment alone met the INCOMPLETE entry');
    assert.equal(calls.get('neigh_hh_output'), 2, 'fragments 2 and 3 went out with the cached header');
    assert.equal(calls.get('do_softirq'), 1, 'the reply was received at one local_bh_enable');
  });
}

test('an answer after a reply delay stays an event of its own: the fragments all wait for it', () => {
  const text = scenarioText('s11-02-udp-3000-unknown-neighbour').replace(/^peer 10\.0\.0\.2 lladdr \S+/m, '$& reply-delay 1ms');
  const r = run(text);
  const events = r.events ?? [];
  assert.equal(events.filter((e) => e.event === 'neigh_event_send_done').length, 3, 'each fragment meets the INCOMPLETE entry');
  assert.deepEqual(r.frames.map((f) => f.time), [0, 1e6, 1e6, 1e6, 1e6]);
});

test('a run is the same whether its answers came through the backlog or not: counters and frames agree', () => {
  const r = run(scenarioText('p-dup'));
  assert.equal(r.counters.devices.veth0.rx_packets, 1);
  assert.equal(r.counters.devices.veth1.rx_packets, 1);
  assert.equal(r.frames.filter((f) => f.dir === 'rx').length, 2);
});

test('the backlog is polled 64 frames a pass, up to 10 passes; ksoftirqd takes the rest later', () => {
  const s = parseScenario('link add veth0 mtu 1500 address 02:00:00:00:00:01\naddr add 10.0.0.1/24 dev veth0\n', 't.kpath');
  const k = createKernel(s);
  const dev = k.net.devices.find((d) => d.name === 'veth0')!;
  // 700 frames nobody answers (an IPv4 header to another host): only their reception counts.
  for (let i = 0; i < 700; i++) {
    const f = new Uint8Array(34);
    f[12] = 0x08;
    f[14] = 0x45;
    f.set([10, 0, 0, 9], 30);
    k.backlog.push({ dev, frame: f, via: 'link' });
  }
  let passes = 0;
  k.w = { enter: (fn) => void (fn === 'net_rx_action' && passes++), at: () => {}, note: () => {}, leave: () => {}, exception: () => {}, context: () => {} };
  do_softirq(k);
  assert.equal(passes, MAX_SOFTIRQ_RESTART);
  assert.equal(k.backlog.length, 700 - MAX_SOFTIRQ_RESTART * DEV_RX_WEIGHT);
  assert.ok(k.events.pending().some((e) => e.label === 'ksoftirqd' && e.time === k.now), 'ksoftirqd woken');
  assert.equal(k.bh, 0);
  assert.equal(k.ctx, 'task');
  runKernel(k, 0);
  assert.equal(k.backlog.length, 0, 'ksoftirqd received the rest');
  assert.equal(dev.stats.rx_packets, 700);
});

/** The modeled functions a run enters, each with the functions it was called from. */
function calls(text: string, kernel: KernelProfile = '6.18'): { fn: string; stack: string[] }[] {
  const s = parseScenario(text, 't.kpath');
  s.kernel = kernel;
  const k = createKernel(s);
  const stack: string[] = [];
  const out: { fn: string; stack: string[] }[] = [];
  k.w = {
    enter: (fn) => {
      out.push({ fn, stack: [...stack] });
      stack.push(fn);
    },
    at: () => {},
    note: () => {},
    leave: () => void stack.pop(),
    exception: () => {},
    context: () => {},
  };
  runKernel(k, s.run);
  return out;
}

const HOST = 'link add veth0 mtu 1500 address 02:00:00:00:00:01\naddr add 10.0.0.1/24 dev veth0\n';

for (const kernel of ['6.18', '4.9'] as const) {
  test(`a datagram to the host's own address is received inside its send, and so is the ICMP error it causes (${kernel})`, () => {
    const c = calls(`${HOST}at 0ms send udp to 10.0.0.1:9000 size 100 socket s\n`, kernel);
    const rx = c.filter((x) => x.fn === '__netif_receive_skb');
    assert.equal(rx.length, 2, 'the datagram and the port unreachable about it');
    for (const x of rx) {
      assert.equal(x.stack[0], 'udp_sendmsg', 'before sendto returns');
      // At the rcu_read_unlock_bh that ends the outermost bh-disabled section: __dev_queue_xmit's,
      // or on 4.9 ip_finish_output2's.
      assert.equal(x.stack[x.stack.indexOf('do_softirq') - 1], kernel === '6.18' ? 'dev_queue_xmit' : 'ip_finish_output2', x.stack.join(' > '));
    }
    // One pass of net_rx_action takes both: the error joined the backlog's tail.
    assert.equal(c.filter((x) => x.fn === 'net_rx_action').length, 1);
  });

  test(`a looped multicast copy is received before the original is queued on its link (${kernel})`, () => {
    const c = calls(`${HOST}join 239.1.2.3 dev veth0\nat 0ms send udp to 239.1.2.3:9000 size 100 multicast-if 10.0.0.1 socket s\n`, kernel);
    const rx = c.findIndex((x) => x.fn === 'net_rx_action');
    const xmit = c.findIndex((x) => x.fn === 'dev_queue_xmit');
    assert.ok(rx >= 0 && xmit > rx, `net_rx_action at ${rx}, dev_queue_xmit at ${xmit}`);
    assert.deepEqual(c[rx].stack.slice(-2), ['dev_loopback_xmit', 'do_softirq']);
    const r = run(`${HOST}join 239.1.2.3 dev veth0\nat 0ms send udp to 239.1.2.3:9000 size 100 multicast-if 10.0.0.1 socket s\n`, kernel);
    assert.equal(r.counters.Udp.InDatagrams, 1);
  });
}

test('the backlog takes a packet while it holds at most netdev_max_backlog; the next is dropped (CPU_BACKLOG)', () => {
  const s = parseScenario(HOST, 't.kpath');
  const k = createKernel(s);
  const dev = k.net.devices.find((d) => d.name === 'veth0')!;
  const drops: Parameters<NonNullable<Watcher['tracepoint']>>[0][] = [];
  k.w = { enter: () => {}, at: () => {}, note: () => {}, leave: () => {}, exception: () => {}, context: () => {}, tracepoint: (f) => void drops.push(f) };
  k.bh = 1; // inside a bh-disabled section: nothing is received yet
  const frame = new Uint8Array(60);
  for (let i = 0; i <= NETDEV_MAX_BACKLOG; i++) assert.equal(netif_rx(k, dev, frame, 'link'), NET_RX_SUCCESS);
  assert.equal(netif_rx(k, dev, frame, 'link'), NET_RX_DROP);
  assert.equal(k.backlog.length, NETDEV_MAX_BACKLOG + 1);
  assert.deepEqual(drops, [{ event: 'kfree_skb', reason: 'CPU_BACKLOG', function: 'enqueue_to_backlog', len: 46 }]);
});
