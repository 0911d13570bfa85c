// Invariants of the model on random valid scenarios (test/helpers/scenario-gen.ts), in both
// kernel profiles: every skb ends once (on the wire, freed with a drop reason, or in a queue when
// the run ends); the fragments of a datagram add up to it; every checksum on the wire is valid
// (offload off); the devices' counters agree with the frames, OutTransmits with the skbs that went
// through ip_finish_output2, and tx_dropped, unresolved_discards, FragOKs + FragFails with the drops
// and fragmentations that count them; a run is the same run twice, watched or not; and stepping back
// then forward comes back to the same stop. Cases: fuzzParams (KPATH_FUZZ_SCALE, docs/testing.md).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseScenarioAll } from '../../src/model/scenario/parse';
import type { Scenario } from '../../src/model/scenario/types';
import { createKernel, resultOf, runKernel } from '../../src/model/run';
import { decodeFrame } from '../../src/model/wire/decode';
import { verify, pseudoHeaderSum } from '../../src/model/wire/checksum';
import { parseIpv4 } from '../../src/model/wire/addr';
import { Runtime } from '../../src/debugger/runtime';
import type { Stop } from '../../src/debugger/runtime';
import { LifetimeWatcher, queuedSkbs } from '../helpers/lifetimes';
import { validScenario } from '../helpers/scenario-gen';
import { fuzzParams, fuzzTimeout } from '../helpers/fuzz';

function parse(text: string): Scenario {
  const r = parseScenarioAll(text, 'generated.kpath');
  assert.deepEqual(r.errors.map((e) => e.message), [], `the generator wrote an invalid scenario:\n${text}`);
  return r.scenario!;
}

