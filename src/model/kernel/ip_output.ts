// net/ipv4/ip_output.c: building a datagram (ip_make_skb / __ip_append_data), handing it to IP
// (ip_send_skb, ip_local_out), and the output path proper: ip_output / ip_mc_output, POST_ROUTING,
// ip_finish_output, fragmentation and GSO, ip_finish_output2 with its neighbour lookup.
// dst_output lives in dst.ts (include/net/dst.h).

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { Sock } from '../net/sock';
import {
  SkBuff, CHECKSUM_NONE, CHECKSUM_PARTIAL, IPSKB_REROUTED, IPSKB_FRAG_PMTU, IPSKB_FRAG_COMPLETE, IPSKB_FORWARDED,
  SKB_GSO_UDP, SKB_GSO_UDP_L4, skbTruesize, ip_hdr, icmp_hdr, udp_hdr,
} from '../net/skbuff';
import { local_bh_disable, local_bh_enable } from './softirq';
import { Rtable, dstMtu, RTN_MULTICAST, RTN_BROADCAST, RTCF_MULTICAST, RTCF_BROADCAST, RTCF_LOCAL } from '../net/route';
import { LL_RESERVED_SPACE, NETIF_F_UFO, NETIF_F_HW_CSUM } from '../net/device';
import {
  IP_PMTUDISC_DO, IP_PMTUDISC_PROBE, IP_PMTUDISC_WANT, IP_PMTUDISC_OMIT, PMTUDISC_NAMES,
} from '../net/sock';
import {
  EMSGSIZE, ENOBUFS, EINVAL, NET_XMIT_CN, errnoName,
} from './errno';
import { IP_DF, IP_MF, IP_OFFSET, IPPROTO_ICMP, IPPROTO_TCP, ip_send_check, ipOptionsFragment, recordRoute } from '../wire/ipv4';
import { ETH_HLEN, ip_copy_addrs } from '../wire/headers';
import { formatIpv4 } from '../wire/addr';
import { nudName } from '../net/neigh';
import { nf_hook_postrouting, nf_hook_local_out } from './netfilter';
import { dst_output } from './dst';
import { rt_nexthop, ip_select_ident_hashed } from './route';
import {
  __ipv4_neigh_lookup_noref, __neigh_create, neigh_output, dst_neigh_output,
} from './neighbour';
import { alloc_skb, kmalloc_reserve, consume_skb, kfree_skb_reason, skb_expand_head, skb_realloc_headroom } from './skbuff';
import { skb_checksum_help, dev_loopback_xmit } from './dev';
import { icmp_send, icmp_out_count } from './icmp';
import { ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED } from '../wire/icmp';
import { ip_local_error } from './ip_sockglue';

const IP_MAX_MTU = 0xffff;

/** What a socket call hands ip_make_skb: the flow, the headers it wants, and its payload. */
export interface DatagramSpec {
  rt: Rtable;
  saddr: number;
  daddr: number;
  dport: number;
  protocol: number;
  /** TTL from IP_TTL / the cork (0: choose). */
  ttl: number;
  tos: number;
  /** Length of the transport header the protocol will write (8 for UDP, 0 for raw). */
  transhdrlen: number;
  /** Bytes after the IP header: transport header (if any) plus payload. */
  length: number;
  /** Writes the transport header and payload at buf[off .. off+length); gets this spec too. */
  fill: (buf: Uint8Array, off: number, d: DatagramSpec) => void;
  /** Source port, for protocols whose fill writes one. */
  sport?: number;
  /** UDP_SEGMENT (cork->gso_size): the datagram may exceed the MTU, up to 64 KiB. */
  gso_size?: number;
}

/** ip_sk_use_pmtu: does the socket follow the path MTU (pmtudisc below PROBE)? */
export function ip_sk_use_pmtu(sk: Sock): boolean {
  return sk.pmtudisc < IP_PMTUDISC_PROBE;
}

/** ip_sk_ignore_df: may the stack fragment this socket's datagrams locally? */
export function ip_sk_ignore_df(sk: Sock): boolean {
  return sk.pmtudisc < IP_PMTUDISC_DO || sk.pmtudisc === IP_PMTUDISC_OMIT;
}

/** ip_dont_fragment: should the datagram carry DF? */
function ip_dont_fragment(sk: Sock, rt: Rtable): boolean {
  return sk.pmtudisc === IP_PMTUDISC_DO || (sk.pmtudisc === IP_PMTUDISC_WANT && !rt.mtuLocked);
}

/** ip_skb_dst_mtu: the MTU the output path fragments to. */
export function ip_skb_dst_mtu(sk: Sock | null, skb: SkBuff): number {
  const rt = skb.dst!;
  if (!sk || ip_sk_use_pmtu(sk)) return Math.min(dstMtu(rt), IP_MAX_MTU);
  return Math.min(rt.dev.mtu, IP_MAX_MTU);
}

const PAYLOAD_PATTERN = new Uint8Array(256).map((_, i) => i);

