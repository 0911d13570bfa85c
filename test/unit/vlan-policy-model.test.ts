// The model of VLAN devices, policy routing, the LOCAL_OUT chains, ip_route_me_harder, nft dup and
// ip_finish_output2's headroom check: the bytes on the wire and the values the kernel computes,
// each checked against what the kernel's code says (docs/kernel.md).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import { createKernel, runKernel } from '../../src/model/run';
import type { KernelProfile } from '../../src/model/scenario/types';
import type { Watcher } from '../../src/model/kernel/watch';
import type { SkBuff } from '../../src/model/net/skbuff';
import { LL_RESERVED_SPACE } from '../../src/model/net/device';
import { REPO_ROOT } from '../helpers/cli';

const SCENARIOS = path.join(REPO_ROOT, 'test', 'scenarios');

/** A watcher that keeps, per function entered, the skb's headroom and truesize and the step locals. */
class Log implements Watcher {
  readonly calls: { fn: string; headroom: number; truesize: number; skb: SkBuff | null; locals: Record<string, unknown>; notes: string[]; ret?: unknown }[] = [];
  private stack: Log['calls'][number][] = [];
  enter(fn: string, skb: SkBuff | null, _args: Record<string, unknown>, locals?: Record<string, unknown>): void {
    const c = { fn, headroom: skb ? skb.headroom : -1, truesize: skb ? skb.truesize : -1, skb, locals: { ...locals }, notes: [] as string[] };
    this.calls.push(c);
    this.stack.push(c);
  }
  at(_label: string, locals?: Record<string, unknown>): void {
    Object.assign(this.stack[this.stack.length - 1].locals, locals);
  }
  note(text: string): void {
    this.stack[this.stack.length - 1].notes.push(text);
  }
  leave(ret: unknown, locals?: Record<string, unknown>): void {
    const c = this.stack.pop()!;
    Object.assign(c.locals, locals);
    c.ret = ret;
  }
  exception(): void {}
  context(): void {}
  named(fn: string): Log['calls'] {
    return this.calls.filter((c) => c.fn === fn);
  }
}

function run(text: string, profile: KernelProfile = '6.18', watch = false) {
  const s = parseScenario(text, 't.kpath');
  s.kernel = profile;
  const log = new Log();
  const k = createKernel(s, watch ? { watcher: log } : {});
  runKernel(k, s.run);
  return { k, log, frames: k.frames.filter((f) => f.dir === 'tx') };
}

const file = (name: string): string => fs.readFileSync(path.join(SCENARIOS, name), 'utf8');
const hex = (b: Uint8Array, from: number, to: number): string => [...b.subarray(from, to)].map((x) => x.toString(16).padStart(2, '0')).join('');

const VLAN = `link add veth0 offload OFFLOAD
link add veth0.10 link veth0 type vlan id 10
addr add 203.0.113.1/24 dev veth0.10
peer 203.0.113.2 lladdr 02:00:00:00:00:22
at 0ms send udp to 203.0.113.2:9000 size 100
`;

describe('VLAN devices', () => {
  test('without the parent\'s tag offload: hard_header_len 18, LL_RESERVED_SPACE 32; with it: 14 and 16', () => {
    const off = run(VLAN.replace('OFFLOAD', 'off')).k.net.dev('veth0.10')!;
    assert.deepEqual([off.hard_header_len, LL_RESERVED_SPACE(off), off.header_ops], [18, 32, 'vlan_header_ops']);
    const on = run(VLAN.replace('OFFLOAD', 'on')).k.net.dev('veth0.10')!;
    assert.deepEqual([on.hard_header_len, LL_RESERVED_SPACE(on), on.header_ops], [14, 16, 'vlan_passthru_header_ops']);
  });

  for (const offload of ['off', 'on']) {
    test(`the ARP request and the datagram leave the parent tagged: TPID 0x8100, VID 10 (offload ${offload})`, () => {
      const { frames } = run(VLAN.replace('OFFLOAD', offload));
      assert.equal(frames.length, 2);
      for (const f of frames) {
        assert.equal(f.dev, 'veth0');
        assert.equal(hex(f.bytes, 12, 16), '8100000a', 'TPID and TCI (priority 0, VID 10)');
      }
      assert.equal(hex(frames[0].bytes, 16, 18), '0806', 'ARP inside');
      assert.equal(hex(frames[1].bytes, 16, 18), '0800', 'IPv4 inside');
      assert.equal(frames[1].bytes.length, 14 + 4 + 128);
      assert.equal(hex(frames[1].bytes, 0, 6), '020000000022');
    });
  }

  test('the datagram is built with headroom 32 for the VLAN; resolved entries send through neigh_connected_output', () => {
    const { log } = run(VLAN.replace('OFFLOAD', 'off') + 'at 10ms send udp to 203.0.113.2:9000 size 100\n', '6.18', true);
    assert.deepEqual(log.named('ip_finish_output2').map((c) => c.headroom), [32, 32]);
    assert.equal(log.named('skb_expand_head').length, 0);
    assert.equal(log.named('neigh_connected_output').length, 2);
    assert.equal(log.named('neigh_hh_output').length, 0, 'no header cache on a VLAN');
  });

  test('a peer on the parent does not answer a tagged request, nor a peer of the VLAN an untagged one', () => {
    const text = `link add veth0
link add veth0.10 link veth0 type vlan id 10
addr add 192.0.2.1/24 dev veth0
addr add 203.0.113.1/24 dev veth0.10
peer 203.0.113.2 lladdr 02:00:00:00:00:22 dev veth0
peer 192.0.2.2 lladdr 02:00:00:00:00:02 dev veth0.10
at 0ms send udp to 203.0.113.2:9000
at 0ms send udp to 192.0.2.2:9000
run 5s
`;
    const { k } = run(text);
    assert.equal(k.frames.filter((f) => f.dir === 'rx').length, 0, 'no answer');
    assert.equal(k.drops.filter((d) => d.reason === 'NEIGH_FAILED').length, 2);
  });
});

