// Running a scenario: build the kernel and its namespace, schedule the socket calls on the
// virtual clock, run events in order until the clock's end (or until nothing is pending), and
// collect the result. The CLI, the debug adapter and the tests all run scenarios through here.

import * as l10n from '@vscode/l10n';
import type { Scenario } from './scenario/types';
import { Kernel, FrameSink, SendTotal } from './kernel/kernel';
import type { Sock } from './net/sock';
import type { Watcher } from './kernel/watch';
import { Net } from './net/netns';
import { wireReceive } from './peers/vlan';
import { peersReceive } from './peers/peer';
import { socketFor, applyOptions, ip4_datagram_connect, inet_release } from './kernel/socket';
import { udp_sendmsg } from './kernel/udp';
import { raw_sendmsg } from './kernel/raw';
import { tcp_v4_connect } from './kernel/tcp_ipv4';
import { errnoName } from './kernel/errno';
import { parseIpv4, formatIpv4, formatMac } from './wire/addr';
import { decodeFrame, summarize } from './wire/decode';
import { formatHex } from './wire/bytes';
import { nudName, NUD_VALID, NUD_REACHABLE } from './net/neigh';
import { neighAddTimer } from './kernel/neighbour';
import type { RunResult, RunTotals, FrameRecord, SendResult } from './result';
import { EventRecorder } from './events';
import { LIMITS, LimitError, countText } from './scenario/limits';
import { softirq_passes } from './kernel/softirq';

export interface RunOptions {
  watcher?: Watcher;
  /** Receive each frame as it goes on the wire. The bytes may be reused afterwards: copy to keep. */
  frameSinks?: FrameSink[];
  /** Keep every frame in memory for the result (default true). */
  keepFrames?: boolean;
  /**
   * 'all' (the default): a record per socket call and per frame. 'counts': for very long runs,
   * totals per send line instead of a record per call, no frames kept unless keepFrames says so
   * (stream them to a sink), drops, ICMP errors and deliveries kept up to a limit with their
   * totals, and packet buffers recycled; memory stays bounded whatever the number of packets.
   */
  record?: 'all' | 'counts';
  /** Stop after this many events (a guard against runaway scenarios). */
  maxEvents?: number;
  /** Called every 65536 socket calls with the calls made and the calls the scenario makes in all. */
  progress?: (calls: number, totalCalls: number) => void;
  /**
   * Record the kernel tracepoints the run fires (neighbour events, drops, device transmits) for
   * the result's `events`. It attaches a watcher, so the run leaves the fast path.
   */
  events?: boolean;
}

/** A send line as the kernel runs it: its destination parsed once (per scenario). */
interface SendLine {
  send: Scenario['sends'][number];
  daddr: number;
  to: string;
  label: string;
}

/** What one kernel keeps per send line: the named socket once found, the totals in counts mode. */
interface LineState {
  sk: Sock | null;
  total: SendTotal | null;
}

/** The number of socket calls a scenario makes (the sum of its send lines' counts). */
export function totalCalls(s: Scenario): number {
  let n = 0;
  for (const send of s.sends) n += send.count;
  return n;
}

/** A kernel ready to run `s`: namespace built, socket calls scheduled. */
export function createKernel(s: Scenario, opts: RunOptions = {}): Kernel {
  const k = new Kernel(s.kernel);
  k.w = opts.watcher ?? null;
  if (opts.events) {
    const rec = new EventRecorder(() => k.now, k.w);
    k.w = rec;
    k.eventLog = rec.events;
  }
  k.countsOnly = opts.record === 'counts';
  if (!k.countsOnly && totalCalls(s) > LIMITS.recordedCalls) {
    throw new LimitError(l10n.t('{0} socket calls: a run that keeps a record per call makes at most {1}; keep totals instead (kpath run --counts) (docs/limits.md)', countText(totalCalls(s)), countText(LIMITS.recordedCalls)));
  }
  k.keepFrames = opts.keepFrames ?? !k.countsOnly;
  if (opts.frameSinks) k.frameSinks.push(...opts.frameSinks);
  if (opts.progress) {
    const total = totalCalls(s);
    const report = opts.progress;
    k.progress = () => report(k.callCount, total);
  }
  k.net = new Net(s, k.v49, k.rng, () => k.jiffies);
  // With VLAN links, tagged frames reach the peers of their VLAN (peers/vlan.ts).
  k.farEnd = s.links.some((l) => l.type === 'vlan') ? wireReceive : peersReceive;
  // `nud reachable` entries age like any other: their timer runs from the start.
  for (const n of k.net.arp_tbl.entries.values()) {
    if (n.nud_state === NUD_REACHABLE) neighAddTimer(k, n, k.jiffies + n.parms.reachable_time);
  }
  // Each send line schedules its next repetition when it runs, so `count 1000000` costs one
  // pending event, not a million; and since lines run in file order with times that never go
  // backwards, each line's first call schedules the next line. Calls are numbered in the order
  // they run.
  const lines = sendLines(s);
  const states: LineState[] = [];
  if (k.countsOnly) {
    lines.forEach((line, order) => {
      const total: SendTotal = { line: line.send.pos.line, proto: line.send.proto, to: line.to, size: line.send.size, calls: 0, ok: 0, errors: new Map() };
      stateOf(states, order).total = total;
      k.sendTotals.push(total);
    });
  }
  scheduleFrom(k, lines, states, 0);
  return k;
}

