// The differences between the two kernel profiles that docs/kernel.md names (§2.2, §2.4, §2.7,
// §5.4, §11 and §12), seen from a watcher attached to the run: the call chain through
// ip_finish_output2 (4.9: dst_neigh_output; 6.x: __ip_finish_output and neigh_output), where
// OutRequests is counted (4.9: ip_output; 6.x: __ip_local_out), OutTransmits (6.x only, per packet
// in ip_finish_output2), and the unres_qlen_bytes default (4.9: 65536; 6.x: 212992).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KernelProfile } from '../../src/model/scenario/types';
import type { Watcher } from '../../src/model/kernel/watch';
import { createKernel, runKernel } from '../../src/model/run';
import {
  TSHARK_SKIP, assertCleanPcap, run, loadScenario, callChain, hasCalls, ranFunction, tx, isIp, sendOn, sendsOn, onDev, arpRequests, ms, assertBetween,
} from '../helpers/conformance';

/** Each modeled function entered, with the IP counters as they stood on entry. */
interface Entry {
  fn: string;
  packet: number;
  OutRequests: number;
  OutTransmits: number;
}

/** Runs a scenario with a watcher that notes the IP counters at every function entry. */
function countersAtEntry(name: string, kernel: KernelProfile): Entry[] {
  const s = { ...loadScenario(name), kernel };
  const entries: Entry[] = [];
  let k: ReturnType<typeof createKernel> | null = null;
  const watcher: Watcher = {
    enter(fn, skb) {
      const ipc = k!.net.counters.Ip;
      entries.push({ fn, packet: skb ? skb.id : 0, OutRequests: ipc.OutRequests, OutTransmits: ipc.OutTransmits });
    },
    at() {},
    note() {},
    leave() {},
    exception() {},
    context() {},
  };
  k = createKernel(s, { watcher });
  runKernel(k, s.run);
  return entries;
}

/** The counter on entry to the first call of `fn` (for `packet` when given). */
function at(entries: Entry[], fn: string, packet?: number): Entry {
  const e = entries.find((x) => x.fn === fn && (packet === undefined || x.packet === packet));
  assert.ok(e, `${fn} was never entered`);
  return e;
}

describe('profiles: the call chain from ip_finish_output2 to the neighbour', () => {
  // 100 B of UDP to a REACHABLE neighbour (13 (a), the sends at 100 and 200 ms).
  const name = 's13-a-udp-arp';

  it('6.18: ip_output -> ip_finish_output -> __ip_finish_output -> ip_finish_output2 -> neigh_output', () => {
    const r = run(name, '6.18');
    const pkt = sendsOn(r, 's')[1].packets[0];
    const chain = callChain(r, 'neigh_output', pkt);
    assert.ok(hasCalls(chain, ['ip_output', 'ip_finish_output', '__ip_finish_output', 'ip_finish_output2', 'neigh_output']), chain.join(' -> '));
    assert.equal(ranFunction(r, 'dst_neigh_output'), false);
  });

  it('4.9: ip_output -> ip_finish_output -> ip_finish_output2 -> dst_neigh_output (no __ip_finish_output, no neigh_output)', () => {
    const r = run(name, '4.9');
    const pkt = sendsOn(r, 's')[1].packets[0];
    const chain = callChain(r, 'dst_neigh_output', pkt);
    assert.ok(hasCalls(chain, ['ip_output', 'ip_finish_output', 'ip_finish_output2', 'dst_neigh_output']), chain.join(' -> '));
    assert.equal(ranFunction(r, '__ip_finish_output'), false);
    assert.equal(ranFunction(r, 'neigh_output'), false);
  });

  it('both: a REACHABLE entry with a cached header takes neigh_hh_output', () => {
    for (const kernel of ['6.18', '4.9'] as const) {
      const r = run(name, kernel);
      const pkt = sendsOn(r, 's')[1].packets[0];
      const chain = callChain(r, 'neigh_hh_output', pkt);
      assert.equal(chain[chain.length - 2], kernel === '6.18' ? 'neigh_output' : 'dst_neigh_output', chain.join(' -> '));
    }
  });

  it('the multicast loop copy: 6.18 through ip_mc_finish_output, 4.9 straight to dev_loopback_xmit (docs/kernel.md §7, §12)', () => {
    const r6 = run('s11-15-multicast', '6.18');
    const c6 = callChain(r6, 'dev_loopback_xmit');
    assert.ok(hasCalls(c6, ['ip_mc_output', 'ip_mc_finish_output', 'dev_loopback_xmit']), c6.join(' -> '));
    const r4 = run('s11-15-multicast', '4.9');
    const c4 = callChain(r4, 'dev_loopback_xmit');
    assert.ok(hasCalls(c4, ['ip_mc_output', 'dev_loopback_xmit']), c4.join(' -> '));
    assert.equal(ranFunction(r4, 'ip_mc_finish_output'), false);
  });

  it('fragments: each goes through ip_finish_output2 on its own, after ip_do_fragment', () => {
    for (const kernel of ['6.18', '4.9'] as const) {
      const r = run('s11-01-udp-3000-known-neighbour', kernel);
      const frags = tx(r).filter(isIp);
      for (const f of frags) {
        const chain = callChain(r, 'ip_finish_output2', f.packet);
        assert.ok(hasCalls(chain, ['ip_fragment', 'ip_do_fragment', 'ip_finish_output2']), `${kernel}: ${chain.join(' -> ')}`);
        assert.equal(chain.includes('__ip_finish_output'), kernel === '6.18', `${kernel}: ${chain.join(' -> ')}`);
      }
    }
  });
});