const RULES = `link add veth0
link add veth1
addr add 192.0.2.1/24 dev veth0
addr add 198.51.100.1/24 dev veth1
route add default via 198.51.100.254 table 100
route add 10.0.0.0/8 via 192.0.2.254 table 200
RULES
peer 192.0.2.2 lladdr 02:00:00:00:00:02
peer 192.0.2.254 lladdr 02:00:00:00:00:fe
peer 198.51.100.254 lladdr 02:00:00:00:00:ef
at 0ms send udp to 203.0.113.9:9000 mark MARK
`;

/** The device the datagram (the UDP frame) left by. */
function outDev(rules: string, mark: number): string | undefined {
  const { k } = run(RULES.replace('RULES', rules).replace('MARK', String(mark)));
  return k.frames.find((f) => f.dir === 'tx' && f.bytes[23] === 17)?.dev;
}

describe('policy routing', () => {
  test('fwmark under its mask; a mark the rule does not match stays in main (which has no route here)', () => {
    assert.equal(outDev('rule add fwmark 0x7/0xf lookup 100', 0x17), 'veth1');
    assert.equal(outDev('rule add fwmark 0x7/0xf lookup 100', 0x18), undefined);
    assert.equal(outDev('rule add fwmark 7 lookup 100', 0x17), undefined, 'without a mask the whole mark');
  });

  test('a table without a route for the destination passes to the next rule', () => {
    // Table 200 only has 10.0.0.0/8: the lookup falls through to table 100.
    assert.equal(outDev('rule add fwmark 7 lookup 200\nrule add fwmark 7 lookup 100', 7), 'veth1');
  });

  test('rules by priority; without one, one less than the first rule after local (32765, 32764...)', () => {
    const { k } = run(RULES.replace('RULES', 'rule add fwmark 7 lookup 100\nrule add fwmark 7 lookup 200\nrule add priority 10 to 203.0.113.0/24 lookup 200').replace('MARK', '7'));
    assert.deepEqual(k.net.rules.map((r) => [r.pref, r.table]), [[0, 255], [10, 200], [32764, 200], [32765, 100], [32766, 254], [32767, 253]]);
  });
});

