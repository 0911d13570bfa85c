// net/ipv4/netfilter.c as kpath models it: ip_route_me_harder, the reroute after a LOCAL_OUT route
// chain changed the mark, an address or the TOS; and the headroom a new device may need.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const IPV4_NETFILTER: ListingFile = {
  path: 'net/ipv4/netfilter.c',
  functions: [
    fn('ip_route_me_harder', BOTH, `
      int ip_route_me_harder(struct net *net, struct sock *sk, struct sk_buff *skb, unsigned int addr_type)  @@enter
      {
          struct net_device *dev = skb_dst(skb)->dev;
          const struct iphdr *iph = ip_hdr(skb);
          struct flowi4 fl4 = {};
          __be32 saddr = iph->saddr;

          flags |= FLOWI_FLAG_ANYSRC;          /* a local source stays: the route may not pick another */
          fl4.daddr = iph->daddr;
          fl4.saddr = saddr;
          fl4.flowi4_tos = RT_TOS(iph->tos);
          fl4.flowi4_oif = sk ? sk->sk_bound_dev_if : 0;
          fl4.flowi4_mark = skb->mark;         /* the mark the chain set: what fwmark rules see */
          rt = ip_route_output_key(net, &fl4);  /* ip_route_output_flow: the rules see the mark */
          if (IS_ERR(rt))
              return PTR_ERR(rt);              /* the caller drops the packet with this error */
          skb_dst_drop(skb);
          skb_dst_set(skb, &rt->dst);          /* the packet now leaves by the new route */  @@route

          /* Change in oif may mean change in hh_len. */
          hh_len = skb_dst(skb)->dev->hard_header_len;   /* 18 on a VLAN without tag offload */
          if (skb_headroom(skb) < hh_len &&
              pskb_expand_head(skb, HH_DATA_ALIGN(hh_len - skb_headroom(skb)), 0, GFP_ATOMIC))  @@headroom
              return -ENOMEM;
          return 0;
      }  @@leave
    `),
  ],
};
