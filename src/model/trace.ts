// The tracer behind `kpath run --trace`: one line per modeled function entered, in the spirit of
// pwru: virtual time, context, packet id, the function (indented by call depth), the packet's
// length, and the decision the function took. Breakpoints by name mark their hits.

import type { Watcher } from './kernel/watch';
import type { SkBuff } from './net/skbuff';

interface Rec {
  time: number;
  ctx: string;
  pkt: number;
  depth: number;
  fn: string;
  len: number;
  decision: string;
  hit: number; // break hit number, 0 if not a breakpoint
}

export interface TraceLine {
  time: number;
  context: string;
  packet: number;
  depth: number;
  function: string;
  len: number;
  decision: string;
  /** Hit count of a `--break` on this function (0: not a breakpoint). */
  hit: number;
}

export class Tracer implements Watcher {
  private stack: Rec[] = [];
  private pending: Rec[] = [];
  private ctx = 'task';
  private hits = new Map<string, number>();
  /** Every line, in order (also streamed to `out`). */
  readonly lines: TraceLine[] = [];

  constructor(
    private readonly now: () => number,
    private readonly out: ((line: TraceLine) => void) | null,
    private readonly breaks: ReadonlySet<string> = new Set(),
    /** When false, only breakpoint hits are kept (for --break without --trace). */
    private readonly all = true,
  ) {}

  breakHits(): Map<string, number> {
    return this.hits;
  }

  context(ctx: 'task' | 'softirq'): void {
    this.flush();
    this.ctx = ctx;
  }

  enter(fn: string, skb: SkBuff | null): void {
    let hit = 0;
    if (this.breaks.has(fn)) {
      hit = (this.hits.get(fn) ?? 0) + 1;
      this.hits.set(fn, hit);
    }
    const rec: Rec = { time: this.now(), ctx: this.ctx, pkt: skb ? skb.id : 0, depth: this.stack.length, fn, len: skb ? skb.len : -1, decision: '', hit };
    this.stack.push(rec);
    if (this.all || hit) this.pending.push(rec);
  }

  at(): void {}

  note(text: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.decision = top.decision ? `${top.decision}; ${text}` : text;
  }

  leave(): void {
    this.stack.pop();
    if (!this.stack.length) this.flush();
  }

  exception(): void {}

  /** Emits the lines of the calls that finished (or are still open at the end of an event). */
  flush(): void {
    for (const r of this.pending) {
      const line: TraceLine = { time: r.time, context: r.ctx, packet: r.pkt, depth: r.depth, function: r.fn, len: r.len, decision: r.decision, hit: r.hit };
      this.lines.push(line);
      if (this.out) this.out(line);
    }
    this.pending = [];
  }
}

/** One line of text: `    0.133000 task    #3  ip_finish_output2         len  142  decision`. */
export function formatTraceLine(l: TraceLine): string {
  const t = (l.time / 1e6).toFixed(6).padStart(13);
  const ctx = l.context.padEnd(7);
  const pkt = (l.packet ? `#${l.packet}` : '').padEnd(5);
  const indent = '  '.repeat(Math.min(l.depth, 24));
  const fn = (indent + l.function).padEnd(58);
  const len = l.len >= 0 ? `len ${String(l.len).padStart(5)}` : ''.padEnd(9);
  const mark = l.hit ? `  <- break ${l.function} (hit ${l.hit})` : '';
  return `${t}ms ${ctx} ${pkt} ${fn} ${len}  ${l.decision}${mark}`.trimEnd();
}
