// The other hosts on a link. Each behaves like an idle Linux host: it answers ARP requests for its
// address (unless silent, or not up yet), echo requests with echo replies, and SYNs to closed
// ports with RST|ACK. Its frames come back to this host after its reply delay.

import type { Kernel } from '../engine/kernel';
import type { NetDevice } from './device';
import type { PeerHost } from './netns';
import { netif_receive_skb } from '../kernel/ip_input';
import { ETH_P_ARP, ETH_P_IP, emitEthernet } from '../wire/ethernet';
import { parseArp, emitArp, ARP_LEN } from '../wire/arp';
import { readU32 } from '../wire/bytes';
import { ipSendCheck } from '../wire/ipv4';
import { icmpChecksum } from '../wire/icmp';
import { tcpChecksum } from '../wire/tcp';

export function peersReceive(k: Kernel, dev: NetDevice, frame: Uint8Array): void {
  const peers = k.net.peers;
  if (!peers.length || frame.length < 14) return;
  const type = (frame[12] << 8) | frame[13];
  if (type === ETH_P_ARP) {
    const arp = parseArp(frame, 14, frame.length - 14);
    if (!arp || arp.op !== 1) return;
    for (const p of peers) {
      if (p.dev !== dev || p.address !== arp.tpa || !hears(frame, p)) continue;
      if (p.spec.silent || k.now < p.spec.upAt) continue;
      const reply = new Uint8Array(14 + ARP_LEN);
      emitEthernet(reply, 0, { dst: arp.sha, src: p.mac, ethertype: ETH_P_ARP });
      emitArp(reply, 14, { op: 2, sha: p.mac, spa: p.address, tha: arp.sha, tpa: arp.spa });
      deliver(k, dev, p, reply);
      return;
    }
    return;
  }
  if (type !== ETH_P_IP || frame.length < 34) return;
  const daddr = readU32(frame, 14 + 16);
  let p: PeerHost | undefined;
  for (let i = 0; i < peers.length; i++) {
    const x = peers[i];
    if (x.dev === dev && x.address === daddr && hears(frame, x)) {
      p = x;
      break;
    }
  }
  if (!p || k.now < p.spec.upAt) return;
  if (((frame[14 + 6] << 8) | frame[14 + 7]) & 0x3fff) return; // fragments: reassembly and fragmented replies are not modeled
  const proto = frame[14 + 9];
  // A datagram the peer does not answer (UDP here: it drops it) needs nothing more.
  if (proto !== 1 && proto !== 6) return;
  const ip = frame.subarray(14);
  const hlen = (ip[0] & 0x0f) * 4;
  const src = frame.subarray(6, 12);
  if (proto === 1 && ip[hlen] === 8) {
    // Echo reply: same id, sequence and data; no DF, as a Linux host answers.
    const totLen = (ip[2] << 8) | ip[3];
    const out = new Uint8Array(14 + totLen);
    emitEthernet(out, 0, { dst: src, src: p.mac, ethertype: ETH_P_IP });
    out.set(ip.subarray(0, totLen), 14);
    const o = 14;
    out[o] = 0x45;
    writeAddr(out, o + 12, daddr);
    writeAddr(out, o + 16, readU32(ip, 12));
    out.copyWithin(o + 20, 14 + hlen, 14 + totLen);
    const icmpLen = totLen - hlen;
    const newTot = 20 + icmpLen;
    const reply = out.subarray(0, 14 + newTot);
    reply[o + 2] = newTot >> 8;
    reply[o + 3] = newTot & 0xff;
    reply[o + 6] = 0;
    reply[o + 7] = 0;
    reply[o + 8] = 64;
    reply[o + 20] = 0;
    reply[o + 22] = 0;
    reply[o + 23] = 0;
    const c = icmpChecksum(reply, o + 20, icmpLen);
    reply[o + 22] = c >> 8;
    reply[o + 23] = c & 0xff;
    ipSendCheck(reply, o);
    deliver(k, dev, p, reply.slice());
  } else if (proto === 6 && ip[hlen + 13] & 0x02) {
    // A SYN to a port nobody listens on: RST|ACK, IP ID 0, DF.
    const out = new Uint8Array(14 + 40);
    emitEthernet(out, 0, { dst: src, src: p.mac, ethertype: ETH_P_IP });
    const o = 14;
    out[o] = 0x45;
    out[o + 3] = 40;
    out[o + 6] = 0x40;
    out[o + 8] = 64;
    out[o + 9] = 6;
    writeAddr(out, o + 12, daddr);
    writeAddr(out, o + 16, readU32(ip, 12));
    const t = o + 20;
    out[t] = ip[hlen + 2];
    out[t + 1] = ip[hlen + 3];
    out[t + 2] = ip[hlen];
    out[t + 3] = ip[hlen + 1];
    const ack = (readU32(ip, hlen + 4) + 1) >>> 0;
    writeAddr(out, t + 8, ack);
    out[t + 12] = 0x50;
    out[t + 13] = 0x14;
    const c = tcpChecksum(out, o, t, 20, daddr, readU32(ip, 12));
    out[t + 16] = c >> 8;
    out[t + 17] = c & 0xff;
    ipSendCheck(out, o);
    deliver(k, dev, p, out);
  }
}

/** A peer takes frames addressed to its MAC, broadcasts and multicasts. */
function hears(frame: Uint8Array, p: PeerHost): boolean {
  if (frame[0] & 1) return true;
  for (let i = 0; i < 6; i++) if (frame[i] !== p.mac[i]) return false;
  return true;
}

function deliver(k: Kernel, dev: NetDevice, p: PeerHost, frame: Uint8Array): void {
  k.later(k.now + p.spec.replyDelay, `frame from ${p.spec.address}`, () => {
    k.emitFrame(dev.name, 'rx', frame, 0);
    netif_receive_skb(k, dev, frame);
  });
}

function writeAddr(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}
