// The other hosts on a link. Each behaves like an idle Linux host: it answers ARP requests for its
// address (unless silent, or not up yet), echo requests with echo replies, and SYNs to closed
// ports with RST|ACK. It reassembles fragmented datagrams first, and fragments a reply larger
// than its link's MTU, as a Linux host does. The run joins the peers to this host's devices
// (Kernel.farEnd): each frame a device sends reaches them, and their answers come back to the
// device after their reply delay.

import type { NetDevice } from '../net/device';
import type { Net, PeerHost } from '../net/netns';
import { ETH_P_ARP, ETH_P_IP } from '../wire/ethernet';
import { arpIsEthernetIpv4, emitArp, ARPOP_REPLY, ARPOP_REQUEST } from '../wire/arp';
import { ip_send_check, IP_DF, IP_MF, IP_OFFSET, IPPROTO_ICMP, IPPROTO_TCP } from '../wire/ipv4';
import { icmpChecksum, ICMP_ECHO, ICMP_ECHOREPLY } from '../wire/icmp';
import { tcpChecksum, TCP_ACK, TCP_RST, TCP_SYN } from '../wire/tcp';
import { ARP_LEN, ArpHdr, ETH_HLEN, EthHdr, IPV4_MIN_HLEN, IcmpHdr, IpHdr, TCP_HLEN, TcpHdr } from '../wire/headers';

/** A frame a peer sends back: after `delay` ns, from the peer at address `from`. */
export interface PeerFrame {
  delay: number;
  from: string;
  frame: Uint8Array;
}

const NONE: readonly PeerFrame[] = [];

/** The peers on `dev`'s link receive `frame` at time `now`: what they send back. */
export function peersReceive(now: number, net: Net, dev: NetDevice, frame: Uint8Array): readonly PeerFrame[] {
  const peers = net.peers;
  if (!peers.length || frame.length < ETH_HLEN) return NONE;
  const eth = new EthHdr(frame, 0);
  const type = eth.h_proto;
  if (type === ETH_P_ARP) {
    const arp = new ArpHdr(frame, ETH_HLEN);
    if (!arpIsEthernetIpv4(arp, frame.length - ETH_HLEN) || arp.ar_op !== ARPOP_REQUEST) return NONE;
    const tip = arp.ar_tip;
    for (const p of peers) {
      if (p.dev !== dev || p.address !== tip || !hears(eth, p)) continue;
      if (p.spec.silent || now < p.spec.upAt) continue;
      const reply = ethFrame(arp.ar_sha, p, ETH_P_ARP, ARP_LEN);
      emitArp(new ArpHdr(reply, ETH_HLEN), { op: ARPOP_REPLY, sha: p.mac, spa: p.address, tha: arp.ar_sha, tpa: arp.ar_sip });
      return [reply_(p, reply)];
    }
    return NONE;
  }
  if (type !== ETH_P_IP || frame.length < ETH_HLEN + IPV4_MIN_HLEN) return NONE;
  const fiph = new IpHdr(frame, ETH_HLEN);
  const daddr = fiph.daddr;
  let p: PeerHost | undefined;
  for (let i = 0; i < peers.length; i++) {
    const x = peers[i];
    if (x.dev === dev && x.address === daddr && hears(eth, x)) {
      p = x;
      break;
    }
  }
  if (!p || now < p.spec.upAt) return NONE;
  const proto = fiph.protocol;
  // A datagram the peer does not answer (UDP here: it drops it) needs nothing more.
  if (proto !== IPPROTO_ICMP && proto !== IPPROTO_TCP) return NONE;
  let ip = frame.subarray(ETH_HLEN);
  if (fiph.frag_off & (IP_MF | IP_OFFSET)) {
    const whole = reassemble(p, ip);
    if (!whole) return NONE;
    ip = whole;
  }
  const iph = new IpHdr(ip, 0);
  const hlen = iph.ihl * 4;
  const src = eth.h_source;
  if (proto === IPPROTO_ICMP && new IcmpHdr(ip, hlen).type === ICMP_ECHO) {
    // Echo reply: same id, sequence and data; no DF, as a Linux host answers.
    const totLen = iph.tot_len;
    const icmpLen = totLen - hlen;
    const reply = new Uint8Array(IPV4_MIN_HLEN + icmpLen);
    replyHeader(new IpHdr(reply, 0), reply.length, 0, IPPROTO_ICMP, daddr, iph.saddr);
    reply.set(ip.subarray(hlen, totLen), IPV4_MIN_HLEN);
    const icmph = new IcmpHdr(reply, IPV4_MIN_HLEN);
    icmph.type = ICMP_ECHOREPLY;
    icmph.checksum = 0;
    icmph.checksum = icmpChecksum(reply, IPV4_MIN_HLEN, icmpLen);
    p.ipId = (p.ipId + 1) & 0xffff;
    const peer = p;
    return fragmentReply(reply, dev.mtu, p.ipId).map((f) => {
      const out = ethFrame(src, peer, ETH_P_IP, f.length);
      out.set(f, ETH_HLEN);
      return reply_(peer, out);
    });
  }
  const req = proto === IPPROTO_TCP ? new TcpHdr(ip, hlen) : null;
  if (req && req.flags & TCP_SYN) {
    // A SYN to a port nobody listens on: RST|ACK, IP ID 0, DF.
    const out = ethFrame(src, p, ETH_P_IP, IPV4_MIN_HLEN + TCP_HLEN);
    const oiph = new IpHdr(out, ETH_HLEN);
    replyHeader(oiph, IPV4_MIN_HLEN + TCP_HLEN, IP_DF, IPPROTO_TCP, daddr, iph.saddr);
    const th = new TcpHdr(out, ETH_HLEN + IPV4_MIN_HLEN);
    th.source = req.dest;
    th.dest = req.source;
    th.ack_seq = (req.seq + 1) >>> 0;
    th.doff = TCP_HLEN / 4;
    th.flags = TCP_RST | TCP_ACK;
    th.check = tcpChecksum(out, th.off, TCP_HLEN, daddr, iph.saddr);
    ip_send_check(oiph);
    return [reply_(p, out)];
  }
  return NONE;
}

