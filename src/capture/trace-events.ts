// What the kernel's trace of a capture says (tracefs.ts records it): its lines parsed, and the
// events of the capture's host namespace picked out of everything the machine did meanwhile.
// Pure: no I/O.
//
// Tracepoints are global. The capture's devices have names no other namespace has (plan.ts), so
// the neighbour, net and qdisc events are the host's by their device (or ifindex); the peers'
// devices are named the same way, and their events are set aside. skb:kfree_skb names no device,
// so a drop is the host's when:
// - it happened in the task context of the capture's socket helper (a process in the host
//   namespace);
// - else, in softirq context, when the packet was last seen on a device of the capture shortly
//   before (LIFE_NS): queued on a host device, sent by a peer's device to the host, or looped back
//   by the host's lo (a packet the host sent on a link belongs to the peer from then on, and its
//   drop is the peer's). Packets consumed without a drop are not traced, so an address seen
//   longer ago may be a new packet's;
// - else, in softirq context, when it is a neighbour timer's drop of its queue (NEIGH_FAILED,
//   NEIGH_DEAD) that the host's neigh_timer_handler event closes on the same CPU. Timers that
//   expire in one tick run back to back, so the trace keeps every namespace's timer that ends
//   FAILED: another namespace's drop is closed by its own timer's event, not by the host's.
// A drop at skb_release_data (a datagram's frag_list part, freed with it) is its head's side.
// Other drops are set aside as other namespaces' (counted in `setAside`). What cannot be told
// apart: another namespace's packet freed at an address the capture saw less than LIFE_NS before
// (the slab reuses addresses at once).

import type { KernelEvent } from '../model/result';

export interface RawTraceEvent {
  /** CLOCK_MONOTONIC, ns (the trace prints microseconds). */
  ts: number;
  cpu: number;
  pid: number;
  /** Hard or soft interrupt context (the trace's irq-info flags). */
  irq: boolean;
  /** The tracepoint's name: "neigh_update", "kfree_skb"... */
  event: string;
  /** The rest of the line, as the event's print format made it. */
  text: string;
}

// "  <comm>-<pid>  [cpu]  flags  secs.usecs: event: fields"
const LINE = /^\s*.*?-(\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(\d+)\]\s+(\S{4,6})\s+(\d+)\.(\d{6}):\s+(\w+):\s?(.*)$/;

/** The events of a trace file's text (comment lines and lines it cannot read are skipped). */
export function parseTrace(text: string): RawTraceEvent[] {
  const out: RawTraceEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const flags = m[3];
    // The third irq-info flag: 'h' hardirq, 's' softirq, 'H' hardirq in softirq.
    const ctx = flags[2] ?? '.';
    out.push({
      ts: Number(m[4]) * 1e9 + Number(m[5]) * 1e3,
      cpu: Number(m[2]),
      pid: Number(m[1]),
      irq: ctx === 's' || ctx === 'h' || ctx === 'H',
      event: m[6],
      text: m[7],
    });
  }
  return out;
}

const STATES: Record<string, string> = {
  incomplete: 'INCOMPLETE', reachable: 'REACHABLE', stale: 'STALE', delay: 'DELAY', probe: 'PROBE',
  failed: 'FAILED', noarp: 'NOARP', permanent: 'PERMANENT', '0x0': 'NONE',
};

function stateName(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  return STATES[s] ?? s.toUpperCase();
}

function field(text: string, re: RegExp): string | undefined {
  const m = re.exec(text);
  return m ? m[1] : undefined;
}

