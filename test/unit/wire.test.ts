import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARP_LEN,
  ArpHdr,
  arpIsEthernetIpv4,
  BROADCAST_MAC,
  ETH_HLEN,
  ETH_P_ARP,
  ETH_P_IP,
  EthHdr,
  ICMP_DEST_UNREACH,
  ICMP_ECHOREPLY,
  ICMP_FRAG_NEEDED,
  ICMP_HOST_UNREACH,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IP_DF,
  IcmpHdr,
  IpHdr,
  TCP_ACK,
  TCP_AE,
  TCP_RST,
  TCP_SYN,
  TcpHdr,
  UdpHdr,
  ZERO_MAC,
  buildIpOptions,
  buildSynOptions,
  checksum,
  csumReplace2,
  csumReplace4,
  decodeFrame,
  emitArp,
  fold,
  formatIpv4,
  formatMac,
  icmpChecksum,
  inSubnet,
  ipOptionsFragment,
  ip_fast_csum,
  ip_send_check,
  isMulticast,
  multicastMac,
  parseArp,
  parseEthernet,
  parseIcmp,
  parseIpv4,
  parseIpv4Header,
  parseMac,
  parseTcp,
  parseTcpOptions,
  parseUdp,
  prefixMask,
  pseudoHeaderSum,
  recordRoute,
  sum16,
  summarize,
  tcpChecksum,
  verify,
  type IcmpRepr,
  type Ipv4Repr,
  type TcpRepr,
  type UdpRepr,
} from '../../src/model/wire';
import { SkBuff, arp_hdr, icmp_hdr, ip_hdr, tcp_hdr, udp_hdr } from '../../src/model/net/skbuff';
import {
  IP_A,
  IP_B,
  MAC_A,
  MAC_B,
  arpReply,
  arpRequest,
  ethFrame,
  icmpEcho,
  pattern,
  put,
  tcpSyn,
  udpChecksum,
  udpFragments,
  udpFrame,
} from '../helpers/frames';

