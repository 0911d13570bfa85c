// Builders for well-formed test frames (Ethernet + ARP/IPv4 + UDP/ICMP/TCP) on top of the wire layer.

import {
  ArpHdr,
  BROADCAST_MAC,
  ETH_HLEN,
  ETH_P_ARP,
  ETH_P_IP,
  EthHdr,
  ICMP_ECHO,
  ICMP_HLEN,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IP_MF,
  IcmpHdr,
  IpHdr,
  TCP_SYN,
  TcpHdr,
  UDP_HLEN,
  UdpHdr,
  ZERO_MAC,
  buildSynOptions,
  checksum,
  emitArp,
  icmpChecksum,
  ip_send_check,
  pseudoHeaderSum,
  tcpChecksum,
} from '../../src/model/wire';

export const MAC_A = new Uint8Array([0xa6, 0x31, 0x3b, 0x42, 0x88, 0xc9]);
export const MAC_B = new Uint8Array([0x02, 0x00, 0x00, 0x00, 0x00, 0x02]);
export const IP_A = 0x0a000001; // 10.0.0.1
export const IP_B = 0x0a000002; // 10.0.0.2
const NO_OPTS = new Uint8Array(0);

/** Sets the named fields of a header view through its setters; returns the view. */
export function put<T extends object>(view: T, fields: Partial<T>): T {
  return Object.assign(view, fields);
}

/** An Ethernet frame of `len` bytes after the header. */
export function ethFrame(dst: Uint8Array, src: Uint8Array, proto: number, len: number): Uint8Array {
  const f = new Uint8Array(ETH_HLEN + len);
  put(new EthHdr(f, 0), { h_dest: dst, h_source: src, h_proto: proto });
  return f;
}

export function arpRequest(sha: Uint8Array, spa: number, tpa: number): Uint8Array {
  const f = ethFrame(BROADCAST_MAC, sha, ETH_P_ARP, 28);
  emitArp(new ArpHdr(f, ETH_HLEN), { op: 1, sha, spa, tha: ZERO_MAC, tpa });
  return f;
}

export function arpReply(sha: Uint8Array, spa: number, tha: Uint8Array, tpa: number): Uint8Array {
  const f = ethFrame(tha, sha, ETH_P_ARP, 28);
  emitArp(new ArpHdr(f, ETH_HLEN), { op: 2, sha, spa, tha, tpa });
  return f;
}

/** A payload of `n` bytes with a recognisable pattern. */
export function pattern(n: number, seed = 0): Uint8Array {
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = (i * 7 + seed) & 0xff;
  return p;
}

interface IpOpts {
  id?: number;
  ttl?: number;
  tos?: number;
  fragOff?: number;
  options?: Uint8Array;
}

function ipFrame(l4len: number, protocol: number, src: number, dst: number, o: IpOpts): { f: Uint8Array; l4: number } {
  const options = o.options ?? NO_OPTS;
  const hlen = 20 + options.length;
  const f = ethFrame(MAC_B, MAC_A, ETH_P_IP, hlen + l4len);
  const iph = put(new IpHdr(f, ETH_HLEN), {
    version: 4, ihl: hlen / 4, tos: o.tos ?? 0, tot_len: hlen + l4len, id: o.id ?? 1,
    frag_off: o.fragOff ?? 0, ttl: o.ttl ?? 64, protocol, saddr: src, daddr: dst,
  });
  iph.options.set(options);
  ip_send_check(iph);
  return { f, l4: ETH_HLEN + hlen };
}

export function udpFrame(src: number, dst: number, sport: number, dport: number, payload: Uint8Array, o: IpOpts = {}): Uint8Array {
  const len = UDP_HLEN + payload.length;
  const { f, l4 } = ipFrame(len, IPPROTO_UDP, src, dst, o);
  const uh = put(new UdpHdr(f, l4), { source: sport, dest: dport, len });
  f.set(payload, l4 + UDP_HLEN);
  uh.check = udpChecksum(f, l4, len, src, dst);
  return f;
}

/** The UDP checksum of the `len`-byte datagram at `off` whose check field is 0 (0 is sent as 0xffff). */
export function udpChecksum(f: Uint8Array, off: number, len: number, src: number, dst: number): number {
  return checksum(f, off, len, pseudoHeaderSum(src, dst, IPPROTO_UDP, len)) || 0xffff;
}

export function icmpEcho(src: number, dst: number, id: number, seq: number, payload: Uint8Array, o: IpOpts = {}): Uint8Array {
  const len = ICMP_HLEN + payload.length;
  const { f, l4 } = ipFrame(len, IPPROTO_ICMP, src, dst, o);
  const icmph = put(new IcmpHdr(f, l4), { type: ICMP_ECHO, echo_id: id, echo_sequence: seq });
  f.set(payload, l4 + ICMP_HLEN);
  icmph.checksum = icmpChecksum(f, l4, len);
  return f;
}

export function tcpSyn(src: number, dst: number, sport: number, dport: number, seq: number, o: IpOpts = {}): Uint8Array {
  const options = buildSynOptions(1460, 1, 0, 10);
  const len = 20 + options.length;
  const { f, l4 } = ipFrame(len, IPPROTO_TCP, src, dst, { ...o });
  const th = put(new TcpHdr(f, l4), { source: sport, dest: dport, seq, doff: len / 4, flags: TCP_SYN, window: 64240 });
  th.options.set(options);
  th.check = tcpChecksum(f, l4, len, src, dst);
  return f;
}

/**
 * Splits a UDP datagram (UDP header + payload, checksum computed over the whole) into IPv4
 * fragments whose data parts are at most `fragData` bytes (a multiple of 8).
 */
export function udpFragments(
  src: number,
  dst: number,
  sport: number,
  dport: number,
  payload: Uint8Array,
  fragData: number,
  id: number,
): Uint8Array[] {
  const whole = udpFrame(src, dst, sport, dport, payload, { id });
  const datagram = whole.subarray(ETH_HLEN + 20);
  const frames: Uint8Array[] = [];
  for (let off = 0; off < datagram.length; off += fragData) {
    const part = datagram.subarray(off, Math.min(datagram.length, off + fragData));
    const last = off + fragData >= datagram.length;
    const { f, l4 } = ipFrame(part.length, IPPROTO_UDP, src, dst, { id, fragOff: (last ? 0 : IP_MF) | (off / 8) });
    f.set(part, l4);
    frames.push(f);
  }
  return frames;
}
