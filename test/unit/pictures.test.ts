// The pure parts of the two pictures: the sk_buff laid out as bands and positions, the marking of
// what changed, the call graph read from the listings (checked against the calls the model
// makes, for both profiles), the path a packet took, and ELK's layout of the graph.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/cli';
import { parseScenario } from '../../src/model/scenario/parse';
import type { Scenario, KernelProfile } from '../../src/model/scenario/types';
import { runScenario } from '../../src/model/run';
import type { Watcher } from '../../src/model/kernel/watch';
import { MODELED_FUNCTIONS } from '../../src/model/kernel/functions';
import { callGraph } from '../../src/model/listing/calls';
import { Runtime, Stop } from '../../src/debugger/runtime';
import { packetPath, CallRecord } from '../../src/debugger/path';
import { skbPicture, pictureFrame } from '../../src/adapter/skb';
import type { SkbPicture } from '../../src/adapter/pictures';
import { ChangeMarker, changedFields } from '../../src/extension/pictures/changes';
import { elkGraph, fromElk, ElkGraph } from '../../src/extension/webview/path-layout';

const DEFAULT = path.join(REPO_ROOT, 'media', 'scenarios', 'default.kpath');
const SCENARIOS = path.join(REPO_ROOT, 'test', 'scenarios');

function scenario(file: string, kernel?: KernelProfile): Scenario {
  const s = parseScenario(fs.readFileSync(file, 'utf8'), file);
  if (kernel) s.kernel = kernel;
  return s;
}

function inline(text: string): Scenario {
  return parseScenario(text, '<test>');
}

/** The stops at function breakpoints on `fns`, in order, each with the picture of its frame's skb. */
function* stops(s: Scenario, fns: string[]): Generator<{ stop: Stop; rt: Runtime; picture: SkbPicture | null }> {
  const rt = new Runtime(s);
  rt.setFunctionBreakpoints(fns.map((name, i) => ({ id: i + 1, name })));
  for (let r = rt.start(false); r.stop; r = rt.continue()) {
    const { index, skb } = pictureFrame(r.stop, undefined);
    yield { stop: r.stop, rt, picture: skb ? skbPicture(skb, r.stop.step, index, r.stop.frames[index].fn) : null };
  }
}

const bands = (p: SkbPicture): string => p.bands.map((b) => `${b.kind} ${b.length}`).join(', ');

