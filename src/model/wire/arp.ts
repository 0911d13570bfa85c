// ARP for IPv4 over Ethernet (RFC 826): the only hardware/protocol pair the model speaks (the view
// is ArpHdr in headers.ts).

import { ETH_P_IP } from './ethernet';
import { ARP_LEN, ETH_ALEN, ArpHdr } from './headers';

export const ARPHRD_ETHER = 1;
export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;

export interface ArpRepr {
  /** 1 request, 2 reply. */
  op: number;
  sha: Uint8Array;
  spa: number;
  tha: Uint8Array;
  tpa: number;
}

/**
 * Are the `len` bytes of `arp` an Ethernet/IPv4 ARP packet (hrd 1, pro 0x0800, hln 6, pln 4, at
 * least 28 bytes, all inside the buffer)? The operation is not checked.
 */
export function arpIsEthernetIpv4(arp: ArpHdr, len: number): boolean {
  if (len < ARP_LEN || arp.off < 0 || arp.off + ARP_LEN > arp.buf.length) return false;
  return arp.ar_hrd === ARPHRD_ETHER && arp.ar_pro === ETH_P_IP && arp.ar_hln === ETH_ALEN && arp.ar_pln === 4;
}

/** arp_create's fill: the 28-byte Ethernet/IPv4 ARP packet of `repr`. */
export function emitArp(arp: ArpHdr, repr: ArpRepr): void {
  arp.ar_hrd = ARPHRD_ETHER;
  arp.ar_pro = ETH_P_IP;
  arp.ar_hln = ETH_ALEN;
  arp.ar_pln = 4;
  arp.ar_op = repr.op;
  arp.ar_sha = repr.sha;
  arp.ar_sip = repr.spa;
  arp.ar_tha = repr.tha;
  arp.ar_tip = repr.tpa;
}

/** The packet of the `len` bytes at `off` (addresses copied), or undefined unless arpIsEthernetIpv4. */
export function parseArp(buf: Uint8Array, off: number, len: number): ArpRepr | undefined {
  const arp = new ArpHdr(buf, off);
  if (!arpIsEthernetIpv4(arp, len)) return undefined;
  return { op: arp.ar_op, sha: arp.ar_sha.slice(), spa: arp.ar_sip, tha: arp.ar_tha.slice(), tpa: arp.ar_tip };
}
