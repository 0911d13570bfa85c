// net/ipv4/raw.c: raw_sendmsg on an IPPROTO_ICMP raw socket, as ping uses it. The echo request
// (type 8, id, sequence, checksum) is written by the application; the kernel adds the IP header.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { Sock } from '../net/sock';
import { RTCF_BROADCAST } from '../net/route';
import { ip_route_output } from './route';
import { ip_make_skb, ip_send_skb, fillPayload } from './ip_output';
import { ENETUNREACH, EACCES, EMSGSIZE, errnoName } from './errno';
import { isMulticast, formatIpv4 } from '../wire/addr';
import { icmpChecksum, ICMP_ECHO } from '../wire/icmp';
import { IPPROTO_ICMP } from '../wire/ipv4';
import { ICMP_HLEN, IcmpHdr } from '../wire/headers';

export function raw_sendmsg(k: Kernel, sk: Sock, daddr: number, len: number): number {
  const w = k.w;
  if (w) w.enter('raw_sendmsg', null, { sk, daddr: formatIpv4(daddr), len: len + 8 }, { inet: sk, rt: null });
  const done = (r: number): number => {
    if (w) {
      if (r < 0) w.note(l10n.t('returns {0}', errnoName(r)));
      w.leave(r, { err: r < 0 ? r : 0 });
    }
    return r;
  };
  const total = ICMP_HLEN + len;
  if (total > 0xffff) return done(-EMSGSIZE);
  let oif = sk.bound_dev_if;
  let saddr = sk.inet_saddr;
  if (isMulticast(daddr)) {
    if (!oif) oif = sk.mc_index;
    if (!saddr) saddr = sk.mc_addr;
  }
  const rt = ip_route_output(k, { daddr, saddr, oif, tos: sk.tos, mark: sk.mark });
  if (typeof rt === 'number') {
    if (rt === -ENETUNREACH) k.net.counters.Ip.OutNoRoutes++;
    return done(rt);
  }
  if (rt.rt_flags & RTCF_BROADCAST && !sk.broadcast) return done(-EACCES);
  const seq = ++sk.echoSeq;
  const id = sk.echoId;
  if (w) w.at('echo', { id, seq, rt });
  const skb = ip_make_skb(k, sk, {
    rt, saddr: rt.saddr, daddr, dport: 0, protocol: IPPROTO_ICMP, ttl: 0, tos: sk.tos, transhdrlen: 0, length: total,
    fill: (buf, off) => {
      // The application's echo request.
      const icmph = new IcmpHdr(buf, off);
      icmph.type = ICMP_ECHO;
      icmph.code = 0;
      icmph.echo_id = id;
      icmph.echo_sequence = seq;
      fillPayload(buf, off + ICMP_HLEN, len);
      icmph.checksum = icmpChecksum(buf, off, total);
    },
  });
  if (typeof skb === 'number') return done(skb);
  const err = ip_send_skb(k, skb);
  return done(err ? err : total);
}
