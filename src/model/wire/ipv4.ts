// IPv4 header (RFC 791). The accessors read and write fields in place so the transmit path can
// rewrite a packet (TTL, TOS, addresses, fragment fields) without building a parsed form; the
// parsed form (Ipv4Repr) is for building new headers and for inspection.

import { checksum } from './checksum';
import { readU16, readU32, writeU16, writeU32 } from './bytes';

export const IPV4_MIN_HLEN = 20;
export const IPV4_MAX_HLEN = 60;
export const IP_CE = 0x8000;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** Field offsets within the header. */
export const IPV4_VER_IHL = 0;
export const IPV4_TOS = 1;
export const IPV4_TOT_LEN = 2;
export const IPV4_ID = 4;
export const IPV4_FRAG_OFF = 6;
export const IPV4_TTL = 8;
export const IPV4_PROTOCOL = 9;
export const IPV4_CHECK = 10;
export const IPV4_SRC = 12;
export const IPV4_DST = 16;
export const IPV4_OPTIONS = 20;

export interface Ipv4Repr {
  /** Header length in 32-bit words, 5..15. */
  ihl: number;
  tos: number;
  totLen: number;
  id: number;
  /** The raw 16-bit field: flags (IP_DF, IP_MF) and the offset in 8-byte units (IP_OFFSET). */
  fragOff: number;
  ttl: number;
  protocol: number;
  /** Stored as given by emitIpv4; ipSendCheck computes it. */
  check: number;
  src: number;
  dst: number;
  /** (ihl - 5) * 4 bytes, possibly empty. */
  options: Uint8Array;
}

export function ipv4Version(buf: Uint8Array, off: number): number {
  return buf[off + IPV4_VER_IHL] >>> 4;
}
/** Header length in 32-bit words. */
export function ipv4Ihl(buf: Uint8Array, off: number): number {
  return buf[off + IPV4_VER_IHL] & 0x0f;
}
export function ipv4Tos(buf: Uint8Array, off: number): number {
  return buf[off + IPV4_TOS] | 0;
}
export function setIpv4Tos(buf: Uint8Array, off: number, tos: number): void {
  buf[off + IPV4_TOS] = tos;
}
export function ipv4TotLen(buf: Uint8Array, off: number): number {
  return readU16(buf, off + IPV4_TOT_LEN);
}
export function setIpv4TotLen(buf: Uint8Array, off: number, totLen: number): void {
  writeU16(buf, off + IPV4_TOT_LEN, totLen);
}
export function ipv4Id(buf: Uint8Array, off: number): number {
  return readU16(buf, off + IPV4_ID);
}
export function setIpv4Id(buf: Uint8Array, off: number, id: number): void {
  writeU16(buf, off + IPV4_ID, id);
}
/** The raw flags + offset field. */
export function ipv4FragOff(buf: Uint8Array, off: number): number {
  return readU16(buf, off + IPV4_FRAG_OFF);
}
export function setIpv4FragOff(buf: Uint8Array, off: number, fragOff: number): void {
  writeU16(buf, off + IPV4_FRAG_OFF, fragOff);
}
export function ipv4Ttl(buf: Uint8Array, off: number): number {
  return buf[off + IPV4_TTL] | 0;
}
export function setIpv4Ttl(buf: Uint8Array, off: number, ttl: number): void {
  buf[off + IPV4_TTL] = ttl;
}
export function ipv4Protocol(buf: Uint8Array, off: number): number {
  return buf[off + IPV4_PROTOCOL] | 0;
}
export function ipv4Check(buf: Uint8Array, off: number): number {
  return readU16(buf, off + IPV4_CHECK);
}
export function setIpv4Check(buf: Uint8Array, off: number, check: number): void {
  writeU16(buf, off + IPV4_CHECK, check);
}
export function ipv4Src(buf: Uint8Array, off: number): number {
  return readU32(buf, off + IPV4_SRC);
}
export function setIpv4Src(buf: Uint8Array, off: number, src: number): void {
  writeU32(buf, off + IPV4_SRC, src);
}
export function ipv4Dst(buf: Uint8Array, off: number): number {
  return readU32(buf, off + IPV4_DST);
}
export function setIpv4Dst(buf: Uint8Array, off: number, dst: number): void {
  writeU32(buf, off + IPV4_DST, dst);
}

/** Writes the header (ihl * 4 bytes) at `off`, every field as given, including the checksum. */
export function emitIpv4(buf: Uint8Array, off: number, repr: Ipv4Repr): void {
  const ihl = repr.ihl;
  buf[off + IPV4_VER_IHL] = 0x40 | (ihl & 0x0f);
  buf[off + IPV4_TOS] = repr.tos;
  writeU16(buf, off + IPV4_TOT_LEN, repr.totLen);
  writeU16(buf, off + IPV4_ID, repr.id);
  writeU16(buf, off + IPV4_FRAG_OFF, repr.fragOff);
  buf[off + IPV4_TTL] = repr.ttl;
  buf[off + IPV4_PROTOCOL] = repr.protocol;
  writeU16(buf, off + IPV4_CHECK, repr.check);
  writeU32(buf, off + IPV4_SRC, repr.src);
  writeU32(buf, off + IPV4_DST, repr.dst);
  const optLen = ihl * 4 - IPV4_MIN_HLEN;
  const opts = repr.options;
  for (let i = 0; i < optLen; i++) buf[off + IPV4_OPTIONS + i] = i < opts.length ? opts[i] : 0;
}