/** Deterministic generator (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

function fromHex(s: string): Uint8Array {
  return new Uint8Array(s.trim().split(/\s+/).map((x) => parseInt(x, 16)));
}

// ---- addresses ----

test('parseIpv4 accepts strict dotted quads only', () => {
  assert.equal(parseIpv4('192.0.2.1'), 0xc0000201);
  assert.equal(parseIpv4('0.0.0.0'), 0);
  assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  assert.equal(parseIpv4('10.0.0.1'), 0x0a000001);
  for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '010.0.0.1', '1.2.3.04', ' 1.2.3.4', '1.2.3.4 ', '1..3.4', '+1.2.3.4', '1.2.3.-4', '1.2.3.a', '0x1.2.3.4', '1.2.3.1000']) {
    assert.equal(parseIpv4(bad), undefined, bad);
  }
});

test('formatIpv4 is the inverse of parseIpv4', () => {
  const r = rng(1);
  for (let i = 0; i < 1000; i++) {
    const a = Math.floor(r() * 2 ** 32) >>> 0;
    assert.equal(parseIpv4(formatIpv4(a)), a);
  }
  assert.equal(formatIpv4(0xc0000201), '192.0.2.1');
});

test('MAC addresses parse case-insensitively and format in lower case', () => {
  assert.deepEqual(parseMac('A6:31:3b:42:88:C9'), MAC_A);
  assert.equal(formatMac(MAC_A), 'a6:31:3b:42:88:c9');
  assert.equal(formatMac(new Uint8Array([0, 0, 1, 2, 3, 4, 5, 6]), 2), '01:02:03:04:05:06');
  for (const bad of ['a6:31:3b:42:88', 'a6:31:3b:42:88:c9:00', 'a6-31-3b-42-88-c9', 'a6:31:3b:42:88:c', 'g6:31:3b:42:88:c9', 'a6:31:3b:42:8:8c9', '']) {
    assert.equal(parseMac(bad), undefined, bad);
  }
  assert.equal(formatMac(BROADCAST_MAC), 'ff:ff:ff:ff:ff:ff');
  assert.equal(formatMac(ZERO_MAC), '00:00:00:00:00:00');
});

test('prefix masks and subnets', () => {
  assert.equal(prefixMask(0), 0);
  assert.equal(prefixMask(8), 0xff000000);
  assert.equal(prefixMask(24), 0xffffff00);
  assert.equal(prefixMask(31), 0xfffffffe);
  assert.equal(prefixMask(32), 0xffffffff);
  assert.ok(inSubnet(parseIpv4('10.1.2.3')!, parseIpv4('10.1.0.0')!, 16));
  assert.ok(!inSubnet(parseIpv4('10.2.2.3')!, parseIpv4('10.1.0.0')!, 16));
  assert.ok(inSubnet(parseIpv4('203.0.113.9')!, 0, 0));
  assert.ok(inSubnet(parseIpv4('192.0.2.1')!, parseIpv4('192.0.2.1')!, 32));
  assert.ok(!inSubnet(parseIpv4('192.0.2.2')!, parseIpv4('192.0.2.1')!, 32));
  assert.ok(isMulticast(parseIpv4('224.0.0.1')!));
  assert.ok(isMulticast(parseIpv4('239.255.255.255')!));
  assert.ok(!isMulticast(parseIpv4('240.0.0.1')!));
  assert.ok(!isMulticast(parseIpv4('223.255.255.255')!));
});

test('multicastMac maps the low 23 bits of the group', () => {
  const cases: [string, string][] = [
    ['239.1.2.3', '01:00:5e:01:02:03'],
    ['239.255.255.250', '01:00:5e:7f:ff:fa'],
    ['224.0.0.251', '01:00:5e:00:00:fb'],
    ['224.129.2.3', '01:00:5e:01:02:03'],
  ];
  for (const [g, m] of cases) assert.equal(formatMac(multicastMac(parseIpv4(g)!)), m, g);
});

// ---- checksums ----

test('sum16 pads an odd trailing byte and fold/checksum/verify agree', () => {
  const b = new Uint8Array([0x12, 0x34, 0x56]);
  assert.equal(sum16(b, 0, 3), 0x1234 + 0x5600);
  assert.equal(fold(0x1ffff), 0x0001); // 0xffff + 1 carries around to 1
  assert.equal(fold(2 ** 40 + 5), 256 + 5); // 2^16 = 1 in one's complement, so 2^40 = 2^8
  assert.equal(fold(0x2fffd), 0xffff);
  // RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
  const ex = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
  assert.equal(fold(sum16(ex, 0, 8)), 0xddf2);
  assert.equal(checksum(ex, 0, 8), ~0xddf2 & 0xffff);
  const withCheck = new Uint8Array(10);
  withCheck.set(ex);
  withCheck[8] = checksum(ex, 0, 8) >> 8;
  withCheck[9] = checksum(ex, 0, 8) & 0xff;
  assert.ok(verify(withCheck, 0, 10));
  withCheck[3] ^= 1;
  assert.ok(!verify(withCheck, 0, 10));
});

// ---- header views ----

// The parsed forms written back through the views (the other half of a round trip).

function writeIpv4(buf: Uint8Array, off: number, r: Ipv4Repr): IpHdr {
  const iph = put(new IpHdr(buf, off), {
    version: 4, ihl: r.ihl, tos: r.tos, tot_len: r.totLen, id: r.id, frag_off: r.fragOff,
    ttl: r.ttl, protocol: r.protocol, check: r.check, saddr: r.src, daddr: r.dst,
  });
  iph.options.fill(0).set(r.options);
  return iph;
}

function writeUdp(buf: Uint8Array, off: number, r: UdpRepr): void {
  put(new UdpHdr(buf, off), { source: r.sport, dest: r.dport, len: r.len, check: r.check });
}

function writeIcmp(buf: Uint8Array, off: number, r: IcmpRepr): void {
  put(new IcmpHdr(buf, off), { type: r.type, code: r.code, checksum: r.check, gateway: r.rest });
}

function writeTcp(buf: Uint8Array, off: number, r: TcpRepr): void {
  const th = put(new TcpHdr(buf, off), {
    source: r.sport, dest: r.dport, seq: r.seq, ack_seq: r.ack, doff: r.dataOff, flags: r.flags,
    window: r.window, check: r.check, urg_ptr: r.urg,
  });
  th.options.fill(0).set(r.options);
}

test('the IPv4 view writes each iphdr field at its place, in network order', () => {
  const b = new Uint8Array(40).fill(0xee);
  const iph = put(new IpHdr(b, 2), {
    version: 4, ihl: 5, tos: 0xb8, tot_len: 0x0102, id: 0x0304, frag_off: IP_DF | 0x0005,
    ttl: 64, protocol: IPPROTO_UDP, check: 0xabcd, saddr: 0xc0000201, daddr: 0xc6336407,
  });
  assert.equal(hex(b.subarray(2, 22)), '45 b8 01 02 03 04 40 05 40 11 ab cd c0 00 02 01 c6 33 64 07');
  assert.equal(b[0], 0xee, 'nothing written before the header');
  assert.deepEqual(
    [iph.version, iph.ihl, iph.tos, iph.tot_len, iph.id, iph.frag_off, iph.ttl, iph.protocol, iph.check, iph.saddr, iph.daddr],
    [4, 5, 0xb8, 0x0102, 0x0304, 0x4005, 64, 17, 0xabcd, 0xc0000201, 0xc6336407],
  );
  // version and ihl share a byte: each keeps the other.
  iph.ihl = 8;
  assert.equal(iph.version, 4);
  iph.version = 6;
  assert.equal(iph.ihl, 8);
  assert.equal(iph.options.length, 12);
  assert.equal(iph.options.byteOffset, b.byteOffset + 22, 'options are a view of the header');
});

test('the UDP, ICMP and TCP views write each field at its place', () => {
  const u = new Uint8Array(8);
  put(new UdpHdr(u, 0), { source: 40000, dest: 9000, len: 108, check: 0x1234 });
  assert.equal(hex(u), '9c 40 23 28 00 6c 12 34');

  const i = new Uint8Array(8);
  const icmph = put(new IcmpHdr(i, 0), { type: 8, code: 0, checksum: 0xf00d, echo_id: 0x0102, echo_sequence: 0x0304 });
  assert.equal(hex(i), '08 00 f0 0d 01 02 03 04');
  assert.equal(icmph.gateway, 0x01020304, 'un.gateway is the whole union');
  icmph.frag_mtu = 1400;
  assert.equal(icmph.echo_sequence, 1400, 'un.frag.mtu is the union\'s low half');
  assert.equal(icmph.echo_id, 0x0102);

  const t = new Uint8Array(24);
  const th = put(new TcpHdr(t, 0), {
    source: 40000, dest: 80, seq: 0x01020304, ack_seq: 0x05060708, doff: 6,
    flags: TCP_SYN | TCP_ACK | TCP_AE, window: 64240, check: 0xbeef, urg_ptr: 7,
  });
  assert.equal(hex(t.subarray(0, 20)), '9c 40 00 50 01 02 03 04 05 06 07 08 61 12 fa f0 be ef 00 07');
  assert.equal(th.flags, TCP_SYN | TCP_ACK | TCP_AE);
  th.doff = 5;
  assert.equal(th.flags & TCP_AE, TCP_AE, 'doff keeps the AE bit');
  th.flags = TCP_RST;
  assert.equal(th.doff, 5, 'flags keep doff');
  assert.equal(th.options.length, 0);
});

test('the Ethernet and ARP views, and their address predicates', () => {
  const f = ethFrame(BROADCAST_MAC, MAC_A, ETH_P_ARP, ARP_LEN);
  const eth = new EthHdr(f, 0);
  assert.equal(formatMac(eth.h_dest), 'ff:ff:ff:ff:ff:ff');
  assert.equal(formatMac(eth.h_source), formatMac(MAC_A));
  assert.equal(eth.h_proto, ETH_P_ARP);
  assert.ok(eth.isBroadcastDest() && eth.isMulticastDest());
  eth.h_dest = multicastMac(parseIpv4('239.1.2.3')!);
  assert.ok(!eth.isBroadcastDest() && eth.isMulticastDest());
  eth.h_dest = MAC_B;
  assert.ok(!eth.isBroadcastDest() && !eth.isMulticastDest());
  assert.ok(eth.destEquals(MAC_B) && !eth.destEquals(MAC_A));

  const arp = new ArpHdr(f, ETH_HLEN);
  emitArp(arp, { op: 2, sha: MAC_A, spa: IP_A, tha: MAC_B, tpa: IP_B });
  assert.deepEqual([arp.ar_hrd, arp.ar_pro, arp.ar_hln, arp.ar_pln, arp.ar_op], [1, ETH_P_IP, 6, 4, 2]);
  assert.equal(formatMac(arp.ar_sha), formatMac(MAC_A));
  assert.equal(formatMac(arp.ar_tha), formatMac(MAC_B));
  assert.deepEqual([arp.ar_sip, arp.ar_tip], [IP_A, IP_B]);
  assert.ok(arpIsEthernetIpv4(arp, ARP_LEN));
  assert.ok(!arpIsEthernetIpv4(arp, ARP_LEN - 1), 'too short');
  assert.ok(!arpIsEthernetIpv4(new ArpHdr(f.subarray(0, ETH_HLEN + ARP_LEN - 1), ETH_HLEN), ARP_LEN), 'past the buffer');
  arp.ar_pln = 16;
  assert.ok(!arpIsEthernetIpv4(arp, ARP_LEN), 'not IPv4');
});

test("skb header accessors view the bytes at the skb's header offsets", () => {
  const f = udpFrame(IP_A, IP_B, 40000, 9000, pattern(4));
  const skb = new SkBuff(1, 0, f, 0, f.length, 0);
  skb.network_header = ETH_HLEN;
  skb.transport_header = ETH_HLEN + 20;
  assert.equal(ip_hdr(skb).daddr, IP_B);
  assert.equal(udp_hdr(skb).dest, 9000);
  assert.equal(tcp_hdr(skb).dest, 9000, 'TCP and UDP ports share their place');
  assert.equal(icmp_hdr(skb).type, 40000 >> 8);
  assert.equal(arp_hdr(skb).ar_hrd, 0x4500);
  ip_hdr(skb).ttl = 1;
  assert.equal(f[ETH_HLEN + 8], 1, 'writes go to the packet');
});

// ---- checksums of headers ----

test('ip_fast_csum equals the generic checksum over ihl words, options and short buffers included', () => {
  const r = rng(11);
  for (let i = 0; i < 3000; i++) {
    const ihl = 5 + (i % 11);
    const off = i % 7;
    const n = off + (i % 13 === 0 ? Math.floor(r() * ihl * 4) : ihl * 4);
    const b = new Uint8Array(n);
    for (let j = 0; j < n; j++) b[j] = i % 5 === 0 ? 0xff : Math.floor(r() * 256);
    assert.equal(ip_fast_csum(b, off, ihl), checksum(b, off, ihl * 4), `ihl ${ihl} off ${off} len ${n}`);
  }
});

test('IPv4 header checksum: known fragment vectors', () => {
  const vectors: [number, number, number][] = [
    [1500, 0x2000, 0x48ac],
    [1500, 0x20b9, 0x47f3],
    [68, 0x0172, 0x6cd2],
  ];
  for (const [totLen, fragOff, want] of vectors) {
    const b = new Uint8Array(20);
    const iph = writeIpv4(b, 0, { ihl: 5, tos: 0, totLen, id: 0xf862, fragOff, ttl: 64, protocol: IPPROTO_UDP, check: 0xbeef, src: IP_A, dst: IP_B, options: new Uint8Array(0) });
    ip_send_check(iph);
    assert.equal(iph.check, want, `tot_len ${totLen} frag_off 0x${fragOff.toString(16)}`);
    assert.ok(verify(b, 0, 20));
  }
});

test('incremental checksum update equals full recompute (SNAT 10.1.0.1 -> 10.2.0.254)', () => {
  const from = parseIpv4('10.1.0.1')!;
  const to = parseIpv4('10.2.0.254')!;
  const dst = parseIpv4('198.51.100.7')!;
  const f = udpFrame(from, dst, 40000, 9000, pattern(100));
  const iph = new IpHdr(f, ETH_HLEN);
  const uh = new UdpHdr(f, ETH_HLEN + 20);

  iph.saddr = to;
  iph.check = csumReplace4(iph.check, from, to);
  // The UDP checksum covers the source address through the pseudo-header.
  uh.check = csumReplace4(uh.check, from, to);

  const incIp = iph.check;
  const incUdp = uh.check;
  ip_send_check(iph);
  uh.check = 0;
  assert.equal(incIp, iph.check);
  assert.equal(incUdp, udpChecksum(f, uh.off, 108, to, dst));
  uh.check = incUdp;
  assert.equal(iph.saddr, to);
  assert.ok(verify(f, ETH_HLEN, 20));
  assert.deepEqual(decodeFrame(f).problems, []);
});

test('incremental checksum update keeps headers valid (random addresses, TTL and words)', () => {
  const r = rng(7);
  for (let i = 0; i < 2000; i++) {
    const b = new Uint8Array(20);
    for (let j = 0; j < 20; j++) b[j] = Math.floor(r() * 256);
    b[0] = 0x45;
    const iph = new IpHdr(b, 0);
    ip_send_check(iph);
    const from = iph.saddr;
    const to = Math.floor(r() * 2 ** 32) >>> 0;
    iph.saddr = to;
    iph.check = csumReplace4(iph.check, from, to);
    assert.ok(verify(b, 0, 20), `address rewrite ${i}`);
    // TTL decrement: the 16-bit word holding TTL and protocol changes.
    const oldWord = (iph.ttl << 8) | iph.protocol;
    iph.ttl = (iph.ttl - 1) & 0xff;
    iph.check = csumReplace2(iph.check, oldWord, (iph.ttl << 8) | iph.protocol);
    assert.ok(verify(b, 0, 20), `ttl rewrite ${i}`);
    // The same change counted on the changed byte alone gives the same checksum.
    const check = iph.check;
    const before = iph.ttl;
    iph.ttl = (before - 1) & 0xff;
    const byWord = csumReplace2(check, (before << 8) | iph.protocol, (iph.ttl << 8) | iph.protocol);
    assert.equal(csumReplace2(check, before << 8, iph.ttl << 8), byWord, `ttl byte ${i}`);
    const tos = iph.tos;
    const vihl = b[0] << 8;
    assert.equal(csumReplace2(check, tos, (tos + 4) & 0xff), csumReplace2(check, vihl | tos, vihl | ((tos + 4) & 0xff)), `tos byte ${i}`);
  }
});

test('pseudo-header sum of UDP matches the checksum a datagram verifies with', () => {
  const f = udpFrame(IP_A, IP_B, 1, 2, pattern(33));
  const l4 = ETH_HLEN + 20;
  assert.ok(verify(f, l4, 41, pseudoHeaderSum(IP_A, IP_B, IPPROTO_UDP, 41)));
  const uh = new UdpHdr(f, l4);
  const stored = uh.check;
  uh.check = 0;
  assert.equal(checksum(f, l4, 41, pseudoHeaderSum(IP_A, IP_B, IPPROTO_UDP, 41)), stored);
});

test('tcpChecksum and icmpChecksum skip the stored field', () => {
  const s = tcpSyn(IP_A, IP_B, 40000, 80, 5);
  const th = new TcpHdr(s, ETH_HLEN + 20);
  const want = th.check;
  th.check = 0x5a5a;
  assert.equal(tcpChecksum(s, th.off, 40, IP_A, IP_B), want);
  th.check = 0;
  assert.equal(checksum(s, th.off, 40, pseudoHeaderSum(IP_A, IP_B, IPPROTO_TCP, 40)), want);
  const e = icmpEcho(IP_A, IP_B, 1, 1, pattern(56));
  const icmph = new IcmpHdr(e, ETH_HLEN + 20);
  assert.ok(verify(e, icmph.off, 64));
  const stored = icmph.checksum;
  icmph.checksum = 0x1234;
  assert.equal(icmpChecksum(e, icmph.off, 64), stored, 'the field is not summed');
});

// ---- Ethernet and ARP ----

test('ARP request bytes are exact', () => {
  const f = arpRequest(MAC_A, IP_A, IP_B);
  assert.equal(
    hex(f),
    hex(fromHex('ff ff ff ff ff ff a6 31 3b 42 88 c9 08 06 00 01 08 00 06 04 00 01 a6 31 3b 42 88 c9 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02')),
  );
  assert.equal(f.length, 42);
});

test('Ethernet and ARP round trip', () => {
  const buf = new Uint8Array(50);
  const eth = new EthHdr(buf, 3);
  eth.h_dest = MAC_B;
  eth.h_source = MAC_A;
  eth.h_proto = 0x0806;
  assert.deepEqual(parseEthernet(buf, 3, 14), { dst: MAC_B, src: MAC_A, ethertype: 0x0806 });
  const arp = { op: 2, sha: MAC_A, spa: 0xc0000201, tha: MAC_B, tpa: 0xc0000202 };
  emitArp(new ArpHdr(buf, 17), arp);
  assert.deepEqual(parseArp(buf, 17, ARP_LEN), arp);
  assert.equal(parseEthernet(buf, 3, 13), undefined);
  assert.equal(parseArp(buf, 17, ARP_LEN - 1), undefined);
  const bad = buf.slice();
  bad[17 + 5] = 6; // plen
  assert.equal(parseArp(bad, 17, ARP_LEN), undefined);
});

// ---- IPv4 ----

function randomIpv4(r: () => number, withOptions: boolean): Ipv4Repr {
  const options = withOptions ? buildIpOptions(['ra', 'rr']) : new Uint8Array(0);
  const ihl = 5 + options.length / 4;
  return {
    ihl,
    tos: Math.floor(r() * 256),
    totLen: ihl * 4 + Math.floor(r() * 2000),
    id: Math.floor(r() * 65536),
    fragOff: Math.floor(r() * 65536),
    ttl: Math.floor(r() * 256),
    protocol: Math.floor(r() * 256),
    check: Math.floor(r() * 65536),
    src: Math.floor(r() * 2 ** 32) >>> 0,
    dst: Math.floor(r() * 2 ** 32) >>> 0,
    options,
  };
}

test('IPv4 header round trip, with and without options', () => {
  const r = rng(3);
  for (let i = 0; i < 200; i++) {
    const repr = randomIpv4(r, i % 2 === 1);
    const buf = new Uint8Array(80);
    writeIpv4(buf, 5, repr);
    assert.deepEqual(parseIpv4Header(buf, 5, repr.ihl * 4), repr);
  }
});

test('IPv4 parse validates version, IHL, length and total length', () => {
  const repr = randomIpv4(rng(4), true);
  const buf = new Uint8Array(repr.ihl * 4);
  writeIpv4(buf, 0, repr);
  for (let n = 0; n < buf.length; n++) assert.equal(parseIpv4Header(buf, 0, n), undefined, `prefix ${n}`);
  assert.equal(parseIpv4Header(buf.subarray(0, 20), 0, 32), undefined, 'len beyond buffer');
  const v6 = buf.slice();
  v6[0] = 0x65;
  assert.equal(parseIpv4Header(v6, 0, v6.length), undefined);
  const ihl4 = buf.slice();
  ihl4[0] = 0x44;
  assert.equal(parseIpv4Header(ihl4, 0, ihl4.length), undefined);
  const short = buf.slice();
  short[2] = 0;
  short[3] = 20; // tot_len below the 32-byte header
  assert.equal(parseIpv4Header(short, 0, short.length), undefined);
});

test('IP options: RA + RR, and what later fragments carry', () => {
  const o = buildIpOptions(['ra', 'rr']);
  assert.equal(o.length, 12);
  assert.equal(hex(o), '94 04 00 00 07 07 04 00 00 00 00 00');
  const rr = buildIpOptions(['rr']);
  assert.equal(hex(rr), '07 07 04 00 00 00 00 00');
  assert.equal(buildIpOptions([]).length, 0);
  const frag = ipOptionsFragment(o);
  assert.equal(hex(frag), '94 04 00 00 01 01 01 01 01 01 01 00');
  assert.equal(hex(o), '94 04 00 00 07 07 04 00 00 00 00 00', 'input untouched');
  assert.equal(hex(ipOptionsFragment(rr)), '01 01 01 01 01 01 01 00');
  // A malformed length stops the walk: what follows stays as it was.
  assert.equal(hex(ipOptionsFragment(new Uint8Array([0x07, 0x03, 0x04, 0x07, 0x01, 0x00]))), '01 01 01 07 01 00');
  assert.equal(hex(ipOptionsFragment(new Uint8Array([0x44, 0x04, 0x05, 0x00, 0x07]))), '01 01 01 01 07');
  assert.throws(() => buildIpOptions(['rr', 'rr', 'rr', 'rr', 'rr', 'rr']), RangeError);
});

test('recordRoute fills the first free slot once', () => {
  const o = buildIpOptions(['ra', 'rr']);
  const pkt = new Uint8Array(32);
  const iph = writeIpv4(pkt, 0, { ihl: 8, tos: 0, totLen: 32, id: 1, fragOff: 0, ttl: 1, protocol: 17, check: 0, src: IP_A, dst: IP_B, options: o });
  recordRoute(iph.options, 0xc0000201);
  assert.equal(hex(pkt.subarray(20, 32)), '94 04 00 00 07 07 08 c0 00 02 01 00');
  recordRoute(iph.options, 0x01020304); // full: unchanged
  assert.equal(hex(pkt.subarray(20, 32)), '94 04 00 00 07 07 08 c0 00 02 01 00');
  const none = buildIpOptions(['ra']);
  recordRoute(none, 1);
  assert.equal(hex(none), '94 04 00 00');
  const short = new Uint8Array([0x01, 0x07, 0x02, 0x00]);
  recordRoute(short, 1);
  assert.equal(hex(short), '01 07 02 00', 'an RR option too short for a pointer is left alone');
});

// ---- UDP, ICMP, TCP ----

test('UDP round trip and truncation', () => {
  const buf = new Uint8Array(12);
  const u = { sport: 40000, dport: 9000, len: 108, check: 0xabcd };
  writeUdp(buf, 2, u);
  assert.deepEqual(parseUdp(buf, 2, 8), u);
  for (let n = 0; n < 8; n++) assert.equal(parseUdp(buf, 2, n), undefined);
  writeUdp(buf, 2, { ...u, len: 7 });
  assert.equal(parseUdp(buf, 2, 8), undefined);
});

test('a UDP datagram whose sum is zero carries 0xffff and verifies', () => {
  // Find a payload whose checksum computes to zero by adjusting two bytes.
  const f = udpFrame(IP_A, IP_B, 1000, 2000, new Uint8Array(2));
  const l4 = ETH_HLEN + 20;
  const uh = new UdpHdr(f, l4);
  assert.notEqual(uh.check, 0);
  uh.check = 0;
  const sumWithout = fold(pseudoHeaderSum(IP_A, IP_B, IPPROTO_UDP, 10) + sum16(f, l4, 10));
  const word = ~sumWithout & 0xffff; // sum + word = 0xffff -> checksum 0
  f[l4 + 8] = word >> 8;
  f[l4 + 9] = word & 0xff;
  assert.equal(checksum(f, l4, 10, pseudoHeaderSum(IP_A, IP_B, IPPROTO_UDP, 10)), 0);
  uh.check = 0xffff;
  ip_send_check(new IpHdr(f, ETH_HLEN));
  const d = decodeFrame(f);
  assert.equal(d.udp?.checkOk, true);
});

test('ICMP round trip and checksum', () => {
  const buf = new Uint8Array(8);
  const ic = { type: ICMP_DEST_UNREACH, code: ICMP_FRAG_NEEDED, check: 0x1234, rest: 1400 };
  writeIcmp(buf, 0, ic);
  assert.deepEqual(parseIcmp(buf, 0, 8), ic);
  assert.equal(new IcmpHdr(buf, 0).frag_mtu, 1400);
  assert.equal(parseIcmp(buf, 0, 7), undefined);
  const f = icmpEcho(IP_A, IP_B, 1, 1, pattern(56));
  assert.ok(verify(f, ETH_HLEN + 20, 64));
  assert.equal(icmpChecksum(f, ETH_HLEN + 20, 64), (f[ETH_HLEN + 22] << 8) | f[ETH_HLEN + 23]);
});

test('TCP round trip, SYN options bytes and option listing', () => {
  const opts = buildSynOptions(1460, 0x01020304, 0x0a0b0c0d, 10);
  assert.equal(hex(opts), '02 04 05 b4 04 02 08 0a 01 02 03 04 0a 0b 0c 0d 01 03 03 0a');
  const t: TcpRepr = {
    sport: 40000,
    dport: 80,
    seq: 0xfedcba98,
    ack: 0x12345678,
    dataOff: 10,
    flags: TCP_SYN | TCP_ACK | 0x100,
    window: 64240,
    check: 0x5555,
    urg: 7,
    options: opts,
  };
  const buf = new Uint8Array(44);
  writeTcp(buf, 4, t);
  assert.deepEqual(parseTcp(buf, 4, 40), t);
  for (let n = 0; n < 40; n++) assert.equal(parseTcp(buf, 4, n), undefined, `prefix ${n}`);
  assert.deepEqual(parseTcpOptions(opts), [
    { kind: 'mss', value: 1460 },
    { kind: 'sackOK' },
    { kind: 'ts', value: { val: 0x01020304, ecr: 0x0a0b0c0d } },
    { kind: 'nop' },
    { kind: 'wscale', value: 10 },
  ]);
  assert.deepEqual(parseTcpOptions(new Uint8Array([2, 4, 5])), [{ kind: 'malformed', value: { type: 2, at: 0 } }]);
  assert.deepEqual(parseTcpOptions(new Uint8Array([1, 0, 2, 4])), [{ kind: 'nop' }]);
});

// ---- decoding ----

test('decodeFrame and summarize: ARP', () => {
  const req = decodeFrame(arpRequest(MAC_A, parseIpv4('192.0.2.1')!, parseIpv4('192.0.2.2')!));
  assert.deepEqual(req.arp, { op: 1, sha: 'a6:31:3b:42:88:c9', spa: '192.0.2.1', tha: '00:00:00:00:00:00', tpa: '192.0.2.2' });
  assert.deepEqual(summarize(req), { src: 'a6:31:3b:42:88:c9', dst: 'Broadcast', protocol: 'ARP', info: 'Who has 192.0.2.2? Tell 192.0.2.1' });
  const rep = decodeFrame(arpReply(MAC_B, parseIpv4('192.0.2.2')!, MAC_A, parseIpv4('192.0.2.1')!));
  assert.equal(summarize(rep).info, '192.0.2.2 is at 02:00:00:00:00:02');
  assert.deepEqual(rep.problems, []);
});

test('decodeFrame and summarize: UDP, fragments, ICMP, TCP', () => {
  const u = decodeFrame(udpFrame(IP_A, IP_B, 40000, 9000, pattern(100), { id: 0x1234, fragOff: IP_DF }));
  assert.deepEqual(u.problems, []);
  assert.equal(u.ip?.df, true);
  assert.equal(u.ip?.checkOk, true);
  assert.deepEqual(u.udp, { sport: 40000, dport: 9000, len: 108, check: u.udp?.check, checkOk: true });
  assert.equal(u.payloadLen, 100);
  assert.deepEqual(summarize(u), { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'UDP', info: '40000 → 9000 Len=100' });

  const frags = udpFragments(IP_A, IP_B, 40000, 9000, pattern(3000), 1480, 0xf862).map(decodeFrame);
  assert.deepEqual(frags.map((d) => d.ip?.check), [0x48ac, 0x47f3, 0x6cd2]);
  assert.deepEqual(frags.map((d) => d.problems), [[], [], []]);
  assert.equal(frags[0].udp?.checkOk, undefined, 'no verdict on a first fragment');
  assert.equal(frags[0].udp?.len, 3008);
  assert.equal(frags[1].udp, undefined);
  assert.deepEqual(frags.map((d) => d.payloadLen), [1472, 1480, 48]);
  assert.equal(summarize(frags[1]).info, 'Fragmented IP protocol (proto=UDP 17, off=1480, ID=f862)');
  assert.equal(summarize(frags[0]).protocol, 'IPv4');

  const e = decodeFrame(icmpEcho(IP_A, IP_B, 1, 1, pattern(56)));
  assert.deepEqual(e.icmp, { type: 8, code: 0, check: e.icmp?.check, checkOk: true, id: 1, seq: 1 });
  assert.equal(summarize(e).info, 'Echo (ping) request id=0x0001, seq=1');

  const s = decodeFrame(tcpSyn(IP_A, IP_B, 40000, 80, 0));
  assert.deepEqual(s.problems, []);
  assert.equal(s.tcp?.flags, 'SYN');
  assert.equal(s.tcp?.checkOk, true);
  assert.deepEqual(s.tcp?.options, ['mss 1460', 'sackOK', 'TS val 1 ecr 0', 'nop', 'wscale 10']);
  assert.equal(summarize(s).info, '40000 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=1024');
});

test('decodeFrame: ICMP errors, TCP flags and bad checksums', () => {
  const f = icmpEcho(IP_A, IP_B, 1, 1, pattern(28));
  const l4 = ETH_HLEN + 20;
  writeIcmp(f, l4, { type: ICMP_DEST_UNREACH, code: ICMP_HOST_UNREACH, check: 0, rest: 0 });
  f[l4 + 2] = icmpChecksum(f, l4, 36) >> 8;
  f[l4 + 3] = icmpChecksum(f, l4, 36) & 0xff;
  assert.equal(summarize(decodeFrame(f)).info, 'Destination unreachable (Host unreachable)');
  writeIcmp(f, l4, { type: ICMP_DEST_UNREACH, code: ICMP_FRAG_NEEDED, check: 0, rest: 1400 });
  assert.equal(decodeFrame(f).icmp?.mtu, 1400);
  assert.ok(decodeFrame(f).problems.includes('bad ICMP checksum'));
  writeIcmp(f, l4, { type: ICMP_ECHOREPLY, code: 0, check: 0, rest: 0x00070002 });
  assert.equal(summarize(decodeFrame(f)).info.startsWith('Echo (ping) reply id=0x0007, seq=2'), true);

  const t = tcpSyn(IP_A, IP_B, 40000, 80, 5);
  t[ETH_HLEN + 20 + 13] = TCP_RST | TCP_ACK;
  const d = decodeFrame(t);
  assert.equal(d.tcp?.flags, 'RST|ACK');
  assert.ok(d.problems.includes('bad TCP checksum'));

  const u = udpFrame(IP_A, IP_B, 1, 2, pattern(10));
  u[u.length - 1] ^= 0xff;
  u[ETH_HLEN + 8] ^= 1; // TTL
  const du = decodeFrame(u);
  assert.deepEqual(du.problems, ['bad IP checksum', 'bad UDP checksum']);
  assert.equal(du.ip?.checkOk, false);
  assert.equal(du.udp?.checkOk, false);
});

test('decodeFrame reports the IP options and ignores Ethernet padding', () => {
  const f = ethFrame(MAC_B, MAC_A, ETH_P_IP, 60 - ETH_HLEN);
  const opts = buildIpOptions(['ra']);
  const iph = writeIpv4(f, ETH_HLEN, { ihl: 6, tos: 0xc0, totLen: 24 + 8, id: 9, fragOff: 0, ttl: 1, protocol: IPPROTO_UDP, check: 0, src: IP_A, dst: IP_B, options: opts });
  ip_send_check(iph);
  writeUdp(f, ETH_HLEN + 24, { sport: 1, dport: 2, len: 8, check: 0 });
  const d = decodeFrame(f);
  assert.equal(d.ip?.options, '94040000');
  assert.deepEqual(d.problems, []);
  assert.equal(d.udp?.checkOk, undefined, 'sent without a checksum');
  assert.equal(d.payloadLen, 0);
});

test('truncated and garbage input never throws; parsers return undefined, decode reports problems', () => {
  const r = rng(42);
  const frames = [
    arpRequest(MAC_A, IP_A, IP_B),
    udpFrame(IP_A, IP_B, 1, 2, pattern(100)),
    udpFrame(IP_A, IP_B, 1, 2, pattern(20), { options: buildIpOptions(['ra', 'rr']) }),
    icmpEcho(IP_A, IP_B, 1, 1, pattern(56)),
    tcpSyn(IP_A, IP_B, 40000, 80, 1),
    ...udpFragments(IP_A, IP_B, 1, 2, pattern(3000), 1480, 1),
  ];
  for (const f of frames) {
    assert.deepEqual(decodeFrame(f).problems, [], 'whole frame is clean');
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(r() * f.length);
      const cut = f.slice(0, n);
      const d = decodeFrame(cut);
      assert.ok(d.problems.length > 0 || n >= f.length, `prefix ${n} of a ${f.length}-byte frame should report a problem`);
      JSON.stringify(d);
      summarize(d);
      for (const off of [0, ETH_HLEN, ETH_HLEN + 20]) {
        const len = Math.max(0, n - off);
        parseEthernet(cut, off, len);
        parseArp(cut, off, len);
        parseIpv4Header(cut, off, len);
        parseUdp(cut, off, len);
        parseIcmp(cut, off, len);
        parseTcp(cut, off, len);
        // Claiming more bytes than are there must not throw either.
        parseIpv4Header(cut, off, len + 40);
        parseTcp(cut, off, len + 40);
      }
    }
  }
  for (let i = 0; i < 3000; i++) {
    const n = Math.floor(r() * 120);
    const g = new Uint8Array(n);
    for (let j = 0; j < n; j++) g[j] = Math.floor(r() * 256);
    // Steer some garbage into the IPv4 and ARP decoders.
    if (n >= 14 && i % 3 === 0) {
      g[12] = 0x08;
      g[13] = i % 2 ? 0x00 : 0x06;
      if (n > 14 && i % 2) g[14] = 0x40 | (g[14] & 0x0f);
    }
    const d = decodeFrame(g);
    assert.ok(!d.problems.some((p) => p.startsWith('decoder error')), d.problems.join('; '));
    summarize(d);
    parseTcpOptions(g);
    ipOptionsFragment(g);
    recordRoute(g.slice(), 1);
  }
});

test('views over short buffers read zeros and never throw', () => {
  const b = new Uint8Array(3);
  assert.equal(new IpHdr(b, 0).saddr, 0);
  assert.equal(new IpHdr(b, 0).check, 0);
  assert.equal(new UdpHdr(b, 2).check, 0);
  assert.equal(new TcpHdr(b, 0).options.length, 0);
  assert.equal(new IpHdr(b, 0).options.length, 0);
  new IpHdr(b, 0).saddr = 0xffffffff; // writes past the end are dropped
  assert.equal(b.length, 3);
});

test('sum16 sums long, aligned runs 32 bits at a time with the same result as word by word', async () => {
  const { sum16, fold } = await import('../../src/model/wire/checksum');
  const slow = (b: Uint8Array, off: number, len: number, init: number): number => {
    let s = init;
    let i = off;
    for (; i + 1 < off + len; i += 2) s += (b[i] << 8) | b[i + 1];
    if (i < off + len) s += b[i] << 8;
    return s;
  };
  let seed = 12345;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  const backing = new Uint8Array(4096 + 16);
  for (let i = 0; i < backing.length; i++) backing[i] = rnd();
  backing.fill(0xff, 100, 1200); // long runs of ones, where end-around carries pile up
  for (const base of [0, 1, 2, 3, 4, 6]) {
    const b = backing.subarray(base);
    for (const off of [0, 1, 2, 3, 5, 14, 34]) {
      for (const len of [0, 1, 63, 64, 65, 100, 108, 1480, 1481, 3008, 4000]) {
        if (off + len > b.length) continue;
        for (const init of [0, 0x1234, 0xffff * 7]) {
          assert.equal(fold(sum16(b, off, len, init)), fold(slow(b, off, len, init)), `base ${base} off ${off} len ${len} init ${init}`);
        }
      }
    }
  }
});
