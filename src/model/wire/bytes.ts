// Big-endian field access shared by the header views. Reads never throw: bytes past the end of a
// typed array read as undefined, which bitwise operators turn into 0, so a view over a short
// buffer returns what bytes are there, padded with zeros. Writes past the end are dropped.

/** Two lower-case hex digits of every byte value. */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `len` bytes at `off`, no separators (used for options in decoded views). */
export function formatHex(b: Uint8Array, off = 0, len = b.length - off): string {
  let s = '';
  const end = Math.min(b.length, off + len);
  for (let i = off; i < end; i++) s += HEX2[b[i]];
  return s;
}

/** Reads a big-endian uint32 (missing bytes read as 0). */
export function readU32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

/** Reads a big-endian uint16 (missing bytes read as 0). */
export function readU16(buf: Uint8Array, off: number): number {
  return ((buf[off] << 8) | buf[off + 1]) & 0xffff;
}

/** Writes a big-endian uint32; bytes past the end of `buf` are dropped, as typed arrays do. */
export function writeU32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v >>> 24;
  buf[off + 1] = v >>> 16;
  buf[off + 2] = v >>> 8;
  buf[off + 3] = v;
}

/** Writes a big-endian uint16. */
export function writeU16(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v >>> 8;
  buf[off + 1] = v;
}
