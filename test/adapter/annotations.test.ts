// The C source annotated, through a real DAP client over stdio: the locals a listing declares
// evaluate in watch, conditions and logpoints (dev at ip_finish_output2); kpath/annotations gives
// each modeled function's lines and each step point's explanation, in the session's language, on
// the listings and on the user's Linux tree; kpath/inlineValues evaluates the names of the lines
// the editor shows; kpath/linesRun and kpath/packets give the lines a packet ran.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, DEFAULT_SCENARIO, errorOf, lineText, kernelPath } from '../helpers/dap';
import { linux61 } from '../helpers/linux-tree';
import type { Annotations } from '../../src/adapter/annotations';
import type { InlineValue } from '../../src/adapter/inline-values';
import type { LinesRun, PacketItem } from '../../src/adapter/lines-run';

let s: DapSession;
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

async function stopAt(fn: string, extra: Record<string, unknown> = {}, condition?: string): Promise<DebugProtocol.StackFrame[]> {
  const stop = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: false, ...extra }, async () => {
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: fn, condition }] });
  });
  assert.ok(stop, `no stop at ${fn}`);
  const frames = await s.stack(stop);
  assert.equal(frames[0].name, fn);
  return frames;
}

const request = async <T>(command: string, args: object = {}): Promise<T> => (await s.dc.customRequest(command, args)).body as T;

describe('the locals a listing declares', () => {
  it('at ip_finish_output2 (4.9 and 6.18): dev, rt and hh_len in expressions; dev->mtu and skb->len > dev->mtu', async () => {
    for (const kernel of ['4.9', '6.18']) {
      if (kernel === '6.18') {
        await s.stop();
        s = await new DapSession().start();
      }
      const top = (await stopAt('ip_finish_output2', { kernel }))[0].id;
      assert.equal(await s.value('dev->mtu', top), '1500');
      assert.equal(await s.value('skb->len > dev->mtu', top), 'false');
      assert.equal(await s.value('rt->dst.dev->name', top), '"eth0"');
      assert.equal(await s.value('dev == rt->dst.dev', top), 'true');
      assert.equal(await s.value('skb_dst(skb)->dev->mtu', top), '1500');
      // The model reports the rest as the function runs: hh_len, then nexthop and neigh.
      let stop = await s.exec('next');
      while (stop && (await s.stack(stop))[0].name === 'ip_finish_output2' && !/\(nexthop\)/.test(stop.body.description ?? '')) stop = await s.exec('next');
      assert.ok(stop && /\(nexthop\)/.test(stop.body.description ?? ''), `${kernel}: no stop at nexthop`);
      const f = (await s.stack(stop))[0].id;
      assert.equal(await s.value('hh_len', f), '16');
      assert.equal(await s.value('nexthop', f), '"192.0.2.2"');
      stop = await s.exec('next');
      assert.match(stop!.body.description ?? '', /ip_finish_output2 \(neigh\)/);
      assert.equal(await s.value('neigh->primary_key', (await s.stack(stop!))[0].id), '"192.0.2.2"');
      assert.equal(await s.value('hh_len', (await s.stack(stop!))[0].id), '16', 'the entry\'s hh_len does not hide the function\'s');
    }
  });

  it('in a breakpoint condition and a logpoint', async () => {
    // The 3000-byte datagram's fragments are the packets longer than 1000 bytes here.
    const stop = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: false }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2', condition: 'skb->len > 1000 && skb->len <= dev->mtu' }] });
    });
    assert.ok(stop);
    const top = (await s.stack(stop))[0];
    assert.equal(await s.value('skb->len', top.id), '1500');
    // A logpoint on the line of the neigh step point names dev->mtu and nexthop.
    const source = top.source!;
    const line = fs.readFileSync(source.path!, 'utf8').split('\n').findIndex((l) => l.includes('return neigh_output(neigh, skb, false);')) + 1;
    assert.ok(line > 0);
    await s.dc.setBreakpointsRequest({ source, breakpoints: [{ line, logMessage: 'mtu {dev->mtu} via {nexthop} len {skb->len}' }] });
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const since = s.mark();
    await s.exec('continue');
    const out = s.eventsOf('output', since).map((e) => (e.body as { output: string }).output).join('');
    assert.match(out, /^mtu 1500 via 192\.0\.2\.2 len 1500\nmtu 1500 via 192\.0\.2\.2 len 1500\nmtu 1500 via 192\.0\.2\.2 len 68\n/);
  });
});

