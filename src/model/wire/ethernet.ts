// Ethernet II header: destination, source, ethertype. No 802.1Q tags: the modelled links carry
// untagged frames only.

import { readU16, writeU16 } from './bytes';

export const ETH_HLEN = 14;
export const ETH_ALEN = 6;
/** Minimum frame length without the FCS; shorter frames are padded by a physical NIC. */
export const ETH_ZLEN = 60;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;

/** Field offsets within the header. */
export const ETH_DST = 0;
export const ETH_SRC = 6;
export const ETH_TYPE = 12;

export interface EthernetRepr {
  dst: Uint8Array;
  src: Uint8Array;
  ethertype: number;
}

export function ethDst(buf: Uint8Array, off: number): Uint8Array {
  return buf.subarray(off + ETH_DST, off + ETH_DST + ETH_ALEN);
}

export function ethSrc(buf: Uint8Array, off: number): Uint8Array {
  return buf.subarray(off + ETH_SRC, off + ETH_SRC + ETH_ALEN);
}

export function ethType(buf: Uint8Array, off: number): number {
  return readU16(buf, off + ETH_TYPE);
}

function copy6(buf: Uint8Array, off: number, mac: Uint8Array): void {
  buf[off] = mac[0];
  buf[off + 1] = mac[1];
  buf[off + 2] = mac[2];
  buf[off + 3] = mac[3];
  buf[off + 4] = mac[4];
  buf[off + 5] = mac[5];
}

/** Writes the 14-byte header at `off`. */
export function emitEthernet(buf: Uint8Array, off: number, repr: EthernetRepr): void {
  copy6(buf, off + ETH_DST, repr.dst);
  copy6(buf, off + ETH_SRC, repr.src);
  writeU16(buf, off + ETH_TYPE, repr.ethertype);
}

/** The header of the `len` bytes at `off`, or undefined when they are fewer than 14. Addresses are copies. */
export function parseEthernet(buf: Uint8Array, off: number, len: number): EthernetRepr | undefined {
  if (len < ETH_HLEN || off < 0 || off + ETH_HLEN > buf.length) return undefined;
  return {
    dst: buf.slice(off + ETH_DST, off + ETH_DST + ETH_ALEN),
    src: buf.slice(off + ETH_SRC, off + ETH_SRC + ETH_ALEN),
    ethertype: readU16(buf, off + ETH_TYPE),
  };
}
