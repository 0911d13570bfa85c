// The Internet checksum (RFC 1071): the one's complement of the one's complement sum of the data
// taken as big-endian 16-bit words. Sums are kept unfolded (plain numbers, exact far beyond any
// packet size) so that partial sums over separate pieces (pseudo-header, header, payload) can be
// added together and folded once at the end. An odd trailing byte counts as its word's high byte,
// as if padded with a zero.

/**
 * Unfolded one's complement accumulation of the 16-bit words of `len` bytes at `off`, added to
 * `initial`. `off` is where word alignment starts: the first byte is a high byte.
 */
export function sum16(buf: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  const end = off + len;
  const pairsEnd = end - (len & 1);
  let i = off;
  // Long runs whose words start at even addresses are summed 32 bits at a time: the sum of the
  // byte-swapped words of a little-endian read is the byte-swapped sum (RFC 1071, 2.B).
  if (len >= 64 && LITTLE_ENDIAN && ((buf.byteOffset + off) & 1) === 0) {
    if (((buf.byteOffset + i) & 3) !== 0) {
      sum += (buf[i] << 8) | buf[i + 1];
      i += 2;
    }
    const words = (pairsEnd - i) >> 2;
    const u32 = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    // Two 32-bit integer accumulators (low and high halves), emptied every 16384 words so they
    // never overflow.
    let acc = 0;
    for (let j = 0; j < words; ) {
      const stop = Math.min(words, j + 16384);
      let lo = 0;
      let hi = 0;
      for (; j < stop; j++) {
        const v = u32[j];
        lo = (lo + (v & 0xffff)) | 0;
        hi = (hi + (v >>> 16)) | 0;
      }
      acc += lo + hi;
    }
    const r = fold(acc);
    sum += ((r & 0xff) << 8) | (r >>> 8);
    i += words << 2;
  }
  // Eight words per round; each round adds at most 8 * 0xffff, so the sum stays an exact integer.
  for (const blocksEnd = pairsEnd - 15; i < blocksEnd; i += 16) {
    sum +=
      ((buf[i] << 8) | buf[i + 1]) + ((buf[i + 2] << 8) | buf[i + 3]) +
      ((buf[i + 4] << 8) | buf[i + 5]) + ((buf[i + 6] << 8) | buf[i + 7]) +
      ((buf[i + 8] << 8) | buf[i + 9]) + ((buf[i + 10] << 8) | buf[i + 11]) +
      ((buf[i + 12] << 8) | buf[i + 13]) + ((buf[i + 14] << 8) | buf[i + 15]);
  }
  for (; i < pairsEnd; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  return sum;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Folds an unfolded sum into 16 bits (end-around carry). */
export function fold(sum: number): number {
  // 2^32 = 1 in one's complement arithmetic, so bits above 32 fold onto the low ones; the common
  // case (any packet-sized sum) is two shift-and-add steps.
  while (sum > 0xffffffff) sum = (sum % 0x100000000) + Math.floor(sum / 0x100000000);
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum & 0xffff) + (sum >>> 16);
}

/** The checksum to store in a header field: ~fold(initial + sum of the bytes) & 0xffff. */
export function checksum(buf: Uint8Array, off: number, len: number, initial = 0): number {
  return ~fold(sum16(buf, off, len, initial)) & 0xffff;
}

/**
 * ip_fast_csum: the checksum of the `ihl` (5..15) 32-bit words of an IPv4 header at `off`, the
 * same value as checksum(buf, off, ihl * 4), unrolled for the fixed header as a header is short.
 */
export function ip_fast_csum(buf: Uint8Array, off: number, ihl: number): number {
  const b = buf;
  const o = off;
  // The five words of the fixed header, then the options' words.
  let sum =
    ((b[o] << 8) | b[o + 1]) + ((b[o + 2] << 8) | b[o + 3]) +
    ((b[o + 4] << 8) | b[o + 5]) + ((b[o + 6] << 8) | b[o + 7]) +
    ((b[o + 8] << 8) | b[o + 9]) + ((b[o + 10] << 8) | b[o + 11]) +
    ((b[o + 12] << 8) | b[o + 13]) + ((b[o + 14] << 8) | b[o + 15]) +
    ((b[o + 16] << 8) | b[o + 17]) + ((b[o + 18] << 8) | b[o + 19]);
  for (let i = o + 20, end = o + ihl * 4; i < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  // At most 30 words: two end-around carries fold the sum.
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * True when the bytes (which include their stored checksum field) sum, with `initial`, to all
 * ones, i.e. the stored checksum is right.
 */
export function verify(buf: Uint8Array, off: number, len: number, initial = 0): boolean {
  return fold(sum16(buf, off, len, initial)) === 0xffff;
}

/** Unfolded sum of the IPv4 pseudo-header that TCP and UDP checksums cover (RFC 768, RFC 9293). */
export function pseudoHeaderSum(src: number, dst: number, proto: number, l4len: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (proto & 0xff) + (l4len & 0xffff);
}

/**
 * Incremental update of a stored checksum when a 16-bit word of the covered data changes from
 * `from16` to `to16` (RFC 1624 equation 3: HC' = ~(~HC + ~m + m')). Used by NAT and TTL/TOS
 * rewrites so the rest of the packet need not be summed again.
 */
export function csumReplace2(check: number, from16: number, to16: number): number {
  const sum = (~check & 0xffff) + (~from16 & 0xffff) + (to16 & 0xffff);
  return ~fold(sum) & 0xffff;
}

/** As csumReplace2 for a 32-bit value (an IPv4 address) covered by the checksum. */
export function csumReplace4(check: number, from: number, to: number): number {
  const sum =
    (~check & 0xffff) + ((~from >>> 16) & 0xffff) + (~from & 0xffff) + (to >>> 16) + (to & 0xffff);
  return ~fold(sum) & 0xffff;
}