/** A peer takes frames addressed to its MAC, broadcasts and multicasts. */
function hears(eth: EthHdr, p: PeerHost): boolean {
  return eth.isMulticastDest() || eth.destEquals(p.mac);
}

/** A frame of `len` bytes after an Ethernet header from peer `p` to `dest`. */
function ethFrame(dest: Uint8Array, p: PeerHost, proto: number, len: number): Uint8Array {
  const frame = new Uint8Array(ETH_HLEN + len);
  const eth = new EthHdr(frame, 0);
  eth.h_dest = dest;
  eth.h_source = p.mac;
  eth.h_proto = proto;
  return frame;
}

/** The IPv4 header of a peer's reply, without options: TTL 64, ID and checksum left to the caller. */
function replyHeader(iph: IpHdr, totLen: number, fragOff: number, protocol: number, saddr: number, daddr: number): void {
  iph.version = 4;
  iph.ihl = IPV4_MIN_HLEN / 4;
  iph.tot_len = totLen;
  iph.frag_off = fragOff;
  iph.ttl = 64;
  iph.protocol = protocol;
  iph.saddr = saddr;
  iph.daddr = daddr;
}

function reply_(p: PeerHost, frame: Uint8Array): PeerFrame {
  return { delay: p.spec.replyDelay, from: p.spec.address, frame };
}

/**
 * ip_defrag on the peer: fragments gathered by (source, ID, protocol) until the last one and every
 * byte before it have come; then the whole datagram (header of the first fragment, offset 0).
 */
function reassemble(p: PeerHost, frag: Uint8Array): Uint8Array | null {
  const iph = new IpHdr(frag, 0);
  const hlen = iph.ihl * 4;
  const field = iph.frag_off;
  const off = (field & IP_OFFSET) * 8;
  const key = `${iph.saddr}:${iph.id}:${iph.protocol}`;
  let q = p.fragments.get(key);
  if (!q) {
    q = { parts: [], end: -1, header: null };
    p.fragments.set(key, q);
  }
  const data = frag.slice(hlen, iph.tot_len);
  q.parts.push({ off, data });
  if (off === 0) q.header = frag.slice(0, hlen);
  if (!(field & IP_MF)) q.end = off + data.length;
  if (q.end < 0 || !q.header) return null;
  let have = 0;
  for (const part of q.parts) have += part.data.length;
  if (have < q.end) return null;
  p.fragments.delete(key);
  const hl = q.header.length;
  const whole = new Uint8Array(hl + q.end);
  whole.set(q.header, 0);
  for (const part of q.parts) whole.set(part.data, hl + part.off);
  const wh = new IpHdr(whole, 0);
  wh.tot_len = whole.length;
  wh.frag_off = 0;
  return whole;
}

/** ip_fragment on the peer: the reply cut to its link's MTU, same ID, offsets and MF, DF clear. */
function fragmentReply(ip: Uint8Array, mtu: number, id: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const payload = ip.length - IPV4_MIN_HLEN;
  const room = ip.length <= mtu ? payload : (mtu - IPV4_MIN_HLEN) & ~7;
  for (let off = 0; off < payload; off += room) {
    const len = Math.min(room, payload - off);
    const f = new Uint8Array(IPV4_MIN_HLEN + len);
    f.set(ip.subarray(0, IPV4_MIN_HLEN), 0);
    f.set(ip.subarray(IPV4_MIN_HLEN + off, IPV4_MIN_HLEN + off + len), IPV4_MIN_HLEN);
    const iph = new IpHdr(f, 0);
    iph.tot_len = f.length;
    iph.id = id;
    iph.frag_off = (off >> 3) | (off + len < payload ? IP_MF : 0);
    ip_send_check(iph);
    out.push(f);
  }
  return out;
}
