// docs/kernel.md §4 (GSO, TSO and UFO) on a link with `offload on` (test/scenarios/p-offload-veth):
// checksum offload on small datagrams, 4.9 UFO on veth (one frame, one ID per datagram), and IP
// fragmentation where there is no UFO (6.18, and a physical NIC on 4.9).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KERNELS, run, runVariant, framesOf, sendOn, sendsOn, ip, udp } from '../helpers/conformance';

const name = 'p-offload-veth';

describe('p-offload-veth: TX offload on a veth', () => {
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('100 B leaves CHECKSUM_PARTIAL: the frame carries only the pseudo-header seed', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'small'));
        assert.equal(f.length, 1);
        assert.equal(f[0].len, 142);
        assert.equal(udp(f[0]).checkOk, false, 'the device would finish the checksum');
        assert.ok(!r.trace.some((l) => l.function === 'skb_checksum_help' && l.time === 0), 'no software checksum for it');
      });
    });
  }

  it('6.18: no UFO: each 3000 B datagram is 3 IP fragments with one ID, consecutive datagrams', () => {
    const r = run(name, '6.18');
    const [a, b] = sendsOn(r, 'big');
    const fa = framesOf(r, a);
    const fb = framesOf(r, b);
    assert.deepEqual(fa.map((f) => f.len), [1514, 1514, 82]);
    assert.deepEqual(fb.map((f) => f.len), [1514, 1514, 82]);
    assert.equal(new Set(fa.map((f) => ip(f).id)).size, 1);
    assert.equal(ip(fb[0]).id, (ip(fa[0]).id + 1) & 0xffff, 'one ID per datagram, same jiffy');
    assert.equal(r.result.counters.Ip.FragCreates, 6);
    assert.ok(!r.trace.some((l) => l.function === 'ip_finish_output_gso'));
  });

  it('4.9: UFO on veth: one 3042-byte frame per datagram, no IP fragmentation counted', () => {
    const r = run(name, '4.9');
    const [a, b] = sendsOn(r, 'big');
    const fa = framesOf(r, a);
    const fb = framesOf(r, b);
    assert.deepEqual(fa.map((f) => f.len), [3042]);
    assert.deepEqual(fb.map((f) => f.len), [3042]);
    assert.equal(ip(fa[0]).totLen, 3028);
    assert.equal(ip(fa[0]).df, false);
    assert.equal(r.result.counters.Ip.FragCreates, 0);
    assert.equal(r.result.counters.Ip.FragOKs, 0);
    const gso = r.trace.filter((l) => l.function === 'ip_finish_output_gso');
    assert.equal(gso.length, 2);
    assert.match(gso[0].decision, /segments of 1500 fit mtu 1500/);
  });

  it('4.9: __ip_make_skb reserves one ID per UFO datagram, not one per segment', () => {
    const r = run(name, '4.9');
    const [a, b] = sendsOn(r, 'big');
    const ida = ip(framesOf(r, a)[0]).id;
    const idb = ip(framesOf(r, b)[0]).id;
    // Both calls happen in the same jiffy: the hashed generator moves by exactly the IDs reserved.
    assert.equal(idb, (ida + 1) & 0xffff, `IDs ${ida} then ${idb}`);
  });

  it('4.9: a physical NIC (type ethernet) with offload on has no UFO: IP fragments, checksum offload kept', () => {
    const r = runVariant(name, '4.9', 'ethernet', (s) => ({ ...s, links: s.links.map((l) => ({ ...l, type: 'ethernet' as const })) }));
    const [a, b] = sendsOn(r, 'big');
    assert.deepEqual(framesOf(r, a).map((f) => f.len), [1514, 1514, 82]);
    assert.deepEqual(framesOf(r, b).map((f) => f.len), [1514, 1514, 82]);
    assert.equal(r.result.counters.Ip.FragCreates, 6);
    assert.ok(!r.trace.some((l) => l.function === 'ip_finish_output_gso'));
  });
});
