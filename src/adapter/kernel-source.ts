// The user's Linux checkout (launch attribute kernelSource) in a debug session: stack frames,
// stepping and line breakpoints use its files where the mapping (src/source) has a line, and the
// model listing where it has none. What cannot be mapped is told once, in an output event of
// category 'kpath' (the extension shows it in its "kpath" output channel).

import path = require('node:path');
import type { KernelProfile } from '../model/scenario/types';
import type { Frame } from '../debugger/types';
import { loadSourceMap, resolveTreePath } from '../source/load';
import { KernelSourceMap, PROFILE_RANGES, conditionText } from '../source/map';
import { explain } from '../source/explain';
import { isUnmapped } from '../source/types';
// Imported from @vscode/l10n itself so that npm run l10n finds the strings; src/l10n sets its language.
import * as l10n from '@vscode/l10n';

export type Position = { name: string; path: string; line: number } | undefined;

/** What the session tells the user: text, and data for the extension ({ problem: true } for a tree kpath cannot use). */
export type Say = (text: string, data: { kernelSource: string; problem?: boolean }) => void;

export class KernelSourceView {
  readonly root: string;
  map: KernelSourceMap | null = null;
  problem: string | null = null;
  /** Settles when the mapping is loaded (or known to be unusable); never rejects. */
  readonly ready: Promise<void>;
  /** The tree is being parsed (no cached mapping): ready may take a while. */
  parsing = false;

  constructor(root: string, readonly profile: KernelProfile, say: Say) {
    this.root = resolveTreePath(root);
    this.ready = loadSourceMap(this.root, profile, { onCompute: () => (this.parsing = true) }).then(
      (r) => {
        if ('problem' in r) {
          this.problem = r.problem;
          say(l10n.t('kpath: {0}; the stack shows the model listings.', r.problem), { kernelSource: this.root, problem: true });
        } else {
          this.map = r.map;
          say(summary(r.map), { kernelSource: this.root });
        }
      },
      (e: unknown) => {
        this.problem = (e as Error).message;
        say(l10n.t('kpath: {0}; the stack shows the model listings.', this.problem), { kernelSource: this.root, problem: true });
      },
    );
  }

  /** The real line of a frame at its step point, if mapped. */
  position(fn: string, step: string, locals?: Frame['locals']): Position {
    const p = this.map?.position(fn, step, locals);
    return p ? { name: path.basename(p.path), path: p.file, line: p.line } : undefined;
  }

  /** The real line a caller frame shows while `callee` runs, if mapped. */
  callPosition(fn: string, step: string, callee: string, locals?: Frame['locals']): Position {
    const p = this.map?.callPosition(fn, step, callee, locals);
    return p ? { name: path.basename(p.path), path: p.file, line: p.line } : undefined;
  }

  /** Whether a file is inside the tree (its breakpoints are this view's to resolve). */
  covers(file: string): boolean {
    if (!file) return false;
    const rel = path.relative(this.root, path.resolve(file));
    return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  /**
   * The step points a line breakpoint in a real file stops on, with the condition under which the
   * line is theirs (a per-case step point), or why it cannot be verified.
   */
  resolve(file: string, line: number): { steps: { fn: string; step: string }[]; condition?: string; message?: string } {
    if (this.problem) return { steps: [], message: l10n.t('the kernel source cannot be used: {0}', this.problem) };
    if (!this.map) return { steps: [], message: l10n.t('kpath is still reading the kernel source') };
    const at = this.map.stepsAt(file, line);
    if (at.length) {
      const conds = at.filter((s) => s.when).map((s) => conditionText(s.when!));
      // One condition only when every step point on the line has one; otherwise the line always stops.
      const condition = conds.length === at.length ? (conds.length === 1 ? conds[0] : conds.map((c) => `(${c})`).join(' || ')) : undefined;
      return { steps: at.map(({ fn, step }) => ({ fn, step })), condition };
    }
    const kp = this.map.kernelPath(file);
    if (!kp || !this.map.stepLines(kp).length) {
      return { steps: [], message: l10n.t('kpath models no function of {0}', kp ?? file) };
    }
    const inside = this.map.functionAt(kp, line);
    const near = this.map.nearestStepLine(kp, line);
    if (inside && near !== undefined) return { steps: [], message: l10n.t('no step point of {0} on line {1}; the nearest is line {2}', inside.fn, line, near) };
    return { steps: [], message: near !== undefined ? l10n.t('no step point on line {0}; the nearest is line {1}', line, near) : l10n.t('no step point on line {0}', line) };
  }
}

/** What the user reads once the tree is mapped: how much maps, and each step point that does not, with the reason. */
function summary(map: KernelSourceMap): string {
  const { steps, mapped } = map.counts();
  const lines = [l10n.t('kpath: kernel source {0} (Linux {1}): {2} of {3} step points of the {4} profile are on lines of the real files.', map.root, map.version, mapped, steps, map.profile)];
  if (!map.inRange) {
    const r = PROFILE_RANGES[map.profile];
    lines.push(l10n.t('  Linux {0} is outside the range of the {1} profile ({2} to {3}): more step points may show in the model listing.', map.version, map.profile, r.from.join('.'), r.to.join('.')));
  }
  const un = map.unmapped();
  if (un.length) {
    lines.push(l10n.t('  These show in the model listing instead:'));
    for (const u of un) {
      const f = map.function(u.fn);
      const why = f && isUnmapped(f) ? f.why : whyOf(map, u.fn, u.step, u.value);
      lines.push(`    ${u.fn}:${u.step}${u.value ? `[${u.value}]` : ''}: ${why ? explain(why) : u.reason}`);
    }
  }
  return lines.join('\n');
}

function whyOf(map: KernelSourceMap, fn: string, step: string, value?: string) {
  const f = map.function(fn);
  if (!f || isUnmapped(f)) return undefined;
  const m = f.steps[step];
  if (!m) return undefined;
  if (isUnmapped(m)) return m.why;
  if ('byLocal' in m && value) {
    const c = value === '*' ? m.otherwise : m.cases[value];
    if (c && isUnmapped(c)) return c.why;
  }
  return undefined;
}
