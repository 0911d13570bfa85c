// net/ipv4/icmp.c as kpath models it: the errors the output path generates (__icmp_send), sent
// to the offending packet's source, which is this host, and their arrival back (icmp_rcv).

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const ICMP: ListingFile = {
  path: 'net/ipv4/icmp.c',
  functions: [
    fn('__icmp_send', BOTH, `
      void __icmp_send(struct sk_buff *skb_in, int type, int code, __be32 info, const struct ip_options *opt)  @@enter
      {
          struct iphdr *iph = ip_hdr(skb_in);
          struct rtable *rt = skb_rtable(skb_in);

          if (!rt || skb_in->pkt_type != PACKET_HOST)
              return;                          /* no route to answer on, or not a packet for/from us */
          if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
              return;                          /* never about broadcast or multicast */
          if (iph->frag_off & htons(IP_OFFSET))
              return;                          /* only about a datagram's first fragment */
          if (iph->protocol == IPPROTO_ICMP && !icmp_is_info(inner type))
              return;                          /* never an error about an error */
          saddr = inet_addr_type(net, iph->daddr) == RTN_LOCAL ? iph->daddr : 0;   /* answer as the address hit */
          tos = (iph->tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL;
          rt = icmp_route_lookup(net, &fl4, skb_in, iph, saddr, tos, ...);   /* ip_route_output_flow: back to iph->saddr */
          if (IS_ERR(rt))
              return;
          room = min(dst_mtu(&rt->dst), 576) - sizeof(struct iphdr) - sizeof(struct icmphdr);
          quote = min(ntohs(iph->tot_len), room);   /* as much of the offender as fits in 576 bytes */  @@quote
          /* icmp_push_reply on the netns ICMP socket (pmtudisc DONT): type, code, info, the quote */
          skb = ip_make_skb(icmp_sk, &fl4, icmp_glue_bits, &icmp_param, sizeof(struct icmphdr) + quote, 0, ...);
          if (!IS_ERR(skb))
              ip_send_skb(net, skb);
      }  @@leave
    `),

    fn('icmp_rcv', BOTH, `
      int icmp_rcv(struct sk_buff *skb)  @@enter
      {
          struct icmphdr *icmph = icmp_hdr(skb);

          __ICMP_INC_STATS(net, ICMP_MIB_INMSGS);
          ICMPMSGIN_INC_STATS(net, icmph->type);   /* InEchoReps, InDestUnreachs, ... */
          if (icmph->type == ICMP_DEST_UNREACH) {
              /* icmp_unreach: the error goes to the protocol of the packet it quotes */
              iph = (struct iphdr *)(icmph + 1);
              if (iph->protocol == IPPROTO_UDP)   /* FRAG_NEEDED: info is the next hop's MTU */
                  __udp4_lib_err(skb, info, &udp_table);   /* sk_err; the error queue with IP_RECVERR */
          }
          return 0;
      }  @@leave
    `),
  ],
};
