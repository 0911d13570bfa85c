// struct net_device: the host's links and its loopback. Each link is a veth (a virtual device:
// noqueue, no padding), a physical Ethernet NIC (pfifo_fast, pads short frames to 60 bytes), or an
// 802.1Q VLAN device on one of them (vlan_dev_init: its header_ops and hard_header_len depend on
// whether the parent inserts VLAN tags itself).

import type { Link } from '../scenario/types';
import type { SkBuff } from './skbuff';

export const NETIF_F_SG = 1 << 0;
export const NETIF_F_HW_CSUM = 1 << 1;
export const NETIF_F_TSO = 1 << 2;
export const NETIF_F_GSO = 1 << 3;
export const NETIF_F_UFO = 1 << 4;
export const NETIF_F_GSO_UDP_L4 = 1 << 5;
export const NETIF_F_HW_VLAN_CTAG_TX = 1 << 6;

/** The size of an 802.1Q tag. */
export const VLAN_HLEN = 4;

/**
 * dev->header_ops: how the link header is built. eth_header_ops caches headers (eth_header_cache);
 * vlan_header_ops (the parent inserts no tags) and vlan_passthru_header_ops (it does) have no cache.
 */
export type HeaderOps = 'eth_header_ops' | 'vlan_header_ops' | 'vlan_passthru_header_ops';

/** struct vlan_dev_priv: what a VLAN device knows of its parent. */
export interface VlanDevPriv {
  real_dev: NetDevice;
  vlan_id: number;
  /** ETH_P_8021Q */
  vlan_proto: number;
}

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_NOARP = 0x80;
export const IFF_MULTICAST = 0x1000;

export interface Qdisc {
  kind: 'noqueue' | 'pfifo_fast';
  /** pfifo_fast's three bands (packets waiting); always empty on a device that is never busy. */
  bands: SkBuff[][];
  limit: number;
  drops: number;
  requeues: number;
}

export class NetDevice {
  ifindex: number;
  name: string;
  type: 'veth' | 'ethernet' | 'vlan' | 'loopback';
  mtu: number;
  dev_addr: Uint8Array;
  broadcast = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  flags: number;
  features: number;
  hard_header_len = 14;
  needed_headroom = 0;
  /** Every device here has header_ops (Ethernet's, or a VLAN's). */
  header_ops: HeaderOps = 'eth_header_ops';
  /** A VLAN device's parent and ID (vlan_dev_priv); null for the others. */
  vlan: VlanDevPriv | null = null;
  tx_queue_len: number;
  qdisc: Qdisc;
  /** Pad frames shorter than 60 bytes (ETH_ZLEN), as a physical NIC's driver does. */
  padToMin: boolean;
  stats = { tx_packets: 0, tx_bytes: 0, tx_dropped: 0, rx_packets: 0, rx_bytes: 0 };

  constructor(ifindex: number, name: string, type: NetDevice['type'], mtu: number, mac: Uint8Array, txqlen: number, qdisc: Qdisc['kind']) {
    this.ifindex = ifindex;
    this.name = name;
    this.type = type;
    this.mtu = mtu;
    this.dev_addr = mac;
    this.tx_queue_len = txqlen;
    this.flags = IFF_UP | IFF_BROADCAST | IFF_MULTICAST;
    if (type === 'loopback') this.flags = IFF_UP | IFF_LOOPBACK;
    this.features = 0;
    this.padToMin = type === 'ethernet';
    this.qdisc = { kind: qdisc, bands: [[], [], []], limit: txqlen, drops: 0, requeues: 0 };
  }

  get up(): boolean {
    return (this.flags & IFF_UP) !== 0;
  }
}

/** LL_RESERVED_SPACE(dev): link-layer headroom rounded to 16 (16 on Ethernet). */
export function LL_RESERVED_SPACE(dev: NetDevice): number {
  return ((dev.hard_header_len + dev.needed_headroom) & ~15) + 16;
}

export function deviceFromLink(ifindex: number, link: Link, mac: Uint8Array, v49: boolean, parent?: NetDevice): NetDevice {
  const dev = new NetDevice(ifindex, link.name, link.type, link.mtu, mac, link.txqueuelen, link.qdisc);
  dev.features = NETIF_F_SG | NETIF_F_GSO;
  if (link.type === 'vlan' && parent) return vlanDevInit(dev, link, parent);
  // TX checksum offload brings TSO with it; 4.9 devices with NETIF_F_GSO_SOFTWARE (veth) keep UFO
  // only while they can checksum (netdev_fix_features drops UFO without it). The physical NIC has
  // no UFO: in 4.9 hardware UFO was in a handful of drivers only (docs/kernel.md §4).
  if (link.offload) {
    dev.features |= NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_HW_VLAN_CTAG_TX;
    if (v49 && link.type === 'veth') dev.features |= NETIF_F_UFO;
    // 6.x veth takes UDP GSO packets whole (NETIF_F_GSO_SOFTWARE); the physical NIC cuts them.
    if (!v49 && link.type === 'veth') dev.features |= NETIF_F_GSO_UDP_L4;
  }
  if (!link.up) dev.flags &= ~IFF_UP;
  return dev;
}

/**
 * vlan_dev_init: the VLAN device keeps its parent's needed_headroom; a parent that inserts tags
 * itself (NETIF_F_HW_VLAN_CTAG_TX, with `offload on`) gives vlan_passthru_header_ops and its own
 * hard_header_len, any other vlan_header_ops and hard_header_len + VLAN_HLEN (18 on Ethernet).
 * Its offloads are what the parent offers VLANs (vlan_features, limited to the parent's current
 * features by vlan_dev_fix_features): in the model the parent's own, without tag insertion. A
 * VLAN is up only when its parent is (vlan_dev_open refuses otherwise).
 */
function vlanDevInit(dev: NetDevice, link: Link, parent: NetDevice): NetDevice {
  dev.vlan = { real_dev: parent, vlan_id: link.vlanId ?? 0, vlan_proto: 0x8100 };
  dev.features = parent.features & ~NETIF_F_HW_VLAN_CTAG_TX;
  dev.needed_headroom = parent.needed_headroom;
  if (parent.features & NETIF_F_HW_VLAN_CTAG_TX) {
    dev.header_ops = 'vlan_passthru_header_ops';
    dev.hard_header_len = parent.hard_header_len;
  } else {
    dev.header_ops = 'vlan_header_ops';
    dev.hard_header_len = parent.hard_header_len + VLAN_HLEN;
  }
  dev.padToMin = false;
  if (!link.up || !parent.up) dev.flags &= ~IFF_UP;
  return dev;
}

export function loopbackDevice(): NetDevice {
  const lo = new NetDevice(1, 'lo', 'loopback', 65536, new Uint8Array(6), 1000, 'noqueue');
  // A real lo also offers HW_CSUM, so its UDP frames carry only the pseudo-header seed; the model
  // completes checksums on lo so that every captured frame verifies (docs/kernel.md §14).
  lo.features = NETIF_F_SG | NETIF_F_GSO;
  lo.padToMin = false;
  return lo;
}
