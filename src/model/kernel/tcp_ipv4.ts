// net/ipv4/tcp_ipv4.c: connect() sends one SYN with the options a 6.x kernel puts in it (MSS,
// SACK permitted, timestamps, window scale); tcp_connect and tcp_transmit_skb (tcp_output.c) are
// folded into tcp_v4_connect, which hands the SYN to ip_queue_xmit (ip_output.ts). A RST from the
// peer ends the attempt with ECONNREFUSED.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { Sock } from '../net/sock';
import { CHECKSUM_PARTIAL, CHECKSUM_NONE, tcp_hdr } from '../net/skbuff';
import { RTCF_BROADCAST, RTCF_MULTICAST, dstMtu } from '../net/route';
import { NETIF_F_HW_CSUM, LL_RESERVED_SPACE } from '../net/device';
import { ip_route_output } from './route';
import { ip_queue_xmit } from './ip_output';
import { ENETUNREACH, ECONNREFUSED, errnoName } from './errno';
import { formatIpv4 } from '../wire/addr';
import { buildSynOptions, tcpChecksum, TCP_SYN, TCP_RST } from '../wire/tcp';
import { IPPROTO_TCP } from '../wire/ipv4';
import { pseudoHeaderSum, fold } from '../wire/checksum';
import { autobind } from './socket';
import { alloc_skb } from './skbuff';
import { IpHdr, TCP_HLEN, TcpHdr } from '../wire/headers';

/** MAX_TCP_HEADER on x86-64: the headroom TCP reserves in front of its header. */
const MAX_TCP_HEADER = 256;

/** tcp_v4_connect -> tcp_connect -> tcp_transmit_skb -> ip_queue_xmit. Returns 0 or -errno. */
export function tcp_v4_connect(k: Kernel, sk: Sock, daddr: number, dport: number): number {
  const w = k.w;
  if (w) w.enter('tcp_v4_connect', null, { sk, daddr: formatIpv4(daddr), dport }, { inet: sk, rt: null });
  const done = (r: number): number => {
    if (w) {
      if (r < 0) w.note(l10n.t('returns {0}', errnoName(r)));
      w.leave(r, { err: r });
    }
    return r;
  };
  const rt = ip_route_output(k, { daddr, saddr: sk.inet_saddr, oif: sk.bound_dev_if, tos: sk.tos, mark: sk.mark });
  if (typeof rt === 'number') {
    if (rt === -ENETUNREACH) k.net.counters.Ip.OutNoRoutes++;
    return done(rt);
  }
  if (rt.rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) return done(-ENETUNREACH);
  if (!sk.inet_saddr) sk.inet_saddr = rt.saddr;
  sk.inet_daddr = daddr;
  sk.inet_dport = dport;
  sk.dst = rt;
  autobind(k, sk);
  sk.snd_nxt = k.rng.u32();
  sk.inet_id = k.rng.below(0x10000);
  sk.tsOffset = k.rng.u32();
  sk.tcpState = 'SYN_SENT';
  k.net.counters.Tcp.ActiveOpens++;
  if (w) w.at('syn_sent', { rt, sport: sk.inet_sport, snd_nxt: sk.snd_nxt, inet_id: sk.inet_id });

  // tcp_transmit_skb: the SYN with MSS from the route MTU. tcp_select_initial_window offers
  // 64 KiB rounded down to whole segments on 6.x (64240 at MSS 1460) and 20 segments on 4.9; the
  // window scale follows tcp_rmem's maximum (32 MiB on the reference host: 10; 4.9's 6 MiB: 7).
  const mss = dstMtu(rt) - 40;
  const window = k.v49 ? 20 * mss : Math.floor(65535 / mss) * mss;
  const wscale = k.v49 ? 7 : 10;
  const tsval = (sk.tsOffset + Math.floor(k.now / 1e6)) >>> 0;
  const opts = buildSynOptions(mss, tsval, 0, wscale);
  const thlen = TCP_HLEN + opts.length;
  const len = 20 + thlen;
  const headroom = MAX_TCP_HEADER - thlen - 20 + LL_RESERVED_SPACE(rt.dev) - 16;
  const buf = new Uint8Array(headroom + len + 64);
  const skb = alloc_skb(k, buf, headroom, len, 2304);
  skb.sk = sk;
  skb.dst = rt;
  skb.mark = sk.mark;
  skb.priority = sk.priority;
  skb.network_header = headroom;
  skb.transport_header = headroom + 20;
  const th = tcp_hdr(skb);
  const sport = sk.inet_sport;
  th.source = sport;
  th.dest = dport;
  th.seq = sk.snd_nxt;
  th.doff = thlen / 4;
  th.flags = TCP_SYN;
  th.window = window;
  th.options.set(opts);
  if (rt.dev.features & NETIF_F_HW_CSUM) {
    skb.ip_summed = CHECKSUM_PARTIAL;
    th.check = fold(pseudoHeaderSum(rt.saddr, daddr, IPPROTO_TCP, thlen));
  } else {
    skb.ip_summed = CHECKSUM_NONE;
    th.check = tcpChecksum(buf, th.off, thlen, rt.saddr, daddr);
  }
  if (w) w.at('syn', { mss, ip_summed: skb.ip_summed, check: th.check });
  sk.snd_nxt = (sk.snd_nxt + 1) >>> 0;
  k.net.counters.Tcp.OutSegs++;
  if (w) w.note(`SYN ${formatIpv4(rt.saddr)}:${sport} -> ${formatIpv4(daddr)}:${dport}, mss ${mss}`);
  const err = ip_queue_xmit(k, sk, skb);
  return done(err > 0 ? 0 : err);
}

/** tcp_v4_rcv for the one thing the model receives: the peer's RST|ACK to our SYN. */
export function tcp_v4_rcv(k: Kernel, ip: Uint8Array, hlen: number): void {
  k.net.counters.Tcp.InSegs++;
  const th = new TcpHdr(ip, hlen);
  const flags = th.flags;
  const sport = th.source;
  const dport = th.dest;
  const saddr = new IpHdr(ip, 0).saddr;
  for (const sk of k.net.sockets.values()) {
    if (sk.protocol !== 'tcp' || sk.inet_sport !== dport || sk.inet_dport !== sport || sk.inet_daddr !== saddr) continue;
    if (flags & TCP_RST && sk.tcpState === 'SYN_SENT') {
      sk.tcpState = 'CLOSE';
      sk.sk_err = ECONNREFUSED;
      k.net.counters.Tcp.AttemptFails++;
    }
  }
}
