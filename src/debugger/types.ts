// What the debugger's runtime speaks of: stops and their frames, breakpoints, the results of a
// move, and the hooks that report what a run does past the current position.

import type { SkBuff } from '../model/net/skbuff';
import type { ExceptionKind } from '../model/kernel/watch';
import type { Kernel } from '../model/kernel/kernel';
import type { Scenario } from '../model/scenario/types';

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
  /** Packets dropped before this stop (kfree_skb_reason). */
  dropCount: number;
  /** The frames of the run as far as it is known; the first frameCount are this stop's. */
  wire: readonly WireFrame[];
  /** The socket calls of the run that have returned, as far as it is known (see SendRecord). */
  calls: readonly SendRecord[];
  /** The scenario being run (its send lines name the calls). */
  scenario: Scenario;
  kernel: Kernel;
}

/** A socket call that has returned: the scenario line of its send and its result ("ok" or an errno name). */
export interface SendRecord {
  line: number;
  time: number;
  result: string;
}

/** A frame on the wire, as the debugger keeps it for the Wire view. */
export interface WireFrame {
  time: number;
  dev: string;
  dir: 'tx' | 'rx';
  bytes: Uint8Array;
  packet: number;
}

/** A dropped packet, as the debugger keeps it for the Wire view. */
export interface WireDrop {
  time: number;
  packet: number;
  function: string;
  reason: string;
  len: number;
  /** Frames on the wire before the drop: where it goes in the list of frames. */
  frame: number;
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

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'exception' | 'goto' | 'pause';

export interface StopResult {
  stop: Stop | null; // null: the run ended
  reason: StopReason;
  hitBreakpointIds: number[];
  /** Logpoint messages and breakpoint-condition errors produced on the way. */
  output: string[];
}

/** What a step looked like, for choosing where stepping lands. */
export interface StepInfo {
  step: number;
  kind: StepKind;
  depth: number;
  eventSeq: number;
  fn: string;
  label: string;
}

/** A step point where a breakpoint (or an exception filter) stops. */
export interface Hit {
  step: number;
  reason: StopReason;
  ids: number[];
}

export interface RuntimeHooks {
  /** A frame went on the wire after the current position (for a live capture view). */
  onFrame?: (time: number, dev: string, dir: 'tx' | 'rx', bytes: Uint8Array, packet: number, index: number) => void;
  /** A packet was dropped after the current position (`index`: its number among the run's drops). */
  onDrop?: (drop: WireDrop, index: number) => void;
  /** A trace line (a function entered) after the current position. */
  onTrace?: (line: string) => void;
  /** A long run forward has made `calls` of the scenario's `total` socket calls (every 65,536). */
  onProgress?: (calls: number, total: number) => void;
}
