// struct sk_buff, as far as the transmit path uses it. The bytes live in one buffer from `head`
// to `end`; `data` and `tail` are offsets into it, as on a 64-bit kernel. A datagram that the
// kernel would hold as a head skb plus a frag_list is kept contiguous here, and `data_len`
// reports the part the kernel keeps outside the head.

import type { NetDevice } from './device';
import type { Rtable } from './route';
import type { Sock } from './sock';
import { ArpHdr, IcmpHdr, IpHdr, TcpHdr, UdpHdr } from '../wire/headers';

export const CHECKSUM_NONE = 0;
export const CHECKSUM_UNNECESSARY = 1;
export const CHECKSUM_COMPLETE = 2;
export const CHECKSUM_PARTIAL = 3;

export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OUTGOING = 4;
export const PACKET_LOOPBACK = 5;

// IPCB(skb)->flags
export const IPSKB_FORWARDED = 0x1;
export const IPSKB_XFRM_TUNNEL_SIZE = 0x2;
export const IPSKB_XFRM_TRANSFORMED = 0x4;
export const IPSKB_FRAG_COMPLETE = 0x8;
export const IPSKB_REROUTED = 0x10;
export const IPSKB_DOREDIRECT = 0x20;
export const IPSKB_FRAG_PMTU = 0x40;

export const SKB_GSO_TCPV4 = 0x1;
export const SKB_GSO_UDP = 0x2; // 4.9 UFO
export const SKB_GSO_UDP_L4 = 0x4; // UDP GSO (UDP_SEGMENT): segments are UDP datagrams

/** The mac_header value that means "not set" (~0 as a u16). */
export const MAC_HEADER_UNSET = 0xffff;

export class SkBuff {
  /** Packet id shown in traces: one per skb the model allocates. */
  id: number;
  /** Which socket call made the datagram this skb carries (index into the result's sends). */
  origin: number;
  buf: Uint8Array;
  data: number;
  tail: number;
  /** Bytes outside the head buffer in the kernel's layout (frag_list members, page frags). */
  data_len = 0;
  /** Sizes of the frag_list members after the head, when the datagram was built as a chain. */
  frag_list: number[] | null = null;
  /** The frag_list members are shared with another skb (pskb_copy took a reference on them). */
  frag_list_shared = false;
  truesize: number;
  protocol = 0;
  dev: NetDevice | null = null;
  dst: Rtable | null = null;
  sk: Sock | null = null;
  mark = 0;
  priority = 0;
  pkt_type = PACKET_HOST;
  ip_summed = CHECKSUM_NONE;
  csum_start = 0;
  csum_offset = 0;
  ignore_df = false;
  network_header = 0;
  transport_header = 0;
  mac_header = MAC_HEADER_UNSET;
  gso_size = 0;
  gso_segs = 0;
  gso_type = 0;
  /** IPCB(skb) */
  ipcb_flags = 0;
  frag_max_size = 0;
  /** Options length in the IP header (IPCB(skb)->opt.optlen). */
  opt_len = 0;
  /** The 802.1Q tag held in the metadata (__vlan_hwaccel_put_tag), not yet in the bytes. */
  vlan_present = false;
  vlan_proto = 0;
  vlan_tci = 0;
  /** nf_ct_set(skb, NULL, IP_CT_UNTRACKED): conntrack (and with it NAT) leaves the skb alone. */
  untracked = false;

  constructor(id: number, origin: number, buf: Uint8Array, data: number, len: number, truesize: number) {
    this.id = id;
    this.origin = origin;
    this.buf = buf;
    this.data = data;
    this.tail = data + len;
    this.truesize = truesize;
  }

  get len(): number {
    return this.tail - this.data;
  }

  get headroom(): number {
    return this.data;
  }

  get tailroom(): number {
    return this.buf.length - this.tail;
  }

  /** Offset of the IP header in buf (skb_network_header). */
  get nh(): number {
    return this.network_header;
  }

  push(n: number): number {
    this.data -= n;
    return this.data;
  }

  pull(n: number): void {
    this.data += n;
  }

  /** The bytes from data to tail (no copy). */
  bytes(): Uint8Array {
    return this.buf.subarray(this.data, this.tail);
  }
}

// The headers of an skb in the kernel's words (include/linux/ip.h, udp.h, icmp.h, tcp.h,
// if_arp.h): a view of the bytes at the skb's header offsets as they are now.

export function arp_hdr(skb: SkBuff): ArpHdr {
  return new ArpHdr(skb.buf, skb.network_header);
}

export function ip_hdr(skb: SkBuff): IpHdr {
  return new IpHdr(skb.buf, skb.network_header);
}

export function udp_hdr(skb: SkBuff): UdpHdr {
  return new UdpHdr(skb.buf, skb.transport_header);
}

export function icmp_hdr(skb: SkBuff): IcmpHdr {
  return new IcmpHdr(skb.buf, skb.transport_header);
}

export function tcp_hdr(skb: SkBuff): TcpHdr {
  return new TcpHdr(skb.buf, skb.transport_header);
}

// Memory accounting, so that the neighbour queue limit (unres_qlen_bytes, counted in truesize)
// drops exactly as many packets as a real kernel. struct sk_buff is 256 bytes after alignment and
// struct skb_shared_info 320 on x86-64; buffers come from kmalloc's power-of-two caches, and 6.x
// serves heads of up to 576 bytes (MAX_TCP_HEADER + shared info) from a dedicated small cache.
const SKB_STRUCT = 256;
const SHINFO = 320;
const SMALL_HEAD_CACHE = 576;

function kmallocSize(n: number): number {
  const caches = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192];
  for (const c of caches) if (n <= c) return c;
  let p = 16384;
  while (p < n) p *= 2;
  return p;
}

/**
 * truesize of an skb allocated for `size` bytes (the alloc_skb argument), as __alloc_skb sets it.
 * 6.18: 1059 -> 2304 and 159 -> 832 (the reference measurements); 4.9 has no small-head cache.
 */
export function skbTruesize(size: number, v49: boolean): number {
  let n = align(size, 64) + SHINFO;
  if (!v49 && n <= SMALL_HEAD_CACHE) n = SMALL_HEAD_CACHE;
  else n = kmallocSize(n);
  return n - SHINFO + SKB_STRUCT + SHINFO;
}

/** SKB_TRUESIZE(X): the kernel's estimate used for sysctl conversions. */
export function SKB_TRUESIZE(x: number): number {
  return x + SKB_STRUCT + SHINFO;
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
