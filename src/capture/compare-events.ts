// Comparing the kernel's events of two runs (compare.ts compares their frames): the model's
// tracepoints (RunOptions.events) against a real kernel's trace (kpath capture, trace-events.ts).
// Three things are checked, each in order:
// - each neighbour entry's (device and address) state transitions: the states it goes through as
//   its events show them (neigh_create, the old state of each neigh_update, the state after
//   neigh_update_done, neigh_timer_handler, neigh_event_send_done/dead), repeats collapsed; and
//   each neigh_update's old state, requested state and link-layer address;
// - each drop's reason (skb:kfree_skb, the kernel's enum skb_drop_reason without its prefix), in
//   order; not the function, since the trace's location is a return address and a tail call
//   names the caller's caller;
// - each device's transmit sequence: net_dev_queue (length), net_dev_xmit (length and return
//   code) and, where a qdisc exists, qdisc_enqueue and qdisc_dequeue.
// Timers: a neigh_timer_handler must come after the event that armed it (the entry's latest state
// change, or its previous timer) with the same delay on both sides, within the timer wheel's
// granularity at that delay plus one jiffy and scheduling. A timer that finds the entry REACHABLE
// is not timed: reachable_time is random (base_reachable_time/2 .. 3/2). Other times are not
// compared here: the frames' times are. Events of other namespaces never reach this point (the
// capture sets them aside), and a tracepoint the capture's kernel does not have is not compared.
//
// Pure: no I/O.

import * as l10n from '@vscode/l10n';
import type { KernelEvent } from '../model/result';
import type { Difference } from './compare';
import { wheelGranularity } from './compare';

export interface EventCompareOptions {
  hz?: number;
  schedulingNs?: number;
  names?: [string, string];
  /** Tracepoints (without their subsystem) that one side could not record: not compared. */
  missing?: readonly string[];
}

const NEIGH_EVENTS = new Set(['neigh_create', 'neigh_update', 'neigh_update_done', 'neigh_timer_handler', 'neigh_event_send_done', 'neigh_event_send_dead']);
const DEV_EVENTS = new Set(['net_dev_queue', 'net_dev_xmit', 'qdisc_enqueue', 'qdisc_dequeue']);

/** One neighbour entry's states as its events show them, with the event that showed each. */
interface Transition {
  state: string;
  time: number;
  event: string;
}

/** The states an entry goes through (repeats collapsed), in order. */
export function neighTransitions(events: readonly KernelEvent[]): Transition[] {
  const out: Transition[] = [];
  const push = (state: string | undefined, e: KernelEvent): void => {
    if (state === undefined) return;
    if (out.length && out[out.length - 1].state === state) return;
    out.push({ state, time: e.time, event: e.event });
  };
  for (const e of events) {
    if (e.event === 'neigh_create') push(e.created === false ? 'NOT CREATED' : 'NONE', e);
    else push(e.state, e);
  }
  return out;
}

function groupBy<T>(list: readonly T[], key: (x: T) => string | undefined): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    if (k !== undefined) (m.get(k) ?? m.set(k, []).get(k)!).push(x);
  }
  return m;
}

const MS = 1_000_000;
const ms = (ns: number): string => (ns / MS).toFixed(3);

