// net/ethernet/eth.c (eth_header) and dev_hard_header (include/linux/netdevice.h): the link header
// in front of a packet, built by the device's header_ops. A VLAN device's header_ops build their
// parent's Ethernet header with the VLAN device's own address (vlan_dev.ts).

import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import type { NetDevice } from '../net/device';
import { ETH_HLEN, EthHdr } from '../wire/headers';
import { vlan_dev_hard_header } from './vlan_dev';

/** eth_header: push the 14-byte Ethernet header (type, source, destination). */
export function eth_header(skb: SkBuff, type: number, dst: Uint8Array, src: Uint8Array): number {
  const eth = new EthHdr(skb.buf, skb.push(ETH_HLEN));
  eth.h_proto = type;
  eth.h_source = src;
  eth.h_dest = dst;
  return ETH_HLEN;
}

/** dev_hard_header: dev->header_ops->create; the source is the device's address unless given. */
export function dev_hard_header(k: Kernel, skb: SkBuff, dev: NetDevice, type: number, daddr: Uint8Array, saddr: Uint8Array | null): number {
  if (dev.header_ops === 'eth_header_ops') return eth_header(skb, type, daddr, saddr ?? dev.dev_addr);
  return vlan_dev_hard_header(k, skb, dev, type, daddr, saddr);
}
