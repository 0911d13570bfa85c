// The stepping machine behind the debugger. It knows nothing of any protocol: it runs a scenario
// and stops at step points (a function's entry, a statement inside it, its return, an exception).
//
// The model runs as plain function calls, so it cannot be suspended mid-way. Instead every stop
// is reached by deterministic re-execution: a fresh kernel runs the scenario from the start with a
// watcher that counts step points and throws when it reaches the one asked for. The kernel left
// behind is frozen at exactly that moment, so its objects are the stop's state, with nothing to
// copy. Stepping back is the same operation with a smaller step number, so it is exact.
//
// Re-executing a long history would make every stop slower than the one before, so the runtime
// keeps an index of the run (History): where each segment (an event, or one call of a send line
// repeated at one instant) starts, in steps and calls, and which functions it entered. A
// re-execution runs the segments before the one it needs with no watcher at all (the model's fast
// path) and switches the recorder on at the right segment with the counts it would have had.
//
// It also keeps checkpoints: copies of the kernel taken between two events (snapshot.ts), spaced
// so that copying one back costs about as much as running the steps between two of them. A
// re-execution starts from the last checkpoint before the part it needs instead of from the
// start, so a stop costs the same at step 100 and at step 1,000,000.

import type { Scenario } from '../scenario/types';
import type { SkBuff } from '../net/skbuff';
import type { Watcher, ExceptionKind } from './watch';
import { Kernel } from './kernel';
import { createKernel, runKernel, sendLines, totalCalls } from './run';
import { copyKernel, CopyPlan, Shared } from './snapshot';
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
  /** The frames of the run as far as it is known; the first frameCount are this stop's. */
  wire: readonly WireFrame[];
  kernel: Kernel;
}

/** A frame on the wire, as the debugger keeps it for the Wire view. */
export interface WireFrame {
  time: number;
  dev: string;
  dir: 'tx' | 'rx';
  bytes: Uint8Array;
  packet: number;
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

/** A step point where a breakpoint (or an exception filter) stops. */
interface Hit {
  step: number;
  reason: StopReason;
  ids: number[];
}

class StopSignal {
  constructor(readonly stop: Stop) {}
}

export interface RuntimeHooks {
  /** A frame went on the wire after the current position (for a live capture view). */
  onFrame?: (time: number, dev: string, dir: 'tx' | 'rx', bytes: Uint8Array, packet: number, index: number) => void;
  /** A packet was dropped after the current position. */
  onDrop?: (detail: Record<string, unknown>) => void;
  /** A trace line (a function entered) after the current position. */
  onTrace?: (line: string) => void;
  /** A long run forward has made `calls` of the scenario's `total` socket calls (every 65,536). */
  onProgress?: (calls: number, total: number) => void;
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

  enter(fn: string, skb: SkBuff | null, args: Record<string, unknown>): void {
    this.touch(fn);
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
    this.touch('!' + kind);
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
    if (this.segInfos) this.segInfos.push(info);
    if (this.decide(info, this)) throw new StopSignal(this.snapshot(kind, step));
  }