describe('the sk_buff picture', () => {
  it('the 100-byte datagram at ip_finish_output2: IP 20, UDP 8, payload 100, with the model\'s headroom and tailroom', () => {
    const { stop, picture } = stops(scenario(DEFAULT), ['ip_finish_output2']).next().value!;
    const skb = stop.frames[0].skb!;
    const p = picture!;
    assert.equal(bands(p), 'ip 20, udp 8, payload 100');
    assert.equal(p.packet, skb.id);
    assert.deepEqual([p.data, p.tail, p.end], [skb.data, skb.tail, skb.buf.length]);
    assert.deepEqual([p.headroom, p.tailroom, p.len, p.truesize], [skb.headroom, skb.tailroom, skb.len, skb.truesize]);
    // The bands fill data..tail, in order, with no gap.
    let at = p.data;
    for (const b of p.bands) {
      assert.equal(b.start, at);
      at += b.length;
    }
    assert.equal(at, p.tail);
    assert.equal(p.frag_list, null);
    assert.equal(p.gso, null);
  });

  it('an ARP request: Ethernet 14 and ARP 28; a later fragment: IP and data, no UDP header', () => {
    const seen = new Map<string, SkbPicture>();
    for (const { stop, picture } of stops(scenario(DEFAULT), ['arp_xmit', 'dev_hard_start_xmit'])) {
      if (picture) seen.set(`${stop.frames[0].fn} ${bands(picture)}`, picture);
    }
    const keys = [...seen.keys()];
    assert.ok(keys.includes('arp_xmit eth 14, arp 28'), keys.join('\n'));
    assert.ok(keys.includes('dev_hard_start_xmit eth 14, ip 20, udp 8, payload 100'), keys.join('\n'));
    // 3000 bytes at MTU 1500: 8 + 1472 in the first fragment, 1480 in the second, 48 in the last.
    assert.ok(keys.includes('dev_hard_start_xmit eth 14, ip 20, udp 8, payload 1472'), keys.join('\n'));
    assert.ok(keys.includes('dev_hard_start_xmit eth 14, ip 20, payload 1480'), keys.join('\n'));
    assert.ok(keys.includes('dev_hard_start_xmit eth 14, ip 20, payload 48'), keys.join('\n'));
    // By the driver, mac_header marks the Ethernet header.
    for (const [key, p] of seen) if (key.startsWith('dev_hard_start_xmit')) assert.equal(p.mac_header, p.data, key);
  });

  it('IP options, ICMP and TCP headers get bands of their own', () => {
    const opts = stops(scenario(path.join(SCENARIOS, 's11-07-ip-options.kpath')), ['ip_finish_output2']).next().value!.picture!;
    // ra (4 bytes) and rr (3 + 4 slots of 4, rounded up to 4): the header length tells.
    assert.match(bands(opts), /^ip 20, ipopt \d+, udp 8, payload \d+$/);
    assert.equal(opts.bands[1].length % 4, 0);
    const kinds = new Set<string>();
    for (const { picture } of stops(scenario(path.join(SCENARIOS, 's13-m-icmp-tcp.kpath')), ['ip_output'])) if (picture) kinds.add(bands(picture).split(', ')[1].split(' ')[0]);
    assert.ok(kinds.has('icmp') && kinds.has('tcp'), [...kinds].join());
  });

  it('a datagram built as a frag_list: its members\' sizes add up to data_len', () => {
    const { picture } = stops(scenario(DEFAULT), ['ip_fragment']).next().value!;
    const p = picture!;
    assert.ok(p.frag_list && p.frag_list.length > 0, 'the 3000-byte datagram is a frag_list');
    assert.equal(p.frag_list.reduce((a: number, b: number) => a + b, 0), p.data_len);
    assert.equal(p.fields.frag_list, p.frag_list.join(' + '));
  });

  it('a UFO datagram (4.9, offload on): gso_size, gso_segs and the GSO type', () => {
    const s = inline([
      'kernel 4.9',
      'link add eth0 mtu 1500 offload on',
      'addr add 192.0.2.1/24 dev eth0',
      'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent',
      'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
      'at 0ms send udp to 192.0.2.2:9000 size 4000',
    ].join('\n'));
    const { stop, picture } = stops(s, ['ip_finish_output']).next().value!;
    const skb = stop.frames[0].skb!;
    assert.ok(skb.gso_size > 0, 'the model made a GSO skb');
    assert.deepEqual(picture!.gso, { size: skb.gso_size, segs: skb.gso_segs, type: skb.gso_type, types: ['SKB_GSO_UDP'] });
  });
});

describe('marking what changed', () => {
  const pic = (packet: number, step: number, fields: SkbPicture['fields']): SkbPicture =>
    ({ packet, step, fields } as unknown as SkbPicture);

  it('changedFields: values that differ, and bands that appear or go', () => {
    assert.deepEqual(changedFields({ len: 128, data: 16, 'band.ip': 20 }, { len: 142, data: 2, 'band.ip': 20, 'band.eth': 14 }), ['len', 'data', 'band.eth']);
    assert.deepEqual(changedFields({ len: 1, 'band.eth': 14 }, { len: 1 }), ['band.eth']);
    assert.deepEqual(changedFields({ a: 'x' }, { a: 'x' }), []);
  });

  it('per packet: against the last stop that showed the same packet; the same stop keeps its marks', () => {
    const m = new ChangeMarker();
    assert.deepEqual(m.mark(pic(1, 10, { len: 128, data: 16 })).changed, []);
    // Another packet in between does not hide packet 1's change.
    assert.deepEqual(m.mark(pic(2, 11, { len: 42 })).changed, []);
    const r = m.mark(pic(1, 12, { len: 142, data: 2 }));
    assert.deepEqual(r.changed, ['len', 'data']);
    assert.deepEqual(r.before, { len: 128, data: 16 });
    // Shown again at the same stop (another frame, the panel reopened): the same marks.
    assert.deepEqual(m.mark(pic(1, 12, { len: 142, data: 2 })).changed, ['len', 'data']);
    assert.deepEqual(m.mark(pic(1, 13, { len: 142, data: 2 })).changed, []);
    m.clear();
    assert.deepEqual(m.mark(pic(1, 14, { len: 1, data: 1 })).changed, []);
  });

  it('forgets the packets shown longest ago beyond its limit', () => {
    const m = new ChangeMarker(2);
    m.mark(pic(1, 1, { len: 1 }));
    m.mark(pic(2, 2, { len: 1 }));
    m.mark(pic(3, 3, { len: 1 }));
    assert.deepEqual(m.mark(pic(1, 4, { len: 2 })).changed, [], 'packet 1 was forgotten');
    assert.deepEqual(m.mark(pic(3, 5, { len: 2 })).changed, ['len']);
  });
});

