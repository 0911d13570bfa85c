// Ethernet II: destination, source, ethertype (the view is EthHdr in headers.ts), and the 802.1Q
// tag a VLAN device puts after the addresses (TPID 0x8100, then priority, DEI and VLAN ID).

import { ETH_HLEN, EthHdr } from './headers';

/** Minimum frame length without the FCS; shorter frames are padded by a physical NIC. */
export const ETH_ZLEN = 60;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_8021Q = 0x8100;
/** An 802.1Q tag: TPID, TCI; the encapsulated ethertype follows it. */
export const VLAN_HLEN = 4;

export interface EthernetRepr {
  dst: Uint8Array;
  src: Uint8Array;
  ethertype: number;
}

/** The header of the `len` bytes at `off`, or undefined when they are fewer than 14. Addresses are copies. */
export function parseEthernet(buf: Uint8Array, off: number, len: number): EthernetRepr | undefined {
  if (len < ETH_HLEN || off < 0 || off + ETH_HLEN > buf.length) return undefined;
  const eth = new EthHdr(buf, off);
  return { dst: eth.h_dest.slice(), src: eth.h_source.slice(), ethertype: eth.h_proto };
}
