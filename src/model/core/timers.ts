// The queue of pending events on the virtual clock: socket calls from the scenario, kernel timers,
// frames arriving from peers. A binary heap ordered by (time, insertion order) so that events at
// the same instant run in the order they were scheduled, which keeps runs deterministic.

export interface Event {
  time: number;
  seq: number;
  /** Which context runs it: the sending task, or softirq/timer context. */
  context: 'task' | 'softirq';
  label: string;
  /**
   * What runs: a module-level function and its arguments, never a closure, so that a copy of the
   * kernel (a debugger checkpoint, see snapshot.ts) carries its pending events with it: the copy's
   * arguments point into the copy.
   */
  fn: EventFn;
  args: unknown[];
  cancelled: boolean;
  /** Housekeeping that does not keep a run going (a REACHABLE entry's timer): see runKernel. */
  quiet: boolean;
  /**
   * Order among events at the same instant: socket calls first, in the scenario's line order
   * (their index), then everything else in the order it was scheduled.
   */
  prio: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventFn = (...args: any[]) => void;

const LAST = Number.MAX_SAFE_INTEGER;

export class EventQueue {
  private heap: Event[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  add(time: number, context: Event['context'], label: string, fn: EventFn, args: unknown[], quiet = false, prio = LAST): Event {
    const ev: Event = { time, seq: this.seq++, context, label, fn, args, cancelled: false, quiet, prio };
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
    return ev;
  }

  peek(): Event | undefined {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    return this.heap[0];
  }

  pop(): Event | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  /** Is every pending event housekeeping? */
  allQuiet(): boolean {
    return this.heap.every((e) => e.cancelled || e.quiet);
  }

  /** Pending events that will still run, in order (for display). */
  pending(): Event[] {
    return this.heap.filter((e) => !e.cancelled).sort((a, b) => (before(a, b) ? -1 : 1));
  }
}

function before(a: Event, b: Event): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.prio !== b.prio) return a.prio < b.prio;
  return a.seq < b.seq;
}
