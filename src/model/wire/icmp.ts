// ICMP header (RFC 792, RFC 1191 for the next-hop MTU): type, code, checksum and the 32-bit
// "rest of header" whose meaning depends on the type.

import { fold, sum16 } from './checksum';
import { readU16, readU32, writeU16, writeU32 } from './bytes';

export const ICMP_HLEN = 8;

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;

/** Codes of ICMP_DEST_UNREACH. */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_SR_FAILED = 5;
export const ICMP_PKT_FILTERED = 13;

/** Codes of ICMP_TIME_EXCEEDED. */
export const ICMP_EXC_TTL = 0;
export const ICMP_EXC_FRAGTIME = 1;

/** Field offsets within the header. */
export const ICMP_TYPE = 0;
export const ICMP_CODE = 1;
export const ICMP_CHECK = 2;
export const ICMP_REST = 4;

export interface IcmpRepr {
  type: number;
  code: number;
  check: number;
  /** Rest of header: id << 16 | seq for echo, the next-hop MTU (low 16 bits) for frag-needed. */
  rest: number;
}

export function icmpType(buf: Uint8Array, off: number): number {
  return buf[off + ICMP_TYPE] | 0;
}
export function icmpCode(buf: Uint8Array, off: number): number {
  return buf[off + ICMP_CODE] | 0;
}
export function icmpCheck(buf: Uint8Array, off: number): number {
  return readU16(buf, off + ICMP_CHECK);
}
export function setIcmpCheck(buf: Uint8Array, off: number, check: number): void {
  writeU16(buf, off + ICMP_CHECK, check);
}
export function icmpRest(buf: Uint8Array, off: number): number {
  return readU32(buf, off + ICMP_REST);
}

export function emitIcmp(buf: Uint8Array, off: number, repr: IcmpRepr): void {
  buf[off + ICMP_TYPE] = repr.type;
  buf[off + ICMP_CODE] = repr.code;
  writeU16(buf, off + ICMP_CHECK, repr.check);
  writeU32(buf, off + ICMP_REST, repr.rest);
}

/** The header of the `len` bytes at `off`, or undefined when fewer than 8 bytes are there. */
export function parseIcmp(buf: Uint8Array, off: number, len: number): IcmpRepr | undefined {
  if (off < 0 || len < ICMP_HLEN || off + ICMP_HLEN > buf.length) return undefined;
  return { type: icmpType(buf, off), code: icmpCode(buf, off), check: icmpCheck(buf, off), rest: icmpRest(buf, off) };
}

/**
 * The checksum to store for the `len`-byte ICMP message at `off` (header and data). The stored
 * checksum field is skipped, so it need not be cleared first; a message is correct when this
 * equals its stored value.
 */
export function icmpChecksum(buf: Uint8Array, off: number, len: number): number {
  let sum = sum16(buf, off, ICMP_CHECK);
  sum = sum16(buf, off + ICMP_REST, len - ICMP_REST, sum);
  return ~fold(sum) & 0xffff;
}