  snapshot(kind: StepKind, step: number): Stop {
    return {
      step, kind, context: this.ctx, event: this.event, eventSeq: this.eventSeq, time: this.k.now,
      frames: this.stack.slice().reverse(), exception: this.pendingException, returned: kind === 'enter' ? undefined : this.returned,
      frameCount: this.k.frameCount, wire: this.wire, kernel: this.k,
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

  constructor(readonly scenario: Scenario, private readonly options: RuntimeOptions = {}) {
    // What every kernel of this scenario refers to and no run changes: checkpoints share it.
    this.shared.add(scenario);
    this.shared.add(sendLines(scenario));
  }

  setFunctionBreakpoints(bps: FunctionBreakpoint[]): void {
    this.functionBps = bps;
    this.config++;
  }

  setStepBreakpoints(bps: StepBreakpoint[]): void {
    this.stepBps = bps;
    this.config++;
  }

  setExceptionFilters(filters: ExceptionFilter[]): void {
    this.exceptionFilters = filters;
    this.config++;
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
    const ready = this.takeAhead(cur);
    if (ready) return ready;
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
    const depth = cur.frames.length;
    const fits = (s: StepInfo): boolean => s.kind !== 'exception' && (s.eventSeq !== cur.eventSeq || s.depth <= depth);
    // The steps of the current segment are known from the re-execution that stopped here; earlier
    // segments are re-executed one at a time, newest first, until one has a step to go back to.
    let seg = this.curSeg;
    let infos = this.curInfos ?? this.segmentInfos(seg, cur.step - 1);
    for (;;) {
      for (let i = infos.length - 1; i >= 0; i--) {
        const s = infos[i];
        if (s.step < cur.step && fits(s)) return this.goTo(s.step, 'step');
      }
      if (--seg < 0) return this.goTo(1, 'entry');
      infos = this.segmentInfos(seg, cur.step - 1);
    }
  }

  /** Runs backwards to the previous breakpoint or exception (or to the first step point). */
  reverseContinue(): StopResult {
    const cur = this.current;
    if (!cur || cur.step <= 1) return this.goTo(1, 'entry');
    const h = this.history;
    const limit = cur.step - 1;
    const mask = this.breakMask(false);
    const last = h.segmentOf(limit);
    const known = this.knownHits();
    const stopAt = (found: Hit): StopResult => {
      const res = this.goTo(found.step, found.reason);
      res.hitBreakpointIds = found.ids;
      return res;
    };
    // Windows of segments, newest first and doubling in size: in each re-execution (from the
    // checkpoint before the window) only the segments that entered a function with a breakpoint
    // (or raised a watched exception) run with the recorder, the rest on the fast path. A segment
    // searched before under the same breakpoints needs no re-execution (its hits are known), so
    // going back hit after hit mostly costs one re-execution, the one that stops there.
    let hi = last;
    let width = REVERSE_WINDOW;
    while (hi >= 0) {
      if (known) {
        for (; hi >= 0; hi--) {
          const hits = known.get(hi);
          if (hits === undefined && (hi === last || h.touches(hi, mask))) break;
          const before = hits?.filter((x) => x.step <= limit);
          if (before?.length) return stopAt(before[before.length - 1]);
        }
        if (hi < 0) break;
      }
      const lo = Math.max(0, hi - width + 1);
      let found: Hit | undefined;
      const bySeg = new Map<number, Hit[]>();
      this.hitCounts.clear();
      try {
        this.replay(h.startOf(last), false, (info, rec) => {
          if (info.step > limit) throw new EndOfHistory();
          const r = this.breakpointAt(info, rec, [], false);
          const seg = this.replaySeg;
          if (r && seg >= lo && seg <= hi) {
            const hit = { step: info.step, reason: r, ids: this.lastHitIds.slice() };
            found = hit;
            const list = bySeg.get(seg);
            if (list) list.push(hit);
            else bySeg.set(seg, [hit]);
          }
          return false;
        }, { countHits: true, firstSeg: lo, lastSeg: hi, record: (i) => i >= lo && i <= hi && (i === last || h.touches(i, mask)) });
      } catch (e) {
        if (!(e instanceof EndOfHistory)) throw e;
      }
      // Every segment of the window before the stop's ran to its end with the recorder (or never
      // entered a function with a breakpoint): its hits are all known now.
      if (known) for (let i = lo; i <= Math.min(hi, last - 1); i++) known.set(i, bySeg.get(i) ?? []);
      if (found) return stopAt(found);
      hi = lo - 1;
      width *= 2;
    }
    return this.goTo(1, 'entry');
  }

  /**
   * The breakpoint hits found so far in whole segments, by segment, under the breakpoints as they
   * are now; null when a breakpoint has a hit count (whether it stops depends on every hit before,
   * so reverse continue counts them from the start each time). A change of breakpoints, exception
   * filters or a knob (config) makes a new one.
   */
  private knownHits(): Map<number, Hit[]> | null {
    const m = this.breakMask(true);
    if (m[0] | m[1]) return null;
    const c = this.hitsKnown;
    if (c && c.config === this.config && c.segs.size < KNOWN_HITS_MAX) return c.segs;
    this.hitsKnown = { config: this.config, segs: new Map() };
    return this.hitsKnown.segs;
  }

  /**
   * Works out `next` from the current stop ahead of time, so that when the learner presses F10
   * the answer is already there. The adapter calls this when it has nothing else to do after a
   * stop (a learner reads each stop for a while; a re-execution takes a fraction of a millisecond).
   * Nothing of it shows until next() takes it: the position stays where it is, and what the hooks
   * would have reported (frames on the wire, drops, trace lines) is kept and reported then. A
   * change to what a run does (breakpoints, exception filters, a knob) or any other move throws
   * it away. What it adds to the index of the run, the checkpoints and the frames known is the
   * same any re-execution would add: the run is deterministic.
   */
  prepareNext(): void {
    const cur = this.current;
    if (!cur || this.ended || (this.ahead && this.ahead.from === cur && this.ahead.config === this.config)) return;
    this.ahead = null;
    const live = this.hooks;
    const seg = this.curSeg;
    const infos = this.curInfos;
    const held: (() => void)[] = [];
    const { onFrame, onDrop, onTrace } = live;
    this.hooks = {
      onFrame: onFrame && ((time, dev, dir, bytes, packet, index) => {
        const copy = bytes.slice();
        held.push(() => onFrame(time, dev, dir, copy, packet, index));
      }),
      onDrop: onDrop && ((detail) => held.push(() => onDrop(detail))),
      onTrace: onTrace && ((line) => held.push(() => onTrace(line))),
    };
    try {
      const result = this.next();
      this.ahead = { from: cur, config: this.config, result, seg: this.curSeg, infos: this.curInfos, held };
    } catch {
      // next() itself will meet the same error and report it.
    } finally {
      this.hooks = live;
      this.current = cur;
      this.ended = false;
      this.curSeg = seg;
      this.curInfos = infos;
    }
  }

  /** The `next` prepared from `cur`, made the current position; null if there is none. */
  private takeAhead(cur: Stop): StopResult | null {
    const a = this.ahead;
    this.ahead = null;
    if (!a || a.from !== cur || a.config !== this.config) return null;
    this.current = a.result.stop;
    this.ended = !a.result.stop;
    this.curSeg = a.seg;
    this.curInfos = a.infos;
    for (const f of a.held) f();
    return a.result;
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
    this.config++;
    this.interventions.set(cur.step, list);
    // What the run does after this step may change: forget the segments, checkpoints and frames
    // that follow it (a checkpoint at the start of this segment comes before the change, and a
    // re-execution from it makes the change again at this step).
    this.history.truncate(this.curSeg + 1);
    this.checkpoints.truncate(this.curSeg);
    if (this.wire.length > cur.frameCount) this.wire.length = cur.frameCount;
    apply(cur);
  }

  /**
   * The frames on the wire up to the current position (the whole run once it has ended), from
   * `start` (0-based), at most `count`; and how many there are in all.
   */
  frames(start: number, count: number): { frames: readonly WireFrame[]; total: number } {
    const total = this.current ? this.current.frameCount : this.wire.length;
    const from = Math.max(0, Math.min(start, total));
    return { frames: this.wire.slice(from, Math.min(total, from + Math.max(0, count))), total };
  }

  /** What the index of the run costs: segments known, steps they cover, bytes held; checkpoints. */
  historyStats(): { segments: number; steps: number; bytes: number; frames: number; frameBytes: number; checkpoints: number; checkpointObjects: number; checkpointBytes: number } {
    let frameBytes = 0;
    for (const f of this.wire) frameBytes += f.bytes.length + 64;
    const cp = this.checkpoints;
    return {
      segments: this.history.n, steps: this.history.stepsKnown(), bytes: this.history.bytes(), frames: this.wire.length, frameBytes,
      checkpoints: cp.list.length, checkpointObjects: cp.objects(), checkpointBytes: cp.bytes(),
    };
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
  private readonly history = new History();
  private readonly checkpoints = new Checkpoints();
  private readonly shared = new Shared();
  private readonly wire: WireFrame[] = [];
  /** The segment the current stop is in, and its step points up to the stop. */
  private curSeg = 0;
  private curInfos: StepInfo[] | null = null;
  /** The segment the running re-execution is in. */
  private replaySeg = -1;
  /** Bumped by every change to what a run does (breakpoints, exception filters, knobs). */
  private config = 0;
  /** A `next` worked out ahead of time (prepareNext). */
  private ahead: { from: Stop; config: number; result: StopResult; seg: number; infos: StepInfo[] | null; held: (() => void)[] } | null = null;
  /** Breakpoint hits by segment, for reverse continue (knownHits). */
  private hitsKnown: { config: number; segs: Map<number, Hit[]> } | null = null;

  /** History bits of what the breakpoints (only those with a hit count, if `hitOnly`) stop on. */
  private breakMask(hitOnly: boolean): [number, number] {
    const names: string[] = [];
    for (const bp of this.functionBps) if (!hitOnly || bp.hitCondition) names.push(bp.name);
    for (const bp of this.stepBps) if (!hitOnly || bp.hitCondition) for (const st of bp.steps) names.push(st.fn);
    if (!hitOnly) for (const f of this.exceptionFilters) names.push('!' + f.kind);
    return this.history.mask(names);
  }

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
    }, { countHits: true, keepInfos: true });
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
    const stop = this.replay(Math.max(0, n - 1), false, (info) => info.step >= n, { keepInfos: true });
    this.current = stop;
    return { stop, reason, hitBreakpointIds: [], output: [] };
  }

