// docs/kernel.md, s11-10 to s11-14b: the neighbour layer on the sending host (ARP request
// bytes, resolution failure, queue overflow, queue flush order, unicast probing). Times are
// checked against the observed ranges: the model's HZ is 250 (4 ms jiffies) and its timer wheel
// rounds like the real kernel's, so the first ARP retransmit comes 1000..1032 ms after the first
// request and every later one 1024 ms (256 jiffies) apart (docs/kernel.md §5.11).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KERNELS, TSHARK_SKIP, run, assertCleanPcap, tx, onDev, ip, arp, bytes, ethDst, ethSrc, ms, framesOf,
  sendsOn, sendOn, isArp, isIp, arpRequests, assertBetween, assertFramesClean,
} from '../helpers/conformance';

const A = '10.0.0.1';
const MAC_A = 'a6:31:3b:42:88:c9';
const MAC_B = 'a6:26:80:6a:63:45';
const ZERO_MAC = '00:00:00:00:00:00';

/** unres_qlen_bytes (docs/kernel.md §5.4): 4.9 65536; 6.x SK_WMEM_MAX = 212992. */
const UNRES_QLEN_BYTES = { '6.18': 212992, '4.9': 65536 } as const;
/** truesize of a 1028-byte UDP datagram (GT 6.18: 2304; 4.9 allocates the same kmalloc-2048 head). */
const TRUESIZE_1028 = 2304;

