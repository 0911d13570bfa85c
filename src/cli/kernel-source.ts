// `kpath run --kernel-source DIR`: the mapping of the tree, loaded (from the cache, or parsed in a
// worker) before the run, and a summary of what does not map on stderr.

import fs = require('node:fs');
import type { KernelProfile } from '../model/scenario/types';
import { parseScenarioAll } from '../model/scenario/parse';
import { loadSourceMap } from '../source/load';
import type { SourceOf } from './run';
import { UsageError } from './args';
// Imported from @vscode/l10n itself so that npm run l10n finds the strings; src/l10n sets its language.
import * as l10n from '@vscode/l10n';

export async function kernelSourceFor(dir: string, profile: KernelProfile): Promise<SourceOf> {
  const r = await loadSourceMap(dir, profile);
  if ('problem' in r) throw new UsageError(`--kernel-source: ${r.problem}`);
  const { map } = r;
  const { steps, mapped } = map.counts();
  const un = map.unmapped();
  const lines = [l10n.t('kpath: kernel source {0} (Linux {1}): {2} of {3} step points of the {4} profile are on lines of the real files.', map.root, map.version, mapped, steps, profile)];
  for (const u of un) lines.push(`    ${u.fn}:${u.step}${u.value ? `[${u.value}]` : ''}: ${u.reason}`);
  process.stderr.write(lines.join('\n') + '\n');
  return (fn) => {
    const p = map.position(fn, 'enter');
    return p ? `${p.path}:${p.line}` : undefined;
  };
}

/** The profile a scenario file runs in; undefined when it cannot be read or parsed (the run then says why). */
export function profileOf(file: string): KernelProfile | undefined {
  try {
    return parseScenarioAll(fs.readFileSync(file, 'utf8'), file).scenario?.kernel;
  } catch {
    return undefined;
  }
}
