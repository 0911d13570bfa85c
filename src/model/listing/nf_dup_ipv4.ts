// net/ipv4/netfilter/nf_dup_ipv4.c as kpath models it: nft's `dup to A [device NAME]`, with
// nf_dup_ipv4_route folded in.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const NF_DUP_IPV4: ListingFile = {
  path: 'net/ipv4/netfilter/nf_dup_ipv4.c',
  functions: [
    fn('nf_dup_ipv4', BOTH, `
      void nf_dup_ipv4(struct net *net, struct sk_buff *skb, unsigned int hooknum, const struct in_addr *gw, int oif)  @@enter
      {
          local_bh_disable();                  /* until the end: the copy's answers wait on the backlog */  @6.18
          if (current->in_nf_duplicate)        /* the copy itself met a dup rule: no copy of it */  @6.18
          if (this_cpu_read(nf_skb_duplicated))  /* the copy itself met a dup rule: no copy of it */  @4.9
              goto out;
          skb = pskb_copy(skb, GFP_ATOMIC);    /* own head, the same headroom, no socket */
          nf_ct_set(skb, NULL, IP_CT_UNTRACKED);   /* conntrack (and NAT) leave the copy alone */
          iph = ip_hdr(skb);
          iph->frag_off |= htons(IP_DF);       /* the sender hears of a smaller MTU on this path */  @@copy
          /* nf_dup_ipv4_route: */
          fl4.flowi4_oif = oif;                /* -1: any device */
          fl4.daddr = gw->s_addr;
          fl4.flowi4_flags = FLOWI_FLAG_KNOWN_NH;   /* gw is the next hop, even on a connected route */
          rt = ip_route_output_key(net, &fl4);  /* ip_route_output_flow */
          if (IS_ERR(rt)) {
              kfree_skb(skb);
              goto out;
          }
          skb_dst_set(skb, &rt->dst);
          skb->dev = rt->dst.dev;  @@route
          current->in_nf_duplicate = true;  @6.18
          __this_cpu_write(nf_skb_duplicated, true);  @4.9
          ip_local_out(net, skb->sk, skb);     /* LOCAL_OUT, routing, POST_ROUTING: as any packet */
          current->in_nf_duplicate = false;  @6.18
          __this_cpu_write(nf_skb_duplicated, false);  @4.9
      out:
          local_bh_enable();                   /* the outermost one runs do_softirq: the copy's answers */  @6.18
      }  @@leave
    `),
  ],
};