/** A run with the lifetime watcher. */
function watchedRun(s: Scenario) {
  const w = new LifetimeWatcher();
  const k = createKernel(s, { watcher: w });
  runKernel(k, s.run);
  return { k, w, result: resultOf(k, s) };
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function checkLifetimes(text: string): void {
  const s = parse(text);
  const { k, w } = watchedRun(s);
  assert.deepEqual(w.strays, [], text);
  const queued = queuedSkbs(k);
  for (const life of w.lives.values()) {
    const where = `skb #${life.id} (${life.through.join(' > ') || 'no function'}) in:\n${text}`;
    if (queued.has(life.skb)) {
      assert.deepEqual(life.ends, [], `a queued skb has already ended: ${life.ends.join(', ')}: ${where}`);
      continue;
    }
    assert.equal(life.ends.length, 1, `ends ${JSON.stringify(life.ends)} (once, and only once, expected): ${where}`);
    if (life.through.includes('dev_hard_start_xmit')) assert.equal(life.ends[0], 'consume', `handed to the driver, then dropped: ${where}`);
  }
  for (const skb of queued) assert.ok(w.lives.has(skb), `a queued skb #${skb.id} never allocated:\n${text}`);
}

/** Devices of a scenario that offload checksums: their tx frames may carry partial ones. */
function offloading(s: Scenario): Set<string> {
  return new Set(s.links.filter((l) => l.offload).map((l) => l.name));
}

function checkWire(text: string): void {
  const s = parse(text);
  const { k, w, result } = watchedRun(s);
  const offload = offloading(s);
  // Packets with a part dropped or still queued: their datagrams may leave incomplete.
  const queued = queuedSkbs(k);
  const ipKey = (b: Uint8Array, nh: number): string => `${hex(b.subarray(nh + 16, nh + 20))}|${b[nh + 9]}|${(b[nh + 4] << 8) | b[nh + 5]}`;
  const partial = new Set([...w.lives.values()].filter((l) => l.ends.includes('drop') || queued.has(l.skb)).map((l) => ipKey(l.skb.buf, l.skb.network_header)));
  type Frag = { off: number; mf: boolean; payload: Uint8Array; dev: string };
  const datagrams = new Map<string, { src: string; dst: string; proto: number; frags: Frag[] }>();
  for (const f of k.frames) {
    const d = decodeFrame(f.bytes);
    const where = `frame ${hex(f.bytes).slice(0, 120)}... on ${f.dev} ${f.dir} at ${f.time} in:\n${text}`;
    if (f.dir === 'tx' && offload.has(f.dev)) continue;
    assert.deepEqual(d.problems, [], where);
    if (!d.ip) continue;
    assert.equal(d.ip.checkOk, true, `IP header checksum: ${where}`);
    for (const l4 of [d.udp, d.icmp, d.tcp]) if (l4) assert.notEqual(l4.checkOk, false, `L4 checksum: ${where}`);
    if ((d.ip.mf || d.ip.fragOffset > 0) && !partial.has(ipKey(f.bytes, 14))) {
      const key = `${f.dev}|${f.dir}|${d.ip.src}|${d.ip.dst}|${d.ip.protocol}|${d.ip.id}`;
      const ipOff = 14;
      const start = ipOff + d.ip.ihl * 4;
      const entry = datagrams.get(key) ?? { src: d.ip.src, dst: d.ip.dst, proto: d.ip.protocol, frags: [] };
      entry.frags.push({ off: d.ip.fragOffset, mf: d.ip.mf, payload: f.bytes.subarray(start, ipOff + d.ip.totLen), dev: f.dev });
      datagrams.set(key, entry);
    }
  }
  // Fragments: from offset 0, no gap or overlap, the last without MF; the reassembled datagram's
  // transport header says the same length and its checksum holds.
  for (const [key, g] of datagrams) {
    const frags = g.frags.sort((a, b) => a.off - b.off);
    let next = 0;
    for (const fr of frags) {
      assert.equal(fr.off, next, `fragment at ${fr.off}, expected ${next}: ${key} in:\n${text}`);
      next += fr.payload.length;
    }
    assert.equal(frags[frags.length - 1].mf, false, `the last fragment has MF: ${key} in:\n${text}`);
    frags.slice(0, -1).forEach((fr) => assert.equal(fr.mf, true, `a fragment before the last without MF: ${key}`));
    const whole = new Uint8Array(next);
    for (const fr of frags) whole.set(fr.payload, fr.off);
    const src = parseIpv4(g.src)!;
    const dst = parseIpv4(g.dst)!;
    if (g.proto === 17) {
      assert.equal((whole[4] << 8) | whole[5], whole.length, `UDP length against the fragments' sum: ${key} in:\n${text}`);
      if ((whole[6] << 8) | whole[7]) assert.ok(verify(whole, 0, whole.length, pseudoHeaderSum(src, dst, 17, whole.length)), `UDP checksum of the reassembled datagram: ${key}`);
    } else if (g.proto === 1) {
      assert.ok(verify(whole, 0, whole.length), `ICMP checksum of the reassembled message: ${key}`);
    } else if (g.proto === 6) {
      assert.ok(verify(whole, 0, whole.length, pseudoHeaderSum(src, dst, 6, whole.length)), `TCP checksum of the reassembled segment: ${key}`);
    }
  }
  // Each datagram that left in fragments had the size the socket call asked for: its UDP length is
  // one of the sends' sizes + 8 (checked above against the fragments; here against the scenario).
  const udpSizes = new Set(s.sends.filter((x) => x.proto === 'udp').map((x) => x.size + 8));
  for (const [key, g] of datagrams) {
    if (g.proto !== 17 || g.src === g.dst) continue;
    const frags = g.frags;
    const len = frags.reduce((n, fr) => n + fr.payload.length, 0);
    assert.ok(udpSizes.has(len), `a fragmented UDP datagram of ${len} bytes; sends of ${[...udpSizes].join(', ')}: ${key} in:\n${text}`);
  }
  // Devices' counters against the frames they sent.
  for (const [name, st] of Object.entries(result.counters.devices)) {
    const sent = k.frames.filter((f) => f.dev === name && f.dir === 'tx');
    assert.equal(st.tx_packets, sent.length, `${name} tx_packets against its frames in:\n${text}`);
    // lo counts skb->len after eth_type_trans pulled the Ethernet header (drivers/net/loopback.c).
    const header = name === 'lo' ? 14 : 0;
    assert.equal(st.tx_bytes, sent.reduce((n, f) => n + f.bytes.length - header, 0), `${name} tx_bytes against its frames in:\n${text}`);
  }
  // Counters against the drops that count them.
  const drops = (fn: string, reason: string): number => result.drops.filter((d) => d.function === fn && d.reason === reason).length;
  const txDropped = Object.values(result.counters.devices).reduce((n, st) => n + st.tx_dropped, 0);
  assert.equal(txDropped, drops('dev_queue_xmit', 'DEV_READY'), `tx_dropped against the drops of a device that is down in:\n${text}`);
  assert.equal(result.counters.ArpCache.unresolved_discards, drops('__neigh_event_send', 'NEIGH_QUEUEFULL'), `unresolved_discards against NEIGH_QUEUEFULL drops in:\n${text}`);
  const fragmented = [...w.lives.values()].filter((l) => l.through.includes('ip_do_fragment')).length;
  const ip = result.counters.Ip;
  assert.equal(ip.FragOKs + ip.FragFails, fragmented + drops('ip_fragment', 'NOT_SPECIFIED'), `FragOKs + FragFails against the datagrams fragmented or refused in:\n${text}`);
  // OutTransmits (6.x): one per skb through ip_finish_output2, each of which reached the driver,
  // was dropped, or waits in a queue.
  if (s.kernel === '6.18') {
    const passed = [...w.lives.values()].filter((l) => l.through.includes('ip_finish_output2'));
    assert.equal(result.counters.Ip.OutTransmits, passed.length, `OutTransmits against the skbs through ip_finish_output2 in:\n${text}`);
  }
}

/** The result of a run as bytes: the JSON document and every frame's bytes. */
function fingerprint(s: Scenario, watched: boolean): string {
  const k = createKernel(s, watched ? { watcher: new LifetimeWatcher() } : {});
  runKernel(k, s.run);
  return JSON.stringify(resultOf(k, s)) + k.frames.map((f) => hex(f.bytes)).join('|');
}

function checkDeterminism(text: string): void {
  const s = parse(text);
  const a = fingerprint(s, false);
  assert.equal(fingerprint(s, false), a, `two runs differ:\n${text}`);
  assert.equal(fingerprint(parse(text), true), a, `a watched run differs from an unwatched one:\n${text}`);
}

/** What a stop shows: position, frames with their locals and arguments, and each frame's skb bytes. */
function stopView(stop: Stop | null): unknown {
  if (!stop) return null;
  return {
    step: stop.step, time: stop.time, kind: stop.kind, event: stop.event, frameCount: stop.frameCount, dropCount: stop.dropCount,
    frames: stop.frames.map((f) => ({
      fn: f.fn, step: f.step, call: f.call, decisions: f.decisions.slice(), returned: f.returned,
      args: shallow(f.args), locals: shallow(f.locals), ret: shallow({ ret: f.ret }),
      skb: f.skb ? { id: f.skb.id, len: f.skb.len, data: f.skb.data, tail: f.skb.tail, bytes: hex(f.skb.buf.subarray(f.skb.data, f.skb.tail)) } : null,
    })),
  };
}

/** Values by what a learner sees of them: numbers, strings, and objects by their class and id. */
function shallow(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || typeof v !== 'object') out[k] = v;
    else if (v instanceof Uint8Array) out[k] = hex(v);
    else out[k] = `${(v as object).constructor?.name}#${String((v as { id?: unknown }).id ?? '')}`;
  }
  return out;
}

