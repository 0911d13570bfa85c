// net/ipv4/tcp_ipv4.c as kpath models it: connect() routes the socket and sends one SYN. The model
// folds tcp_connect and tcp_transmit_skb (net/ipv4/tcp_output.c) into tcp_v4_connect.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const TCP_IPV4: ListingFile = {
  path: 'net/ipv4/tcp_ipv4.c',
  functions: [
    fn('tcp_v4_connect', BOTH, `
      int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)  @@enter
      {
          struct inet_sock *inet = inet_sk(sk);
          struct rtable *rt;
          int err;

          rt = ip_route_output_flow(net, fl4, sk);
          if (IS_ERR(rt))
              return PTR_ERR(rt);              /* ENETUNREACH also counts OutNoRoutes */
          if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST))
              return -ENETUNREACH;             /* TCP talks to one host */
          inet->inet_saddr = inet->inet_saddr ?: fl4->saddr;
          inet->inet_daddr = daddr;
          inet->inet_dport = usin->sin_port;
          sk_setup_caps(sk, &rt->dst);         /* the socket keeps the route */
          inet_hash_connect(&tcp_death_row, sk);   /* an ephemeral source port */
          tp->write_seq = secure_tcp_seq(...); /* the initial sequence number */
          inet->inet_id = get_random_u16();    /* the IP ID counter starts anywhere */  @6.18
          inet->inet_id = tp->write_seq ^ jiffies;   /* the IP ID counter starts anywhere */  @4.9
          tcp_set_state(sk, TCP_SYN_SENT);     /* ActiveOpens++ */  @@syn_sent
          /* tcp_connect -> tcp_transmit_skb: a SYN with MSS (dst_mtu - 40), SACK permitted, */
          /* timestamps and window scale; window 64240; checksum seed (offload) or full sum */  @@syn
          err = ip_queue_xmit(sk, skb, &inet->cork.fl);
          return err > 0 ? 0 : err;            /* a qdisc code is not a connect() error */
      }  @@leave
    `),
  ],
};