/** Schedules the first call of the first send line from `order` on that makes any calls. */
function scheduleFrom(k: Kernel, lines: SendLine[], states: LineState[], order: number): void {
  while (order < lines.length && lines[order].send.count <= 0) order++;
  if (order < lines.length) schedule(k, lines, states, order, 0);
}

/** Schedules call `i` of send line `order` (the event is data, so checkpoints carry it). */
function schedule(k: Kernel, lines: SendLine[], states: LineState[], order: number, i: number): void {
  const send = lines[order].send;
  k.events.add(send.at + i * send.every, 'task', lines[order].label, sendEvent, [k, lines, states, order, i], false, order);
}

/** Call `i` of send line `order`, and the calls repeated back to back with it (`every 0`). */
function sendEvent(k: Kernel, lines: SendLine[], states: LineState[], order: number, i: number): void {
  if (i === 0) scheduleFrom(k, lines, states, order + 1);
  const line = lines[order];
  const send = line.send;
  const st = stateOf(states, order);
  // Repeats at the same instant (`every 0`) are made back to back by the same task; each
  // call starts a new segment of the run (see Kernel.segment).
  let n = i;
  doSend(k, line, st);
  while (send.every === 0 && ++n < send.count) {
    if (k.segment) k.segment(false);
    doSend(k, line, st);
  }
  if (send.every !== 0 && n + 1 < send.count) schedule(k, lines, states, order, n + 1);
}

function stateOf(states: LineState[], order: number): LineState {
  let st = states[order];
  if (!st) {
    st = { sk: null, total: null };
    states[order] = st;
  }
  return st;
}

/** The parts of a scenario's send lines that never change, worked out once per scenario. */
const sendLineCache = new WeakMap<Scenario, SendLine[]>();

export function sendLines(s: Scenario): SendLine[] {
  let list = sendLineCache.get(s);
  // A scenario's sends are not edited once it runs; a list that was replaced is worked out again.
  if (!list || list.length !== s.sends.length || list[0]?.send !== s.sends[0]) {
    list = s.sends.map((send) => ({
      send,
      daddr: parseIpv4(send.to)!,
      to: send.proto === 'icmp' ? send.to : `${send.to}:${send.port}`,
      label: `send line ${send.pos.line}`,
    }));
    sendLineCache.set(s, list);
  }
  return list;
}

/** One socket call: options, connect if asked, then the protocol's sendmsg. */
function doSend(k: Kernel, line: SendLine, st: LineState): void {
  const send = line.send;
  const idx = k.callCount++;
  let rec: SendResult | null = null;
  if (!k.countsOnly) {
    rec = {
      index: idx, line: send.pos.line, time: k.now, proto: send.proto, to: line.to, size: send.size,
      socket: send.socket ?? `#${idx}`, result: 'pending', packets: [],
    };
    k.sends.push(rec);
  }
  k.currentSend = idx;
  // A named socket is found once per line and stays open; a call without a name is a program
  // that opens a socket, makes the call and closes it.
  const sk = st.sk ?? socketFor(k, send, idx);
  if (send.socket) st.sk = sk;
  const refused = applyOptions(k, sk, send);
  if (rec) {
    rec.socket = sk.name;
    if (refused) rec.setsockopt = refused;
  }
  const daddr = line.daddr;
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
  if (rec) {
    rec.result = r < 0 ? errnoName(r) : 'ok';
  } else {
    const t = st.total!;
    t.calls++;
    if (r >= 0) t.ok++;
    else {
      const name = errnoName(r);
      t.errors.set(name, (t.errors.get(name) ?? 0) + 1);
    }
  }
  if (!send.socket) inet_release(k, sk);
  k.currentSend = -1;
  if (k.onCall !== null) k.onCall(idx, send.pos.line, r < 0 ? errnoName(r) : 'ok');
  if (k.progress !== null && (k.callCount & 0xffff) === 0) k.progress();
}

