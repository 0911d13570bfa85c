// Matching the anchor table (anchors.ts) against the functions found in a tree (cparse.ts): which
// definition is each modeled function, which statement is each step point, where each modeled
// callee is called. A step point maps to exactly one statement or to none, with the reason: an
// ambiguous match is never guessed.

import type { CFunction, CStatement } from './cparse';
import { anchors, stepAnchor } from './anchors';
import type { Anchor, Statement, StepAnchor } from './anchors';
import type { MappedFunction, MappedLine, ProfileMap, RealDefinition, SourceLine, StepMapping, Unmapped, Why } from './types';
import { explain } from './explain';
import { MODELED_FUNCTIONS, findFunction } from '../model/kernel/functions';
import { listingFile, listingPathFor } from '../model/listing';
import type { ListingProfile } from '../model/listing';

/** The definitions of a name in a file: the list found, or 'no-file' when the file is missing. */
export type Lookup = (path: string, name: string) => CFunction[] | 'no-file';

/** The files and names a mapping needs to look at, by file. */
export function wantedNames(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (p: string, n: string) => out.set(p, (out.get(p) ?? new Set()).add(n));
  for (const m of MODELED_FUNCTIONS) {
    const a = anchors()[m.name] ?? {};
    const file = a.file ?? m.source;
    for (const n of [m.name, ...(a.alias ?? [])]) add(file, n);
    for (const f of a.folds ?? []) {
      const { path, name } = splitFold(f, file);
      add(path, name);
    }
  }
  return out;
}

function splitFold(f: string, file: string): { path: string; name: string } {
  const i = f.lastIndexOf(':');
  return i < 0 ? { path: file, name: f } : { path: f.slice(0, i), name: f.slice(i + 1) };
}

/** The step points of a modeled function in a profile, as its listing has them. */
export function stepsOf(fn: string, profile: ListingProfile): string[] {
  const path = listingPathFor(fn);
  const lf = path ? listingFile(path)?.functions.find((f) => f.name === fn) : undefined;
  if (!lf || !lf.profiles.includes(profile)) return [];
  return lf.lines.filter((l) => l.step && (!l.profiles || l.profiles.includes(profile))).map((l) => l.step!);
}

/** The mapping of every modeled function of a profile. */
export function mapProfile(profile: ListingProfile, lookup: Lookup): ProfileMap {
  const functions: ProfileMap['functions'] = {};
  for (const m of MODELED_FUNCTIONS) {
    if (!m.profiles.includes(profile)) continue;
    functions[m.name] = mapFunction(m.name, profile, lookup);
  }
  return { functions };
}

interface Body {
  def: RealDefinition;
  statements: CStatement[];
}

function mapFunction(fn: string, profile: ListingProfile, lookup: Lookup): MappedFunction | Unmapped {
  const a = anchors()[fn] ?? {};
  const file = a.file ?? findFunction(fn)!.source;
  // The function itself, or the first of its other names that is defined.
  let self: Body | Unmapped | null = null;
  for (const name of [fn, ...(a.alias ?? [])]) {
    const r = pickDefinition(file, name, lookup);
    if (r) {
      self = r;
      if (!('reason' in r)) break;
    }
  }
  if (!self) return lookup(file, fn) === 'no-file' ? unmapped({ kind: 'no-file', path: file }) : unmapped({ kind: 'not-defined', name: fn, path: file });
  if ('reason' in self) return self;
  const bodies: Body[] = [self];
  for (const f of a.folds ?? []) {
    const { path, name } = splitFold(f, file);
    if (bodies.some((b) => b.def.name === name && b.def.path === path)) continue;
    const r = pickDefinition(path, name, lookup);
    if (r && !('reason' in r)) bodies.push(r);
  }
  const steps: Record<string, StepMapping> = {};
  for (const step of stepsOf(fn, profile)) {
    if (step === 'enter') steps[step] = { path: self.def.path, line: self.def.line, in: self.def.name };
    else if (step === 'leave') steps[step] = { path: self.def.path, line: self.def.close, in: self.def.name };
    else {
      const anchor = stepAnchor(fn, step, profile);
      steps[step] = anchor ? mapStep(anchor, bodies, fn, step) : unmapped({ kind: 'no-anchor' });
    }
  }
  return { defs: bodies.map((b) => b.def), steps, calls: mapCalls(fn, profile, bodies) };
}

/** The one definition of a name in a file; null when there is none; a reason when there are several. */
function pickDefinition(path: string, name: string, lookup: Lookup): Body | Unmapped | null {
  const found = lookup(path, name);
  if (found === 'no-file' || !found.length) return null;
  let defs = found;
  if (defs.length > 1) defs = defs.filter((d) => !d.disabled);
  if (defs.length !== 1) return unmapped({ kind: 'defined-many', name, path, lines: found.map((d) => d.line) });
  const d = defs[0];
  return { def: { name, path, line: d.line, open: d.open, close: d.close }, statements: d.statements };
}

