// The kernel context every modeled function receives as `k`: the network namespace, the virtual
// clock and its event queue, the seeded generator, the profile (6.18 or 4.9), the watcher (null
// when nobody watches) and the record of what happened (frames, drops, ICMP errors).

import * as l10n from '@vscode/l10n';
import { EventQueue, EventFn } from '../core/timers';
import { Rng } from '../core/rng';
import { nsToJiffies, jiffiesToNs, wheelExpiry } from '../core/clock';
import type { Watcher, ExceptionKind } from './watch';
import type { Net } from '../net/netns';
import type { NetDevice } from '../net/device';
import type { DropRecord, FrameRecord, IcmpRecord, DeliveryRecord, SendResult, KernelEvent } from '../result';
import type { KernelProfile } from '../scenario/types';
import { LIMITS, LimitError, countText } from '../scenario/limits';

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
  /** The id the next new packet gets (skbuff.ts alloc_skb). */
  nextSkbId = 1;
  /**
   * The bh-disable count of this CPU (softirq.ts): local_bh_disable adds one, local_bh_enable
   * takes one and, at zero, runs the pending softirq. It is 1 while an event runs in softirq
   * context (SOFTIRQ_OFFSET), so that a local_bh_enable there runs nothing.
   */
  bh = 0;
  /** The CPU's receive backlog (softnet_data.input_pkt_queue): frames from links waiting for net_rx_action. */
  readonly backlog: BacklogFrame[] = [];

  // What happened, for the result and for views.
  readonly sends: SendResult[] = [];
  readonly drops: DropRecord[] = [];
  readonly icmp: IcmpRecord[] = [];
  readonly delivered: DeliveryRecord[] = [];
  /** The tracepoints recorded for the result's `events` (RunOptions.events), else null. */
  eventLog: KernelEvent[] | null = null;
  frameCount = 0;
  frameSinks: FrameSink[] = [];
  /** Keep decoded frames in memory (off for huge runs that stream to a pcap). */
  keepFrames = true;
  readonly frames: { time: number; dev: string; dir: 'tx' | 'rx'; bytes: Uint8Array; packet: number }[] = [];
  /** Bytes of the frames kept (bounded: LIMITS.keptFrameBytes). */
  keptFrameBytes = 0;
  /**
   * Counts mode (very long runs): no record per socket call in `sends` (totals per send line in
   * `sendTotals` instead), and drops, ICMP errors and deliveries kept up to RECORD_LIMIT each with
   * their totals, so memory stays bounded whatever the number of packets.
   */
  countsOnly = false;
  /** Socket calls made so far (in counts mode `sends` stays empty). */
  callCount = 0;
  readonly sendTotals: SendTotal[] = [];
  /**
   * The hosts at the other end of the links (src/model/peers), joined by the run: they receive
   * each frame a device sends, and give back what they answer, each after a delay.
   */
  farEnd: ((now: number, net: Net, dev: NetDevice, frame: Uint8Array) => readonly { delay: number; from: string; frame: Uint8Array }[]) | null = null;
  /** Called every 65536 socket calls (RunOptions.progress). */
  progress: (() => void) | null = null;
  /**
   * Told the result of each socket call as it returns ("ok" or an errno name), with the scenario
   * line of its send: the debugger keeps them for `sends` in expressions, even in counts mode.
   */
  onCall: ((index: number, line: number, result: string) => void) | null = null;
  /**
   * Called where the run may be resumed by a watcher that was not attached before: at the start
   * of every event (`event` true, with its label), and between the back-to-back calls of a send
   * line repeated at one instant. The debugger's runtime uses it to skip over the part of the run
   * it already knows.
   */
  segment: ((event: boolean, label?: string) => void) | null = null;
  readonly totals = { drops: 0, icmp: 0, delivered: 0, dropReasons: new Map<string, number>() };
  /**
   * Packet buffers are recycled once the driver has handed the frame on: frame sinks copy what
   * they keep, and so do kept frames. A buffer is recycled only while no watcher is attached (a
   * watcher such as the debugger's may hold on to the skb).
   */
  reuseBuffers = true;
  /** Freed packet buffers by size, for reuse (skbuff.ts); a checkpoint copies the kernel without them. */
  pool = new Map<number, Uint8Array[]>();

  constructor(profile: KernelProfile, seed = 1) {
    this.profile = profile;
    this.v49 = profile === '4.9';
    this.rng = new Rng(seed);
  }

  get jiffies(): number {
    return nsToJiffies(this.now);
  }

  /** Arms a kernel timer for jiffy `expires`; it runs at the wheel's rounded bucket time. */
  timer<A extends unknown[]>(expires: number, label: string, fn: (...a: A) => void, args: A, quiet = false) {
    const runAt = wheelExpiry(this.jiffies, expires);
    const ev = this.events.add(jiffiesToNs(runAt), 'softirq', label, fn as EventFn, args, quiet);
    return { ev, runAt };
  }

  /** Schedules softirq work (packet receive, a peer's reply) at virtual time `t` (ns). */
  later<A extends unknown[]>(t: number, label: string, fn: (...a: A) => void, args: A) {
    return this.events.add(t, 'softirq', label, fn as EventFn, args);
  }

  exception(kind: ExceptionKind, detail: Record<string, unknown>): void {
    if (this.w) this.w.exception(kind, detail);
  }

  /** Keeps an ICMP error record (in counts mode, up to RECORD_LIMIT of them). */
  recordIcmp(r: IcmpRecord): void {
    this.totals.icmp++;
    if (!this.countsOnly || this.icmp.length < RECORD_LIMIT) this.icmp.push(r);
  }

  /** Keeps a local delivery record (in counts mode, up to RECORD_LIMIT of them). */
  recordDelivery(r: DeliveryRecord): void {
    this.totals.delivered++;
    if (!this.countsOnly || this.delivered.length < RECORD_LIMIT) this.delivered.push(r);
  }

  /**
   * A frame on the wire: counted, kept when keepFrames, and handed to every sink. The bytes may
   * be a view of a buffer that a later packet reuses, so a sink copies what it keeps.
   */
  emitFrame(dev: string, dir: 'tx' | 'rx', frame: Uint8Array, packet: number): void {
    this.frameCount++;
    if (this.keepFrames) {
      this.frames.push({ time: this.now, dev, dir, bytes: frame, packet });
      if ((this.keptFrameBytes += frame.length) > LIMITS.keptFrameBytes) {
        throw new LimitError(l10n.t('the run put more than {0} MiB of frames on the wire, the most it keeps in memory: keep totals instead (kpath run --counts, with --pcap for every frame) (docs/limits.md)', countText(LIMITS.keptFrameBytes >> 20)));
      }
    }
    const sinks = this.frameSinks;
    for (let i = 0; i < sinks.length; i++) sinks[i](this.now, dev, dir, frame, packet);
  }
}

/**
 * A packet on the backlog: the device that received it, its bytes, and how it came: from a link
 * (an Ethernet frame a tap sees arrive), from lo (loopback_xmit: the frame the host sent), or a
 * looped multicast or broadcast copy (dev_loopback_xmit: the IP packet, no link header).
 */
export interface BacklogFrame {
  dev: NetDevice;
  frame: Uint8Array;
  via: 'link' | 'loopback' | 'multicast-loop' | 'broadcast-loop';
}

/** In counts mode, how many drop, ICMP and delivery records are kept (the totals count them all). */
export const RECORD_LIMIT = 1000;

/** What the socket calls of one send line did, in counts mode. */
export interface SendTotal {
  line: number;
  proto: 'udp' | 'icmp' | 'tcp';
  to: string;
  size: number;
  calls: number;
  /** Calls that succeeded. */
  ok: number;
  /** Calls that failed, per errno name. */
  errors: Map<string, number>;
}

export type { FrameRecord, IcmpRecord, DeliveryRecord };
