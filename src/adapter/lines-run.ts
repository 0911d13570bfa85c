// The lines a packet ran: kpath/linesRun gives, for one packet (the stop's, or one chosen), the
// lines of the step points its path went through up to the stop, in the files the stack shows
// (the real file where the step point maps to a line, else the model listing); kpath/packets lists
// the packets of the run so far for choosing one.

import type { Stop } from '../debugger/types';
import { onPath } from '../debugger/path';
import { frameRecord } from '../model/run';
import type { RequestContext } from './requests';
import { pictureFrame, selectedFrame, stoppedAt } from './skb';
import * as l10n from '@vscode/l10n';

export interface LinesRun {
  /** The packet; null: no packet in sight, the lines of the current event. */
  packet: number | null;
  /** By file (absolute path), the 1-based lines, in order. */
  files: { path: string; lines: number[] }[];
  /** Segments of the run between the packet's first and the current one that were left out. */
  skipped: number;
}

/** The answers worked out at each stop, by packet: the editor asks again as the user moves around. */
const known = new WeakMap<Stop, Map<number | null, LinesRun>>();

/** kpath/linesRun {packet?, frameId?}: the lines a packet ran up to the stop (by default the packet of the selected or innermost frame that has one). */
export function linesRunRequest(ctx: RequestContext, args: { packet?: unknown; frameId?: unknown }): LinesRun {
  const stop = stoppedAt(ctx, 'kpath/linesRun');
  let packet: number | null;
  if (args.packet === undefined || args.packet === null) {
    packet = pictureFrame(stop, selectedFrame(ctx, 'kpath/linesRun', args.frameId)).skb?.id ?? null;
  } else {
    if (!Number.isInteger(args.packet) || (args.packet as number) < 1) throw new Error(l10n.t('kpath/linesRun: packet must be a packet id (1 or more)'));
    packet = args.packet as number;
    if (packet >= stop.kernel.nextSkbId) throw new Error(l10n.t('kpath/linesRun: there is no packet #{0} yet', packet));
  }
  let byPacket = known.get(stop);
  if (!byPacket) known.set(stop, (byPacket = new Map()));
  const cached = byPacket.get(packet);
  if (cached) return cached;
  const rt = ctx.runtime!;
  const { calls, steps, skipped } = rt.packetSteps(packet);
  const on = onPath(calls, packet);
  const files = new Map<string, Set<number>>();
  const src = ctx.kernelSource;
  for (const s of steps) {
    if (!on[s.call]) continue;
    const fn = calls[s.call].fn;
    const pos = src?.position(fn, s.step, s.nud_state ? { nud_state: s.nud_state } : undefined) ?? ctx.listings?.position(fn, s.step);
    if (!pos) continue;
    let set = files.get(pos.path);
    if (!set) files.set(pos.path, (set = new Set()));
    set.add(pos.line);
  }
  const r: LinesRun = { packet, files: [...files].map(([path, lines]) => ({ path, lines: [...lines].sort((a, b) => a - b) })), skipped };
  byPacket.set(packet, r);
  return r;
}

export interface PacketItem {
  id: number;
  /** What it is, from its first frame on the wire (empty when it has not reached the wire). */
  label: string;
  /** When its first frame went on the wire (ns of virtual time), if it did. */
  time?: number;
}

/** At most this many packets, the newest, in a kpath/packets answer. */
export const PACKETS_LIMIT = 2000;

const packetLists = new WeakMap<Stop, { packets: PacketItem[]; total: number; current: number | null }>();

/** kpath/packets {}: the packets of the run so far, newest first (at most PACKETS_LIMIT), with the stop's own. */
export function packetsRequest(ctx: RequestContext): { packets: PacketItem[]; total: number; current: number | null } {
  const stop = stoppedAt(ctx, 'kpath/packets');
  const cached = packetLists.get(stop);
  if (cached) return cached;
  const total = stop.kernel.nextSkbId - 1;
  const lowest = Math.max(1, total - PACKETS_LIMIT + 1);
  const first = new Map<number, number>();
  const { frames } = ctx.runtime!.frames(0, stop.frameCount);
  frames.forEach((f, i) => {
    if (f.packet >= lowest && !first.has(f.packet)) first.set(f.packet, i);
  });
  const packets: PacketItem[] = [];
  for (let id = total; id >= lowest; id--) {
    const i = first.get(id);
    if (i === undefined) {
      packets.push({ id, label: '' });
      continue;
    }
    const r = frameRecord(frames[i], i);
    packets.push({ id, label: `${r.dev} ${r.protocol} ${r.src} > ${r.dst} ${r.info}`.trim(), time: r.time });
  }
  const r = { packets, total, current: pictureFrame(stop, undefined).skb?.id ?? null };
  packetLists.set(stop, r);
  return r;
}
