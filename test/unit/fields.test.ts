// A frame's layers and fields with their byte ranges (src/model/wire/fields.ts): every field's
// bytes in the frame hold the value it shows, flags and sub-byte fields name their bits, and
// broken frames still give what can be read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dissectFrame, WireField, WireLayer } from '../../src/model/wire/fields';
import { ETH_HLEN, IP_DF, formatIpv4, formatMac, readU16, readU32 } from '../../src/model/wire';
import { arpRequest, icmpEcho, tcpSyn, udpFragments, udpFrame, pattern, MAC_A, IP_A, IP_B } from '../helpers/frames';

/** Every field of a layer, children included, by name (the first of each name). */
function fieldsOf(layer: WireLayer): Map<string, WireField> {
  const out = new Map<string, WireField>();
  const walk = (list: WireField[]): void => {
    for (const f of list) {
      if (!out.has(f.name)) out.set(f.name, f);
      if (f.children) walk(f.children);
    }
  };
  walk(layer.fields);
  return out;
}

function layer(frame: Uint8Array, name: string): Map<string, WireField> {
  const l = dissectFrame(frame).layers.find((x) => x.name === name);
  assert.ok(l, `no layer ${name}`);
  return fieldsOf(l);
}

const u16 = (frame: Uint8Array, f: WireField): number => {
  assert.equal(f.length, 2, f.name);
  return readU16(frame, f.offset);
};
const ip4 = (frame: Uint8Array, f: WireField): string => {
  assert.equal(f.length, 4, f.name);
  return formatIpv4(readU32(frame, f.offset));
};
const mac = (frame: Uint8Array, f: WireField): string => {
  assert.equal(f.length, 6, f.name);
  return formatMac(frame, f.offset);
};

test('a UDP datagram: Ethernet, IPv4, UDP and its data, each field over the bytes that hold it', () => {
  const frame = udpFrame(IP_A, IP_B, 46602, 9000, pattern(100), { id: 0x0876, ttl: 61 });
  const { layers, problems } = dissectFrame(frame);
  assert.deepEqual(problems, []);
  assert.deepEqual(layers.map((l) => [l.name, l.offset, l.length]), [
    ['Ethernet II', 0, 14],
    ['Internet Protocol Version 4', 14, 20],
    ['User Datagram Protocol', 34, 8],
    ['Data', 42, 100],
  ]);
  const eth = layer(frame, 'Ethernet II');
  assert.equal(mac(frame, eth.get('Source')!), eth.get('Source')!.value);
  assert.equal(eth.get('Source')!.value, formatMac(MAC_A));
  assert.equal(mac(frame, eth.get('Destination')!), eth.get('Destination')!.value);
  assert.equal(eth.get('Type')!.value, 'IPv4 (0x0800)');
  assert.equal(u16(frame, eth.get('Type')!), 0x0800);

  const ip = layer(frame, 'Internet Protocol Version 4');
  assert.equal(ip4(frame, ip.get('Source Address')!), '10.0.0.1');
  assert.equal(ip.get('Source Address')!.value, '10.0.0.1');
  assert.equal(ip4(frame, ip.get('Destination Address')!), '10.0.0.2');
  assert.equal(frame[ip.get('Time to Live')!.offset], 61);
  assert.equal(ip.get('Time to Live')!.value, '61');
  assert.equal(u16(frame, ip.get('Total Length')!), 128);
  assert.equal(u16(frame, ip.get('Identification')!), 0x0876);
  assert.equal(ip.get('Identification')!.value, '0x0876 (2166)');
  assert.equal(ip.get('Protocol')!.value, 'UDP (17)');
  const check = ip.get('Header Checksum')!;
  assert.equal(check.ok, true);
  assert.equal(check.value, '0x' + u16(frame, check).toString(16).padStart(4, '0'));
  // Version and header length share a byte: each names its nibble.
  assert.deepEqual([ip.get('Version')!.offset, ip.get('Version')!.mask], [14, 0xf0]);
  assert.deepEqual([ip.get('Header Length')!.offset, ip.get('Header Length')!.mask, ip.get('Header Length')!.value], [14, 0x0f, '20 bytes (5)']);
  // No flag set, offset 0.
  assert.equal(ip.get("Don't fragment")!.flag, false);
  assert.equal(ip.get('More fragments')!.flag, false);
  assert.equal(ip.get('Fragment Offset')!.value, '0');

  const udp = layer(frame, 'User Datagram Protocol');
  assert.equal(u16(frame, udp.get('Source Port')!), 46602);
  assert.equal(u16(frame, udp.get('Destination Port')!), 9000);
  assert.equal(u16(frame, udp.get('Length')!), 108);
  assert.equal(udp.get('Checksum')!.ok, true, 'the whole datagram is here: its checksum is checked');
});

