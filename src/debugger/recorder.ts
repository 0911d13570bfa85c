// The watcher a re-execution runs the model with: it counts step points, keeps the modeled call
// stack, and stops the run (by throwing StopSignal) where its `decide` says.

import type { SkBuff } from '../model/net/skbuff';
import type { Watcher, ExceptionKind } from '../model/kernel/watch';
import type { Kernel } from '../model/kernel/kernel';
import type { Frame, Stop, StepInfo, StepKind, WireFrame, WireDrop, SendRecord, RuntimeHooks } from './types';
import type { History } from './history';
import type { Scenario } from '../model/scenario/types';

export class StopSignal {
  constructor(readonly stop: Stop) {}
}

export type Decide = (info: StepInfo, rec: Recorder) => boolean;

/** The watcher that counts step points, keeps the modeled call stack and stops when asked. */
export class Recorder implements Watcher {
  steps = 0;
  calls = 0;
  eventSeq = 0;
  stack: Frame[] = [];
  ctx: 'task' | 'softirq' = 'task';
  event = '';
  returned: { fn: string; value: unknown } | undefined;
  pendingException: Stop['exception'];
  /** What the current segment touched (functions entered, exceptions), as History bits. */
  touchedLo = 0;
  touchedHi = 0;
  /** The step points of the current segment so far, when kept (for stepping back). */
  segInfos: StepInfo[] | null = null;

  constructor(
    readonly k: Kernel,
    private readonly from: number,
    private readonly decide: Decide,
    private readonly hooks: RuntimeHooks,
    private readonly interventions: Map<number, ((s: Stop) => void)[]>,
    private readonly history: History,
    private readonly wire: readonly WireFrame[],
    private readonly drops: WireDrop[],
    private readonly returnedCalls: readonly SendRecord[],
    private readonly scenario: Scenario,
  ) {}

  private touch(name: string): void {
    const b = this.history.bit(name);
    if (b < 32) this.touchedLo |= 1 << b;
    else this.touchedHi |= 1 << (b - 32);
  }

  context(ctx: 'task' | 'softirq', label: string): void {
    this.ctx = ctx;
    this.event = label;
    this.eventSeq++;
    this.stack = [];
  }

  enter(fn: string, skb: SkBuff | null, args: Record<string, unknown>, locals?: Record<string, unknown>): void {
    this.touch(fn);
    this.stack.push({ call: ++this.calls, fn, args, locals: locals ?? {}, skb, step: 'enter', decisions: [], returned: false });
    if (this.steps + 1 > this.from && this.hooks.onTrace) {
      this.hooks.onTrace(`${(this.k.now / 1e6).toFixed(6)}ms ${this.ctx} ${skb ? '#' + skb.id : ''} ${'  '.repeat(this.stack.length - 1)}${fn}${skb ? ' len ' + skb.len : ''}`);
    }
    this.point('enter', fn, 'enter');
    this.returned = undefined;
  }

  at(label: string, locals?: Record<string, unknown>): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      if (locals) {
        // `skb` among a step's locals: the function goes on with another skb (ip_finish_output2
        // after skb_expand_head cloned it); the frame's sk_buff is that one from here on.
        const { skb, ...rest } = locals;
        if (skb && typeof skb === 'object' && 'headroom' in skb) top.skb = skb as SkBuff;
        else if (skb !== undefined) rest.skb = skb;
        Object.assign(top.locals, rest);
      }
      top.step = label;
    }
    this.point('at', top?.fn ?? '', label);
  }

  note(text: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.decisions.push(text);
  }

  leave(ret: unknown, locals?: Record<string, unknown>): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      if (locals) Object.assign(top.locals, locals);
      top.ret = ret;
      top.returned = true;
      top.step = 'leave';
    }
    this.point('leave', top?.fn ?? '', 'leave');
    this.stack.pop();
    if (top) this.returned = { fn: top.fn, value: ret };
  }

  exception(kind: ExceptionKind, detail: Record<string, unknown>): void {
    if (kind === 'drop') this.dropped(detail);
    this.touch('!' + kind);
    this.pendingException = { kind, detail };
    const top = this.stack[this.stack.length - 1];
    this.point('exception', top?.fn ?? '', 'exception');
    this.pendingException = undefined;
  }

  /**
   * Logs a drop the first time a re-execution passes it (every part of the run is first run with
   * a recorder), and reports it when it comes after the current position.
   */
  private dropped(detail: Record<string, unknown>): void {
    const k = this.k;
    const index = k.totals.drops - 1;
    let drop = this.drops[index];
    if (drop === undefined && index === this.drops.length) {
      drop = { time: k.now, packet: detail.packet as number, function: detail.function as string, reason: detail.reason as string, len: detail.len as number, frame: k.frameCount };
      this.drops.push(drop);
    }
    if (drop && this.steps >= this.from) this.hooks.onDrop?.(drop, index);
  }

  private point(kind: StepKind, fn: string, label: string): void {
    const step = ++this.steps;
    const list = this.interventions.get(step);
    if (list) for (const f of list) f(this.snapshot(kind, step));
    const info: StepInfo = { step, kind, depth: this.stack.length, eventSeq: this.eventSeq, fn, label };
    if (this.segInfos) this.segInfos.push(info);
    if (this.decide(info, this)) throw new StopSignal(this.snapshot(kind, step));
  }

  snapshot(kind: StepKind, step: number): Stop {
    return {
      step, kind, context: this.ctx, event: this.event, eventSeq: this.eventSeq, time: this.k.now,
      frames: this.stack.slice().reverse(), exception: this.pendingException, returned: kind === 'enter' ? undefined : this.returned,
      frameCount: this.k.frameCount, dropCount: this.k.totals.drops, wire: this.wire, calls: this.returnedCalls, scenario: this.scenario, kernel: this.k,
    };
  }
}