  /** The step points of segment `seg` up to step `upTo`, for choosing where to step back to. */
  private segmentInfos(seg: number, upTo: number): StepInfo[] {
    const h = this.history;
    const first = h.startOf(seg);
    const end = seg + 1 < h.n ? Math.min(upTo, h.startOf(seg + 1)) : upTo;
    const infos: StepInfo[] = [];
    try {
      this.replay(first, false, (info) => {
        if (info.step > end) throw new EndOfHistory();
        if (info.step > first) infos.push(info);
        return false;
      }, { lastSeg: seg });
    } catch (e) {
      if (!(e instanceof EndOfHistory)) throw e;
    }
    return infos;
  }

  /**
   * A fresh kernel to run from checkpoint `cp`. The recent checkpoint is copied at every step, so a
   * checkpoint copied a second time gets a plan that makes later copies cheaper (CopyPlan); one
   * copied once (going back through the history) does not pay for making it.
   */
  private copyOf(cp: Checkpoint): Kernel {
    if (cp.plan) return cp.plan.copy();
    if (cp.copies++ === 0) return copyKernel(cp.kernel, this.shared).kernel;
    cp.plan = new CopyPlan(cp.kernel, this.shared);
    return cp.plan.copy();
  }

  /**
   * One re-execution from the start. `decide` sees every step point the recorder sees; returning
   * true stops there. Frames, drops and trace lines after `from` go to the hooks (with `emit`).
   * Segments of the run already in the History whose steps all come before `from` run with no
   * watcher, unless a knob change was made in them, or (with `countHits`) they entered a function
   * with a hit-counted breakpoint, or `record` asks for them. Returns null when the run ends.
   */
  private replay(from: number, emit: boolean, decide: Decide, opts: ReplayOptions = {}): Stop | null {
    const hooks: RuntimeHooks = emit ? this.hooks : {};
    const h = this.history;
    let rec: Recorder | null = null;
    const hitMask = opts.countHits ? this.breakMask(true) : null;
    const counted = hitMask !== null && (hitMask[0] | hitMask[1]) !== 0;
    // Start from the last checkpoint before every step this re-execution must see: the steps
    // after `from` (with `emit`, the whole segment of step `from`, whose frames after it are
    // reported). Hit counts need the whole run: with hit-counted breakpoints it starts from the
    // beginning.
    const cp = counted ? null : this.checkpoints.before(from, opts.firstSeg ?? Infinity, emit);
    const k = cp ? this.copyOf(cp) : createKernel(this.scenario, { record: 'counts' });
    // No per-call records, and no frames in the kernel: the runtime logs each frame the first
    // time a re-execution puts it on the wire (they are the same in every re-execution).
    const wire = this.wire;
    const onFrame = hooks.onFrame;
    k.frameSinks.push((t, dev, dir, bytes, pkt) => {
      if (k.frameCount > wire.length) wire.push({ time: t, dev, dir, bytes: bytes.slice(), packet: pkt });
      if (onFrame && rec && k.w === rec && rec.steps >= from) onFrame(t, dev, dir, bytes, pkt, k.frameCount - 1);
    });
    // The kernel's hooks below are made first and attached after, never written as a function
    // expression assigned straight to a property: V8's interpreter allocates such a function in
    // the old generation (it expects a method that lives long). These live one re-execution, and
    // an old one keeps its re-execution's whole kernel alive through every young collection
    // until the next full one. In a new process, until V8 optimizes this function, that made
    // young collections copy 3 to 7 MB each (pauses of 5 to 20 ms) instead of about 0.1 MB.
    const onProgress = hooks.onProgress;
    if (onProgress) {
      const total = totalCalls(this.scenario);
      const progress = (): void => onProgress(k.callCount, total);
      k.progress = progress;
    }
    const r = new Recorder(k, from, decide, hooks, this.interventions, h, wire);
    rec = r;
    if (opts.keepInfos) r.segInfos = [];
    const knobs = [...this.interventions.keys()];
    const record = opts.record;
    const lastSeg = opts.lastSeg ?? Infinity;
    let seg = cp ? cp.seg - 1 : -1;
    let label = '';
    let recording = false;
    const segment = (event: boolean, lbl?: string): void => {
      if (recording) h.setTouched(seg, r.touchedLo, r.touchedHi);
      seg++;
      if (seg > lastSeg) throw new EndOfHistory();
      this.replaySeg = seg;
      if (event) {
        label = lbl ?? '';
        // Between two events: keep a copy of the kernel when the last one is far enough back.
        // (The segment's first step is known from the History, or, for a new segment, from the
        // recorder, which always runs in the last known segment.)
        // The segment this re-execution must watch (the one `from` is in, or a later one) is
        // also kept as the recent checkpoint: the next step forward re-executes from there.
        const near = seg + 1 >= h.n || h.startOf(seg + 1) > from;
        this.checkpoints.offer(seg, seg < h.n ? h.startOf(seg) : r.steps, () => copyKernel(k, this.shared), near);
      }
      if (seg + 1 < h.n) {
        const first = h.startOf(seg);
        const end = h.startOf(seg + 1);
        const skip = (end < from || (end === from && !emit)) &&
          !(counted && h.touches(seg, hitMask!)) &&
          !knobIn(knobs, first, end) &&
          !(record && record(seg));
        if (skip) {
          k.w = null;
          recording = false;
          return;
        }
      }
      if (seg < h.n) {
        if (!recording) {
          // Resume recording with the counts this segment starts with.
          r.steps = h.startOf(seg);
          r.calls = h.callsOf(seg);
          r.eventSeq = h.eventOf(seg) - (event ? 1 : 0);
          r.stack = [];
          r.returned = undefined;
          if (!event) {
            r.ctx = k.ctx;
            r.event = label;
          }
        }
      } else {
        // The first re-execution to get this far: the segment joins the History.
        h.push(r.steps, r.calls, r.eventSeq + (event ? 1 : 0));
      }
      r.touchedLo = 0;
      r.touchedHi = 0;
      if (r.segInfos) r.segInfos = [];
      recording = true;
      k.w = r;
    };
    k.segment = segment;
    try {
      runKernel(k, this.scenario.run, { maxEvents: this.options.maxEvents });
    } catch (e) {
      if (e instanceof StopSignal) {
        this.curSeg = seg;
        this.curInfos = r.segInfos;
        // The stop's kernel never runs again: drop what ties it to this re-execution (its
        // recorder's decision closes over the previous stop, which would keep every stop alive).
        k.w = null;
        k.segment = null;
        k.frameSinks = [];
        k.progress = null;
        return e.stop;
      }
      throw e;
    }
    if (recording && seg >= 0) h.setTouched(seg, r.touchedLo, r.touchedHi);
    return null;
  }
}

interface ReplayOptions {
  /** Count breakpoint hits before `from` (forward runs: hit conditions depend on them). */
  countHits?: boolean;
  /** The first segment the re-execution must run with the recorder (when before `from`). */
  firstSeg?: number;
  /** End the re-execution after this segment. */
  lastSeg?: number;
  /** Segments to run with the recorder even before `from`. */
  record?: (segment: number) => boolean;
  /** Keep the step points of the stop's segment (for stepping back from the stop). */
  keepInfos?: boolean;
}

/**
 * The index of a run, built by the re-executions as they record: for each segment (an event, or
 * one call of a send line repeated at one instant), the step and call counts it starts with, the
 * sequence number of its event, and 64 bits of what it touched (each function entered and each
 * exception kind maps to a bit), 32 bytes a segment.
 */
class History {
  n = 0;
  private start = new Float64Array(256);
  private calls = new Float64Array(256);
  private event = new Float64Array(256);
  private lo = new Int32Array(256);
  private hi = new Int32Array(256);
  private readonly bits = new Map<string, number>();

