// net/ipv4/udp.c as kpath models it: udp_sendmsg routes the datagram, builds it with ip_make_skb,
// sets the UDP checksum (udp_send_skb) and hands it to ip_send_skb.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const UDP: ListingFile = {
  path: 'net/ipv4/udp.c',
  functions: [
    fn('udp_sendmsg', BOTH, `
      int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)  @@enter
      {
          struct rtable *rt;
          int err;

          if (len > 0xffff)                    /* the UDP length field has 16 bits */
              return -EMSGSIZE;
          daddr = usin ? usin->sin_addr.s_addr : inet->inet_daddr;   /* no address: the connected peer */
          if (ipv4_is_multicast(daddr))        /* IP_MULTICAST_IF picks the device and source */
              oif = oif ?: inet->mc_index, saddr = saddr ?: inet->mc_addr;
          rt = connected ? sk_dst_check(sk, 0) : NULL;   /* a connected socket keeps its route */
          if (!rt) {
              rt = ip_route_output_flow(net, &fl4, sk);
              if (IS_ERR(rt))
                  return PTR_ERR(rt);          /* ENETUNREACH also counts OutNoRoutes */
          }
          if ((rt->rt_flags & RTCF_BROADCAST) && !sock_flag(sk, SOCK_BROADCAST))
              return -EACCES;                  /* broadcast needs SO_BROADCAST */
          inet_autobind(sk);                   /* first send: an ephemeral source port */  @@autobind
          skb = ip_make_skb(sk, &fl4, getfrag, msg, ulen, sizeof(struct udphdr), ...);   /* ulen = 8 + len */
          if (IS_ERR(skb))
              return PTR_ERR(skb);
          if (cork->gso_size) {                /* UDP_SEGMENT, in udp_send_skb */  @@gso @6.18
              if (hlen + min(datalen, cork->gso_size) > cork->fragsize)   /* hlen: IP + UDP headers */  @6.18
                  return -EMSGSIZE;  @6.18
              if (datalen > cork->gso_size * UDP_MAX_SEGMENTS)   /* 128 segments at most */  @6.18
                  return -EINVAL;  @6.18
              if (datalen > cork->gso_size)    /* one skb for all the segments */  @6.18
                  skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4, gso_size = cork->gso_size, gso_segs = DIV_ROUND_UP(...);  @6.18
          }  @6.18
          udp_send_skb(skb, &fl4);             /* checksum: pseudo-header seed to offload, or the full sum */  @@udp_send_skb
          err = ip_send_skb(net, skb);
          if (err == -ENOBUFS && !inet->recverr)   /* a full qdisc is silent without IP_RECVERR */
              UDP_INC_STATS(net, UDP_MIB_SNDBUFERRORS, 0), err = 0;
          else if (!err)
              UDP_INC_STATS(net, UDP_MIB_OUTDATAGRAMS, 0);
          return err ?: len;
      }  @@leave
    `),
  ],
};