/** Fills `len` bytes of payload with a recognisable pattern (00 01 02 ... ff 00 ...). */
export function fillPayload(buf: Uint8Array, off: number, len: number): void {
  let p = off;
  const end = off + len;
  while (end - p >= 256) {
    buf.set(PAYLOAD_PATTERN, p);
    p += 256;
  }
  if (p < end) buf.set(PATTERN_PREFIX[end - p], p);
}

/** PAYLOAD_PATTERN's first n bytes, for every n below 256 (views made once, not per datagram). */
const PATTERN_PREFIX = Array.from({ length: 256 }, (_, n) => PAYLOAD_PATTERN.subarray(0, n));

/**
 * ip_make_skb: __ip_append_data then __ip_make_skb. Returns the datagram (with its IP header
 * written, checksum and tot_len still to be set by __ip_local_out) or a negative errno.
 */
export function ip_make_skb(k: Kernel, sk: Sock, d: DatagramSpec): SkBuff | number {
  const w = k.w;
  const rt = d.rt;
  const dev = rt.dev;
  if (w) w.enter('ip_make_skb', null, { sk, length: d.length, transhdrlen: d.transhdrlen });
  const optlen = sk.opt ? sk.opt.length : 0;
  // cork->gso_size: the datagram is built whole, as if the MTU were 64 KiB (udp_send_skb checks it).
  const mtu = d.gso_size ? IP_MAX_MTU : ip_sk_use_pmtu(sk) ? dstMtu(rt) : dev.mtu;
  const fragheaderlen = 20 + optlen;
  const maxfraglen = ((mtu - fragheaderlen) & ~7) + fragheaderlen;
  const ignoreDf = ip_sk_ignore_df(sk);
  const maxnonfragsize = ignoreDf ? IP_MAX_MTU : mtu;
  const hh_len = LL_RESERVED_SPACE(dev);
  if (w) w.at('mtu', { mtu, fragheaderlen, maxfraglen, maxnonfragsize });

  // __ip_append_data: a datagram that may not be fragmented must fit the MTU; none may exceed 64 KiB.
  if (d.length > maxnonfragsize - fragheaderlen) {
    if (w) w.note(`${d.length} > ${maxnonfragsize} - ${fragheaderlen} (${PMTUDISC_NAMES[sk.pmtudisc]}) -> EMSGSIZE`);
    ip_local_error(k, sk, EMSGSIZE, d.daddr, d.dport, mtu - optlen);
    if (w) w.leave(-EMSGSIZE);
    return -EMSGSIZE;
  }
  // sock_alloc_send_skb reports a pending socket error (sk_err) instead of allocating.
  if (sk.sk_err) {
    const err = sk.sk_err;
    sk.sk_err = 0;
    k.net.counters.Ip.OutDiscards++;
    if (w) w.note(l10n.t('pending socket error {0} (sk_err) -> returned by this call', errnoName(err)));
    if (w) w.leave(-err);
    return -err;
  }

  const total = fragheaderlen + d.length;
  // 4.9 UFO: one GSO skb for the whole datagram when the device offloads UDP fragmentation.
  const ufo = k.v49 && total > mtu && d.protocol === 17 && (dev.features & NETIF_F_UFO) !== 0;

  // __ip_append_data fills skbs of at most maxfraglen; __ip_make_skb chains them as a frag_list.
  let fragList: number[] | null = null;
  let headLen = total;
  if (!ufo && total > mtu) {
    fragList = [];
    let left = d.length;
    const chunk = maxfraglen - fragheaderlen;
    let first = true;
    while (left > 0) {
      const n = left > mtu - fragheaderlen ? chunk : left;
      if (first) headLen = fragheaderlen + n;
      else fragList.push(n);
      first = false;
      left -= n;
    }
  }
  // The head's buffer as __alloc_skb sized it: fraglen + hh_len + 15 bytes, rounded by kmalloc.
  const truesize = skbTruesize(headLen + hh_len + 15, k.v49);
  // Tailroom is what the kmalloc bucket left after the head's bytes (truesize - 576 is its size).
  const tailroom = Math.max(0, truesize - 576 - (hh_len + headLen));
  const buf = kmalloc_reserve(k, hh_len + total + tailroom);
  const skb = alloc_skb(k, buf, hh_len, total, truesize);
  if (fragList) {
    skb.frag_list = fragList;
    skb.data_len = total - headLen;
    for (const n of fragList) skb.truesize += skbTruesize(fragheaderlen + n + hh_len + 15, k.v49);
  }
  skb.sk = sk;
  skb.dst = rt;
  skb.network_header = hh_len;
  skb.transport_header = hh_len + fragheaderlen;
  skb.priority = sk.priority;
  skb.mark = sk.mark;
  skb.ignore_df = ignoreDf;
  skb.opt_len = optlen;
  if (ufo) {
    skb.gso_type = SKB_GSO_UDP;
    skb.gso_size = maxfraglen - fragheaderlen;
    skb.gso_segs = Math.ceil(d.length / skb.gso_size);
    skb.ip_summed = CHECKSUM_PARTIAL;
  } else if (d.transhdrlen && total <= mtu && (dev.features & NETIF_F_HW_CSUM)) {
    skb.ip_summed = CHECKSUM_PARTIAL;
  } else {
    skb.ip_summed = CHECKSUM_NONE;
  }
  d.fill(buf, skb.transport_header, d);
  if (w) w.at('alloc', { headroom: hh_len, len: total, truesize: skb.truesize, frag_list: fragList ? fragList.slice() : null, ip_summed: skb.ip_summed, gso_size: skb.gso_size });

  // __ip_make_skb: the IP header.
  const df = sk.pmtudisc === IP_PMTUDISC_DO || sk.pmtudisc === IP_PMTUDISC_PROBE || (total <= dstMtu(rt) && ip_dont_fragment(sk, rt));
  let ttl = d.ttl;
  if (!ttl) ttl = rt.rt_type === RTN_MULTICAST ? sk.mc_ttl : sk.uc_ttl >= 0 ? sk.uc_ttl : k.net.ip_default_ttl;
  const iph = ip_hdr(skb);
  iph.version = 4;
  iph.ihl = fragheaderlen >> 2;
  iph.tos = d.tos;
  iph.frag_off = df ? IP_DF : 0;
  iph.ttl = ttl;
  iph.protocol = d.protocol;
  ip_copy_addrs(iph, d.saddr, d.daddr);
  if (sk.opt) {
    // ip_options_build: the socket's options, and our own address in the record route slot.
    const opts = iph.options;
    opts.set(sk.opt);
    recordRoute(opts, d.saddr);
  }
  // 4.9's __ip_make_skb reserves one ID per datagram (ip_select_ident), UFO included: its
  // segments are IP fragments sharing that ID.
  const id = ip_select_ident_segs(k, sk, skb, 1, df);
  iph.id = id;
  if (iph.protocol === IPPROTO_ICMP) icmp_out_count(k, icmp_hdr(skb).type);
  if (w) {
    w.at('iph', { df, ttl, id, ignore_df: ignoreDf });
    w.note(`${fragList ? l10n.t('len {0} as frag_list {1}', total, `${headLen - fragheaderlen}+${fragList.join('+')}`) : `len ${total}`}${ufo ? ` UFO gso_size ${skb.gso_size}` : ''}, ${df ? 'DF' : l10n.t('no DF')}, ID ${id}, TTL ${ttl}`);
    w.leave(skb);
  }
  return skb;
}

