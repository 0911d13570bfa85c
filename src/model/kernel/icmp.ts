// net/ipv4/icmp.c: errors the output path generates (__icmp_send) and their arrival back on this
// host (icmp_rcv -> the protocol's error handler).

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import { PACKET_HOST, ip_hdr } from '../net/skbuff';
import { RTCF_BROADCAST, RTCF_MULTICAST, dstMtu } from '../net/route';
import { IP_PMTUDISC_DONT } from '../net/sock';
import { IFF_LOOPBACK } from '../net/device';
import { HZ } from '../core/clock';
import { ip_route_output } from './route';
import { ip_make_skb, ip_send_skb } from './ip_output';
import { IP_OFFSET, IPPROTO_ICMP, IPPROTO_UDP } from '../wire/ipv4';
import {
  ICMP_ECHO, ICMP_ECHOREPLY, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, ICMP_FRAG_NEEDED, ICMP_PORT_UNREACH,
  icmpChecksum,
} from '../wire/icmp';
import { formatIpv4 } from '../wire/addr';
import { udp_err } from './udp';
import { ICMP_HLEN, IcmpHdr, IpHdr } from '../wire/headers';

const NAMES: Record<string, string> = {
  '3/0': 'net unreachable', '3/1': 'host unreachable', '3/3': 'port unreachable', '3/4': 'fragmentation needed',
  '11/0': 'TTL exceeded',
};

/** Informational ICMP types; errors are never sent about errors. */
function isInformational(type: number): boolean {
  return type === ICMP_ECHO || type === ICMP_ECHOREPLY || type === 13 || type === 14 || type === 17 || type === 18;
}

/** icmp_out_count: OutMsgs and the per-type counter. */
export function icmp_out_count(k: Kernel, type: number): void {
  const c = k.net.counters.Icmp;
  c.OutMsgs++;
  if (type === ICMP_DEST_UNREACH) c.OutDestUnreachs++;
  else if (type === ICMP_ECHO) c.OutEchos++;
}

/**
 * __icmp_send: an ICMP error about `skb_in`, addressed to its source. For a packet this host sent,
 * that is this host itself, so the error travels over lo.
 */
export function icmp_send(k: Kernel, skbIn: SkBuff, type: number, code: number, info: number): void {
  const w = k.w;
  if (w) w.enter('__icmp_send', skbIn, { skb_in: skbIn, type, code, info }, { rt: skbIn.dst });
  const iph = ip_hdr(skbIn);
  const rt = skbIn.dst;
  const hlen = iph.ihl * 4;
  // Why no ICMP error is sent, put in words only when a watcher reads it.
  let why: (() => string) | null = null;
  if (!rt) why = () => l10n.t('no route on the packet');
  else if (skbIn.pkt_type !== PACKET_HOST) why = () => l10n.t('pkt_type is not HOST');
  else if (rt.rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) why = () => l10n.t('about a broadcast or multicast packet');
  else if (iph.frag_off & IP_OFFSET) why = () => l10n.t('about a non-first fragment');
  else if (iph.protocol === IPPROTO_ICMP && !isInformational(new IcmpHdr(iph.buf, iph.off + hlen).type)) why = () => l10n.t('about an ICMP error');
  if (why) {
    if (w) {
      w.note(l10n.t('no ICMP: {0}', why()));
      w.leave(null);
    }
    return;
  }
  // The global rate limit (icmp_msgs_per_sec, icmp_msgs_burst); 6.x exempts errors about packets
  // that came in on loopback.
  const applyRatelimit = !icmpv4_mask_allow(type, code) && (k.v49 || !(skbIn.dev && skbIn.dev.flags & IFF_LOOPBACK));
  if (applyRatelimit && !icmp_global_allow(k)) {
    if (w) {
      w.note(l10n.t('global ICMP rate limit: credit spent, no ICMP'));
      w.leave(null);
    }
    return;
  }
  const origSaddr = iph.saddr;
  const origDaddr = iph.daddr;
  const tos = (iph.tos & 0x1e) | 0xc0;
  // Source: the offending packet's destination when that is us, else let the route choose.
  const saddr = k.net.isLocal(origDaddr) ? origDaddr : 0;
  const rt2 = ip_route_output(k, { daddr: origSaddr, saddr, oif: 0, tos, mark: skbIn.mark });
  if (typeof rt2 === 'number') {
    if (w) w.leave(null);
    return;
  }
  const room = Math.min(dstMtu(rt2), 576) - 20 - 8;
  const quoted = Math.min(iph.tot_len, skbIn.tail - iph.off, room);
  if (w) w.at('quote', { saddr: formatIpv4(rt2.saddr), room, quoted });
  const icmpSock = k.net.icmpSock;
  icmpSock.pmtudisc = IP_PMTUDISC_DONT;
  k.recordIcmp({
    time: k.now, type, code, name: NAMES[`${type}/${code}`] ?? `type ${type} code ${code}`,
    from: formatIpv4(rt2.saddr), to: formatIpv4(origSaddr), info, about: skbIn.id,
  });
  k.exception('icmp', { type, code, info, packet: skbIn.id, to: formatIpv4(origSaddr) });
  const skb = ip_make_skb(k, icmpSock, {
    rt: rt2, saddr: rt2.saddr, daddr: origSaddr, dport: 0, protocol: IPPROTO_ICMP, ttl: 0, tos,
    transhdrlen: 0, length: ICMP_HLEN + quoted,
    fill: (buf, off) => {
      const icmph = new IcmpHdr(buf, off);
      icmph.type = type;
      icmph.code = code;
      icmph.checksum = 0;
      icmph.gateway = info;
      buf.set(iph.buf.subarray(iph.off, iph.off + quoted), off + ICMP_HLEN);
      icmph.checksum = icmpChecksum(buf, off, ICMP_HLEN + quoted);
    },
  });
  if (typeof skb !== 'number') ip_send_skb(k, skb);
  if (applyRatelimit) icmp_global_consume(k);
  if (w) w.leave(null);
}

