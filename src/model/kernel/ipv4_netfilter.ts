// net/ipv4/netfilter.c: ip_route_me_harder, which routes a packet again after a LOCAL_OUT chain
// changed what its route depends on (the mark, an address, the TOS). The source chosen before
// stays (FLOWI_FLAG_ANYSRC): a datagram rerouted out of another device keeps the first device's
// address. A new device may need a longer link header: the headroom grows to its hard_header_len.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { Sock } from '../net/sock';
import type { SkBuff } from '../net/skbuff';
import { ip_hdr } from '../net/skbuff';
import { ip_route_output } from './route';
import { pskb_expand_head } from './skbuff';
import { errnoName } from './errno';
import { formatIpv4 } from '../wire/addr';

/** HH_DATA_ALIGN: link headers are kept in 16-byte units (HH_DATA_MOD). */
function HH_DATA_ALIGN(n: number): number {
  return (n + 15) & ~15;
}

/** ip_route_me_harder(net, sk, skb, RTN_UNSPEC): 0, or the lookup's negative errno (the caller drops the packet). */
export function ip_route_me_harder(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  const w = k.w;
  const iph = ip_hdr(skb);
  const old = skb.dst!;
  // inet_addr_type_dev_table: a local (or unicast) source is kept, with FLOWI_FLAG_ANYSRC.
  const fl = { daddr: iph.daddr, saddr: iph.saddr, oif: sk ? sk.bound_dev_if : 0, tos: iph.tos, mark: skb.mark };
  if (w) {
    const fl4 = { daddr: formatIpv4(fl.daddr), saddr: formatIpv4(fl.saddr), flowi4_oif: fl.oif, flowi4_tos: fl.tos, flowi4_mark: fl.mark };
    w.enter('ip_route_me_harder', skb, { sk, skb }, { dev: old.dev, iph, saddr: formatIpv4(iph.saddr), fl4, hh_len: 0 });
  }
  const rt = ip_route_output(k, fl);
  if (typeof rt === 'number') {
    if (w) {
      w.note(l10n.t('no route for mark 0x{0} -> {1}', (skb.mark >>> 0).toString(16), errnoName(rt)));
      w.leave(rt);
    }
    return rt;
  }
  skb.dst = rt;
  if (w) {
    w.at('route', { rt, dev: rt.dev });
    w.note(l10n.t('mark 0x{0}: {1} -> {2}, source {3} kept', (skb.mark >>> 0).toString(16), old.dev.name, `${rt.dev.name}${rt.rt_gw4 ? ' via ' + formatIpv4(rt.rt_gw4) : ''}`, formatIpv4(iph.saddr)));
  }
  // "Change in oif may mean change in hh_len."
  const hh_len = rt.dev.hard_header_len;
  const headroom = skb.headroom;
  if (headroom < hh_len) {
    const nhead = HH_DATA_ALIGN(hh_len - headroom);
    pskb_expand_head(k, skb, nhead);
    if (w) {
      w.at('headroom', { hh_len, headroom: skb.headroom });
      w.note(l10n.t("headroom {0} < {1}'s hard_header_len {2}: pskb_expand_head by {3} -> headroom {4}", headroom, rt.dev.name, hh_len, nhead, skb.headroom));
    }
  }
  if (w) w.leave(0, { hh_len });
  return 0;
}
