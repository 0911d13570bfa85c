// net/ipv4/ip_output.c as kpath models it: building a datagram (ip_make_skb), handing it to IP
// (ip_send_skb, ip_local_out, TCP's ip_queue_xmit), and the output path proper: ip_output and
// ip_mc_output with POST_ROUTING, ip_finish_output, GSO and fragmentation, ip_finish_output2.
// The functions are in the order a packet meets them.

import type { ListingFile } from './types';
import { fn, BOTH, NEW } from './dsl';

export const IP_OUTPUT: ListingFile = {
  path: 'net/ipv4/ip_output.c',
  functions: [
    fn('ip_make_skb', BOTH, `
      struct sk_buff *ip_make_skb(struct sock *sk, struct flowi4 *fl4, int length, int transhdrlen, ...)  @@enter
      {
          /* __ip_append_data: how big may this datagram be, and how is it cut? */
          mtu = ip_sk_use_pmtu(sk) ? dst_mtu(&rt->dst) : rt->dst.dev->mtu;
          if (cork->gso_size)                  /* UDP_SEGMENT: built whole, checked in udp_send_skb */  @6.18
              mtu = IP_MAX_MTU;  @6.18
          fragheaderlen = sizeof(struct iphdr) + optlen;
          maxfraglen = ((mtu - fragheaderlen) & ~7) + fragheaderlen;  /* fragment data: 8-byte units */
          maxnonfragsize = ip_sk_ignore_df(sk) ? IP_MAX_MTU : mtu;    /* DO/PROBE: must fit the MTU */  @@mtu
          if (length > maxnonfragsize - fragheaderlen) {
              ip_local_error(sk, EMSGSIZE, fl4->daddr, dport, mtu - optlen);  /* IP_RECVERR gets the MTU */
              return ERR_PTR(-EMSGSIZE);                /* nothing is sent */
          }
          if (sk->sk_err)                               /* sock_alloc_send_skb: a pending error wins */
              return ERR_PTR(-sock_error(sk));          /* counted in OutDiscards */
          hh_len = LL_RESERVED_SPACE(rt->dst.dev);     /* headroom for the link header: 16 on Ethernet */
          ufo = fragheaderlen + length > mtu && udp && (rt->dst.dev->features & NETIF_F_UFO);  @4.9
          skb = sock_alloc_send_skb(sk, hh_len + fraglen);  /* fraglen: all of it, or maxfraglen */  @@alloc
          skb_reserve(skb, hh_len);
          if (ufo)  @4.9
              skb_shinfo(skb)->gso_size = maxfraglen - fragheaderlen;  /* UFO: one GSO skb, cut later */  @4.9
          else if (fragheaderlen + length > mtu)  @4.9
          if (fragheaderlen + length > mtu)  @6.18
              the rest goes in more maxfraglen-sized skbs, chained on skb_shinfo(skb)->frag_list;
          skb->ip_summed = csummode;       /* PARTIAL: NIC sums (HW_CSUM, fits); else NONE */
          getfrag(from, skb_transport_header(skb), length);   /* transport header and payload */
          /* __ip_make_skb: the IP header */
          iph->frag_off = df ? htons(IP_DF) : 0;   /* DO, PROBE; WANT only if it fits an unlocked MTU */
          iph->ttl = ttl;                  /* multicast: mc_ttl; else IP_TTL or ip_default_ttl */
          iph->protocol = sk->sk_protocol; iph->saddr = fl4->saddr; iph->daddr = fl4->daddr;
          ip_options_build(skb, opt, fl4->daddr, rt);   /* if any; record route: we fill the first slot */
          ip_select_ident_segs(net, skb, sk, segs);  /* connected: socket counter; DF: 0; else hashed */  @6.18 @@iph
          ip_select_ident_segs(net, skb, sk, segs);  /* DF: socket counter or 0; else hashed */  @4.9 @@iph
          if (iph->protocol == IPPROTO_ICMP)
              icmp_out_count(net, icmp_hdr(skb)->type);
          return skb;                      /* tot_len and checksum: in __ip_local_out */
      }  @@leave
    `),

    fn('ip_send_skb', BOTH, `
      int ip_send_skb(struct net *net, struct sk_buff *skb)  @@enter
      {
          int err = ip_local_out(net, skb->sk, skb);

          if (err > 0)                 /* a qdisc code, not an errno */
              err = net_xmit_errno(err);   /* NET_XMIT_CN: 0; NET_XMIT_DROP: -ENOBUFS */
          if (err)
              IP_INC_STATS(net, IPSTATS_MIB_OUTDISCARDS);
          return err;
      }  @@leave
    `),

    fn('ip_local_out', BOTH, `
      int ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          int err = __ip_local_out(net, sk, skb);

          if (err == 1)                /* LOCAL_OUT let it through: on to the route's output */
              err = dst_output(net, sk, skb);
          return err;
      }  @@leave
    `),

    fn('__ip_local_out', BOTH, `
      int __ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          struct iphdr *iph = ip_hdr(skb);

          iph->tot_len = htons(skb->len);      /* the datagram's length is final now */  @@tot_len
          ip_send_check(iph);                  /* header checksum, in software */
          IP_INC_STATS(net, IPSTATS_MIB_OUTREQUESTS);  /* 6.x counts locally sent datagrams here */  @6.18
          skb->protocol = htons(ETH_P_IP);
          /* NF_INET_LOCAL_OUT: without output rules the verdict is 1 (go on to dst_output) */
          return nf_hook(NFPROTO_IPV4, NF_INET_LOCAL_OUT, net, sk, skb, NULL, skb_dst(skb)->dev, dst_output);  @@nf_hook
      }  @@leave
    `),

    fn('ip_queue_xmit', BOTH, `
      int ip_queue_xmit(struct sock *sk, struct sk_buff *skb, struct flowi *fl)  @@enter
      {
          struct rtable *rt = skb_rtable(skb);     /* tcp_v4_connect routed the socket already */
          struct iphdr *iph = ip_hdr(skb);

          iph->version = 4;
          iph->ihl = 5;                            /* no IP options on this SYN */
          iph->tos = inet->tos;
          iph->frag_off = ip_dont_fragment(sk, &rt->dst) ? htons(IP_DF) : 0;  /* DO, or WANT + unlocked MTU */
          iph->ttl = ip_select_ttl(inet, &rt->dst);
          iph->protocol = IPPROTO_TCP;
          iph->saddr = fl4->saddr;
          iph->daddr = inet->inet_daddr;
          ip_select_ident_segs(net, skb, sk, 1);   /* connected: the socket's own ID counter */  @@iph
          ip_send_check(iph);
          return ip_local_out(net, sk, skb);
      }  @@leave
    `),

    fn('ip_output', BOTH, `
      int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          struct net_device *dev = skb_dst(skb)->dev, *indev = skb->dev;
          int ret;

          IP_UPD_PO_STATS(net, IPSTATS_MIB_OUT, skb->len);  /* 4.9: OutRequests, OutOctets per datagram */  @4.9 @@stats
          skb->dev = dev;                  /* leave through the route's device */  @@set_dev
          skb->protocol = htons(ETH_P_IP);

          /* NF_HOOK_COND: POST_ROUTING unless it already ran (a rerouted skb) */
          if (IPCB(skb)->flags & IPSKB_REROUTED)
              return ip_finish_output(net, sk, skb);
          ret = nf_hook(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, skb, indev, dev, ip_finish_output);  @@nf_hook
          if (ret == 1)                    /* accepted, or no chain on the hook */
              ret = ip_finish_output(net, sk, skb);
          return ret;
      }  @@leave
    `),

    fn('ip_mc_output', BOTH, `
      int ip_mc_output(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          struct rtable *rt = skb_rtable(skb);
          struct net_device *dev = rt->dst.dev;
          int ret;

          IP_UPD_PO_STATS(net, IPSTATS_MIB_OUT, skb->len);  @4.9
          skb->dev = dev;
          skb->protocol = htons(ETH_P_IP);
          if (rt->rt_flags & RTCF_MULTICAST) {
              if (sk_mc_loop(sk) && ((rt->rt_flags & RTCF_LOCAL) || !(IPCB(skb)->flags & IPSKB_FORWARDED))) {
                  newskb = skb_clone(skb, GFP_ATOMIC);     /* a local member gets the whole datagram */  @@mc_loop
                  NF_HOOK(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, newskb, NULL, dev, ip_mc_finish_output);  @6.18
                  NF_HOOK(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, newskb, NULL, dev, dev_loopback_xmit);  @4.9
              }
              if (ip_hdr(skb)->ttl == 0)               /* TTL 0: the group is on this host only */
                  return 0;                            /* the original is freed, never sent */
          }
          if (rt->rt_flags & RTCF_BROADCAST) {
              newskb = skb_clone(skb, GFP_ATOMIC);         /* broadcast: always a copy for this host */  @@bc_loop
              NF_HOOK(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, newskb, NULL, dev, ip_mc_finish_output);  @6.18
              NF_HOOK(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, newskb, NULL, dev, dev_loopback_xmit);  @4.9
          }
          if (IPCB(skb)->flags & IPSKB_REROUTED)
              return ip_finish_output(net, sk, skb);
          ret = nf_hook(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, skb, NULL, dev, ip_finish_output);  @@nf_hook
          if (ret == 1)
              ret = ip_finish_output(net, sk, skb);
          return ret;
      }  @@leave
    `),

    fn('ip_mc_finish_output', NEW, `
      static int ip_mc_finish_output(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          /* the looped copy: cgroup BPF egress first (no program attached, so it passes) */
          ret = BPF_CGROUP_RUN_PROG_INET_EGRESS(sk, skb);
          new_rt = rt_dst_clone(net->loopback_dev, skb_rtable(skb));  /* the copy is routed onto lo */
          new_rt->rt_iif = 0;
          skb_dst_set(skb, &new_rt->dst);
          err = dev_loopback_xmit(net, sk, skb);
          return err;                            /* no congestion notice: dev_loopback_xmit's 0 */
      }  @@leave
    `),

    fn('ip_finish_output', BOTH, `
      static int ip_finish_output(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          unsigned int mtu;  @4.9
          int ret;  @6.18

          ret = BPF_CGROUP_RUN_PROG_INET_EGRESS(sk, skb);  /* no program attached: NET_XMIT_SUCCESS */  @6.18
          if (ret != NET_XMIT_SUCCESS && ret != NET_XMIT_CN)  @6.18
              return ret;                               /* a program dropped it */  @6.18
          return __ip_finish_output(net, sk, skb);      /* the old ip_finish_output body */  @6.18
          if (skb_dst(skb)->xfrm) {        /* NAT gave the packet an IPsec policy */  @4.9 @@xfrm
              IPCB(skb)->flags |= IPSKB_REROUTED;   /* POST_ROUTING has run: not again */  @4.9
              return dst_output(net, sk, skb);      /* through the xfrm route (never in kpath) */  @4.9
          }  @4.9
          mtu = ip_skb_dst_mtu(sk, skb);   /* PMTU for sockets that follow it, else dev->mtu */  @4.9 @@mtu
          if (skb_is_gso(skb))  @4.9
              return ip_finish_output_gso(net, sk, skb, mtu);   /* check the segments, not the skb */  @4.9 @@gso
          if (skb->len > mtu || (IPCB(skb)->flags & IPSKB_FRAG_PMTU))  @4.9
              return ip_fragment(net, sk, skb, mtu, ip_finish_output2);  @4.9 @@fragment
          return ip_finish_output2(net, sk, skb);  @4.9
      }  @@leave
    `),

    fn('__ip_finish_output', NEW, `
      static int __ip_finish_output(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          unsigned int mtu;

          if (skb_dst(skb)->xfrm) {        /* NAT gave the packet an IPsec policy */  @@xfrm
              IPCB(skb)->flags |= IPSKB_REROUTED;   /* POST_ROUTING has run: not again */
              return dst_output(net, sk, skb);      /* through the xfrm route (never in kpath) */
          }
          mtu = ip_skb_dst_mtu(sk, skb);   /* PMTU for sockets that follow it, else dev->mtu */  @@mtu
          if (skb_is_gso(skb))
              return ip_finish_output_gso(net, sk, skb, mtu);   /* check the segments, not the skb */  @@gso
          if (skb->len > mtu || IPCB(skb)->frag_max_size)    /* frag_max_size: refragment a forward */
              return ip_fragment(net, sk, skb, mtu, ip_finish_output2);  @@fragment
          return ip_finish_output2(net, sk, skb);
      }  @@leave
    `),

    fn('ip_finish_output_gso', BOTH, `
      static int ip_finish_output_gso(struct net *net, struct sock *sk, struct sk_buff *skb, unsigned int mtu)  @@enter
      {
          int ret = 0, err;

          /* seglen = IP header (+ UDP header for UDP GSO) + gso_size: does each segment fit the MTU? */  @@seglen
          if (skb_gso_validate_network_len(skb, mtu))  @6.18
          if (skb_gso_validate_mtu(skb, mtu))  @4.9
              return ip_finish_output2(net, sk, skb);   /* the NIC or validate_xmit_skb segments it */

          /* too big for this path: segment in software now, then fragment each segment */
          segs = skb_gso_segment(skb, features & ~NETIF_F_GSO_MASK);  /* UFO: fragments; UDP GSO: datagrams */
          for (each segment seg of segs) {
              err = ip_fragment(net, sk, seg, mtu, ip_finish_output2);  @@segment
              if (err && !ret)
                  ret = err;                            /* report the first error */
          }
          return ret;
      }  @@leave
    `),

    fn('ip_fragment', BOTH, `
      static int ip_fragment(struct net *net, struct sock *sk, struct sk_buff *skb, unsigned int mtu, output_fn output)  @@enter
      {
          bool df = ip_hdr(skb)->frag_off & htons(IP_DF);  @@df
          u16 max = IPCB(skb)->frag_max_size;

          if (!df)
              return ip_do_fragment(net, sk, skb, output);
          if (!skb->ignore_df || (max && max > mtu)) {  /* the sender forbade fragmentation */
              IP_INC_STATS(net, IPSTATS_MIB_FRAGFAILS);
              icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));  /* tell it our MTU */
              kfree_skb(skb);
              return -EMSGSIZE;
          }
          return ip_do_fragment(net, sk, skb, output);  /* DF, but the socket lets us (ignore_df) */
      }  @@leave
    `),

    fn('ip_do_fragment', BOTH, `
      int ip_do_fragment(struct net *net, struct sock *sk, struct sk_buff *skb, output_fn output)  @@enter
      {
          if (skb->ip_summed == CHECKSUM_PARTIAL)
              skb_checksum_help(skb);              /* a fragment cannot use checksum offload */
          mtu = ip_skb_dst_mtu(sk, skb);
          if (IPCB(skb)->frag_max_size && IPCB(skb)->frag_max_size < mtu)
              mtu = IPCB(skb)->frag_max_size;      /* leave in the sizes it arrived in */
          hlen = ip_hdr(skb)->ihl * 4;
          data_space = mtu - hlen;
          IPCB(skb)->flags |= IPSKB_FRAG_COMPLETE;
          /* fast path: the frag_list pieces fit as they are (<= data_space, all but the last 8-aligned) */
          fast = skb_has_frag_list(skb) && frag_list_fits(skb, data_space);
          /* slow path: pieces of min(left, data_space) bytes, all but the last rounded down to 8 */
          nfrags = fast ? 1 + frag_list_len(skb) : count_pieces(skb->len - hlen, data_space);  @@geometry
          for (i = 0, off = 0; i < nfrags; off += len[i], i++) {   /* all of them first, in offset order */
              frag[i] = fast ? piece i : alloc_skb(LL_RESERVED_SPACE(dev) + hlen + len[i]);
              copy the IP header (after the first: only options with the copied bit);
              ip_copy_metadata(frag[i], skb);      /* dev, dst, mark, priority, sk, IPCB flags */
              iph->frag_off = htons((off >> 3) | (last ? 0 : IP_MF) | (FRAG_PMTU ? IP_DF : 0));
              iph->tot_len = htons(hlen + len[i]);  /* same ID, TTL, addresses as the datagram */
              ip_send_check(iph);
          }
          for (i = 0; i < nfrags; i++) {
              err = output(net, sk, frag[i]);      /* ip_finish_output2 */  @@output
              if (err)
                  break;                           /* the rest are freed, never sent */
              IP_INC_STATS(net, IPSTATS_MIB_FRAGCREATES);
          }
          IP_INC_STATS(net, err ? IPSTATS_MIB_FRAGFAILS : IPSTATS_MIB_FRAGOKS);
          return err;
      }  @@leave
    `),

    fn('ip_finish_output2', BOTH, `
      static int ip_finish_output2(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          struct rtable *rt = skb_rtable(skb);
          struct net_device *dev = rt->dst.dev;
          unsigned int hh_len = LL_RESERVED_SPACE(dev);   /* room for the link header: 16 on Ethernet */  @@stats
          struct neighbour *neigh;
          u32 nexthop;

          if (rt->rt_type == RTN_MULTICAST)
              IP_UPD_PO_STATS(net, IPSTATS_MIB_OUTMCAST, skb->len);  @@mcast
          else if (rt->rt_type == RTN_BROADCAST)
              IP_UPD_PO_STATS(net, IPSTATS_MIB_OUTBCAST, skb->len);  @@bcast
          IP_UPD_PO_STATS(net, IPSTATS_MIB_OUT, skb->len);  /* OutTransmits: per fragment, before ARP */  @6.18
          if (skb_headroom(skb) < hh_len && dev->header_ops) {   /* it must fit in front of IP */
              skb = skb_expand_head(skb, hh_len);  /* grows this skb in place (or frees it) */  @6.18 @@headroom
              if (!skb)  @6.18
                  return -ENOMEM;  @6.18
              skb2 = skb_realloc_headroom(skb, LL_RESERVED_SPACE(dev));  /* a copy with room */  @4.9 @@headroom
              if (!skb2) {  @4.9
                  kfree_skb(skb);  @4.9
                  return -ENOMEM;  @4.9
              }  @4.9
              if (skb->sk)  @4.9
                  skb_set_owner_w(skb2, skb->sk);  /* the copy is charged to the socket */  @4.9
              consume_skb(skb);                /* the old skb is done with, not dropped */  @4.9
              skb = skb2;  @4.9
          }
          rcu_read_lock_bh();                  /* bottom halves off: their answers wait on the backlog */  @4.9
          nexthop = rt_nexthop(rt, ip_hdr(skb)->daddr);  /* the gateway, or daddr itself */  @@nexthop
          neigh = __ipv4_neigh_lookup_noref(dev, nexthop);   /* lo: looks up 0.0.0.0 */
          if (!neigh)
              neigh = __neigh_create(&arp_tbl, &nexthop, dev, false);
          if (IS_ERR(neigh)) {
              kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL);  @6.18 @@no_neigh
              kfree_skb(skb);  @4.9 @@no_neigh
              return PTR_ERR(neigh);               /* e.g. -ENOBUFS: the table is full */  @6.18
              rcu_read_unlock_bh();  @4.9
              return -EINVAL;  @4.9
          }
          return neigh_output(neigh, skb, false);   /* skip_cache is only for IPv6 gateways */  @6.18 @@neigh
          res = dst_neigh_output(&rt->dst, neigh, skb);  @4.9 @@neigh
          rcu_read_unlock_bh();                /* the outermost one runs the softirq: the ARP reply */  @4.9
          return res;  @4.9
      }  @@leave
    `),
  ],
};