  bit(name: string): number {
    let b = this.bits.get(name);
    if (b === undefined) {
      b = this.bits.size % 64;
      this.bits.set(name, b);
    }
    return b;
  }

  mask(names: string[]): [number, number] {
    let lo = 0;
    let hi = 0;
    for (const n of names) {
      const b = this.bit(n);
      if (b < 32) lo |= 1 << b;
      else hi |= 1 << (b - 32);
    }
    return [lo, hi];
  }

  push(start: number, calls: number, event: number): void {
    if (this.n === this.start.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as { new (n: number): T })(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.calls = grow(this.calls);
      this.event = grow(this.event);
      this.lo = grow(this.lo);
      this.hi = grow(this.hi);
    }
    const i = this.n++;
    this.start[i] = start;
    this.calls[i] = calls;
    this.event[i] = event;
    this.lo[i] = 0;
    this.hi[i] = 0;
  }

  setTouched(i: number, lo: number, hi: number): void {
    if (i < this.n) {
      this.lo[i] = lo;
      this.hi[i] = hi;
    }
  }

  touches(i: number, m: [number, number]): boolean {
    return ((this.lo[i] & m[0]) | (this.hi[i] & m[1])) !== 0;
  }

  startOf(i: number): number {
    return this.start[i];
  }

  callsOf(i: number): number {
    return this.calls[i];
  }

