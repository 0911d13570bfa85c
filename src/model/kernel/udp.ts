// net/ipv4/udp.c: udp_sendmsg (route, checks, ip_make_skb, udp_send_skb) and the ICMP error
// handler that turns an error about one of our datagrams into a socket error.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { Sock } from '../net/sock';
import { IP_PMTUDISC_DONT } from '../net/sock';
import { CHECKSUM_PARTIAL, SKB_GSO_UDP_L4, udp_hdr } from '../net/skbuff';
import type { SkBuff } from '../net/skbuff';
import { RTCF_BROADCAST, dstMtu } from '../net/route';
import { ip_route_output } from './route';
import { ip_make_skb, ip_send_skb, fillPayload, ip_sk_use_pmtu } from './ip_output';
import type { DatagramSpec } from './ip_output';
import { kfree_skb_reason } from './skbuff';
import { EMSGSIZE, ENETUNREACH, EACCES, ENOBUFS, EHOSTUNREACH, EINVAL, errnoName } from './errno';
import { isMulticast, formatIpv4 } from '../wire/addr';
import { checksum, pseudoHeaderSum, fold } from '../wire/checksum';
import { ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, ICMP_HOST_UNREACH, ICMP_PORT_UNREACH } from '../wire/icmp';
import { autobind } from './socket';
import { IPPROTO_UDP } from '../wire/ipv4';
import { IpHdr, UDP_CHECK_OFFSET, UDP_HLEN, UdpHdr } from '../wire/headers';

/** udp_sendmsg: one datagram of `len` payload bytes to daddr:dport (0 = the connected peer). */
export function udp_sendmsg(k: Kernel, sk: Sock, daddrArg: number, dportArg: number, len: number): number {
  const w = k.w;
  const c = k.net.counters;
  if (w) w.enter('udp_sendmsg', null, { sk, daddr: formatIpv4(daddrArg || sk.inet_daddr), dport: dportArg || sk.inet_dport, len }, { rt: null });
  if (len > 0xffff) return udpDone(k, -EMSGSIZE);
  const daddr = daddrArg || sk.inet_daddr;
  const dport = dportArg || sk.inet_dport;
  const connected = !daddrArg && sk.inet_daddr !== 0;

  let oif = sk.bound_dev_if;
  let saddr = sk.inet_saddr;
  if (isMulticast(daddr)) {
    if (!oif) oif = sk.mc_index;
    if (!saddr) saddr = sk.mc_addr;
  }
  let rt = connected ? sk.dst : null;
  if (!rt) {
    const r = ip_route_output(k, { daddr, saddr, oif, tos: sk.tos, mark: sk.mark });
    if (typeof r === 'number') {
      if (r === -ENETUNREACH) c.Ip.OutNoRoutes++;
      return udpDone(k, r);
    }
    rt = r;
    if (connected) sk.dst = rt;
  }
  if (rt.rt_flags & RTCF_BROADCAST && !sk.broadcast) {
    if (w) w.note(l10n.t('broadcast route without SO_BROADCAST -> EACCES'));
    return udpDone(k, -EACCES);
  }
  autobind(k, sk);
  const sport = sk.inet_sport;
  if (w) w.at('autobind', { sport, rt });
  const src = rt.saddr;
  const ulen = UDP_HLEN + len;
  const skb = ip_make_skb(k, sk, {
    rt, saddr: src, daddr, dport, protocol: IPPROTO_UDP, ttl: 0, tos: sk.tos, transhdrlen: UDP_HLEN, length: ulen, fill: udpFill, sport,
    gso_size: sk.gso_size,
  });
  if (typeof skb === 'number') return udpDone(k, skb);
  const bad = udp_send_skb(k, sk, skb, src, daddr, ulen);
  if (bad) return udpDone(k, bad);
  let err = ip_send_skb(k, skb);
  if (err) {
    if (err === -ENOBUFS && !sk.recverr) {
      c.Udp.SndbufErrors++;
      err = 0;
    }
  } else {
    c.Udp.OutDatagrams++;
  }
  return udpDone(k, err ? err : len);
}

/** The UDP header (checksum left to udp_send_skb) and the payload pattern. */
function udpFill(buf: Uint8Array, off: number, d: DatagramSpec): void {
  const uh = new UdpHdr(buf, off);
  uh.source = d.sport!;
  uh.dest = d.dport;
  uh.len = d.length;
  fillPayload(buf, off + UDP_HLEN, d.length - UDP_HLEN);
}

/** udp_sendmsg's way out: the error path counts ENOBUFS it returns (with IP_RECVERR) as well. */
function udpDone(k: Kernel, r: number): number {
  if (r === -ENOBUFS) k.net.counters.Udp.SndbufErrors++;
  const w = k.w;
  if (w) {
    if (r < 0) w.note(l10n.t('returns {0}', errnoName(r)));
    w.leave(r, { err: r < 0 ? r : 0 });
  }
  return r;
}

/** UDP_MAX_SEGMENTS (include/linux/udp.h): at most this many segments per UDP GSO datagram. */
export const UDP_MAX_SEGMENTS = 128;

