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


import * as l10n from '@vscode/l10n';
import type { Scenario } from '../model/scenario/types';
import type { Kernel } from '../model/kernel/kernel';
import { createKernel, runKernelSlice, sendLines, totalCalls } from '../model/run';
import { LIMITS, LimitError, countText } from '../model/scenario/limits';
import { copyKernel, CopyPlan, Shared } from './snapshot';
import type { ExprEnv } from './expr';
import { History } from './history';
import { Checkpoints, Checkpoint } from './checkpoints';
import { Recorder, StopSignal, Decide } from './recorder';
import { Breakpoints } from './breakpoints';
import { stopEnv, emptyEnv } from './env';
import type { CallRecord, StepRecord } from './path';
import { wireRows, WireRowRef } from './wirelog';
import type { Stop, StopResult, StopReason, StepInfo, Hit, WireFrame, WireDrop, SendRecord, RuntimeHooks, FunctionBreakpoint, StepBreakpoint, ExceptionFilter } from './types';

export type { Stop, StopResult, StopReason, Frame, WireFrame, WireDrop, SendRecord, RuntimeHooks, FunctionBreakpoint, StepBreakpoint, ExceptionFilter } from './types';
export type { WireRowRef } from './wirelog';
export { stopEnv } from './env';

export interface RuntimeOptions {
  /** Guard against scenarios that never settle. */
  maxEvents?: number;
  /** packetCalls runs through the segments between a packet's first and the current one when they hold at most this many steps (default PATH_STEPS). */
  pathSteps?: number;
}