  eventOf(i: number): number {
    return this.event[i];
  }

  /** The segment that holds step `step` (segment i holds steps startOf(i)+1 .. startOf(i+1)). */
  segmentOf(step: number): number {
    let a = 0;
    let b = this.n - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (this.start[m] < step) a = m;
      else b = m - 1;
    }
    return Math.max(0, a);
  }

  truncate(n: number): void {
    if (n < this.n) this.n = Math.max(0, n);
  }

  stepsKnown(): number {
    return this.n ? this.start[this.n - 1] : 0;
  }

  bytes(): number {
    return this.start.length * (8 * 3 + 4 * 2);
  }
}

/** A copy of the kernel at the start of segment `seg` (before its event ran). */
interface Checkpoint {
  seg: number;
  /** Steps before it. */
  step: number;
  kernel: Kernel;
  objects: number;
  bytes: number;
  /** Re-executions started from it so far. */
  copies: number;
  /** How to copy it, made the second time a re-execution starts from it. */
  plan?: CopyPlan;
}

/**
 * The checkpoints of a run, in order. A new one is taken when the steps since the last one reach
 * the largest of MIN_SPACING, SPACING_PER_OBJECT times the size of the last copy, and the steps
 * known so far over SPACING_DIVISOR. Copying a kernel back costs about as much per object as
 * running a few steps, so a re-execution from the nearest checkpoint costs about twice a copy
 * whatever the depth while the history is short; over very long histories the spacing grows with
 * the history, so their number grows only with its logarithm (about 1,200 for 7 million steps)
 * and a re-execution runs at most a few tens of thousands of steps on the fast path.
 */