/** icmp_rcv and icmp_unreach: an ICMP message delivered to this host. */
export function icmp_rcv(k: Kernel, ip: Uint8Array, hlen: number): number {
  const w = k.w;
  const c = k.net.counters.Icmp;
  const icmph = new IcmpHdr(ip, hlen);
  const type = icmph.type;
  const code = icmph.code;
  if (w) w.enter('icmp_rcv', null, { type, code }, { icmph: { type, code } });
  c.InMsgs++;
  if (type === ICMP_ECHOREPLY) {
    c.InEchoReps++;
    // The echo came from a raw socket, which got its own copy (raw_local_deliver); ping_rcv
    // finds no ping socket and frees the reply: kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET).
    if (w !== null && w.tracepoint !== undefined) w.tracepoint({ event: 'kfree_skb', reason: 'NO_SOCKET', function: 'ping_rcv', len: ip.length - hlen });
  }
  if (type === ICMP_DEST_UNREACH) {
    c.InDestUnreachs++;
    // icmp_unreach: the error goes to the protocol of the header it quotes.
    const inner = new IpHdr(ip, hlen + ICMP_HLEN);
    const ihl = inner.ihl * 4;
    if (inner.protocol === IPPROTO_UDP && ip.length >= inner.off + ihl + 4) {
      const info = code === ICMP_FRAG_NEEDED ? icmph.frag_mtu : 0;
      udp_err(k, ip.subarray(inner.off), ihl, type, code, info, new IpHdr(ip, 0).saddr);
    }
  }
  if (w) w.leave(0);
  return 0;
}

export { ICMP_HOST_UNREACH, ICMP_PORT_UNREACH };

/** icmpv4_mask_allow: types outside icmp_ratemask (0x1818: 3, 4, 11, 12) and PMTU errors are never limited. */
function icmpv4_mask_allow(type: number, code: number): boolean {
  if (type > 18) return true;
  if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) return true;
  return ((1 << type) & 0x1818) === 0;
}

/** icmp_global_allow: a token bucket refilled at 1000 per second up to a burst of 50. */
function icmp_global_allow(k: Kernel): boolean {
  const net = k.net;
  if (net.icmpCredit > 0) {
    if (k.v49) net.icmpCredit--;
    return true;
  }
  const now = k.jiffies;
  const delta = Math.min(now - net.icmpStamp, HZ);
  if (delta < HZ / 50) return false;
  const incr = Math.floor((1000 * delta) / HZ);
  if (!incr) return false;
  net.icmpStamp = now;
  net.icmpCredit = Math.min(net.icmpCredit + incr, 50);
  if (k.v49) net.icmpCredit--;
  return true;
}

/** icmp_global_consume (6.x): a random 0, 1 or 2 credits per message, one on average. */
function icmp_global_consume(k: Kernel): void {
  if (k.v49) return;
  k.net.icmpCredit -= k.rng.below(3);
}
