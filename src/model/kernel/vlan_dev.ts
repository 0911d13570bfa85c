// net/8021q/vlan_dev.c: the transmit side of an 802.1Q VLAN device. Its header_ops build the
// parent's Ethernet header with the VLAN device's address (vlan_dev_hard_header with
// VLAN_FLAG_REORDER_HDR, the default of `ip link add ... type vlan`, or vlan_passthru_hard_header);
// vlan_dev_hard_start_xmit puts the tag in the skb's metadata (__vlan_hwaccel_put_tag) and hands
// the skb to the parent's dev_queue_xmit. The parent writes the tag into the frame: in software
// (validate_xmit_vlan, dev.ts) or, with VLAN transmit offload, in its "hardware" (the driver).

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import type { NetDevice } from '../net/device';
import { formatMac } from '../wire/addr';
import { eth_header } from './eth';
import { dev_queue_xmit } from './dev';
import { NET_XMIT_CN, NET_XMIT_SUCCESS } from './errno';

/** vlan_dev_hard_header / vlan_passthru_hard_header: the parent's header with this device's MAC. */
export function vlan_dev_hard_header(k: Kernel, skb: SkBuff, dev: NetDevice, type: number, daddr: Uint8Array, saddr: Uint8Array | null): number {
  const w = k.w;
  const vlan = dev.vlan!;
  if (w) w.enter('vlan_dev_hard_header', skb, { skb, dev: dev.name, type }, { real_dev: vlan.real_dev.name, vhdrlen: 0 });
  // VLAN_FLAG_REORDER_HDR is set: no tag here; vlan_dev_hard_start_xmit puts it in the metadata.
  const src = saddr ?? dev.dev_addr;
  const rc = eth_header(skb, type, daddr, src);
  if (w) {
    w.at('header', { h_dest: formatMac(daddr), h_source: formatMac(src), rc });
    w.note(l10n.t("{0}: {1}'s Ethernet header, type 0x{2}, from {3}; the tag comes in vlan_dev_hard_start_xmit", dev.header_ops, vlan.real_dev.name, type.toString(16).padStart(4, '0'), formatMac(src)));
    w.leave(rc);
  }
  return rc;
}

/** vlan_dev_hard_start_xmit: tag in the metadata, skb->dev = the parent, dev_queue_xmit there. */
export function vlan_dev_hard_start_xmit(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  const w = k.w;
  const vlan = dev.vlan!;
  if (w) w.enter('vlan_dev_hard_start_xmit', skb, { skb, dev: dev.name }, { vlan_tci: 0, len: skb.len });
  // vlan_dev_get_egress_qos_mask: no egress-qos-map, so the priority bits stay 0.
  const tci = vlan.vlan_id;
  skb.vlan_proto = vlan.vlan_proto;
  skb.vlan_tci = tci;
  skb.vlan_present = true;
  if (w) {
    w.at('tag', { vlan_tci: tci });
    w.note(l10n.t('__vlan_hwaccel_put_tag: VID {0} -> dev_queue_xmit on {1}', vlan.vlan_id, vlan.real_dev.name));
  }
  skb.dev = vlan.real_dev;
  const len = skb.len;
  const ret = dev_queue_xmit(k, skb);
  if (ret === NET_XMIT_SUCCESS || ret === NET_XMIT_CN) {
    dev.stats.tx_packets++;
    dev.stats.tx_bytes += len;
  } else {
    dev.stats.tx_dropped++;
  }
  if (w) w.leave(ret, { len });
  return ret;
}
