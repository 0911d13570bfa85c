// A watcher that follows every skb of a run from its allocation to its end (Watcher.skb): used up
// (consume_skb), freed with a drop reason (kfree_skb_reason), or still in a queue when the run
// ends. It notes the functions each skb went through, so a check can ask whether one that was
// handed to the driver really made a frame.

import type { SkbEvent, Watcher } from '../../src/model/kernel/watch';
import type { SkBuff } from '../../src/model/net/skbuff';
import type { Kernel } from '../../src/model/kernel/kernel';

export interface SkbLife {
  skb: SkBuff;
  /** Packet id when allocated (a 4.9 headroom reallocation gives the object a new one later). */
  id: number;
  ends: SkbEvent[];
  /** Functions entered with this skb, in order, each once. */
  through: string[];
}

export class LifetimeWatcher implements Watcher {
  readonly lives = new Map<SkBuff, SkbLife>();
  /** Skbs that ended or were seen in a function without being allocated under this watcher. */
  readonly strays: string[] = [];

  enter(fn: string, skb: SkBuff | null): void {
    if (!skb) return;
    const life = this.lives.get(skb);
    if (!life) {
      this.strays.push(`${fn} entered with skb #${skb.id}, never allocated`);
      return;
    }
    if (!life.through.includes(fn)) life.through.push(fn);
  }
  at(): void {}
  note(): void {}
  leave(): void {}
  exception(): void {}
  context(): void {}

  skb(event: SkbEvent, skb: SkBuff): void {
    if (event === 'alloc') {
      if (this.lives.has(skb)) this.strays.push(`skb #${skb.id} allocated twice`);
      this.lives.set(skb, { skb, id: skb.id, ends: [], through: [] });
      return;
    }
    const life = this.lives.get(skb);
    if (!life) this.strays.push(`skb #${skb.id} ${event} without an allocation`);
    else life.ends.push(event);
  }
}

/** Every skb a kernel holds in a queue: neighbours' arp_queue and the qdiscs' bands. */
export function queuedSkbs(k: Kernel): Set<SkBuff> {
  const out = new Set<SkBuff>();
  for (const n of k.net.arp_tbl.entries.values()) for (const skb of n.arp_queue) out.add(skb);
  for (const d of k.net.devices) for (const band of d.qdisc.bands) for (const skb of band) out.add(skb);
  return out;
}
