// The mapping of a Linux tree, as computed once (compute.ts) and cached as JSON: for each profile
// and modeled function, the real definitions it stands for, the line of each step point, and the
// lines where it calls the other modeled functions. Paths are relative to the tree, with `/`.

import type { ListingProfile } from '../model/listing';

export interface SourceLine {
  /** The kernel path, e.g. 'net/ipv4/ip_output.c'. */
  path: string;
  /** 1-based. */
  line: number;
}

export interface MappedLine extends SourceLine {
  /** The real function the line is in (the modeled one, or one it folds). */
  in: string;
}

/** Why a step point, a case or a function has no line: in English, and as data to say it in the user's language (explain.ts). */
export interface Unmapped {
  reason: string;
  why: Why;
}

export type Why =
  | { kind: 'no-file'; path: string }
  | { kind: 'not-defined'; name: string; path: string }
  | { kind: 'defined-many'; name: string; path: string; lines: number[] }
  | { kind: 'no-match'; in: string[]; what: string }
  | { kind: 'ambiguous'; in: string; what: string; lines: number[] }
  | { kind: 'none'; fn: string; step: string }
  | { kind: 'no-anchor' };

export type StepMapping =
  | MappedLine
  | Unmapped
  /** One line per value of a local the model reports at the step (e.g. nud_state). */
  | { byLocal: string; cases: Record<string, MappedLine | Unmapped>; otherwise?: MappedLine | Unmapped };

export interface RealDefinition extends SourceLine {
  name: string;
  /** Lines of the body's braces. */
  open: number;
  close: number;
}

export interface MappedFunction {
  /** The function itself first, then the folded ones that were found. */
  defs: RealDefinition[];
  /** Every step point of the function in the profile, 'enter' and 'leave' included. */
  steps: Record<string, StepMapping>;
  /** Where it calls each modeled callee, in the order of its bodies and lines. */
  calls: Record<string, SourceLine[]>;
}

export interface ProfileMap {
  functions: Record<string, MappedFunction | Unmapped>;
}

export interface SourceMapData {
  format: number;
  /** VERSION.PATCHLEVEL.SUBLEVEL from the tree's Makefile. */
  kernel: string;
  /** The files read: true if present. */
  files: Record<string, boolean>;
  profiles: Record<ListingProfile, ProfileMap>;
}

/** The format of the cached JSON; a cache of another format is computed again. */
export const SOURCE_MAP_FORMAT = 1;

export function isUnmapped(x: unknown): x is Unmapped {
  return !!x && typeof x === 'object' && typeof (x as Unmapped).reason === 'string';
}
