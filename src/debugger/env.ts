// The names an expression can use at a stop (a frame's arguments and locals, the packet, the
// stop's globals, among them what the run has done so far: frames, sends, drops, counters) and
// the functions it can call (ip_hdr, skb_headroom, neigh, ...).

import * as l10n from '@vscode/l10n';
import type { SkBuff } from '../model/net/skbuff';
import type { Value, ExprEnv } from './expr';
import { wrap, ipHeaderView, skbView, rtView } from './inspect';
import type { Stop } from './types';
import { ExprError } from './expr';
import { formatIpv4 } from '../model/wire/addr';
import {
  framesList, stackList, sendsList, dropsList, icmpList, countersView, neighboursList, findNeigh, neighEntryView, deviceByName, socketByName,
} from './run-views';

export const emptyEnv: ExprEnv = { lookup: () => undefined, names: () => [] };

/** Names visible at a frame: its arguments and locals, then the stop's globals. */
export function stopEnv(stop: Stop, frameIndex: number): ExprEnv {
  const k = stop.kernel;
  const frame = stop.frames[frameIndex];
  const globals: Record<string, () => unknown> = {
    jiffies: () => k.jiffies,
    now: () => k.now,
    reason: () => stop.exception?.detail.reason,
    exception: () => stop.exception?.kind,
    kernel: () => k.profile,
    frames: () => framesList(stop),
    stack: () => stackList(stop),
    sends: () => sendsList(stop),
    drops: () => dropsList(k),
    icmp: () => icmpList(k),
    counters: () => countersView(k),
    neighbours: () => neighboursList(k),
  };
  const lookup = (name: string): Value | undefined => {
    if (frame) {
      if (name in frame.locals) return wrap(frame.locals[name], k);
      if (name in frame.args) {
        const v = frame.args[name];
        // Arguments named skb refer to the frame's packet as it is now.
        if (name === 'skb' && frame.skb) return skbView(frame.skb, k);
        return wrap(v, k);
      }
      if (name === 'skb' && frame.skb) return skbView(frame.skb, k);
      // `iph = ip_hdr(skb)`, as the listings declare it, for the frame's packet.
      if (name === 'iph' && frame.skb && isIpv4(frame.skb)) return ipHeaderView(frame.skb);
    }
    if (stop.exception && name in stop.exception.detail) return wrap(stop.exception.detail[name], k);
    if (name in globals) return wrap(globals[name](), k);
    return undefined;
  };
  const names = (): string[] => {
    const n = new Set<string>();
    if (frame) {
      Object.keys(frame.locals).forEach((x) => n.add(x));
      Object.keys(frame.args).forEach((x) => n.add(x));
      if (frame.skb) n.add('skb');
      if (frame.skb && isIpv4(frame.skb)) n.add('iph');
    }
    if (stop.exception) Object.keys(stop.exception.detail).forEach((x) => n.add(x));
    Object.keys(globals).forEach((x) => n.add(x));
    return [...n];
  };
  const call = (fn: string, args: Value[]): Value | undefined => {
    const a = args[0];
    const target = a && typeof a === 'object' && 'target' in a ? (a as { target?: unknown }).target : undefined;
    switch (fn) {
      case 'ip_hdr':
        return target && (target as SkBuff).network_header !== undefined ? ipHeaderView(target as SkBuff) : undefined;
      case 'skb_dst':
      case 'skb_rtable':
        if (!target || (target as SkBuff).network_header === undefined) return undefined;
        return (target as SkBuff).dst ? rtView((target as SkBuff).dst!) : null;
      case 'skb_headroom':
        return target ? (target as SkBuff).headroom : undefined;
      case 'skb_tailroom':
        return target ? (target as SkBuff).tailroom : undefined;
      case 'ntohs':
      case 'htons':
      case 'ntohl':
      case 'htonl':
        return a;
      case 'neigh': {
        // neigh("192.0.2.2") or neigh(192.0.2.2): the entry for that address, NULL when there is none.
        const addr = typeof a === 'number' ? formatIpv4(a >>> 0) : a;
        if (args.length !== 1 || typeof addr !== 'string') throw new ExprError(l10n.t('{0} expects one IPv4 address, e.g. {1}', 'neigh', 'neigh("192.0.2.2")'));
        const n = findNeigh(k, addr);
        return n ? neighEntryView(n, k) : null;
      }
      case 'dev':
        if (args.length !== 1 || typeof a !== 'string') throw new ExprError(l10n.t('{0} expects one device name, e.g. {1}', 'dev', 'dev("veth0")'));
        return deviceByName(k, a);
      case 'sock':
        if (args.length !== 1 || typeof a !== 'string') throw new ExprError(l10n.t('{0} expects one socket name from the scenario, e.g. {1}', 'sock', 'sock("s")'));
        return socketByName(k, a);
      default:
        return undefined;
    }
  };
  return { lookup, names, call, functions: () => ['ip_hdr', 'skb_dst', 'skb_rtable', 'skb_headroom', 'skb_tailroom', 'ntohs', 'htons', 'ntohl', 'htonl', 'neigh', 'dev', 'sock'] };
}

/** The packet's network header holds an IPv4 header (not an ARP packet's). */
function isIpv4(skb: SkBuff): boolean {
  return skb.buf[skb.network_header] >> 4 === 4;
}
