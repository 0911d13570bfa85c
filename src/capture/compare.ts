// Comparing two runs of one scenario frame by frame: normally the model's (left, "model") and a
// real kernel's capture (right, "kernel"), but any two runs will do (two captures, to see whether
// a kernel still does what a stored capture says).
//
// Fields a real kernel randomises are compared by their rules, never by their values:
// - IP IDs by their relations along each (source, destination, protocol): zero on both sides or
//   neither, shared (the fragments of one datagram), ascending by at most the jiffies that passed
//   (the hashed generator and per-socket counters, which may pass through 0), or unrelated (a
//   fresh random start);
// - ephemeral ports, ICMP echo identifiers, TCP sequence numbers and timestamps by consistency:
//   one value on one side always stands for one value on the other;
// - times by what caused the frame: a frame the model sends at the same instant as the event
//   before it (a socket call, a received frame) must follow that event on the kernel within a few
//   ms; a frame the model sends later (a timer: ARP retransmits, the FAILED timer, probes) must
//   come after the same event on the kernel after the same delay, within the timer wheel's
//   granularity at that delay (1000..1032 ms for a 1 s retransmit, then exactly 1024 ms), after
//   the latest event or after the frame before it (the call that armed an ARP retransmit timer
//   may be followed by hundreds of queued calls, paced differently on each run).
// Everything else (lengths, flags, addresses, TTL, TOS, DF/MF, offsets, options, ARP fields,
// checksum validity, send results, counters, the neighbour table, error queues) must be equal.
// When both sides recorded the kernel's tracepoints, compare-events.ts compares them too.
// Frames of protocols the model does not produce (IPv6, IGMP) are set aside, and counted.
//
// Pure: no I/O. Both sides are plain data (sides.ts builds them from a model run and a capture).

import * as l10n from '@vscode/l10n';
import type { ErrqueueEntry, KernelEvent } from '../model/result';
import { compareEvents } from './compare-events';

import type { DecodedFrame } from '../model/wire/decode';
import { summarize } from '../model/wire/decode';

export interface CmpFrame {
  /** ns after time 0 */
  time: number;
  dev: string;
  dir: 'tx' | 'rx';
  len: number;
  decoded: DecodedFrame;
}

export interface CmpSend {
  index: number;
  line: number;
  /** ns after time 0 when the call was made */
  time: number;
  socket: string;
  result: string;
  setsockopt?: { option: string; result: string }[];
  proto?: string;
  to?: string;
}

export type CmpErr = Omit<ErrqueueEntry, 'time'>;

export interface CmpSide {
  frames: CmpFrame[];
  sends: CmpSend[];
  sockets?: { name: string; pendingError?: string; errqueue: CmpErr[] }[];
  /** SNMP counters by group (Ip, Icmp, Udp, Tcp; IpExt holds the rest of Ip on a real kernel). */
  counters?: Record<string, Record<string, number>>;
  devices?: Record<string, Record<string, number>>;
  neighbours?: { dev: string; dst: string; lladdr: string | null; state: string; probes?: number }[];
  /** The table includes lo's entries (`ip neigh show nud all`); otherwise it has only what plain `ip neigh` shows. */
  neighboursAll?: boolean;
  /** The kernel's tracepoints (compare-events.ts); absent when the side did not record them. */
  events?: KernelEvent[];
  /** Tracepoints this side could not record (its kernel has none): not compared. */
  eventsMissing?: string[];
}

export interface CompareOptions {
  /** HZ of the kernel (250 on Debian's x86-64 build). */
  hz?: number;
  /** How long after its cause an immediate frame may come (ns; default 5 ms). */
  immediateNs?: number;
  /** Scheduling delay allowed on top of a timer's granularity (ns; default 2 ms). */
  schedulingNs?: number;
  /** Names of the sides in messages. */
  names?: [string, string];
  /** Source ports the scenario binds (`from A:PORT`): equal on both sides, not merely consistent. */
  fixedPorts?: readonly number[];
  /** Compare counters, device statistics, the neighbour table and error queues (default all true). */
  counters?: boolean;
  neighbours?: boolean;
  sockets?: boolean;
  /** Compare the kernel's events when both sides recorded them (default true). */
  events?: boolean;
}

export type DiffKind = 'missing' | 'extra' | 'field' | 'time' | 'order' | 'ip-id' | 'port' | 'tcp' | 'send' | 'counter' | 'device' | 'neighbour' | 'socket' | 'event';

export interface Difference {
  kind: DiffKind;
  /** A stable name for what differs ("ip.ttl", "Ip.OutTransmits", "result"...), for lists of known differences. */
  field: string;
  /** What it is about, for people: "frame 3 (ARP)", "send 2 (line 9)", "neighbour 192.0.2.2". */
  where: string;
  model: string;
  kernel: string;
  /** The rule that was applied, when it is not plain equality. */
  rule?: string;
  /** Indexes into the sides' frame lists, when the difference is about a frame. */
  modelFrame?: number;
  kernelFrame?: number;
  send?: number;
}

export interface Row {
  model?: number;
  kernel?: number;
  differences: Difference[];
}

