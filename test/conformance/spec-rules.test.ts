// Rules of docs/kernel.md (§2.5, §6.3, §9.3, §10.2) that the s11 and s13 observations touch without
// stating them, checked on variants of those scenarios: physical NICs pad short frames to 60 bytes
// (s11-04's note), __icmp_send stays silent about non-first fragments, and which MTU each
// IP_MTU_DISCOVER mode follows when a route's MTU is below the device's.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KERNELS, TSHARK_SKIP, run, runVariant, assertCleanPcap, onDev, ip, ms, sendOn, framesOf, arpRequests,
  fragmentGeometry, assertFragments, assertBetween,
} from '../helpers/conformance';

describe('s11-04 on a physical NIC: the driver pads the 35-byte fragment to 60', () => {
  // docs/kernel.md §6.3: the stack never pads; a physical NIC's driver pads to ETH_ZLEN (60,
  // plus the FCS the hardware appends), so s11-04's second frame becomes 60 bytes on such a NIC.
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      const physical = () => runVariant('s11-04-udp-1473', kernel, 'ethernet', (s) => ({
        ...s,
        links: s.links.map((l) => ({ ...l, type: 'ethernet' as const, qdisc: 'pfifo_fast' as const })),
      }));

      it('frames of 1514 and 60 bytes; the IP packet inside is unchanged (tot_len 1500 and 21)', () => {
        const r = physical();
        const frames = framesOf(r, sendOn(r, 'a'));
        assert.deepEqual(frames.map((f) => f.len), [1514, 60]);
        assert.deepEqual(frames.map((f) => ip(f).totLen), [1500, 21]);
        assert.deepEqual(frames[1].decoded.problems, []);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(physical());
      });
    });
  }
});

describe('§10.2: no ICMP error about a non-first fragment', () => {
  const name = 'p-icmp-about-fragments';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      it('3 fragments die in the ARP queue at FAILED; only the first gets a host unreachable', () => {
        const r = run(name, kernel);
        const s = sendOn(r, 's');
        assert.equal(s.result, 'ok');
        const failed = r.result.drops.filter((d) => d.reason === 'NEIGH_FAILED');
        assert.equal(failed.length, fragmentGeometry(3008, 1500).length, 'each fragment was queued on its own');
        assert.equal(r.result.icmp.length, 1);
        assert.equal(r.result.icmp[0].about, failed[0].packet, 'about the first fragment (offset 0)');
        assert.equal(r.result.counters.Icmp.OutDestUnreachs, 1);
      });

      it('the error quotes the first fragment cut to 576 bytes (20 + 8 + 548), TOS 0xc0, on lo', () => {
        const r = run(name, kernel);
        const lo = onDev(r, 'lo');
        assert.equal(lo.length, 1);
        const e = lo[0];
        assert.equal(ip(e).totLen, 576);
        assert.equal(ip(e).tos, 0xc0);
        assert.equal(e.decoded.icmp?.type, 3);
        assert.equal(e.decoded.icmp?.code, 1);
        assert.equal(e.decoded.icmp?.checkOk, true);
        const quoted = Buffer.from(e.hex, 'hex').subarray(14 + 28);
        assert.equal(quoted.readUInt16BE(2), 1500, 'the quoted header is the first fragment\'s');
        assert.equal(quoted.readUInt16BE(6), 0x2000, 'offset 0, MF');
        const t2 = ms(arpRequests(onDev(r))[2]);
        assertBetween(ms(e) - t2, 1023.5, 1024.5, 'at FAILED');
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});

describe('§2.5 and §9.3: a route MTU below the device MTU', () => {
  const name = 'p-route-mtu';
  for (const kernel of KERNELS) {
    describe(`kernel ${kernel}`, () => {
      for (const socket of ['want1472', 'dont1472']) {
        it(`${socket}: the route MTU 1400 applies: fragments of 1376 + 104, DF clear`, () => {
          const r = run(name, kernel);
          const frags = framesOf(r, sendOn(r, socket));
          assertFragments(frags, fragmentGeometry(1480, 1400));
          assert.deepEqual(frags.map((f) => f.len), [14 + 20 + 1376, 14 + 20 + 104]);
        });
      }

      it('DO: 1372 B fits the route MTU (DF, ID 0); 1373 B is EMSGSIZE with ee_info 1400', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'do1372'));
        assert.equal(f.length, 1);
        assert.equal(ip(f[0]).totLen, 1400);
        assert.equal(ip(f[0]).df, true);
        assert.equal(ip(f[0]).id, 0);
        assert.equal(sendOn(r, 'do1373').result, 'EMSGSIZE');
        const sk = r.result.sockets.find((s) => s.name === 'do1373')!;
        assert.equal(sk.errqueue[0]?.info, 1400);
      });

      it('PROBE uses the device MTU: one 1500-byte packet, DF set, ID 0', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'probe1472'));
        assert.equal(f.length, 1);
        assert.equal(ip(f[0]).totLen, 1500);
        assert.equal(ip(f[0]).df, true);
        assert.equal(ip(f[0]).id, 0);
      });

      it('OMIT uses the device MTU: one 1500-byte packet, DF clear', () => {
        const r = run(name, kernel);
        const f = framesOf(r, sendOn(r, 'omit1472'));
        assert.equal(f.length, 1);
        assert.equal(ip(f[0]).totLen, 1500);
        assert.equal(ip(f[0]).df, false);
      });

      it('the pcap reads clean in tshark', { skip: TSHARK_SKIP }, () => {
        assertCleanPcap(run(name, kernel));
      });
    });
  }
});
