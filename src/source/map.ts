// The mapping of one Linux tree for one profile, as the debugger, the command and the editor use
// it: the real file and line of each step point of a modeled function, the line a caller frame
// shows while its callee runs, and the reverse (the step points a line of a real file carries).
// Where a step point has no line it says why; callers then fall back to the model listing.

import path = require('node:path');
import type { ListingProfile } from '../model/listing';
import type { MappedFunction, MappedLine, SourceLine, SourceMapData, StepMapping, Unmapped } from './types';
import { isUnmapped } from './types';
import { stepsOf } from './match';

/** A place in a real file of the tree. */
export interface SourcePosition extends SourceLine {
  /** The absolute file name. */
  file: string;
  /** The real function the line is in. */
  in: string;
}

/** When a line carries a step point only for some values of a local the model reports there. */
export interface StepCondition {
  local: string;
  values: string[];
  /** true: the step is on this line for every value except those. */
  negate: boolean;
}

/** A step point on a line of a real file. */
export interface StepAtLine {
  fn: string;
  step: string;
  when?: StepCondition;
}

/** A step point that has no line in the tree, and why. */
export interface UnmappedStep {
  fn: string;
  step: string;
  /** For a per-case step point: the value of its local that has no line. */
  value?: string;
  reason: string;
}

/** The kernel profile's range of versions, for a warning when the tree is outside it. */
export const PROFILE_RANGES: Record<ListingProfile, { from: [number, number]; to: [number, number] }> = {
  '6.18': { from: [6, 1], to: [6, 18] },
  '4.9': { from: [4, 4], to: [4, 19] },
};

export class KernelSourceMap {
  /** kernel path -> line -> the step points on it. */
  private readonly reverse = new Map<string, Map<number, StepAtLine[]>>();

  constructor(
    /** The tree's folder, absolute. */
    readonly root: string,
    readonly data: SourceMapData,
    readonly profile: ListingProfile,
  ) {
    for (const [fn, f] of Object.entries(this.functions())) {
      for (const [step, m] of Object.entries(f.steps)) {
        for (const { at, when } of linesOf(m)) this.addReverse(at, { fn, step, ...(when ? { when } : {}) });
      }
    }
  }

  /** The kernel version of the tree (VERSION.PATCHLEVEL.SUBLEVEL). */
  get version(): string {
    return this.data.kernel;
  }

  /** Whether the tree's version is in the range the profile covers. */
  get inRange(): boolean {
    const [a, b] = this.version.split('.').map(Number);
    const r = PROFILE_RANGES[this.profile];
    const v = a * 1000 + b;
    return v >= r.from[0] * 1000 + r.from[1] && v <= r.to[0] * 1000 + r.to[1];
  }

  /** The absolute file of a kernel path. */
  file(kernelPath: string): string {
    return path.join(this.root, ...kernelPath.split('/'));
  }

