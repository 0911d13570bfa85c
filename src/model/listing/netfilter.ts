// net/netfilter/core.c as kpath models it: nf_hook_slow runs the LOCAL_OUT and POST_ROUTING chains
// of the scenario's nft rules, once per datagram, before fragmentation. The rules themselves
// (nft_do_chain), the route chain's check (nf_route_table_hook4) and NAT (nf_nat_ipv4_manip_pkt)
// are folded into the loop.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const NETFILTER: ListingFile = {
  path: 'net/netfilter/core.c',
  functions: [
    fn('nf_hook_slow', BOTH, `
      int nf_hook_slow(struct sk_buff *skb, struct nf_hook_state *state, const struct nf_hook_entries *e, unsigned int s)  @@enter
      {
          unsigned int verdict;

          for (; s < e->num_hook_entries; s++) {   /* the chains, by priority: mangle -150, filter 0, SNAT 100 */
              /* nft_do_chain: the rules in order; the first verdict (accept or drop) ends the chain; */
              /* mark, ttl and dscp statements change the packet on the way; */
              /* dup: nf_dup_ipv4(net, skb, hook, &gw, oif) sends a copy now */
              /* a nat chain sees only a flow's first packet; its binding (SNAT, MASQUERADE) is */
              /* applied to every packet, with the IP and L4 checksums fixed incrementally */
              verdict = nf_hook_entry_hookfn(&e->hooks[s], skb, state);  /* nf_dup_ipv4, ip_route_me_harder: from dup and route chains */  @@verdict
              /* LOCAL_OUT mangle is a route chain (nf_route_table_hook4): if it changed the mark, */
              /* saddr, daddr or tos: err = ip_route_me_harder(net, sk, skb, RTN_UNSPEC); */
              /* if (err < 0) verdict = NF_DROP_ERR(err); */
              if (verdict == NF_DROP) {
                  kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);  @6.18
                  kfree_skb(skb);  @4.9
                  ret = NF_DROP_GETERR(verdict);   /* -EPERM, or the reroute's error */
                  return ret ? ret : -EPERM;   /* the sender's sendmsg gets it */
              }
          }
          return 1;                            /* every chain accepted: the okfn runs */
      }  @@leave
    `),
  ],
};
