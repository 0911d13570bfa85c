// What the run has done up to a stop, as objects for expressions: the frames on the wire, the
// socket calls and their results, the drops, the ICMP errors, the SNMP counters and the
// neighbour table (`frames.count`, `sends[1].result`, `neigh("192.0.2.2").state`). Lessons ask
// their questions in these terms (docs/lessons.md).

import type { Value, ObjectValue } from './expr';
import { View, neighView, devView, sockView } from './inspect';
import type { Stop, WireFrame } from './types';
import type { Kernel } from '../model/kernel/kernel';
import type { Send } from '../model/scenario/types';
import type { FrameRecord } from '../model/result';
import { frameRecord } from '../model/run';
import { formatIpv4, parseIpv4 } from '../model/wire/addr';
import type { Neighbour } from '../model/net/neigh';
import { nudName, NUD_VALID } from '../model/net/neigh';
import { formatMac } from '../model/wire/addr';

/**
 * A list of records: `list.count`, `list[i]`, `list.first`, `list.last`, and named sub-lists
 * (`frames.arp`). Shown as one line per item.
 */
export class RecordList implements ObjectValue {
  readonly kind = 'object' as const;
  private cache: ObjectValue[] | null = null;

  constructor(
    readonly typeName: string,
    private readonly make: () => ObjectValue[],
    private readonly subLists: Record<string, () => RecordList> = {},
    /** The number of items, and the item at an index, when they are known without making every item. */
    private readonly direct?: { size: () => number; at: (i: number) => ObjectValue },
  ) {}

  items(): ObjectValue[] {
    this.cache ??= this.make();
    return this.cache;
  }

  get length(): number {
    return this.cache || !this.direct ? this.items().length : this.direct.size();
  }

  get(field: string): Value | undefined {
    if (field === 'count') return this.length;
    if (field === 'first') return this.index(0) ?? null;
    if (field === 'last') return this.index(this.length - 1) ?? null;
    const sub = this.subLists[field];
    return sub ? sub() : undefined;
  }

  index(i: number): Value | undefined {
    if (!this.cache && this.direct) return i >= 0 && i < this.direct.size() ? this.direct.at(i) : undefined;
    return this.items()[i];
  }

  fields(): string[] {
    return ['count', 'first', 'last', ...Object.keys(this.subLists)];
  }

  display(): string {
    return `${this.typeName} (${this.items().length})`;
  }

  /** One line per item (its display), for evidence. */
  lines(): string[] {
    return this.items().map((x) => x.display());
  }
}

/** A plain record view: the given fields in order, a display line. */
function record(typeName: string, display: string, fields: [string, Value | (() => Value)][]): View {
  return new View(typeName, () => display, fields.map(([name, v]) => [name, typeof v === 'function' ? v : () => v]));
}

// --- frames ----------------------------------------------------------------------------------

/** Decoded frames, kept per frame of the runtime (the same objects at every stop). */
const decodedFrames = new WeakMap<WireFrame, FrameRecord>();

function decoded(f: WireFrame, index: number): FrameRecord {
  let r = decodedFrames.get(f);
  if (!r) {
    r = frameRecord(f, index);
    decodedFrames.set(f, r);
  }
  return r;
}