/** The caller -> callee pairs the model makes when it runs `s`. */
function observedCalls(s: Scenario): Set<string> {
  const stack: string[] = [];
  const seen = new Set<string>();
  const w: Watcher = {
    enter(fn) {
      if (stack.length) seen.add(`${stack[stack.length - 1]}>${fn}`);
      stack.push(fn);
    },
    at() {},
    note() {},
    leave() {
      stack.pop();
    },
    exception() {},
    context() {
      stack.length = 0;
    },
  };
  runScenario(s, { watcher: w });
  return seen;
}

describe('the call graph, read from the listings', () => {
  const PROFILES: KernelProfile[] = ['6.18', '4.9'];

  for (const profile of PROFILES) {
    it(`${profile}: every modeled function of the profile, and every call the model makes is an edge`, () => {
      const g = callGraph(profile);
      assert.deepEqual([...g.functions].sort(), MODELED_FUNCTIONS.filter((f) => f.profiles.includes(profile)).map((f) => f.name).sort());
      const edges = new Set(g.edges.map((e) => `${e.from}>${e.to}`));
      assert.equal(edges.size, g.edges.length, 'each edge once');
      const files = [...fs.readdirSync(SCENARIOS).map((f) => path.join(SCENARIOS, f)), DEFAULT];
      const missing: string[] = [];
      for (const file of files) {
        for (const call of observedCalls(scenario(file, profile))) if (!edges.has(call)) missing.push(`${call} (${path.basename(file)})`);
      }
      // A NIC with a qdisc and offloads, and a veth with them (UFO on 4.9).
      for (const type of ['ethernet', 'veth']) {
        const s = inline([
          `kernel ${profile}`,
          `link add eth0 type ${type} mtu 1500 offload on`,
          'addr add 192.0.2.1/24 dev eth0',
          'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
          'at 0ms send udp to 192.0.2.2:9000 size 4000',
          'at 1ms send tcp syn to 192.0.2.2:80',
        ].join('\n'));
        for (const call of observedCalls(s)) if (!edges.has(call)) missing.push(`${call} (${type}, offload on)`);
      }
      assert.deepEqual(missing, []);
    });
  }

  /** The edges from `fn`, in the listing's order. */
  const callees = (profile: KernelProfile, fn: string): string[] => callGraph(profile).edges.filter((e) => e.from === fn).map((e) => e.to);

  it('6.18: the transmit path in the kernel\'s call order', () => {
    assert.deepEqual(callees('6.18', 'udp_sendmsg'), ['ip_route_output_flow', 'ip_make_skb', 'ip_send_skb']);
    assert.deepEqual(callees('6.18', 'ip_local_out'), ['__ip_local_out', 'dst_output']);
    assert.deepEqual(callees('6.18', 'dst_output'), ['ip_output', 'ip_mc_output']);
    assert.deepEqual(callees('6.18', 'ip_output'), ['ip_finish_output', 'nf_hook_slow']);
    assert.deepEqual(callees('6.18', 'ip_finish_output'), ['__ip_finish_output']);
    assert.deepEqual(callees('6.18', '__ip_finish_output'), ['ip_finish_output_gso', 'ip_fragment', 'ip_finish_output2']);
    assert.deepEqual(callees('6.18', 'ip_fragment'), ['ip_do_fragment', '__icmp_send']);
    assert.deepEqual(callees('6.18', 'ip_do_fragment'), ['skb_checksum_help', 'ip_finish_output2']);
    assert.deepEqual(callees('6.18', 'ip_finish_output2'), ['skb_expand_head', '__ipv4_neigh_lookup_noref', '__neigh_create', 'neigh_output']);
    assert.deepEqual(callees('6.18', '__neigh_create'), ['arp_constructor']);
    assert.deepEqual(callees('6.18', 'neigh_output'), ['neigh_hh_output', 'neigh_resolve_output', 'neigh_connected_output']);
    assert.deepEqual(callees('6.18', 'neigh_resolve_output'), ['__neigh_event_send', 'vlan_dev_hard_header', 'dev_queue_xmit']);
    assert.deepEqual(callees('6.18', '__neigh_event_send'), ['neigh_probe', 'do_softirq']);
    assert.deepEqual(callees('6.18', 'neigh_probe'), ['arp_solicit']);
    assert.deepEqual(callees('6.18', 'arp_solicit'), ['vlan_dev_hard_header', 'arp_xmit']);
    assert.deepEqual(callees('6.18', 'dev_queue_xmit'), ['__dev_xmit_skb', 'validate_xmit_skb', 'dev_hard_start_xmit', 'do_softirq']);
    assert.deepEqual(callees('6.18', '__dev_xmit_skb'), ['validate_xmit_skb', 'dev_hard_start_xmit']);
  });

  it('4.9: ip_finish_output decides itself (no __ip_finish_output), dst_neigh_output where 6.18 has neigh_output', () => {
    const g = callGraph('4.9');
    assert.ok(!g.functions.includes('__ip_finish_output') && !g.functions.includes('neigh_output') && !g.functions.includes('ip_mc_finish_output'));
    assert.deepEqual(callees('4.9', 'ip_finish_output'), ['ip_finish_output_gso', 'ip_fragment', 'ip_finish_output2']);
    assert.deepEqual(callees('4.9', 'ip_finish_output2'), ['skb_realloc_headroom', '__ipv4_neigh_lookup_noref', '__neigh_create', 'do_softirq', 'dst_neigh_output']);
    assert.deepEqual(callees('4.9', 'dst_neigh_output'), ['neigh_hh_output', 'neigh_resolve_output', 'neigh_connected_output']);
    assert.deepEqual(callees('4.9', 'ip_mc_output'), ['nf_hook_slow', 'dev_loopback_xmit', 'ip_finish_output']);
    assert.deepEqual(callees('6.18', 'ip_mc_output'), ['nf_hook_slow', 'ip_mc_finish_output', 'ip_finish_output']);
  });

  for (const profile of PROFILES) {
    it(`${profile}: the functions in call order, each after its callers but where a packet starts over (an ICMP error, a dup copy, a VLAN's parent) or a route is looked up again`, () => {
      const g = callGraph(profile);
      const at = (f: string): number => g.functions.indexOf(f);
      const chain = profile === '6.18'
        ? ['udp_sendmsg', 'ip_send_skb', 'ip_local_out', 'dst_output', 'ip_output', 'ip_finish_output', '__ip_finish_output', 'ip_fragment', 'ip_do_fragment', 'ip_finish_output2', 'neigh_output', 'neigh_resolve_output', '__neigh_event_send', 'arp_solicit', 'arp_xmit', 'dev_queue_xmit', 'dev_hard_start_xmit']
        : ['udp_sendmsg', 'ip_send_skb', 'ip_local_out', 'dst_output', 'ip_output', 'ip_finish_output', 'ip_fragment', 'ip_do_fragment', 'ip_finish_output2', 'dst_neigh_output', 'neigh_resolve_output', '__neigh_event_send', 'arp_solicit', 'arp_xmit', 'dev_queue_xmit', 'dev_hard_start_xmit'];
      for (let i = 1; i < chain.length; i++) assert.ok(at(chain[i - 1]) < at(chain[i]), `${chain[i - 1]} before ${chain[i]}: ${g.functions.join(' ')}`);
      const against = g.edges.filter((e) => at(e.from) >= at(e.to)).map((e) => `${e.from}>${e.to}`);
      assert.deepEqual(against, [
        'ip_route_me_harder>ip_route_output_flow', 'nf_dup_ipv4>ip_route_output_flow', 'nf_dup_ipv4>ip_local_out',
        // The ARP reply, received at a local_bh_enable below, sends the packets that waited for it.
        'neigh_update>neigh_resolve_output', 'neigh_update>neigh_connected_output',
        'vlan_dev_hard_start_xmit>dev_queue_xmit', '__icmp_send>ip_route_output_flow', '__icmp_send>ip_make_skb', '__icmp_send>ip_send_skb',
      ]);
    });
  }
});

