// What one check of a scenario carries along: where errors go, the positions of the words items
// were read from, and which kinds of item could not be read.

import type { Pos } from './types';
import type { ScenarioError } from './errors';

/** Arrays of a scenario, used to say which kind of item failed to read. */
export type ItemKind = 'links' | 'addrs' | 'routes' | 'rules' | 'neighs' | 'sysctls' | 'nft' | 'peers' | 'joins' | 'sends';

/** Positions of the words an item was read from, by field (`dev`, `matches[1]`, ...). */
export type FieldPositions = WeakMap<object, Record<string, Pos>>;

export interface CheckContext {
  file: string;
  /** 'text': messages as the language speaks; 'object': messages lead with the JSON path. */
  mode: 'text' | 'object';
  errors: ScenarioError[];
  fieldPos: FieldPositions;
  /** JSON paths of items (object mode). */
  paths: WeakMap<object, string>;
  /**
   * Kinds with an item that could not be read. Checks that would only fail because that item is
   * missing ("no link named eth0" after a bad `link add eth0` line) are skipped, so that the
   * first error reported is the real one.
   */
  failed: Set<ItemKind>;
}

export function newContext(file: string, mode: CheckContext['mode']): CheckContext {
  return { file, mode, errors: [], fieldPos: new WeakMap(), paths: new WeakMap(), failed: new Set() };
}

/** Any item of a scenario: it has the position of the line (or object) it came from. */
export type Item = { pos: Pos };
