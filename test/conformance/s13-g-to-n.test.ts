// docs/kernel.md, observations s13-g to s13-n, GT on Linux 6.18: host 02:00:00:00:00:01 at
// 192.0.2.1/24 on veth0, peer 02:00:00:00:00:02 at 192.0.2.2, TX checksum offload off. Every
// scenario runs on both profiles; where 4.9's IP ID policy differs (docs/kernel.md §9.4), the rule
// checked is one both policies give for the traffic in the scenario.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KERNELS, TSHARK_SKIP, run, assertCleanPcap, onDev, ip, udp, arp, ethDst, ms, framesOf, sendsOn, sendOn,
  isArp, arpRequests, assertBetween, assertFramesClean, fragmentGeometry, assertFragments, reassemble,
  transportChecksumOk, idStep, maxHashedStep, multicastMac,
} from '../helpers/conformance';

const HOST = '192.0.2.1';
const PEER = '192.0.2.2';
const MAC_PEER = '02:00:00:00:00:02';
const BCAST = 'ff:ff:ff:ff:ff:ff';

describe('s13-g: multicast', () => {
  const name = 's13-g-multicast';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('239.1.2.3 with no route and no IP_MULTICAST_IF: ENETUNREACH', () => {
        const r = run(name, kernel);
        const s = sendOn(r, 'noif');
        assert.equal(s.result, 'ENETUNREACH');
        assert.equal(framesOf(r, s).length, 0);
      });

      it('with IP_MULTICAST_IF: to 01:00:5e:01:02:03, no ARP, TTL 1, DF', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'mcif'));
        assert.equal(f.length, 1);
        assert.equal(ethDst(f[0]), '01:00:5e:01:02:03');
        assert.equal(ip(f[0]).ttl, 1);
        assert.equal(ip(f[0]).df, true);
        assert.equal(ip(f[0]).src, HOST);
        assert.equal(r.result.frames.filter(isArp).length, 0);
      });

      it('IP_MULTICAST_TTL 5: TTL 5', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'ttl5'));
        assert.equal(f.length, 1);
        assert.equal(ip(f[0]).ttl, 5);
      });

      it('239.255.255.250 -> 01:00:5e:7f:ff:fa, 224.129.2.3 -> 01:00:5e:01:02:03, 224.0.0.251 -> 01:00:5e:00:00:fb', () => {
        const r = run(name, kernel);
        const expected: [string, string, string][] = [
          ['ssdp', '239.255.255.250', '01:00:5e:7f:ff:fa'],
          ['low23', '224.129.2.3', '01:00:5e:01:02:03'],
          ['mdns', '224.0.0.251', '01:00:5e:00:00:fb'],
        ];
        for (const [socket, group, mac] of expected) {
          assert.equal(multicastMac(group), mac, 'the rule');
          const f = framesOf(r, sendOn(r, socket));
          assert.equal(f.length, 1, socket);
          assert.equal(ip(f[0]).dst, group);
          assert.equal(ethDst(f[0]), mac);
        }
      });

      it('3000 B to 239.1.2.3: 3 fragments (1514/1514/82) to the multicast MAC, TTL 1, DF clear', () => {
        const r = run(name, kernel);
        const frags = framesOf(r, sendOn(r, 'big'));
        assertFragments(frags, fragmentGeometry(3008, 1500));
        assert.deepEqual(frags.map((f) => f.len), [1514, 1514, 82]);
        assert.ok(frags.every((f) => ethDst(f) === '01:00:5e:01:02:03' && ip(f).ttl === 1));
        assert.ok(transportChecksumOk(reassemble(frags), HOST, '239.1.2.3', 17));
      });

      it('OutMcastPkts/Octets per packet after fragmentation (docs/kernel.md §2.7): 5 datagrams + 3 fragments', () => {
        const r = run(name, kernel);
        const mc = onDev(r).filter((f) => f.dir === 'tx' && ethDst(f).startsWith('01:00:5e'));
        assert.equal(mc.length, 8);
        assert.equal(r.result.counters.Ip.OutMcastPkts, 8);
        assert.equal(r.result.counters.Ip.OutMcastOctets, mc.reduce((n, f) => n + ip(f).totLen, 0));
      });

      it('no neighbour entries that `ip neigh` lists (multicast entries are NOARP, which it hides)', () => {
        const r = run(name, kernel);
        const listed = r.result.neighbours.filter((n) => n.dev === 'veth0' && n.state !== 'NOARP');
        assert.deepEqual(listed, []);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-h: broadcast', () => {
  const name = 's13-h-broadcast';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('192.0.2.255 without SO_BROADCAST: EACCES', () => {
        assert.equal(sendOn(run(name, kernel), 'nobcast').result, 'EACCES');
      });

      it('with SO_BROADCAST: ff:ff:ff:ff:ff:ff, no ARP, TTL 64, DF', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'subnet'));
        assert.equal(f.length, 1);
        assert.equal(ethDst(f[0]), BCAST);
        assert.equal(ip(f[0]).dst, '192.0.2.255');
        assert.equal(ip(f[0]).ttl, 64);
        assert.equal(ip(f[0]).df, true);
        assert.equal(f[0].len, 62);
        assert.equal(r.result.frames.filter(isArp).length, 0);
      });

      it('255.255.255.255 without a device or default route: ENETUNREACH; with SO_BINDTODEVICE: ff:ff:ff:ff:ff:ff, TTL 64, DF', () => {
        const r = run(name, kernel);
        assert.equal(sendOn(r, 'limited').result, 'ENETUNREACH');
        const f = framesOf(r, sendOn(r, 'limited-dev'));
        assert.equal(f.length, 1);
        assert.equal(ethDst(f[0]), BCAST);
        assert.equal(ip(f[0]).dst, '255.255.255.255');
        assert.equal(ip(f[0]).ttl, 64);
        assert.equal(ip(f[0]).df, true);
      });

      it('a 3000 B subnet broadcast: 3 fragments to ff:ff:ff:ff:ff:ff', () => {
        const r = run(name, kernel);
        const frags = framesOf(r, sendOn(r, 'big'));
        assertFragments(frags, fragmentGeometry(3008, 1500));
        assert.ok(frags.every((f) => ethDst(f) === BCAST));
      });

      it('OutBcastPkts/Octets per packet after fragmentation (docs/kernel.md §2.7): 2 datagrams + 3 fragments', () => {
        const r = run(name, kernel);
        const b = onDev(r).filter((f) => ethDst(f) === BCAST);
        assert.equal(r.result.counters.Ip.OutBcastPkts, 5);
        assert.equal(r.result.counters.Ip.OutBcastOctets, b.reduce((n, f) => n + ip(f).totLen, 0));
      });

      it('looped back locally (Ip.InReceives +3, Udp.IgnoredMulti +3), but not seen on veth0', () => {
        const r = run(name, kernel);
        const c = r.result.counters;
        assert.equal(c.Ip.InReceives, 3);
        assert.equal(c.Udp.IgnoredMulti, 3);
        assert.equal(r.result.delivered.filter((d) => d.via === 'broadcast-loop').length, 3);
        const wire = onDev(r);
        assert.equal(wire.length, 1 + 1 + 3, 'only the transmitted frames');
        assert.ok(wire.every((f) => f.dir === 'tx'));
        assert.equal(onDev(r, 'lo').length, 0);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-i: link MTU 576', () => {
  const name = 's13-i-mtu576';
  it('the rule gives the observed geometry: 552/552/304 and 552 + 5', () => {
    assert.deepEqual(fragmentGeometry(1408, 576).map((g) => g.len), [552, 552, 304]);
    assert.deepEqual(fragmentGeometry(557, 576).map((g) => g.len), [552, 5]);
  });

  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      for (const socket of ['dont1400', 'want1400']) {
        it(`${socket}: payloads 552/552/304 at 0/552/1104, tot_len 572/572/324, frames 586/586/338, DF clear`, () => {
          const r = run(name, kernel);
          const frags = framesOf(r, sendOn(r, socket));
          assertFragments(frags, fragmentGeometry(1408, 576));
          assert.deepEqual(frags.map((f) => ip(f).fragOffset), [0, 552, 1104]);
          assert.deepEqual(frags.map((f) => ip(f).totLen), [572, 572, 324]);
          assert.deepEqual(frags.map((f) => f.len), [586, 586, 338]);
          assert.ok(transportChecksumOk(reassemble(frags), HOST, PEER, 17));
        });
      }

      it('DO with 548 B: one 590 B frame (tot_len 576), DF, ID 0', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'do548'));
        assert.equal(f.length, 1);
        assert.equal(f[0].len, 590);
        assert.equal(ip(f[0]).totLen, 576);
        assert.equal(ip(f[0]).df, true);
        assert.equal(ip(f[0]).id, 0);
      });

      it('DO with 549 B: EMSGSIZE', () => {
        const r = run(name, kernel);
        const s = sendOn(r, 'do549');
        assert.equal(s.result, 'EMSGSIZE');
        assert.equal(framesOf(r, s).length, 0);
      });

      it('DONT with 549 B: 2 fragments of 552 + 5 bytes, frames 586 + 39', () => {
        const r = run(name, kernel);
        const frags = framesOf(r, sendOn(r, 'dont549'));
        assertFragments(frags, fragmentGeometry(557, 576));
        assert.deepEqual(frags.map((f) => f.len), [586, 39]);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-j: postrouting `udp dport 9999 drop`', () => {
  const name = 's13-j-nft-drop';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('sendto returns EPERM; the passing datagram is ok', () => {
        const r = run(name, kernel);
        assert.equal(sendOn(r, 'drop1').result, 'EPERM');
        assert.equal(sendOn(r, 'drop2').result, 'EPERM');
        assert.equal(sendOn(r, 'pass').result, 'ok');
      });

      it('no ARP for the dropped ones: the first ARP comes with the passing datagram at 300 ms', () => {
        const r = run(name, kernel);
        assert.ok(isArp(r.result.frames[0]));
        assert.equal(ms(r.result.frames[0]), 300);
        assert.equal(framesOf(r, sendOn(r, 'pass')).length, 1);
      });

      it('Ip.OutDiscards +2', () => {
        assert.equal(run(name, kernel).result.counters.Ip.OutDiscards, 2);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-j2: postrouting SNAT to 192.0.2.77', () => {
  const name = 's13-j2-nft-snat';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('the frame leaves with src 192.0.2.77, sport 40000 unchanged, a valid UDP checksum', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendsOn(r, 's')[0]);
        assert.equal(f.length, 1);
        assert.equal(ip(f[0]).src, '192.0.2.77');
        assert.equal(udp(f[0]).sport, 40000);
        assert.equal(udp(f[0]).checkOk, true);
        assert.equal(ip(f[0]).checkOk, true);
      });

      it('the ARP request it triggered carries spa 192.0.2.1, the interface address', () => {
        const reqs = arpRequests(run(name, kernel).result.frames);
        assert.equal(reqs.length, 1);
        assert.equal(arp(reqs[0]).spa, HOST);
      });

      it('SNAT before fragmentation: all 3 fragments of a 3000 B datagram carry 192.0.2.77', () => {
        const r = run(name, kernel);
        const frags = framesOf(r, sendsOn(r, 's')[1]);
        assertFragments(frags, fragmentGeometry(3008, 1500));
        assert.ok(frags.every((f) => ip(f).src === '192.0.2.77'));
        assert.equal(udp(frags[0]).sport, 40000);
        assert.ok(transportChecksumOk(reassemble(frags), '192.0.2.77', PEER, 17), 'the UDP checksum follows the new address');
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-j3: mangle, a mark, then `ip dscp set af41` and `ip ttl set 9`', () => {
  const name = 's13-j3-nft-mangle';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      for (const socket of ['nftmark', 'somark']) {
        it(`${socket === 'nftmark' ? 'meta mark set' : 'SO_MARK'}: TOS 0x88, TTL 9, a valid IP checksum`, () => {
          const r = run(name, kernel);
          const f = framesOf(r, sendOn(r, socket));
          assert.equal(f.length, 1);
          assert.equal(ip(f[0]).tos, 0x88, 'AF41 = DSCP 34 -> 34 << 2');
          assert.equal(ip(f[0]).ttl, 9);
          assert.equal(ip(f[0]).checkOk, true);
          assert.equal(udp(f[0]).checkOk, true);
        });
      }

      it('an unmarked datagram keeps TOS 0 and TTL 64', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'plain'));
        assert.equal(ip(f[0]).tos, 0);
        assert.equal(ip(f[0]).ttl, 64);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-k: TTL and TOS', () => {
  const name = 's13-k-ttl-tos';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('IP_TTL 5 and 255 are used as given', () => {
        const r = run(name, kernel);
        assert.equal(ip(framesOf(r, sendOn(r, 'ttl5'))[0]).ttl, 5);
        assert.equal(ip(framesOf(r, sendOn(r, 'ttl255'))[0]).ttl, 255);
      });

      it('IP_TOS 0xb8, 0x03 and 0x02 are carried verbatim (ECN bits not masked on UDP)', () => {
        const r = run(name, kernel);
        for (const [socket, tos] of [['tosb8', 0xb8], ['tos03', 0x03], ['tos02', 0x02]] as const) {
          const f = framesOf(r, sendOn(r, socket));
          assert.equal(f.length, 1);
          assert.equal(ip(f[0]).tos, tos, socket);
        }
      });

      it('IP_TTL 0: setsockopt fails with EINVAL, the send succeeds with TTL 64', () => {
        const r = run(name, kernel);
        const s = sendOn(r, 'ttl0');
        assert.equal(s.result, 'ok');
        assert.deepEqual(s.setsockopt, [{ option: 'IP_TTL', result: 'EINVAL' }]);
        assert.equal(ip(framesOf(r, s)[0]).ttl, 64);
      });

      it('every frame decodes clean', () => {
        assertFramesClean(run(name, kernel).result.frames);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-l: the IP ID policy', () => {
  const name = 's13-l-ip-id';
  const ids = (r: ReturnType<typeof run>, socket: string) => framesOf(r, ...sendsOn(r, socket)).map((f) => ip(f).id);
  const consecutive = (xs: number[]) => xs.every((x, i) => i === 0 || x === ((xs[i - 1] + 1) & 0xffff));

  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('unconnected WANT: 3 consecutive IDs', () => {
        const got = ids(run(name, kernel), 'want');
        assert.equal(got.length, 3);
        assert.ok(consecutive(got), `${got}`);
      });

      it('unconnected DO: 0, 0, 0', () => {
        assert.deepEqual(ids(run(name, kernel), 'do'), [0, 0, 0]);
      });

      it('unconnected DONT: consecutive, from the same generator bucket as WANT', () => {
        const r = run(name, kernel);
        const want = ids(r, 'want');
        const dont = ids(r, 'dont');
        assert.ok(consecutive(dont), `${dont}`);
        assertBetween(idStep(want[2], dont[0]), 1, maxHashedStep(190), 'the bucket advanced over 190 ms idle');
      });

      it('connected WANT: consecutive', () => {
        const got = ids(run(name, kernel), 'cwant');
        assert.equal(got.length, 3);
        assert.ok(consecutive(got), `${got}`);
      });

      it('connected DONT: consecutive; a 3000 B datagram uses one ID for its 3 fragments, the next datagram the next ID', () => {
        const r = run(name, kernel);
        const sends = sendsOn(r, 'cdont');
        assert.equal(sends.length, 5);
        const perCall = sends.map((s) => framesOf(r, s).map((f) => ip(f).id));
        assert.deepEqual(perCall.map((x) => x.length), [1, 1, 1, 3, 1]);
        const big = perCall[3];
        assert.ok(big.every((x) => x === big[0]), 'one ID for all fragments');
        assert.ok(consecutive(perCall.map((x) => x[0])), `${perCall}`);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-m: ping and a TCP SYN', () => {
  const name = 's13-m-icmp-tcp';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('echo with 56 B: a 98 B frame (tot_len 84), DF, TTL 64, valid checksum', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'ping'));
        assert.equal(f.length, 1);
        assert.equal(f[0].len, 98);
        assert.equal(ip(f[0]).totLen, 84);
        assert.equal(ip(f[0]).df, true);
        assert.equal(ip(f[0]).ttl, 64);
        assert.equal(ip(f[0]).protocol, 1);
        assert.equal(f[0].decoded.icmp?.type, 8);
        assert.equal(f[0].decoded.icmp?.checkOk, true);
      });

      it('the peer\'s echo reply has no DF', () => {
        const r = run(name, kernel);
        const reply = onDev(r).find((f) => f.dir === 'rx' && f.decoded.icmp?.type === 0);
        assert.ok(reply);
        assert.equal(ip(reply).df, false);
        assert.equal(reply.decoded.icmp?.checkOk, true);
      });

      it('a 3000 B echo: 3 fragments, DF clear', () => {
        const r = run(name, kernel);
        const frags = framesOf(r, sendOn(r, 'bigping'));
        assertFragments(frags, fragmentGeometry(3008, 1500));
        const msg = reassemble(frags);
        assert.equal(msg[0], 8, 'echo request');
      });

      it('the SYN: tot_len 60 (74 B frame), DF, options mss 1460, sackOK, TS, nop, wscale (6.18: window 64240, wscale 10)', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'syn'));
        assert.equal(f.length, 1);
        assert.equal(f[0].len, 74);
        assert.equal(ip(f[0]).totLen, 60);
        assert.equal(ip(f[0]).df, true);
        const t = f[0].decoded.tcp;
        assert.ok(t);
        assert.equal(t.flags, 'SYN');
        assert.equal(t.options.length, 5);
        assert.equal(t.options[0], 'mss 1460');
        assert.equal(t.options[1], 'sackOK');
        assert.match(t.options[2], /^TS val \d+ ecr 0$/);
        assert.equal(t.options[3], 'nop');
        assert.match(t.options[4], /^wscale \d+$/);
        assert.equal(t.checkOk, true);
        if (kernel === '6.18') {
          // GT 6.18 only: docs/kernel.md gives no 4.9 SYN (4.9 sizes the SYN window differently).
          assert.equal(t.window, 64240);
          assert.equal(t.options[4], 'wscale 10');
        }
      });

      it('the peer answers RST|ACK (ID 0, DF)', () => {
        const r = run(name, kernel);
        const rst = onDev(r).find((f) => f.dir === 'rx' && f.decoded.tcp);
        assert.ok(rst);
        assert.equal(rst.decoded.tcp?.flags, 'RST|ACK');
        assert.equal(ip(rst).id, 0);
        assert.equal(ip(rst).df, true);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s13-n: permanent entries', () => {
  const name = 's13-n-static-neigh';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('no ARP at all; the frame goes to 02:00:00:00:00:09 though nobody owns that MAC', () => {
        const r = run(name, kernel);
        assert.equal(r.result.frames.filter(isArp).length, 0);
        const f = framesOf(r, sendOn(r, 'nine'));
        assert.equal(f.length, 1);
        assert.equal(ethDst(f[0]), '02:00:00:00:00:09');
        assert.equal(ip(f[0]).dst, '192.0.2.9');
        const g = framesOf(r, sendOn(r, 'two'));
        assert.equal(ethDst(g[0]), MAC_PEER);
      });

      it('both entries stay PERMANENT', () => {
        const ns = run(name, kernel).result.neighbours;
        assert.equal(ns.find((n) => n.dst === '192.0.2.9')?.state, 'PERMANENT');
        assert.equal(ns.find((n) => n.dst === PEER)?.state, 'PERMANENT');
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});
