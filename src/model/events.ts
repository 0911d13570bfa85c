// The kernel tracepoints a run fires (neighbour events, kfree_skb with its drop reason, the
// devices' transmits), recorded for the result's `events` list when a run asks for them
// (RunOptions.events). A watcher, so a run that does not ask pays nothing: the modeled functions
// fire tracepoints only while a watcher is attached. Another watcher (a tracer, the debugger's)
// still sees everything through it.

import type { Watcher, ExceptionKind, SkbEvent } from './kernel/watch';
import type { SkBuff } from './net/skbuff';
import type { KernelEvent, TracepointFields } from './result';

export class EventRecorder implements Watcher {
  /** Every tracepoint fired so far, in order, with its virtual time. */
  readonly events: KernelEvent[] = [];

  constructor(
    private readonly now: () => number,
    private readonly inner: Watcher | null = null,
  ) {}

  tracepoint(fields: TracepointFields): void {
    this.events.push({ time: this.now(), ...fields });
    this.inner?.tracepoint?.(fields);
  }

  enter(fn: string, skb: SkBuff | null, args: Record<string, unknown>, locals?: Record<string, unknown>): void {
    this.inner?.enter(fn, skb, args, locals);
  }

  at(label: string, locals?: Record<string, unknown>): void {
    this.inner?.at(label, locals);
  }

  note(text: string): void {
    this.inner?.note(text);
  }

  leave(ret: unknown, locals?: Record<string, unknown>): void {
    this.inner?.leave(ret, locals);
  }

  skb(event: SkbEvent, skb: SkBuff): void {
    this.inner?.skb?.(event, skb);
  }

  exception(kind: ExceptionKind, detail: Record<string, unknown>): void {
    this.inner?.exception(kind, detail);
  }

  context(ctx: 'task' | 'softirq', label: string): void {
    this.inner?.context(ctx, label);
  }
}
