// The requests behind the two pictures, through a real DAP client over stdio: kpath/skb (the
// sk_buff of a frame laid out as bands), kpath/path (the call graph and the packet's path) and
// kpath/functionSource (where a function's listing starts), with their errors.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, DEFAULT_SCENARIO, errorOf, lineText, kernelPath } from '../helpers/dap';
import type { SkbPicture, PathPicture } from '../../src/adapter/pictures';

let s: DapSession;
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

/** Launches the default scenario and runs to the first hit of a function breakpoint on `fn`. */
async function stopAt(fn: string, kernel?: '6.18' | '4.9'): Promise<DebugProtocol.StackFrame[]> {
  const stop = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: false, ...(kernel ? { kernel } : {}) }, async () => {
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: fn }] });
  });
  assert.ok(stop, `no stop at ${fn}`);
  const frames = await s.stack(stop);
  assert.equal(frames[0].name, fn);
  return frames;
}

const skb = async (args: object = {}): Promise<SkbPicture> => (await s.dc.customRequest('kpath/skb', args)).body as SkbPicture;
const pathOf = async (args: object = {}): Promise<PathPicture> => (await s.dc.customRequest('kpath/path', args)).body as PathPicture;
const lengths = (p: SkbPicture): string => p.bands.map((b) => `${b.kind} ${b.length}`).join(', ');

describe('kpath/skb', () => {
  it('the 100-byte datagram at ip_finish_output2: IP 20, UDP 8, payload 100 between headroom and tailroom', async () => {
    const top = (await stopAt('ip_finish_output2'))[0].id;
    const p = await skb({ frameId: top });
    assert.equal(p.fn, 'ip_finish_output2');
    assert.equal(p.frame, 0);
    assert.equal(lengths(p), 'ip 20, udp 8, payload 100');
    // The positions are those of the model's skb, as the Variables view shows them.
    assert.equal(p.headroom, await s.number('skb_headroom(skb)', top));
    assert.equal(p.tailroom, await s.number('skb_tailroom(skb)', top));
    assert.equal(p.len, await s.number('skb->len', top));
    assert.equal(p.data, p.headroom);
    assert.equal(p.tail - p.data, p.len);
    assert.equal(p.end - p.tail, p.tailroom);
    assert.equal(p.bands[0].start, p.data);
    assert.equal(p.network_header, p.data);
    assert.equal(p.mac_header, null);
    assert.equal(p.fields.len, 128);
    assert.equal(p.fields['band.udp'], 8);
  });

  it('follows the selected frame, and falls back to the innermost frame with an skb', async () => {
    const frames = await stopAt('ip_finish_output2');
    const ids = frames.map((f) => f.id);
    const names = frames.map((f) => f.name);
    const caller = names.indexOf('ip_output');
    const p = await skb({ frameId: ids[caller] });
    assert.equal(p.fn, 'ip_output');
    assert.equal(p.frame, caller);
    // udp_sendmsg was called with no skb: the picture is the innermost frame's.
    const q = await skb({ frameId: ids[names.indexOf('udp_sendmsg')] });
    assert.equal(q.frame, 0);
    // A frame id from no stack trace, or none: the innermost frame with an skb.
    assert.equal((await skb({ frameId: 999999 })).frame, 0);
    assert.equal((await skb()).frame, 0);
  });

  it('after neigh_resolve_output built the link header: an Ethernet band of 14 bytes, data moved back by 14', async () => {
    await stopAt('neigh_resolve_output');
    // The first call queues the packet; the second, after the ARP reply, sends it.
    let stop = await s.exec('continue');
    const before = await skb();
    for (let i = 0; i < 8 && stop; i++) {
      const p = await skb();
      if (p.bands[0].kind === 'eth') {
        assert.equal(p.bands[0].length, 14);
        assert.equal(p.data, before.data - 14);
        assert.equal(p.len, before.len + 14);
        assert.equal(lengths(p), 'eth 14, ip 20, udp 8, payload 100');
        return;
      }
      stop = await s.exec('next');
    }
    assert.fail('no stop in neigh_resolve_output showed the Ethernet header');
  });

  it('answers {packet: null} where no frame has an skb, and errors for bad arguments and before a launch', async () => {
    assert.match(await errorOf(s.dc.customRequest('kpath/skb', {})), /kpath\/skb: no scenario is running/);
    const stop = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    assert.equal((await s.stack(stop!))[0].name, 'udp_sendmsg');
    const p = (await s.dc.customRequest('kpath/skb', {})).body as { packet: null; fn: string };
    assert.equal(p.packet, null);
    assert.equal(p.fn, 'udp_sendmsg');
    assert.match(await errorOf(s.dc.customRequest('kpath/skb', { frameId: 'x' })), /frameId must be an integer/);
  });
});