  /** The kernel path of a file, if it is inside the tree. */
  kernelPath(file: string): string | undefined {
    const rel = path.relative(this.root, path.resolve(file));
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  /** The mapping of a modeled function, or why it has none (undefined: not in this profile). */
  function(fn: string): MappedFunction | Unmapped | undefined {
    return this.data.profiles[this.profile].functions[fn];
  }

  /**
   * The real line of step point `step` ('enter', 'leave' or a w.at label) of `fn`. A step point the
   * kernel writes once per case (nud_state) is placed by `locals`, the values the model reported
   * at the step. Undefined when it has no line (unmapped) or the locals do not say which.
   */
  position(fn: string, step: string, locals?: Record<string, unknown>): SourcePosition | undefined {
    const f = this.function(fn);
    if (!f || isUnmapped(f)) return undefined;
    const m = f.steps[step];
    if (!m) return undefined;
    const at = pickLine(m, locals);
    return at ? this.at(at) : undefined;
  }

  /**
   * Where a caller frame shows while `callee` runs: the call of `callee` at or after the frame's
   * current step point (else the only one, or the first when the frame is at its start), else
   * the step point's own line. Undefined when neither is known.
   */
  callPosition(fn: string, step: string, callee: string, locals?: Record<string, unknown>): SourcePosition | undefined {
    const f = this.function(fn);
    if (!f || isUnmapped(f)) return undefined;
    const here = this.position(fn, step, locals);
    const calls = f.calls[callee] ?? [];
    if (calls.length) {
      if (here) {
        const def = f.defs.find((d) => d.path === here.path && here.line >= d.line && here.line <= d.close);
        const next = calls.find((c) => c.path === here.path && c.line >= here.line && (!def || c.line <= def.close));
        if (next) return this.at(next);
      }
      if (calls.length === 1 || step === 'enter' || here) return this.at(calls[0]);
      return undefined;
    }
    return here;
  }

  /** The step points on line `line` of a real file (absolute, or a kernel path). */
  stepsAt(file: string, line: number): StepAtLine[] {
    const p = path.isAbsolute(file) ? this.kernelPath(file) : file;
    return p ? [...(this.reverse.get(p)?.get(line) ?? [])] : [];
  }

  /** Every line of a real file that carries step points, in order. */
  stepLines(file: string): { line: number; steps: StepAtLine[] }[] {
    const p = path.isAbsolute(file) ? this.kernelPath(file) : file;
    const m = p ? this.reverse.get(p) : undefined;
    return m ? [...m].sort(([a], [b]) => a - b).map(([line, steps]) => ({ line, steps: [...steps] })) : [];
  }

  /** The line nearest to `line` that carries a step point (ties go to the later line). */
  nearestStepLine(file: string, line: number): number | undefined {
    let best: number | undefined;
    for (const { line: l } of this.stepLines(file)) {
      const d = Math.abs(l - line);
      if (best === undefined || d < Math.abs(best - line) || (d === Math.abs(best - line) && l > best)) best = l;
    }
    return best;
  }

  /** The modeled function (and its real definition) whose body holds a line of a real file. */
  functionAt(file: string, line: number): { fn: string; in: string } | undefined {
    const p = path.isAbsolute(file) ? this.kernelPath(file) : file;
    for (const [fn, f] of Object.entries(this.functions())) {
      for (const d of f.defs) if (d.path === p && line >= d.line && line <= d.close) return { fn, in: d.name };
    }
    return undefined;
  }

  /** Every step point of the profile that has no line in the tree, with the reason. */
  unmapped(): UnmappedStep[] {
    const out: UnmappedStep[] = [];
    for (const [fn, f] of Object.entries(this.data.profiles[this.profile].functions)) {
      if (isUnmapped(f)) {
        for (const step of stepsOf(fn, this.profile)) out.push({ fn, step, reason: f.reason });
        continue;
      }
      for (const [step, m] of Object.entries(f.steps)) {
        if (isUnmapped(m)) out.push({ fn, step, reason: m.reason });
        else if ('byLocal' in m) {
          for (const [value, c] of Object.entries(m.cases)) if (isUnmapped(c)) out.push({ fn, step, value, reason: c.reason });
          if (m.otherwise && isUnmapped(m.otherwise)) out.push({ fn, step, value: '*', reason: m.otherwise.reason });
        }
      }
    }
    return out;
  }

  /** How many step points the profile has, and how many have a line (each case, for a per-case one). */
  counts(): { steps: number; mapped: number } {
    let steps = 0;
    for (const fn of Object.keys(this.data.profiles[this.profile].functions)) steps += stepsOf(fn, this.profile).length;
    const unmapped = new Set(this.unmapped().map((u) => `${u.fn}:${u.step}`)).size;
    return { steps, mapped: steps - unmapped };
  }

  private functions(): Record<string, MappedFunction> {
    const out: Record<string, MappedFunction> = {};
    for (const [fn, f] of Object.entries(this.data.profiles[this.profile].functions)) if (!isUnmapped(f)) out[fn] = f;
    return out;
  }

  private at(l: SourceLine & { in?: string }): SourcePosition {
    return { path: l.path, line: l.line, file: this.file(l.path), in: l.in ?? this.functionAt(l.path, l.line)?.in ?? '' };
  }

  private addReverse(at: MappedLine, s: StepAtLine): void {
    const byLine = this.reverse.get(at.path) ?? new Map<number, StepAtLine[]>();
    this.reverse.set(at.path, byLine);
    const list = byLine.get(at.line) ?? [];
    const same = list.find((x) => x.fn === s.fn && x.step === s.step);
    if (same && same.when && s.when && same.when.local === s.when.local && !same.when.negate && !s.when.negate) same.when.values.push(...s.when.values);
    else if (same) delete same.when;
    else list.push(s);
    byLine.set(at.line, list);
  }
}

/** Every line a step mapping has, with the condition under which the step is on it. */
function linesOf(m: StepMapping): { at: MappedLine; when?: StepCondition }[] {
  if (isUnmapped(m)) return [];
  if (!('byLocal' in m)) return [{ at: m }];
  const out: { at: MappedLine; when?: StepCondition }[] = [];
  const values = Object.keys(m.cases);
  for (const [value, c] of Object.entries(m.cases)) if (!isUnmapped(c)) out.push({ at: c, when: { local: m.byLocal, values: [value], negate: false } });
  if (m.otherwise && !isUnmapped(m.otherwise)) out.push({ at: m.otherwise, when: { local: m.byLocal, values: [...values], negate: true } });
  return out;
}

/** The line of a step mapping for the locals of a stop. */
function pickLine(m: StepMapping, locals?: Record<string, unknown>): MappedLine | undefined {
  if (isUnmapped(m)) return undefined;
  if (!('byLocal' in m)) return m;
  const v = locals?.[m.byLocal];
  if (v === undefined || v === null) return undefined;
  const c = m.cases[String(v)] ?? m.otherwise;
  return c && !isUnmapped(c) ? c : undefined;
}

/** A condition in the debugger's expression language: `nud_state == "DELAY"`. */
export function conditionText(w: StepCondition): string {
  const any = w.values.map((v) => `${w.local} == ${JSON.stringify(v)}`).join(' || ');
  return w.negate ? `!(${any})` : w.values.length > 1 ? `(${any})` : any;
}
