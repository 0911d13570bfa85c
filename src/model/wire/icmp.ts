// ICMP (RFC 792, RFC 1191 for the next-hop MTU): types, codes, the parsed form of the header and its
// checksum (the view is IcmpHdr in headers.ts).

import { fold, sum16 } from './checksum';
import { ICMP_CHECKSUM_OFFSET, ICMP_HLEN, IcmpHdr } from './headers';

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;

/** Codes of ICMP_DEST_UNREACH. */
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;

export interface IcmpRepr {
  type: number;
  code: number;
  check: number;
  /** Rest of header: id << 16 | seq for echo, the next-hop MTU (low 16 bits) for frag-needed. */
  rest: number;
}

/** The header of the `len` bytes at `off`, or undefined when fewer than 8 bytes are there. */
export function parseIcmp(buf: Uint8Array, off: number, len: number): IcmpRepr | undefined {
  if (off < 0 || len < ICMP_HLEN || off + ICMP_HLEN > buf.length) return undefined;
  const icmph = new IcmpHdr(buf, off);
  return { type: icmph.type, code: icmph.code, check: icmph.checksum, rest: icmph.gateway };
}

/**
 * The checksum to store for the `len`-byte ICMP message at `off` (header and data). The stored
 * checksum field is skipped, so it need not be cleared first; a message is correct when this
 * equals its stored value.
 */
export function icmpChecksum(buf: Uint8Array, off: number, len: number): number {
  const after = ICMP_CHECKSUM_OFFSET + 2;
  let sum = sum16(buf, off, ICMP_CHECKSUM_OFFSET);
  sum = sum16(buf, off + after, len - after, sum);
  return ~fold(sum) & 0xffff;
}
