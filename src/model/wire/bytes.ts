// Bytes as text. (Big-endian field access lives with the header views, in headers.ts.)

/** Two lower-case hex digits of every byte value. */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `len` bytes at `off`, no separators (used for options in decoded views). */
export function formatHex(b: Uint8Array, off = 0, len = b.length - off): string {
  let s = '';
  const end = Math.min(b.length, off + len);
  for (let i = off; i < end; i++) s += HEX2[b[i]];
  return s;
}
