// Computing the mapping of a tree: parse the files the anchors need and match both profiles.
// This is the only part that loads the C parser; it runs in a worker thread (worker.ts) or, in
// tests, directly.

import { cParser, findFunctions } from './cparse';
import type { CFunction } from './cparse';
import { mapProfile, wantedNames } from './match';
import { SOURCE_MAP_FORMAT } from './types';
import type { SourceMapData } from './types';

/** The mapping of a tree from its files' bytes (null: missing). */
export async function computeSourceMap(files: Map<string, Buffer | null>, version: string): Promise<SourceMapData> {
  const parser = await cParser();
  const found = new Map<string, Map<string, CFunction[]> | null>();
  for (const [p, names] of wantedNames()) {
    const bytes = files.get(p);
    found.set(p, bytes ? findFunctions(parser, bytes.toString('utf8'), [...names]) : null);
  }
  const lookup = (p: string, name: string): CFunction[] | 'no-file' => {
    const f = found.get(p);
    return f ? f.get(name) ?? [] : 'no-file';
  };
  return {
    format: SOURCE_MAP_FORMAT,
    kernel: version,
    files: Object.fromEntries([...files].map(([p, b]) => [p, b !== null])),
    profiles: { '6.18': mapProfile('6.18', lookup), '4.9': mapProfile('4.9', lookup) },
  };
}
