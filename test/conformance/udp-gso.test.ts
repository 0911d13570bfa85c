// docs/kernel.md §4 (UDP GSO): UDP_SEGMENT (`gso N`) on 6.18, without and with offload
// (test/scenarios/p-udp-gso, p-udp-gso-offload; both captured on a 6.18 kernel), and 4.9, which
// has no such option. Numbers are the kernel's rules: 28 header bytes, 128 segments at most.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { run, framesOf, sendOn, sendsOn, ip, udp } from '../helpers/conformance';

const HDR = 20 + 8;
const seg = (n: number): number => 14 + HDR + n;

describe('p-udp-gso: UDP_SEGMENT without offload (6.18)', () => {
  const name = 'p-udp-gso';

  it('3000 B with gso 1400: one GSO skb through ip_finish_output_gso, cut in validate_xmit_skb', () => {
    const r = run(name);
    const g = sendsOn(r, 'g')[0];
    assert.equal(g.result, 'ok');
    const f = framesOf(r, g);
    assert.deepEqual(f.map((x) => x.len), [seg(1400), seg(1400), seg(200)]);
    assert.deepEqual(f.map((x) => udp(x).len), [8 + 1400, 8 + 1400, 8 + 200]);
    assert.ok(f.every((x) => udp(x).checkOk), 'segments carry complete checksums');
    assert.ok(f.every((x) => !ip(x).df && !ip(x).mf && ip(x).fragOffset === 0), 'not fragments');
    const id = ip(f[0]).id;
    assert.deepEqual(f.map((x) => ip(x).id), [id, (id + 1) & 0xffff, (id + 2) & 0xffff]);
    const at0 = r.trace.filter((l) => l.time === 0);
    const gso = at0.find((l) => l.function === 'ip_finish_output_gso');
    assert.ok(gso, 'the skb_is_gso branch of __ip_finish_output');
    assert.match(gso.decision, new RegExp(`segments of ${HDR + 1400} fit mtu 1500`));
    assert.equal(at0.filter((l) => l.function === 'ip_finish_output2').length, 1, 'one skb down to the device');
    assert.match(at0.find((l) => l.function === 'validate_xmit_skb')!.decision, /segment in software/);
    assert.equal(r.result.counters.Ip.FragCreates, 0);
  });

  it('a datagram of at most gso bytes is an ordinary one (DF as usual)', () => {
    const r = run(name);
    const f = framesOf(r, sendsOn(r, 'g')[1]);
    assert.deepEqual(f.map((x) => x.len), [seg(1000)]);
    assert.equal(ip(f[0]).df, true);
  });

  it('28 + min(size, gso) above the MTU: EMSGSIZE, even for a size that would be fragmented without gso', () => {
    const r = run(name);
    for (const s of [sendOn(r, 'big'), sendOn(r, 'big2')]) {
      assert.equal(s.result, 'EMSGSIZE');
      assert.equal(framesOf(r, s).length, 0);
    }
  });

  it('more than 128 segments (UDP_MAX_SEGMENTS): EINVAL; exactly 128 go out', () => {
    const r = run(name);
    const many = sendOn(r, 'many');
    assert.equal(many.result, 'EINVAL');
    assert.equal(framesOf(r, many).length, 0);
    const max = sendOn(r, 'max');
    assert.equal(max.result, 'ok');
    assert.equal(framesOf(r, max).length, 128);
  });

  it('df do: every segment carries DF, and an unconnected DO datagram counts IDs up from 0', () => {
    const r = run(name);
    const f = framesOf(r, sendOn(r, 'do'));
    assert.equal(f.length, 3);
    assert.ok(f.every((x) => ip(x).df));
    assert.deepEqual(f.map((x) => ip(x).id), [0, 1, 2]);
  });

  it('a connected socket reserves one ID per datagram: the next datagram starts at ID + 1', () => {
    const r = run(name);
    const [a, b] = sendsOn(r, 'c');
    const ia = framesOf(r, a).map((x) => ip(x).id);
    const ib = framesOf(r, b).map((x) => ip(x).id);
    assert.equal(ia.length, 3);
    assert.equal(ib[0], (ia[0] + 1) & 0xffff);
  });

  it('4.9 has no UDP_SEGMENT: setsockopt says ENOPROTOOPT and the datagram is fragmented as usual', () => {
    const r = run(name, '4.9');
    const g = sendsOn(r, 'g')[0];
    assert.equal(g.result, 'ok');
    assert.deepEqual(g.setsockopt, [{ option: 'UDP_SEGMENT', result: 'ENOPROTOOPT' }]);
    assert.deepEqual(framesOf(r, g).map((x) => x.len), [1514, 1514, 82]);
  });
});

describe('p-udp-gso-offload: UDP_SEGMENT over a veth with offload on (6.18)', () => {
  const name = 'p-udp-gso-offload';

  it('the device takes the GSO skb whole: one frame, UDP length of the whole datagram, checksum seed only', () => {
    const r = run(name);
    const f = framesOf(r, sendsOn(r, 'g')[0]);
    assert.deepEqual(f.map((x) => x.len), [14 + HDR + 3000]);
    assert.equal(udp(f[0]).len, 8 + 3000);
    assert.equal(udp(f[0]).checkOk, false);
    assert.match(r.trace.find((l) => l.function === 'validate_xmit_skb')!.decision, /takes the GSO skb whole/);
  });

  it('two datagrams on a connected socket: consecutive IDs', () => {
    const r = run(name);
    const [a, b] = sendsOn(r, 'c');
    assert.equal(ip(framesOf(r, b)[0]).id, (ip(framesOf(r, a)[0]).id + 1) & 0xffff);
  });
});