/** ip_queue_xmit: TCP's IP header (DF per ip_dont_fragment, the socket's ID counter), then ip_local_out. */
export function ip_queue_xmit(k: Kernel, sk: Sock, skb: SkBuff): number {
  const w = k.w;
  if (w) w.enter('ip_queue_xmit', skb, { sk, skb }, { rt: skb.dst });
  const rt = skb.dst!;
  const iph = ip_hdr(skb);
  const df = sk.pmtudisc === 2 || (sk.pmtudisc === 1 && !rt.mtuLocked);
  iph.version = 4;
  iph.ihl = 5;
  iph.tos = sk.tos;
  iph.frag_off = df ? IP_DF : 0;
  iph.ttl = sk.uc_ttl >= 0 ? sk.uc_ttl : k.net.ip_default_ttl;
  iph.protocol = IPPROTO_TCP;
  iph.saddr = rt.saddr;
  iph.daddr = sk.inet_daddr;
  const id = ip_select_ident_segs(k, sk, skb, 1, df);
  iph.id = id;
  ip_send_check(iph);
  if (w) w.at('iph', { df, ttl: iph.ttl, id });
  const ret = ip_local_out(k, sk, skb);
  if (w) w.leave(ret);
  return ret;
}

/** ip_select_ident_segs: the IP ID policy of the profile. */
function ip_select_ident_segs(k: Kernel, sk: Sock | null, skb: SkBuff, segs: number, df: boolean): number {
  const iph = ip_hdr(skb);
  const daddr = iph.daddr;
  const saddr = iph.saddr;
  const proto = iph.protocol;
  if (k.v49) {
    // 4.9: only DF datagrams that may not be fragmented avoid the hashed generator.
    if (df && !skb.ignore_df) {
      if (sk && sk.inet_daddr) {
        const id = sk.inet_id & 0xffff;
        sk.inet_id = (sk.inet_id + segs) & 0xffff;
        return id;
      }
      return 0;
    }
    return ip_select_ident_hashed(k, daddr, saddr, proto, segs);
  }
  // 6.x: a connected socket uses its own counter; otherwise DF without ignore_df gets 0.
  if (sk && sk.inet_daddr) {
    if (sk.protocol === 'tcp') {
      const id = sk.inet_id & 0xffff;
      sk.inet_id = (sk.inet_id + segs) & 0xffff;
      return id;
    }
    sk.inet_id = (sk.inet_id + segs) & 0xffff;
    return sk.inet_id;
  }
  if (df && !skb.ignore_df) return 0;
  return ip_select_ident_hashed(k, daddr, saddr, proto, segs);
}

export { ip_select_ident_segs };

