// The frames and the drops of a run in one list, in the order they happened: what the Wire view
// pages through. A drop goes after the frames that went on the wire before it (its `frame`), so
// row r of the list is found by a binary search over the drops, whatever the list's length.

/** A row of the list: frame number `index`, or drop number `index`. */
export interface WireRowRef {
  kind: 'frame' | 'drop';
  index: number;
}

/**
 * Rows `start` .. `start + count - 1` of the list of `frames` frames and the drops `drops` (the
 * first `dropCount` of them count; each knows how many frames came before it, non-decreasing).
 */
export function wireRows(frames: number, drops: readonly { frame: number }[], dropCount: number, start: number, count: number): WireRowRef[] {
  const total = frames + dropCount;
  const from = Math.max(0, Math.min(start, total));
  const to = Math.min(total, from + Math.max(0, count));
  const out: WireRowRef[] = [];
  if (from >= to) return out;
  // Drops before row `from`: drop d is row d + drops[d].frame, increasing in d.
  let lo = 0;
  let hi = dropCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (mid + Math.min(drops[mid].frame, frames) < from) lo = mid + 1;
    else hi = mid;
  }
  let d = lo;
  let f = from - d;
  for (let r = from; r < to; r++) {
    if (d < dropCount && d + Math.min(drops[d].frame, frames) === r) out.push({ kind: 'drop', index: d++ });
    else out.push({ kind: 'frame', index: f++ });
  }
  return out;
}
