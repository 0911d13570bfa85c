// include/net/dst.h as kpath models it: dst_output calls the output function the route chose, and
// (4.9) dst_neigh_output picks between the cached link header and the neighbour's output.

import type { ListingFile } from './types';
import { fn, BOTH, OLD } from './dsl';

export const DST_H: ListingFile = {
  path: 'include/net/dst.h',
  functions: [
    fn('dst_output', BOTH, `
      static inline int dst_output(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          /* __mkroute_output chose it when the route was made: ip_output for ordinary routes, */
          /* ip_mc_output for broadcast and joined multicast (RTCF_LOCAL) on a real device */
          return skb_dst(skb)->output(net, sk, skb);  @@output
      }  @@leave
    `),

    fn('dst_neigh_output', OLD, `
      static inline int dst_neigh_output(struct dst_entry *dst, struct neighbour *n, struct sk_buff *skb)  @@enter
      {
          /* (a pending dst confirmation would refresh n->confirmed here; the model has none) */
          bool cached = (n->nud_state & NUD_CONNECTED) && n->hh.hh_len;  @@connected

          if (cached)                          /* REACHABLE, PERMANENT or NOARP with a header */
              return neigh_hh_output(&n->hh, skb);
          return n->output(n, skb);            /* neigh_resolve_output: resolve, or send as is; a VLAN's neigh_connected_output */
      }  @@leave
    `),
  ],
};
