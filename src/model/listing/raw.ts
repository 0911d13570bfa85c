// net/ipv4/raw.c as kpath models it: raw_sendmsg on an IPPROTO_ICMP socket, as ping uses it. The
// application writes the echo request (type 8, id, sequence, checksum); the kernel adds the IP
// header. The model builds the datagram the way UDP does: ip_make_skb, then ip_send_skb.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const RAW: ListingFile = {
  path: 'net/ipv4/raw.c',
  functions: [
    fn('raw_sendmsg', BOTH, `
      static int raw_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)  @@enter
      {
          struct inet_sock *inet = inet_sk(sk);
          struct rtable *rt;
          int err;

          if (len > 0xffff)                    /* an IP datagram's length field has 16 bits */
              return -EMSGSIZE;
          if (ipv4_is_multicast(daddr)) {      /* IP_MULTICAST_IF picks the device and source */
              oif = oif ?: inet->mc_index;
              saddr = saddr ?: inet->mc_addr;
          }
          rt = ip_route_output_flow(net, &fl4, sk);
          if (IS_ERR(rt))
              return PTR_ERR(rt);              /* ENETUNREACH also counts OutNoRoutes */
          if ((rt->rt_flags & RTCF_BROADCAST) && !sock_flag(sk, SOCK_BROADCAST))
              return -EACCES;                  /* broadcast needs SO_BROADCAST */
          /* the echo request from user space: type 8, the socket's id, the next sequence */  @@echo
          skb = ip_make_skb(sk, &fl4, raw_getfrag, msg, len, 0, ...);   /* no transport header of ours */
          if (IS_ERR(skb))
              return PTR_ERR(skb);
          err = ip_send_skb(net, skb);
          return err ?: len;
      }  @@leave
    `),
  ],
};