/** ip_send_skb: ip_local_out, with positive qdisc codes mapped to errnos and OutDiscards counted. */
export function ip_send_skb(k: Kernel, skb: SkBuff): number {
  const w = k.w;
  if (w) w.enter('ip_send_skb', skb, { skb });
  let err = ip_local_out(k, skb.sk, skb);
  if (err) {
    if (err > 0) err = err === NET_XMIT_CN ? 0 : -ENOBUFS; // net_xmit_errno
    if (err) {
      k.net.counters.Ip.OutDiscards++;
      if (w) w.note(`${errnoName(err)} -> OutDiscards++`);
    }
  }
  if (w) w.leave(err, { err });
  return err;
}

/** ip_local_out: __ip_local_out, then dst_output when the LOCAL_OUT hook let the packet pass. */
export function ip_local_out(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  const w = k.w;
  if (w) w.enter('ip_local_out', skb, { sk, skb });
  let err = __ip_local_out(k, sk, skb);
  if (err === 1) err = dst_output(k, sk, skb);
  if (w) w.leave(err, { err });
  return err;
}

/** __ip_local_out: final tot_len and header checksum; LOCAL_OUT. */
export function __ip_local_out(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  const w = k.w;
  if (w) w.enter('__ip_local_out', skb, { sk, skb });
  const iph = ip_hdr(skb);
  const len = skb.len;
  iph.tot_len = len;
  ip_send_check(iph);
  if (!k.v49) k.net.counters.Ip.OutRequests++;
  skb.protocol = 0x0800;
  const chains = k.net.nf.output.length !== 0;
  if (w) {
    w.at('tot_len', { tot_len: len });
    w.note(`tot_len ${len}, ip_send_check${k.v49 ? '' : ', OutRequests++'}; ${chains ? 'NF_INET_LOCAL_OUT' : l10n.t('LOCAL_OUT accepts')}`);
  }
  if (!chains) {
    if (w) w.leave(1);
    return 1;
  }
  const ret = nf_hook_local_out(k, sk, skb);
  if (w) {
    w.at('nf_hook', { ret });
    w.leave(ret);
  }
  return ret;
}

/** ip_output: the output function of unicast routes. */
export function ip_output(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  const w = k.w;
  const dev = skb.dst!.dev;
  if (w) w.enter('ip_output', skb, { sk, skb }, { dev, indev: skb.dev });
  if (k.v49) {
    k.net.counters.Ip.OutRequests++;
    k.net.counters.Ip.OutOctets += skb.len;
    if (w) {
      w.at('stats');
      w.note(`OutRequests++, OutOctets += ${skb.len}`);
    }
  }
  const indev = skb.dev;
  skb.dev = dev;
  skb.protocol = 0x0800;
  if (w) w.at('set_dev');
  const rerouted = (skb.ipcb_flags & IPSKB_REROUTED) !== 0;
  if (w) w.note(rerouted ? l10n.t('IPSKB_REROUTED: skip POST_ROUTING') : `dev ${dev.name}; NF_HOOK_COND(POST_ROUTING)`);
  const ret = NF_HOOK_COND(k, sk, skb, !rerouted);
  if (w) w.leave(ret, { ret });
  return ret;
}

/** NF_HOOK_COND(NFPROTO_IPV4, NF_INET_POST_ROUTING, ..., ip_finish_output, cond). */
function NF_HOOK_COND(k: Kernel, sk: Sock | null, skb: SkBuff, cond: boolean): number {
  if (!cond) return ip_finish_output(k, sk, skb);
  const v = nf_hook_postrouting(k, skb);
  if (k.w) k.w.at('nf_hook', { ret: v, verdict: v === 1 ? 'NF_ACCEPT' : 'NF_DROP' });
  if (v === 1) return ip_finish_output(k, sk, skb);
  return v;
}

/** ip_mc_output: broadcast and multicast routes that loop a copy back to this host. */
export function ip_mc_output(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  const w = k.w;
  const rt = skb.dst!;
  const dev = rt.dev;
  if (w) w.enter('ip_mc_output', skb, { sk, skb }, { rt, dev });
  if (k.v49) {
    k.net.counters.Ip.OutRequests++;
    k.net.counters.Ip.OutOctets += skb.len;
  }
  skb.dev = dev;
  skb.protocol = 0x0800;
  if (rt.rt_flags & RTCF_MULTICAST) {
    const loop = sk ? sk.mc_loop : true;
    if (loop && ((rt.rt_flags & RTCF_LOCAL) || !(skb.ipcb_flags & IPSKB_FORWARDED))) {
      if (w) w.at('mc_loop', { mc_loop: loop, ttl: ip_hdr(skb).ttl });
      if (w) w.note(l10n.t('IP_MULTICAST_LOOP and a local member: loop a clone back'));
      loopClone(k, sk, skb, 'multicast-loop');
    }
    if (ip_hdr(skb).ttl === 0) {
      kfree_skb_reason(k, skb, 'ip_mc_output', 'NOT_SPECIFIED');
      if (w) {
        w.note(l10n.t('TTL 0: the datagram stays on this host'));
        w.leave(0, { ret: 0 });
      }
      return 0;
    }
  }
  if (rt.rt_flags & RTCF_BROADCAST) {
    if (w) w.at('bc_loop', {});
    if (w) w.note(l10n.t('broadcast: loop a clone back'));
    loopClone(k, sk, skb, 'broadcast-loop');
  }
  const rerouted = (skb.ipcb_flags & IPSKB_REROUTED) !== 0;
  const ret = NF_HOOK_COND(k, sk, skb, !rerouted);
  if (w) w.leave(ret, { ret });
  return ret;
}

