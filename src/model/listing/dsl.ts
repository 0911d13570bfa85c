// A compact way to write a listing function: a block of C-like text whose lines may end in
// markers, separated from the text by whitespace:
//   @@label   the line is the step point `label` ('enter', 'leave' or a w.at() label)
//   @6.18     the line exists only in the 6.18 profile (likewise @4.9)
//   @?label   a place where a step point `label` would help a learner but the model has none yet;
//             ignored here. When the model gains w.at('label'), turn it into @@label.
// The block is dedented; leading and trailing blank lines are dropped. Avoid backslashes and
// `${` in the text (it is a template literal).

import type { ListingFunction, ListingLine, ListingOutline, ListingProfile } from './types';

export const BOTH: ListingProfile[] = ['6.18', '4.9'];
export const NEW: ListingProfile[] = ['6.18'];
export const OLD: ListingProfile[] = ['4.9'];

const MARKER = /\s+(@@[A-Za-z_][\w-]*|@\?[A-Za-z_][\w-]*|@6\.18|@4\.9)$/;

/** A listing function from its block of text, read when its lines (or its outline) are first asked for. */
export function fn(name: string, profiles: ListingProfile[], src: string): ListingFunction {
  let lines: ListingLine[] | undefined;
  let outlines: Map<ListingProfile, ListingOutline> | undefined;
  return {
    name,
    profiles,
    get lines() {
      return (lines ??= parseBlock(name, src));
    },
    outline(profile) {
      outlines ??= new Map();
      let o = outlines.get(profile);
      if (!o) outlines.set(profile, (o = outlineBlock(name, src, profile)));
      return o;
    },
  };
}

/** The block's lines without the blank ones that open and close it. */
function blockLines(src: string): string[] {
  const raw = src.split('\n');
  let first = 0;
  let last = raw.length;
  while (first < last && !NON_SPACE.test(raw[first])) first++;
  while (last > first && !NON_SPACE.test(raw[last - 1])) last--;
  return raw.slice(first, last);
}

/** A line's text without its markers, and what they say. */
function readMarkers(name: string, line: string): { text: string; step?: string; only?: ListingProfile[] } {
  let text = line.trimEnd();
  // Most lines carry no marker.
  if (!text.includes('@')) return { text };
  let step: string | undefined;
  let only: ListingProfile[] | undefined;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    const mark = m[1];
    text = text.slice(0, m.index).trimEnd();
    if (mark.startsWith('@@')) {
      if (step) throw new Error(`listing ${name}: two steps on one line: ${line.trim()}`);
      step = mark.slice(2);
    } else if (mark === '@6.18' || mark === '@4.9') {
      (only ??= []).push(mark.slice(1) as ListingProfile);
    }
  }
  if (text.includes('@@')) throw new Error(`listing ${name}: a marker not at the end of the line: ${line.trim()}`);
  return { text, step, only };
}

// Parsed on the way to a first stop, by code not yet optimized: the work per line is done by the
// string functions of the engine (trimEnd returns the line itself when there is nothing to trim).
function parseBlock(name: string, src: string): ListingLine[] {
  const lines: ListingLine[] = [];
  let cut = Infinity;
  for (const line of blockLines(src)) {
    const { text, step, only } = readMarkers(name, line);
    const indent = text.search(NON_SPACE);
    if (indent >= 0 && indent < cut) cut = indent;
    const l: ListingLine = { text };
    if (step) l.step = step;
    if (only) l.profiles = only;
    lines.push(l);
  }
  if (cut > 0 && cut !== Infinity) for (const l of lines) l.text = l.text.slice(cut);
  alignComments(lines);
  return lines;
}

/** How many lines a profile shows and where the step points fall, read from the block's markers alone. */
function outlineBlock(name: string, src: string, profile: ListingProfile): ListingOutline {
  const steps = new Map<string, number>();
  let count = 0;
  for (const line of blockLines(src)) {
    const { step, only } = readMarkers(name, line);
    if (only && !only.includes(profile)) continue;
    if (step) steps.set(step, count);
    count++;
  }
  return { lines: count, steps };
}

const NON_SPACE = /\S/;

/** Code followed by a trailing comment. */
const TRAILING = /^(.*?\S)\s+(\/\*(?:(?!\*\/).)*\*\/)$/;
/** Trailing comments start in one column per function, unless the code is longer than this. */
const ALIGN_MAX = 52;

/** Puts a function's trailing comments in one column (lines without one are left as they are). */
function alignComments(lines: ListingLine[]): void {
  const split = lines.map(({ text: t }) => {
    const at = t.indexOf('/*');
    if (at < 0 || at === t.search(NON_SPACE)) return null;
    const m = TRAILING.exec(t);
    return m && !m[1].includes('/*') ? { code: m[1], comment: m[2] } : null;
  });
  let col = 0;
  for (const x of split) if (x && x.code.length <= ALIGN_MAX) col = Math.max(col, x.code.length + 2);
  split.forEach((x, i) => {
    if (x) lines[i].text = x.code.length <= ALIGN_MAX ? x.code.padEnd(col) + x.comment : `${x.code}  ${x.comment}`;
  });
}
