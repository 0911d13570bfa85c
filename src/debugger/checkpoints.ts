// Copies of the kernel kept along a run (snapshot.ts makes them), so that a re-execution starts
// near the part it needs instead of from the beginning.

import type { Kernel } from '../model/kernel/kernel';
import type { CopyPlan } from './snapshot';

/** A copy of the kernel at the start of segment `seg` (before its event ran). */
export interface Checkpoint {
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
export class Checkpoints {
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

const MIN_SPACING = 256;
const SPACING_PER_OBJECT = 8;
const SPACING_DIVISOR = 256;
