// net/ipv4/arp.c as kpath models it: how a new arp_tbl entry is set up, the requests it sends, the
// replies that update it, and the error report for packets that die with a failed entry.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const ARP: ListingFile = {
  path: 'net/ipv4/arp.c',
  functions: [
    fn('arp_constructor', BOTH, `
      static int arp_constructor(struct neighbour *neigh)  @@enter
      {
          struct net_device *dev = neigh->dev;
          __be32 addr;

          if (dev->flags & (IFF_LOOPBACK | IFF_POINTOPOINT))
              memcpy(neigh->primary_key, &inaddr_any, 4);  /* one entry per device: 0.0.0.0 */
          addr = *(__be32 *)neigh->primary_key;
          neigh->type = inet_addr_type_dev_table(dev_net(dev), dev, addr);  /* UNICAST, MULTICAST, BROADCAST */
          if (!dev->header_ops) {              /* tun, ppp: no link header at all */
              neigh->nud_state = NUD_NOARP;
              neigh->output = neigh_direct_output;
              return 0;
          }
          if (neigh->type == RTN_MULTICAST) {
              neigh->nud_state = NUD_NOARP;
              arp_mc_map(addr, neigh->ha, dev, 1);   /* 01:00:5e + the group's low 23 bits */
          } else if (dev->flags & (IFF_NOARP | IFF_LOOPBACK)) {
              neigh->nud_state = NUD_NOARP;
              memcpy(neigh->ha, dev->dev_addr, dev->addr_len);
          } else if (neigh->type == RTN_BROADCAST || (dev->flags & IFF_POINTOPOINT)) {
              neigh->nud_state = NUD_NOARP;
              memcpy(neigh->ha, dev->broadcast, dev->addr_len);   /* ff:ff:ff:ff:ff:ff */
          }
          /* a unicast next hop stays NUD_NONE: ARP will find its MAC */
          neigh->ops = dev->header_ops->cache ? &arp_hh_ops : &arp_generic_ops;   /* Ethernet caches; a VLAN does not */
          neigh->output = neigh->nud_state & NUD_VALID ? neigh->ops->connected_output : neigh->ops->output;  /* arp_hh_ops: neigh_resolve_output */  @@state
          return 0;
      }  @@leave
    `),

    fn('arp_solicit', BOTH, `
      static void arp_solicit(struct neighbour *neigh, struct sk_buff *skb)  @@enter
      {
          __be32 saddr = 0, target = *(__be32 *)neigh->primary_key;
          int probes = atomic_read(&neigh->probes);
          u8 *dst_ha = NULL;                   /* NULL: broadcast */

          /* arp_announce 0: the queued packet's source if it is ours, else an address of dev */
          if (skb && inet_addr_type_dev_table(net, dev, ip_hdr(skb)->saddr) == RTN_LOCAL)
              saddr = ip_hdr(skb)->saddr;
          if (!saddr)
              saddr = inet_select_addr(dev, target, RT_SCOPE_LINK);  @@saddr
          probes -= ucast_solicit;
          if (probes < 0) {
              dst_ha = neigh->ha;              /* PROBE: unicast to the MAC we have */
          } else {
              probes -= app_solicit;
              if (probes < 0) {
                  neigh_app_ns(neigh);         /* app_solicit: a user-space daemon asks instead */
                  return;
              }
          }
          /* arp_send_dst -> arp_create (who-has target tell saddr; dev_hard_header: a VLAN's -> vlan_dev_hard_header) -> arp_xmit */
          arp_send_dst(ARPOP_REQUEST, ETH_P_ARP, target, dev, saddr, dst_ha, dev->dev_addr, NULL, dst);
      }  @@leave
    `),

    fn('arp_xmit', BOTH, `
      void arp_xmit(struct sk_buff *skb)  @@enter
      {
          /* arp_create built it: Ethernet (ff:ff:ff:ff:ff:ff or the probed MAC, type 0x0806), then */
          /* the 28-byte ARP header; tha is zero in a request. 42 bytes, unpadded. */
          /* NF_ARP_OUT has no rules in the model */
          dev_queue_xmit(skb);                 /* straight to the device: no IP, no neighbour layer */
      }  @@leave
    `),

    fn('arp_process', BOTH, `
      static int arp_process(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          struct arphdr *arp = arp_hdr(skb);
          struct neighbour *n;

          if (arp is not Ethernet/IPv4 or too short)
              goto out;
          n = __neigh_lookup(&arp_tbl, &sip, dev, 0);   /* counts lookups, hits; only an existing entry learns */
          if (n) {
              /* only a reply sent to us proves the neighbour hears us; the rest suggest it */
              reply = arp->ar_op == htons(ARPOP_REPLY) && skb->pkt_type == PACKET_HOST;
              state = reply ? NUD_REACHABLE : NUD_STALE;
              override = time_after(jiffies, n->updated + locktime);   /* ignore flapping answers */  @@state
              neigh_update(n, sha, state, override ? NEIGH_UPDATE_F_OVERRIDE : 0, 0);
              neigh_release(n);
          }
      out:
          consume_skb(skb);
          return 0;
      }  @@leave
    `),

    fn('arp_error_report', BOTH, `
      static void arp_error_report(struct neighbour *neigh, struct sk_buff *skb)  @@enter
      {
          /* dst_link_failure -> ipv4_link_failure: tell the sender (this host) it cannot get there */
          icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
          kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);  @6.18
          kfree_skb(skb);  @4.9
      }  @@leave
    `),
  ],
};