/** One frame on the wire, with its headers by the names Wireshark and the kernel use; decoded when first read. */
export function frameView(f: WireFrame, index: number): View {
  const r = (): FrameRecord => decoded(f, index);
  const d = (): FrameRecord['decoded'] => r().decoded;
  const line = (): string => {
    const x = r();
    return `#${index} ${(x.time / 1e6).toFixed(3)} ms ${x.dev} ${x.dir} ${x.len} B ${x.src} > ${x.dst} ${x.protocol} ${x.info}`;
  };
  const header = <T>(h: T | undefined, make: (h: T) => View): Value => (h ? make(h) : null);
  return new View('frame', line, [
    ['index', () => index],
    ['time', () => f.time],
    ['dev', () => f.dev],
    ['dir', () => f.dir],
    ['len', () => f.bytes.length],
    ['protocol', () => r().protocol],
    ['src', () => r().src],
    ['dst', () => r().dst],
    ['info', () => r().info],
    ['packet', () => f.packet],
    ['eth', () => header(d().eth, (e) => record('ethhdr', `${e.src} > ${e.dst}`, [['dst', e.dst], ['src', e.src], ['type', e.type]]))],
    ['arp', () => header(d().arp, (a) => record('arphdr', `op ${a.op} ${a.spa} > ${a.tpa}`, [
      ['op', a.op], ['sha', a.sha], ['spa', a.spa], ['tha', a.tha], ['tpa', a.tpa],
    ]))],
    ['ip', () => header(d().ip, (ip) => record('iphdr', `${ip.src} > ${ip.dst} id=${ip.id} tot_len=${ip.totLen}`, [
      ['version', ip.version], ['ihl', ip.ihl], ['tos', ip.tos], ['tot_len', ip.totLen], ['id', ip.id],
      ['DF', ip.df], ['MF', ip.mf], ['offset', ip.fragOffset], ['ttl', ip.ttl], ['protocol', ip.protocol],
      ['saddr', ip.src], ['daddr', ip.dst], ['check_ok', ip.checkOk],
    ]))],
    ['udp', () => header(d().udp, (u) => record('udphdr', `${u.sport} > ${u.dport} len ${u.len}`, [['sport', u.sport], ['dport', u.dport], ['len', u.len]]))],
    ['icmp', () => header(d().icmp, (c) => record('icmphdr', `type ${c.type} code ${c.code}`, [['type', c.type], ['code', c.code], ['mtu', c.mtu ?? null]]))],
    ['tcp', () => header(d().tcp, (t) => record('tcphdr', `${t.sport} > ${t.dport} ${t.flags}`, [
      ['sport', t.sport], ['dport', t.dport], ['flags', t.flags], ['seq', t.seq], ['ack', t.ack], ['window', t.window],
    ]))],
    ['payload_len', () => d().payloadLen ?? 0],
  ]);
}

/** Filters of frame lists: `frames.tx`, `frames.arp`, `frames.udp.tx`, ... */
const FRAME_FILTERS: Record<string, (r: FrameRecord, f: WireFrame) => boolean> = {
  tx: (_r, f) => f.dir === 'tx',
  rx: (_r, f) => f.dir === 'rx',
  arp: (r) => r.decoded.arp !== undefined,
  ip: (r) => r.decoded.ip !== undefined,
  udp: (r) => r.decoded.ip !== undefined && r.decoded.ip.protocol === 17,
  icmp: (r) => r.decoded.ip !== undefined && r.decoded.ip.protocol === 1,
  tcp: (r) => r.decoded.ip !== undefined && r.decoded.ip.protocol === 6,
};

/** A list of frames (each keeps its index on the wire), with the filters as sub-lists. */
function frameList(name: string, items: () => { f: WireFrame; i: number }[], direct?: { size: () => number; at: (i: number) => ObjectValue }): RecordList {
  const subs: Record<string, () => RecordList> = {};
  for (const [key, keep] of Object.entries(FRAME_FILTERS)) {
    subs[key] = () => frameList(`${name}.${key}`, () => items().filter(({ f, i }) => keep(decoded(f, i), f)));
  }
  return new RecordList(name, () => items().map(({ f, i }) => frameView(f, i)), subs, direct);
}

/** The frames on the wire up to the stop, with sub-lists by direction and by protocol. */
export function framesList(stop: Stop): RecordList {
  // The whole list counts and indexes without a view of every frame: a long run has millions.
  return frameList('frames', () => stop.wire.slice(0, stop.frameCount).map((f, i) => ({ f, i })), {
    size: () => stop.frameCount,
    at: (i) => frameView(stop.wire[i], i),
  });
}

// --- socket calls, drops, ICMP errors ----------------------------------------------------------

/**
 * The socket calls made up to the stop, in the order they ran: each with its send line, the
 * destination and size, and its result ("ok", an errno name, or "pending" for the call going on).
 */
export function sendsList(stop: Stop): RecordList {
  const k = stop.kernel;
  return new RecordList('sends', () => {
    const sends = stop.calls;
    const out: ObjectValue[] = [];
    const made = k.callCount;
    for (let i = 0; i < made; i++) {
      const c = i < sends.length && i !== k.currentSend ? sends[i] : null;
      out.push(sendView(i, c ? c.line : lineOfPending(stop), c ? c.time : k.now, c ? c.result : 'pending', stop));
    }
    return out;
  });
}

/** The line of the send going on at the stop (its event's label is `send line N`). */
function lineOfPending(stop: Stop): number {
  const m = /^send line (\d+)$/.exec(stop.event);
  return m ? Number(m[1]) : 0;
}