function mapStep(anchor: StepAnchor, bodies: Body[], fn: string, step: string): StepMapping {
  if ('none' in anchor) return unmapped({ kind: 'none', fn, step });
  if ('byLocal' in anchor) {
    const cases: Record<string, MappedLine | Unmapped> = {};
    for (const [value, a] of Object.entries(anchor.cases)) cases[value] = findOne(a, bodies);
    const out: StepMapping = { byLocal: anchor.byLocal, cases };
    if (anchor.otherwise) out.otherwise = findOne(anchor.otherwise, bodies);
    return out;
  }
  if ('anyOf' in anchor) {
    let first: MappedLine | Unmapped | null = null;
    for (const a of anchor.anyOf) {
      const r = findOne(a, bodies);
      if (!('reason' in r) || r.why.kind !== 'no-match') return r;
      first ??= r;
    }
    return first ?? unmapped({ kind: 'no-anchor' });
  }
  return findOne(anchor, bodies);
}

/** The statement an anchor finds: in the first body where it finds any. */
function findOne(anchor: Anchor, bodies: Body[]): MappedLine | Unmapped {
  for (const b of bodies) {
    const hits = b.statements.filter((s) => matches(anchor, s));
    if (!hits.length) continue;
    let hit: CStatement | undefined;
    if (hits.length === 1) hit = hits[0];
    else if (anchor.pick === 'first') hit = hits[0];
    else if (anchor.pick === 'last') hit = hits[hits.length - 1];
    if (!hit) return unmapped({ kind: 'ambiguous', in: b.def.name, what: describe(anchor), lines: hits.map((h) => h.line) });
    return { path: b.def.path, line: hit.line, in: b.def.name };
  }
  return unmapped({ kind: 'no-match', in: bodies.map((b) => b.def.name), what: describe(anchor) });
}

export function matches(anchor: Anchor, s: CStatement): boolean {
  if (anchor.within && !s.within.some((w) => anchor.within!.test(w))) return false;
  return matchesStatement(anchor, s);
}

function matchesStatement(m: Statement, s: CStatement): boolean {
  if ('assigns' in m) {
    return s.assigns.some((a) => nameMatches(m.assigns, a.target, false) && (!m.value || m.value.test(a.value)));
  }
  if ('calls' in m) {
    return s.calls.some((c) => nameMatches(m.calls, c.callee, true) && (!m.args || m.args.test(c.args.join(', '))));
  }
  if ('tests' in m) return /^(if|while|for|switch|do)_statement$/.test(s.kind) && m.tests.test(s.text);
  return m.text.test(s.text);
}

/** A name as an anchor gives it against one as written: `x`, or (for callees) `p->x`, `p.x`, `READ_ONCE(p->x)`. */
function nameMatches(want: string | RegExp, written: string, member: boolean): boolean {
  const w = written.replace(/\s+/g, '');
  if (typeof want !== 'string') return want.test(w);
  if (w === want.replace(/\s+/g, '')) return true;
  if (!member) return false;
  return new RegExp(`(->|\\.)${want.replace(/[$]/g, '\\$')}\\)?$`).test(w);
}

/** An Unmapped with its English reason (the cache keeps both; the user sees explain(why) in their language). */
function unmapped(why: Why): Unmapped {
  return { reason: explain(why, false), why };
}

function describe(anchor: Anchor): string {
  const show = (x: string | RegExp) => (typeof x === 'string' ? x : x.source);
  let d: string;
  if ('assigns' in anchor) d = `assigns ${show(anchor.assigns)}${anchor.value ? ` (= ${anchor.value.source})` : ''}`;
  else if ('calls' in anchor) d = `calls ${show(anchor.calls)}${anchor.args ? ` (${anchor.args.source})` : ''}`;
  else if ('tests' in anchor) d = `tests ${anchor.tests.source}`;
  else d = `reads ${anchor.text.source}`;
  return anchor.within ? `${d} inside ${anchor.within.source}` : d;
}

/**
 * Where a function calls each modeled callee: calls by name in the function itself, else the
 * table's way (a pointer member, a wrapper), else by name in the functions it folds, else the
 * callee passed as an argument (`NF_HOOK(..., ip_finish_output)`).
 */
function mapCalls(fn: string, profile: ListingProfile, bodies: Body[]): Record<string, SourceLine[]> {
  const out: Record<string, SourceLine[]> = {};
  const overrides = anchors()[fn]?.calls ?? {};
  const at = (b: Body, pred: (s: CStatement) => boolean): SourceLine[] => b.statements.filter(pred).map((s) => ({ path: b.def.path, line: s.line }));
  for (const callee of MODELED_FUNCTIONS) {
    if (callee.name === fn || !callee.profiles.includes(profile)) continue;
    const byName = (s: CStatement) => s.calls.some((c) => nameMatches(callee.name, c.callee, false));
    const passed = (s: CStatement) => s.calls.some((c) => c.args.includes(callee.name));
    let lines = at(bodies[0], byName);
    const o = overrides[callee.name];
    if (!lines.length && o) lines = bodies.flatMap((b) => at(b, (s) => matches(o, s)));
    if (!lines.length) lines = bodies.slice(1).flatMap((b) => at(b, byName));
    if (!lines.length) lines = bodies.flatMap((b) => at(b, passed));
    if (lines.length) out[callee.name] = lines;
  }
  return out;
}