/** The looped copy passes POST_ROUTING itself, then dev_loopback_xmit (via ip_mc_finish_output on 6.x). */
function loopClone(k: Kernel, sk: Sock | null, skb: SkBuff, via: 'multicast-loop' | 'broadcast-loop'): void {
  const clone = cloneSkb(k, skb);
  const v = nf_hook_postrouting(k, clone);
  if (v !== 1) return;
  if (!k.v49) ip_mc_finish_output(k, clone, via);
  else dev_loopback_xmit(k, clone, via);
  void sk;
}

/** ip_mc_finish_output (6.x): no cgroup BPF egress program, so dev_loopback_xmit's result. */
function ip_mc_finish_output(k: Kernel, skb: SkBuff, via: 'multicast-loop' | 'broadcast-loop'): number {
  const w = k.w;
  if (w) w.enter('ip_mc_finish_output', skb, { skb });
  if (w) w.note(l10n.t('no cgroup BPF egress program; route cloned onto lo'));
  const ret = dev_loopback_xmit(k, skb, via);
  if (w) w.leave(ret);
  return ret;
}

/** skb_clone: shares nothing in the model; a new id with the same bytes and metadata. */
export function cloneSkb(k: Kernel, skb: SkBuff): SkBuff {
  const c = alloc_skb(k, skb.buf.slice(), skb.data, skb.len, skb.truesize);
  copyMetadata(c, skb);
  c.network_header = skb.network_header;
  c.transport_header = skb.transport_header;
  c.ip_summed = skb.ip_summed;
  c.frag_list = skb.frag_list;
  c.data_len = skb.data_len;
  c.ignore_df = skb.ignore_df;
  c.opt_len = skb.opt_len;
  c.gso_size = skb.gso_size;
  c.gso_segs = skb.gso_segs;
  c.gso_type = skb.gso_type;
  return c;
}

/** ip_copy_metadata (and ip_frag_ipcb): what every fragment inherits from the datagram. */
function copyMetadata(to: SkBuff, from: SkBuff): void {
  to.pkt_type = from.pkt_type;
  to.priority = from.priority;
  to.protocol = from.protocol;
  to.dst = from.dst;
  to.dev = from.dev;
  to.mark = from.mark;
  to.sk = from.sk;
  to.ipcb_flags = from.ipcb_flags;
  to.origin = from.origin;
}

/** ip_finish_output: 6.x runs the cgroup BPF egress program first, then __ip_finish_output. */
export function ip_finish_output(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  if (k.v49) return finishOutputBody(k, sk, skb, 'ip_finish_output');
  const w = k.w;
  if (w) w.enter('ip_finish_output', skb, { sk, skb });
  // BPF_CGROUP_RUN_PROG_INET_EGRESS: no program is attached, so NET_XMIT_SUCCESS.
  if (w) w.note(l10n.t('cgroup BPF egress: no program -> __ip_finish_output'));
  const ret = finishOutputBody(k, sk, skb, '__ip_finish_output');
  // ret is what the BPF program returned: NET_XMIT_SUCCESS.
  if (w) w.leave(ret, { ret: 0 });
  return ret;
}

/** The body shared by 4.9's ip_finish_output and 6.x's __ip_finish_output. */
function finishOutputBody(k: Kernel, sk: Sock | null, skb: SkBuff, name: string): number {
  const w = k.w;
  if (w) w.enter(name, skb, { sk, skb });
  // No xfrm in the model: the route never carries an IPsec policy, so the packet is not rerouted.
  if (w) w.at('xfrm');
  const mtu = ip_skb_dst_mtu(sk, skb);
  if (w) w.at('mtu', { mtu });
  let ret: number;
  if (skb.gso_size) {
    if (w) {
      w.at('gso', { mtu });
      w.note(`GSO skb (gso_size ${skb.gso_size}) -> ip_finish_output_gso`);
    }
    ret = ip_finish_output_gso(k, sk, skb, mtu);
  } else {
    const fragTrigger = k.v49 ? (skb.ipcb_flags & IPSKB_FRAG_PMTU) !== 0 : skb.frag_max_size !== 0;
    if (skb.len > mtu || fragTrigger) {
      if (w) w.at('fragment', { mtu });
      if (w) w.note(skb.len > mtu ? `len ${skb.len} > mtu ${mtu} -> ip_fragment` : l10n.t('{0} set -> ip_fragment', k.v49 ? 'IPSKB_FRAG_PMTU' : 'frag_max_size'));
      ret = ip_fragment(k, sk, skb, mtu);
    } else {
      if (w) w.note(`len ${skb.len} <= mtu ${mtu} -> ip_finish_output2`);
      ret = ip_finish_output2(k, sk, skb);
    }
  }
  if (w) w.leave(ret);
  return ret;
}