/** The differences between two runs' events (see the top of this file). */
export function compareEvents(model: readonly KernelEvent[], kernel: readonly KernelEvent[], o: EventCompareOptions = {}): Difference[] {
  const hz = o.hz ?? 250;
  const jiffy = 1e9 / hz;
  const schedNs = o.schedulingNs ?? 2 * MS;
  const missing = new Set(o.missing ?? []);
  const keep = (e: KernelEvent): boolean => !missing.has(e.event);
  const M = model.filter(keep);
  const K = kernel.filter(keep);
  const out: Difference[] = [];
  const diff = (field: string, where: string, m: string, k: string, rule?: string): void => {
    out.push({ kind: 'event', field, where, model: m, kernel: k, ...(rule ? { rule } : {}) });
  };

  // Neighbour entries.
  const timerCount = (n: number): string => (n === 1 ? l10n.t('1 timer') : l10n.t('{0} timers', n));
  const neighKey = (e: KernelEvent): string | undefined => (NEIGH_EVENTS.has(e.event) ? `${e.neigh} dev ${e.dev}` : undefined);
  const nm = groupBy(M, neighKey);
  const nk = groupBy(K, neighKey);
  for (const key of [...new Set([...nm.keys(), ...nk.keys()])].sort()) {
    const where = l10n.t('neighbour {0}', key);
    const em = nm.get(key) ?? [];
    const ek = nk.get(key) ?? [];
    const tm = neighTransitions(em);
    const tk = neighTransitions(ek);
    const sm = tm.map((t) => t.state).join(' -> ');
    const sk = tk.map((t) => t.state).join(' -> ');
    if (sm !== sk) diff('neigh.transitions', where, sm || l10n.t('(no events)'), sk || l10n.t('(no events)'));

    const upd = (l: KernelEvent[]): string[] => l.filter((e) => e.event === 'neigh_update').map((e) => `${e.state} -> ${e.new}${e.lladdr ? ` lladdr ${e.lladdr}` : ''}`);
    const um = upd(em);
    const uk = upd(ek);
    for (let i = 0; i < Math.max(um.length, uk.length); i++) {
      if (um[i] !== uk[i]) diff('neigh_update', l10n.t('{0}, neigh_update {1}', where, i + 1), um[i] ?? l10n.t('(none)'), uk[i] ?? l10n.t('(none)'));
    }

    // Timers: each neigh_timer_handler's delay after what armed it.
    const timers = (l: KernelEvent[]): { time: number; delay: number; before: string }[] => {
      const res: { time: number; delay: number; before: string }[] = [];
      let armed = l.length ? l[0].time : 0;
      let state = '';
      for (const e of l) {
        const s = e.event === 'neigh_create' ? 'NONE' : e.state ?? state;
        if (e.event === 'neigh_timer_handler') {
          res.push({ time: e.time, delay: e.time - armed, before: state });
          armed = e.time;
        } else if (s !== state) armed = e.time;
        state = s;
      }
      return res;
    };
    const xm = timers(em);
    const xk = timers(ek);
    if (xm.length !== xk.length) {
      diff('neigh_timer_handler', where, timerCount(xm.length), timerCount(xk.length));
    }
    for (let i = 0; i < Math.min(xm.length, xk.length); i++) {
      if (xm[i].before === 'REACHABLE' || xk[i].before === 'REACHABLE') continue;
      const slack = (wheelGranularity(Math.round(xm[i].delay / jiffy)) + 1) * jiffy + schedNs;
      if (Math.abs(xm[i].delay - xk[i].delay) > slack) {
        diff('neigh_timer_handler.time', l10n.t('{0}, timer {1}', where, i + 1), l10n.t('{0} ms after it was armed', ms(xm[i].delay)), l10n.t('{0} ms', ms(xk[i].delay)),
          l10n.t("a timer keeps its delay within the timer wheel's granularity at that delay plus a jiffy and scheduling: ±{0} ms", ms(slack)));
      }
    }
  }

  // Drops, in order, by reason.
  const dm = M.filter((e) => e.event === 'kfree_skb');
  const dk = K.filter((e) => e.event === 'kfree_skb');
  for (let i = 0; i < Math.max(dm.length, dk.length); i++) {
    const a = dm[i];
    const b = dk[i];
    if (a?.reason !== b?.reason) {
      diff('kfree_skb.reason', l10n.t('drop {0}', i + 1), a ? `${a.reason} (${a.function ?? '?'}, ${ms(a.time)} ms)` : l10n.t('(none)'), b ? `${b.reason} (${b.function ?? '?'}, ${ms(b.time)} ms)` : l10n.t('(none)'));
    }
  }

  // Each device's transmit sequence.
  const devKey = (e: KernelEvent): string | undefined => (DEV_EVENTS.has(e.event) ? e.dev ?? '?' : undefined);
  const xm = groupBy(M, devKey);
  const xk = groupBy(K, devKey);
  const line = (e: KernelEvent | undefined): string => {
    if (!e) return l10n.t('(none)');
    if (e.event === 'net_dev_xmit') return `net_dev_xmit len ${e.len} rc ${e.rc}`;
    if (e.event === 'net_dev_queue') return `net_dev_queue len ${e.len}`;
    return e.event;
  };
  for (const dev of [...new Set([...xm.keys(), ...xk.keys()])].sort()) {
    const a = xm.get(dev) ?? [];
    const b = xk.get(dev) ?? [];
    let shown = 0;
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (line(a[i]) === line(b[i])) continue;
      // After the first few, one line says how many more differ.
      if (shown++ < 4) diff('dev.transmit', l10n.t('device {0}, event {1}', dev, i + 1), line(a[i]), line(b[i]));
    }
    if (shown > 4) diff('dev.transmit', l10n.t('device {0}', dev), l10n.t('{0} events', a.length), l10n.t('{0} events', b.length), l10n.t('{0} more differences', shown - 4));
  }
  return out;
}

/** How many events of each kind a run has, for reports: "neigh 12, kfree_skb 1, net_dev 8". */
export function eventSummary(events: readonly KernelEvent[]): { neigh: number; drops: number; xmit: number } {
  let neigh = 0;
  let drops = 0;
  let xmit = 0;
  for (const e of events) {
    if (NEIGH_EVENTS.has(e.event)) neigh++;
    else if (e.event === 'kfree_skb') drops++;
    else if (DEV_EVENTS.has(e.event)) xmit++;
  }
  return { neigh, drops, xmit };
}
