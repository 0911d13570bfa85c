// Running a scenario: build the kernel and its namespace, schedule the socket calls on the
// virtual clock, run events in order until the clock's end (or until nothing is pending), and
// collect the result. The CLI, the debug adapter and the tests all run scenarios through here.

import type { Scenario } from '../scenario/types';
import { Kernel, FrameSink } from './kernel';
import type { Watcher } from './watch';
import { Net } from '../net/netns';
import { socketFor, applyOptions, ip4_datagram_connect } from '../kernel/socket';
import { udp_sendmsg } from '../kernel/udp';
import { raw_sendmsg } from '../kernel/raw';
import { tcp_v4_connect } from '../kernel/tcp_output';
import { errnoName } from '../kernel/errno';
import { parseIpv4, formatIpv4, formatMac } from '../wire/addr';
import { decodeFrame, summarize } from '../wire/decode';
import { formatHex } from '../wire/bytes';
import { nudName, NUD_VALID, NUD_REACHABLE } from '../net/neigh';
import { neighAddTimer } from '../kernel/neighbour';
import type { RunResult, FrameRecord, SendResult } from '../result';

export interface RunOptions {
  watcher?: Watcher;
  frameSinks?: FrameSink[];
  /** Keep every frame in memory for the result (default true). */
  keepFrames?: boolean;
  /** Stop after this many events (a guard against runaway scenarios). */
  maxEvents?: number;
  /** Called every so often with the virtual time, for progress displays. */
  progress?: (now: number, end: number | undefined) => void;
}

/** A kernel ready to run `s`: namespace built, socket calls scheduled. */
export function createKernel(s: Scenario, opts: RunOptions = {}): Kernel {
  const k = new Kernel(s.kernel);
  k.w = opts.watcher ?? null;
  k.keepFrames = opts.keepFrames ?? true;
  if (opts.frameSinks) k.frameSinks.push(...opts.frameSinks);
  k.net = new Net(s, k.v49, k.rng, () => k.jiffies);
  // `nud reachable` entries age like any other: their timer runs from the start.
  for (const n of k.net.arp_tbl.entries.values()) {
    if (n.nud_state === NUD_REACHABLE) neighAddTimer(k, n, k.jiffies + n.parms.reachable_time);
  }
  // Each send line schedules its next repetition when it runs, so `count 1000000` costs one
  // pending event, not a million. Calls are numbered in the order they run.
  s.sends.forEach((send, order) => {
    const daddr = parseIpv4(send.to)!;
    const to = send.proto === 'icmp' ? send.to : `${send.to}:${send.port}`;
    const schedule = (i: number): void => {
      k.events.add(send.at + i * send.every, 'task', `send line ${send.pos.line}`, () => {
        // Repeats at the same instant (`every 0`) are made back to back by the same task.
        let n = i;
        do doSend(k, send, daddr, to);
        while (send.every === 0 && ++n < send.count);
        if (send.every !== 0 && n + 1 < send.count) schedule(n + 1);
      }, false, order);
    };
    if (send.count > 0) schedule(0);
  });
  return k;
}

/** One socket call: options, connect if asked, then the protocol's sendmsg. */
function doSend(k: Kernel, send: Scenario['sends'][number], daddr: number, to: string): void {
  const idx = k.sends.length;
  const rec: SendResult = {
    index: idx, line: send.pos.line, time: k.now, proto: send.proto, to, size: send.size,
    socket: send.socket ?? `#${idx}`, result: 'pending', packets: [],
  };
  k.sends.push(rec);
  k.currentSend = idx;
  const sk = socketFor(k, send, idx);
  rec.socket = sk.name;
  const refused = applyOptions(k, sk, send);
  if (refused.length) rec.setsockopt = refused;
  let r = 0;
  if (send.proto === 'tcp') {
    r = tcp_v4_connect(k, sk, daddr, send.port);
  } else {
    if (send.connected && !sk.inet_daddr) r = ip4_datagram_connect(k, sk, daddr, send.port);
    if (r >= 0) {
      if (send.proto === 'udp') r = udp_sendmsg(k, sk, send.connected ? 0 : daddr, send.connected ? 0 : send.port, send.size);
      else r = raw_sendmsg(k, sk, daddr, send.size);
    }
  }
  rec.result = r < 0 ? errnoName(r) : 'ok';
  k.currentSend = -1;
}

