// The two sides of a comparison (compare.ts) built from what kpath has: a model run's result
// document, and a capture made by `kpath capture` (capture-doc.ts).

import type { RunResult } from '../model/result';
import { decodeFrame } from '../model/wire/decode';
import type { CmpSide } from './compare';
import type { StoredCapture } from './capture-doc';

/** The model's side (its events when the run recorded them: RunOptions.events): frames as the result decoded them, counters without the ARP cache (global on a real kernel). */
export function sideFromRun(r: RunResult): CmpSide {
  return {
    frames: r.frames.map((f) => ({ time: f.time, dev: f.dev, dir: f.dir, len: f.len, decoded: f.decoded })),
    sends: r.sends.map((s) => ({
      index: s.index, line: s.line, time: s.time, socket: s.socket, result: s.result, proto: s.proto, to: s.to,
      ...(s.setsockopt ? { setsockopt: s.setsockopt } : {}),
    })),
    sockets: r.sockets.map((s) => ({ name: s.name, ...(s.pendingError ? { pendingError: s.pendingError } : {}), errqueue: s.errqueue })),
    counters: { Ip: r.counters.Ip, Icmp: r.counters.Icmp, Udp: r.counters.Udp, Tcp: r.counters.Tcp },
    devices: r.counters.devices as unknown as Record<string, Record<string, number>>,
    neighbours: r.neighbours.map((n) => ({ dev: n.dev, dst: n.dst, lladdr: n.lladdr, state: n.state, probes: n.probes })),
    neighboursAll: true,
    ...(r.events ? { events: r.events } : {}),
  };
}

/** A capture's side: the pcap's frames with the device and direction result.json gives them. */
export function sideFromCapture(c: StoredCapture): CmpSide {
  const d = c.doc;
  return {
    frames: c.packets.map((p, i) => ({ time: p.timeNs, dev: d.frames[i].dev, dir: d.frames[i].dir, len: p.frame.length, decoded: decodeFrame(p.frame) })),
    sends: d.sends.map((s) => ({
      index: s.index, line: s.line, time: s.time, socket: s.socket, result: s.result, proto: s.proto, to: s.to,
      ...(s.setsockopt ? { setsockopt: s.setsockopt } : {}),
    })),
    sockets: d.sockets.map((s) => ({
      name: s.name, ...(s.pendingError ? { pendingError: s.pendingError } : {}),
      errqueue: s.errqueue.map((e) => ({ errno: e.errno, origin: e.origin, type: e.type, code: e.code, info: e.info, offender: e.offender, payloadLen: e.payloadLen })),
    })),
    counters: d.counters,
    devices: d.devices,
    neighbours: d.neighbours,
    ...(d.neighboursNudAll ? { neighboursAll: true } : {}),
    ...(d.events ? { events: d.events, eventsMissing: d.eventInfo?.missing ?? [] } : {}),
  };
}