/** ip_finish_output_gso: a GSO skb whose segments fit goes on whole; otherwise segment and fragment. */
export function ip_finish_output_gso(k: Kernel, sk: Sock | null, skb: SkBuff, mtu: number): number {
  const w = k.w;
  if (w) w.enter('ip_finish_output_gso', skb, { sk, skb, mtu }, { ret: 0 });
  // skb_gso_network_seglen: IP header, the UDP header for UDP GSO (UFO's gso_size includes it), payload.
  const seglen = (skb.transport_header - skb.network_header) + (skb.gso_type === SKB_GSO_UDP_L4 ? 8 : 0) + skb.gso_size;
  if (w) w.at('seglen', { seglen, mtu });
  let ret: number;
  // The listing's err: the last segment's result (none when the skb goes on whole).
  let err: number | null = null;
  if (seglen <= mtu) {
    if (w) w.note(l10n.t('segments of {0} fit mtu {1} -> ip_finish_output2 with the whole GSO skb', seglen, mtu));
    ret = ip_finish_output2(k, sk, skb);
  } else {
    if (w) w.note(l10n.t('segments of {0} exceed mtu {1}: segment in software, then ip_fragment each', seglen, mtu));
    const segs = skb_gso_segment(k, skb);
    ret = 0;
    for (const [i, seg] of segs.entries()) {
      if (w) w.at('segment', { i, len: seg.len, err, ret });
      err = ip_fragment(k, sk, seg, mtu);
      if (err && !ret) ret = err;
    }
  }
  if (w) w.leave(ret, { err, ret });
  return ret;
}

/**
 * skb_gso_segment for the GSO types the model makes. 4.9 UFO: the datagram cut into IP fragments
 * with the UDP checksum completed first (udp4_ufo_fragment), sharing the datagram's ID. UDP GSO:
 * UDP datagrams of gso_size bytes (__udp_gso_segment), IDs counting up from the skb's.
 */
export function skb_gso_segment(k: Kernel, skb: SkBuff): SkBuff[] {
  if (skb.gso_type === SKB_GSO_UDP_L4) return udp_gso_segment(k, skb);
  if (skb.ip_summed === CHECKSUM_PARTIAL) skb_checksum_help(k, skb);
  const hlen = skb.transport_header - skb.network_header;
  // From the IP header to the end (skb->data may already be at the link header).
  const payload = skb.tail - skb.transport_header;
  const out: SkBuff[] = [];
  for (let off = 0; off < payload; off += skb.gso_size) {
    const len = Math.min(skb.gso_size, payload - off);
    out.push(makeFragment(k, skb, hlen, off, len, off + len < payload, false, off > 0));
  }
  return out;
}

/**
 * __udp_gso_segment with inet_gso_segment around it: each segment a copy of the IP and UDP headers
 * and gso_size bytes of payload (the last gets the rest), with its own UDP length and checksum
 * (computed here: the model's segments carry complete checksums), tot_len and ID + i.
 */
function udp_gso_segment(k: Kernel, skb: SkBuff): SkBuff[] {
  const dev = skb.dst!.dev;
  const ll = LL_RESERVED_SPACE(dev);
  const nh = skb.network_header;
  const ihl = skb.transport_header - nh;
  const hlen = ihl + 8;
  const payload = skb.tail - (nh + hlen);
  const id0 = ip_hdr(skb).id;
  const out: SkBuff[] = [];
  for (let off = 0, i = 0; off < payload; off += skb.gso_size, i++) {
    const n = Math.min(skb.gso_size, payload - off);
    const buf = kmalloc_reserve(k, ll + hlen + n);
    buf.set(skb.buf.subarray(nh, nh + hlen), ll);
    buf.set(skb.buf.subarray(nh + hlen + off, nh + hlen + off + n), ll + hlen);
    const seg = alloc_skb(k, buf, ll, hlen + n, skbTruesize(hlen + n + ll + 15, k.v49));
    copyMetadata(seg, skb);
    seg.network_header = ll;
    seg.transport_header = ll + ihl;
    seg.opt_len = skb.opt_len;
    seg.ignore_df = skb.ignore_df;
    const iph = ip_hdr(seg);
    iph.tot_len = hlen + n;
    iph.id = (id0 + i) & 0xffff;
    ip_send_check(iph);
    udp_hdr(seg).len = 8 + n;
    seg.ip_summed = CHECKSUM_PARTIAL;
    skb_checksum_help(k, seg);
    out.push(seg);
  }
  consume_skb(k, skb);
  return out;
}

