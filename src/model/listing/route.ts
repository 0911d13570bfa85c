// net/ipv4/route.c as kpath models it: the output route lookup (ip_route_output_key_hash_rcu and
// __mkroute_output folded into one function).

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const ROUTE: ListingFile = {
  path: 'net/ipv4/route.c',
  functions: [
    fn('ip_route_output_flow', BOTH, `
      struct rtable *ip_route_output_flow(struct net *net, struct flowi4 *fl4, const struct sock *sk)  @@enter
      {
          struct net_device *dev_out = NULL;

          if (fl4->flowi4_oif && !(dev_out = dev_get_by_index_rcu(net, fl4->flowi4_oif)))
              return ERR_PTR(-ENODEV);         /* SO_BINDTODEVICE to a device that is gone */
          if (dev_out && (ipv4_is_lbcast(fl4->daddr) || ipv4_is_multicast(fl4->daddr))) {
              res.type = ipv4_is_lbcast(fl4->daddr) ? RTN_BROADCAST : RTN_MULTICAST;
              goto make_route;                 /* the device is given: no FIB lookup */
          }
          if (inet_addr_type(net, fl4->daddr) == RTN_LOCAL) {
              dev_out = net->loopback_dev;     /* to ourselves: over lo */
              res.type = RTN_LOCAL;
              goto make_route;
          }
          if (fl4->daddr is the broadcast address of a device's subnet) {
              res.type = RTN_BROADCAST;
              goto make_route;
          }
          if (fib_lookup(net, fl4, &res, 0))   /* longest prefix match over the up devices */
              return ERR_PTR(-ENETUNREACH);    /* the caller counts OutNoRoutes */
          dev_out = FIB_RES_DEV(res);          /* gateway: the route's via, none for multicast */
          if (!fl4->saddr)
              fl4->saddr = res.prefsrc ?: inet_select_addr(dev_out, gw ?: fl4->daddr, RT_SCOPE_LINK);
      make_route:
          /* __mkroute_output: rt_flags from the type (LOCAL, BROADCAST, MULTICAST) and dst.output: */
          /* ip_mc_output for broadcast, and for multicast this host joined, on a real device; */
          /* ip_output for everything else */
          return __mkroute_output(&res, fl4, orig_oif, dev_out, flags);  @@route
      }  @@leave
    `),
  ],
};