describe('the reroute in LOCAL_OUT and nft dup', () => {
  for (const profile of ['6.18', '4.9'] as KernelProfile[]) {
    test(`${profile}: ip_route_me_harder grows the headroom 16 -> 32 for the VLAN; ip_finish_output2 does not expand`, () => {
      const { log, frames } = run(file('p-vlan-reroute.kpath'), profile, true);
      const rmh = log.named('ip_route_me_harder');
      assert.equal(rmh.length, 1);
      assert.equal(rmh[0].headroom, 16, 'built for veth1');
      assert.deepEqual([rmh[0].locals.hh_len, rmh[0].locals.headroom], [18, 32]);
      assert.equal(rmh[0].skb!.truesize, rmh[0].truesize, 'the socket owns it: truesize unchanged');
      assert.deepEqual(log.named('ip_finish_output2').map((c) => c.headroom), [32]);
      assert.equal(log.named(profile === '6.18' ? 'skb_expand_head' : 'skb_realloc_headroom').length, 0);
      const udp = frames.find((f) => f.bytes.length === 146)!;
      assert.equal(hex(udp.bytes, 12, 16), '8100000a');
      assert.equal(hex(udp.bytes, 18 + 12, 18 + 16), 'c6336401', 'source 198.51.100.1 kept');
    });

    test(`${profile}: a dup copy onto the VLAN takes the headroom branch: 16 < 32, a new skb with headroom 80`, () => {
      const { log, frames } = run(file('p-vlan-headroom.kpath'), profile, true);
      const fn = profile === '6.18' ? 'skb_expand_head' : 'skb_realloc_headroom';
      const hits = log.named(fn);
      assert.equal(hits.length, 2, 'once per copy');
      for (const h of hits) {
        assert.equal(h.headroom, 16);
        assert.equal(h.skb!.sk, null, 'the copy has no socket');
        const out = h.ret as SkBuff;
        assert.notEqual(out, h.skb, 'a new skb (clone)');
        assert.equal(h.locals.headroom_after, 80, '16 + SKB_DATA_ALIGN(16)');
        // 6.18: 832 (the small-head cache) + 448; 4.9: 768 + 512. Both end with a 1024-byte kmalloc head.
        assert.equal(out.truesize, 1280);
        assert.ok(out.truesize > h.truesize, 'the clone is charged for the bigger head');
      }
      // Only the copies: the originals leave veth1 without it.
      assert.deepEqual(log.named('ip_finish_output2').map((c) => c.headroom), [16, 16, 16, 16]);
      const tagged = frames.filter((f) => f.dev === 'veth0' && f.bytes.length === 146);
      assert.equal(tagged.length, 2);
      for (const f of tagged) assert.equal(hex(f.bytes, 12, 16), '8100000a');
      assert.equal(frames.filter((f) => f.dev === 'veth1' && f.bytes.length === 142).length, 2);
    });
  }

  test('the dup copy: DF set, next hop the dup address, IP destination unchanged, no copy of the copy', () => {
    const { k, log } = run(file('p-dup.kpath'), '6.18', true);
    const copies = k.frames.filter((f) => f.dir === 'tx' && f.dev === 'veth1' && f.bytes.length === 142);
    assert.equal(copies.length, 2);
    for (const f of copies) {
      assert.equal(hex(f.bytes, 0, 6), '020000000099', 'to 198.51.100.9\'s MAC');
      assert.equal(hex(f.bytes, 14 + 16, 14 + 20), 'c0000202', 'IP destination 192.0.2.2');
      assert.equal(f.bytes[14 + 6] & 0x40, 0x40, 'DF');
    }
    assert.ok(log.named('nf_dup_ipv4').some((c) => c.notes.some((n) => /no copy of a copy/.test(n))));
  });

  test('dup to an address no route of the named device has: taken as on link, no gateway, so the copy asks for its own IP destination', () => {
    const { k } = run(`link add veth0
link add veth1
addr add 192.0.2.1/24 dev veth0
addr add 198.51.100.1/24 dev veth1
nft add rule ip filter output udp dport 9100 dup to 10.9.9.9 device veth1
peer 192.0.2.2 lladdr 02:00:00:00:00:02
at 0ms send udp to 192.0.2.2:9100
`);
    const arp = k.frames.filter((f) => f.dir === 'tx' && f.dev === 'veth1' && hex(f.bytes, 12, 14) === '0806');
    assert.ok(arp.length >= 1);
    assert.equal(hex(arp[0].bytes, 14 + 24, 14 + 28), 'c0000202', 'who-has 192.0.2.2 (not 10.9.9.9)');
    assert.equal(k.sends[0].result, 'ok');
  });

  test('a dup copy of a datagram built as a frag_list shares its members: the copy takes the slow path, the original the fast one', () => {
    const { log, frames } = run(`link add veth0
link add veth1
addr add 192.0.2.1/24 dev veth0
addr add 198.51.100.1/24 dev veth1
neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev veth0
neigh add 198.51.100.9 lladdr 02:00:00:00:00:99 dev veth1
nft add rule ip filter output udp dport 9100 dup to 198.51.100.9 device veth1
at 0ms send udp to 192.0.2.2:9100 size 3000
`, '6.18', true);
    assert.deepEqual(log.named('ip_do_fragment').map((c) => /fast path/.test(c.notes.join(' '))), [false, true]);
    assert.deepEqual(frames.map((f) => `${f.dev} ${f.bytes.length}`), ['veth1 1514', 'veth1 1514', 'veth1 82', 'veth0 1514', 'veth0 1514', 'veth0 82']);
  });

  test('the reroute keeps the first route\'s source, and ARP tells it', () => {
    const { k } = run(file('p-policy-reroute.kpath'));
    const arp = k.frames.find((f) => f.dir === 'tx' && f.dev === 'veth1' && hex(f.bytes, 12, 14) === '0806')!;
    assert.equal(hex(arp.bytes, 14 + 14, 14 + 18), 'c0000201', 'sender 192.0.2.1');
    const udp = k.frames.find((f) => f.dir === 'tx' && f.dev === 'veth1' && hex(f.bytes, 12, 14) === '0800')!;
    assert.equal(hex(udp.bytes, 14 + 12, 14 + 16), 'c0000201');
    assert.equal(k.frames.filter((f) => f.dir === 'tx' && f.dev === 'veth0' && hex(f.bytes, 12, 14) === '0800').length, 2, 'ports 9200 and 9300 stay on veth0');
  });

  test('a reroute with no route drops the datagram with the lookup\'s error, which sendmsg returns', () => {
    // Mark 0 finds table 200's route; mark 7 matches no rule but main, which has no route there.
    const { k } = run(`link add veth0
addr add 192.0.2.1/24 dev veth0
route add 198.51.100.0/24 dev veth0 table 200
rule add fwmark 0 lookup 200
nft add rule ip mangle output meta mark set 7
at 0ms send udp to 198.51.100.9:9000
`);
    assert.equal(k.sends[0].result, 'ENETUNREACH');
    assert.deepEqual(k.drops.map((d) => [d.function, d.reason]), [['nf_hook_slow', 'NETFILTER_DROP']]);
  });
});