test('fragments: flags and fragment offset in their bits, the later fragments as data, checksums unverified', () => {
  const frags = udpFragments(IP_A, IP_B, 1000, 9000, pattern(3000), 1480, 0x1234);
  assert.equal(frags.length, 3);
  const offsets: string[] = [];
  frags.forEach((frame, i) => {
    const ip = layer(frame, 'Internet Protocol Version 4');
    const flags = ip.get('Flags')!;
    assert.deepEqual([flags.offset, flags.length, flags.mask], [ETH_HLEN + 6, 1, 0xe0]);
    const mf = ip.get('More fragments')!;
    assert.equal(mf.flag, i < 2, `MF of fragment ${i}`);
    assert.equal(((frame[mf.offset] & mf.mask!) !== 0), mf.flag);
    const off = ip.get('Fragment Offset')!;
    assert.equal(off.mask, 0x1fff);
    assert.equal((u16(frame, off) & off.mask!) * 8, Number(off.value));
    offsets.push(off.value);
    const names = dissectFrame(frame).layers.map((l) => l.name);
    if (i === 0) {
      assert.deepEqual(names, ['Ethernet II', 'Internet Protocol Version 4', 'User Datagram Protocol', 'Data']);
      assert.equal(layer(frame, 'User Datagram Protocol').get('Checksum')!.ok, undefined, 'a fragment cannot check the datagram');
    } else {
      assert.deepEqual(names, ['Ethernet II', 'Internet Protocol Version 4', 'Data']);
    }
    const data = dissectFrame(frame).layers.at(-1)!;
    assert.equal(data.offset + data.length, frame.length, 'the data runs to the end of the packet');
  });
  assert.deepEqual(offsets, ['0', '1480', '2960']);
});

test('DF: the flag, in its bit', () => {
  const frame = udpFrame(IP_A, IP_B, 1, 2, pattern(10), { fragOff: IP_DF });
  const df = layer(frame, 'Internet Protocol Version 4').get("Don't fragment")!;
  assert.equal(df.flag, true);
  assert.equal(frame[df.offset] & df.mask!, 0x40);
});

test('ARP: addresses and opcode over their bytes', () => {
  const frame = arpRequest(MAC_A, IP_A, IP_B);
  const { layers } = dissectFrame(frame);
  assert.deepEqual(layers.map((l) => l.name), ['Ethernet II', 'Address Resolution Protocol']);
  const arp = layer(frame, 'Address Resolution Protocol');
  assert.equal(arp.get('Opcode')!.value, 'request (1)');
  assert.equal(u16(frame, arp.get('Opcode')!), 1);
  assert.equal(ip4(frame, arp.get('Sender IP address')!), '10.0.0.1');
  assert.equal(ip4(frame, arp.get('Target IP address')!), '10.0.0.2');
  assert.equal(mac(frame, arp.get('Sender MAC address')!), formatMac(MAC_A));
  assert.equal(arp.get('Target MAC address')!.value, '00:00:00:00:00:00');
  assert.deepEqual(layers[1].brief, [{ name: 'Opcode', value: 'request' }]);
});

test('padding after the packet belongs to Ethernet', () => {
  const arp = arpRequest(MAC_A, IP_A, IP_B);
  const frame = new Uint8Array(60);
  frame.set(arp);
  const pad = layer(frame, 'Ethernet II').get('Padding')!;
  assert.deepEqual([pad.offset, pad.length], [42, 18]);
});

test('ICMP echo and TCP SYN: identifiers, flags bit by bit, options each over its bytes', () => {
  const ping = icmpEcho(IP_A, IP_B, 0x1c2d, 7, pattern(56));
  const icmp = layer(ping, 'Internet Control Message Protocol');
  assert.equal(icmp.get('Type')!.value, '8 (Echo (ping) request)');
  assert.equal(u16(ping, icmp.get('Identifier')!), 0x1c2d);
  assert.equal(u16(ping, icmp.get('Sequence Number')!), 7);
  assert.equal(icmp.get('Checksum')!.ok, true);

  const syn = tcpSyn(IP_A, IP_B, 40000, 80, 12345);
  const tcp = layer(syn, 'Transmission Control Protocol');
  assert.equal(readU32(syn, tcp.get('Sequence Number')!.offset), 12345);
  assert.equal(tcp.get('Syn')!.flag, true);
  assert.equal(tcp.get('Acknowledgment')!.flag, false);
  const synBit = tcp.get('Syn')!;
  assert.equal(readU16(syn, synBit.offset) & synBit.mask!, 0x02);
  const options = dissectFrame(syn).layers.find((l) => l.name === 'Transmission Control Protocol')!.fields.find((f) => f.name === 'Options')!;
  const opts = options.children!;
  assert.equal(opts[0].value, 'mss 1460');
  assert.deepEqual([opts[0].offset, opts[0].length], [options.offset, 4]);
  assert.equal(syn[opts[0].offset], 2, 'the MSS option starts with its kind');
  assert.equal(opts.reduce((n, o) => n + o.length, 0), options.length, 'the options cover the options area');
  assert.equal(tcp.get('Checksum')!.ok, true);
});