describe('the path a packet took', () => {
  // udp_sendmsg -> route, make_skb, send_skb(#1) -> ... -> do_fragment(#1) -> finish_output2(#1), finish_output2(#2)
  const calls: CallRecord[] = [
    { fn: 'udp_sendmsg', parent: -1, packet: 0 }, // 0
    { fn: 'ip_route_output_flow', parent: 0, packet: 0 }, // 1
    { fn: 'ip_make_skb', parent: 0, packet: 0 }, // 2
    { fn: 'ip_send_skb', parent: 0, packet: 1 }, // 3
    { fn: 'ip_do_fragment', parent: 3, packet: 1 }, // 4
    { fn: 'ip_finish_output2', parent: 4, packet: 1 }, // 5
    { fn: 'neigh_output', parent: 5, packet: 1 }, // 6
    { fn: 'ip_finish_output2', parent: 4, packet: 2 }, // 7
    { fn: 'neigh_probe', parent: 7, packet: 0 }, // 8
    { fn: 'arp_xmit', parent: 8, packet: 3 }, // 9
  ];
  const edges = (p: ReturnType<typeof packetPath>): string[] => p.edges.map((e) => `${e.from}>${e.to}`);

  it('the packet\'s calls, their callers, what those callers did first (one level), and its calls\' calls with no packet', () => {
    assert.deepEqual(edges(packetPath(calls, 2)), [
      'udp_sendmsg>ip_route_output_flow', 'udp_sendmsg>ip_make_skb', 'udp_sendmsg>ip_send_skb', 'ip_send_skb>ip_do_fragment',
      'ip_do_fragment>ip_finish_output2', 'ip_finish_output2>neigh_probe',
    ]);
    // Packet 1's own trip past ip_finish_output2 is not packet 2's.
    assert.ok(!packetPath(calls, 2).functions.includes('neigh_output'));
    assert.ok(packetPath(calls, 1).functions.includes('neigh_output'));
    // The ARP request (3) was sent on packet 2's way: that way is its path, up to its own call.
    assert.deepEqual(edges(packetPath(calls, 3)), [
      'udp_sendmsg>ip_route_output_flow', 'udp_sendmsg>ip_make_skb', 'udp_sendmsg>ip_send_skb', 'ip_send_skb>ip_do_fragment',
      'ip_do_fragment>ip_finish_output2', 'ip_finish_output2>neigh_probe', 'neigh_probe>arp_xmit',
    ]);
    // No packet: every call.
    assert.equal(packetPath(calls, null).functions.length, new Set(calls.map((c) => c.fn)).size);
  });

  it('through the runtime: a packet queued for ARP while others go is drawn from both of its events, the ones between left out', () => {
    const s = inline([
      'link add eth0 mtu 1500',
      'addr add 192.0.2.1/24 dev eth0',
      'neigh add 192.0.2.3 lladdr 02:00:00:00:00:03 dev eth0 nud permanent',
      'peer 192.0.2.2 lladdr 02:00:00:00:00:02 reply-delay 50ms',
      'peer 192.0.2.3 lladdr 02:00:00:00:00:03',
      'at 0ms send udp to 192.0.2.2:9000 size 100',
      'at 1ms send udp to 192.0.2.3:9000 size 100 count 100 every 10us',
    ].join('\n'));
    // 100 sends of about 25 steps each between the packet's two events: more than 500 steps.
    const rt = new Runtime(s, { pathSteps: 500 });
    rt.setFunctionBreakpoints([{ id: 1, name: 'neigh_update' }]);
    let r = rt.start(false);
    assert.ok(r.stop);
    rt.setFunctionBreakpoints([{ id: 2, name: 'dev_queue_xmit' }]);
    r = rt.continue();
    const skb = r.stop!.frames[0].skb!;
    const { calls: seen, skipped } = rt.packetCalls(skb.id);
    assert.ok(skipped >= 100, `the sends in between are left out (skipped ${skipped})`);
    const taken = edges(packetPath(seen, skb.id));
    for (const e of ['udp_sendmsg>ip_send_skb', 'neigh_resolve_output>__neigh_event_send', 'arp_process>neigh_update', 'neigh_update>neigh_resolve_output', 'neigh_resolve_output>dev_queue_xmit']) {
      assert.ok(taken.includes(e), `${e}: ${taken.join(' ')}`);
    }
    // The current position is not moved by it.
    assert.equal(rt.current, r.stop);
  });

  it('through the runtime: the neighbour timer\'s probes on the way are the packet\'s, the sends between are not', () => {
    const s = inline([
      'link add eth0 mtu 1500',
      'addr add 192.0.2.1/24 dev eth0',
      'neigh add 192.0.2.3 lladdr 02:00:00:00:00:03 dev eth0 nud permanent',
      'peer 192.0.2.2 lladdr 02:00:00:00:00:02 reply-delay 1500ms',
      'peer 192.0.2.3 lladdr 02:00:00:00:00:03',
      'at 0ms send udp to 192.0.2.2:9000 size 100',
      'at 1ms send udp to 192.0.2.3:9000 size 100 count 20 every 10ms',
    ].join('\n'));
    const rt = new Runtime(s);
    rt.setFunctionBreakpoints([{ id: 1, name: 'neigh_update' }]);
    rt.start(false);
    rt.setFunctionBreakpoints([{ id: 2, name: 'dev_queue_xmit' }]);
    const stop = rt.continue().stop!;
    const skb = stop.frames[0].skb!;
    const { calls: seen, skipped } = rt.packetCalls(skb.id);
    assert.equal(skipped, 20, 'the 20 sends to the other neighbour');
    const taken = edges(packetPath(seen, skb.id));
    for (const e of ['udp_sendmsg>ip_send_skb', 'neigh_timer_handler>neigh_probe', 'neigh_probe>arp_solicit', 'arp_process>neigh_update', 'neigh_resolve_output>dev_queue_xmit']) {
      assert.ok(taken.includes(e), `${e}: ${taken.join(' ')}`);
    }
    assert.ok(!seen.some((c) => c.packet !== skb.id && c.fn === 'ip_finish_output2' && c.packet > 0), 'the other sends were not looked at');
  });
});

