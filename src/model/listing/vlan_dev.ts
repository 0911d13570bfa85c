// net/8021q/vlan_dev.c as kpath models it: the header and the transmit function of an 802.1Q VLAN
// device created by `ip link add ... type vlan` (VLAN_FLAG_REORDER_HDR set).

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const VLAN_DEV: ListingFile = {
  path: 'net/8021q/vlan_dev.c',
  functions: [
    fn('vlan_dev_hard_header', BOTH, `
      static int vlan_dev_hard_header(struct sk_buff *skb, struct net_device *dev, unsigned short type, const void *daddr, const void *saddr, unsigned int len)  @@enter
      {
          unsigned int vhdrlen = 0;

          if (!(vlan->flags & VLAN_FLAG_REORDER_HDR)) {
              /* the tag in the header here (never: REORDER_HDR is the default) */
          }
          if (saddr == NULL)
              saddr = dev->dev_addr;           /* the VLAN device's own MAC */
          dev = vlan->real_dev;
          rc = dev_hard_header(skb, dev, type, daddr, saddr, len + vhdrlen);  /* the parent's eth_header */  @@header
          return rc;
      }  @@leave
    `),
    fn('vlan_dev_hard_start_xmit', BOTH, `
      static netdev_tx_t vlan_dev_hard_start_xmit(struct sk_buff *skb, struct net_device *dev)  @@enter
      {
          if (vlan->flags & VLAN_FLAG_REORDER_HDR || veth->h_vlan_proto != vlan->vlan_proto) {
              vlan_tci = vlan->vlan_id;
              vlan_tci |= vlan_dev_get_egress_qos_mask(dev, skb->priority);   /* no egress map: 0 */
              __vlan_hwaccel_put_tag(skb, vlan->vlan_proto, vlan_tci);   /* the tag, in the metadata */  @@tag
          }
          skb->dev = vlan->real_dev;
          len = skb->len;
          ret = dev_queue_xmit(skb);           /* the parent's qdisc, validate_xmit_vlan, driver */
          if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN))
              stats->tx_packets++, stats->tx_bytes += len;
          else
              this_cpu_inc(vlan->vlan_pcpu_stats->tx_dropped);
          return ret;
      }  @@leave
    `),
  ],
};
