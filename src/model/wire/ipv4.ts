// IPv4 (RFC 791): the header's constants and operations (the view is IpHdr in headers.ts), its
// parsed form (Ipv4Repr) for inspection, and the options walks.

import { ip_fast_csum } from './checksum';
import { IPV4_MIN_HLEN, IpHdr, writeU32 } from './headers';

export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** ip_send_check: computes the header checksum over ihl * 4 bytes and stores it. */
export function ip_send_check(iph: IpHdr): void {
  iph.check = 0;
  iph.check = ip_fast_csum(iph.buf, iph.off, iph.ihl);
}

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
  check: number;
  src: number;
  dst: number;
  /** (ihl - 5) * 4 bytes, possibly empty. */
  options: Uint8Array;
}

/**
 * The header of the `len` bytes at `off`, or undefined unless it is version 4, its IHL is at
 * least 5, all ihl * 4 bytes are present and the total length covers the header. `len` may stop
 * at the header: the payload is not required. The checksum is reported, not verified.
 */
export function parseIpv4Header(buf: Uint8Array, off: number, len: number): Ipv4Repr | undefined {
  if (off < 0 || len < IPV4_MIN_HLEN || off + IPV4_MIN_HLEN > buf.length) return undefined;
  const iph = new IpHdr(buf, off);
  if (iph.version !== 4) return undefined;
  const ihl = iph.ihl;
  const hlen = ihl * 4;
  if (ihl < 5 || len < hlen || off + hlen > buf.length) return undefined;
  const totLen = iph.tot_len;
  if (totLen < hlen) return undefined;
  return {
    ihl,
    tos: iph.tos,
    totLen,
    id: iph.id,
    fragOff: iph.frag_off,
    ttl: iph.ttl,
    protocol: iph.protocol,
    check: iph.check,
    src: iph.saddr,
    dst: iph.daddr,
    options: iph.options.slice(),
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
 * Where the option at `i` of `opts` ends: i + 1 for a NOP, i + its length for a well-formed
 * option, -1 at EOL, at the end, or at a malformed length (which stops every walk).
 */
function optionEnd(opts: Uint8Array, i: number): number {
  if (i >= opts.length) return -1;
  const type = opts[i];
  if (type === IPOPT_END) return -1;
  if (type === IPOPT_NOOP) return i + 1;
  if (i + 1 >= opts.length) return -1;
  const optLen = opts[i + 1];
  if (optLen < 2 || i + optLen > opts.length) return -1;
  return i + optLen;
}

/**
 * The options carried by fragments after the first (ip_options_fragment): every option whose
 * type lacks the copied bit is overwritten by NOPs over its whole length; copied options, NOPs and
 * EOL stay, so the length (and IHL) is unchanged. Malformed options stop the walk, leaving the
 * rest as it was. Returns a new array.
 */
export function ipOptionsFragment(opts: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = opts.slice();
  for (let i = 0, end = optionEnd(out, 0); end > 0; i = end, end = optionEnd(out, i)) {
    if ((out[i] & IPOPT_COPIED) === 0) out.fill(IPOPT_NOOP, i, end);
  }
  return out;
}

/**
 * Records `addr` in the first free slot of the first Record Route option of `opts` and advances
 * its pointer; does nothing when there is no such option or it is full. Works in place, so it
 * may be given a packet's IpHdr.options (whose checksum then needs recomputing).
 */
export function recordRoute(opts: Uint8Array, addr: number): void {
  for (let i = 0, end = optionEnd(opts, 0); end > 0; i = end, end = optionEnd(opts, i)) {
    if (opts[i] !== IPOPT_RR) continue;
    const optLen = end - i;
    if (optLen < 3) return;
    const ptr = opts[i + 2];
    // The pointer is 1-based from the option's start; the smallest legal value is 4.
    if (ptr >= 4 && ptr - 1 + 4 <= optLen) {
      writeU32(opts, i + ptr - 1, addr);
      opts[i + 2] = ptr + 4;
    }
    return;
  }
}
