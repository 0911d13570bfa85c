// The model listings as files a DAP client can open, and the mapping between step points and their
// lines. A listing is written when a stack trace first points into it, or soon after a breakpoint
// does, under kpath's private cache folder (~/.cache/kpath/listings/PROFILE/...), and rewritten
// only when its text changed.

import * as l10n from '@vscode/l10n';
import fs = require('node:fs');
import path = require('node:path');
import type { KernelProfile } from '../model/scenario/types';
import { renderedListing, stepLine, stepsAtLine, callLine } from '../model/listing';
import { cacheDir, writeFileAtomic } from '../io/files';

type Position = { name: string; path: string; line: number } | undefined;

/** How long after a breakpoint is answered its listing is written. */
const LOCATED_WRITE_MS = 50;

export class Listings {
  readonly root: string;
  /** Positions already worked out: a stack trace asks for the same few on every stop. */
  private readonly positions = new Map<string, Position>();
  /** Listings written (or found up to date) by this session. */
  private readonly written = new Set<string>();
  /** Listings breakpoints point into, to be written. */
  private readonly unwritten = new Set<string>();
  private writeTimer: NodeJS.Timeout | null = null;

  constructor(readonly profile: KernelProfile, root = path.join(cacheDir(), 'listings')) {
    this.root = path.join(root, profile);
  }

  /** Where a kernel path's listing lives on disk. */
  diskPath(kernelPath: string): string {
    return path.join(this.root, kernelPath);
  }

  /** The listing file and line of a step point of a modeled function. */
  position(fn: string, step: string): Position {
    const key = `${fn}:${step}`;
    if (this.positions.has(key)) return this.positions.get(key);
    const pos = stepLine(this.profile, fn, step) ?? stepLine(this.profile, fn, 'enter');
    const r = pos && this.onDisk(pos);
    this.positions.set(key, r);
    return r;
  }

  /** The line a caller frame shows while `callee` runs: where its listing makes that call. */
  callPosition(fn: string, step: string, callee: string): Position {
    const key = `${fn}:${step}>${callee}`;
    if (this.positions.has(key)) return this.positions.get(key);
    const pos = callLine(this.profile, fn, step, callee);
    const r = pos ? this.onDisk(pos) : this.position(fn, step);
    this.positions.set(key, r);
    return r;
  }

  /**
   * Where a function breakpoint is: its function's first line. The line is known without the
   * listing's text, and the listing is written soon after (or as soon as a stack trace points into
   * it), not before the answer: the first stop does not wait for it, and it is there before anyone
   * could open it.
   */
  locate(fn: string): Position {
    const pos = stepLine(this.profile, fn, 'enter');
    if (!pos) return undefined;
    if (!this.written.has(pos.path)) {
      this.unwritten.add(pos.path);
      this.writeTimer ??= setTimeout(() => this.writeLocated(), LOCATED_WRITE_MS).unref();
    }
    return this.placed(pos);
  }

  /** Writes the listings breakpoints point into. One that cannot be written is tried again by the next stack trace. */
  writeLocated(): void {
    this.writeTimer = null;
    for (const kernelPath of this.unwritten) {
      try {
        this.write(kernelPath);
      } catch {
        // position() writes it, or says why it cannot, when a stack trace points into it
      }
    }
    this.unwritten.clear();
  }

  private onDisk(pos: { path: string; line: number }): Position {
    this.write(pos.path);
    return this.placed(pos);
  }

  private placed(pos: { path: string; line: number }): Position {
    return { name: path.basename(pos.path), path: this.diskPath(pos.path), line: pos.line };
  }

  private write(kernelPath: string): void {
    if (this.written.has(kernelPath)) return;
    writeIfChanged(this.diskPath(kernelPath), renderedListing(this.profile, kernelPath)!.text);
    this.written.add(kernelPath);
    this.unwritten.delete(kernelPath);
  }

  /** The step points a line breakpoint at `file:line` would stop on, or why it cannot be verified. */
  resolve(file: string, line: number): { steps: { fn: string; step: string }[]; line: number; message?: string } {
    const rel = path.relative(this.root, path.resolve(file));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      return { steps: [], line, message: l10n.t('{0} is not a kpath model listing for kernel {1}; breakpoints go in the listings under {2}', file, this.profile, this.root) };
    }
    const kernelPath = rel.split(path.sep).join('/');
    const steps = stepsAtLine(this.profile, kernelPath, line);
    if (steps.length) return { steps, line };
    // Point at the nearest line that has a step point.
    for (let d = 1; d < 40; d++) {
      for (const l of [line + d, line - d]) {
        if (l > 0 && stepsAtLine(this.profile, kernelPath, l).length) {
          return { steps: [], line, message: l10n.t('no step point on line {0}; the nearest is line {1}', line, l) };
        }
      }
    }
    return { steps: [], line, message: l10n.t('no step point on line {0}', line) };
  }
}

function writeIfChanged(target: string, text: string): void {
  try {
    if (fs.readFileSync(target, 'utf8') === text) return;
  } catch {
    // not there yet
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomic(target, text);
}