/** Runs the kernel's events until `end` (ns) or until nothing is pending. */
export function runKernel(k: Kernel, end: number | undefined, opts: RunOptions = {}): void {
  const max = opts.maxEvents ?? 50_000_000;
  let n = 0;
  for (;;) {
    const ev = k.events.peek();
    if (!ev) break;
    if (end !== undefined && ev.time > end) break;
    // Without an end, the run is over when only housekeeping timers remain.
    if (end === undefined && k.events.allQuiet()) break;
    k.events.pop();
    if (ev.cancelled) continue;
    k.now = ev.time;
    k.ctx = ev.context;
    if (k.w) k.w.context(ev.context, ev.label);
    ev.run();
    if (++n >= max) throw new Error(`stopped after ${max} events at ${k.now} ns: the scenario does not settle`);
    if (opts.progress && (n & 0xffff) === 0) opts.progress(k.now, end);
  }
  if (end !== undefined) k.now = Math.max(k.now, end);
}

/** Runs a scenario from start to end and returns the result document. */
export function runScenario(s: Scenario, opts: RunOptions = {}): RunResult {
  const k = createKernel(s, opts);
  runKernel(k, s.run, opts);
  return resultOf(k, s);
}

/** Collects the result document of a kernel that has run. */
export function resultOf(k: Kernel, s: Scenario): RunResult {
  const frames: FrameRecord[] = k.frames.map((f, i) => frameRecord(f, i));
  const net = k.net;
  const c = net.counters;
  const devices: RunResult['counters']['devices'] = {};
  for (const d of net.devices) devices[d.name] = { ...d.stats };
  const neighbours = [...net.arp_tbl.entries.values()].map((n) => ({
    dev: n.dev.name,
    dst: formatIpv4(n.key),
    lladdr: n.nud_state & NUD_VALID ? formatMac(n.ha) : null,
    state: nudName(n.nud_state),
    probes: n.probes,
    queued: n.arp_queue.length,
  }));
  const sockets = [...net.sockets.values()].map((sk) => ({
    name: sk.name,
    protocol: sk.protocol,
    local: `${formatIpv4(sk.inet_saddr)}:${sk.inet_sport}`,
    remote: sk.inet_daddr ? `${formatIpv4(sk.inet_daddr)}:${sk.inet_dport}` : undefined,
    pendingError: sk.sk_err ? errnoName(sk.sk_err) : undefined,
    errqueue: sk.errqueue.map((e) => ({ ...e })),
  }));
  return {
    kpath: 1,
    kernel: k.profile,
    scenario: s.file,
    endTime: k.now,
    sends: k.sends.map((x) => ({ ...x })),
    frames,
    drops: k.drops.slice(),
    icmp: k.icmp.slice(),
    delivered: k.delivered.slice(),
    sockets,
    counters: {
      Ip: { ...c.Ip }, Icmp: { ...c.Icmp }, Udp: { ...c.Udp }, Tcp: { ...c.Tcp },
      ArpCache: { ...net.arp_tbl.stats }, devices,
    },
    neighbours,
    netfilter: net.nf.chains.flatMap((ch) => ch.rules.map((r) => ({ table: ch.table, rule: r.rule.text, packets: r.packets, bytes: r.bytes }))),
  };
}

export function frameRecord(f: { time: number; dev: string; dir: 'tx' | 'rx'; bytes: Uint8Array; packet: number }, index: number): FrameRecord {
  const decoded = decodeFrame(f.bytes);
  const sum = summarize(decoded);
  return {
    index, time: f.time, dev: f.dev, dir: f.dir, len: f.bytes.length, hex: formatHex(f.bytes),
    src: sum.src, dst: sum.dst, protocol: sum.protocol, info: sum.info, decoded, packet: f.packet,
  };
}