describe('kpath/path', () => {
  it('the graph of the 6.18 profile, the packet\'s path up to ip_finish_output2, and the current function', async () => {
    const top = (await stopAt('ip_finish_output2'))[0].id;
    const p = await pathOf({ frameId: top });
    assert.equal(p.profile, '6.18');
    assert.equal(p.packet, (await skb({ frameId: top })).packet);
    assert.equal(p.current, 'ip_finish_output2');
    assert.equal(p.stack[0], 'ip_finish_output2');
    const names = p.functions.map((f) => f.name);
    assert.ok(names.includes('neigh_output') && names.includes('__ip_finish_output') && !names.includes('dst_neigh_output'));
    assert.equal(p.functions.find((f) => f.name === 'ip_finish_output2')?.file, 'net/ipv4/ip_output.c');
    const taken = p.path.edges.map((e) => `${e.from}>${e.to}`);
    for (const e of ['udp_sendmsg>ip_make_skb', 'dst_output>ip_output', 'ip_output>ip_finish_output', 'ip_finish_output>__ip_finish_output', '__ip_finish_output>ip_finish_output2']) {
      assert.ok(taken.includes(e), `${e} is on the path: ${taken.join(' ')}`);
    }
    // Not taken (yet): fragmentation, and what comes after the current function.
    for (const e of ['__ip_finish_output>ip_fragment', 'ip_finish_output2>neigh_output']) assert.ok(!taken.includes(e), e);
    // Every call on the path is a call of the graph.
    const graph = new Set(p.edges.map((e) => `${e.from}>${e.to}`));
    assert.deepEqual(taken.filter((e) => !graph.has(e)), []);
    assert.equal(p.skipped, 0);
  });

  it('4.9: dst_neigh_output where 6.18 has neigh_output, and no __ip_finish_output', async () => {
    await stopAt('ip_finish_output2', '4.9');
    const p = await pathOf();
    assert.equal(p.profile, '4.9');
    const names = p.functions.map((f) => f.name);
    assert.ok(names.includes('dst_neigh_output') && !names.includes('neigh_output') && !names.includes('__ip_finish_output'));
    assert.ok(p.path.edges.some((e) => e.from === 'ip_finish_output' && e.to === 'ip_finish_output2'));
  });

  it('the queued packet, sent after the ARP reply: its path joins the send that made it and the reply that released it', async () => {
    await stopAt('dev_queue_xmit');
    let p = await pathOf();
    // The first transmission is the ARP request, made on the way of the queued datagram.
    while (!p.path.edges.some((e) => e.from === 'neigh_update')) {
      assert.ok(await s.exec('continue'), 'the run ended before the queued datagram left');
      p = await pathOf();
    }
    const taken = p.path.edges.map((e) => `${e.from}>${e.to}`);
    for (const e of ['udp_sendmsg>ip_send_skb', 'neigh_resolve_output>__neigh_event_send', 'arp_process>neigh_update', 'neigh_update>neigh_resolve_output', 'neigh_resolve_output>dev_queue_xmit']) {
      assert.ok(taken.includes(e), `${e} is on the path: ${taken.join(' ')}`);
    }
    // The ARP request is another packet: its own transmission is not this packet's path.
    assert.ok(!taken.includes('arp_solicit>arp_xmit'), taken.join(' '));
  });

  it('kpath/functionSource opens a function\'s listing at its first line; errors name what is wrong', async () => {
    assert.match(await errorOf(s.dc.customRequest('kpath/path', {})), /kpath\/path: no scenario is running/);
    await stopAt('ip_finish_output2', '4.9');
    const src = (await s.dc.customRequest('kpath/functionSource', { name: 'dst_neigh_output' })).body as { path: string; line: number };
    assert.equal(kernelPath(src.path), 'include/net/dst.h');
    assert.match(lineText(src.path, src.line), /dst_neigh_output\(/);
    assert.match(await errorOf(s.dc.customRequest('kpath/functionSource', { name: 'neigh_output' })), /neigh_output is not on the 4\.9 path/);
    assert.match(await errorOf(s.dc.customRequest('kpath/functionSource', { name: 'no_such_fn' })), /no_such_fn is not a modeled function/);
    assert.match(await errorOf(s.dc.customRequest('kpath/functionSource', {})), /name must be/);
  });
});