export class Runtime {
  private readonly bps = new Breakpoints();
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
    this.bps.functions = bps;
    this.config++;
  }

  setStepBreakpoints(bps: StepBreakpoint[]): void {
    this.bps.lines = bps;
    this.config++;
  }

  setExceptionFilters(filters: ExceptionFilter[]): void {
    this.bps.exceptions = filters;
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
    return this.forward((info, rec, out) => this.bps.at(info, rec, out, true));
  }

  /**
   * Runs forward to the first step point where `holds` is true of the stop it would be (a lesson's
   * target), looking only at step points `where` accepts (all when absent); breakpoints are not
   * stopped at. Returns a null stop when the run ends first.
   */
  until(holds: (stop: Stop) => boolean, where?: (info: StepInfo) => boolean): StopResult {
    return this.forward((info, rec) => ((!where || where(info)) && holds(rec.snapshot(info.kind, info.step)) ? 'step' : null));
  }

  /** Next step point in this function or a caller (steps over calls). */
  next(): StopResult {
    const cur = this.current;
    if (!cur) return this.continue();
    const depth = cur.frames.length;
    return this.forward((info, rec, out) => this.bps.at(info, rec, out, true) ?? (info.kind !== 'exception' && (info.eventSeq !== cur.eventSeq || info.depth <= depth) ? 'step' : null));
  }

  /** The very next step point (into calls), or the entry of one chosen call (`target` = its call number). */
  stepIn(target?: number): StopResult {
    const cur = this.current;
    if (!cur) return this.continue();
    if (target !== undefined) {
      return this.forward((info, rec) => (info.kind === 'enter' && rec.calls === target ? 'step' : null));
    }
    return this.forward((info, rec, out) => this.bps.at(info, rec, out, true) ?? (info.kind !== 'exception' ? 'step' : null));
  }

  /** Runs until the current function has returned (stops at the caller's next step point). */
  stepOut(): StopResult {
    const cur = this.current;
    if (!cur) return this.continue();
    const depth = cur.frames.length;
    // Out of the current function: the caller's next step point, or the next call the caller makes
    // (a call at this depth can only come after the current frame returned).
    return this.forward((info, rec, out) => this.bps.at(info, rec, out, true) ?? (info.kind !== 'exception' && (info.eventSeq !== cur.eventSeq || info.depth < depth || (info.depth === depth && info.kind === 'enter')) ? 'step' : null));
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
      this.bps.hitCounts.clear();
      try {
        this.replay(h.startOf(last), false, (info, rec) => {
          if (info.step > limit) throw new EndOfHistory();
          const r = this.bps.at(info, rec, [], false);
          const seg = this.replaySeg;
          if (r && seg >= lo && seg <= hi) {
            const hit = { step: info.step, reason: r, ids: this.bps.lastHitIds.slice() };
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
    if (!cur) throw new Error(l10n.t('not stopped'));
    // Applied first: a change that fails is never recorded, so later re-executions do not repeat it.
    apply(cur);
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
    if (this.dropLog.length > cur.dropCount) this.dropLog.length = cur.dropCount;
    const returned = cur.kernel.currentSend >= 0 ? cur.kernel.currentSend : cur.kernel.callCount;
    if (this.calls.length > returned) this.calls.length = returned;
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

  /**
   * The packets dropped up to the current position (the whole run once it has ended), from
   * `start`, at most `count`; and how many there are in all.
   */
  drops(start: number, count: number): { drops: readonly WireDrop[]; total: number } {
    const total = this.current ? this.current.dropCount : this.dropLog.length;
    const from = Math.max(0, Math.min(start, total));
    return { drops: this.dropLog.slice(from, Math.min(total, from + Math.max(0, count))), total };
  }

  /** Rows of the frames and drops up to the current position in the order they happened (wirelog.ts). */
  wireRows(start: number, count: number): { rows: WireRowRef[]; frames: number; drops: number } {
    const frames = this.frames(0, 0).total;
    const drops = this.drops(0, 0).total;
    return { rows: wireRows(frames, this.dropLog, drops, start, count), frames, drops };
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

  /**
   * The calls made up to the current stop in the events packet `packet` went through: the segment
   * that made it, the current one, and between them the neighbour timer's (its probes carry the
   * packets waiting for ARP); only the current segment when `packet` is null. One re-execution
   * from the checkpoint before the packet's first segment, with the segments between on the fast
   * path; when they hold more than `pathSteps` steps, two re-executions (the first segment, the
   * current one) and the segments between left out. Either way about the cost of a step or two.
   */
  packetCalls(packet: number | null): { calls: CallRecord[]; skipped: number } {
    const { calls, skipped } = this.packetRun(packet, null, ['neigh_timer_handler']);
    return { calls, skipped };
  }

  /**
   * As packetCalls, with the step points each call ran (its entry, its w.at labels, its return),
   * in order; the segments between also those where a neighbour update sent the packets that
   * waited for ARP.
   */
  packetSteps(packet: number | null): { calls: CallRecord[]; steps: StepRecord[]; skipped: number } {
    const steps: StepRecord[] = [];
    const { calls, skipped } = this.packetRun(packet, steps, ['neigh_timer_handler', 'neigh_update']);
    return { calls, steps, skipped };
  }

  private packetRun(packet: number | null, steps: StepRecord[] | null, between: string[]): { calls: CallRecord[]; skipped: number } {
    const cur = this.current;
    if (!cur) return { calls: [], skipped: 0 };
    const h = this.history;
    const last = this.curSeg;
    const first = packet === null ? last : Math.min(last, h.segmentOfPacket(packet));
    const calls: CallRecord[] = [];
    if (h.startOf(last) - h.startOf(first) > (this.options.pathSteps ?? PATH_STEPS)) {
      this.collectCalls(first, first, () => true, cur.step, calls, steps);
      this.collectCalls(last, last, () => true, cur.step, calls, steps);
      return { calls, skipped: last - first - 1 };
    }
    const mask = h.mask(between);
    const chosen = (seg: number): boolean => seg === first || seg === last || h.touches(seg, mask);
    let skipped = 0;
    for (let seg = first + 1; seg < last; seg++) if (!chosen(seg)) skipped++;
    this.collectCalls(first, last, chosen, cur.step, calls, steps);
    return { calls, skipped };
  }

  /** Appends the calls of the `chosen` segments from `lo` to `hi`, up to step `upTo`, to `out`; their step points to `steps`. */
  private collectCalls(lo: number, hi: number, chosen: (seg: number) => boolean, upTo: number, out: CallRecord[], steps: StepRecord[] | null = null): void {
    const index = new Map<number, number>();
    try {
      // From the start of `hi` on, everything is recorded; before it, only the chosen segments.
      this.replay(this.history.startOf(hi), false, (info, rec) => {
        if (info.step > upTo) throw new EndOfHistory();
        const seg = this.replaySeg;
        if (info.kind === 'exception' || seg < lo || !chosen(seg)) return false;
        const st = rec.stack;
        const f = st[st.length - 1];
        if (info.kind === 'enter') {
          const caller = st.length > 1 ? index.get(st[st.length - 2].call) : undefined;
          index.set(f.call, out.length);
          out.push({ fn: f.fn, parent: caller ?? -1, packet: f.skb ? f.skb.id : 0 });
        }
        if (steps && f) {
          const call = index.get(f.call);
          const state = f.locals.nud_state;
          if (call !== undefined) steps.push(typeof state === 'string' ? { call, step: info.label, nud_state: state } : { call, step: info.label });
        }
        return false;
      }, { firstSeg: lo, lastSeg: hi, record: (seg) => seg >= lo && chosen(seg) });
    } catch (e) {
      if (!(e instanceof EndOfHistory)) throw e;
    }
  }

  /** The expression environment of a frame of the current stop (0 = innermost). */
  env(frameIndex = 0): ExprEnv {
    const cur = this.current;
    if (!cur) return emptyEnv;
    return stopEnv(cur, frameIndex);
  }

  // --- machinery -----------------------------------------------------------------------------

  private readonly history = new History();
  private readonly checkpoints = new Checkpoints();
  private readonly shared = new Shared();
  private readonly wire: WireFrame[] = [];
  private readonly dropLog: WireDrop[] = [];
  /** The socket calls that have returned, in order, logged by the first re-execution to make each. */
  private readonly calls: SendRecord[] = [];
  /** The segment the current stop is in, and its step points up to the stop. */
  private curSeg = 0;
  private curInfos: StepInfo[] | null = null;
  /** The segment the running re-execution is in. */
  private replaySeg = -1;
  /** Bumped by every change to what a run does (breakpoints, exception filters, knobs). */
  private config = 0;
  /** Breakpoint hits by segment, for reverse continue (knownHits). */
  private hitsKnown: { config: number; segs: Map<number, Hit[]> } | null = null;

  /** History bits of what the breakpoints (only those with a hit count, if `hitOnly`) stop on. */
  private breakMask(hitOnly: boolean): [number, number] {
    return this.history.mask(this.bps.names(hitOnly));
  }

  /** Runs forward from the current stop until `pick` names a reason to stop. */
  private forward(pick: (info: StepInfo, rec: Recorder, out: string[]) => StopReason | 'step' | null): StopResult {
    return drain(this.forwardSlices(pick, Infinity));
  }

  /** forward, in slices of `slice` events: the generator yields between two (see driveAsync). */
  private *forwardSlices(pick: (info: StepInfo, rec: Recorder, out: string[]) => StopReason | 'step' | null, slice: number): Generator<void, StopResult, void> {
    const from = this.current?.step ?? 0;
    const output = new OutputLog();
    let reason: StopReason = 'step';
    let ids: number[] = [];
    this.bps.hitCounts.clear();
    const stop = yield* this.replaySlices(from, true, (info, rec) => {
      const live = info.step > from;
      if (live && this.running?.pause) {
        reason = 'pause';
        return true;
      }
      const r = live ? pick(info, rec, output.lines) : this.countOnly(info, rec);
      if (!live || !r) return false;
      reason = r === 'step' ? 'step' : r;
      ids = this.bps.lastHitIds.slice();
      return true;
    }, { countHits: true, keepInfos: true }, slice);
    this.current = stop;
    if (!stop) this.ended = true;
    return { stop, reason, hitBreakpointIds: ids, output: output.done() };
  }

  /** The run going on in slices (continueAsync, startAsync), or null. */
  private running: { pause: boolean; cancel: boolean } | null = null;

  /** A run is going on in slices: other requests wait for its stop (pause asks for one). */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Asks the run going on to stop at its next step point (reason 'pause'). */
  pause(): void {
    if (this.running) this.running.pause = true;
  }

  /** Abandons the run going on (a disconnect, a restart); resolves once it has let go. */
  async cancel(): Promise<void> {
    if (!this.running) return;
    this.running.cancel = true;
    await this.runDone?.catch(() => undefined);
  }

  private runDone: Promise<StopResult> | null = null;

  /** continue, run in slices so that requests (pause, disconnect) and events are served during it. */
  continueAsync(): Promise<StopResult> {
    return this.driveAsync(() => this.forwardSlices((info, rec, out) => this.bps.at(info, rec, out, true), SLICE_EVENTS));
  }

  /** start, in slices (see continueAsync). */
  startAsync(stopOnEntry: boolean): Promise<StopResult> {
    if (stopOnEntry) return Promise.resolve(this.start(true));
    this.current = null;
    this.ended = false;
    return this.continueAsync();
  }

  /** Runs a sliced operation, giving the event loop a turn about every SLICE_MS of work. */
  private driveAsync(make: () => Generator<void, StopResult, void>): Promise<StopResult> {
    if (this.running) return Promise.reject(new Error(l10n.t('the scenario is running: pause it first')));
    const run = (this.running = { pause: false, cancel: false });
    this.runDone = this.drive(run, make);
    return this.runDone;
  }

  private async drive(run: { pause: boolean; cancel: boolean }, make: () => Generator<void, StopResult, void>): Promise<StopResult> {
    try {
      const g = make();
      for (;;) {
        const t0 = Date.now();
        let r = g.next();
        while (!r.done && Date.now() - t0 < SLICE_MS) r = g.next();
        if (r.done) return r.value;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (run.cancel) {
          g.return(undefined as never);
          throw new RunCancelled();
        }
      }
    } finally {
      this.running = null;
      this.runDone = null;
    }
  }

  /** Before the current position, breakpoints only count their hits (no logpoints, no stops). */
  private countOnly(info: StepInfo, rec: Recorder): null {
    this.bps.at(info, rec, [], false);
    return null;
  }

  /** Re-executes to step `n` exactly. */
  private goTo(n: number, reason: StopReason): StopResult {
    this.bps.hitCounts.clear();
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
    // One re-execution at a time: the one of a run going on holds the History and checkpoints.
    if (this.running) throw new Error(l10n.t('the scenario is running: pause it first'));
    return drain(this.replaySlices(from, emit, decide, opts, Infinity));
  }

  /** replay, in slices of `slice` events: yields between two. */
  private *replaySlices(from: number, emit: boolean, decide: Decide, opts: ReplayOptions, slice: number): Generator<void, Stop | null, void> {
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
      if (k.frameCount > wire.length) {
        if (wire.length >= LIMITS.debugFrames) throw new LimitError(l10n.t('the run put more than {0} frames on the wire, the most the debugger keeps: run it with kpath run (docs/limits.md)', countText(LIMITS.debugFrames)));
        wire.push({ time: t, dev, dir, bytes: bytes.slice(), packet: pkt });
      }
      if (onFrame && rec && k.w === rec && rec.steps >= from) onFrame(t, dev, dir, bytes, pkt, k.frameCount - 1);
    });
    const calls = this.calls;
    k.onCall = (index, line, result) => {
      if (index === calls.length) calls.push({ line, time: k.now, result });
    };
    const onProgress = hooks.onProgress;
    if (onProgress) {
      const total = totalCalls(this.scenario);
      k.progress = () => onProgress(k.callCount, total);
    }
    const r = new Recorder(k, from, decide, hooks, this.interventions, h, wire, this.dropLog, calls, this.scenario);
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
        // The segment that holds `from` is also kept as the recent checkpoint: the next step
        // forward re-executes from there. (Not every later one: a long run forward would copy the
        // kernel at each of its segments.)
        const near = seg < h.n && h.startOf(seg) <= from && (seg + 1 >= h.n || h.startOf(seg + 1) > from);
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
        if (h.n >= LIMITS.debugSegments) throw new LimitError(l10n.t('the run has more than {0} events and calls, the most the debugger indexes: run it with kpath run (docs/limits.md)', countText(LIMITS.debugSegments)));
        h.push(r.steps, r.calls, r.eventSeq + (event ? 1 : 0), k.nextSkbId);
      }
      r.touchedLo = 0;
      r.touchedHi = 0;
      if (r.segInfos) r.segInfos = [];
      recording = true;
      k.w = r;
    };
    k.segment = segment;
    try {
      const done = { events: 0 };
      while (!runKernelSlice(k, this.scenario.run, slice, done, { maxEvents: this.options.maxEvents })) yield;
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
        k.onCall = null;
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

/** Steps between a packet's first segment and the current one that packetCalls runs through (on the fast path). */
const PATH_STEPS = 100_000;

/** Segments searched by reverse continue's first re-execution (the window doubles after it). */
const REVERSE_WINDOW = 8;
/** At most this many segments' hits kept for reverse continue (then it starts again). */
const KNOWN_HITS_MAX = 4096;

/** Is one of the knob-change steps in (first, end]? */
function knobIn(steps: number[], first: number, end: number): boolean {
  for (let i = 0; i < steps.length; i++) if (steps[i] > first && steps[i] <= end) return true;
  return false;
}

class EndOfHistory {}

/** The run was abandoned (cancel) before it stopped. */
export class RunCancelled extends Error {
  constructor() {
    super('the run was cancelled');
  }
}

/** Runs a sliced operation to its end at once. */
function drain<T>(g: Generator<void, T, void>): T {
  let r = g.next();
  while (!r.done) r = g.next();
  return r.value;
}

/** Events between two looks at the clock in a sliced run, and the real time given to each turn. */
const SLICE_EVENTS = 64;
const SLICE_MS = 20;

/**
 * The debug console lines (log points) of one run between two stops: at most OUTPUT_LINES are
 * kept, then one line says how many more there were.
 */
class OutputLog {
  readonly lines = new CappedLines();
  done(): string[] {
    const out = [...this.lines];
    if (this.lines.dropped) out.push(`kpath: ${this.lines.dropped} more log point lines not shown (at most ${OUTPUT_LINES} between two stops)`);
    return out;
  }
}

/** An array that keeps its first OUTPUT_LINES pushes and counts the rest. */
class CappedLines extends Array<string> {
  dropped = 0;
  override push(...items: string[]): number {
    for (const x of items) {
      if (this.length < OUTPUT_LINES) super.push(x);
      else this.dropped++;
    }
    return this.length;
  }
}

/** Log point lines kept between two stops. */
export const OUTPUT_LINES = LIMITS.consoleLines;

