// net/core/dev.c (with the qdisc of net/sched/sch_generic.c) as kpath models it: from
// dev_queue_xmit through the qdisc to the driver, the last checksum and GSO fix-ups, and the
// looped copy of a multicast or broadcast datagram.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const DEV: ListingFile = {
  path: 'net/core/dev.c',
  functions: [
    fn('dev_queue_xmit', BOTH, `
      int dev_queue_xmit(struct sk_buff *skb)  @@enter
      {
          struct net_device *dev = skb->dev;
          struct Qdisc *q;
          int rc;

          skb_reset_mac_header(skb);           /* the link header starts at data */
          rcu_read_lock_bh();                  /* local_bh_disable: bottom halves off while the driver runs */
          txq = netdev_core_pick_tx(dev, skb, NULL);  @6.18
          txq = netdev_pick_tx(dev, skb, NULL);  @4.9
          q = rcu_dereference_bh(txq->qdisc);
          if (q->enqueue) {                    /* a real qdisc (pfifo_fast, ...) */
              rc = __dev_xmit_skb(skb, q, dev, txq);
              goto out;
          }
          if (dev->flags & IFF_UP) {           /* noqueue (veth, lo): to the driver now */
              skb = validate_xmit_skb(skb, dev, &again);
              skb = dev_hard_start_xmit(skb, dev, txq, &rc);   /* each segment, if it was split */
              goto out;
          }
          dev_core_stats_tx_dropped_inc(dev);  /* the device is down */  @6.18
          atomic_long_inc(&dev->tx_dropped);   /* the device is down */  @4.9
          kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);  @6.18
          kfree_skb(skb);  @4.9
          rc = -ENETDOWN;
      out:
          rcu_read_unlock_bh();                /* local_bh_enable: the outermost one runs do_softirq */  @@unlock_bh
          return rc;
      }  @@leave
    `),

    fn('__dev_xmit_skb', BOTH, `
      static int __dev_xmit_skb(struct sk_buff *skb, struct Qdisc *q, struct net_device *dev, struct netdev_queue *txq)  @@enter
      {
          if (test_bit(__QDISC_STATE_DEACTIVATED, &q->state)) {   /* the device went down */
              kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);  @6.18
              kfree_skb(skb);  @4.9
              return NET_XMIT_DROP;
          }
          if ((q->flags & TCQ_F_CAN_BYPASS) && !qdisc_qlen(q))    /* nothing waits: skip the queue */
              return sch_direct_xmit(skb, q, dev, txq, root_lock, true);  /* validate_xmit_skb, then dev_hard_start_xmit */
          /* pfifo_fast_enqueue: three bands by priority (prio2band: priority 0 -> band 1) */
          band = prio2band[skb->priority & TC_PRIO_MAX];
          if (qdisc_qlen(q) >= dev->tx_queue_len)
              return qdisc_drop(skb, q, &to_free);   /* full: the newcomer is dropped (tail drop) */
          __skb_queue_tail(&priv->q[band], skb);  @@enqueue
          __qdisc_run(q);                      /* dequeue band 0, then 1, then 2 -> sch_direct_xmit */
          return NET_XMIT_SUCCESS;
      }  @@leave
    `),

    fn('validate_xmit_skb', BOTH, `
      static struct sk_buff *validate_xmit_skb(struct sk_buff *skb, struct net_device *dev, bool *again)  @@enter
      {
          netdev_features_t features = netif_skb_features(skb);

          skb = validate_xmit_vlan(skb, features);   /* a VLAN tag in the metadata: into the frame */  @@vlan
          if (netif_needs_gso(skb, features)) {   /* a GSO type this device cannot take */
              segs = skb_gso_segment(skb, features);   /* cut it in software, here */  @@segs
              consume_skb(skb);
              skb = segs;                      /* each segment keeps a copy of the link header */
          } else if (skb->ip_summed == CHECKSUM_PARTIAL && !(features & NETIF_F_HW_CSUM)) {
              skb_checksum_help(skb);          /* no checksum offload: finish it here */
          }
          return skb;
      }  @@leave
    `),

    fn('skb_checksum_help', BOTH, `
      int skb_checksum_help(struct sk_buff *skb)  @@enter
      {
          int offset = skb_checksum_start_offset(skb);   /* the transport header */
          __sum16 *check = (__sum16 *)(skb->data + offset + skb->csum_offset);
          __wsum csum;

          /* CHECKSUM_PARTIAL: the check field holds the folded pseudo-header sum */
          csum = skb_checksum(skb, offset, skb->len - offset, 0);   /* header and payload */
          *check = csum_fold(csum);            /* UDP sends a zero sum as 0xffff */  @@csum
          skb->ip_summed = CHECKSUM_NONE;      /* nothing left for the NIC to do */
          return 0;
      }  @@leave
    `),

    fn('dev_hard_start_xmit', BOTH, `
      struct sk_buff *dev_hard_start_xmit(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq, int *ret)  @@enter
      {
          /* xmit_one: taps (tcpdump, AF_PACKET) get a clone of exactly what the driver gets */
          dev_queue_xmit_nit(skb, dev);
          *ret = netdev_start_xmit(skb, dev, txq, false);   /* ndo_start_xmit: */  @@wire
          /*   veth_xmit: the frame crosses to the peer's end, unpadded */
          /*   loopback_xmit: __netif_rx, received again by this host when bottom halves are back on */
          /*   a physical NIC: finishes offloaded checksums (-> skb_checksum_help), pads to 60 bytes, adds the FCS */
          /*   a VLAN device: -> vlan_dev_hard_start_xmit, which tags it and hands it to the parent */
          return NULL;
      }  @@leave
    `),

    fn('dev_loopback_xmit', BOTH, `
      int dev_loopback_xmit(struct net *net, struct sock *sk, struct sk_buff *skb)  @@enter
      {
          skb_reset_mac_header(skb);
          __skb_pull(skb, skb_network_offset(skb));   /* no link header: it starts at IP */
          skb->pkt_type = PACKET_LOOPBACK;
          if (skb->ip_summed == CHECKSUM_NONE)
              skb->ip_summed = CHECKSUM_UNNECESSARY;   /* we built it: no need to verify */
          /* netif_rx: onto the backlog, where no tap on a link sees it */
          netif_rx(skb);                       /* do_softirq, at its own local_bh_enable in a task: received now */
          return 0;
      }  @@leave
    `),

    fn('net_rx_action', BOTH, `
      static void net_rx_action(struct softirq_action *h)  @@enter
      {
          /* sd: this CPU's softnet_data, its backlog and poll list */
          int budget = netdev_budget;          /* 300 frames over all NAPI instances */
          LIST_HEAD(repoll);

          /* n = the backlog's NAPI instance; napi_poll(n, &repoll): */
          /* process_backlog(n, quota = dev_rx_weight, 64): */
          while ((skb = __skb_dequeue(&sd->process_queue))) {   /* the backlog, oldest first */  @@dequeue
              __netif_receive_skb(skb);        /* frames it causes join the backlog's tail */
              if (++work >= quota)
                  break;                       /* quota used: n goes on repoll */
          }
          budget -= work;
          /* n on repoll and the poll list empty: the loop ends */
          list_splice(&repoll, &sd->poll_list);
          if (!list_empty(&sd->poll_list))
              __raise_softirq_irqoff(NET_RX_SOFTIRQ);   /* __do_softirq runs it again */  @@done
      }  @@leave
    `),

    fn('__netif_receive_skb', BOTH, `
      static int __netif_receive_skb(struct sk_buff *skb)  @@enter
      {
          /* __netif_receive_skb_core: */
          skb->protocol = eth_type_trans(skb, skb->dev);   /* done by the driver, before the backlog */
      another_round:
          if (skb->protocol == cpu_to_be16(ETH_P_8021Q)) {
              skb = skb_vlan_untag(skb);
              if (vlan_do_receive(&skb))       /* the VLAN device whose ID the tag carries */
                  goto another_round;          /* received again as its frame, untagged */  @@vlan
              kfree_skb(skb);                  /* no such VLAN device: rx_dropped */
              return NET_RX_DROP;
          }
          switch (skb->protocol) {             /* deliver_skb to the packet_type handler */
          case htons(ETH_P_ARP):
              return arp_rcv(skb, dev, pt, orig_dev);   /* -> arp_process */
          case htons(ETH_P_IP):
              return ip_rcv(skb, dev, pt, orig_dev);
          }
          return NET_RX_SUCCESS;
      }  @@leave
    `),
  ],
};
