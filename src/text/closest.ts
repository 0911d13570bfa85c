// The "did you mean" of every message about a mistyped word: the scenario's words, the expression
// language's names and fields, the lesson format's keys, targets and knobs. It imports only the
// messages' lookup, so that every layer that speaks to the user may use it.

import * as l10n from '@vscode/l10n';

/** `did you mean "x"? ` to put before what was expected, or nothing when no candidate is close. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  const near = closest(typed, candidates);
  return near === undefined ? '' : l10n.t('did you mean "{0}"? ', near);
}

/** The candidate closest to a mistyped word, if one is close enough to be a typo. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - typed.length) > limit) continue;
    const dist = distance(typed, c);
    if (dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}

/** Edit distance, counting two adjacent letters swapped as one edit. */
function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        d[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i].push(v);
    }
  }
  return d[a.length][b.length];
}