describe('kpath/annotations', () => {
  it('the listing of ip_output.c: each function\'s lines and summary, each step point\'s line and explanation', async () => {
    const top = (await stopAt('ip_finish_output2', { kernel: '4.9' }))[0];
    const a = await request<Annotations>('kpath/annotations', { path: top.source!.path });
    assert.equal(a.kind, 'listing');
    assert.equal(a.profile, '4.9');
    assert.equal(a.kernelPath, 'net/ipv4/ip_output.c');
    assert.equal(a.language, 'en');
    const f = a.functions.find((x) => x.name === 'ip_finish_output2')!;
    assert.equal(f.line, top.line, 'the function starts on the line the stack shows for its entry');
    assert.match(lineText(top.source!.path!, f.end), /^}/);
    assert.match(f.summary, /neighbour/);
    assert.match(f.text, /skb_realloc_headroom/);
    const nexthop = a.steps.find((x) => x.fn === 'ip_finish_output2' && x.step === 'nexthop')!;
    assert.match(lineText(top.source!.path!, nexthop.line), /rt_nexthop\(/);
    assert.match(nexthop.text, /gateway/);
    // Every step point of the file, each once, on lines inside its function.
    for (const st of a.steps) {
      const fn = a.functions.find((x) => x.name === st.fn)!;
      assert.ok(st.line >= fn.line && st.line <= fn.end, `${st.fn}:${st.step}`);
      assert.ok(st.text.length > 10, `${st.fn}:${st.step} explained`);
    }
    // The 4.9 walkthrough's branches: the xfrm check, GSO and fragmentation, the headroom, the drop.
    for (const [fn, step] of [['ip_finish_output', 'xfrm'], ['ip_finish_output', 'gso'], ['ip_finish_output', 'fragment'], ['ip_output', 'stats'], ['ip_finish_output2', 'headroom'], ['ip_finish_output2', 'no_neigh'], ['ip_finish_output2', 'mcast']]) {
      assert.ok(a.steps.some((x) => x.fn === fn && x.step === step), `${fn}:${step}`);
    }
    // Another file: none of its lines, and an error for a bad argument.
    assert.deepEqual((await request<Annotations>('kpath/annotations', { path: '/tmp/x.c' })).functions, []);
    assert.match(await errorOf(s.dc.customRequest('kpath/annotations', {})), /path must be the path of a file/);
  });

  it('in Chinese when the session speaks Chinese', async () => {
    await s.stop();
    s = await new DapSession(undefined, { KPATH_LANGUAGE: 'zh-cn' }).start();
    const top = (await stopAt('ip_finish_output2'))[0];
    const a = await request<Annotations>('kpath/annotations', { path: top.source!.path });
    assert.equal(a.language, 'zh');
    assert.match(a.functions.find((x) => x.name === 'ip_finish_output2')!.summary, /邻居/);
  });

  const tree = linux61();
  it('on the real ip_output.c of a Linux tree: the functions where the mapping puts them', { skip: tree.skip }, async () => {
    const top = (await stopAt('ip_finish_output2', { kernelSource: tree.root }))[0];
    // The stop may come before the tree is mapped (first use); the next stack trace has the real file.
    let path = top.source!.path!;
    for (let i = 0; i < 50 && !path.startsWith(tree.root!); i++) {
      await new Promise((r) => setTimeout(r, 200));
      path = (await s.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].source!.path!;
    }
    assert.ok(path.startsWith(tree.root!), path);
    const a = await request<Annotations>('kpath/annotations', { path });
    assert.equal(a.kind, 'source');
    assert.equal(a.kernelPath, 'net/ipv4/ip_output.c');
    const f = a.functions.find((x) => x.name === 'ip_finish_output2')!;
    assert.match(lineText(path, f.line), /static int ip_finish_output2\(/);
    assert.equal(lineText(path, f.end), '}');
    const neigh = a.steps.find((x) => x.fn === 'ip_finish_output2' && x.step === 'neigh')!;
    assert.match(lineText(path, neigh.line), /neigh_output\(neigh, skb/);
    // ip_make_skb folds __ip_append_data: its lines carry the function they are in.
    assert.ok(a.functions.some((x) => x.name === 'ip_make_skb' && x.in === '__ip_append_data'));
  });
});

describe('kpath/inlineValues', () => {
  it('the names and member chains of the lines shown, in the frame: dev, hh_len, skb->len, nexthop', async () => {
    const top = (await stopAt('ip_finish_output2'))[0];
    let stop = await s.exec('next');
    while (stop && !/\(nexthop\)/.test(stop.body.description ?? '')) stop = await s.exec('next');
    const frame = (await s.stack(stop!))[0];
    const text = fs.readFileSync(frame.source!.path!, 'utf8').split('\n');
    const lines = [];
    for (let l = top.line; l <= frame.line; l++) lines.push({ line: l, text: text[l - 1] });
    const { values } = await request<{ values: InlineValue[] }>('kpath/inlineValues', { frameId: frame.id, lines, signature: top.line });
    const at = (re: RegExp) => values.filter((v) => re.test(text[v.line - 1])).map((v) => v.text);
    assert.deepEqual(at(/struct net_device \*dev =/), ['dev = eth0 mtu 1500']);
    assert.ok(at(/unsigned int hh_len =/).includes('hh_len = 16'));
    assert.ok(values.some((v) => v.text === 'skb->len = 128'), values.map((v) => v.text).join('; '));
    assert.ok(at(/nexthop = /).includes('nexthop = 192.0.2.2'));
    // Function names, macros and comments are not evaluated; nothing on the signature is an object.
    assert.ok(!values.some((v) => /^(LL_RESERVED_SPACE|rt_nexthop|IP_UPD_PO_STATS)/.test(v.text)));
    assert.ok(!values.some((v) => v.line === top.line && /struct/.test(v.text)));
    assert.match(await errorOf(s.dc.customRequest('kpath/inlineValues', { lines: 'x' })), /lines must be an array/);
  });
});

describe('kpath/linesRun and kpath/packets', () => {
  it('the lines the stop\'s packet ran, in the listings; another packet by its id', async () => {
    const top = (await stopAt('ip_finish_output2'))[0];
    const r = await request<LinesRun>('kpath/linesRun', {});
    assert.equal(r.packet, 1);
    const out = r.files.find((f) => f.path === top.source!.path)!;
    assert.ok(out, r.files.map((f) => f.path).join(', '));
    // The entry of ip_finish_output2 is where the packet is now; ip_output's set_dev it ran before.
    assert.ok(out.lines.includes(top.line));
    const setDev = fs.readFileSync(top.source!.path!, 'utf8').split('\n').findIndex((l) => l.includes('skb->dev = dev;')) + 1;
    assert.ok(out.lines.includes(setDev));
    // udp_sendmsg's lines are the packet's too (it made it), in udp.c's listing.
    assert.ok(r.files.some((f) => kernelPath(f.path) === 'net/ipv4/udp.c'));
    // A later stop: the first fragment of the 3000-byte datagram ran ip_do_fragment's output.
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'dev_hard_start_xmit', condition: 'skb->len > 1000' }] });
    const stop = await s.exec('continue');
    assert.ok(stop);
    const frag = await request<LinesRun>('kpath/linesRun', {});
    const outLines = frag.files.find((f) => f.path === top.source!.path)!.lines;
    const doFrag = outLines.some((l) => /output\(net, sk, frag\[i\]\)/.test(lineText(top.source!.path!, l)));
    assert.ok(doFrag, 'ip_do_fragment sent it');
    // The packets of the run so far, newest first; the first one's lines on request.
    const p = await request<{ packets: PacketItem[]; total: number; current: number | null }>('kpath/packets');
    assert.equal(p.current, frag.packet);
    assert.deepEqual(p.packets.map((x) => x.id), [...Array(p.total).keys()].map((i) => p.total - i));
    assert.match(p.packets.find((x) => x.id === 2)!.label, /ARP/);
    const first = await request<LinesRun>('kpath/linesRun', { packet: 1 });
    assert.equal(first.packet, 1);
    assert.ok(first.files.find((f) => f.path === top.source!.path)!.lines.includes(top.line));
    assert.match(await errorOf(s.dc.customRequest('kpath/linesRun', { packet: 9999 })), /no packet #9999/);
    assert.match(await errorOf(s.dc.customRequest('kpath/linesRun', { packet: 'x' })), /packet must be a packet id/);
  });
});
