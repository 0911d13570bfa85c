// docs/kernel.md §4 (UDP GSO): UDP_SEGMENT (`gso N`) on 6.18, without and with offload
// (test/scenarios/p-udp-gso, p-udp-gso-offload; both captured on a 6.18 kernel), and 4.9, which
// has no such option. Numbers are the kernel's rules: 28 header bytes, 128 segments at most.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { run, framesOf, sendOn, sendsOn, ip, udp, loadScenario } from '../helpers/conformance';
import { createKernel, runKernel, resultOf } from '../../src/model/run';
import { Tracer } from '../../src/model/trace';
import type { Kernel } from '../../src/model/kernel/kernel';
import type { Watcher } from '../../src/model/kernel/watch';

const HDR = 20 + 8;
const seg = (n: number): number => 14 + HDR + n;

describe('p-udp-gso: UDP_SEGMENT without offload (6.18)', () => {
  const name = 'p-udp-gso';

  it('3000 B with gso 1400: one GSO skb through ip_finish_output_gso, cut in validate_xmit_skb', () => {
    const r = run(name);
    const g = sendsOn(r, 'g')[1];
    assert.equal(g.result, 'ok');
    const f = framesOf(r, g);
    assert.deepEqual(f.map((x) => x.len), [seg(1400), seg(1400), seg(200)]);
    assert.deepEqual(f.map((x) => udp(x).len), [8 + 1400, 8 + 1400, 8 + 200]);
    assert.ok(f.every((x) => udp(x).checkOk), 'segments carry complete checksums');
    assert.ok(f.every((x) => !ip(x).df && !ip(x).mf && ip(x).fragOffset === 0), 'not fragments');
    const id = ip(f[0]).id;
    assert.deepEqual(f.map((x) => ip(x).id), [id, (id + 1) & 0xffff, (id + 2) & 0xffff]);
    const at0 = r.trace.filter((l) => l.time === 100 * 1_000_000);
    const gso = at0.find((l) => l.function === 'ip_finish_output_gso');
    assert.ok(gso, 'the skb_is_gso branch of __ip_finish_output');
    assert.match(gso.decision, new RegExp(`segments of ${HDR + 1400} fit mtu 1500`));
    assert.equal(at0.filter((l) => l.function === 'ip_finish_output2').length, 1, 'one skb down to the device');
    assert.match(at0.find((l) => l.function === 'validate_xmit_skb')!.decision, /segment in software/);
    assert.equal(r.result.counters.Ip.FragCreates, 0);
  });

  it('a datagram of at most gso bytes is an ordinary one (DF as usual)', () => {
    const r = run(name);
    const f = framesOf(r, sendsOn(r, 'g')[0]);
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

  it('segments above the MTU at ip_finish_output_gso (the MTU lowered after udp_send_skb): segmented there, each segment fragmented', () => {
    // A local sender's route cannot change between udp_send_skb and ip_finish_output in the model
    // yet (that takes a LOCAL_OUT reroute), so the test lowers the device MTU at that moment.
    const scenario = { ...loadScenario(name), sends: loadScenario(name).sends.slice(1, 2) };
    let k: Kernel | null = null;
    const tracer = new Tracer(() => k!.now, null);
    const t: Watcher = tracer;
    const w: Watcher = {
      enter(fn, skb, args) {
        if (fn === '__ip_finish_output' && skb?.gso_size) skb.dst!.dev.mtu = 1200;
        t.enter(fn, skb, args);
      },
      at: (label, locals) => t.at(label, locals),
      note: (text) => t.note(text),
      leave: (ret) => t.leave(ret),
      exception: (kind, detail) => t.exception(kind, detail),
      context: (ctx, label) => t.context(ctx, label),
    };
    k = createKernel(scenario, { watcher: w });
    runKernel(k, scenario.run);
    tracer.flush();
    const r = resultOf(k, scenario);
    const data = (1200 - 20) & ~7;
    // Segments of 28 + 1400 bytes: fragments of 20 + 1176 and 20 + 232; the last segment (228) fits.
    assert.deepEqual(r.frames.map((f) => f.len), [14 + 20 + data, 14 + 20 + 1408 - data, 14 + 20 + data, 14 + 20 + 1408 - data, 14 + 228]);
    const ids = r.frames.map((f) => f.decoded.ip!.id);
    assert.equal(ids[0], ids[1], 'fragments of one segment share its ID');
    assert.equal(ids[2], (ids[0] + 1) & 0xffff);
    assert.equal(ids[4], (ids[0] + 2) & 0xffff);
    // ip_fragment runs on every segment, the one that fits too (a single 'fragment', offset 0, no MF).
    assert.equal(r.counters.Ip.FragOKs, 3);
    assert.equal(r.counters.Ip.FragCreates, 5);
    assert.ok(r.frames.slice(0, 4).every((f, i) => f.decoded.ip!.mf === (i % 2 === 0)));
    const gso = tracer.lines.find((l) => l.function === 'ip_finish_output_gso')!;
    assert.match(gso.decision, /segments of 1428 exceed mtu 1200/);
  });

  it('4.9 has no UDP_SEGMENT: setsockopt says ENOPROTOOPT and the datagram is fragmented as usual', () => {
    const r = run(name, '4.9');
    const g = sendsOn(r, 'g')[1];
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