export interface Comparison {
  agree: boolean;
  /** The frames of both sides, aligned, in time order. */
  rows: Row[];
  /** Every difference, frames first (in row order), then sends, sockets, counters, neighbours. */
  differences: Difference[];
  /** Frames set aside on each side, by reason. */
  ignored: { model: number; kernel: number; why: string }[];
  /** Whether the kernel's events were compared (both sides recorded them). */
  eventsCompared: boolean;
}

const MS = 1_000_000;

// ---- which frames are compared ----

function ignoredWhy(f: CmpFrame): string | undefined {
  const d = f.decoded;
  if (d.eth && d.eth.type === 0x86dd) return l10n.t('IPv6 (not modeled)');
  if (d.ip && d.ip.protocol === 2) return l10n.t('IGMP (not modeled)');
  return undefined;
}

/** Frames that are alike enough to be the same frame: same device, direction and kind. */
function kindOf(f: CmpFrame): string {
  const d = f.decoded;
  let k = `${f.dev}|${f.dir}`;
  if (d.arp) return `${k}|arp${d.arp.op}`;
  if (d.ip) {
    k += `|ip${d.ip.protocol}`;
    if (d.ip.fragOffset > 0) return `${k}|frag`;
    if (d.icmp) k += `|icmp${d.icmp.type}`;
    return k;
  }
  return `${k}|eth${d.eth?.type ?? '?'}`;
}

function describe(f: CmpFrame): string {
  const s = summarize(f.decoded);
  return `${s.protocol} ${s.info}`.trim();
}

// ---- alignment ----

function score(a: CmpFrame, b: CmpFrame): number {
  const da = a.decoded;
  const db = b.decoded;
  let s = 10000;
  if (a.len === b.len) s += 100;
  if (da.ip && db.ip) {
    if (da.ip.fragOffset === db.ip.fragOffset) s += 50;
    if (da.ip.dst === db.ip.dst) s += 30;
    if (da.ip.src === db.ip.src) s += 10;
  }
  if (da.arp && db.arp && da.arp.tpa === db.arp.tpa) s += 30;
  if (da.eth && db.eth && da.eth.dst === db.eth.dst) s += 20;
  if (da.udp && db.udp && da.udp.dport === db.udp.dport) s += 10;
  // Among frames of one kind, the one closest in time (ARP retransmits, probes).
  s += Math.round(1000 / (1 + Math.abs(a.time - b.time) / (10 * MS)));
  return s;
}

/** Pairs the frames of one kind in order, leaving out the ones that have no counterpart. */
function alignGroup(m: number[], k: number[], M: CmpFrame[], K: CmpFrame[]): [number, number][] {
  const n = m.length;
  const p = k.length;
  if (n === p) return m.map((x, i) => [x, k[i]]);
  if (n * p > 25_000_000) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < Math.min(n, p); i++) pairs.push([m[i], k[i]]);
    return pairs;
  }
  const w = p + 1;
  const S = new Int32Array((n + 1) * w);
  const B = new Uint8Array((n + 1) * w);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= p; j++) {
      let best = S[(i - 1) * w + j];
      let dir = 1;
      if (S[i * w + j - 1] > best) {
        best = S[i * w + j - 1];
        dir = 2;
      }
      const diag = S[(i - 1) * w + j - 1] + score(M[m[i - 1]], K[k[j - 1]]);
      if (diag > best) {
        best = diag;
        dir = 3;
      }
      S[i * w + j] = best;
      B[i * w + j] = dir;
    }
  }
  const pairs: [number, number][] = [];
  let i = n;
  let j = p;
  while (i > 0 && j > 0) {
    const dir = B[i * w + j];
    if (dir === 3) {
      pairs.push([m[i - 1], k[j - 1]]);
      i--;
      j--;
    } else if (dir === 1) i--;
    else j--;
  }
  return pairs.reverse();
}

// ---- timers ----

/** The timer wheel's granularity (in jiffies) for a timer `j` jiffies away (kernel/time/timer.c). */
export function wheelGranularity(j: number): number {
  let gran = 1;
  let limit = 64;
  while (j >= limit && gran < 1 << 21) {
    gran *= 8;
    limit *= 8;
  }
  return gran;
}

// ---- the comparison ----

