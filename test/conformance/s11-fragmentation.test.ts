// docs/kernel.md, s11-01 to s11-07: fragmentation of locally sent UDP on the sending host
// (A = 10.0.0.1 a6:31:3b:42:88:c9, B = 10.0.0.2 a6:26:80:6a:63:45, veth, MTU 1500). Every scenario
// runs on both profiles: the frames are the same on 4.9 and 6.18 apart from the random IP IDs
// (offload is off, so 4.9 takes no UFO path: docs/kernel.md §4 "4.9 UFO" needs NETIF_F_UFO, which
// depends on checksum offload); the counters differ as §11 says.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KERNELS, TSHARK_SKIP, run, assertCleanPcap, tx, onDev, ip, udp, arp, bytes, fragField, ethDst, ethSrc,
  framesOf, sendOn, isArp, fragmentGeometry, assertFragments, reassemble, transportChecksumOk, ipv4Header,
  assertFramesClean,
} from '../helpers/conformance';

const A = '10.0.0.1';
const B = '10.0.0.2';
const MAC_A = 'a6:31:3b:42:88:c9';
const MAC_B = 'a6:26:80:6a:63:45';

describe('s11-01: UDP 3000 B, MTU 1500, neighbour known', () => {
  const name = 's11-01-udp-3000-known-neighbour';
  // IP payload 3000 + 8 = 3008; maxfraglen ((1500 - 20) & ~7) + 20 = 1500, data space 1480.
  const geometry = fragmentGeometry(3008, 1500);

  it('the rule gives the observed geometry: 1480/1480/48 at 0/1480/2960', () => {
    assert.deepEqual(geometry, [
      { offset: 0, len: 1480, mf: true },
      { offset: 1480, len: 1480, mf: true },
      { offset: 2960, len: 48, mf: false },
    ]);
  });

  it('the expected headers reproduce the GT checksums 0x48AC/0x47F3/0x6CD2 with ID 0xF862', () => {
    const fields = [0x2000, 0x20b9, 0x0172];
    const totLens = [1500, 1500, 68];
    const checks = fields.map((f, i) => ipv4Header({ totLen: totLens[i], id: 0xf862, fragField: f, ttl: 64, protocol: 17, src: A, dst: B }).readUInt16BE(10));
    assert.deepEqual(checks, [0x48ac, 0x47f3, 0x6cd2]);
  });

  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('3 fragments: tot_len 1500/1500/68, frames 1514/1514/82, frag_off 0x2000/0x20B9/0x0172, one ID', () => {
        const frames = tx(run(name, kernel));
        assert.equal(frames.length, 3, 'no ARP (neighbour known), 3 fragments');
        assertFragments(frames, geometry);
        assert.deepEqual(frames.map((f) => ip(f).totLen), [1500, 1500, 68]);
        assert.deepEqual(frames.map((f) => f.len), [1514, 1514, 82]);
        assert.deepEqual(frames.map(fragField), [0x2000, 0x20b9, 0x0172]);
      });

      it('each IP header is byte for byte what the kernel writes (TTL 64, TOS 0, UDP, A -> B, checksum)', () => {
        const frames = tx(run(name, kernel));
        const totLens = [1500, 1500, 68];
        const fields = [0x2000, 0x20b9, 0x0172];
        frames.forEach((f, i) => {
          const expected = ipv4Header({ totLen: totLens[i], id: ip(f).id, fragField: fields[i], ttl: 64, protocol: 17, src: A, dst: B });
          assert.equal(bytes(f).subarray(14, 34).toString('hex'), expected.toString('hex'), `fragment ${i}`);
          assert.equal(ethDst(f), MAC_B);
          assert.equal(ethSrc(f), MAC_A);
        });
      });

      it('the UDP header (len 3008) is in fragment 1 only, and the reassembled checksum is valid', () => {
        const frames = tx(run(name, kernel));
        assert.equal(udp(frames[0]).len, 3008);
        assert.equal(frames[1].decoded.udp, undefined);
        assert.equal(frames[2].decoded.udp, undefined);
        const dgram = reassemble(frames);
        assert.equal(dgram.length, 3008);
        assert.ok(transportChecksumOk(dgram, A, B, 17), 'UDP checksum computed in software (CHECKSUM_NONE)');
      });

      it('counters', () => {
        const ipc = run(name, kernel).result.counters.Ip;
        assert.equal(ipc.OutRequests, 1);
        assert.equal(ipc.FragOKs, 1);
        assert.equal(ipc.FragCreates, 3);
        if (kernel === '6.18') {
          assert.equal(ipc.OutTransmits, 3, '6.x: OutTransmits per fragment in ip_finish_output2');
          assert.equal(ipc.OutOctets, 1500 + 1500 + 68, '6.x: OutOctets after fragmentation');
        } else {
          assert.equal(ipc.OutTransmits, 0, '4.9 has no OutTransmits');
          assert.equal(ipc.OutOctets, 3028, '4.9: OutOctets += len in ip_output, before fragmentation');
        }
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-02: UDP 3000 B, neighbour unknown', () => {
  const name = 's11-02-udp-3000-unknown-neighbour';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('ARP request (broadcast, 42 B), ARP reply, then the fragments at offsets 0/1480/2960', () => {
        const r = run(name, kernel);
        const wire = onDev(r);
        assert.equal(wire.length, 5);
        const [req, rep, ...frags] = wire;
        assert.ok(isArp(req) && req.dir === 'tx' && arp(req).op === 1);
        assert.equal(req.len, 42);
        assert.equal(ethDst(req), 'ff:ff:ff:ff:ff:ff');
        assert.ok(isArp(rep) && rep.dir === 'rx' && arp(rep).op === 2);
        assert.equal(ethDst(rep), MAC_A, 'the reply is unicast to A');
        assert.deepEqual(frags.map((f) => ip(f).fragOffset), [0, 1480, 2960]);
        assertFragments(frags, fragmentGeometry(3008, 1500));
      });

      it('the first fragment waits in arp_queue; the reply, received at a local_bh_enable, sends it; the others find the entry REACHABLE', () => {
        const r = run(name, kernel);
        const [, rep, ...frags] = onDev(r);
        const dgram = sendOn(r, 'a');
        assert.deepEqual(framesOf(r, dgram).map((f) => f.index), frags.map((f) => f.index));
        for (const f of frags) assert.ok(f.time >= rep.time, 'no fragment before the reply');
        const queued = r.trace.filter((l) => l.function === '__neigh_event_send' && l.packet !== 0).length;
        assert.equal(queued, 1, 'only the first fragment went through __neigh_event_send');
        const cached = r.trace.filter((l) => l.function === 'neigh_hh_output' && l.packet !== 0).length;
        assert.equal(cached, 2, 'fragments 2 and 3 went out with the cached header of a REACHABLE entry');
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-03: UDP 1472 B fits exactly', () => {
  const name = 's11-03-udp-1472';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('one packet, DF set, tot_len 1500, frame 1514', () => {
        const frames = tx(run(name, kernel));
        assert.equal(frames.length, 1);
        const h = ip(frames[0]);
        assert.equal(h.totLen, 1500);
        assert.equal(frames[0].len, 1514);
        assert.equal(fragField(frames[0]), 0x4000, 'DF, no MF, offset 0');
        assert.equal(udp(frames[0]).len, 1480);
        assert.equal(udp(frames[0]).checkOk, true);
        assertFramesClean(frames);
      });

      it('no fragmentation counted', () => {
        const ipc = run(name, kernel).result.counters.Ip;
        assert.equal(ipc.FragOKs, 0);
        assert.equal(ipc.FragCreates, 0);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-04: UDP 1473 B, one byte too many', () => {
  const name = 's11-04-udp-1473';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('two fragments: tot_len 1500 (0x2000) and 21 (0x00B9), frames 1514 and 35 (unpadded)', () => {
        const frames = tx(run(name, kernel));
        assertFragments(frames, fragmentGeometry(1481, 1500));
        assert.deepEqual(frames.map((f) => ip(f).totLen), [1500, 21]);
        assert.deepEqual(frames.map(fragField), [0x2000, 0x00b9]);
        assert.deepEqual(frames.map((f) => f.len), [1514, 35]);
        assert.ok(transportChecksumOk(reassemble(frames), A, B, 17));
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-05: the largest UDP datagram', () => {
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}: 65507 B`, () => {
      const name = 's11-05-udp-65507';
      it('45 fragments: 44 x 1480 and a last one of 395 B (tot_len 415) at offset 65120 (field 8140)', () => {
        const r = run(name, kernel);
        assert.equal(sendOn(r, 'a').result, 'ok');
        const frames = tx(r);
        const geometry = fragmentGeometry(65507 + 8, 1500);
        assert.equal(geometry.length, 45);
        assertFragments(frames, geometry);
        assert.deepEqual(frames.slice(0, 44).map((f) => ip(f).totLen), new Array(44).fill(1500));
        const last = frames[44];
        assert.equal(ip(last).totLen, 415);
        assert.equal(fragField(last), 8140);
        assert.equal(ip(last).fragOffset, 65120);
        assert.equal(udp(frames[0]).len, 65515);
        assert.ok(transportChecksumOk(reassemble(frames), A, B, 17));
      });

      it('counters: one datagram, 45 fragments', () => {
        const ipc = run(name, kernel).result.counters.Ip;
        assert.equal(ipc.OutRequests, 1);
        assert.equal(ipc.FragOKs, 1);
        assert.equal(ipc.FragCreates, 45);
        assert.equal(ipc.OutTransmits, kernel === '6.18' ? 45 : 0);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });

    describe(`kernel ${kernel}: 65508 B`, () => {
      const name = 's11-05-udp-65508';
      it('sendto fails with EMSGSIZE, nothing is sent, no IP counter changes', () => {
        const r = run(name, kernel);
        assert.equal(sendOn(r, 'a').result, 'EMSGSIZE');
        assert.equal(r.result.frames.length, 0);
        for (const [counter, value] of Object.entries(r.result.counters.Ip)) assert.equal(value, 0, `Ip.${counter}`);
      });

      it('the (empty) pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-06: IP_PMTUDISC_DO', () => {
  const name = 's11-06-pmtudisc-do';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('1473 and 3000 B fail with EMSGSIZE at sendmsg; 100 B goes', () => {
        const r = run(name, kernel);
        assert.equal(sendOn(r, 'do1473').result, 'EMSGSIZE');
        assert.equal(sendOn(r, 'do3000').result, 'EMSGSIZE');
        assert.equal(sendOn(r, 'do100').result, 'ok');
      });

      it('no ICMP, no ARP, nothing on the wire for the refused sends; ip_fragment never reached', () => {
        const r = run(name, kernel);
        assert.deepEqual(r.result.icmp, []);
        assert.equal(onDev(r, 'lo').length, 0);
        assert.ok(r.result.frames.every((f) => f.time >= 100e6), 'the first frame comes with the 100 B send');
        assert.equal(r.trace.some((l) => l.function === 'ip_fragment'), false);
        assert.equal(r.result.counters.Ip.FragFails, 0);
        assert.equal(r.result.counters.Ip.OutRequests, 1);
      });

      it('DO with 100 B: DF set and IP ID 0 (unconnected)', () => {
        const r = run(name, kernel);
        const frames = framesOf(r, sendOn(r, 'do100'));
        assert.equal(frames.length, 1);
        assert.equal(ip(frames[0]).df, true);
        assert.equal(ip(frames[0]).id, 0);
        assert.equal(frames[0].len, 142);
        assertFramesClean(frames);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-07: IP options RA + RR, UDP 3000 B', () => {
  const name = 's11-07-ip-options';
  // RA: 94 04 00 00; RR with one slot, A recorded, pointer past it: 07 07 08 0a 00 00 01; EOL 00.
  const FIRST = '94040000' + '0707080a000001' + '00';
  // Later fragments: RR (type 7, no copied bit) overwritten by 7 NOPs; RA (148, copied) and EOL stay.
  const LATER = '94040000' + '01010101010101' + '00';

  it('the rule gives the observed geometry: 1464/1464/80', () => {
    // data space (1500 - 32) & ~7 = 1464
    assert.deepEqual(fragmentGeometry(3008, 1500, 32).map((g) => g.len), [1464, 1464, 80]);
  });

  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('fragments with tot_len 1496/1496/112 at offsets 0/183/366, ihl 8 on all', () => {
        const frames = tx(run(name, kernel));
        assertFragments(frames, fragmentGeometry(3008, 1500, 32), 32);
        assert.deepEqual(frames.map((f) => ip(f).totLen), [1496, 1496, 112]);
        assert.deepEqual(frames.map((f) => fragField(f) & 0x1fff), [0, 183, 366]);
        assert.deepEqual(frames.map((f) => ip(f).ihl), [8, 8, 8]);
      });

      it('fragment 1 keeps RR with A\'s address; fragments 2 and 3 carry NOPs instead, RA and EOL kept', () => {
        const frames = tx(run(name, kernel));
        assert.deepEqual(frames.map((f) => ip(f).options), [FIRST, LATER, LATER]);
      });

      it('the reassembled UDP checksum is valid', () => {
        const frames = tx(run(name, kernel));
        assert.ok(transportChecksumOk(reassemble(frames), A, B, 17));
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});
