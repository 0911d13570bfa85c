// The locals a model listing declares in a function (`struct net_device *dev = rt->dst.dev;`,
// `u32 nexthop;`), read from its text for one profile, with the line where each gets its value:
// the declaration when it has an initialiser, else the first line that assigns it.

import { renderedListing, stepLine, listingPathFor } from '../../src/model/listing';
import type { ListingProfile } from '../../src/model/listing';

export interface DeclaredLocal {
  name: string;
  /** The 1-based line of the listing file where the local is declared. */
  declared: number;
  /** The line where it first gets a value (its declaration, or an assignment below it); undefined: never. */
  assigned?: number;
}

/** A declaration: a C type, then declarators up to the semicolon. */
const DECLARATION = /^\s*(?:const\s+|static\s+)?(?:struct\s+\w+|unsigned\s+(?:int|long)|int|u8|u16|u32|__be32|__be16|bool|__wsum|__sum16|netdev_features_t|size_t)\s+([^;]*);/;

function code(line: string): string {
  return line.replace(/\/\*.*?\*\//g, '').replace(/\/\*.*$/, '');
}

/** Splits `a = f(x, y), *b, c = 0` at its top-level commas. */
function declarators(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((d) => d.trim()).filter(Boolean);
}

/** The lines of a modeled function in its rendered listing: [first, last] (enter and leave). */
export function functionLines(profile: ListingProfile, fn: string): { path: string; first: number; last: number; text: string[] } | undefined {
  const enter = stepLine(profile, fn, 'enter');
  const leave = stepLine(profile, fn, 'leave');
  const path = listingPathFor(fn);
  if (!enter || !leave || !path) return undefined;
  return { path, first: enter.line, last: leave.line, text: renderedListing(profile, path)!.text.split('\n') };
}

/** Every local `fn`'s listing declares in `profile`. */
export function declaredLocals(profile: ListingProfile, fn: string): DeclaredLocal[] {
  const f = functionLines(profile, fn);
  if (!f) return [];
  const out: DeclaredLocal[] = [];
  for (let l = f.first + 1; l < f.last; l++) {
    const m = DECLARATION.exec(code(f.text[l - 1]));
    if (!m) continue;
    for (const d of declarators(m[1])) {
      const dm = /^\**\s*([A-Za-z_]\w*)\s*(=)?/.exec(d);
      if (!dm) continue;
      const name = dm[1];
      let assigned: number | undefined = dm[2] ? l : undefined;
      const assigns = new RegExp(`(^|[^\\w>.])${name}\\s*(=[^=]|[-+|&]=)`);
      for (let a = l + 1; assigned === undefined && a < f.last; a++) if (assigns.test(code(f.text[a - 1]))) assigned = a;
      out.push({ name, declared: l, assigned });
    }
  }
  return out;
}
