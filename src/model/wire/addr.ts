// Address conventions shared by the whole model: IPv4 addresses are uint32 numbers in host order
// (192.0.2.1 = 0xc0000201, always kept unsigned with `>>> 0`), MAC addresses are 6-byte arrays.
// Numbers keep the fast path free of allocation; strings exist only at the edges (scenario text,
// traces, the debugger's views).

import { HEX2 } from './bytes';

/** The all-ones Ethernet address. Shared: never write into it. */
export const BROADCAST_MAC: Uint8Array<ArrayBuffer> = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
/** The all-zero Ethernet address (the target hardware address of an ARP request). Shared: never write into it. */
export const ZERO_MAC: Uint8Array<ArrayBuffer> = new Uint8Array(6);

/**
 * Parses a strict dotted quad: exactly four decimal groups 0..255 without signs, spaces or
 * leading zeros ("010" is rejected because some tools read it as octal).
 */
export function parseIpv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let a = 0;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return undefined;
    if (p.length > 1 && p.charCodeAt(0) === 0x30) return undefined;
    let v = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) return undefined;
      v = v * 10 + c;
    }
    if (v > 255) return undefined;
    a = a * 256 + v;
  }
  return a >>> 0;
}

export function formatIpv4(a: number): string {
  return `${(a >>> 24) & 0xff}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Parses aa:bb:cc:dd:ee:ff (either case, exactly six groups of two hex digits). */
export function parseMac(s: string): Uint8Array<ArrayBuffer> | undefined {
  if (s.length !== 17) return undefined;
  const m = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const p = i * 3;
    if (i > 0 && s.charCodeAt(p - 1) !== 0x3a) return undefined;
    const hi = hexVal(s.charCodeAt(p));
    const lo = hexVal(s.charCodeAt(p + 1));
    if (hi < 0 || lo < 0) return undefined;
    m[i] = (hi << 4) | lo;
  }
  return m;
}

/** Lower-case aa:bb:cc:dd:ee:ff of the six bytes at `off` (missing bytes read as 00). */
export function formatMac(m: Uint8Array, off = 0): string {
  let s = HEX2[m[off] ?? 0];
  for (let i = 1; i < 6; i++) s += ':' + HEX2[m[off + i] ?? 0];
  return s;
}

/** ether_addr_equal: whether two six-byte Ethernet addresses are the same. */
export function ether_addr_equal(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Netmask of a prefix length 0..32 (out-of-range values are clamped). */
export function prefixMask(prefix: number): number {
  if (prefix <= 0) return 0;
  if (prefix >= 32) return 0xffffffff;
  return (0xffffffff << (32 - prefix)) >>> 0;
}

export function inSubnet(a: number, net: number, prefix: number): boolean {
  const m = prefixMask(prefix);
  return ((a & m) >>> 0) === ((net & m) >>> 0);
}

/** 224.0.0.0/4 (class D). */
export function isMulticast(a: number): boolean {
  return (a & 0xf0000000) >>> 0 === 0xe0000000;
}

/**
 * The Ethernet address a multicast group maps to (RFC 1112 section 6.4): 01:00:5e followed by the
 * low 23 bits of the group, so 32 groups share each MAC address.
 */
export function multicastMac(group: number): Uint8Array<ArrayBuffer> {
  const m = new Uint8Array(6);
  m[0] = 0x01;
  m[1] = 0x00;
  m[2] = 0x5e;
  m[3] = (group >>> 16) & 0x7f;
  m[4] = (group >>> 8) & 0xff;
  m[5] = group & 0xff;
  return m;
}