/** ip_fragment: refuses DF datagrams that may not be fragmented, else ip_do_fragment. */
export function ip_fragment(k: Kernel, sk: Sock | null, skb: SkBuff, mtu: number): number {
  const w = k.w;
  if (w) w.enter('ip_fragment', skb, { sk, skb, mtu });
  const df = (ip_hdr(skb).frag_off & IP_DF) !== 0;
  if (w) w.at('df', { df, max: skb.frag_max_size, ignore_df: skb.ignore_df, frag_max_size: skb.frag_max_size });
  let ret: number;
  if (!df) {
    if (w) w.note(l10n.t('DF clear -> ip_do_fragment'));
    ret = ip_do_fragment(k, sk, skb);
  } else if (!skb.ignore_df || (skb.frag_max_size && skb.frag_max_size > mtu)) {
    k.net.counters.Ip.FragFails++;
    if (w) w.note(l10n.t('DF set and may not fragment -> ICMP frag needed (mtu {0}), EMSGSIZE', mtu));
    icmp_send(k, skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
    // A plain kfree_skb in both profiles: no drop reason.
    kfree_skb_reason(k, skb, 'ip_fragment', 'NOT_SPECIFIED');
    ret = -EMSGSIZE;
  } else {
    if (w) w.note(l10n.t('DF set but ignore_df -> ip_do_fragment'));
    ret = ip_do_fragment(k, sk, skb);
  }
  if (w) w.leave(ret);
  return ret;
}

/**
 * ip_do_fragment: cuts the datagram into fragments of at most mtu bytes (multiples of 8 except the
 * last), each with a copy of the header, the same ID, its offset and MF, and sends them in order.
 */
export function ip_do_fragment(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  const w = k.w;
  if (w) w.enter('ip_do_fragment', skb, { sk, skb });
  const c = k.net.counters.Ip;
  if (skb.ip_summed === CHECKSUM_PARTIAL) {
    // Fragments cannot use checksum offload: complete the L4 checksum first.
    skb_checksum_help(k, skb);
  }
  let mtu = ip_skb_dst_mtu(sk, skb);
  if (skb.frag_max_size && skb.frag_max_size < mtu) mtu = skb.frag_max_size;
  const iph = ip_hdr(skb);
  const hlen = iph.ihl * 4;
  const dataSpace = mtu - hlen;
  skb.ipcb_flags |= IPSKB_FRAG_COMPLETE;
  const origFragOff = iph.frag_off;
  const startOffset = (origFragOff & IP_OFFSET) * 8;
  const origMf = (origFragOff & IP_MF) !== 0;
  const dfOut = (skb.ipcb_flags & IPSKB_FRAG_PMTU) !== 0;
  const total = skb.len - hlen;

  // The frag_list fast path applies when the chain __ip_append_data built already has the geometry.
  let sizes: number[];
  let fast = false;
  if (skb.frag_list) {
    const head = total - skb.frag_list.reduce((a, b) => a + b, 0);
    const members = skb.frag_list;
    // A member shared with another skb (a pskb_copy's, skb_shared) sends it to the slow path.
    fast = !skb.frag_list_shared && head <= dataSpace && head % 8 === 0 && members.every((n, i) => n <= dataSpace && (i === members.length - 1 || n % 8 === 0));
    sizes = fast ? [head, ...members] : sliceSizes(total, dataSpace);
  } else {
    sizes = sliceSizes(total, dataSpace);
  }
  if (w) {
    w.at('geometry', { mtu, hlen, data_space: dataSpace, fragments: sizes.length });
    w.note(fast ? l10n.t('frag_list fast path: {0} fragments of {1} bytes', sizes.length, sizes.join('/')) : l10n.t('slow path: {0} fragments of {1} bytes', sizes.length, sizes.join('/')));
  }
  let off = 0;
  let err = 0;
  const frags: SkBuff[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const last = i === sizes.length - 1;
    frags.push(makeFragment(k, skb, hlen, off, sizes[i], !last || origMf, dfOut, i > 0, startOffset, fast && i === 0 ? skb.id : 0));
    off += sizes[i];
  }
  for (let i = 0; i < frags.length; i++) {
    if (w) w.at('output', { fragment: i, offset: (ip_hdr(frags[i]).frag_off & IP_OFFSET) << 3 });
    err = ip_finish_output2(k, sk, frags[i]);
    if (err) {
      for (let j = i + 1; j < frags.length; j++) kfree_skb_reason(k, frags[j], 'ip_do_fragment', 'NOT_SPECIFIED');
      break;
    }
    c.FragCreates++;
  }
  if (err === 0) c.FragOKs++;
  else c.FragFails++;
  // The datagram's own buffer is not sent: each fragment carries a copy of its part.
  consume_skb(k, skb);
  if (w) w.leave(err);
  return err;
}

function sliceSizes(total: number, dataSpace: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    let len = Math.min(left, dataSpace);
    if (len < left) len &= ~7;
    sizes.push(len);
    left -= len;
  }
  return sizes;
}

/**
 * One fragment: headroom LL_RESERVED_SPACE, a copy of the header (options with the copied bit only,
 * after the first), data bytes [off, off+len) of the datagram, offset/MF/DF, tot_len, checksum.
 * `keepId` reuses the datagram's packet id (the fast path turns the head skb into fragment 1).
 */