/**
 * udp_send_skb: UDP_SEGMENT's checks and GSO fields, then the checksum: the pseudo-header seed for
 * offload (and always for a GSO datagram), else the full sum in software. Returns 0 or an errno
 * (the skb is freed then).
 */
function udp_send_skb(k: Kernel, sk: Sock, skb: SkBuff, saddr: number, daddr: number, ulen: number): number {
  const w = k.w;
  const uh = udp_hdr(skb);
  if (sk.gso_size) {
    const err = udp_send_skb_gso(k, sk, skb, ulen);
    if (err) return err;
  }
  let csum: number;
  if (skb.ip_summed === CHECKSUM_PARTIAL) {
    csum = fold(pseudoHeaderSum(saddr, daddr, IPPROTO_UDP, ulen));
    skb.csum_start = skb.transport_header;
    skb.csum_offset = UDP_CHECK_OFFSET;
  } else {
    uh.check = 0;
    csum = checksum(skb.buf, skb.transport_header, ulen, pseudoHeaderSum(saddr, daddr, IPPROTO_UDP, ulen));
    if (csum === 0) csum = 0xffff;
  }
  uh.check = csum;
  if (w) w.at('udp_send_skb', { check: csum, ip_summed: skb.ip_summed });
  return 0;
}

/** udp_send_skb's UDP_SEGMENT part (6.x): the size and segment-count checks, then the GSO fields. */
function udp_send_skb_gso(k: Kernel, sk: Sock, skb: SkBuff, ulen: number): number {
  const w = k.w;
  const gso = sk.gso_size;
  const hlen = skb.transport_header - skb.network_header + UDP_HLEN;
  const datalen = ulen - UDP_HLEN;
  const rt = skb.dst!;
  const fragsize = ip_sk_use_pmtu(sk) ? dstMtu(rt) : rt.dev.mtu;
  if (w) w.at('gso', { gso_size: gso, datalen, hlen, fragsize });
  let err = 0;
  if (hlen + Math.min(datalen, gso) > fragsize) {
    if (w) w.note(`UDP_SEGMENT ${gso}: ${hlen} + ${Math.min(datalen, gso)} > ${fragsize} -> EMSGSIZE`);
    err = -EMSGSIZE;
  } else if (datalen > gso * UDP_MAX_SEGMENTS) {
    if (w) w.note(l10n.t('UDP_SEGMENT {0}: {1} bytes need more than {2} segments -> EINVAL', gso, datalen, UDP_MAX_SEGMENTS));
    err = -EINVAL;
  }
  if (err) {
    kfree_skb_reason(k, skb, 'udp_send_skb', 'NOT_SPECIFIED');
    return err;
  }
  if (datalen > gso) {
    // One skb for every segment; the checksum is left to the device or to segmentation.
    skb.gso_size = gso;
    skb.gso_type = SKB_GSO_UDP_L4;
    skb.gso_segs = Math.ceil(datalen / gso);
    skb.ip_summed = CHECKSUM_PARTIAL;
    if (w) w.note(l10n.t('UDP_SEGMENT {0}: one GSO skb of {1} segments (SKB_GSO_UDP_L4)', gso, skb.gso_segs));
  }
  return 0;
}

/**
 * __udp4_lib_err: an ICMP error about a datagram of ours. With IP_RECVERR it is queued and set as
 * the pending socket error; without it only hard errors on connected sockets are reported.
 */
export function udp_err(k: Kernel, inner: Uint8Array, ihl: number, type: number, code: number, info: number, icmpFrom: number): void {
  const iph = new IpHdr(inner, 0);
  const uh = new UdpHdr(inner, ihl);
  const saddr = iph.saddr;
  const daddr = iph.daddr;
  const sport = uh.source;
  const dport = uh.dest;
  let sk: Sock | undefined;
  for (const s of k.net.sockets.values()) {
    if (s.protocol === 'udp' && s.inet_sport === sport && (!s.inet_saddr || s.inet_saddr === saddr) && (!s.inet_daddr || (s.inet_daddr === daddr && s.inet_dport === dport))) {
      sk = s;
      break;
    }
  }
  if (!sk) return;
  let err = 0;
  let harderr = false;
  if (type === ICMP_DEST_UNREACH) {
    if (code === ICMP_FRAG_NEEDED) {
      if (sk.pmtudisc === IP_PMTUDISC_DONT) return;
      err = EMSGSIZE;
      harderr = true;
    } else if (code === ICMP_HOST_UNREACH) err = EHOSTUNREACH;
    else if (code === ICMP_PORT_UNREACH) {
      err = 111;
      harderr = true;
    } else err = EHOSTUNREACH;
  }
  if (!err) return;
  if (!sk.recverr) {
    if (!harderr || !sk.inet_daddr) return;
  } else {
    const payloadLen = Math.max(0, uh.len - UDP_HLEN);
    sk.errqueue.push({ time: k.now, errno: errnoName(err), origin: 'icmp', type, code, info, offender: formatIpv4(icmpFrom), payloadLen });
  }
  sk.sk_err = err;
}
