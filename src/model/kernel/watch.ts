// What the engine tells whoever watches a run: the CLI's tracer, the debug adapter's stepper,
// tests. The modeled functions call these only when a watcher is attached (`if (k.w)`), so a run
// that nobody watches is plain function calls.

import type { SkBuff } from '../net/skbuff';
import type { TracepointFields } from '../result';

export type ExceptionKind = 'drop' | 'icmp' | 'neigh-failed' | 'nf-drop';

export interface Watcher {
  /**
   * A modeled function starts. `args` are its arguments by their C names; `locals`, the locals its
   * listing declares that are known already (initialised from the arguments).
   */
  enter(fn: string, skb: SkBuff | null, args: Record<string, unknown>, locals?: Record<string, unknown>): void;
  /** A step point inside the current function; `locals` are the locals that just changed. */
  at(label: string, locals?: Record<string, unknown>): void;
  /** The decision the current function just took, in words (`len 3028 > mtu 1500 -> ip_fragment`). */
  note(text: string): void;
  /** The current function returns; `locals` are the locals that changed since its last step point. */
  leave(ret: unknown, locals?: Record<string, unknown>): void;
  /** Something a learner may want to stop on: a drop (with its reason), an ICMP error, ... */
  exception(kind: ExceptionKind, detail: Record<string, unknown>): void;
  /** The event loop starts running an event in a context (the sending task or softirq). */
  context(ctx: 'task' | 'softirq', label: string): void;
  /**
   * A kernel tracepoint fires where the kernel has one (trace_neigh_update, trace_kfree_skb,
   * trace_net_dev_xmit...), for comparison with a real kernel's trace. Optional: watchers that
   * do not compare events leave it out.
   */
  tracepoint?(fields: TracepointFields): void;
  /**
   * Optional, for checks of skb lifetimes: an skb is allocated, used up (consume_skb) or freed
   * with a drop reason (kfree_skb_reason). Called only with a watcher attached.
   */
  skb?(event: SkbEvent, skb: SkBuff): void;
}

export type SkbEvent = 'alloc' | 'consume' | 'drop';