/** Computes the header checksum over ihl * 4 bytes and stores it (the kernel's ip_send_check). */
export function ipSendCheck(buf: Uint8Array, off: number): void {
  buf[off + IPV4_CHECK] = 0;
  buf[off + IPV4_CHECK + 1] = 0;
  writeU16(buf, off + IPV4_CHECK, checksum(buf, off, ipv4Ihl(buf, off) * 4));
}

/**
 * The header of the `len` bytes at `off`, or undefined unless it is version 4, its IHL is at
 * least 5, all ihl * 4 bytes are present and the total length covers the header. `len` may stop
 * at the header: the payload is not required. The checksum is reported, not verified.
 */
export function parseIpv4Header(buf: Uint8Array, off: number, len: number): Ipv4Repr | undefined {
  if (off < 0 || len < IPV4_MIN_HLEN || off + IPV4_MIN_HLEN > buf.length) return undefined;
  if (ipv4Version(buf, off) !== 4) return undefined;
  const ihl = ipv4Ihl(buf, off);
  const hlen = ihl * 4;
  if (ihl < 5 || len < hlen || off + hlen > buf.length) return undefined;
  const totLen = ipv4TotLen(buf, off);
  if (totLen < hlen) return undefined;
  return {
    ihl,
    tos: ipv4Tos(buf, off),
    totLen,
    id: ipv4Id(buf, off),
    fragOff: ipv4FragOff(buf, off),
    ttl: ipv4Ttl(buf, off),
    protocol: ipv4Protocol(buf, off),
    check: ipv4Check(buf, off),
    src: ipv4Src(buf, off),
    dst: ipv4Dst(buf, off),
    options: buf.slice(off + IPV4_OPTIONS, off + hlen),
  };
}

// ---- IP options (RFC 791 section 3.1) ----

export const IPOPT_END = 0;
export const IPOPT_NOOP = 1;
/** Record Route. */
export const IPOPT_RR = 7;
/** Router Alert (RFC 2113): type 148 = copied bit + option number 20. */
export const IPOPT_RA = 0x94;
/** Set in an option's type when every fragment must carry it. */
export const IPOPT_COPIED = 0x80;
/** Option space available in a header (15 words minus the 5 fixed ones). */
export const IPOPT_MAX_LEN = 40;

export type IpOptionName = 'ra' | 'rr';

/**
 * Builds an options area from a list, in the given order, padded with EOL to a multiple of four:
 * 'ra' is Router Alert (94 04 00 00), 'rr' is Record Route with room for one address
 * (07 07 04 + four zero bytes). ['ra', 'rr'] gives 12 bytes (IHL 8), ['rr'] gives 8.
 * Throws a RangeError when the result would not fit in a header (more than 40 bytes).
 */
export function buildIpOptions(list: readonly IpOptionName[]): Uint8Array<ArrayBuffer> {
  let raw = 0;
  for (const o of list) raw += o === 'ra' ? 4 : 7;
  const total = (raw + 3) & ~3;
  if (total > IPOPT_MAX_LEN) throw new RangeError(`IP options need ${total} bytes; a header has room for ${IPOPT_MAX_LEN}`);
  const out = new Uint8Array(total); // zero-filled: the padding is EOL already
  let p = 0;
  for (const o of list) {
    if (o === 'ra') {
      out[p] = IPOPT_RA;
      out[p + 1] = 4;
      p += 4; // value 0: "router shall examine packet"
    } else {
      out[p] = IPOPT_RR;
      out[p + 1] = 7;
      out[p + 2] = 4; // pointer (1-based) to the first free slot
      p += 7;
    }
  }
  return out;
}

/**
 * The options carried by fragments after the first: every option whose type lacks the copied
 * bit is overwritten by NOPs over its whole length; copied options, NOPs and EOL stay, so the
 * length (and IHL) is unchanged. Malformed options stop the walk, leaving the rest as it was.
 * Returns a new array.
 */
export function ipOptionsFragment(opts: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = opts.slice();
  let i = 0;
  while (i < out.length) {
    const type = out[i];
    if (type === IPOPT_END) break;
    if (type === IPOPT_NOOP) {
      i++;
      continue;
    }
    if (i + 1 >= out.length) break;
    const optLen = out[i + 1];
    if (optLen < 2 || i + optLen > out.length) break;
    if ((type & IPOPT_COPIED) === 0) out.fill(IPOPT_NOOP, i, i + optLen);
    i += optLen;
  }
  return out;
}

/**
 * Records `addr` in the first free slot of the first Record Route option of `opts` and advances
 * its pointer; does nothing when there is no such option or it is full. Works in place, so it
 * may be given a subarray of a packet's header (whose checksum then needs recomputing).
 */
export function recordRoute(opts: Uint8Array, addr: number): void {
  let i = 0;
  while (i < opts.length) {
    const type = opts[i];
    if (type === IPOPT_END) return;
    if (type === IPOPT_NOOP) {
      i++;
      continue;
    }
    if (i + 1 >= opts.length) return;
    const optLen = opts[i + 1];
    if (optLen < 2 || i + optLen > opts.length) return;
    if (type === IPOPT_RR) {
      if (optLen < 3) return;
      const ptr = opts[i + 2];
      // The pointer is 1-based from the option's start; the smallest legal value is 4.
      if (ptr >= 4 && ptr - 1 + 4 <= optLen) {
        writeU32(opts, i + ptr - 1, addr);
        opts[i + 2] = ptr + 4;
      }
      return;
    }
    i += optLen;
  }
}
