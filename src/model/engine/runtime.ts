// The stepping machine behind the debugger. It knows nothing of any protocol: it runs a scenario
// and stops at step points (a function's entry, a statement inside it, its return, an exception).
//
// The model runs as plain function calls, so it cannot be suspended mid-way. Instead every stop
// is reached by deterministic re-execution: a fresh kernel runs the scenario from the start with a
// watcher that counts step points and throws when it reaches the one asked for. The kernel left
// behind is frozen at exactly that moment, so its objects are the stop's state, with nothing to
// copy. Stepping back is the same operation with a smaller step number, so it is exact.

import type { Scenario } from '../scenario/types';
import type { SkBuff } from '../net/skbuff';
import type { Watcher, ExceptionKind } from './watch';
import { Kernel } from './kernel';
import { createKernel, runKernel } from './run';
import type { Value, ExprEnv } from './expr';
import { evaluate, truthy, interpolate, checkHitCondition, ExprError } from './expr';
import { wrap, ipHeaderView, skbView } from './inspect';

export type StepKind = 'enter' | 'at' | 'leave' | 'exception';

export interface Frame {
  /** Number of this call in the run (stable across re-executions). */
  call: number;
  fn: string;
  args: Record<string, unknown>;
  locals: Record<string, unknown>;
  skb: SkBuff | null;
  /** The step point the frame is at: 'enter', an at() label, or 'leave'. */
  step: string;
  /** Decisions taken so far in this call. */
  decisions: string[];
  ret?: unknown;
  returned: boolean;
}

export interface Stop {
  step: number;
  kind: StepKind;
  context: 'task' | 'softirq';
  /** Label of the event being run (`send line 12`, `neigh_timer_handler 192.0.2.2`, ...). */
  event: string;
  /** Sequence number of that event in the run. */
  eventSeq: number;
  time: number;
  /** Innermost first. */
  frames: Frame[];
  exception?: { kind: ExceptionKind; detail: Record<string, unknown> };
  /** The call that returned just before this stop, for "step out" return values. */
  returned?: { fn: string; value: unknown };
  /** Frames on the wire before this stop. */
  frameCount: number;
  kernel: Kernel;
}

export interface Breakpoint {
  id: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface FunctionBreakpoint extends Breakpoint {
  name: string;
}

/** A line breakpoint, resolved to the step points on its line. */
export interface StepBreakpoint extends Breakpoint {
  steps: { fn: string; step: string }[];
}

export interface ExceptionFilter {
  kind: ExceptionKind;
  condition?: string;
}

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'exception' | 'goto';

export interface StopResult {
  stop: Stop | null; // null: the run ended
  reason: StopReason;
  hitBreakpointIds: number[];
  /** Logpoint messages and breakpoint-condition errors produced on the way. */
  output: string[];
}

/** What a step looked like, for choosing where stepping lands. */
interface StepInfo {
  step: number;
  kind: StepKind;
  depth: number;
  eventSeq: number;
  fn: string;
  label: string;
}

class StopSignal {
  constructor(readonly stop: Stop) {}
}

export interface RuntimeHooks {
  /** A frame went on the wire after the current position (for a live capture view). */
  onFrame?: (time: number, dev: string, dir: 'tx' | 'rx', bytes: Uint8Array, packet: number) => void;
  /** A packet was dropped after the current position. */
  onDrop?: (detail: Record<string, unknown>) => void;
  /** A trace line (a function entered) after the current position. */
  onTrace?: (line: string) => void;
}

type Decide = (info: StepInfo, rec: Recorder) => boolean;

/** The watcher that counts step points, keeps the modeled call stack and stops when asked. */
class Recorder implements Watcher {
  steps = 0;
  calls = 0;
  eventSeq = 0;
  stack: Frame[] = [];
  ctx: 'task' | 'softirq' = 'task';
  event = '';
  returned: { fn: string; value: unknown } | undefined;
  pendingException: Stop['exception'];

  constructor(
    readonly k: Kernel,
    private readonly from: number,
    private readonly decide: Decide,
    private readonly hooks: RuntimeHooks,
    private readonly interventions: Map<number, ((s: Stop) => void)[]>,
  ) {}

