// include/net/arp.h as kpath models it: the next hop's entry in arp_tbl.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const ARP_H: ListingFile = {
  path: 'include/net/arp.h',
  functions: [
    fn('__ipv4_neigh_lookup_noref', BOTH, `
      static inline struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev, u32 key)  @@enter
      {
          struct neighbour *n;

          if (dev->flags & (IFF_LOOPBACK | IFF_POINTOPOINT))
              key = INADDR_ANY;                /* lo: one entry, keyed 0.0.0.0 by arp_constructor */  @@key
          /* arp_tbl is hashed on (next hop, dev); no reference is taken: RCU keeps n alive, */
          /* and, unlike neigh_lookup, nothing is counted in /proc/net/stat/arp_cache */
          n = the entry in arp_tbl with primary_key == key and n->dev == dev;
          return n;                            /* NULL: ip_finish_output2 creates one */
      }  @@leave
    `),
  ],
};
