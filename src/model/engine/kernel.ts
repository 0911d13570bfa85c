// The kernel context every modeled function receives as `k`: the network namespace, the virtual
// clock and its event queue, the seeded generator, the profile (6.18 or 4.9), the watcher (null
// when nobody watches) and the record of what happened (frames, drops, ICMP errors).

import { EventQueue } from './timers';
import { Rng } from './rng';
import { nsToJiffies, jiffiesToNs, wheelExpiry } from './clock';
import type { Watcher, ExceptionKind } from './watch';
import type { Net } from '../net/netns';
import { SkBuff } from '../net/skbuff';
import type { DropRecord, FrameRecord, IcmpRecord, DeliveryRecord, SendResult } from '../result';
import type { KernelProfile } from '../scenario/types';

/** Receives each frame as the device emits it (a pcap writer, the adapter's wire view). */
export type FrameSink = (time: number, dev: string, dir: 'tx' | 'rx', frame: Uint8Array, packet: number) => void;

export class Kernel {
  readonly profile: KernelProfile;
  /** The 4.9 profile (the classic path); false for 6.18. */
  readonly v49: boolean;
  now = 0;
  readonly events = new EventQueue();
  readonly rng: Rng;
  w: Watcher | null = null;
  net!: Net;
  ctx: 'task' | 'softirq' = 'task';
  /** The socket call being run (index into sends), -1 in softirq context. */
  currentSend = -1;
  private nextSkbId = 1;

  // What happened, for the result and for views.
  readonly sends: SendResult[] = [];
  readonly drops: DropRecord[] = [];
  readonly icmp: IcmpRecord[] = [];
  readonly delivered: DeliveryRecord[] = [];
  frameCount = 0;
  frameSinks: FrameSink[] = [];
  /** Keep decoded frames in memory (off for huge runs that stream to a pcap). */
  keepFrames = true;
  readonly frames: { time: number; dev: string; dir: 'tx' | 'rx'; bytes: Uint8Array; packet: number }[] = [];

  constructor(profile: KernelProfile, seed = 1) {
    this.profile = profile;
    this.v49 = profile === '4.9';
    this.rng = new Rng(seed);
  }

  get jiffies(): number {
    return nsToJiffies(this.now);
  }

  /** A new skb with the next packet id, or with `id` when it continues an existing packet. */
  newSkb(buf: Uint8Array, data: number, len: number, truesize: number, id = 0): SkBuff {
    if (id) return new SkBuff(id, this.currentSend, buf, data, len, truesize);
    const skb = new SkBuff(this.nextSkbId++, this.currentSend, buf, data, len, truesize);
    if (this.currentSend >= 0 && this.ctx === 'task') this.sends[this.currentSend].packets.push(skb.id);
    return skb;
  }

  /** Arms a kernel timer for jiffy `expires`; it runs at the wheel's rounded bucket time. */
  timer(expires: number, label: string, fn: () => void, quiet = false) {
    const runAt = wheelExpiry(this.jiffies, expires);
    const ev = this.events.add(jiffiesToNs(runAt), 'softirq', label, fn, quiet);
    return { ev, runAt };
  }

  /** Schedules softirq work (packet receive, a peer's reply) at virtual time `t` (ns). */
  later(t: number, label: string, fn: () => void) {
    return this.events.add(t, 'softirq', label, fn);
  }

  /** kfree_skb_reason: records the drop with the function that freed the packet. */
  drop(skb: SkBuff, fn: string, reason: string): void {
    this.drops.push({ time: this.now, packet: skb.id, function: fn, reason, len: skb.len });
    if (this.w) this.w.exception('drop', { packet: skb.id, function: fn, reason, len: skb.len });
  }

  exception(kind: ExceptionKind, detail: Record<string, unknown>): void {
    if (this.w) this.w.exception(kind, detail);
  }

  emitFrame(dev: string, dir: 'tx' | 'rx', frame: Uint8Array, packet: number): void {
    this.frameCount++;
    if (this.keepFrames) this.frames.push({ time: this.now, dev, dir, bytes: frame, packet });
    for (const sink of this.frameSinks) sink(this.now, dev, dir, frame, packet);
  }
}

export type { FrameRecord, IcmpRecord, DeliveryRecord };