function eq(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function fmt(v: unknown): string {
  if (v === undefined) return l10n.t('(none)');
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;

function ephemeral(port: number): boolean {
  return port >= EPHEMERAL_LOW && port <= EPHEMERAL_HIGH;
}

/** A one-to-one correspondence between values on the two sides. */
class Correspondence {
  private fwd = new Map<string, string>();
  private back = new Map<string, string>();
  /** undefined when consistent; else what the value was already paired with. */
  pair(a: string, b: string): string | undefined {
    const f = this.fwd.get(a);
    const r = this.back.get(b);
    if (f === undefined && r === undefined) {
      this.fwd.set(a, b);
      this.back.set(b, a);
      return undefined;
    }
    if (f === b && r === a) return undefined;
    return f !== undefined && f !== b ? `${a} already stood for ${f}` : `${b} already stood for ${r}`;
  }
}

function tsOf(options: string[]): { val: number; ecr: number } | undefined {
  for (const o of options) {
    const m = /^TS val (\d+) ecr (\d+)$/.exec(o);
    if (m) return { val: Number(m[1]), ecr: Number(m[2]) };
  }
  return undefined;
}

export function compare(model: CmpSide, kernel: CmpSide, o: CompareOptions = {}): Comparison {
  const hz = o.hz ?? 250;
  const jiffy = 1e9 / hz;
  const immediateNs = o.immediateNs ?? 5 * MS;
  const schedNs = o.schedulingNs ?? 2 * MS;
  const [nm, nk] = o.names ?? ['model', 'kernel'];
  const M = model.frames;
  const K = kernel.frames;

  // Frames set aside.
  const ignored = new Map<string, { model: number; kernel: number }>();
  const keepM: number[] = [];
  const keepK: number[] = [];
  M.forEach((f, i) => {
    const why = ignoredWhy(f);
    if (why) (ignored.get(why) ?? ignored.set(why, { model: 0, kernel: 0 }).get(why)!).model++;
    else keepM.push(i);
  });
  K.forEach((f, i) => {
    const why = ignoredWhy(f);
    if (why) (ignored.get(why) ?? ignored.set(why, { model: 0, kernel: 0 }).get(why)!).kernel++;
    else keepK.push(i);
  });

  // Align per kind.
  const groups = new Map<string, { m: number[]; k: number[] }>();
  for (const i of keepM) {
    const key = kindOf(M[i]);
    (groups.get(key) ?? groups.set(key, { m: [], k: [] }).get(key)!).m.push(i);
  }
  for (const i of keepK) {
    const key = kindOf(K[i]);
    (groups.get(key) ?? groups.set(key, { m: [], k: [] }).get(key)!).k.push(i);
  }
  const pairs: [number, number][] = [];
  const matchedM = new Set<number>();
  const matchedK = new Set<number>();
  for (const g of groups.values()) {
    for (const [a, b] of alignGroup(g.m, g.k, M, K)) {
      pairs.push([a, b]);
      matchedM.add(a);
      matchedK.add(b);
    }
  }
  pairs.sort((x, y) => x[0] - y[0]);
  const rowOfPair = new Map<number, Row>();
  const rows: Row[] = [];
  for (const [a, b] of pairs) {
    const r: Row = { model: a, kernel: b, differences: [] };
    rows.push(r);
    rowOfPair.set(a, r);
  }
  for (const i of keepM) if (!matchedM.has(i)) rows.push({ model: i, differences: [] });
  for (const i of keepK) if (!matchedK.has(i)) rows.push({ kernel: i, differences: [] });
  const rowTime = (r: Row): number => (r.model !== undefined ? M[r.model].time : K[r.kernel!].time);
  rows.sort((x, y) => rowTime(x) - rowTime(y) || (x.model ?? Infinity) - (y.model ?? Infinity) || (x.kernel ?? Infinity) - (y.kernel ?? Infinity));

  const where = (r: Row): string => {
    const f = r.model !== undefined ? M[r.model] : K[r.kernel!];
    const ids = [r.model !== undefined ? `${nm} #${r.model + 1}` : '', r.kernel !== undefined ? `${nk} #${r.kernel + 1}` : ''].filter(Boolean).join(', ');
    return `frame ${ids} (${f.dev} ${f.dir} ${describe(f)})`;
  };
  const add = (r: Row, d: Omit<Difference, 'where' | 'modelFrame' | 'kernelFrame'>): void => {
    const full: Difference = { ...d, where: where(r) };
    if (r.model !== undefined) full.modelFrame = r.model;
    if (r.kernel !== undefined) full.kernelFrame = r.kernel;
    r.differences.push(full);
  };

  for (const r of rows) {
    if (r.kernel === undefined) add(r, { kind: 'missing', field: 'frame', model: describe(M[r.model!]), kernel: l10n.t('(no such frame on the {0} side)', nk) });
    else if (r.model === undefined) add(r, { kind: 'extra', field: 'frame', model: l10n.t('(no such frame on the {0} side)', nm), kernel: describe(K[r.kernel]) });
  }

  // Field by field.
  const ports = new Correspondence();
  const echoIds = new Correspondence();
  const tcpDelta = new Map<string, { seq?: number; ts?: number }>();
  for (const [a, b] of pairs) {
    const r = rowOfPair.get(a)!;
    const fm = M[a];
    const fk = K[b];
    const dm = fm.decoded;
    const dk = fk.decoded;
    const same = (field: string, x: unknown, y: unknown, rule?: string): void => {
      if (!eq(x, y)) add(r, { kind: 'field', field, model: fmt(x), kernel: fmt(y), ...(rule ? { rule } : {}) });
    };
    same('len', fm.len, fk.len);
    same('eth.dst', dm.eth?.dst, dk.eth?.dst);
    same('eth.src', dm.eth?.src, dk.eth?.src);
    same('eth.type', dm.eth?.type, dk.eth?.type);
    if (dm.arp || dk.arp) {
      for (const f of ['op', 'sha', 'spa', 'tha', 'tpa'] as const) same(`arp.${f}`, dm.arp?.[f], dk.arp?.[f]);
    }
    if (dm.ip && dk.ip) {
      for (const f of ['version', 'ihl', 'tos', 'totLen', 'df', 'mf', 'fragOffset', 'ttl', 'protocol', 'src', 'dst', 'checkOk', 'options'] as const) {
        same(`ip.${f}`, dm.ip[f], dk.ip[f]);
      }
    }
    same('payloadLen', dm.payloadLen, dk.payloadLen);
    same('problems', [...dm.problems].sort(), [...dk.problems].sort());
    // The host's own port is ephemeral unless the scenario bound it; the other end's is given.
    const ownPort = (mp: number, kp: number, field: string): void => {
      if (!ephemeral(mp) || !ephemeral(kp) || o.fixedPorts?.includes(mp)) {
        same(field, mp, kp, 'a port the scenario chose (bound, or outside the ephemeral range 32768..60999) is equal');
        return;
      }
      const bad = ports.pair(`${dm.ip?.[fm.dir === 'tx' ? 'src' : 'dst']}:${mp}`, `${kp}`);
      if (bad) add(r, { kind: 'port', field, model: String(mp), kernel: String(kp), rule: l10n.t('ephemeral ports correspond one to one ({0})', bad) });
    };
    if (dm.udp || dk.udp) {
      if (!dm.udp || !dk.udp) same('udp', !!dm.udp, !!dk.udp);
      else {
        same('udp.len', dm.udp.len, dk.udp.len);
        same('udp.checkOk', dm.udp.checkOk, dk.udp.checkOk);
        if (fm.dir === 'tx') {
          same('udp.dport', dm.udp.dport, dk.udp.dport);
          ownPort(dm.udp.sport, dk.udp.sport, 'udp.sport');
        } else {
          same('udp.sport', dm.udp.sport, dk.udp.sport);
          ownPort(dm.udp.dport, dk.udp.dport, 'udp.dport');
        }
      }
    }
    if (dm.icmp || dk.icmp) {
      if (!dm.icmp || !dk.icmp) same('icmp', !!dm.icmp, !!dk.icmp);
      else {
        for (const f of ['type', 'code', 'checkOk', 'mtu', 'seq'] as const) same(`icmp.${f}`, dm.icmp[f], dk.icmp[f]);
        if (dm.icmp.id !== undefined && dk.icmp.id !== undefined) {
          const bad = echoIds.pair(String(dm.icmp.id), String(dk.icmp.id));
          if (bad) add(r, { kind: 'field', field: 'icmp.id', model: String(dm.icmp.id), kernel: String(dk.icmp.id), rule: l10n.t('echo identifiers correspond one to one ({0})', bad) });
        }
      }
    }
    if (dm.tcp || dk.tcp) {
      if (!dm.tcp || !dk.tcp) same('tcp', !!dm.tcp, !!dk.tcp);
      else {
        const tm = dm.tcp;
        const tk = dk.tcp;
        same('tcp.flags', tm.flags, tk.flags);
        same('tcp.window', tm.window, tk.window);
        same('tcp.checkOk', tm.checkOk, tk.checkOk);
        const norm = (opts: string[]): string[] => opts.map((x) => (/^TS val/.test(x) ? 'TS' : x));
        same('tcp.options', norm(tm.options), norm(tk.options));
        if (fm.dir === 'tx') {
          same('tcp.dport', tm.dport, tk.dport);
          ownPort(tm.sport, tk.sport, 'tcp.sport');
        } else {
          same('tcp.sport', tm.sport, tk.sport);
          ownPort(tm.dport, tk.dport, 'tcp.dport');
        }
        // Sequence numbers and timestamps start at random values: each direction of a connection
        // has one offset between the sides, and acknowledgements follow the other direction's.
        const conn = fm.dir === 'tx' ? `${dm.ip?.src}:${tm.sport}>${dm.ip?.dst}:${tm.dport}` : `${dm.ip?.dst}:${tm.dport}>${dm.ip?.src}:${tm.sport}`;
        const mine = `${conn}|${fm.dir}`;
        const theirs = `${conn}|${fm.dir === 'tx' ? 'rx' : 'tx'}`;
        const dirState = tcpDelta.get(mine) ?? tcpDelta.set(mine, {}).get(mine)!;
        const rule = 'TCP sequence numbers keep one offset per direction of a connection';
        if (tm.seq === 0 || tk.seq === 0) same('tcp.seq', tm.seq, tk.seq, 'a sequence number of 0 (a reset answering a SYN) is 0 on both sides');
        else {
          const d = (tk.seq - tm.seq) >>> 0;
          if (dirState.seq === undefined) dirState.seq = d;
          else if (dirState.seq !== d) add(r, { kind: 'tcp', field: 'tcp.seq', model: String(tm.seq), kernel: String(tk.seq), rule });
        }
        if (tm.flags.includes('ACK') && tk.flags.includes('ACK')) {
          const other = tcpDelta.get(theirs)?.seq;
          const d = (tk.ack - tm.ack) >>> 0;
          if (other !== undefined && other !== d) add(r, { kind: 'tcp', field: 'tcp.ack', model: String(tm.ack), kernel: String(tk.ack), rule: l10n.t('an acknowledgement is the other direction\'s sequence number, with its offset') });
        }
        const sm = tsOf(tm.options);
        const sk = tsOf(tk.options);
        if (sm && sk) {
          const d = (sk.val - sm.val) >>> 0;
          if (dirState.ts === undefined) dirState.ts = d;
          else if (dirState.ts !== d) add(r, { kind: 'tcp', field: 'tcp.ts', model: String(sm.val), kernel: String(sk.val), rule: l10n.t('TCP timestamps keep one offset per direction of a connection') });
          if ((sm.ecr === 0) !== (sk.ecr === 0)) add(r, { kind: 'tcp', field: 'tcp.tsecr', model: String(sm.ecr), kernel: String(sk.ecr), rule: l10n.t('an echoed timestamp of 0 is 0 on both sides') });
        }
      }
    }
  }

  // IP IDs along each (source, destination, protocol), in the model's order.
  const flows = new Map<string, [number, number][]>();
  for (const [a, b] of pairs) {
    const ip = M[a].decoded.ip;
    if (!ip || !K[b].decoded.ip) continue;
    const key = `${ip.src}>${ip.dst}/${ip.protocol}`;
    (flows.get(key) ?? flows.set(key, []).get(key)!).push([a, b]);
  }
  // An ID is chosen when the datagram is made, at a socket call, which may be long before the
  // frame leaves (datagrams waiting for ARP). For the frames of a flow, the window in which each
  // datagram's ID was chosen: not before the n-th call to that destination (the n-th datagram
  // needs a call of its own), not after the last call before the frame left.
  const PROTO: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp' };
  const windows = (side: CmpSide, F: CmpFrame[], list: number[]): [number, number][] => {
    const ip0 = F[list[0]].decoded.ip!;
    const calls = side.sends
      .filter((c) => c.time >= 0 && c.proto === PROTO[ip0.protocol] && (c.to ?? '').split(':')[0] === ip0.dst)
      .map((c) => c.time)
      .sort((x, y) => x - y);
    let count = -1;
    let n = -1;
    // A copy (nft dup) carries its datagram's ID: it is no datagram of a call of its own, and its
    // ID was chosen at its datagram's call.
    const seen = new Map<number, number>();
    return list.map((i) => {
      const f = F[i];
      const ip = f.decoded.ip!;
      if (ip.fragOffset === 0) {
        const earlier = ip.id === 0 ? undefined : seen.get(ip.id);
        if (earlier !== undefined) n = earlier;
        else {
          n = ++count;
          if (ip.id !== 0) seen.set(ip.id, n);
        }
      }
      if (f.dir !== 'tx' || !calls.length) return [f.time, f.time];
      let last = -1;
      for (const t of calls) if (t <= f.time) last = t;
      const lo = n < calls.length ? Math.min(calls[n], f.time) : f.time;
      return [lo, last >= 0 ? last : f.time];
    });
  };
  const relation = (F: CmpFrame[], x: number, y: number, wx: [number, number], wy: [number, number]): string => {
    const ia = F[x].decoded.ip!.id;
    const ib = F[y].decoded.ip!.id;
    if (ib === ia) return ib === 0 ? 'zero' : 'shared';
    const step = (ib - ia) & 0xffff;
    // The hashed generator moves on by 1 plus a random number below the jiffies since its last
    // use; a per-socket counter by 1. Either may pass through 0: that 0 is the next ID.
    const bound = 2 + Math.floor(Math.max(0, wy[1] - wx[0]) / jiffy);
    if (step <= bound) return 'ascending';
    return ib === 0 ? 'zero' : 'unrelated';
  };
  /** Whether each frame of a flow has the ID 0 of a datagram given none, not a counter's next ID that wrapped to 0. */
  const zeros = (F: CmpFrame[], list: number[], w: [number, number][]): boolean[] =>
    list.map((x, i) => F[x].decoded.ip!.id === 0 && (i === 0 || relation(F, list[i - 1], x, w[i - 1], w[i]) === 'zero'));
  const relName: Record<string, string> = {
    zero: 'is 0', shared: 'the same ID', ascending: 'the next ID (ascending)', unrelated: 'an unrelated ID',
  };
  // The datagram a frame copies (nft dup): the earlier first fragment of the flow with its ID.
  const copies = (F: CmpFrame[], list: number[]): (number | undefined)[] => {
    const first = new Map<number, number>();
    return list.map((i, pos) => {
      const ip = F[i].decoded.ip!;
      if (ip.fragOffset !== 0 || ip.id === 0) return undefined;
      const earlier = first.get(ip.id);
      if (earlier === undefined) first.set(ip.id, pos);
      return earlier;
    });
  };
  for (const list of flows.values()) {
    const wm = windows(model, M, list.map((x) => x[0]));
    const wk = windows(kernel, K, list.map((x) => x[1]));
    const zm = zeros(M, list.map((x) => x[0]), wm);
    const zk = zeros(K, list.map((x) => x[1]), wk);
    for (let i = 0; i < list.length; i++) {
      if (zm[i] === zk[i]) continue;
      const [a, b] = list[i];
      add(rowOfPair.get(a)!, { kind: 'ip-id', field: 'ip.id', model: String(M[a].decoded.ip!.id), kernel: String(K[b].decoded.ip!.id), rule: l10n.t('an IP ID of 0 on one side must be 0 on the other') });
    }
    const cm = copies(M, list.map((x) => x[0]));
    const ck = copies(K, list.map((x) => x[1]));
    for (let i = 0; i < list.length; i++) {
      if (cm[i] === ck[i]) continue;
      const [a, b] = list[i];
      const of = (F: CmpFrame[], x: number | undefined, side: number): string => (x === undefined ? l10n.t('a datagram of its own') : l10n.t('a copy of frame #{0} (ID {1})', list[x][side] + 1, F[list[x][side]].decoded.ip!.id));
      add(rowOfPair.get(a)!, {
        kind: 'ip-id', field: 'ip.id', model: `${M[a].decoded.ip!.id}: ${of(M, cm[i], 0)}`, kernel: `${K[b].decoded.ip!.id}: ${of(K, ck[i], 1)}`,
        rule: l10n.t('a copy (nft dup) carries the IP ID of the datagram it copies'),
      });
    }
    for (let i = 1; i < list.length; i++) {
      const [pa, pb] = list[i - 1];
      const [ca, cb] = list[i];
      const rm = relation(M, pa, ca, wm[i - 1], wm[i]);
      const rk = relation(K, pb, cb, wk[i - 1], wk[i]);
      // Zero is checked frame by frame above, and an ID after a 0 relates to nothing.
      const afterZero = zm[i - 1] || zk[i - 1];
      if (rm !== rk && !afterZero && rm !== 'zero' && rk !== 'zero') {
        add(rowOfPair.get(ca)!, {
          kind: 'ip-id', field: 'ip.id',
          model: l10n.t('{0} then {1}: {2}', M[pa].decoded.ip!.id, M[ca].decoded.ip!.id, relName[rm]),
          kernel: l10n.t('{0} then {1}: {2}', K[pb].decoded.ip!.id, K[cb].decoded.ip!.id, relName[rk]),
          rule: l10n.t('IP IDs are compared by their relation to the previous ID of the same source, destination and protocol'),
        });
      }
    }
  }

  // Times.
  const kSendTime = new Map(kernel.sends.map((s) => [s.index, s.time]));
  type Ev = { t: number; k: number; what: string; frame?: number };
  const events: Ev[] = [];
  for (const s of model.sends) {
    const kt = kSendTime.get(s.index);
    if (kt !== undefined && kt >= 0) events.push({ t: s.time, k: kt, what: `call ${s.index} (line ${s.line})` });
  }
  for (const [a, b] of pairs) events.push({ t: M[a].time, k: K[b].time, what: `${nm} frame #${a + 1}`, frame: a });
  events.sort((x, y) => x.t - y.t);
  const ms = (ns: number): string => (ns / MS).toFixed(3);
  for (const [a, b] of pairs) {
    const tm = M[a].time;
    const tk = K[b].time;
    // The events before this frame in the model: calls at or before its time, frames before it.
    let hi = events.length;
    {
      let lo = 0;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (events[mid].t <= tm) lo = mid + 1;
        else hi = mid;
      }
    }
    let ta: number | undefined;
    // The events since the frame before it (back to that frame's instant). A timer is armed at
    // the latest instant (a probe after the last call) or at the frame's (an ARP retransmit at the
    // call whose request was that frame, however many calls were queued after it).
    const since: Ev[] = [];
    let frameAt: number | undefined;
    for (let i = hi - 1; i >= 0; i--) {
      const e = events[i];
      if (e.frame !== undefined && e.frame >= a) continue;
      if (ta === undefined) ta = e.t;
      if (frameAt !== undefined && e.t !== frameAt) break;
      since.push(e);
      if (e.frame !== undefined && frameAt === undefined) frameAt = e.t;
    }
    const cluster = since.filter((e) => e.t === ta);
    const r = rowOfPair.get(a)!;
    if (ta === undefined) {
      const slack = (wheelGranularity(tm / jiffy) + 1) * jiffy + schedNs;
      if (Math.abs(tk - tm) > slack) add(r, { kind: 'time', field: 'time', model: l10n.t('{0} ms', ms(tm)), kernel: l10n.t('{0} ms', ms(tk)), rule: l10n.t('within {0} ms', ms(slack)) });
      continue;
    }
    if (ta === tm) {
      const ok = cluster.some((e) => tk - e.k >= -MS && tk - e.k <= immediateNs);
      if (!ok) {
        const e = cluster.reduce((x, y) => (Math.abs(tk - y.k) < Math.abs(tk - x.k) ? y : x));
        add(r, {
          kind: 'time', field: 'time', model: l10n.t('{0} ms, at once after {1}', ms(tm), e.what), kernel: l10n.t('{0} ms, {1} ms after it', ms(tk), ms(tk - e.k)),
          rule: l10n.t('a frame the model sends at once follows its cause within {0} ms', ms(immediateNs)),
        });
      }
      continue;
    }
    // The calls queued after the one that armed a timer take a different time on each run (a
    // sender's pace), so the delay is also measured from the instant of the frame before.
    const keeps = (e: Ev): boolean => Math.abs(tk - e.k - (tm - e.t)) <= (wheelGranularity((tm - e.t) / jiffy) + 1) * jiffy + schedNs;
    const gap = tm - ta;
    const slack = (wheelGranularity(gap / jiffy) + 1) * jiffy + schedNs;
    const ok = since.some((e) => (e.t === ta || e.t === frameAt) && keeps(e));
    if (!ok) {
      const e = cluster.reduce((x, y) => (Math.abs(tk - y.k - gap) < Math.abs(tk - x.k - gap) ? y : x));
      add(r, {
        kind: 'time', field: 'time', model: l10n.t('{0} ms, {1} ms after {2}', ms(tm), ms(gap), e.what), kernel: l10n.t('{0} ms, {1} ms after it', ms(tk), ms(tk - e.k)),
        rule: l10n.t('a timer-driven frame keeps its delay within the timer wheel\'s granularity at that delay plus scheduling: ±{0} ms', ms(slack)),
      });
    }
  }

  // Order within a socket call: the frames the model sends at a call's instant come from one task
  // on the kernel too (a veth peer answers within it), so they keep their order across devices,
  // which the alignment per kind and the time rule leave unchecked (an nft dup copy goes out, ARP
  // and all, before its original). Frames of timers at one instant are not ordered here.
  const callTimes = new Set(model.sends.map((x) => x.time));
  const byModel = [...pairs].sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < byModel.length; i++) {
    const [a, b] = byModel[i];
    if (!callTimes.has(M[a].time)) continue;
    // The latest frame of the same instant that the kernel sent after this one.
    let before: [number, number] | undefined;
    for (let j = i - 1; j >= 0 && M[byModel[j][0]].time === M[a].time; j--) if (byModel[j][1] > b) before = byModel[j];
    if (!before) continue;
    add(rowOfPair.get(a)!, {
      kind: 'order', field: 'order',
      model: l10n.t('after {0} #{1} ({2})', nm, before[0] + 1, describe(M[before[0]])), kernel: l10n.t('before {0} #{1}', nk, before[1] + 1),
      rule: l10n.t('the frames of one socket call keep their order, across devices too'),
    });
  }

  const differences: Difference[] = rows.flatMap((r) => r.differences);

  // Socket calls.
  const ks = new Map(kernel.sends.map((s) => [s.index, s]));
  for (const s of model.sends) {
    const k = ks.get(s.index);
    const w = l10n.t('call {0} (line {1}{2}, socket {3})', s.index, s.line, s.proto ? l10n.t(', {0} to {1}', s.proto, s.to ?? '') : '', s.socket);
    if (!k) {
      differences.push({ kind: 'send', field: 'call', where: w, model: s.result, kernel: l10n.t('(not made)'), send: s.index });
      continue;
    }
    if (k.line !== s.line) differences.push({ kind: 'send', field: 'line', where: w, model: String(s.line), kernel: String(k.line), send: s.index, rule: l10n.t('calls are made in the same order') });
    if (k.result !== s.result) differences.push({ kind: 'send', field: 'result', where: w, model: s.result, kernel: k.result, send: s.index });
    const so = (x?: { option: string; result: string }[]): string => fmt((x ?? []).map((y) => `${y.option} ${y.result}`).sort());
    if (so(s.setsockopt) !== so(k.setsockopt)) differences.push({ kind: 'send', field: 'setsockopt', where: w, model: so(s.setsockopt), kernel: so(k.setsockopt), send: s.index });
  }
  for (const k of kernel.sends) {
    if (!model.sends.some((s) => s.index === k.index)) differences.push({ kind: 'send', field: 'call', where: l10n.t('call {0} (line {1})', k.index, k.line), model: l10n.t('(not made)'), kernel: k.result, send: k.index });
  }

  // Error queues and pending errors.
  if (o.sockets !== false && model.sockets && kernel.sockets) {
    const kk = new Map(kernel.sockets.map((s) => [s.name, s]));
    for (const s of model.sockets) {
      const k = kk.get(s.name);
      if (!k) continue;
      const w = l10n.t('socket {0}', s.name);
      if ((s.pendingError ?? '') !== (k.pendingError ?? '')) differences.push({ kind: 'socket', field: 'pendingError', where: w, model: s.pendingError ?? l10n.t('(none)'), kernel: k.pendingError ?? l10n.t('(none)') });
      const q = (e: CmpErr): string => `${e.errno} origin ${e.origin} type ${e.type} code ${e.code} info ${e.info} offender ${e.offender} payload ${e.payloadLen}`;
      const qm = s.errqueue.map(q);
      const qk = k.errqueue.map(q);
      for (let i = 0; i < Math.max(qm.length, qk.length); i++) {
        if (qm[i] !== qk[i]) differences.push({ kind: 'socket', field: 'errqueue', where: l10n.t('{0}, error queue entry {1}', w, i + 1), model: qm[i] ?? l10n.t('(none)'), kernel: qk[i] ?? l10n.t('(none)') });
      }
    }
  }

  // Counters and device statistics.
  if (o.counters !== false && model.counters && kernel.counters) {
    for (const [group, values] of Object.entries(model.counters)) {
      for (const [name, mv] of Object.entries(values)) {
        const kv = kernel.counters[group]?.[name] ?? (group === 'Ip' ? kernel.counters.IpExt?.[name] : undefined) ?? 0;
        if (kv !== mv) differences.push({ kind: 'counter', field: `${group}.${name}`, where: l10n.t('counter {0}.{1}', group, name), model: String(mv), kernel: String(kv) });
      }
    }
  }
  if (o.counters !== false && model.devices && kernel.devices) {
    for (const [dev, values] of Object.entries(model.devices)) {
      const kd = kernel.devices[dev];
      if (!kd) continue;
      for (const [name, mv] of Object.entries(values)) {
        const kv = kd[name] ?? 0;
        if (kv !== mv) differences.push({ kind: 'device', field: `${dev === 'lo' ? 'lo' : 'link'}.${name}`, where: l10n.t('device {0} {1}', dev, name), model: String(mv), kernel: String(kv) });
      }
    }
  }

  // The neighbour table: entries ip neigh lists (NOARP entries it hides), and lo's single entry
  // when both sides list it (`ip neigh show nud all`).
  if (o.neighbours !== false && model.neighbours && kernel.neighbours) {
    const withLo = !!model.neighboursAll && !!kernel.neighboursAll;
    const shown = (n: { dev: string; state: string }): boolean => (n.dev === 'lo' ? withLo : !n.state.includes('NOARP'));
    const nkey = (n: { dev: string; dst: string }): string => `${n.dst} dev ${n.dev}`;
    const km = new Map(kernel.neighbours.filter(shown).map((n) => [nkey(n), n]));
    const mm = new Map(model.neighbours.filter(shown).map((n) => [nkey(n), n]));
    for (const [key, n] of mm) {
      const k = km.get(key);
      const w = l10n.t('neighbour {0}', key);
      if (!k) {
        differences.push({ kind: 'neighbour', field: 'entry', where: w, model: n.state, kernel: l10n.t('(no entry)') });
        continue;
      }
      if (n.state !== k.state) differences.push({ kind: 'neighbour', field: 'state', where: w, model: n.state, kernel: k.state });
      if ((n.lladdr ?? null) !== (k.lladdr ?? null)) differences.push({ kind: 'neighbour', field: 'lladdr', where: w, model: fmt(n.lladdr), kernel: fmt(k.lladdr) });
      if (n.probes !== undefined && k.probes !== undefined && n.probes !== k.probes) differences.push({ kind: 'neighbour', field: 'probes', where: w, model: String(n.probes), kernel: String(k.probes) });
    }
    for (const [key, k] of km) if (!mm.has(key)) differences.push({ kind: 'neighbour', field: 'entry', where: l10n.t('neighbour {0}', key), model: l10n.t('(no entry)'), kernel: k.state });
  }

  // The kernel's events (compare-events.ts).
  const eventsCompared = o.events !== false && model.events !== undefined && kernel.events !== undefined;
  if (eventsCompared) {
    differences.push(...compareEvents(model.events!, kernel.events!, {
      hz, schedulingNs: schedNs, missing: [...(model.eventsMissing ?? []), ...(kernel.eventsMissing ?? [])],
    }));
  }

  return {
    agree: differences.length === 0,
    rows,
    differences,
    ignored: [...ignored.entries()].map(([why, n]) => ({ why, ...n })),
    eventsCompared,
  };
}

