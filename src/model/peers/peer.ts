// The other hosts on a link. Each behaves like an idle Linux host: it answers ARP requests for its
// address (unless silent, or not up yet), echo requests with echo replies, and SYNs to closed
// ports with RST|ACK. It reassembles fragmented datagrams first, and fragments a reply larger
// than its link's MTU, as a Linux host does. The run joins the peers to this host's devices
// (Kernel.farEnd): each frame a device sends reaches them, and their answers come back to the
// device after their reply delay.

import type { NetDevice } from '../net/device';
import type { Net, PeerHost } from '../net/netns';
import { ETH_P_ARP, ETH_P_IP, emitEthernet } from '../wire/ethernet';
import { parseArp, emitArp, ARP_LEN } from '../wire/arp';
import { readU32, writeU16, writeU32 } from '../wire/bytes';
import { ipSendCheck } from '../wire/ipv4';
import { icmpChecksum } from '../wire/icmp';
import { tcpChecksum } from '../wire/tcp';

/** A frame a peer sends back: after `delay` ns, labelled with the peer it comes from. */
export interface PeerFrame {
  delay: number;
  label: string;
  frame: Uint8Array;
}

const NONE: readonly PeerFrame[] = [];

/** The peers on `dev`'s link receive `frame` at time `now`: what they send back. */
export function peersReceive(now: number, net: Net, dev: NetDevice, frame: Uint8Array): readonly PeerFrame[] {
  const peers = net.peers;
  if (!peers.length || frame.length < 14) return NONE;
  const type = (frame[12] << 8) | frame[13];
  if (type === ETH_P_ARP) {
    const arp = parseArp(frame, 14, frame.length - 14);
    if (!arp || arp.op !== 1) return NONE;
    for (const p of peers) {
      if (p.dev !== dev || p.address !== arp.tpa || !hears(frame, p)) continue;
      if (p.spec.silent || now < p.spec.upAt) continue;
      const reply = new Uint8Array(14 + ARP_LEN);
      emitEthernet(reply, 0, { dst: arp.sha, src: p.mac, ethertype: ETH_P_ARP });
      emitArp(reply, 14, { op: 2, sha: p.mac, spa: p.address, tha: arp.sha, tpa: arp.spa });
      return [reply_(p, reply)];
    }
    return NONE;
  }
  if (type !== ETH_P_IP || frame.length < 34) return NONE;
  const daddr = readU32(frame, 14 + 16);
  let p: PeerHost | undefined;
  for (let i = 0; i < peers.length; i++) {
    const x = peers[i];
    if (x.dev === dev && x.address === daddr && hears(frame, x)) {
      p = x;
      break;
    }
  }
  if (!p || now < p.spec.upAt) return NONE;
  const proto = frame[14 + 9];
  // A datagram the peer does not answer (UDP here: it drops it) needs nothing more.
  if (proto !== 1 && proto !== 6) return NONE;
  let ip = frame.subarray(14);
  const src = frame.subarray(6, 12);
  if (((ip[6] << 8) | ip[7]) & 0x3fff) {
    const whole = reassemble(p, ip);
    if (!whole) return NONE;
    ip = whole;
  }
  const hlen = (ip[0] & 0x0f) * 4;
  if (proto === 1 && ip[hlen] === 8) {
    // Echo reply: same id, sequence and data; no DF, as a Linux host answers.
    const totLen = (ip[2] << 8) | ip[3];
    const icmpLen = totLen - hlen;
    const reply = new Uint8Array(20 + icmpLen);
    reply[0] = 0x45;
    writeU16(reply, 2, reply.length);
    reply[8] = 64;
    reply[9] = 1;
    writeU32(reply, 12, daddr);
    writeU32(reply, 16, readU32(ip, 12));
    reply.set(ip.subarray(hlen, totLen), 20);
    reply[20] = 0;
    reply[22] = 0;
    reply[23] = 0;
    const c = icmpChecksum(reply, 20, icmpLen);
    writeU16(reply, 22, c);
    p.ipId = (p.ipId + 1) & 0xffff;
    return fragmentReply(reply, dev.mtu, p.ipId).map((f) => {
      const out = new Uint8Array(14 + f.length);
      emitEthernet(out, 0, { dst: src, src: p.mac, ethertype: ETH_P_IP });
      out.set(f, 14);
      return reply_(p, out);
    });
  }
  if (proto === 6 && ip[hlen + 13] & 0x02) {
    // A SYN to a port nobody listens on: RST|ACK, IP ID 0, DF.
    const out = new Uint8Array(14 + 40);
    emitEthernet(out, 0, { dst: src, src: p.mac, ethertype: ETH_P_IP });
    const o = 14;
    out[o] = 0x45;
    out[o + 3] = 40;
    out[o + 6] = 0x40;
    out[o + 8] = 64;
    out[o + 9] = 6;
    writeU32(out, o + 12, daddr);
    writeU32(out, o + 16, readU32(ip, 12));
    const t = o + 20;
    out[t] = ip[hlen + 2];
    out[t + 1] = ip[hlen + 3];
    out[t + 2] = ip[hlen];
    out[t + 3] = ip[hlen + 1];
    const ack = (readU32(ip, hlen + 4) + 1) >>> 0;
    writeU32(out, t + 8, ack);
    out[t + 12] = 0x50;
    out[t + 13] = 0x14;
    const c = tcpChecksum(out, o, t, 20, daddr, readU32(ip, 12));
    writeU16(out, t + 16, c);
    ipSendCheck(out, o);
    return [reply_(p, out)];
  }
  return NONE;
}

