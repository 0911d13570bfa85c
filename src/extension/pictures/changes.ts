// What changed in a packet's sk_buff since the picture last showed that packet: the fields whose
// values differ, and the bands (headers) that appeared, went or changed length. Kept per packet, so
// that a stop in another packet's function in between does not hide the change.

import type { SkbPicture } from '../../adapter/pictures';

/** The fields of `next` that differ from `prev` (a band.* field that appears or goes counts too). */
export function changedFields(prev: SkbPicture['fields'], next: SkbPicture['fields']): string[] {
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  return [...keys].filter((k) => prev[k] !== next[k]);
}

interface Seen {
  step: number;
  fields: SkbPicture['fields'];
  changed: string[];
  before: Record<string, number | string | null>;
}

/** Remembers the pictures shown, per packet, and marks what changed since. */
export class ChangeMarker {
  private readonly seen = new Map<number, Seen>();

  constructor(private readonly limit = 256) {}

  /**
   * The changes to show with `p`: against the last picture of the same packet at another stop;
   * at the same stop (another frame, the panel shown again), the changes shown before.
   */
  mark(p: SkbPicture): { changed: string[]; before: Record<string, number | string | null> } {
    const last = this.seen.get(p.packet);
    if (last && last.step === p.step) return { changed: last.changed, before: last.before };
    const changed = last ? changedFields(last.fields, p.fields) : [];
    const before: Record<string, number | string | null> = {};
    for (const k of changed) before[k] = last!.fields[k] ?? null;
    this.seen.delete(p.packet);
    this.seen.set(p.packet, { step: p.step, fields: p.fields, changed, before });
    // Forget the packets shown longest ago.
    if (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value!);
    return { changed, before };
  }

  /** A new debug session: nothing was shown yet. */
  clear(): void {
    this.seen.clear();
  }
}