/** Runs the kernel's events until `end` (ns) or until nothing is pending. */
export function runKernel(k: Kernel, end: number | undefined, opts: RunOptions = {}): void {
  runKernelSlice(k, end, Infinity, { events: 0 }, opts);
}

/** How far a run made in slices has got: the events it has handled. */
export interface RunSlices {
  events: number;
}

/**
 * Runs at most `budget` more events of a run (`done` carries the count from slice to slice, for
 * the limit on events); true when the run is over: its end reached, or nothing pending. Between
 * two slices the caller may serve other work (a pause, a signal) and go on with the next.
 */
export function runKernelSlice(k: Kernel, end: number | undefined, budget: number, done: RunSlices, opts: RunOptions = {}): boolean {
  const max = opts.maxEvents ?? LIMITS.events;
  let n = 0;
  for (;;) {
    const ev = k.events.peek();
    if (!ev) break;
    if (end !== undefined && ev.time > end) break;
    // Without an end, the run is over when only housekeeping timers remain.
    if (end === undefined && k.events.allQuiet()) break;
    if (n >= budget) return false;
    // A new segment starts while the event is still pending, so a checkpoint taken here (by the
    // debugger's runtime) holds the event and runs it when resumed.
    if (k.segment) k.segment(true, ev.label);
    k.events.pop();
    k.now = ev.time;
    k.ctx = ev.context;
    if (k.w) k.w.context(ev.context, ev.label);
    // An event in softirq context runs inside __do_softirq (SOFTIRQ_OFFSET): a local_bh_enable runs
    // nothing, and what the event put on the backlog is received after it in the same softirq run.
    const softirq = ev.context === 'softirq';
    k.bh = softirq ? 1 : 0;
    ev.fn.apply(null, ev.args);
    if (softirq && k.backlog.length !== 0) softirq_passes(k);
    k.bh = 0;
    n++;
    if (++done.events >= max) {
      throw new LimitError(l10n.t('the run handled {0} events by {1} ms of virtual time and has not ended: that is the most one run may handle (docs/limits.md)', countText(max), (k.now / 1e6).toFixed(3)));
    }
    if ((done.events & 0x3ff) === 0 && k.events.size > LIMITS.pendingEvents) {
      throw new LimitError(l10n.t('more than {0} events and timers pending at {1} ms: the most a run may hold at once (docs/limits.md)', countText(LIMITS.pendingEvents), (k.now / 1e6).toFixed(3)));
    }
  }
  if (end !== undefined) k.now = Math.max(k.now, end);
  return true;
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
    netfilter: [...net.nf.output, ...net.nf.chains].flatMap((ch) => ch.rules.map((r) => ({ table: ch.table, rule: r.rule.text, packets: r.packets, bytes: r.bytes }))),
    ...(k.eventLog ? { events: k.eventLog.slice() } : {}),
    ...(k.countsOnly ? { totals: totalsOf(k) } : {}),
  };
}

/** The counts a run in counts mode keeps instead of its records. */
function totalsOf(k: Kernel): RunTotals {
  return {
    calls: k.callCount,
    frames: k.frameCount,
    lines: k.sendTotals.map((t) => {
      const results: Record<string, number> = {};
      if (t.ok) results.ok = t.ok;
      for (const [name, n] of [...t.errors].sort((a, b) => (a[0] < b[0] ? -1 : 1))) results[name] = n;
      return { line: t.line, proto: t.proto, to: t.to, size: t.size, calls: t.calls, results };
    }),
    drops: k.totals.drops,
    dropReasons: Object.fromEntries([...k.totals.dropReasons].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    icmp: k.totals.icmp,
    delivered: k.totals.delivered,
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