function checkStepBack(text: string, forward: number, back: number): void {
  const s = parse(text);
  const rt = new Runtime(s);
  let r = rt.start(true);
  for (let i = 0; i < forward && r.stop; i++) r = rt.stepIn();
  if (!r.stop) return;
  const target = r.stop.step;
  const want = JSON.stringify(stopView(r.stop));
  for (let i = 0; i < back && r.stop && r.stop.step > 1; i++) r = rt.stepBack();
  for (let i = 0; i < forward + back + 10 && r.stop && r.stop.step < target; i++) r = rt.stepIn();
  assert.equal(r.stop?.step, target, `stepping forward again did not come back to step ${target}:\n${text}`);
  assert.equal(JSON.stringify(stopView(r.stop)), want, `step ${target} differs after ${back} steps back and forward again:\n${text}`);
}

describe('the model on random scenarios', () => {
  test('every skb ends once: on the wire, dropped with a reason, or in a queue', { timeout: fuzzTimeout(120_000) }, () => {
    fc.assert(fc.property(validScenario(), checkLifetimes), fuzzParams(150));
  });

  test('fragments add up, checksums hold, counters agree with frames', { timeout: fuzzTimeout(120_000) }, () => {
    fc.assert(fc.property(validScenario(), checkWire), fuzzParams(150));
  });

  test('a run is byte for byte the same run twice, watched or not', { timeout: fuzzTimeout(120_000) }, () => {
    fc.assert(fc.property(validScenario({ offload: true }), checkDeterminism), fuzzParams(80));
  });

  test('stepping back then forward comes back to the same stop', { timeout: fuzzTimeout(120_000) }, () => {
    fc.assert(fc.property(validScenario(), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 60 }), checkStepBack), fuzzParams(40));
  });
});
