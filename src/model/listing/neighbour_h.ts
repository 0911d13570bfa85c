// include/net/neighbour.h as kpath models it: the choice between the cached link header and the
// entry's output function (6.x neigh_output), and the fast path that copies the cached header.

import type { ListingFile } from './types';
import { fn, BOTH, NEW } from './dsl';

export const NEIGHBOUR_H: ListingFile = {
  path: 'include/net/neighbour.h',
  functions: [
    fn('neigh_output', NEW, `
      static inline int neigh_output(struct neighbour *n, struct sk_buff *skb, bool skip_cache)  @@enter
      {
          bool cached = !skip_cache && (READ_ONCE(n->nud_state) & NUD_CONNECTED) && READ_ONCE(n->hh.hh_len);  @@connected

          if (cached)                          /* REACHABLE, PERMANENT or NOARP with a header */
              return neigh_hh_output(&n->hh, skb);
          return n->output(n, skb);            /* neigh_resolve_output: resolve, or send as is; a VLAN's neigh_connected_output */
      }  @@leave
    `),

    fn('neigh_hh_output', BOTH, `
      static inline int neigh_hh_output(const struct hh_cache *hh, struct sk_buff *skb)  @@enter
      {
          unsigned int hh_alen = HH_DATA_ALIGN(hh->hh_len);   /* 14 rounded up to 16 */

          if (skb_headroom(skb) < hh_alen) {   /* cannot happen: ip_finish_output2 made room */
              kfree_skb(skb);
              return NET_XMIT_DROP;
          }
          /* the cached 16 bytes end exactly where the IP header starts */
          memcpy(skb->data - hh_alen, hh->hh_data, hh_alen);
          __skb_push(skb, hh->hh_len);         /* data now points at the Ethernet header */  @@push
          return dev_queue_xmit(skb);
      }  @@leave
    `),
  ],
};
