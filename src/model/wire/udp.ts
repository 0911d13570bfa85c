// UDP (RFC 768): the parsed form of the header (the view is UdpHdr in headers.ts).

import { UDP_HLEN, UdpHdr } from './headers';


export interface UdpRepr {
  sport: number;
  dport: number;
  /** Header plus payload, in bytes. */
  len: number;
  /** 0 means "no checksum". */
  check: number;
}

/**
 * The header of the `len` bytes at `off`, or undefined when fewer than 8 bytes are there or the
 * length field is below 8. The length field may exceed `len` (a first fragment, or a header-only
 * view); callers that hold the whole datagram compare it themselves.
 */
export function parseUdp(buf: Uint8Array, off: number, len: number): UdpRepr | undefined {
  if (off < 0 || len < UDP_HLEN || off + UDP_HLEN > buf.length) return undefined;
  const uh = new UdpHdr(buf, off);
  const l = uh.len;
  if (l < UDP_HLEN) return undefined;
  return { sport: uh.source, dport: uh.dest, len: l, check: uh.check };
}
