// A frame's layers and fields with the bytes each one occupies, as a packet analyser's details
// pane lists them: what the Wire view expands a frame into, and what its hex view highlights.
// Values come from decodeFrame (so both agree); this file adds where they are. Never throws.

import { formatHex } from './bytes';
import { decodeFrame, DecodedFrame } from './decode';
import { readU16, ETH_HLEN, UDP_HLEN, ICMP_HLEN, TCP_HLEN, IPV4_MIN_HLEN, EthOff, ArpOff, IpOff, UdpOff, IcmpOff, TcpOff } from './headers';
import { ETH_P_8021Q, ETH_P_ARP, ETH_P_IP, VLAN_HLEN } from './ethernet';
import { ARPOP_REPLY, ARPOP_REQUEST } from './arp';
import { IP_DF, IP_MF, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from './ipv4';
import { ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_FRAG_NEEDED } from './icmp';
import {
  TCP_ACK, TCP_AE, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, TCPOPT_EOL, TCPOPT_NOP, formatTcpOption, parseTcpOptions,
} from './tcp';

export interface WireField {
  /** The field's name in English ("Time to Live"); a client shows it in its own language. */
  name: string;
  /** The value as data (a number, an address, hex); '' when `flag` or the name says it all. */
  value: string;
  /** The bytes of the frame that hold the field. */
  offset: number;
  length: number;
  /** For a field narrower than its bytes (flags, header length): its bits within them. */
  mask?: number;
  /** A one-bit flag: set or not. */
  flag?: boolean;
  /** A checksum: whether it checks out (absent when it cannot be checked, e.g. in a fragment). */
  ok?: boolean;
  children?: WireField[];
}

export interface WireLayer {
  /** "Ethernet II", "Address Resolution Protocol", "Internet Protocol Version 4", ... */
  name: string;
  /** The fields a one-line summary of the layer names ("Source Address" and "Destination Address"). */
  brief: { name: string; value: string }[];
  offset: number;
  length: number;
  fields: WireField[];
}

export interface FrameDissection {
  layers: WireLayer[];
  /** What decodeFrame found wrong with the frame. */
  problems: string[];
}

/** The frame's layers and fields with their byte ranges. */
export function dissectFrame(frame: Uint8Array): FrameDissection {
  const d = decodeFrame(frame);
  const layers: WireLayer[] = [];
  try {
    dissectInto(frame, d, layers);
  } catch (e) {
    d.problems.push(`dissector error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { layers, problems: d.problems };
}

const hex = (n: number, digits: number): string => '0x' + n.toString(16).padStart(digits, '0');

const ETHER_TYPES: Record<number, string> = { [ETH_P_IP]: 'IPv4', [ETH_P_ARP]: 'ARP', [ETH_P_8021Q]: '802.1Q Virtual LAN' };
const IP_PROTOCOLS: Record<number, string> = { [IPPROTO_ICMP]: 'ICMP', [IPPROTO_TCP]: 'TCP', [IPPROTO_UDP]: 'UDP' };
const ICMP_TYPES: Record<number, string> = { 0: 'Echo (ping) reply', 3: 'Destination unreachable', 5: 'Redirect', 8: 'Echo (ping) request', 11: 'Time-to-live exceeded', 12: 'Parameter problem' };
const TCP_FLAG_BITS: [number, string][] = [
  [TCP_AE, 'Accurate ECN'], [TCP_CWR, 'Congestion Window Reduced'], [TCP_ECE, 'ECN-Echo'], [TCP_URG, 'Urgent'],
  [TCP_ACK, 'Acknowledgment'], [TCP_PSH, 'Push'], [TCP_RST, 'Reset'], [TCP_SYN, 'Syn'], [TCP_FIN, 'Fin'],
];

function dissectInto(frame: Uint8Array, d: DecodedFrame, layers: WireLayer[]): void {
  const eth = d.eth;
  if (!eth) return;
  const type = ETHER_TYPES[eth.type];
  const ethFields: WireField[] = [
    { name: 'Destination', value: eth.dst, offset: EthOff.H_DEST, length: 6 },
    { name: 'Source', value: eth.src, offset: EthOff.H_SOURCE, length: 6 },
    { name: 'Type', value: type ? `${type} (${hex(eth.type, 4)})` : hex(eth.type, 4), offset: EthOff.H_PROTO, length: 2 },
  ];
  layers.push({ name: 'Ethernet II', brief: [{ name: 'Source', value: eth.src }, { name: 'Destination', value: eth.dst }], offset: 0, length: ETH_HLEN, fields: ethFields });
  let o = ETH_HLEN;
  if (d.vlan) {
    const v = d.vlan;
    const inner = ETHER_TYPES[v.type];
    layers.push({
      name: '802.1Q Virtual LAN',
      brief: [{ name: 'PRI', value: String(v.pcp) }, { name: 'ID', value: String(v.vid) }],
      offset: o,
      length: VLAN_HLEN,
      fields: [
        { name: 'Priority', value: String(v.pcp), offset: o, length: 2, mask: 0xe000 },
        { name: 'DEI', value: '', offset: o, length: 2, mask: 0x1000, flag: v.dei },
        { name: 'ID', value: String(v.vid), offset: o, length: 2, mask: 0x0fff },
        { name: 'Type', value: inner ? `${inner} (${hex(v.type, 4)})` : hex(v.type, 4), offset: o + 2, length: 2 },
      ],
    });
    o += VLAN_HLEN;
  }
  let end = o;
  if (d.arp) end = arpLayer(frame, d, layers, o);
  else if (d.ip) end = ipLayers(frame, d, layers, o);
  else if (frame.length > o) end = dataLayer(layers, o, frame.length - o);
  // Bytes after the packet (IPv4 tot_len, ARP's 28 bytes) are link-layer padding.
  if (end < frame.length) ethFields.push({ name: 'Padding', value: formatHex(frame, end, frame.length - end), offset: end, length: frame.length - end });
}

function arpLayer(frame: Uint8Array, d: DecodedFrame, layers: WireLayer[], o: number): number {
  const a = d.arp!;
  const op = a.op === ARPOP_REQUEST ? 'request' : a.op === ARPOP_REPLY ? 'reply' : 'unknown';
  layers.push({
    name: 'Address Resolution Protocol',
    brief: [{ name: 'Opcode', value: op }],
    offset: o,
    length: 28,
    fields: [
      { name: 'Hardware type', value: `Ethernet (${readU16(frame, o + ArpOff.AR_HRD)})`, offset: o + ArpOff.AR_HRD, length: 2 },
      { name: 'Protocol type', value: `IPv4 (${hex(readU16(frame, o + ArpOff.AR_PRO), 4)})`, offset: o + ArpOff.AR_PRO, length: 2 },
      { name: 'Hardware size', value: String(frame[o + ArpOff.AR_HLN]), offset: o + ArpOff.AR_HLN, length: 1 },
      { name: 'Protocol size', value: String(frame[o + ArpOff.AR_PLN]), offset: o + ArpOff.AR_PLN, length: 1 },
      { name: 'Opcode', value: `${op} (${a.op})`, offset: o + ArpOff.AR_OP, length: 2 },
      { name: 'Sender MAC address', value: a.sha, offset: o + ArpOff.AR_SHA, length: 6 },
      { name: 'Sender IP address', value: a.spa, offset: o + ArpOff.AR_SIP, length: 4 },
      { name: 'Target MAC address', value: a.tha, offset: o + ArpOff.AR_THA, length: 6 },
      { name: 'Target IP address', value: a.tpa, offset: o + ArpOff.AR_TIP, length: 4 },
    ],
  });
  return o + 28;
}

function ipLayers(frame: Uint8Array, d: DecodedFrame, layers: WireLayer[], o: number): number {
  const ip = d.ip!;
  const hlen = ip.ihl * 4;
  const raw = readU16(frame, o + IpOff.FRAG_OFF);
  const proto = IP_PROTOCOLS[ip.protocol];
  const fields: WireField[] = [
    { name: 'Version', value: String(ip.version), offset: o + IpOff.VERSION_IHL, length: 1, mask: 0xf0 },
    { name: 'Header Length', value: `${hlen} bytes (${ip.ihl})`, offset: o + IpOff.VERSION_IHL, length: 1, mask: 0x0f },
    {
      name: 'Type of Service', value: hex(ip.tos, 2), offset: o + IpOff.TOS, length: 1,
      children: [
        { name: 'DSCP', value: String(ip.tos >> 2), offset: o + IpOff.TOS, length: 1, mask: 0xfc },
        { name: 'ECN', value: String(ip.tos & 3), offset: o + IpOff.TOS, length: 1, mask: 0x03 },
      ],
    },
    { name: 'Total Length', value: String(ip.totLen), offset: o + IpOff.TOT_LEN, length: 2 },
    { name: 'Identification', value: `${hex(ip.id, 4)} (${ip.id})`, offset: o + IpOff.ID, length: 2 },
    {
      name: 'Flags', value: hex(raw >> 13, 1), offset: o + IpOff.FRAG_OFF, length: 1, mask: 0xe0,
      children: [
        { name: 'Reserved bit', value: '', flag: (raw & 0x8000) !== 0, offset: o + IpOff.FRAG_OFF, length: 1, mask: 0x80 },
        { name: "Don't fragment", value: '', flag: (raw & IP_DF) !== 0, offset: o + IpOff.FRAG_OFF, length: 1, mask: 0x40 },
        { name: 'More fragments', value: '', flag: (raw & IP_MF) !== 0, offset: o + IpOff.FRAG_OFF, length: 1, mask: 0x20 },
      ],
    },
    { name: 'Fragment Offset', value: String(ip.fragOffset), offset: o + IpOff.FRAG_OFF, length: 2, mask: 0x1fff },
    { name: 'Time to Live', value: String(ip.ttl), offset: o + IpOff.TTL, length: 1 },
    { name: 'Protocol', value: proto ? `${proto} (${ip.protocol})` : String(ip.protocol), offset: o + IpOff.PROTOCOL, length: 1 },
    { name: 'Header Checksum', value: hex(ip.check, 4), ok: ip.checkOk, offset: o + IpOff.CHECK, length: 2 },
    { name: 'Source Address', value: ip.src, offset: o + IpOff.SADDR, length: 4 },
    { name: 'Destination Address', value: ip.dst, offset: o + IpOff.DADDR, length: 4 },
  ];
  if (hlen > 20) fields.push({ name: 'Options', value: ip.options ?? '', offset: o + IPV4_MIN_HLEN, length: hlen - 20 });
  layers.push({ name: 'Internet Protocol Version 4', brief: [{ name: 'Source Address', value: ip.src }, { name: 'Destination Address', value: ip.dst }], offset: o, length: hlen, fields });
  // The packet ends at tot_len (or at the frame's end when it is cut short).
  const end = Math.min(frame.length, o + Math.max(ip.totLen, hlen));
  let p = o + hlen;
  if (d.udp) p = udpLayer(d, p, layers);
  else if (d.icmp) p = icmpLayer(frame, d, p, layers);
  else if (d.tcp) p = tcpLayer(frame, d, p, end, layers);
  if (end > p) dataLayer(layers, p, end - p);
  return end;
}

function udpLayer(d: DecodedFrame, o: number, layers: WireLayer[]): number {
  const u = d.udp!;
  layers.push({
    name: 'User Datagram Protocol',
    brief: [{ name: 'Source Port', value: String(u.sport) }, { name: 'Destination Port', value: String(u.dport) }],
    offset: o,
    length: UDP_HLEN,
    fields: [
      { name: 'Source Port', value: String(u.sport), offset: o + UdpOff.SOURCE, length: 2 },
      { name: 'Destination Port', value: String(u.dport), offset: o + UdpOff.DEST, length: 2 },
      { name: 'Length', value: String(u.len), offset: o + UdpOff.LEN, length: 2 },
      { name: 'Checksum', value: hex(u.check, 4), ok: u.checkOk, offset: o + UdpOff.CHECK, length: 2 },
    ],
  });
  return o + UDP_HLEN;
}

function icmpLayer(frame: Uint8Array, d: DecodedFrame, o: number, layers: WireLayer[]): number {
  const ic = d.icmp!;
  const typeName = ICMP_TYPES[ic.type];
  const fields: WireField[] = [
    { name: 'Type', value: typeName ? `${ic.type} (${typeName})` : String(ic.type), offset: o + IcmpOff.TYPE, length: 1 },
    { name: 'Code', value: String(ic.code), offset: o + IcmpOff.CODE, length: 1 },
    { name: 'Checksum', value: hex(ic.check, 4), ok: ic.checkOk, offset: o + IcmpOff.CHECKSUM, length: 2 },
  ];
  if (ic.type === ICMP_ECHO || ic.type === ICMP_ECHOREPLY) {
    fields.push({ name: 'Identifier', value: `${hex(ic.id ?? 0, 4)} (${ic.id ?? 0})`, offset: o + IcmpOff.UN, length: 2 });
    fields.push({ name: 'Sequence Number', value: String(ic.seq ?? 0), offset: o + IcmpOff.UN + 2, length: 2 });
  } else if (ic.type === ICMP_DEST_UNREACH && ic.code === ICMP_FRAG_NEEDED) {
    fields.push({ name: 'Unused', value: hex(readU16(frame, o + IcmpOff.UN), 4), offset: o + IcmpOff.UN, length: 2 });
    fields.push({ name: 'MTU of next hop', value: String(ic.mtu ?? 0), offset: o + IcmpOff.UN + 2, length: 2 });
  } else {
    fields.push({ name: 'Rest of header', value: formatHex(frame, o + IcmpOff.UN, 4), offset: o + IcmpOff.UN, length: 4 });
  }
  layers.push({ name: 'Internet Control Message Protocol', brief: [{ name: 'Type', value: String(ic.type) }, { name: 'Code', value: String(ic.code) }], offset: o, length: ICMP_HLEN, fields });
  return o + ICMP_HLEN;
}

function tcpLayer(frame: Uint8Array, d: DecodedFrame, o: number, end: number, layers: WireLayer[]): number {
  const t = d.tcp!;
  const dataOff = frame[o + TcpOff.DOFF] >> 4;
  const hlen = Math.max(TCP_HLEN, Math.min(dataOff * 4, end - o));
  const bits = readU16(frame, o + TcpOff.DOFF) & 0x01ff;
  const fields: WireField[] = [
    { name: 'Source Port', value: String(t.sport), offset: o + TcpOff.SOURCE, length: 2 },
    { name: 'Destination Port', value: String(t.dport), offset: o + TcpOff.DEST, length: 2 },
    { name: 'Sequence Number', value: String(t.seq), offset: o + TcpOff.SEQ, length: 4 },
    { name: 'Acknowledgment Number', value: String(t.ack), offset: o + TcpOff.ACK_SEQ, length: 4 },
    { name: 'Header Length', value: `${dataOff * 4} bytes (${dataOff})`, offset: o + TcpOff.DOFF, length: 1, mask: 0xf0 },
    {
      name: 'Flags', value: `${hex(bits, 3)}${t.flags ? ` (${t.flags.split('|').join(', ')})` : ''}`, offset: o + TcpOff.DOFF, length: 2, mask: 0x01ff,
      children: TCP_FLAG_BITS.map(([bit, name]) => ({ name, value: '', flag: (bits & bit) !== 0, offset: o + TcpOff.DOFF, length: 2, mask: bit })),
    },
    { name: 'Window', value: String(t.window), offset: o + TcpOff.WINDOW, length: 2 },
    { name: 'Checksum', value: hex(t.check, 4), ok: t.checkOk, offset: o + TcpOff.CHECK, length: 2 },
    { name: 'Urgent Pointer', value: String(readU16(frame, o + TcpOff.URG_PTR)), offset: o + TcpOff.URG_PTR, length: 2 },
  ];
  if (hlen > TCP_HLEN) fields.push({ name: 'Options', value: `${hlen - TCP_HLEN} bytes`, offset: o + TCP_HLEN, length: hlen - TCP_HLEN, children: tcpOptions(frame, o + TCP_HLEN, o + hlen) });
  layers.push({ name: 'Transmission Control Protocol', brief: [{ name: 'Source Port', value: String(t.sport) }, { name: 'Destination Port', value: String(t.dport) }], offset: o, length: hlen, fields });
  return o + hlen;
}

/** The options between `from` and `to`, each with its bytes (the walk parseTcpOptions makes). */
function tcpOptions(frame: Uint8Array, from: number, to: number): WireField[] {
  const parsed = parseTcpOptions(frame.subarray(from, to));
  const out: WireField[] = [];
  let p = from;
  for (const opt of parsed) {
    const kind = frame[p];
    const len = kind === TCPOPT_NOP ? 1 : opt.kind === 'malformed' ? to - p : frame[p + 1];
    out.push({ name: 'Option', value: formatTcpOption(opt), offset: p, length: len });
    p += len;
  }
  if (p < to && frame[p] === TCPOPT_EOL) out.push({ name: 'Option', value: 'eol', offset: p, length: to - p });
  return out;
}

function dataLayer(layers: WireLayer[], offset: number, length: number): number {
  layers.push({ name: 'Data', brief: [], offset, length, fields: [{ name: 'Data', value: `${length} bytes`, offset, length }] });
  return offset + length;
}