describe('the layout of the graph (ELK)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ELK = require('elkjs/lib/elk.bundled.js') as new () => { layout(g: ElkGraph): Promise<ElkGraph> };

  for (const profile of ['6.18', '4.9'] as KernelProfile[]) {
    it(`${profile}: every function placed, every call drawn downwards from caller to callee but those that start over (an ICMP error, a dup copy, a reroute, a VLAN's parent)`, async () => {
      const g = callGraph(profile);
      const p = { functions: g.functions.map((name) => ({ name, file: '' })), edges: g.edges };
      const layout = fromElk(await new ELK().layout(elkGraph(p, (s) => s.length * 7)), p.edges);
      assert.deepEqual(layout.nodes.map((n) => n.id).sort(), [...g.functions].sort());
      assert.equal(layout.edges.length, g.edges.length);
      const at = new Map(layout.nodes.map((n) => [n.id, n]));
      // The calls against the call order (an ICMP error, a dup copy sent from the top, a route
      // looked up again, a VLAN handing its packet to its parent) go back up.
      const order = (f: string): number => g.functions.indexOf(f);
      for (const e of layout.edges) {
        assert.ok(e.points.length >= 2, `${e.from}>${e.to} has a route`);
        const up = order(e.from) >= order(e.to);
        assert.equal(at.get(e.from)!.y < at.get(e.to)!.y, !up, `${e.from} is ${up ? 'below' : 'above'} ${e.to}`);
      }
      for (const n of layout.nodes) assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= layout.width && n.y + n.height <= layout.height);
    });
  }
});