function sendView(index: number, line: number, time: number, result: string, stop: Stop): View {
  const send = stopScenarioSend(stop, line);
  const to = send ? (send.proto === 'icmp' ? send.to : `${send.to}:${send.port}`) : '';
  const size = send ? send.size : 0;
  return record('send', `sends[${index}] line ${line} ${send?.proto ?? ''} to ${to} size ${size}: ${result}`, [
    ['index', index], ['line', line], ['time', time], ['proto', send?.proto ?? ''], ['to', to], ['size', size],
    ['socket', send?.socket ?? `#${index}`], ['result', result],
  ]);
}

/** The scenario's send on a line. */
function stopScenarioSend(stop: Stop, line: number): Send | undefined {
  return stop.scenario.sends.find((s) => s.pos.line === line);
}

export function dropsList(k: Kernel): RecordList {
  return new RecordList('drops', () => k.drops.map((d, i) => record('drop', `drops[${i}] packet #${d.packet} in ${d.function}: ${d.reason}`, [
    ['time', d.time], ['packet', d.packet], ['function', d.function], ['reason', d.reason], ['len', d.len],
  ])));
}

export function icmpList(k: Kernel): RecordList {
  return new RecordList('icmp', () => k.icmp.map((e, i) => record('icmp_error', `icmp[${i}] type ${e.type} code ${e.code} (${e.name}) ${e.from} > ${e.to} about #${e.about}`, [
    ['time', e.time], ['type', e.type], ['code', e.code], ['name', e.name], ['from', e.from], ['to', e.to], ['info', e.info], ['about', e.about],
  ])));
}

/** The stop's call stack, innermost first: `stack[1].fn` is the caller of the function stopped in. */
export function stackList(stop: Stop): RecordList {
  return new RecordList('stack', () => stop.frames.map((f, i) => record('frame', `#${i} ${f.fn}${f.step === 'enter' ? '' : ` (${f.step})`}`, [
    ['fn', f.fn], ['step', f.step], ['call', f.call],
  ])));
}

// --- counters and neighbours -------------------------------------------------------------------

/** The SNMP counters as /proc/net/snmp spells them, and the ARP table's statistics. */
export function countersView(k: Kernel): View {
  const group = (name: string, values: Record<string, number>): View =>
    new View(name, () => Object.entries(values).filter(([, v]) => v).map(([n, v]) => `${n}=${v}`).join(' ') || '(all 0)',
      Object.keys(values).map((n) => [n, () => values[n]]));
  const c = k.net.counters;
  return new View('counters', () => 'Ip, Icmp, Udp, Tcp, ArpCache', [
    ['Ip', () => group('Ip', c.Ip)],
    ['Icmp', () => group('Icmp', c.Icmp)],
    ['Udp', () => group('Udp', c.Udp)],
    ['Tcp', () => group('Tcp', c.Tcp)],
    ['ArpCache', () => group('ArpCache', k.net.arp_tbl.stats as unknown as Record<string, number>)],
  ]);
}

/** A neighbour entry for lessons: its state first (`neigh("192.0.2.2").state`), then struct neighbour's fields. */
export function neighEntryView(n: Neighbour, k: Kernel): View {
  const base = neighView(n, k);
  const extra: [string, () => Value][] = [
    ['state', () => nudName(n.nud_state)],
    ['lladdr', () => (n.nud_state & NUD_VALID ? formatMac(n.ha) : null)],
    ['queued', () => n.arp_queue.length],
  ];
  return new View('struct neighbour *', () => `${formatIpv4(n.key)} dev ${n.dev.name} ${nudName(n.nud_state)}${n.nud_state & NUD_VALID ? ' lladdr ' + formatMac(n.ha) : ''} probes ${n.probes} queued ${n.arp_queue.length}`,
    [...extra, ...base.fields().map((f): [string, () => Value] => [f, () => base.get(f) ?? null])], n);
}

/** The neighbour entry for an address (on any device), or undefined. */
export function findNeigh(k: Kernel, address: string): Neighbour | undefined {
  const a = parseIpv4(address);
  if (a === undefined) return undefined;
  for (const n of k.net.arp_tbl.entries.values()) if (n.key === a) return n;
  return undefined;
}

export function neighboursList(k: Kernel): RecordList {
  return new RecordList('neighbours', () => [...k.net.arp_tbl.entries.values()].map((n) => neighEntryView(n, k)));
}

export function deviceByName(k: Kernel, name: string): View | null {
  const d = k.net.devices.find((x) => x.name === name);
  return d ? devView(d) : null;
}

export function socketByName(k: Kernel, name: string): View | null {
  const s = k.net.sockets.get(name) ?? [...k.net.sockets.values()].find((x) => x.name === name);
  return s ? sockView(s) : null;
}