describe('profiles: where OutRequests and OutTransmits are counted', () => {
  const name = 's11-01-udp-3000-known-neighbour';

  it('6.18: OutRequests in __ip_local_out (before dst_output), once per datagram', () => {
    const e = countersAtEntry(name, '6.18');
    assert.equal(at(e, '__ip_local_out').OutRequests, 0);
    assert.equal(at(e, 'dst_output').OutRequests, 1);
    assert.equal(at(e, 'ip_output').OutRequests, 1);
  });

  it('4.9: OutRequests in ip_output (after dst_output, before POST_ROUTING and fragmentation), once per datagram', () => {
    const e = countersAtEntry(name, '4.9');
    assert.equal(at(e, 'dst_output').OutRequests, 0);
    assert.equal(at(e, 'ip_output').OutRequests, 0);
    assert.equal(at(e, 'ip_finish_output').OutRequests, 1);
    assert.ok(e.filter((x) => x.fn === 'ip_finish_output2').every((x) => x.OutRequests === 1));
  });

  it('broadcast: 4.9 counts OutRequests in ip_mc_output (docs/kernel.md §7 step 1), 6.18 in __ip_local_out', () => {
    const e4 = countersAtEntry('s11-16-broadcast', '4.9');
    assert.equal(at(e4, 'ip_mc_output').OutRequests, 0);
    assert.equal(at(e4, 'ip_finish_output').OutRequests, 1);
    const e6 = countersAtEntry('s11-16-broadcast', '6.18');
    assert.equal(at(e6, '__ip_local_out').OutRequests, 0);
    assert.equal(at(e6, 'ip_mc_output').OutRequests, 1);
  });

  it('6.18: OutTransmits per fragment in ip_finish_output2, before the neighbour', () => {
    const e = countersAtEntry(name, '6.18');
    const f2 = e.filter((x) => x.fn === 'ip_finish_output2').map((x) => x.OutTransmits);
    const out = e.filter((x) => x.fn === 'neigh_output').map((x) => x.OutTransmits);
    assert.deepEqual(f2, [0, 1, 2]);
    assert.deepEqual(out, [1, 2, 3]);
  });

  it('4.9: no OutTransmits at all', () => {
    const e = countersAtEntry(name, '4.9');
    assert.ok(e.every((x) => x.OutTransmits === 0));
  });

  it('6.18: a datagram that dies in the ARP queue is still in OutTransmits (docs/kernel.md, s11-11); 4.9: not counted', () => {
    assert.equal(run('s11-11-resolution-failure', '6.18').result.counters.Ip.OutTransmits, 2);
    assert.equal(run('s11-11-resolution-failure', '4.9').result.counters.Ip.OutTransmits, 0);
  });
});

describe('profiles: unres_qlen_bytes', () => {
  it('4.9 queues at most 65536 bytes of truesize, 6.18 212992 (docs/kernel.md, s11-12)', () => {
    // What is still queued at FAILED is what the queue kept (the ICMP errors about it are rate limited).
    const kept = (kernel: KernelProfile) => {
      const r = run('s11-12-queue-overflow', kernel).result;
      return r.drops.filter((d) => d.reason === 'NEIGH_FAILED').length;
    };
    assert.equal(kept('6.18'), Math.floor(212992 / 2304));
    assert.equal(kept('4.9'), Math.floor(65536 / 2304));
  });

  it('both profiles send the same ARP requests for it', () => {
    const t = (kernel: KernelProfile) => arpRequests(onDev(run('s11-12-queue-overflow', kernel))).map((f) => [f.time, f.hex]);
    assert.deepEqual(t('4.9'), t('6.18'));
  });
});

