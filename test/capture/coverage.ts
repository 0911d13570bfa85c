// Which modeled behaviours the suite's captures check. A behaviour is one decision a modeled
// kernel function explains when it takes it: a `w.note(...)` text in src/model/kernel/*.ts (the
// trace's "len 3028 > mtu 1500 -> ip_fragment"), read from the source with its function, so that
// behaviours no capture reaches are listed too. Running each captured scenario with a watcher
// that collects the notes says which captures reach which behaviour.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Watcher } from '../../src/model/kernel/watch';
import { MODELED_FUNCTIONS } from '../../src/model/kernel/functions';

export interface Behaviour {
  /** The kernel function whose source holds it (the enclosing function of the model's file). */
  fn: string;
  /** The model's file, relative to src/model/kernel. */
  file: string;
  /** The note's text with its variable parts as "…". */
  text: string;
  re: RegExp;
}

/** The string literals at the top level of a call's argument list, starting after its "(". */
function topLevelLiterals(src: string, start: number): { parts: string[]; holes: number }[] {
  const out: { parts: string[]; holes: number }[] = [];
  let depth = 0;
  let i = start;
  for (; i < src.length; i++) {
    const ch = src[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    } else if (ch === "'" || ch === '"') {
      const end = skipQuoted(src, i);
      if (depth === 0) out.push({ parts: [src.slice(i + 1, end)], holes: 0 });
      i = end;
    } else if (ch === '`') {
      const t = readTemplate(src, i);
      if (depth === 0) out.push({ parts: t.parts, holes: t.parts.length - 1 });
      i = t.end;
    }
  }
  return out;
}

function skipQuoted(src: string, i: number): number {
  const q = src[i];
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === q) return j;
  }
  return src.length;
}

/** A template literal from its opening backquote: its literal parts, and the index of its closing backquote. */
function readTemplate(src: string, i: number): { parts: string[]; end: number } {
  const parts: string[] = [];
  let cur = '';
  for (let j = i + 1; j < src.length; j++) {
    const ch = src[j];
    if (ch === '\\') {
      cur += src[j + 1];
      j++;
    } else if (ch === '`') {
      parts.push(cur);
      return { parts, end: j };
    } else if (ch === '$' && src[j + 1] === '{') {
      parts.push(cur);
      cur = '';
      j = skipHole(src, j + 2);
    } else cur += ch;
  }
  parts.push(cur);
  return { parts, end: src.length };
}

/** From just inside "${": the index of its closing "}". */
function skipHole(src: string, j: number): number {
  let depth = 0;
  for (; j < src.length; j++) {
    const ch = src[j];
    if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return j;
      depth--;
    } else if (ch === "'" || ch === '"') j = skipQuoted(src, j);
    else if (ch === '`') j = readTemplate(src, j).end;
  }
  return j;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every note of the modeled kernel functions, from the source. */
export function behaviours(kernelDir: string): Behaviour[] {
  const out: Behaviour[] = [];
  for (const file of fs.readdirSync(kernelDir).filter((f) => f.endsWith('.ts')).sort()) {
    const src = fs.readFileSync(path.join(kernelDir, file), 'utf8');
    const fns = [...src.matchAll(/^(?:export )?function (\w+)\s*\(/gm)].map((m) => ({ at: m.index!, name: m[1] }));
    for (const m of src.matchAll(/\bw\.note\(/g)) {
      const fn = fns.filter((f) => f.at < m.index!).pop()?.name ?? '(top level)';
      for (const lit of topLevelLiterals(src, m.index! + m[0].length)) {
        const text = lit.parts.join('…');
        const re = new RegExp(`^${lit.parts.map(escapeRe).join('[\\s\\S]*?')}$`);
        if (!out.some((b) => b.fn === fn && b.text === text)) out.push({ fn, file, text, re });
      }
    }
  }
  return out;
}

/** A watcher that keeps each note with the modeled function that made it. */
export class NoteCollector implements Watcher {
  private readonly stack: string[] = [];
  readonly notes: { fn: string; text: string }[] = [];

  enter(fn: string): void {
    this.stack.push(fn);
  }

  leave(): void {
    this.stack.pop();
  }

  note(text: string): void {
    this.notes.push({ fn: this.stack[this.stack.length - 1] ?? '', text });
  }

  at(): void {}

  exception(): void {}

  context(): void {}
}

const literalLength = (b: Behaviour): number => b.text.replace(/…/g, '').length;

/**
 * The behaviour a note is: among the templates it matches, those of the model file that holds
 * the function it was made in (functions.ts), that function's own, then the most specific.
 */
export function behaviourOf(list: readonly Behaviour[], note: { fn: string; text: string }): Behaviour | undefined {
  const file = MODELED_FUNCTIONS.find((f) => f.name === note.fn)?.model;
  const rank = (b: Behaviour): number => (b.file === file ? 2 : 0) + (b.fn === note.fn ? 1 : 0);
  let best: Behaviour | undefined;
  for (const b of list) {
    if (!b.re.test(note.text)) continue;
    if (!best || rank(b) > rank(best) || (rank(b) === rank(best) && literalLength(b) > literalLength(best))) best = b;
  }
  return best;
}

/** docs/conformance.md's coverage section: per file and function, each behaviour and the captures that reach it. */
/**
 * `elsewhere`: the behaviours that scenarios without a capture (not in the suite as written:
 * the VLAN ones, which this kernel cannot run) reach, with those scenarios' names.
 */
export function coverageMarkdown(list: readonly Behaviour[], reached: ReadonlyMap<Behaviour, readonly string[]>, elsewhere: ReadonlyMap<Behaviour, readonly string[]> = new Map()): string[] {
  const covered = list.filter((b) => (reached.get(b) ?? []).length).length;
  const out = [
    '## Coverage: modeled behaviours and the captures that check them',
    '',
    "Each behaviour is a decision a modeled kernel function explains in the trace when it takes it (its",
    '`w.note(...)` in `src/model/kernel/`, variable parts shown as …). A capture checks a behaviour when the',
    "model takes that decision while running the capture's scenario, and the comparison with the kernel",
    `agrees (or differs only as listed above). ${covered} of ${list.length} behaviours are reached by at least one capture.`,
    '',
    '| File | Function | Behaviour | Captures |',
    '|---|---|---|---|',
  ];
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/`/g, "'");
  for (const b of list) {
    const caps = reached.get(b) ?? [];
    const names = (l: readonly string[]): string => `${l.slice(0, 4).map((c) => `\`${c}\``).join(', ')}${l.length > 4 ? ` and ${l.length - 4} more` : ''}`;
    const other = elsewhere.get(b) ?? [];
    const shown = caps.length ? names(caps) : other.length ? `none: only ${names(other)}, which cannot be captured ([why](#scenarios-not-in-the-suite-as-written))` : '**none**';
    out.push(`| ${b.file} | ${b.fn} | ${cell(b.text)} | ${shown} |`);
  }
  return out;
}
