// The watcher of the return-value test: it ties each frame the model enters to the call of the
// model function that entered it (through the probe of returns-probe.ts), keeps the value that
// frame's `leave` reported, and compares it with the value that call really returns.

import type { Watcher } from '../../src/model/kernel/watch';
import type { Impl } from './returns-probe';

interface Call {
  fn: string;
  /** The watcher frame this call entered, if any. */
  frame: Frame | null;
}

interface Frame {
  name: string;
  call: Call;
  left: boolean;
  ret: unknown;
}

/** One kind of disagreement in one run, with how often it happened. */
export interface Problem {
  fn: string;
  text: string;
  count: number;
  /** The event (send line, timer, receive) where it first happened. */
  first: string;
}

/** C has one NULL and `void`: the model's null and undefined both stand for them, and the debugger shows them alike. */
export function sameValue(traced: unknown, returned: unknown): boolean {
  if (traced == null && returned == null) return true;
  return Object.is(traced, returned);
}

/** A value for a message: numbers as they are, objects by class (and packet id). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object') {
    const name = (v as object).constructor?.name ?? 'object';
    const id = (v as { id?: unknown }).id;
    return typeof id === 'number' ? `${name} #${id}` : name;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export class ReturnWatcher implements Watcher {
  private calls: Call[] = [];
  private frames: Frame[] = [];
  private event = '';
  private readonly problems = new Map<string, Problem>();
  /** Frame name -> returns whose traced value was compared (and agreed). */
  readonly checked = new Map<string, number>();
  /** Every frame name entered. */
  readonly entered = new Set<string>();

  /** The probe's `around`: runs one call of a model function and checks what it returns. */
  around = (fn: string, impl: Impl, args: unknown[]): unknown => {
    const call: Call = { fn, frame: null };
    this.calls.push(call);
    let r: unknown;
    try {
      r = impl(...args);
    } finally {
      this.calls.pop();
    }
    const f = call.frame;
    if (f) {
      if (!f.left) this.problem(f.name, `${f.name} (in ${fn}) returned ${describe(r)} without leaving its frame`);
      else if (!sameValue(f.ret, r)) this.problem(f.name, `${f.name} traced ${describe(f.ret)} but returned ${describe(r)}${fn === f.name ? '' : ` (from ${fn})`}`);
      else this.checked.set(f.name, (this.checked.get(f.name) ?? 0) + 1);
    }
    return r;
  };

  enter(fn: string): void {
    this.entered.add(fn);
    const call = this.calls[this.calls.length - 1];
    if (!call) {
      this.problem(fn, `${fn} entered outside any model function`);
    } else if (call.frame) {
      this.problem(fn, `${call.fn} entered ${fn} after ${call.frame.name}: one call, two frames`);
    }
    const frame: Frame = { name: fn, call: call ?? { fn: '?', frame: null }, left: false, ret: undefined };
    if (call && !call.frame) call.frame = frame;
    this.frames.push(frame);
  }

  at(): void {}

  note(): void {}

  leave(ret: unknown): void {
    const frame = this.frames.pop();
    if (!frame) {
      this.problem('?', `leave(${describe(ret)}) with no frame entered`);
      return;
    }
    frame.left = true;
    frame.ret = ret;
  }

  exception(): void {}

  context(_ctx: 'task' | 'softirq', label: string): void {
    this.closed(`"${label}" starts`);
    this.event = label;
  }

  /** The run is over: no frame may be left open. */
  finish(): void {
    this.closed('the run ends');
  }

  /** Every event runs from an empty stack: a frame still open was entered and never left. */
  private closed(when: string): void {
    if (!this.frames.length) return;
    this.problem(this.frames[0].name, `frames still open when ${when}: ${this.frames.map((f) => f.name).join(' -> ')}`);
    this.frames = [];
  }

  /** Every disagreement seen, one line each (with its count). */
  report(): Problem[] {
    return [...this.problems.values()];
  }

  private problem(fn: string, text: string): void {
    const key = `${fn}|${text}`;
    const p = this.problems.get(key);
    if (p) p.count++;
    else this.problems.set(key, { fn, text, count: 1, first: this.event });
  }
}