function mac(hex: string | undefined): string | undefined {
  if (!hex || !/^[0-9a-f]{12}$/.test(hex) || /^0+$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

/** The fields of one event, with the kernel's device name (not yet the scenario's). */
interface Parsed {
  dev?: string;
  ifindex?: number;
  skb?: string;
  event: Omit<KernelEvent, 'time'>;
}

export function parseFields(e: RawTraceEvent): Parsed | undefined {
  const t = e.text;
  if (e.event.startsWith('neigh_')) {
    const dev = field(t, /\bdev (\S+)/);
    const out: Omit<KernelEvent, 'time'> = { event: e.event };
    const neigh = field(t, /\bprimary_key4 (\S+)/);
    if (neigh) out.neigh = neigh;
    if (e.event === 'neigh_create') {
      out.created = field(t, /\bcreated (\d+)/) === '1';
    } else {
      const state = stateName(field(t, /\bnud_state (\S+)/));
      if (state) out.state = state;
    }
    if (e.event === 'neigh_update') {
      const nw = stateName(field(t, /\bnew_state (\S+)/));
      if (nw) out.new = nw;
      const ll = mac(field(t, /\bnew_lladdr ([0-9a-f]*)/));
      if (ll) out.lladdr = ll;
    }
    const err = field(t, /\berr (-?\d+)/);
    if (err !== undefined && e.event !== 'neigh_timer_handler') out.rc = Number(err) | 0;
    return { dev, event: out };
  }
  if (e.event === 'kfree_skb') {
    const out: Omit<KernelEvent, 'time'> = { event: 'kfree_skb', reason: field(t, /\breason: (\S+)/) ?? 'NOT_SPECIFIED' };
    const loc = field(t, /\blocation=([^+\s]+)/);
    if (loc) out.function = loc;
    return { skb: field(t, /\bskbaddr=(\S+)/), event: out };
  }
  if (e.event === 'net_dev_queue' || e.event === 'net_dev_xmit') {
    const out: Omit<KernelEvent, 'time'> = { event: e.event, len: Number(field(t, /\blen=(\d+)/) ?? 0) };
    const rc = field(t, /\brc=(-?\d+)/);
    if (rc !== undefined) out.rc = Number(rc);
    return { dev: field(t, /\bdev=(\S+)/), skb: field(t, /\bskbaddr=(\S+)/), event: out };
  }
  if (e.event === 'qdisc_enqueue' || e.event === 'qdisc_dequeue') {
    // A dequeue that found nothing is not an event of a packet.
    if (e.event === 'qdisc_dequeue' && field(t, /\bpackets=(\d+)/) === '0') return undefined;
    return { ifindex: Number(field(t, /\bifindex=(-?\d+)/)), skb: field(t, /\bskbaddr=(\S+)/), event: { event: e.event } };
  }
  return undefined;
}

export interface Whose {
  /** The kernel's name of each host device -> the scenario's name. */
  host: Record<string, string>;
  /** The kernel's names of the peers' devices. */
  peers: readonly string[];
  /** The host links' ifindexes -> the scenario's names. */
  ifindex: Record<number, string>;
  /** Processes in the host namespace (the socket helper). */
  pids: readonly number[];
  /** CLOCK_MONOTONIC (ns) of time 0. */
  zero: number;
  /** End of the run, ns after time 0: later events are left out. */
  end: number;
  /** The host's loopback device (its kernel name). */
  lo: string;
}

export interface HostEvents {
  /** The host namespace's events, in order, times in ns after time 0, devices by their scenario names. */
  events: (KernelEvent & { skb?: string })[];
  /** Events left out, by why. */
  setAside: Record<string, number>;
}

type Side = 'host' | 'peer' | 'other';

/** A datagram's frag_list parts are freed this soon after it. */
const NEAR_NS = 2_000_000;

/** Drop reasons of the neighbour timer freeing its queue. */
const TIMER_REASONS = new Set(['NEIGH_FAILED', 'NEIGH_DEAD']);

/** How long after a packet was seen on a device its address still names it (a peer frees what it gets within microseconds). */
const LIFE_NS = 10_000_000;

/** Picks the host namespace's events out of a trace (see the top of this file). */
export function hostEvents(raw: readonly RawTraceEvent[], w: Whose): HostEvents {
  const peers = new Set(w.peers);
  const parsed = raw.map(parseFields);
  const side: (Side | undefined)[] = new Array(raw.length);
  const lastSeen = new Map<string, { s: Side; ts: number }>();
  const setAside: Record<string, number> = {};
  const aside = (why: string): void => void (setAside[why] = (setAside[why] ?? 0) + 1);

  // Events that name a device (or ifindex), and drops of packets seen on one.
  const undecided: number[] = [];
  raw.forEach((e, i) => {
    const p = parsed[i];
    if (!p) return;
    if (p.dev !== undefined) {
      const s: Side = p.dev in w.host ? 'host' : peers.has(p.dev) ? 'peer' : 'other';
      side[i] = s;
      if (p.skb && s !== 'other') {
        if (e.event === 'net_dev_queue') lastSeen.set(p.skb, { s, ts: e.ts });
        else if (e.event === 'net_dev_xmit' && p.event.rc === 0) {
          // Sent on a link: the packet is the other end's now; looped back by lo: still the host's.
          lastSeen.set(p.skb, { s: s === 'host' && p.dev !== w.lo ? 'peer' : 'host', ts: e.ts });
        }
      }
      return;
    }
    if (p.ifindex !== undefined) {
      side[i] = p.ifindex in w.ifindex ? 'host' : 'other';
      return;
    }
    // kfree_skb
    const seen = p.skb ? lastSeen.get(p.skb) : undefined;
    if (p.skb) lastSeen.delete(p.skb);
    if (!e.irq) side[i] = w.pids.includes(e.pid) ? 'host' : 'other';
    else if (seen && e.ts - seen.ts <= LIFE_NS) side[i] = seen.s;
    else undecided.push(i);
  });

  // Drops in softirq context of packets never seen on a device of the capture: the host's only
  // when the neighbour timer freed its queue (neigh_invalidate: NEIGH_FAILED, NEIGH_DEAD), which
  // the host's neigh_timer_handler event then closes on the same CPU. Anything else is another
  // namespace's: its packets went through devices the trace's filters leave out.
  const byCpu = new Map<number, number[]>();
  raw.forEach((e, i) => {
    if (parsed[i]) (byCpu.get(e.cpu) ?? byCpu.set(e.cpu, []).get(e.cpu)!).push(i);
  });
  const posInCpu = new Map<number, number>();
  for (const list of byCpu.values()) list.forEach((idx, pos) => posInCpu.set(idx, pos));
  for (const i of undecided) {
    const e = raw[i];
    side[i] = 'other';
    if (!TIMER_REASONS.has(parsed[i]!.event.reason ?? '')) continue;
    const list = byCpu.get(e.cpu)!;
    for (let j = posInCpu.get(i)! + 1; j < list.length; j++) {
      const o = raw[list[j]];
      if (o.ts - e.ts > LIFE_NS || o.pid !== e.pid || o.irq !== e.irq) break;
      if (!o.event.startsWith('neigh_')) continue;
      if (o.event === 'neigh_timer_handler' && side[list[j]] === 'host') side[i] = 'host';
      break;
    }
  }

  // A datagram's frag_list parts are freed with it (skb_release_data), right after its own
  // kfree_skb: they are its side's, whatever their addresses were used for before.
  for (const list of byCpu.values()) {
    let head: number | undefined;
    for (const i of list) {
      const p = parsed[i]!;
      if (p.event.event !== 'kfree_skb') continue;
      if (p.event.function !== 'skb_release_data') head = i;
      else if (head !== undefined && raw[i].ts - raw[head].ts <= NEAR_NS && raw[i].pid === raw[head].pid) side[i] = side[head];
    }
  }

  const events: HostEvents['events'] = [];
  raw.forEach((e, i) => {
    const p = parsed[i];
    if (!p) return;
    const s = side[i];
    if (s === 'peer') return aside(`${p.event.event} of the peers' namespaces`);
    if (s !== 'host') return aside(`${p.event.event} of other namespaces`);
    const time = e.ts - w.zero;
    if (time < 0) return aside('before time 0');
    if (time > w.end) return aside('after the end of the run');
    const ev: KernelEvent & { skb?: string } = { time, ...p.event };
    if (p.dev !== undefined) ev.dev = w.host[p.dev];
    else if (p.ifindex !== undefined) ev.dev = w.ifindex[p.ifindex];
    if (p.skb) ev.skb = p.skb;
    events.push(orderKeys(ev));
  });
  return { events, setAside };
}

const KEY_ORDER = ['time', 'event', 'dev', 'neigh', 'state', 'new', 'lladdr', 'created', 'reason', 'function', 'len', 'rc', 'packet', 'skb'];

/** The keys in one order on both sides, so that stored events read alike. */
function orderKeys<T extends object>(e: T): T {
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (k in e) out[k] = (e as Record<string, unknown>)[k];
  return out as T;
}