class Checkpoints {
  readonly list: Checkpoint[] = [];
  /**
   * The start of the segment stepped in last (one copy, replaced as stepping moves on): stepping
   * forward re-executes only the current segment, not everything since the last spaced checkpoint.
   */
  private recent: Checkpoint | null = null;

  /**
   * The last checkpoint not after segment `seg` with no more than `from` steps before it (fewer,
   * when `strict`).
   */
  before(from: number, seg: number, strict: boolean): Checkpoint | null {
    if (strict) from--;
    const l = this.list;
    let a = 0;
    let b = l.length - 1;
    let found: Checkpoint | null = null;
    while (a <= b) {
      const m = (a + b) >> 1;
      if (l[m].step <= from && l[m].seg <= seg) {
        found = l[m];
        a = m + 1;
      } else {
        b = m - 1;
      }
    }
    const r = this.recent;
    if (r && r.step <= from && r.seg <= seg && (!found || r.seg > found.seg)) return r;
    return found;
  }

  /**
   * Segment `seg` starts with `step` steps before it: take a copy (`take`) if it is time to, or
   * as the recent checkpoint when the segment is `near` the position the debugger is stepping at.
   */
  offer(seg: number, step: number, take: () => { kernel: Kernel; objects: number; bytes: number }, near = false): void {
    const last = this.list[this.list.length - 1];
    if (!last || (seg > last.seg && step - last.step >= Math.max(MIN_SPACING, last.objects * SPACING_PER_OBJECT, step / SPACING_DIVISOR))) {
      const c = take();
      this.list.push({ seg, step, kernel: c.kernel, objects: c.objects, bytes: c.bytes, copies: 0 });
      return;
    }
    if (near && seg > last.seg && (!this.recent || seg > this.recent.seg)) {
      const c = take();
      this.recent = { seg, step, kernel: c.kernel, objects: c.objects, bytes: c.bytes, copies: 0 };
    }
  }

  /** Forgets the checkpoints after segment `seg`. */
  truncate(seg: number): void {
    while (this.list.length && this.list[this.list.length - 1].seg > seg) this.list.pop();
    if (this.recent && this.recent.seg > seg) this.recent = null;
  }

  objects(): number {
    let n = this.recent?.objects ?? 0;
    for (const c of this.list) n += c.objects;
    return n;
  }

  bytes(): number {
    let n = this.recent?.bytes ?? 0;
    for (const c of this.list) n += c.bytes;
    return n;
  }
}

/** Segments searched by reverse continue's first re-execution (the window doubles after it). */
const REVERSE_WINDOW = 8;
/** At most this many segments' hits kept for reverse continue (then it starts again). */
const KNOWN_HITS_MAX = 4096;

const MIN_SPACING = 256;
const SPACING_PER_OBJECT = 8;
const SPACING_DIVISOR = 256;

/** Is one of the knob-change steps in (first, end]? */
function knobIn(steps: number[], first: number, end: number): boolean {
  for (let i = 0; i < steps.length; i++) if (steps[i] > first && steps[i] <= end) return true;
  return false;
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
