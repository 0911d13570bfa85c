// net/ipv4/ip_input.c as kpath models it: only as much of the receive side as the transmit path
// needs: IP packets that reach this host (ICMP errors, echo replies, RSTs, datagrams over lo).

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const IP_INPUT: ListingFile = {
  path: 'net/ipv4/ip_input.c',
  functions: [
    fn('ip_rcv', BOTH, `
      int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt, struct net_device *orig_dev)  @@enter
      {
          const struct iphdr *iph = ip_hdr(skb);

          __IP_UPD_PO_STATS(net, IPSTATS_MIB_IN, skb->len);   /* InReceives */
          /* ip_rcv_finish -> ip_route_input: kpath follows only packets for this host */
          if (inet_addr_type(net, iph->daddr) != RTN_LOCAL)
              return 0;                        /* kpath does not forward */
          /* ip_local_deliver -> ip_defrag: kpath delivers a datagram with its first fragment */
          if (iph->frag_off & htons(IP_OFFSET))
              return 0;
          __IP_INC_STATS(net, IPSTATS_MIB_INDELIVERS);
          switch (iph->protocol) {             /* ip_local_deliver_finish */
          case IPPROTO_ICMP:
              return icmp_rcv(skb);
          case IPPROTO_TCP:
              return tcp_v4_rcv(skb);          /* a RST ends a SYN_SENT connect: ECONNREFUSED */
          case IPPROTO_UDP:
              return udp_rcv(skb);             /* icmp_send: port unreachable, no socket listens */
          }
          return 0;
      }  @@leave
    `),
  ],
};
