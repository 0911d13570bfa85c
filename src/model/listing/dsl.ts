// A compact way to write a listing function: a block of C-like text whose lines may end in
// markers, separated from the text by whitespace:
//   @@label   the line is the step point `label` ('enter', 'leave' or a w.at() label)
//   @6.18     the line exists only in the 6.18 profile (likewise @4.9)
//   @?label   a place where a step point `label` would help a learner but the model has none yet;
//             ignored here. When the model gains w.at('label'), turn it into @@label.
// The block is dedented; leading and trailing blank lines are dropped. Avoid backslashes and
// `${` in the text (it is a template literal).

import type { ListingFunction, ListingLine, ListingProfile } from './types';

export const BOTH: ListingProfile[] = ['6.18', '4.9'];
export const NEW: ListingProfile[] = ['6.18'];
export const OLD: ListingProfile[] = ['4.9'];

const MARKER = /\s+(@@[A-Za-z_][\w-]*|@\?[A-Za-z_][\w-]*|@6\.18|@4\.9)$/;

/** A listing function from its block of text, read when its lines are first asked for. */
export function fn(name: string, profiles: ListingProfile[], src: string): ListingFunction {
  let lines: ListingLine[] | undefined;
  return {
    name,
    profiles,
    get lines() {
      return (lines ??= parseBlock(name, src));
    },
  };
}

function parseBlock(name: string, src: string): ListingLine[] {
  const raw = src.split('\n');
  while (raw.length && !raw[0].trim()) raw.shift();
  while (raw.length && !raw[raw.length - 1].trim()) raw.pop();
  const parsed = raw.map((line) => {
    let text = line.trimEnd();
    let step: string | undefined;
    const only: ListingProfile[] = [];
    // Most lines carry no marker (a listing is parsed on the way to a first stop).
    if (!text.includes('@')) return { text, step, only };
    for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
      const mark = m[1];
      text = text.slice(0, m.index).trimEnd();
      if (mark.startsWith('@@')) {
        if (step) throw new Error(`listing ${name}: two steps on one line: ${line.trim()}`);
        step = mark.slice(2);
      } else if (mark === '@6.18' || mark === '@4.9') {
        only.push(mark.slice(1) as ListingProfile);
      }
    }
    if (text.includes('@@')) throw new Error(`listing ${name}: a marker not at the end of the line: ${line.trim()}`);
    return { text, step, only };
  });
  const indents = parsed.filter((p) => p.text.trim()).map((p) => p.text.length - p.text.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  const texts = alignComments(parsed.map((p) => p.text.slice(cut)));
  return parsed.map((p, i): ListingLine => {
    const l: ListingLine = { text: texts[i] };
    if (p.step) l.step = p.step;
    if (p.only.length) l.profiles = p.only;
    return l;
  });
}

/** Code followed by a trailing comment. */
const TRAILING = /^(.*?\S)\s+(\/\*(?:(?!\*\/).)*\*\/)$/;
/** Trailing comments start in one column per function, unless the code is longer than this. */
const ALIGN_MAX = 52;

function alignComments(texts: string[]): string[] {
  const split = texts.map((t) => {
    if (!t.includes('/*') || t.trimStart().startsWith('/*')) return null;
    const m = TRAILING.exec(t);
    return m && !m[1].includes('/*') ? { code: m[1], comment: m[2] } : null;
  });
  const fit = split.filter((x) => x && x.code.length <= ALIGN_MAX).map((x) => x!.code.length);
  const col = fit.length ? Math.max(...fit) + 2 : 0;
  return texts.map((t, i) => {
    const x = split[i];
    if (!x) return t;
    return x.code.length <= ALIGN_MAX ? x.code.padEnd(col) + x.comment : `${x.code}  ${x.comment}`;
  });
}