/** A peer takes frames addressed to its MAC, broadcasts and multicasts. */
function hears(frame: Uint8Array, p: PeerHost): boolean {
  if (frame[0] & 1) return true;
  for (let i = 0; i < 6; i++) if (frame[i] !== p.mac[i]) return false;
  return true;
}

function reply_(p: PeerHost, frame: Uint8Array): PeerFrame {
  return { delay: p.spec.replyDelay, label: `frame from ${p.spec.address}`, frame };
}

/**
 * ip_defrag on the peer: fragments gathered by (source, ID, protocol) until the last one and every
 * byte before it have come; then the whole datagram (header of the first fragment, offset 0).
 */
function reassemble(p: PeerHost, frag: Uint8Array): Uint8Array | null {
  const hlen = (frag[0] & 0x0f) * 4;
  const totLen = (frag[2] << 8) | frag[3];
  const field = (frag[6] << 8) | frag[7];
  const off = (field & 0x1fff) * 8;
  const key = `${readU32(frag, 12)}:${(frag[4] << 8) | frag[5]}:${frag[9]}`;
  let q = p.fragments.get(key);
  if (!q) {
    q = { parts: [], end: -1, header: null };
    p.fragments.set(key, q);
  }
  const data = frag.slice(hlen, totLen);
  q.parts.push({ off, data });
  if (off === 0) q.header = frag.slice(0, hlen);
  if (!(field & 0x2000)) q.end = off + data.length;
  if (q.end < 0 || !q.header) return null;
  let have = 0;
  for (const part of q.parts) have += part.data.length;
  if (have < q.end) return null;
  p.fragments.delete(key);
  const hl = q.header.length;
  const whole = new Uint8Array(hl + q.end);
  whole.set(q.header, 0);
  for (const part of q.parts) whole.set(part.data, hl + part.off);
  writeU16(whole, 2, whole.length);
  whole[6] = 0;
  whole[7] = 0;
  return whole;
}

/** ip_fragment on the peer: the reply cut to its link's MTU, same ID, offsets and MF, DF clear. */
function fragmentReply(ip: Uint8Array, mtu: number, id: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const payload = ip.length - 20;
  const room = ip.length <= mtu ? payload : (mtu - 20) & ~7;
  for (let off = 0; off < payload; off += room) {
    const len = Math.min(room, payload - off);
    const f = new Uint8Array(20 + len);
    f.set(ip.subarray(0, 20), 0);
    f.set(ip.subarray(20 + off, 20 + off + len), 20);
    writeU16(f, 2, f.length);
    writeU16(f, 4, id);
    const field = (off >> 3) | (off + len < payload ? 0x2000 : 0);
    writeU16(f, 6, field);
    f[10] = 0;
    f[11] = 0;
    ipSendCheck(f, 0);
    out.push(f);
  }
  return out;
}