describe('profiles: frames agree apart from IP IDs', () => {
  // Where docs/kernel.md §12 names no difference, the 4.9 frames equal the 6.18 frames byte for
  // byte once the IP ID (random on both) and the header checksum that covers it are masked.
  const SCENARIOS = [
    's11-01-udp-3000-known-neighbour', 's11-02-udp-3000-unknown-neighbour', 's11-04-udp-1473', 's11-07-ip-options',
    's11-10-arp-request', 's11-11-resolution-failure', 's11-16-broadcast', 's11-17-loopback', 's13-b-frag-df-off',
    's13-c-df-on', 's13-d-peer-absent', 's13-f-gateway', 's13-g-multicast', 's13-i-mtu576', 's13-j2-nft-snat',
    's13-k-ttl-tos', 's13-n-static-neigh',
  ];
  const masked = (hex: string): string => {
    const b = Buffer.from(hex, 'hex');
    if (b.length >= 34 && b.readUInt16BE(12) === 0x0800) {
      b.writeUInt16BE(0, 18); // id
      b.writeUInt16BE(0, 24); // header checksum
      // An ICMP error quotes the original header: mask its ID and checksum too.
      const ihl = (b[14] & 0x0f) * 4;
      if (b[23] === 1 && b[14 + ihl] === 3 && b.length >= 14 + ihl + 8 + 20) {
        const q = 14 + ihl + 8;
        b.writeUInt16BE(0, q + 4);
        b.writeUInt16BE(0, q + 10);
        // ... and the ICMP checksum, which covers them.
        b.writeUInt16BE(0, 14 + ihl + 2);
      }
    }
    return b.toString('hex');
  };
  for (const name of SCENARIOS) {
    it(name, () => {
      const a = run(name, '6.18').result.frames.map((f) => `${f.time} ${f.dev} ${f.dir} ${masked(f.hex)}`);
      const b = run(name, '4.9').result.frames.map((f) => `${f.time} ${f.dev} ${f.dir} ${masked(f.hex)}`);
      assert.deepEqual(b, a);
    });
  }
});


describe('profiles: the neighbour timer floor (HZ/2 on 4.9, HZ/100 on 6.x)', () => {
  const name = 'p-neigh-timer-floor';
  // retrans_time 100 ms. The timer runs no earlier than max(retrans_time, floor) after it was
  // armed; the timer wheel then adds at most one granule (4 ms at this level, 32 ms one level up).
  const expectedGap = { '6.18': [100, 108], '4.9': [500, 532] } as const;
  for (const kernel of ['6.18', '4.9'] as const) {
    it(`${kernel}: 3 requests ${kernel === '6.18' ? '~100' : '>= 500'} ms apart, FAILED one gap after the last`, () => {
      const r = run(name, kernel);
      const reqs = arpRequests(onDev(r)).map(ms);
      assert.equal(reqs.length, 3);
      const failed = onDev(r, 'lo').map(ms);
      assert.equal(failed.length, 1, 'one ICMP host unreachable at FAILED');
      const [lo, hi] = expectedGap[kernel];
      const times = [...reqs, failed[0]];
      for (let i = 1; i < times.length; i++) assertBetween(times[i] - times[i - 1], lo, hi, `gap ${i}`);
    });

    it(`${kernel}: the pcap reads clean in tshark`, { skip: TSHARK_SKIP }, () => {
      assertCleanPcap(run(name, kernel));
    });
  }
});

describe('profiles: a full neighbour table (1024 INCOMPLETE entries)', () => {
  const name = 'p-neigh-table-full';
  for (const kernel of ['6.18', '4.9'] as const) {
    describe(`kernel ${kernel}`, () => {
      it('the 1025th __neigh_create fails: table_fulls++ for each of the 2 extra sends, and no entry is made', () => {
        const r = run(name, kernel);
        assert.equal(r.result.counters.ArpCache.table_fulls, 2);
        assert.equal(r.result.neighbours.filter((n) => n.dev === 'veth0').length, 1024);
        assert.equal(arpRequests(onDev(r)).filter((f) => ms(f) >= 1).length, 0, 'no ARP for the refused sends');
      });

      it(kernel === '6.18'
        ? '6.x: -ENOBUFS, which UDP reports as success without IP_RECVERR and returns with it; SndbufErrors counted'
        : '4.9: ip_finish_output2 frees the skb and returns -EINVAL', () => {
        const r = run(name, kernel);
        const full = sendOn(r, 'full');
        const withErr = sendOn(r, 'full-recverr');
        if (kernel === '6.18') {
          assert.equal(full.result, 'ok');
          assert.equal(withErr.result, 'ENOBUFS');
          // udp_sendmsg counts SndbufErrors for -ENOBUFS whether it hides it (udp_send_skb) or returns it.
          assert.equal(r.result.counters.Udp.SndbufErrors, 2);
        } else {
          assert.equal(full.result, 'EINVAL');
          assert.equal(withErr.result, 'EINVAL');
          assert.equal(r.result.counters.Udp.SndbufErrors, 0);
        }
      });

      it('ip_send_skb counts OutDiscards for both', () => {
        assert.equal(run(name, kernel).result.counters.Ip.OutDiscards, 2);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });

      if (kernel === '6.18') {
        it('6.x: the drops carry NEIGH_CREATEFAIL; OutTransmits counted them (before the lookup)', () => {
          const r = run(name, kernel);
          const ids = [sendOn(r, 'full'), sendOn(r, 'full-recverr')].map((s) => s.packets[0]);
          const drops = r.result.drops.filter((d) => ids.includes(d.packet));
          assert.deepEqual(drops.map((d) => d.reason), ['NEIGH_CREATEFAIL', 'NEIGH_CREATEFAIL']);
          assert.equal(r.result.counters.Ip.OutTransmits, 1026);
        });
      }
    });
  }
});