  context(ctx: 'task' | 'softirq', label: string): void {
    this.ctx = ctx;
    this.event = label;
    this.eventSeq++;
    this.stack = [];
  }

  enter(fn: string, skb: SkBuff | null, args: Record<string, unknown>): void {
    this.stack.push({ call: ++this.calls, fn, args, locals: {}, skb, step: 'enter', decisions: [], returned: false });
    if (this.steps + 1 > this.from && this.hooks.onTrace) {
      this.hooks.onTrace(`${(this.k.now / 1e6).toFixed(6)}ms ${this.ctx} ${skb ? '#' + skb.id : ''} ${'  '.repeat(this.stack.length - 1)}${fn}${skb ? ' len ' + skb.len : ''}`);
    }
    this.point('enter', fn, 'enter');
    this.returned = undefined;
  }

  at(label: string, locals?: Record<string, unknown>): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      if (locals) Object.assign(top.locals, locals);
      top.step = label;
    }
    this.point('at', top?.fn ?? '', label);
  }

  note(text: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.decisions.push(text);
  }

  leave(ret: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      top.ret = ret;
      top.returned = true;
      top.step = 'leave';
    }
    this.point('leave', top?.fn ?? '', 'leave');
    this.stack.pop();
    if (top) this.returned = { fn: top.fn, value: ret };
  }

  exception(kind: ExceptionKind, detail: Record<string, unknown>): void {
    if (kind === 'drop' && this.steps >= this.from) this.hooks.onDrop?.(detail);
    this.pendingException = { kind, detail };
    const top = this.stack[this.stack.length - 1];
    this.point('exception', top?.fn ?? '', 'exception');
    this.pendingException = undefined;
  }

  private point(kind: StepKind, fn: string, label: string): void {
    const step = ++this.steps;
    const list = this.interventions.get(step);
    if (list) for (const f of list) f(this.snapshot(kind, step));
    const info: StepInfo = { step, kind, depth: this.stack.length, eventSeq: this.eventSeq, fn, label };
    if (this.decide(info, this)) throw new StopSignal(this.snapshot(kind, step));
  }

  snapshot(kind: StepKind, step: number): Stop {
    return {
      step, kind, context: this.ctx, event: this.event, eventSeq: this.eventSeq, time: this.k.now,
      frames: this.stack.slice().reverse(), exception: this.pendingException, returned: kind === 'enter' ? undefined : this.returned,
      frameCount: this.k.frameCount, kernel: this.k,
    };
  }
}

export interface RuntimeOptions {
  /** Guard against scenarios that never settle. */
  maxEvents?: number;
}

export class Runtime {
  private functionBps: FunctionBreakpoint[] = [];
  private stepBps: StepBreakpoint[] = [];
  private exceptionFilters: ExceptionFilter[] = [];
  private interventions = new Map<number, ((s: Stop) => void)[]>();
  /** Where the debuggee is stopped (null before the start and after the end). */
  current: Stop | null = null;
  /** The run has reached its end (only restart goes on from there). */
  ended = false;
  hooks: RuntimeHooks = {};

  constructor(readonly scenario: Scenario, private readonly options: RuntimeOptions = {}) {}

  setFunctionBreakpoints(bps: FunctionBreakpoint[]): void {
    this.functionBps = bps;
  }

  setStepBreakpoints(bps: StepBreakpoint[]): void {
    this.stepBps = bps;
  }

  setExceptionFilters(filters: ExceptionFilter[]): void {
    this.exceptionFilters = filters;
  }

  /** Starts the run: stop at its first step point, or run to the first breakpoint. */
  start(stopOnEntry: boolean): StopResult {
    this.current = null;
    this.ended = false;
    if (stopOnEntry) return this.goTo(1, 'entry');
    return this.continue();
  }

  /** Runs forward to the next breakpoint or exception (or to the end). */
  continue(): StopResult {
    return this.forward((info, rec, out) => this.breakpointAt(info, rec, out, true));
  }

