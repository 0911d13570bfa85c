// The model's kernel tracepoints (RunOptions.events): recorded only when asked, without changing
// what the run does, with the kernel's names and drop reasons, and passed on to another watcher.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import { runScenario } from '../../src/model/run';
import type { Watcher } from '../../src/model/kernel/watch';
import type { TracepointFields } from '../../src/model/result';

const SCENARIOS = path.join(__dirname, '..', '..', '..', 'test', 'scenarios');
const load = (name: string) => parseScenario(fs.readFileSync(path.join(SCENARIOS, `${name}.kpath`), 'utf8'), name);

test('a run records no events unless asked, and asking changes nothing else', () => {
  const s = load('s13-d-peer-absent');
  const plain = runScenario(s);
  const withEvents = runScenario(s, { events: true });
  assert.equal(plain.events, undefined);
  assert.ok(withEvents.events && withEvents.events.length > 0);
  const { events: _e, ...rest } = withEvents;
  assert.deepEqual(rest, plain);
});

test('an unanswered neighbour: NONE -> INCOMPLETE -> FAILED, timers, NEIGH_FAILED drops, ARP transmits', () => {
  const r = runScenario(load('s13-d-peer-absent'), { events: true });
  const ev = r.events!;
  const n = ev.filter((e) => e.neigh === '192.0.2.2');
  assert.equal(n[0].event, 'neigh_create');
  assert.equal(n[0].created, true);
  assert.ok(n.some((e) => e.event === 'neigh_timer_handler' && e.state === 'FAILED'));
  // One NEIGH_FAILED drop per datagram queued at FAILED, as the result's drops say.
  const failed = r.drops.filter((d) => d.reason === 'NEIGH_FAILED').length;
  assert.ok(failed > 0);
  assert.equal(ev.filter((e) => e.event === 'kfree_skb' && e.reason === 'NEIGH_FAILED').length, failed);
  // Every frame on veth0 is one net_dev_xmit there, in order and of the same length.
  const tx = r.frames.filter((f) => f.dev === 'veth0' && f.dir === 'tx').map((f) => f.len);
  assert.deepEqual(ev.filter((e) => e.event === 'net_dev_xmit' && e.dev === 'veth0').map((e) => e.len), tx);
  assert.ok(ev.every((e, i) => i === 0 || e.time >= ev[i - 1].time), 'events in time order');
});

test('a resolved neighbour: neigh_update INCOMPLETE -> REACHABLE with the peer MAC', () => {
  const r = runScenario(load('s13-a-udp-arp'), { events: true });
  const upd = r.events!.find((e) => e.event === 'neigh_update')!;
  assert.equal(upd.state, 'INCOMPLETE');
  assert.equal(upd.new, 'REACHABLE');
  const entry = r.neighbours.find((x) => x.dst === upd.neigh)!;
  assert.equal(upd.lladdr, entry.lladdr);
});

test("another watcher still sees everything, the tracepoints included", () => {
  const seen: string[] = [];
  const tps: TracepointFields[] = [];
  const w: Watcher = {
    enter: (fn) => void seen.push(fn), at: () => {}, note: () => {}, leave: () => {}, exception: () => {}, context: () => {},
    tracepoint: (f) => void tps.push(f),
  };
  const r = runScenario(load('s13-d-peer-absent'), { events: true, watcher: w });
  assert.ok(seen.includes('ip_finish_output2'));
  assert.deepEqual(tps.map((t) => t.event), r.events!.map((e) => e.event));
});
