// kpath/skb: the sk_buff of a stack frame laid out for the sk_buff picture: the positions of
// head, data, tail and end in its buffer, the headers pushed so far as bands (from the header
// offsets and the bytes), the frag_list members and the GSO geometry, and its sizes.

import { SkBuff, MAC_HEADER_UNSET, SKB_GSO_TCPV4, SKB_GSO_UDP } from '../model/net/skbuff';
import { ETH_P_ARP } from '../model/wire/ethernet';
import { ETH_HLEN } from '../model/wire/headers';
import type { Stop } from '../debugger/types';
import * as l10n from '@vscode/l10n';
import type { RequestContext } from './requests';
import type { BandKind, SkbBand, SkbPicture, NoSkb } from './pictures';

const GSO_TYPES: [number, string][] = [[SKB_GSO_TCPV4, 'SKB_GSO_TCPV4'], [SKB_GSO_UDP, 'SKB_GSO_UDP']];
const CSUM = ['CHECKSUM_NONE', 'CHECKSUM_UNNECESSARY', 'CHECKSUM_COMPLETE', 'CHECKSUM_PARTIAL'];
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** The bands from data to tail: link header, IP header and options, transport header, then the rest. */
export function skbBands(skb: SkBuff): SkbBand[] {
  const { buf, data, tail } = skb;
  const nh = skb.network_header;
  const bands: SkbBand[] = [];
  const band = (kind: BandKind, start: number, end: number): void => {
    if (end > start) bands.push({ kind, start, length: end - start });
  };
  let at = data;
  if (nh >= data && nh < tail) {
    band(nh - data === ETH_HLEN ? 'eth' : 'link', data, nh);
    at = nh;
    if (skb.protocol === ETH_P_ARP) {
      band('arp', nh, tail);
      at = tail;
    } else if (buf[nh] >> 4 === 4) {
      const ihl = Math.max(20, (buf[nh] & 0x0f) * 4);
      const hdrEnd = Math.min(tail, nh + ihl);
      band('ip', nh, Math.min(hdrEnd, nh + 20));
      band('ipopt', nh + 20, hdrEnd);
      at = hdrEnd;
      // Only a datagram's first fragment (offset 0) carries the transport header.
      const offset = ((buf[nh + 6] & 0x1f) << 8) | buf[nh + 7];
      const th = skb.transport_header >= hdrEnd && skb.transport_header < tail ? skb.transport_header : hdrEnd;
      if (offset === 0 && th === hdrEnd) {
        const proto = buf[nh + 9];
        const thl = proto === IPPROTO_UDP || proto === IPPROTO_ICMP ? 8 : proto === IPPROTO_TCP && th + 12 < tail ? Math.max(20, (buf[th + 12] >> 4) * 4) : 0;
        if (thl && th + thl <= tail) {
          band(proto === IPPROTO_UDP ? 'udp' : proto === IPPROTO_ICMP ? 'icmp' : 'tcp', th, th + thl);
          at = th + thl;
        }
      }
    }
    band('payload', at, tail);
  } else {
    band('data', data, tail);
  }
  return bands;
}

/** The picture of an skb at a stop, from frame `frame` (function `fn`). */
export function skbPicture(skb: SkBuff, step: number, frame: number, fn: string): SkbPicture {
  const bands = skbBands(skb);
  const mac = skb.mac_header === MAC_HEADER_UNSET ? null : skb.mac_header;
  const gso = skb.gso_size || skb.gso_segs || skb.gso_type
    ? { size: skb.gso_size, segs: skb.gso_segs, type: skb.gso_type, types: GSO_TYPES.filter(([bit]) => skb.gso_type & bit).map(([, n]) => n) }
    : null;
  const fields: Record<string, number | string> = {
    len: skb.len,
    data_len: skb.data_len,
    truesize: skb.truesize,
    headroom: skb.headroom,
    tailroom: skb.tailroom,
    head: 0,
    data: skb.data,
    tail: skb.tail,
    end: skb.buf.length,
    mac_header: mac === null ? '~0' : mac,
    network_header: skb.network_header,
    transport_header: skb.transport_header,
    protocol: '0x' + skb.protocol.toString(16).padStart(4, '0'),
    ip_summed: CSUM[skb.ip_summed] ?? String(skb.ip_summed),
    gso_size: skb.gso_size,
    gso_segs: skb.gso_segs,
    gso_type: gso ? gso.types.join('|') || '0x' + skb.gso_type.toString(16) : 0,
    frag_list: skb.frag_list ? skb.frag_list.join(' + ') : 'NULL',
  };
  for (const b of bands) fields[`band.${b.kind}`] = b.length;
  return {
    packet: skb.id, step, frame, fn,
    data: skb.data, tail: skb.tail, end: skb.buf.length, headroom: skb.headroom, tailroom: skb.tailroom,
    len: skb.len, data_len: skb.data_len, truesize: skb.truesize,
    mac_header: mac, network_header: skb.network_header, transport_header: skb.transport_header,
    bands, frag_list: skb.frag_list ? skb.frag_list.slice() : null, gso, fields,
  };
}

/** The skb a frame works on: the one it was called with, else the one it holds in a local. */
export function frameSkb(stop: Stop, index: number): SkBuff | null {
  const f = stop.frames[index];
  if (!f) return null;
  if (f.skb) return f.skb;
  const local = f.locals.skb;
  return local instanceof SkBuff ? local : null;
}

/**
 * The frame a picture is about: `selected` (a frame index of the stop) if its frame has an skb,
 * else the innermost frame with one; `skb` null when no frame of the stack has one.
 */
export function pictureFrame(stop: Stop, selected: number | undefined): { index: number; skb: SkBuff | null } {
  if (selected !== undefined) {
    const skb = frameSkb(stop, selected);
    if (skb) return { index: selected, skb };
  }
  for (let i = 0; i < stop.frames.length; i++) {
    const skb = frameSkb(stop, i);
    if (skb) return { index: i, skb };
  }
  return { index: selected ?? 0, skb: null };
}

/** The current stop, or an error for the user. */
export function stoppedAt(ctx: RequestContext, request: string): Stop {
  const stop = ctx.runtime?.current;
  if (!stop) throw new Error(ctx.runtime ? l10n.t('{0}: the scenario is not stopped', request) : l10n.t('{0}: no scenario is running (launch first)', request));
  return stop;
}

/** The frame index of an optional frameId argument (a frame of an earlier stop counts as none). */
export function selectedFrame(ctx: RequestContext, request: string, frameId: unknown): number | undefined {
  if (frameId === undefined || frameId === null) return undefined;
  if (!Number.isInteger(frameId)) throw new Error(l10n.t('{0}: frameId must be an integer', request));
  return ctx.frameIndex(frameId as number);
}

/** kpath/skb {frameId?}: the picture of the skb of that frame (or the innermost frame with one); {packet: null} when there is none. */
export function skbRequest(ctx: RequestContext, args: { frameId?: unknown }): SkbPicture | NoSkb {
  const stop = stoppedAt(ctx, 'kpath/skb');
  const selected = selectedFrame(ctx, 'kpath/skb', args.frameId);
  const { index, skb } = pictureFrame(stop, selected);
  const fn = stop.frames[index]?.fn ?? '';
  if (!skb) return { packet: null, step: stop.step, frame: index, fn };
  return skbPicture(skb, stop.step, index, fn);
}