// ---- text ----

/** The comparison as text: the aligned frames, then what differs. */
export function formatComparison(c: Comparison, model: CmpSide, kernel: CmpSide, names: [string, string] = [l10n.t('model'), l10n.t('kernel')]): string {
  const [nm, nk] = names;
  const out: string[] = [];
  const ms = (ns: number): string => (ns / MS).toFixed(3).padStart(11);
  out.push(l10n.t('Frames ({0} {1}, {2} {3}):', model.frames.length, nm, kernel.frames.length, nk));
  out.push(`  ${`${nm} #`.padStart(8)} ${`${nk} #`.padStart(9)} ${`${nm} ms`.padStart(11)} ${`${nk} ms`.padStart(11)}  dev   dir  frame`);
  for (const r of c.rows) {
    const f = r.model !== undefined ? model.frames[r.model] : kernel.frames[r.kernel!];
    const mark = r.differences.length ? '!' : ' ';
    out.push(`${mark} ${(r.model !== undefined ? String(r.model + 1) : '-').padStart(8)} ${(r.kernel !== undefined ? String(r.kernel + 1) : '-').padStart(9)} ` +
      `${r.model !== undefined ? ms(model.frames[r.model].time) : '-'.padStart(11)} ${r.kernel !== undefined ? ms(kernel.frames[r.kernel].time) : '-'.padStart(11)}  ` +
      `${f.dev.padEnd(5)} ${f.dir.padEnd(3)}  ${describe(f)}`);
    for (const d of r.differences) out.push(`      ${d.field}: ${nm} ${d.model}; ${nk} ${d.kernel}${d.rule ? ` [${d.rule}]` : ''}`);
  }
  for (const i of c.ignored) out.push(`  ${l10n.t('set aside: {0}: {1} {2}, {3} {4}', i.why, i.model, nm, i.kernel, nk)}`);
  if (c.eventsCompared) out.push(l10n.t('Kernel events compared: {0} {1}, {2} {3}.', model.events!.length, nm, kernel.events!.length, nk));
  else out.push(l10n.t('Kernel events not compared: {0} recorded none.', model.events ? nk : kernel.events ? nm : l10n.t('neither side')));
  const rest = c.differences.filter((d) => d.modelFrame === undefined && d.kernelFrame === undefined);
  if (rest.length) {
    out.push('', l10n.t('Other differences:'));
    for (const d of rest) out.push(`  ${d.where}: ${d.field}: ${nm} ${d.model}; ${nk} ${d.kernel}${d.rule ? ` [${d.rule}]` : ''}`);
  }
  out.push('', c.agree ? l10n.t('The {0} and the {1} agree.', nm, nk) : c.differences.length === 1 ? l10n.t('1 difference.') : l10n.t('{0} differences.', c.differences.length));
  return out.join('\n');
}
