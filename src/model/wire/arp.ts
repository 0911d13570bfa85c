// ARP for IPv4 over Ethernet (RFC 826): the only hardware/protocol pair the model speaks.

import { ETH_P_IP } from './ethernet';
import { readU16, readU32, writeU16, writeU32 } from './bytes';

export const ARP_LEN = 28;
export const ARPHRD_ETHER = 1;
export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;

/** Field offsets within the packet. */
export const ARP_HTYPE = 0;
export const ARP_PTYPE = 2;
export const ARP_HLEN = 4;
export const ARP_PLEN = 5;
export const ARP_OP = 6;
export const ARP_SHA = 8;
export const ARP_SPA = 14;
export const ARP_THA = 18;
export const ARP_TPA = 24;

export interface ArpRepr {
  /** 1 request, 2 reply. */
  op: number;
  sha: Uint8Array;
  spa: number;
  tha: Uint8Array;
  tpa: number;
}

export function arpOp(buf: Uint8Array, off: number): number {
  return readU16(buf, off + ARP_OP);
}
export function arpSpa(buf: Uint8Array, off: number): number {
  return readU32(buf, off + ARP_SPA);
}
export function arpTpa(buf: Uint8Array, off: number): number {
  return readU32(buf, off + ARP_TPA);
}

/** Writes the 28-byte Ethernet/IPv4 ARP packet at `off`. */
export function emitArp(buf: Uint8Array, off: number, repr: ArpRepr): void {
  writeU16(buf, off + ARP_HTYPE, ARPHRD_ETHER);
  writeU16(buf, off + ARP_PTYPE, ETH_P_IP);
  buf[off + ARP_HLEN] = 6;
  buf[off + ARP_PLEN] = 4;
  writeU16(buf, off + ARP_OP, repr.op);
  for (let i = 0; i < 6; i++) buf[off + ARP_SHA + i] = repr.sha[i];
  writeU32(buf, off + ARP_SPA, repr.spa);
  for (let i = 0; i < 6; i++) buf[off + ARP_THA + i] = repr.tha[i];
  writeU32(buf, off + ARP_TPA, repr.tpa);
}

/**
 * The packet of the `len` bytes at `off`, or undefined unless it is Ethernet/IPv4 ARP (htype 1,
 * ptype 0x0800, hlen 6, plen 4) and at least 28 bytes long. The operation is not checked.
 */
export function parseArp(buf: Uint8Array, off: number, len: number): ArpRepr | undefined {
  if (len < ARP_LEN || off < 0 || off + ARP_LEN > buf.length) return undefined;
  if (readU16(buf, off + ARP_HTYPE) !== ARPHRD_ETHER) return undefined;
  if (readU16(buf, off + ARP_PTYPE) !== ETH_P_IP) return undefined;
  if (buf[off + ARP_HLEN] !== 6 || buf[off + ARP_PLEN] !== 4) return undefined;
  return {
    op: readU16(buf, off + ARP_OP),
    sha: buf.slice(off + ARP_SHA, off + ARP_SHA + 6),
    spa: readU32(buf, off + ARP_SPA),
    tha: buf.slice(off + ARP_THA, off + ARP_THA + 6),
    tpa: readU32(buf, off + ARP_TPA),
  };
}
