// UDP header (RFC 768).

import { fold, pseudoHeaderSum, sum16 } from './checksum';
import { ipv4Dst, ipv4Src, IPPROTO_UDP } from './ipv4';
import { readU16, writeU16 } from './bytes';

export const UDP_HLEN = 8;

/** Field offsets within the header. */
export const UDP_SPORT = 0;
export const UDP_DPORT = 2;
export const UDP_LEN = 4;
export const UDP_CHECK = 6;

export interface UdpRepr {
  sport: number;
  dport: number;
  /** Header plus payload, in bytes. */
  len: number;
  /** 0 means "no checksum". */
  check: number;
}

export function udpSport(buf: Uint8Array, off: number): number {
  return readU16(buf, off + UDP_SPORT);
}
export function udpDport(buf: Uint8Array, off: number): number {
  return readU16(buf, off + UDP_DPORT);
}
export function udpLen(buf: Uint8Array, off: number): number {
  return readU16(buf, off + UDP_LEN);
}
export function setUdpLen(buf: Uint8Array, off: number, len: number): void {
  writeU16(buf, off + UDP_LEN, len);
}
export function udpCheck(buf: Uint8Array, off: number): number {
  return readU16(buf, off + UDP_CHECK);
}
export function setUdpCheck(buf: Uint8Array, off: number, check: number): void {
  writeU16(buf, off + UDP_CHECK, check);
}

export function emitUdp(buf: Uint8Array, off: number, repr: UdpRepr): void {
  writeU16(buf, off + UDP_SPORT, repr.sport);
  writeU16(buf, off + UDP_DPORT, repr.dport);
  writeU16(buf, off + UDP_LEN, repr.len);
  writeU16(buf, off + UDP_CHECK, repr.check);
}

/**
 * The header of the `len` bytes at `off`, or undefined when fewer than 8 bytes are there or the
 * length field is below 8. The length field may exceed `len` (a first fragment, or a header-only
 * view); callers that hold the whole datagram compare it themselves.
 */
export function parseUdp(buf: Uint8Array, off: number, len: number): UdpRepr | undefined {
  if (off < 0 || len < UDP_HLEN || off + UDP_HLEN > buf.length) return undefined;
  const l = udpLen(buf, off);
  if (l < UDP_HLEN) return undefined;
  return { sport: udpSport(buf, off), dport: udpDport(buf, off), len: l, check: udpCheck(buf, off) };
}

/**
 * The checksum to store for the `udpLen` bytes of datagram at `udpOff` (header and payload, all
 * present in `buf`) sent from `src` to `dst`. The stored checksum field is skipped, so it need
 * not be cleared first, and a datagram is correct when this equals its stored value. A result of
 * 0 is returned as 0xffff, since 0 on the wire means "no checksum". `ipOff` locates the IPv4
 * header the addresses come from when `src`/`dst` are not given.
 */
export function udpChecksum(
  buf: Uint8Array,
  ipOff: number,
  udpOff: number,
  udpLen: number,
  src: number = ipv4Src(buf, ipOff),
  dst: number = ipv4Dst(buf, ipOff),
): number {
  let sum = pseudoHeaderSum(src, dst, IPPROTO_UDP, udpLen);
  sum = sum16(buf, udpOff, UDP_CHECK, sum);
  sum = sum16(buf, udpOff + UDP_HLEN, udpLen - UDP_HLEN, sum);
  const c = ~fold(sum) & 0xffff;
  return c === 0 ? 0xffff : c;
}
