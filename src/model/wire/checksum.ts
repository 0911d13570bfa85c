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
  for (; i < pairsEnd; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  return sum;
}

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
