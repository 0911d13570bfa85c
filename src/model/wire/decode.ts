// Decoding a whole Ethernet frame into a plain, JSON-friendly description for traces, the CLI and
// the debugger's views. Decoding never throws: whatever is missing or inconsistent is reported in
// `problems` and decoding stops at the first layer it cannot read.

import { BROADCAST_MAC, formatIpv4, formatMac } from './addr';
import { formatHex } from './bytes';
import { pseudoHeaderSum, verify } from './checksum';
import { ETH_P_8021Q, ETH_P_ARP, ETH_P_IP, VLAN_HLEN } from './ethernet';
import { ARPOP_REPLY, ARPOP_REQUEST, parseArp } from './arp';
import { IP_DF, IP_MF, IP_OFFSET, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from './ipv4';
import { ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_FRAG_NEEDED, ICMP_TIME_EXCEEDED } from './icmp';
import {
  TCP_ACK, TCP_AE, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, formatTcpOption, parseTcpOptions,
} from './tcp';
import {
  ARP_LEN, ETH_HLEN, EthHdr, ICMP_HLEN, IcmpHdr, IpHdr, TCP_HLEN, TcpHdr, UDP_HLEN, UdpHdr, readU16,
} from './headers';

export interface DecodedEth {
  dst: string;
  src: string;
  type: number;
}

export interface DecodedArp {
  op: number;
  sha: string;
  spa: string;
  tha: string;
  tpa: string;
}

export interface DecodedIp {
  version: number;
  ihl: number;
  tos: number;
  totLen: number;
  id: number;
  df: boolean;
  mf: boolean;
  /** Offset of this fragment's data in the original datagram, in bytes. */
  fragOffset: number;
  ttl: number;
  protocol: number;
  check: number;
  checkOk: boolean;
  src: string;
  dst: string;
  /** The options area as hex, when the header has one. */
  options?: string;
}

export interface DecodedUdp {
  sport: number;
  dport: number;
  len: number;
  check: number;
  /** Present only when the whole datagram is in this frame (not a fragment) and check is not 0. */
  checkOk?: boolean;
}

export interface DecodedIcmp {
  type: number;
  code: number;
  check: number;
  /** Present only when the whole message is in this frame. */
  checkOk?: boolean;
  id?: number;
  seq?: number;
  mtu?: number;
}

export interface DecodedTcp {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  /** Set flags joined by "|", e.g. "SYN" or "RST|ACK"; "" when none is set. */
  flags: string;
  window: number;
  check: number;
  /** Present only when the whole segment is in this frame. */
  checkOk?: boolean;
  /** As tcpdump prints them: ["mss 1460", "sackOK", "TS val 1 ecr 0", "nop", "wscale 10"]. */
  options: string[];
}

/** An 802.1Q tag (TCI) and the ethertype it encapsulates. */
export interface DecodedVlan {
  pcp: number;
  dei: boolean;
  vid: number;
  type: number;
}

export interface DecodedFrame {
  eth?: DecodedEth;
  vlan?: DecodedVlan;
  arp?: DecodedArp;
  ip?: DecodedIp;
  udp?: DecodedUdp;
  icmp?: DecodedIcmp;
  tcp?: DecodedTcp;
  /**
   * Bytes after the innermost decoded header: the UDP/TCP/ICMP payload, or the IP payload of a
   * fragment after the first or of another protocol.
   */
  payloadLen?: number;
  /** Everything wrong with the frame, e.g. "truncated IPv4 header", "bad IP checksum". */
  problems: string[];
}

const TCP_FLAG_NAMES: [number, string][] = [
  [TCP_FIN, 'FIN'],
  [TCP_SYN, 'SYN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_ACK, 'ACK'],
  [TCP_URG, 'URG'],
  [TCP_ECE, 'ECE'],
  [TCP_CWR, 'CWR'],
  [TCP_AE, 'AE'],
];

function tcpFlagNames(flags: number): string[] {
  const names: string[] = [];
  for (const [bit, name] of TCP_FLAG_NAMES) if (flags & bit) names.push(name);
  return names;
}

/** Decodes an Ethernet frame (without FCS). Never throws. */
export function decodeFrame(frame: Uint8Array): DecodedFrame {
  const d: DecodedFrame = { problems: [] };
  try {
    decodeInto(frame, d);
  } catch (e) {
    // Decoding is written not to throw; this keeps that promise should a case have been missed.
    d.problems.push(`decoder error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return d;
}

function decodeInto(frame: Uint8Array, d: DecodedFrame): void {
  const len = frame.length;
  if (len < ETH_HLEN) {
    d.problems.push('truncated Ethernet header');
    return;
  }
  const eth = new EthHdr(frame, 0);
  const type = eth.h_proto;
  d.eth = { dst: formatMac(eth.h_dest), src: formatMac(eth.h_source), type };
  let inner = type;
  let off = ETH_HLEN;
  if (type === ETH_P_8021Q) {
    if (len < ETH_HLEN + VLAN_HLEN) {
      d.problems.push('truncated 802.1Q tag');
      return;
    }
    const tci = readU16(frame, ETH_HLEN);
    inner = readU16(frame, ETH_HLEN + 2);
    d.vlan = { pcp: tci >> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0xfff, type: inner };
    off += VLAN_HLEN;
  }
  if (inner === ETH_P_ARP) decodeArp(frame, d, off);
  else if (inner === ETH_P_IP) decodeIpv4(frame, off, d);
  else d.payloadLen = len - off;
}

function decodeArp(frame: Uint8Array, d: DecodedFrame, off: number): void {
  const avail = frame.length - off;
  if (avail < ARP_LEN) {
    d.problems.push('truncated ARP packet');
    return;
  }
  const a = parseArp(frame, off, avail);
  if (!a) {
    d.problems.push('unsupported ARP hardware or protocol type');
    return;
  }
  d.arp = { op: a.op, sha: formatMac(a.sha), spa: formatIpv4(a.spa), tha: formatMac(a.tha), tpa: formatIpv4(a.tpa) };
  if (a.op !== ARPOP_REQUEST && a.op !== ARPOP_REPLY) d.problems.push(`unknown ARP opcode ${a.op}`);
}

function decodeIpv4(frame: Uint8Array, off: number, d: DecodedFrame): void {
  const avail = frame.length - off;
  if (avail < 20) {
    d.problems.push('truncated IPv4 header');
    return;
  }
  const iph = new IpHdr(frame, off);
  const version = iph.version;
  if (version !== 4) {
    d.problems.push(`IP version ${version}, not 4`);
    return;
  }
  const ihl = iph.ihl;
  const hlen = ihl * 4;
  if (ihl < 5) {
    d.problems.push(`bad IHL ${ihl}`);
    return;
  }
  if (avail < hlen) {
    d.problems.push('truncated IPv4 header');
    return;
  }
  const fragField = iph.frag_off;
  const totLen = iph.tot_len;
  const protocol = iph.protocol;
  const checkOk = verify(frame, off, hlen);
  const src = iph.saddr;
  const dst = iph.daddr;
  const ip: DecodedIp = {
    version,
    ihl,
    tos: iph.tos,
    totLen,
    id: iph.id,
    df: (fragField & IP_DF) !== 0,
    mf: (fragField & IP_MF) !== 0,
    fragOffset: (fragField & IP_OFFSET) * 8,
    ttl: iph.ttl,
    protocol,
    check: iph.check,
    checkOk,
    src: formatIpv4(src),
    dst: formatIpv4(dst),
  };
  if (ihl > 5) ip.options = formatHex(iph.options);
  d.ip = ip;
  if (!checkOk) d.problems.push('bad IP checksum');
  if (totLen < hlen) {
    d.problems.push(`IP total length ${totLen} is below the header length ${hlen}`);
    return;
  }
  // Bytes after tot_len are link-layer padding; bytes missing before it make the packet truncated.
  let end = off + totLen;
  const truncated = totLen > avail;
  if (truncated) {
    d.problems.push(`truncated IPv4 packet (total length ${totLen}, ${avail} bytes present)`);
    end = frame.length;
  }
  const l4 = off + hlen;
  const l4len = end - l4;
  const fragment = ip.mf || ip.fragOffset !== 0;
  if (ip.fragOffset !== 0) {
    d.payloadLen = l4len;
    return;
  }
  // The whole transport message is here only when it is neither a fragment nor cut short.
  const whole = !fragment && !truncated;
  if (protocol === IPPROTO_UDP) decodeUdp(frame, l4, l4len, whole, src, dst, d);
  else if (protocol === IPPROTO_ICMP) decodeIcmp(frame, l4, l4len, whole, d);
  else if (protocol === IPPROTO_TCP) decodeTcp(frame, l4, l4len, whole, src, dst, d);
  else d.payloadLen = l4len;
}

function decodeUdp(
  frame: Uint8Array,
  off: number,
  avail: number,
  whole: boolean,
  src: number,
  dst: number,
  d: DecodedFrame,
): void {
  if (avail < UDP_HLEN) {
    d.problems.push('truncated UDP header');
    d.payloadLen = avail;
    return;
  }
  const uh = new UdpHdr(frame, off);
  const len = uh.len;
  const check = uh.check;
  const u: DecodedUdp = { sport: uh.source, dport: uh.dest, len, check };
  d.udp = u;
  d.payloadLen = avail - UDP_HLEN;
  if (len < UDP_HLEN) {
    d.problems.push(`bad UDP length ${len}`);
    return;
  }
  if (!whole) return;
  if (len > avail) {
    d.problems.push(`UDP length ${len} exceeds the IP payload (${avail} bytes)`);
    return;
  }
  d.payloadLen = len - UDP_HLEN;
  if (check === 0) return; // sent without a checksum
  u.checkOk = verify(frame, off, len, pseudoHeaderSum(src, dst, IPPROTO_UDP, len));
  if (!u.checkOk) d.problems.push('bad UDP checksum');
}

function decodeIcmp(frame: Uint8Array, off: number, avail: number, whole: boolean, d: DecodedFrame): void {
  if (avail < ICMP_HLEN) {
    d.problems.push('truncated ICMP header');
    d.payloadLen = avail;
    return;
  }
  const icmph = new IcmpHdr(frame, off);
  const type = icmph.type;
  const code = icmph.code;
  const ic: DecodedIcmp = { type, code, check: icmph.checksum };
  if (type === ICMP_ECHO || type === ICMP_ECHOREPLY) {
    ic.id = icmph.echo_id;
    ic.seq = icmph.echo_sequence;
  } else if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) {
    ic.mtu = icmph.frag_mtu;
  }
  d.icmp = ic;
  d.payloadLen = avail - ICMP_HLEN;
  if (!whole) return;
  ic.checkOk = verify(frame, off, avail);
  if (!ic.checkOk) d.problems.push('bad ICMP checksum');
}

function decodeTcp(
  frame: Uint8Array,
  off: number,
  avail: number,
  whole: boolean,
  src: number,
  dst: number,
  d: DecodedFrame,
): void {
  if (avail < TCP_HLEN) {
    d.problems.push('truncated TCP header');
    d.payloadLen = avail;
    return;
  }
  const th = new TcpHdr(frame, off);
  const dataOff = th.doff;
  const hlen = dataOff * 4;
  const t: DecodedTcp = {
    sport: th.source,
    dport: th.dest,
    seq: th.seq,
    ack: th.ack_seq,
    flags: tcpFlagNames(th.flags).join('|'),
    window: th.window,
    check: th.check,
    options: [],
  };
  d.tcp = t;
  if (dataOff < 5) {
    d.problems.push(`bad TCP data offset ${dataOff}`);
    d.payloadLen = avail - TCP_HLEN;
    return;
  }
  if (hlen > avail) {
    d.problems.push('truncated TCP header');
    d.payloadLen = 0;
    return;
  }
  const opts = parseTcpOptions(th.options);
  t.options = opts.map(formatTcpOption);
  if (opts.some((o) => o.kind === 'malformed')) d.problems.push('malformed TCP options');
  d.payloadLen = avail - hlen;
  if (!whole) return;
  t.checkOk = verify(frame, off, avail, pseudoHeaderSum(src, dst, IPPROTO_TCP, avail));
  if (!t.checkOk) d.problems.push('bad TCP checksum');
}

// ---- one-line summaries ----

export interface FrameSummary {
  src: string;
  dst: string;
  protocol: string;
  info: string;
}

const IP_PROTO_NAMES: Record<number, string> = { [IPPROTO_ICMP]: 'ICMP', [IPPROTO_TCP]: 'TCP', [IPPROTO_UDP]: 'UDP' };

const UNREACH_NAMES: Record<number, string> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  13: 'Communication administratively filtered',
};

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function icmpInfo(ic: DecodedIcmp): string {
  switch (ic.type) {
    case ICMP_ECHO:
    case ICMP_ECHOREPLY:
      return `Echo (ping) ${ic.type === ICMP_ECHO ? 'request' : 'reply'} id=0x${hex4(ic.id ?? 0)}, seq=${ic.seq ?? 0}`;
    case ICMP_DEST_UNREACH:
      return `Destination unreachable (${UNREACH_NAMES[ic.code] ?? `code ${ic.code}`})`;
    case ICMP_TIME_EXCEEDED:
      return ic.code === 0
        ? 'Time-to-live exceeded (Time to live exceeded in transit)'
        : ic.code === 1
          ? 'Time-to-live exceeded (Fragment reassembly time exceeded)'
          : `Time-to-live exceeded (code ${ic.code})`;
    default:
      return `Type ${ic.type}, code ${ic.code}`;
  }
}

function tcpInfo(t: DecodedTcp, payloadLen: number): string {
  const names = t.flags === '' ? ['<None>'] : t.flags.split('|');
  let s = `${t.sport} → ${t.dport} [${names.join(', ')}] Seq=${t.seq}`;
  if (t.flags.split('|').includes('ACK')) s += ` Ack=${t.ack}`;
  s += ` Win=${t.window} Len=${payloadLen}`;
  for (const o of t.options) {
    const m = /^(mss|wscale) (\d+)$/.exec(o);
    if (m) s += m[1] === 'mss' ? ` MSS=${m[2]}` : ` WS=${2 ** Math.min(Number(m[2]), 14)}`;
    else if (o === 'sackOK') s += ' SACK_PERM';
    else {
      const ts = /^TS val (\d+) ecr (\d+)$/.exec(o);
      if (ts) s += ` TSval=${ts[1]} TSecr=${ts[2]}`;
    }
  }
  return s;
}

/** The Source, Destination, Protocol and Info columns a packet capture viewer would show. */
export function summarize(d: DecodedFrame): FrameSummary {
  const problems = d.problems.length > 0 ? ` [${d.problems.join('; ')}]` : '';
  const eth = d.eth;
  if (!eth) return { src: '', dst: '', protocol: 'Ethernet', info: d.problems.join('; ') || 'empty frame' };
  const bcast = formatMac(BROADCAST_MAC);
  const ethDst = eth.dst === bcast ? 'Broadcast' : eth.dst;
  // A tagged frame is summarised by what the tag carries.
  const type = d.vlan ? d.vlan.type : eth.type;
  if (type === ETH_P_ARP) {
    const a = d.arp;
    if (!a) return { src: eth.src, dst: ethDst, protocol: 'ARP', info: d.problems.join('; ') };
    let info: string;
    if (a.op === ARPOP_REQUEST) info = a.spa === a.tpa ? `Gratuitous ARP for ${a.spa} (Request)` : `Who has ${a.tpa}? Tell ${a.spa}`;
    else if (a.op === ARPOP_REPLY) info = `${a.spa} is at ${a.sha}`;
    else info = `ARP opcode ${a.op}`;
    return { src: eth.src, dst: ethDst, protocol: 'ARP', info: info + problems };
  }
  const ip = d.ip;
  if (type !== ETH_P_IP || !ip) {
    const protocol = type === ETH_P_IP ? 'IPv4' : `0x${hex4(type)}`;
    const info = type === ETH_P_IP ? d.problems.join('; ') : `Ethernet II, type 0x${hex4(type)}` + problems;
    return { src: eth.src, dst: ethDst, protocol, info };
  }
  const base = { src: ip.src, dst: ip.dst };
  if (ip.mf || ip.fragOffset !== 0) {
    const name = IP_PROTO_NAMES[ip.protocol] ?? 'Unknown';
    return {
      ...base,
      protocol: 'IPv4',
      info: `Fragmented IP protocol (proto=${name} ${ip.protocol}, off=${ip.fragOffset}, ID=${hex4(ip.id)})` + problems,
    };
  }
  if (d.udp) {
    const n = d.udp.len >= UDP_HLEN ? d.udp.len - UDP_HLEN : 0;
    return { ...base, protocol: 'UDP', info: `${d.udp.sport} → ${d.udp.dport} Len=${n}` + problems };
  }
  if (d.icmp) return { ...base, protocol: 'ICMP', info: icmpInfo(d.icmp) + problems };
  if (d.tcp) return { ...base, protocol: 'TCP', info: tcpInfo(d.tcp, d.payloadLen ?? 0) + problems };
  const name = IP_PROTO_NAMES[ip.protocol];
  return { ...base, protocol: name ?? 'IPv4', info: (name ? '' : `proto ${ip.protocol}`) + problems };
}