  /** Next step point in this function or a caller (steps over calls). */
  next(): StopResult {
    const cur = this.current;
    if (!cur) return this.continue();
    const depth = cur.frames.length;
    return this.forward((info, rec, out) => this.breakpointAt(info, rec, out, true) ?? (info.kind !== 'exception' && (info.eventSeq !== cur.eventSeq || info.depth <= depth) ? 'step' : null));
  }

  /** The very next step point (into calls), or the entry of one chosen call (`target` = its call number). */
  stepIn(target?: number): StopResult {
    const cur = this.current;
    if (!cur) return this.continue();
    if (target !== undefined) {
      return this.forward((info, rec) => (info.kind === 'enter' && rec.calls === target ? 'step' : null));
    }
    return this.forward((info, rec, out) => this.breakpointAt(info, rec, out, true) ?? (info.kind !== 'exception' ? 'step' : null));
  }

  /** Runs until the current function has returned (stops at the caller's next step point). */
  stepOut(): StopResult {
    const cur = this.current;
    if (!cur) return this.continue();
    const depth = cur.frames.length;
    // Out of the current function: the caller's next step point, or the next call the caller makes
    // (a call at this depth can only come after the current frame returned).
    return this.forward((info, rec, out) => this.breakpointAt(info, rec, out, true) ?? (info.kind !== 'exception' && (info.eventSeq !== cur.eventSeq || info.depth < depth || (info.depth === depth && info.kind === 'enter')) ? 'step' : null));
  }

  /** The previous step point in this function or a caller: the reverse of next. */
  stepBack(): StopResult {
    const cur = this.current;
    if (!cur || cur.step <= 1) return this.goTo(1, 'entry');
    const infos = this.history(cur.step - 1);
    const depth = cur.frames.length;
    for (let i = infos.length - 1; i >= 0; i--) {
      const s = infos[i];
      if (s.kind === 'exception') continue;
      if (s.eventSeq !== cur.eventSeq || s.depth <= depth) return this.goTo(s.step, 'step');
    }
    return this.goTo(1, 'entry');
  }

  /** Runs backwards to the previous breakpoint or exception (or to the first step point). */
  reverseContinue(): StopResult {
    const cur = this.current;
    if (!cur || cur.step <= 1) return this.goTo(1, 'entry');
    const hits: { step: number; reason: StopReason; ids: number[] }[] = [];
    const limit = cur.step - 1;
    this.hitCounts.clear();
    try {
      this.replay(0, false, (info, rec) => {
        if (info.step > limit) throw new EndOfHistory();
        const r = this.breakpointAt(info, rec, [], false);
        if (r) hits.push({ step: info.step, reason: r, ids: this.lastHitIds.slice() });
        return false;
      });
    } catch (e) {
      if (!(e instanceof EndOfHistory)) throw e;
    }
    const last = hits[hits.length - 1];
    if (!last) return this.goTo(1, 'entry');
    const res = this.goTo(last.step, last.reason);
    res.hitBreakpointIds = last.ids;
    return res;
  }

  /** Restarts from the beginning, keeping breakpoints and knob changes. */
  restart(stopOnEntry: boolean): StopResult {
    return this.start(stopOnEntry);
  }

  /** The calls the current step point makes next (for stepInTargets). */
  stepInTargets(): { call: number; fn: string }[] {
    const cur = this.current;
    if (!cur) return [];
    const depth = cur.frames.length;
    const found: { call: number; fn: string }[] = [];
    try {
      this.replay(cur.step, false, (info, rec) => {
        if (info.step <= cur.step) return false;
        if (info.eventSeq !== cur.eventSeq) throw new EndOfHistory();
        if (info.depth < depth || (info.depth === depth && info.kind !== 'enter')) throw new EndOfHistory();
        if (info.kind === 'enter' && info.depth === depth + 1) found.push({ call: rec.calls, fn: info.fn });
        return false;
      });
    } catch (e) {
      if (!(e instanceof EndOfHistory)) throw e;
    }
    return found;
  }

  /**
   * Changes model state at the current stop (a knob such as dev->mtu): applied now to the frozen
   * kernel and again at this step point in every later re-execution, so the change persists.
   */
  intervene(apply: (s: Stop) => void): void {
    const cur = this.current;
    if (!cur) throw new Error('not stopped');
    const list = this.interventions.get(cur.step) ?? [];
    list.push(apply);
    this.interventions.set(cur.step, list);
    apply(cur);
  }

