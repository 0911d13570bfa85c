// docs/kernel.md, s11-15 to s11-19: multicast, broadcast, loopback, MASQUERADE and an
// nft DROP at POST_ROUTING, on the sending host A = 10.0.0.1 (a6:31:3b:42:88:c9).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KERNELS, TSHARK_SKIP, run, runVariant, assertCleanPcap, onDev, ip, udp, ethDst, ethSrc, ms, framesOf,
  sendOn, isArp, multicastMac, assertFramesClean, callChain,
} from '../helpers/conformance';

const A = '10.0.0.1';
const ZERO_MAC = '00:00:00:00:00:00';

describe('s11-15: multicast', () => {
  const name = 's11-15-multicast';

  it('the mapping rule gives the observed examples', () => {
    assert.equal(multicastMac('239.1.2.3'), '01:00:5e:01:02:03');
    assert.equal(multicastMac('239.255.255.250'), '01:00:5e:7f:ff:fa');
    assert.equal(multicastMac('224.0.0.251'), '01:00:5e:00:00:fb');
    assert.equal(multicastMac('224.0.0.1'), '01:00:5e:00:00:01');
    assert.equal(multicastMac('224.128.0.1'), '01:00:5e:00:00:01');
  });

  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('every send succeeds and no ARP is sent (multicast neighbours are NOARP)', () => {
        const r = run(name, kernel);
        assert.ok(r.result.sends.every((s) => s.result === 'ok'), JSON.stringify(r.result.sends.map((s) => s.result)));
        assert.equal(r.result.frames.filter(isArp).length, 0);
      });

      it('ip_finish_output2 says which counter the route type moves (rt_type RTN_MULTICAST)', () => {
        const r = run(name, kernel);
        const o2 = r.trace.filter((l) => l.function === 'ip_finish_output2');
        assert.ok(o2.length > 0);
        for (const l of o2) assert.match(l.decision, new RegExp(`^RTN_MULTICAST: OutMcastPkts\\+\\+, OutMcastOctets \\+= ${l.len};`));
        assert.equal(r.result.counters.Ip.OutMcastPkts, o2.length);
      });

      it('a local member and loop on: frame to 01:00:5e:01:02:03, TTL 1, DF; the member gets a copy', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'loop'));
        assert.equal(f.length, 1);
        assert.equal(ethDst(f[0]), '01:00:5e:01:02:03');
        assert.equal(ethSrc(f[0]), 'a6:31:3b:42:88:c9');
        assert.equal(ip(f[0]).dst, '239.1.2.3');
        assert.equal(ip(f[0]).ttl, 1, 'mc_ttl defaults to 1');
        assert.equal(ip(f[0]).df, true);
        assert.equal(f[0].len, 142);
        const d = r.result.delivered.filter((x) => ms(x) === 0);
        assert.equal(d.length, 1);
        assert.equal(d[0].via, 'multicast-loop');
        assert.equal(d[0].dst, '239.1.2.3');
        assert.equal(d[0].accepted, true);
      });

      it('multicast TTL 0: delivered locally, nothing on the wire', () => {
        const r = run(name, kernel);
        const s = sendOn(r, 'ttl0');
        assert.equal(framesOf(r, s).length, 0);
        assert.equal(r.result.frames.filter((f) => ms(f) === 100).length, 0);
        const d = r.result.delivered.filter((x) => ms(x) === 100);
        assert.equal(d.length, 1);
        assert.equal(d[0].accepted, true);
      });

      it('multicast loop off: the wire only', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'noloop'));
        assert.equal(f.length, 1);
        assert.equal(ethDst(f[0]), '01:00:5e:01:02:03');
        assert.equal(r.result.delivered.filter((x) => ms(x) === 200).length, 0);
      });

      it('the mapping examples: 01:00:5e + the low 23 bits of the group', () => {
        const r = run(name, kernel);
        for (const [socket, group] of [['ssdp', '239.255.255.250'], ['mdns', '224.0.0.251'], ['all', '224.0.0.1'], ['bit23', '224.128.0.1']]) {
          const f = framesOf(r, sendOn(r, socket));
          assert.equal(f.length, 1, socket);
          assert.equal(ip(f[0]).dst, group);
          assert.equal(ethDst(f[0]), multicastMac(group), group);
          assert.equal(ip(f[0]).ttl, 1);
        }
        // The joined group, and 224.0.0.1 (every interface is in the all-hosts group): both loop back.
        assert.equal(r.result.delivered.length, 3, 'the joined group and the all-hosts group are looped back');
        assert.equal(r.result.delivered.filter((d) => d.accepted).length, 2, 'only the joined group has a socket that takes it');
      });

      it('OutMcastPkts/Octets count each multicast packet reaching ip_finish_output2 (not the TTL 0 one, not the looped copies)', () => {
        const r = run(name, kernel);
        const mc = onDev(r).filter((f) => ethDst(f).startsWith('01:00:5e'));
        assert.equal(mc.length, 6);
        assert.equal(r.result.counters.Ip.OutMcastPkts, mc.length);
        assert.equal(r.result.counters.Ip.OutMcastOctets, mc.reduce((n, f) => n + ip(f).totLen, 0));
      });

      it('the route\'s output (docs/kernel.md §2.1): ip_mc_output for the joined group, plain ip_output for the others', () => {
        const r = run(name, kernel);
        const joined = callChain(r, 'ip_finish_output2', sendOn(r, 'loop').packets[0]);
        assert.ok(joined.includes('ip_mc_output') && !joined.includes('ip_output'), joined.join(' -> '));
        const other = callChain(r, 'ip_finish_output2', sendOn(r, 'ssdp').packets[0]);
        assert.ok(other.includes('ip_output') && !other.includes('ip_mc_output'), other.join(' -> '));
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

describe('s11-16: broadcast', () => {
  const name = 's11-16-broadcast';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('10.0.0.255 without SO_BROADCAST: EACCES, nothing sent', () => {
        const r = run(name, kernel);
        const s = sendOn(r, 'nobcast');
        assert.equal(s.result, 'EACCES');
        assert.equal(framesOf(r, s).length, 0);
      });

      it('with SO_BROADCAST: ff:ff:ff:ff:ff:ff, TTL 64, DF, a 62-byte frame for 20 B, no ARP', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'subnet'));
        assert.equal(f.length, 1);
        assert.equal(ethDst(f[0]), 'ff:ff:ff:ff:ff:ff');
        assert.equal(ip(f[0]).dst, '10.0.0.255');
        assert.equal(ip(f[0]).ttl, 64);
        assert.equal(ip(f[0]).df, true);
        assert.equal(f[0].len, 62);
        assert.equal(r.result.frames.filter(isArp).length, 0);
      });

      it('ip_finish_output2 says which counter the route type moves (rt_type RTN_BROADCAST)', () => {
        const r = run(name, kernel);
        const o2 = r.trace.filter((l) => l.function === 'ip_finish_output2');
        assert.ok(o2.length > 0);
        for (const l of o2) assert.match(l.decision, new RegExp(`^RTN_BROADCAST: OutBcastPkts\\+\\+, OutBcastOctets \\+= ${l.len};`));
        assert.equal(r.result.counters.Ip.OutBcastPkts, o2.length);
      });

      it('255.255.255.255 with SO_BROADCAST but no device and no default route: ENETUNREACH', () => {
        const r = run(name, kernel);
        const s = sendOn(r, 'limited');
        assert.equal(s.result, 'ENETUNREACH');
        assert.equal(framesOf(r, s).length, 0);
      });

      it('255.255.255.255 with SO_BINDTODEVICE veth0: goes out to ff:ff:ff:ff:ff:ff, TTL 64, DF', () => {
        const r = run(name, kernel);
        const s = sendOn(r, 'limited-dev');
        assert.equal(s.result, 'ok');
        const f = framesOf(r, s);
        assert.equal(f.length, 1);
        assert.equal(ethDst(f[0]), 'ff:ff:ff:ff:ff:ff');
        assert.equal(ip(f[0]).dst, '255.255.255.255');
        assert.equal(ip(f[0]).ttl, 64);
        assert.equal(ip(f[0]).df, true);
        assert.equal(f[0].len, 62);
        assertFramesClean(r.result.frames);
      });

      it('a broadcast route outputs through ip_mc_output (RTCF_BROADCAST and RTCF_LOCAL, docs/kernel.md §2.1)', () => {
        const r = run(name, kernel);
        const chain = callChain(r, 'ip_finish_output2', sendOn(r, 'subnet').packets[0]);
        assert.ok(chain.includes('ip_mc_output'), chain.join(' -> '));
      });

      it('OutBcastPkts/Octets count the 2 broadcasts sent', () => {
        const r = run(name, kernel);
        const b = onDev(r).filter((f) => ethDst(f) === 'ff:ff:ff:ff:ff:ff');
        assert.equal(b.length, 2);
        assert.equal(r.result.counters.Ip.OutBcastPkts, 2);
        assert.equal(r.result.counters.Ip.OutBcastOctets, b.reduce((n, f) => n + ip(f).totLen, 0));
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-17: loopback', () => {
  const name = 's11-17-loopback';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('3000 B to the host\'s own address: one packet on lo, DF, tot_len 3028, frame 3042, MACs zero', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'self'));
        assert.equal(f.length, 1, 'lo has MTU 65536: no fragmentation');
        assert.equal(f[0].dev, 'lo');
        assert.equal(ip(f[0]).totLen, 3028);
        assert.equal(f[0].len, 3042);
        assert.equal(ip(f[0]).df, true);
        assert.equal(ip(f[0]).mf, false);
        assert.equal(ip(f[0]).src, A);
        assert.equal(ip(f[0]).dst, A);
        assert.equal(ethDst(f[0]), ZERO_MAC);
        assert.equal(ethSrc(f[0]), ZERO_MAC);
        assert.equal(udp(f[0]).checkOk, true);
      });

      it('1 B to 127.0.0.1: a 43-byte frame', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'lo1'));
        assert.equal(f.length, 1);
        assert.equal(f[0].dev, 'lo');
        assert.equal(f[0].len, 43);
        assert.equal(ip(f[0]).dst, '127.0.0.1');
      });

      it('nothing on veth0, and both datagrams come back to this host', () => {
        const r = run(name, kernel);
        assert.equal(onDev(r).length, 0);
        assert.equal(r.result.delivered.filter((d) => d.via === 'loopback').length, 2);
        assert.equal(r.result.counters.Ip.FragCreates, 0);
      });

      it('lo keeps one neighbour, 0.0.0.0 NOARP, as `ip neigh show nud all dev lo` lists on the real kernel', () => {
        const r = run(name, kernel);
        const lo = r.result.neighbours.filter((n) => n.dev === 'lo');
        assert.deepEqual(lo.map((n) => [n.dst, n.state]), [['0.0.0.0', 'NOARP']]);
      });

      it('ip_finish_output2 keeps the route\'s next hop; only the lookup key is 0.0.0.0', () => {
        const r = run(name, kernel);
        const o2 = r.trace.filter((l) => l.function === 'ip_finish_output2').map((l) => l.decision);
        assert.ok(o2.some((d) => d.includes(`nexthop ${A} `)), o2.join('\n'));
        assert.ok(o2.some((d) => d.includes('nexthop 127.0.0.1 ')), o2.join('\n'));
        assert.ok(!o2.some((d) => d.includes('nexthop 0.0.0.0')), o2.join('\n'));
        const lookups = r.trace.filter((l) => l.function === '__ipv4_neigh_lookup_noref').map((l) => l.decision);
        assert.ok(lookups.length >= 2 && lookups.every((d) => / 0\.0\.0\.0\b/.test(d)), lookups.join('\n'));
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-18: MASQUERADE at POST_ROUTING on the sender', () => {
  const name = 's11-18-masquerade';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('the source becomes the interface address; ports kept; IP and UDP checksums valid', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'm'));
        assert.equal(f.length, 1);
        assert.equal(ip(f[0]).src, A, 'veth0\'s address');
        assert.equal(ip(f[0]).dst, '10.0.0.2');
        assert.equal(udp(f[0]).sport, 37645);
        assert.equal(udp(f[0]).dport, 3);
        assert.equal(ip(f[0]).checkOk, true);
        assert.equal(udp(f[0]).checkOk, true);
        assert.equal(ip(f[0]).df, true, 'DF kept');
      });

      it('the ID is kept: the same as without the rule', () => {
        const r = run(name, kernel);
        const plain = runVariant(name, kernel, 'no-nat', (s) => ({ ...s, nft: [] }));
        const natted = framesOf(r, sendOn(r, 'm'))[0];
        const orig = framesOf(plain, sendOn(plain, 'm'))[0];
        assert.equal(ip(orig).src, '10.1.0.1', 'without the rule the source stays');
        assert.equal(ip(natted).id, ip(orig).id);
        assert.equal(ip(natted).ttl, ip(orig).ttl);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-19: nft DROP at POST_ROUTING', () => {
  const name = 's11-19-nft-drop';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('sendto returns EPERM; nothing on the wire, no ARP', () => {
        const r = run(name, kernel);
        assert.equal(sendOn(r, 'd').result, 'EPERM');
        assert.equal(r.result.frames.length, 0);
        assert.equal(r.result.drops.length, 1);
        assert.equal(r.result.drops[0].reason, 'NETFILTER_DROP');
      });

      it('OutRequests +1, OutDiscards +1', () => {
        const ipc = run(name, kernel).result.counters.Ip;
        assert.equal(ipc.OutRequests, 1, kernel === '4.9' ? 'counted in ip_output, before the hook' : 'counted in __ip_local_out');
        assert.equal(ipc.OutDiscards, 1);
        assert.equal(ipc.OutTransmits, 0);
      });

      it('the (empty) pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});