test('broken frames: what can be read, and the problems; never a throw', () => {
  assert.deepEqual(dissectFrame(new Uint8Array(5)), { layers: [], problems: ['truncated Ethernet header'] });
  const frame = udpFrame(IP_A, IP_B, 1, 2, pattern(10));
  frame[ETH_HLEN + 10] ^= 0xff;
  const d = dissectFrame(frame);
  assert.ok(d.problems.includes('bad IP checksum'));
  assert.equal(layer(frame, 'Internet Protocol Version 4').get('Header Checksum')!.ok, false);
  const cut = frame.slice(0, ETH_HLEN + 12);
  assert.deepEqual(dissectFrame(cut).layers.map((l) => l.name), ['Ethernet II', 'Data'], 'a header cut short shows as data');
  for (let n = 0; n < frame.length; n++) dissectFrame(frame.slice(0, n));
});

/** The frame with an 802.1Q tag (TPID 0x8100, TCI) inserted after the addresses, as a VLAN device sends it. */
function tagged(frame: Uint8Array, pcp: number, dei: boolean, vid: number): Uint8Array {
  const out = new Uint8Array(frame.length + 4);
  out.set(frame.subarray(0, 12), 0);
  const tci = (pcp << 13) | (dei ? 0x1000 : 0) | vid;
  out.set([0x81, 0x00, tci >> 8, tci & 0xff], 12);
  out.set(frame.subarray(12), 16);
  return out;
}

test('an 802.1Q tagged frame: the tag is a layer of its own, and the packet inside is read after it', () => {
  const plain = udpFrame(IP_A, IP_B, 46602, 9000, pattern(100));
  const frame = tagged(plain, 5, true, 10);
  const d = dissectFrame(frame);
  assert.deepEqual(d.problems, []);
  assert.deepEqual(d.layers.map((l) => l.name), ['Ethernet II', '802.1Q Virtual LAN', 'Internet Protocol Version 4', 'User Datagram Protocol', 'Data']);
  const eth = layer(frame, 'Ethernet II');
  assert.equal(u16(frame, eth.get('Type')!), 0x8100);
  const vlan = layer(frame, '802.1Q Virtual LAN');
  const tci = u16(frame, vlan.get('ID')!);
  assert.equal(tci & vlan.get('ID')!.mask!, 10);
  assert.equal(vlan.get('ID')!.value, '10');
  assert.equal(vlan.get('Priority')!.value, '5');
  assert.equal((tci & vlan.get('Priority')!.mask!) >> 13, 5);
  assert.equal(vlan.get('DEI')!.flag, true);
  assert.equal(u16(frame, vlan.get('Type')!), 0x0800);
  // The IP layer's fields point 4 bytes further than in the untagged frame, and read the same.
  const ip = layer(frame, 'Internet Protocol Version 4');
  const ipPlain = layer(plain, 'Internet Protocol Version 4');
  assert.equal(ip.get('Source Address')!.offset, ipPlain.get('Source Address')!.offset + 4);
  assert.equal(ip4(frame, ip.get('Source Address')!), ip4(plain, ipPlain.get('Source Address')!));
  assert.equal(layer(frame, 'User Datagram Protocol').get('Checksum')!.ok, true);
});

test('an 802.1Q tagged ARP request, and a frame cut inside its tag', () => {
  const frame = tagged(arpRequest(MAC_A, IP_A, IP_B), 0, false, 4094);
  const d = dissectFrame(frame);
  assert.deepEqual(d.layers.map((l) => l.name), ['Ethernet II', '802.1Q Virtual LAN', 'Address Resolution Protocol']);
  assert.equal(layer(frame, '802.1Q Virtual LAN').get('ID')!.value, '4094');
  assert.equal(mac(frame, layer(frame, 'Address Resolution Protocol').get('Sender MAC address')!), formatMac(MAC_A, 0));
  const cut = dissectFrame(frame.subarray(0, 16));
  assert.deepEqual(cut.problems, ['truncated 802.1Q tag']);
  assert.deepEqual(cut.layers.map((l) => l.name), ['Ethernet II', 'Data'], 'the bytes of the cut tag show as data');
});