  /** The expression environment of a frame of the current stop (0 = innermost). */
  env(frameIndex = 0): ExprEnv {
    const cur = this.current;
    if (!cur) return emptyEnv;
    return stopEnv(cur, frameIndex);
  }

  // --- machinery -----------------------------------------------------------------------------

  private lastHitIds: number[] = [];
  private hitCounts = new Map<number, number>();

  /**
   * Whether a breakpoint stops here: 'breakpoint' / 'function breakpoint' / 'exception', or null.
   * Counts hits and produces logpoint output (only when `live`, i.e. going forward past `from`).
   */
  private breakpointAt(info: StepInfo, rec: Recorder, out: string[], live: boolean): StopReason | null {
    this.lastHitIds = [];
    if (info.kind === 'exception') {
      const ex = rec.pendingException!;
      for (const f of this.exceptionFilters) {
        if (f.kind !== ex.kind) continue;
        if (f.condition && !this.test(f.condition, rec, out, live)) continue;
        return 'exception';
      }
      return null;
    }
    let reason: StopReason | null = null;
    if (info.kind === 'enter') {
      for (const bp of this.functionBps) {
        if (bp.name !== info.fn) continue;
        if (this.hit(bp, rec, out, live)) {
          reason = 'function breakpoint';
          this.lastHitIds.push(bp.id);
        }
      }
    }
    for (const bp of this.stepBps) {
      if (!bp.steps.some((s) => s.fn === info.fn && s.step === info.label)) continue;
      if (this.hit(bp, rec, out, live)) {
        reason = reason ?? 'breakpoint';
        this.lastHitIds.push(bp.id);
      }
    }
    return reason;
  }

  /** Condition, hit count and logpoint of one breakpoint at a matching step point. */
  private hit(bp: Breakpoint, rec: Recorder, out: string[], live: boolean): boolean {
    if (bp.condition && !this.test(bp.condition, rec, out, live)) return false;
    const hits = (this.hitCounts.get(bp.id) ?? 0) + 1;
    this.hitCounts.set(bp.id, hits);
    if (bp.hitCondition) {
      try {
        if (!checkHitCondition(bp.hitCondition, hits)) return false;
      } catch (e) {
        if (live) out.push(`hit condition "${bp.hitCondition}": ${(e as Error).message}`);
        return true;
      }
    }
    if (bp.logMessage !== undefined) {
      if (live) out.push(interpolate(bp.logMessage, recEnv(rec)));
      return false;
    }
    return true;
  }

  private test(cond: string, rec: Recorder, out: string[], live: boolean): boolean {
    try {
      return truthy(evaluate(cond, recEnv(rec)));
    } catch (e) {
      // A condition that cannot be evaluated stops, so the user sees why.
      if (live) out.push(`condition "${cond}": ${e instanceof ExprError ? e.message : (e as Error).message}`);
      return true;
    }
  }

  /** Runs forward from the current stop until `pick` names a reason to stop. */
  private forward(pick: (info: StepInfo, rec: Recorder, out: string[]) => StopReason | 'step' | null): StopResult {
    const from = this.current?.step ?? 0;
    const output: string[] = [];
    let reason: StopReason = 'step';
    let ids: number[] = [];
    this.hitCounts.clear();
    const stop = this.replay(from, true, (info, rec) => {
      const live = info.step > from;
      const r = live ? pick(info, rec, output) : this.countOnly(info, rec);
      if (!live || !r) return false;
      reason = r === 'step' ? 'step' : r;
      ids = this.lastHitIds.slice();
      return true;
    });
    this.current = stop;
    if (!stop) this.ended = true;
    return { stop, reason, hitBreakpointIds: ids, output };
  }

  /** Before the current position, breakpoints only count their hits (no logpoints, no stops). */
  private countOnly(info: StepInfo, rec: Recorder): null {
    this.breakpointAt(info, rec, [], false);
    return null;
  }

