// Builders for well-formed test frames (Ethernet + ARP/IPv4 + UDP/ICMP/TCP) on top of the wire layer.

import {
  BROADCAST_MAC,
  ETH_HLEN,
  ETH_P_ARP,
  ETH_P_IP,
  ICMP_ECHO,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IP_MF,
  TCP_SYN,
  UDP_HLEN,
  ZERO_MAC,
  buildSynOptions,
  emitArp,
  emitEthernet,
  emitIcmp,
  emitIpv4,
  emitTcp,
  emitUdp,
  icmpChecksum,
  ipSendCheck,
  setIcmpCheck,
  setTcpCheck,
  setUdpCheck,
  tcpChecksum,
  udpChecksum,
} from '../../src/model/wire';

export const MAC_A = new Uint8Array([0xa6, 0x31, 0x3b, 0x42, 0x88, 0xc9]);
export const MAC_B = new Uint8Array([0x02, 0x00, 0x00, 0x00, 0x00, 0x02]);
export const IP_A = 0x0a000001; // 10.0.0.1
export const IP_B = 0x0a000002; // 10.0.0.2
const NO_OPTS = new Uint8Array(0);

export function arpRequest(sha: Uint8Array, spa: number, tpa: number): Uint8Array {
  const f = new Uint8Array(ETH_HLEN + 28);
  emitEthernet(f, 0, { dst: BROADCAST_MAC, src: sha, ethertype: ETH_P_ARP });
  emitArp(f, ETH_HLEN, { op: 1, sha, spa, tha: ZERO_MAC, tpa });
  return f;
}

export function arpReply(sha: Uint8Array, spa: number, tha: Uint8Array, tpa: number): Uint8Array {
  const f = new Uint8Array(ETH_HLEN + 28);
  emitEthernet(f, 0, { dst: tha, src: sha, ethertype: ETH_P_ARP });
  emitArp(f, ETH_HLEN, { op: 2, sha, spa, tha, tpa });
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
  const f = new Uint8Array(ETH_HLEN + hlen + l4len);
  emitEthernet(f, 0, { dst: MAC_B, src: MAC_A, ethertype: ETH_P_IP });
  emitIpv4(f, ETH_HLEN, {
    ihl: hlen / 4,
    tos: o.tos ?? 0,
    totLen: hlen + l4len,
    id: o.id ?? 1,
    fragOff: o.fragOff ?? 0,
    ttl: o.ttl ?? 64,
    protocol,
    check: 0,
    src,
    dst,
    options,
  });
  ipSendCheck(f, ETH_HLEN);
  return { f, l4: ETH_HLEN + hlen };
}

export function udpFrame(src: number, dst: number, sport: number, dport: number, payload: Uint8Array, o: IpOpts = {}): Uint8Array {
  const len = UDP_HLEN + payload.length;
  const { f, l4 } = ipFrame(len, IPPROTO_UDP, src, dst, o);
  emitUdp(f, l4, { sport, dport, len, check: 0 });
  f.set(payload, l4 + UDP_HLEN);
  setUdpCheck(f, l4, udpChecksum(f, ETH_HLEN, l4, len, src, dst));
  return f;
}

export function icmpEcho(src: number, dst: number, id: number, seq: number, payload: Uint8Array, o: IpOpts = {}): Uint8Array {
  const len = 8 + payload.length;
  const { f, l4 } = ipFrame(len, IPPROTO_ICMP, src, dst, o);
  emitIcmp(f, l4, { type: ICMP_ECHO, code: 0, check: 0, rest: ((id << 16) | seq) >>> 0 });
  f.set(payload, l4 + 8);
  setIcmpCheck(f, l4, icmpChecksum(f, l4, len));
  return f;
}

export function tcpSyn(src: number, dst: number, sport: number, dport: number, seq: number, o: IpOpts = {}): Uint8Array {
  const options = buildSynOptions(1460, 1, 0, 10);
  const len = 20 + options.length;
  const { f, l4 } = ipFrame(len, IPPROTO_TCP, src, dst, { ...o });
  emitTcp(f, l4, { sport, dport, seq, ack: 0, dataOff: len / 4, flags: TCP_SYN, window: 64240, check: 0, urg: 0, options });
  setTcpCheck(f, l4, tcpChecksum(f, ETH_HLEN, l4, len, src, dst));
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
