// net/ipv4/netfilter/nf_dup_ipv4.c: nft's `dup to A [device NAME]`. A copy of the packet
// (pskb_copy: the same headroom, no socket), untracked by conntrack and with DF set, is routed to
// A as its next hop (FLOWI_FLAG_KNOWN_NH, out of NAME when given) and sent by ip_local_out; the
// packet itself goes on. While the copy is being sent, a dup statement it meets does nothing
// (current->in_nf_duplicate in 6.x, the per-CPU nf_skb_duplicated in 4.9).

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import { ip_hdr } from '../net/skbuff';
import { IP_DF } from '../wire/ipv4';
import { formatIpv4 } from '../wire/addr';
import { ip_route_output } from './route';
import { pskb_copy, kfree_skb_reason } from './skbuff';
import { ip_local_out } from './ip_output';
import { local_bh_disable, local_bh_enable } from './softirq';

/** nf_dup_ipv4(net, skb, hooknum, gw, oif): oif -1 when no device was named. */
export function nf_dup_ipv4(k: Kernel, skb: SkBuff, hook: string, gw: number, oif: number): void {
  const w = k.w;
  const nf = k.net.nf;
  if (w) w.enter('nf_dup_ipv4', skb, { skb, hooknum: hook, gw: formatIpv4(gw), oif }, { copy: null });
  // 6.x: local_bh_disable() first; what the copy's frames cause is received at the
  // local_bh_enable() that ends it, before the packet goes on. (4.9 has no such section.)
  const bh = !k.v49;
  if (bh) local_bh_disable(k);
  // The kernel's `goto out`: every way through ends at the one local_bh_enable.
  out: {
    if (nf.inDuplicate) {
      if (w) w.note(l10n.t('a copy is being sent already (in_nf_duplicate): no copy of a copy'));
      break out;
    }
    const copy = pskb_copy(k, skb);
    // nf_ct_set(skb, NULL, IP_CT_UNTRACKED); IP_DF so that the sender hears of a smaller MTU on the
    // copy's path. (PRE_ROUTING and LOCAL_IN would also decrement the TTL.) The header checksum is
    // left for __ip_local_out.
    copy.untracked = true;
    ip_hdr(copy).frag_off |= IP_DF;
    if (w) {
      w.at('copy', { copy, headroom: copy.headroom, truesize: copy.truesize });
      w.note(l10n.t('pskb_copy -> skb {0}: headroom {1}, truesize {2}, no socket, untracked, DF', copy.id, copy.headroom, copy.truesize));
    }
    // nf_dup_ipv4_route
    const rt = ip_route_output(k, { daddr: gw, saddr: 0, oif: oif === -1 ? 0 : oif, tos: ip_hdr(copy).tos, mark: 0, knownNh: true });
    if (typeof rt === 'number') {
      kfree_skb_reason(k, copy, 'nf_dup_ipv4', 'NOT_SPECIFIED');
      if (w) w.note(l10n.t('no route to {0}: the copy is freed', formatIpv4(gw)));
      break out;
    }
    copy.dst = rt;
    copy.dev = rt.dev;
    copy.protocol = 0x0800;
    if (w) {
      w.at('route', { rt, dev: rt.dev });
      w.note(l10n.t('copy to {0} out of {1} (hard_header_len {2}) -> ip_local_out', formatIpv4(gw), rt.dev.name, rt.dev.hard_header_len));
    }
    nf.inDuplicate = true;
    ip_local_out(k, null, copy);
    nf.inDuplicate = false;
  }
  if (bh) local_bh_enable(k);
  if (w) w.leave(null);
}