  /** Re-executes to step `n` exactly. */
  private goTo(n: number, reason: StopReason): StopResult {
    this.hitCounts.clear();
    const stop = this.replay(Math.max(0, n - 1), false, (info) => info.step >= n);
    this.current = stop;
    return { stop, reason, hitBreakpointIds: [], output: [] };
  }

  /** Every step point up to `n`, for choosing where to step back to. */
  private history(n: number): StepInfo[] {
    const infos: StepInfo[] = [];
    try {
      this.replay(0, false, (info) => {
        if (info.step > n) throw new EndOfHistory();
        infos.push(info);
        return false;
      });
    } catch (e) {
      if (!(e instanceof EndOfHistory)) throw e;
    }
    return infos;
  }

  /**
   * One re-execution from the start. `decide` sees every step point; returning true stops there.
   * Frames, drops and trace lines after `from` go to the hooks. Returns null when the run ends.
   */
  private replay(from: number, emit: boolean, decide: Decide): Stop | null {
    const hooks: RuntimeHooks = emit ? this.hooks : {};
    let rec: Recorder | null = null;
    const k = createKernel(this.scenario, {
      frameSinks: hooks.onFrame ? [(t, dev, dir, bytes, pkt) => { if (rec && rec.steps >= from) hooks.onFrame!(t, dev, dir, bytes, pkt); }] : [],
    });
    rec = new Recorder(k, from, decide, hooks, this.interventions);
    k.w = rec;
    try {
      runKernel(k, this.scenario.run, { maxEvents: this.options.maxEvents });
    } catch (e) {
      if (e instanceof StopSignal) return e.stop;
      throw e;
    }
    return null;
  }
}

class EndOfHistory {}

const emptyEnv: ExprEnv = { lookup: () => undefined, names: () => [] };

function recEnv(rec: Recorder): ExprEnv {
  return stopEnv(rec.snapshot('at', rec.steps), 0);
}

/** Names visible at a frame: its arguments and locals, then the stop's globals. */
export function stopEnv(stop: Stop, frameIndex: number): ExprEnv {
  const k = stop.kernel;
  const frame = stop.frames[frameIndex];
  const globals: Record<string, () => unknown> = {
    jiffies: () => k.jiffies,
    now: () => k.now,
    reason: () => stop.exception?.detail.reason,
    exception: () => stop.exception?.kind,
  };
  const lookup = (name: string): Value | undefined => {
    if (frame) {
      if (name in frame.locals) return wrap(frame.locals[name], k);
      if (name in frame.args) {
        const v = frame.args[name];
        // Arguments named skb refer to the frame's packet as it is now.
        if (name === 'skb' && frame.skb) return skbView(frame.skb, k);
        return wrap(v, k);
      }
      if (name === 'skb' && frame.skb) return skbView(frame.skb, k);
    }
    if (stop.exception && name in stop.exception.detail) return wrap(stop.exception.detail[name], k);
    if (name in globals) return wrap(globals[name](), k);
    return undefined;
  };
  const names = (): string[] => {
    const n = new Set<string>();
    if (frame) {
      Object.keys(frame.locals).forEach((x) => n.add(x));
      Object.keys(frame.args).forEach((x) => n.add(x));
      if (frame.skb) n.add('skb');
    }
    if (stop.exception) Object.keys(stop.exception.detail).forEach((x) => n.add(x));
    Object.keys(globals).forEach((x) => n.add(x));
    return [...n];
  };
  const call = (fn: string, args: Value[]): Value | undefined => {
    const a = args[0];
    const target = a && typeof a === 'object' && 'target' in a ? (a as { target?: unknown }).target : undefined;
    switch (fn) {
      case 'ip_hdr':
        return target && (target as SkBuff).network_header !== undefined ? ipHeaderView(target as SkBuff) : undefined;
      case 'skb_headroom':
        return target ? (target as SkBuff).headroom : undefined;
      case 'skb_tailroom':
        return target ? (target as SkBuff).tailroom : undefined;
      case 'ntohs':
      case 'htons':
      case 'ntohl':
      case 'htonl':
        return a;
      default:
        return undefined;
    }
  };
  return { lookup, names, call, functions: () => ['ip_hdr', 'skb_headroom', 'skb_tailroom', 'ntohs', 'htons', 'ntohl', 'htonl'] };
}