describe('s11-10: ARP request bytes', () => {
  const name = 's11-10-arp-request';
  const GT =
    'ffffffffffff' + 'a6313b4288c9' + '0806' +
    '0001' + '0800' + '06' + '04' + '0001' + 'a6313b4288c9' + '0a000001' + '000000000000' + '0a000002';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('the request is exactly the 42 GT bytes (tha zero, unpadded)', () => {
        const req = tx(run(name, kernel))[0];
        assert.ok(isArp(req));
        assert.equal(req.len, 42);
        assert.equal(bytes(req).toString('hex'), GT);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-11: resolution failure on a connected IP_RECVERR socket', () => {
  const name = 's11-11-resolution-failure';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('3 broadcast ARP requests at ~0, ~1.0x and ~2.0x s, nothing else on veth0', () => {
        const r = run(name, kernel);
        const wire = onDev(r);
        assert.equal(wire.length, 3);
        assert.deepEqual(arpRequests(wire), wire);
        for (const f of wire) {
          assert.equal(ethDst(f), 'ff:ff:ff:ff:ff:ff');
          assert.equal(arp(f).tpa, '10.0.0.99');
          assert.equal(arp(f).tha, ZERO_MAC);
        }
        const [t0, t1, t2] = wire.map(ms);
        assertBetween(t0, 0, 1, 'first request');
        assertBetween(t1 - t0, 1000, 1032, 'first retransmit');
        assertBetween(t2 - t1, 1023.5, 1024.5, 'second retransmit');
      });

      it('FAILED ~1024 ms after the 3rd request: one ICMP 3/1 from A to A on lo, MACs zero, TOS 0xc0, tot_len 156', () => {
        const r = run(name, kernel);
        const t2 = ms(onDev(r)[2]);
        const lo = onDev(r, 'lo');
        assert.equal(lo.length, 1);
        const e = lo[0];
        assertBetween(ms(e) - t2, 1023.5, 1024.5, 'FAILED after the last request');
        assert.equal(ethDst(e), ZERO_MAC);
        assert.equal(ethSrc(e), ZERO_MAC);
        const h = ip(e);
        assert.equal(h.src, A);
        assert.equal(h.dst, A);
        assert.equal(h.tos, 0xc0);
        assert.equal(h.totLen, 156, '20 + 8 + the whole 128-byte datagram');
        assert.equal(e.len, 170);
        assert.equal(e.decoded.icmp?.type, 3);
        assert.equal(e.decoded.icmp?.code, 1);
        assert.equal(e.decoded.icmp?.checkOk, true);
        // The quoted datagram is the original: UDP from A to 10.0.0.99.
        const quoted = bytes(e).subarray(14 + 28);
        assert.equal([...quoted.subarray(16, 20)].join('.'), '10.0.0.99');
        assert.equal(quoted[9], 17);
        assertFramesClean(lo);
      });

      it('the socket gets EHOSTUNREACH, with the original payload in its error queue', () => {
        const r = run(name, kernel);
        assert.equal(sendOn(r, 'c').result, 'ok');
        const sk = r.result.sockets.find((s) => s.name === 'c')!;
        assert.equal(sk.pendingError, 'EHOSTUNREACH');
        assert.equal(sk.errqueue.length, 1);
        assert.equal(sk.errqueue[0].errno, 'EHOSTUNREACH');
        assert.equal(sk.errqueue[0].origin, 'icmp');
        assert.equal(sk.errqueue[0].payloadLen, 100);
      });

      it('counters: OutRequests +2, OutTransmits +2 (6.x), Icmp OutDestUnreachs +1, res_failed +1', () => {
        const c = run(name, kernel).result.counters;
        assert.equal(c.Ip.OutRequests, 2, 'the UDP datagram and the ICMP error');
        assert.equal(c.Ip.OutTransmits, kernel === '6.18' ? 2 : 0, 'counted before the neighbour; 4.9 has none');
        assert.equal(c.Icmp.OutDestUnreachs, 1);
        assert.equal(c.ArpCache.res_failed, 1);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-12: ARP queue overflow, 400 x 1000 B', () => {
  const name = 's11-12-queue-overflow';
  for (const kernel of KERNELS) {
    const kept = Math.floor(UNRES_QLEN_BYTES[kernel] / TRUESIZE_1028);
    const dropped = 400 - kept;
    describe(`kernel ${kernel}: floor(${UNRES_QLEN_BYTES[kernel]}/${TRUESIZE_1028}) = ${kept} kept`, () => {
      it(kernel === '6.18' ? 'the observed numbers: 92 kept, 308 dropped' : 'the number of the 4.9 rule: 28 kept', () => {
        assert.equal(kept, kernel === '6.18' ? 92 : 28);
      });

      it(`every sendto succeeds; the ${dropped} oldest are dropped as NEIGH_QUEUEFULL, oldest first`, () => {
        const r = run(name, kernel);
        const sends = sendsOn(r, 'q');
        assert.equal(sends.length, 400);
        assert.ok(sends.every((s) => s.result === 'ok'));
        const full = r.result.drops.filter((d) => d.reason === 'NEIGH_QUEUEFULL');
        assert.deepEqual(full.map((d) => d.packet), sends.slice(0, dropped).map((s) => s.packets[0]));
        assert.equal(r.result.counters.ArpCache.unresolved_discards, dropped);
      });

      // All 92 are reported at failure; the captured 6.18 kernel sent errors for 43 to 58 of them: the
      // global ICMP rate limit (a burst of 50, each message spending 0, 1 or 2 credits at random) applies
      // because the packets' device is veth0, not lo. 4.9 spends exactly one credit per message.
      it(`at failure the last ${kept} (#${dropped}..#399) are freed as NEIGH_FAILED; the first of them get ICMP host unreachable of 576 bytes, in order, as the global rate limit allows`, () => {
        const r = run(name, kernel);
        const sends = sendsOn(r, 'q');
        const failed = r.result.drops.filter((d) => d.reason === 'NEIGH_FAILED');
        assert.deepEqual(failed.map((d) => d.packet), sends.slice(dropped).map((s) => s.packets[0]));
        const allowed = r.result.icmp.length;
        if (kept > 50) {
          if (kernel === '4.9') assert.equal(allowed, 50);
          else assertBetween(allowed, 25, 92, 'about 50 (burst 50, one credit per message on average)');
        } else {
          assert.equal(allowed, kept);
        }
        assert.deepEqual(r.result.icmp.map((e) => e.about), sends.slice(dropped, dropped + allowed).map((s) => s.packets[0]));
        assert.ok(r.result.icmp.every((e) => e.type === 3 && e.code === 1));
        const lo = onDev(r, 'lo');
        assert.equal(lo.length, allowed);
        const lastRequest = ms(arpRequests(onDev(r))[2]);
        for (const f of lo) {
          assertBetween(ms(f) - lastRequest, 1023.5, 1024.5, 'at FAILED, 1024 ms after the 3rd request');
          assert.equal(ip(f).totLen, 576, '20 + 8 + 548 quoted bytes');
          assert.equal(ip(f).tos, 0xc0);
          assert.equal(f.len, 590);
        }
        assertFramesClean(lo);
      });

      it('no datagram reaches veth0: only the 3 ARP requests', () => {
        const r = run(name, kernel);
        const wire = onDev(r);
        assert.equal(wire.length, 3);
        assert.deepEqual(arpRequests(wire), wire);
      });

      it(kernel === '6.18' ? 'OutTransmits = 400 + the errors sent' : 'no OutTransmits on 4.9; OutRequests counts datagrams and errors', () => {
        const res = run(name, kernel).result;
        const c = res.counters;
        const allowed = res.icmp.length;
        assert.equal(c.Ip.OutRequests, 400 + allowed);
        assert.equal(c.Ip.OutTransmits, kernel === '6.18' ? 400 + allowed : 0);
        assert.equal(c.Icmp.OutDestUnreachs, allowed);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-13: queue and flush order', () => {
  const name = 's11-13-queue-flush-order';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('one ARP at 0, a second about 1 s later, the reply, then #0..#4 back to back; no extra ARP', () => {
        const r = run(name, kernel);
        const wire = onDev(r);
        assert.equal(wire.length, 2 + 1 + 5);
        const [req1, req2, rep, ...data] = wire;
        assert.ok(isArp(req1) && isArp(req2) && isArp(rep));
        assert.equal(arpRequests(wire).length, 2);
        assert.equal(ethDst(req2), 'ff:ff:ff:ff:ff:ff', 'the second request is a broadcast too');
        assertBetween(ms(req1), 0, 1, 'first request');
        assertBetween(ms(req2) - ms(req1), 1000, 1032, 'the retransmit (GT 1.002 s)');
        assert.equal(rep.dir, 'rx');
        assert.equal(arp(rep).op, 2);
        const sends = sendsOn(r, 'q');
        assert.deepEqual(data.map((f) => f.packet), sends.map((s) => s.packets[0]), '#0, #1, #2, #3, #4 in order');
        assert.ok(data.every((f) => isIp(f) && f.time === rep.time), 'flushed right after the reply');
        assertFramesClean(data);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-14: unicast probing (base_reachable_time 1 s, delay_first_probe_time 1 s)', () => {
  const name = 's11-14-unicast-probe';
  const SEND = 3500; // the entry is STALE by then whatever reachable_time was drawn
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('just before the send the entry is STALE', () => {
        const n = run(name, kernel, SEND - 1).result.neighbours.find((x) => x.dst === '10.0.0.2');
        assert.equal(n?.state, 'STALE');
        assert.equal(n?.lladdr, MAC_B);
      });

      it('the send leaves at once with the cached MAC, and the entry becomes DELAY', () => {
        const r = run(name, kernel, SEND + 1);
        const f = framesOf(r, sendOn(r, 'stale'));
        assert.equal(f.length, 1);
        assert.equal(ms(f[0]), SEND);
        assert.equal(ethDst(f[0]), MAC_B);
        assert.equal(r.result.neighbours.find((x) => x.dst === '10.0.0.2')?.state, 'DELAY');
        assert.ok(onDev(r).filter((x) => ms(x) >= SEND).every((x) => !isArp(x)), 'no ARP before it');
      });

      it('~1 s later a unicast ARP request (Ethernet dst = cached MAC, tha zero); the reply makes it REACHABLE', () => {
        const r = run(name, kernel);
        const after = onDev(r).filter((x) => ms(x) >= SEND);
        const reqs = arpRequests(after);
        assert.equal(reqs.length, 1);
        const req = reqs[0];
        assertBetween(ms(req) - SEND, 1000, 1032, 'delay_first_probe_time, then the probe (GT 1009.5 ms)');
        assert.equal(ethDst(req), MAC_B, 'unicast to the cached MAC');
        assert.equal(arp(req).tha, ZERO_MAC);
        assert.equal(arp(req).tpa, '10.0.0.2');
        assert.equal(arp(req).spa, A);
        assert.equal(arp(req).sha, MAC_A);
        const rep = after.find((x) => x.dir === 'rx' && isArp(x));
        assert.ok(rep && rep.time >= req.time && arp(rep).op === 2);
        // The state right after the reply (later the random reachable_time may run out again).
        const n = run(name, kernel, Math.ceil(ms(rep)) + 1).result.neighbours.find((x) => x.dst === '10.0.0.2');
        assert.equal(n?.state, 'REACHABLE');
        assert.equal(n?.probes, 1, 'GT (o): probes=1');
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('s11-14b: unicast probes to a neighbour that has gone away', () => {
  const name = 's11-14b-unicast-probe-failure';
  const SEND = 100;
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('the send leaves at once with the cached MAC (STALE -> DELAY)', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 's'));
        assert.equal(f.length, 1);
        assert.equal(ms(f[0]), SEND);
        assert.equal(ethDst(f[0]), MAC_B);
        assert.equal(run(name, kernel, SEND + 1).result.neighbours.find((x) => x.dst === '10.0.0.2')?.state, 'DELAY');
      });

      it('after delay_first_probe_time (5 s; the timer wheel adds up to 256 ms at that range): 3 unicast probes 1 s apart, tha zero', () => {
        const r = run(name, kernel);
        const reqs = arpRequests(onDev(r));
        assert.equal(reqs.length, 3);
        for (const q of reqs) {
          assert.equal(ethDst(q), MAC_B, 'unicast to the cached MAC');
          assert.equal(arp(q).tha, ZERO_MAC);
          assert.equal(arp(q).tpa, '10.0.0.2');
        }
        const [p0, p1, p2] = reqs.map(ms);
        assertBetween(p0 - SEND, 5000, 5256, 'DELAY -> PROBE');
        assertBetween(p1 - p0, 1000, 1032, 'second probe');
        assertBetween(p2 - p1, 1000, 1032, 'third probe');
      });

      it('FAILED about 1 s after the third probe (about 3 s after the first); nothing queued, so no ICMP', () => {
        const r = run(name, kernel);
        const p2 = ms(arpRequests(onDev(r))[2]);
        const state = (t: number) => run(name, kernel, t).result.neighbours.find((x) => x.dst === '10.0.0.2')?.state;
        assert.equal(state(Math.floor(p2) + 999), 'PROBE');
        assert.equal(state(Math.ceil(p2) + 1033), 'FAILED');
        assert.deepEqual(r.result.icmp, []);
        assert.equal(r.result.counters.ArpCache.res_failed, 1);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});