function makeFragment(k: Kernel, skb: SkBuff, hlen: number, off: number, len: number, mf: boolean, df: boolean, later: boolean, startOffset = 0, keepId = 0): SkBuff {
  const dev = skb.dst!.dev;
  const ll = LL_RESERVED_SPACE(dev);
  const buf = kmalloc_reserve(k, ll + hlen + len);
  const nh = skb.network_header;
  buf.set(skb.buf.subarray(nh, nh + hlen), ll);
  buf.set(skb.buf.subarray(nh + hlen + off, nh + hlen + off + len), ll + hlen);
  const frag = alloc_skb(k, buf, ll, hlen + len, skbTruesize(hlen + len + ll + 15, k.v49), keepId);
  copyMetadata(frag, skb);
  frag.network_header = ll;
  frag.transport_header = ll + hlen;
  frag.opt_len = hlen - 20;
  frag.ignore_df = skb.ignore_df;
  const iph = ip_hdr(frag);
  if (later && hlen > 20) iph.options.set(ipOptionsFragment(ip_hdr(skb).options));
  iph.frag_off = (((startOffset + off) >> 3) & IP_OFFSET) | (mf ? IP_MF : 0) | (df ? IP_DF : 0);
  iph.tot_len = hlen + len;
  ip_send_check(iph);
  return frag;
}

/** ip_finish_output2: counters, headroom, the next hop's neighbour, and neighbour output. */
export function ip_finish_output2(k: Kernel, sk: Sock | null, skb0: SkBuff): number {
  let skb = skb0;
  const w = k.w;
  const rt = skb.dst!;
  const dev = rt.dev;
  const hh_len = LL_RESERVED_SPACE(dev);
  if (w) {
    w.enter('ip_finish_output2', skb, { sk, skb }, { rt, dev });
    w.at('stats', { hh_len });
  }
  const c = k.net.counters.Ip;
  const type = rt.rt_type;
  if (type === RTN_MULTICAST) {
    c.OutMcastPkts++;
    c.OutMcastOctets += skb.len;
    if (w) {
      w.at('mcast');
      w.note(`RTN_MULTICAST: OutMcastPkts++, OutMcastOctets += ${skb.len}`);
    }
  } else if (type === RTN_BROADCAST) {
    c.OutBcastPkts++;
    c.OutBcastOctets += skb.len;
    if (w) {
      w.at('bcast');
      w.note(`RTN_BROADCAST: OutBcastPkts++, OutBcastOctets += ${skb.len}`);
    }
  }
  if (!k.v49) {
    c.OutTransmits++;
    c.OutOctets += skb.len;
  }

  // Be paranoid: the link header must fit in front of the IP header. A packet built for its
  // device always has the room; one whose device changed after it was built may not (a copy of
  // nf_dup_ipv4 sent out of a VLAN device, hard_header_len 18: LL_RESERVED_SPACE 32).
  if (skb.headroom < hh_len && dev.header_ops) {
    if (w) {
      w.at('headroom', { headroom: skb.headroom });
      w.note(`headroom ${skb.headroom} < hh_len ${hh_len} -> ${k.v49 ? 'skb_realloc_headroom' : 'skb_expand_head'}`);
    }
    if (k.v49) {
      const skb2 = skb_realloc_headroom(k, skb, LL_RESERVED_SPACE(dev));
      // skb_set_owner_w: the new skb is charged to the socket that owned the old one.
      if (skb.sk) skb2.sk = skb.sk;
      consume_skb(k, skb);
      skb = skb2;
    } else {
      skb = skb_expand_head(k, skb, hh_len);
    }
  } else if (w && dev.hard_header_len + dev.needed_headroom > ETH_HLEN) {
    // Said only where the link header is longer than Ethernet's (a VLAN's 18), where it can matter.
    w.note(l10n.t('headroom {0} >= hh_len {1}: the link header fits', skb.headroom, hh_len));
  }

  // 4.9: rcu_read_lock_bh around the lookup and the output (6.x: rcu_read_lock, bottom halves on).
  if (k.v49) local_bh_disable(k);
  const daddr = ip_hdr(skb).daddr;
  // On lo and point-to-point devices the lookup (and the entry arp_constructor keys) use 0.0.0.0;
  // the next hop itself stays the route's address.
  const nexthop = rt_nexthop(rt, daddr);
  if (w) w.at('nexthop', { nexthop: formatIpv4(nexthop), skb });
  let neigh = __ipv4_neigh_lookup_noref(k, dev, nexthop, skb);
  if (!neigh) {
    const n = __neigh_create(k, dev, nexthop, rt, daddr, skb);
    if (typeof n === 'number') {
      const err = k.v49 ? -EINVAL : n;
      if (w) w.at('no_neigh', { neigh: `ERR_PTR(-${errnoName(n)})` });
      if (k.v49) local_bh_enable(k);
      kfree_skb_reason(k, skb, 'ip_finish_output2', 'NEIGH_CREATEFAIL');
      if (w) {
        w.note(l10n.t('no neighbour: {0}', errnoName(err)));
        w.leave(err);
      }
      return err;
    }
    neigh = n;
  }
  if (w) {
    w.at('neigh', { neigh, nud_state: nudName(neigh.nud_state), output: neigh.output });
    w.note(`nexthop ${formatIpv4(nexthop)} -> ${k.v49 ? 'dst_neigh_output' : 'neigh_output'}`);
  }
  const ret = k.v49 ? dst_neigh_output(k, neigh, skb) : neigh_output(k, neigh, skb, false);
  if (k.v49) local_bh_enable(k);
  if (w) w.leave(ret);
  return ret;
}
