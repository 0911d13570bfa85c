// What every fuzzer of the test suite shares: a fixed seed and a bounded number of cases in
// `npm test`, more by hand (docs/testing.md):
//
//   KPATH_FUZZ_SCALE=N   run N times the default number of cases (e.g. 100)
//   KPATH_FUZZ_SEED=S    start from seed S instead of the fixed one (a failure prints its seed)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './cli';

/** The seed of every fuzzer in `npm test`: the same cases on every run, so a failure reproduces. */
export const DEFAULT_SEED = 20260101;

/** How many times the default number of cases to run (KPATH_FUZZ_SCALE, default 1). */
export function fuzzScale(): number {
  const v = Number(process.env.KPATH_FUZZ_SCALE ?? '1');
  return Number.isFinite(v) && v > 0 ? v : 1;
}

/** fast-check parameters: `runs` cases times the scale, from the seed. */
export function fuzzParams(runs: number): { numRuns: number; seed: number; endOnFailure: boolean } {
  const seed = process.env.KPATH_FUZZ_SEED !== undefined ? Number(process.env.KPATH_FUZZ_SEED) : DEFAULT_SEED;
  return { numRuns: Math.max(1, Math.round(runs * fuzzScale())), seed: Number.isFinite(seed) ? seed : DEFAULT_SEED, endOnFailure: true };
}

/** A test's time limit that grows with the scale (a hang fails the test instead of blocking the suite). */
export function fuzzTimeout(ms: number): number {
  return Math.round(ms * Math.max(1, fuzzScale()));
}

/** Every scenario that ships or that the tests use: path relative to the repository, and text. */
export function allScenarioFiles(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const add = (dir: string, pick: (name: string) => string | null): void => {
    const abs = path.join(REPO_ROOT, dir);
    if (!fs.existsSync(abs)) return;
    for (const name of fs.readdirSync(abs).sort()) {
      const rel = pick(name);
      if (rel && fs.existsSync(path.join(REPO_ROOT, rel))) out.push({ file: rel, text: fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8') });
    }
  };
  add('media/scenarios', (n) => (n.endsWith('.kpath') ? `media/scenarios/${n}` : null));
  add('media/lessons', (n) => (n.endsWith('.kpath') ? `media/lessons/${n}` : null));
  add('test/scenarios', (n) => (n.endsWith('.kpath') ? `test/scenarios/${n}` : null));
  add('test/captures', (n) => `test/captures/${n}/scenario.kpath`);
  return out;
}
