// The breakpoints a run stops on: by function, by line (resolved to step points), and exception
// filters; with their conditions, hit counts and logpoint messages.

import * as l10n from '@vscode/l10n';
import { evaluate, truthy, interpolate, checkHitCondition, ExprError } from './expr';
import type { ExprEnv } from './expr';
import type { Breakpoint, FunctionBreakpoint, StepBreakpoint, ExceptionFilter, StepInfo, StopReason } from './types';
import type { Recorder } from './recorder';
import { stopEnv } from './env';

export class Breakpoints {
  functions: FunctionBreakpoint[] = [];
  lines: StepBreakpoint[] = [];
  exceptions: ExceptionFilter[] = [];
  /** Hits counted so far in the re-execution going on, by breakpoint id. */
  readonly hitCounts = new Map<number, number>();
  /** The breakpoints that stopped at the step point `at` looked at last. */
  lastHitIds: number[] = [];

  /** The functions (and '!kind' exceptions) the breakpoints stop in; only those with a hit count, if `hitOnly`. */
  names(hitOnly: boolean): string[] {
    const names: string[] = [];
    for (const bp of this.functions) if (!hitOnly || bp.hitCondition) names.push(bp.name);
    for (const bp of this.lines) if (!hitOnly || bp.hitCondition) for (const st of bp.steps) names.push(st.fn);
    if (!hitOnly) for (const f of this.exceptions) names.push('!' + f.kind);
    return names;
  }

  /**
   * Whether a breakpoint stops here: 'breakpoint' / 'function breakpoint' / 'exception', or null.
   * Counts hits and produces logpoint output (only when `live`, i.e. going forward past `from`).
   */
  at(info: StepInfo, rec: Recorder, out: string[], live: boolean): StopReason | null {
    this.lastHitIds = [];
    if (info.kind === 'exception') {
      const ex = rec.pendingException!;
      for (const f of this.exceptions) {
        if (f.kind !== ex.kind) continue;
        if (f.condition && !test(f.condition, rec, out, live)) continue;
        return 'exception';
      }
      return null;
    }
    let reason: StopReason | null = null;
    if (info.kind === 'enter') {
      for (const bp of this.functions) {
        if (bp.name !== info.fn) continue;
        if (this.hit(bp, rec, out, live)) {
          reason = 'function breakpoint';
          this.lastHitIds.push(bp.id);
        }
      }
    }
    for (const bp of this.lines) {
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
    if (bp.condition && !test(bp.condition, rec, out, live)) return false;
    const hits = (this.hitCounts.get(bp.id) ?? 0) + 1;
    this.hitCounts.set(bp.id, hits);
    if (bp.hitCondition) {
      try {
        if (!checkHitCondition(bp.hitCondition, hits)) return false;
      } catch (e) {
        if (live) out.push(l10n.t('hit condition "{0}": {1}', bp.hitCondition ?? '', (e as Error).message));
        return true;
      }
    }
    if (bp.logMessage !== undefined) {
      if (live) out.push(interpolate(bp.logMessage, recEnv(rec)));
      return false;
    }
    return true;
  }
}

function test(cond: string, rec: Recorder, out: string[], live: boolean): boolean {
  try {
    return truthy(evaluate(cond, recEnv(rec)));
  } catch (e) {
    // A condition that cannot be evaluated stops, so the user sees why.
    if (live) out.push(l10n.t('condition "{0}": {1}', cond, e instanceof ExprError ? e.message : (e as Error).message));
    return true;
  }
}

/** The names visible at the recorder's current step point. */
function recEnv(rec: Recorder): ExprEnv {
  return stopEnv(rec.snapshot('at', rec.steps), 0);
}
