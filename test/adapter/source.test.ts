// The adapter with kernelSource, through a real DAP client over stdio: stack frames name the real
// files of Debian's Linux 6.1 tree at the lines the mapping gives (read from the same mapping
// here, never written down), line breakpoints in those files bind to their step points (with the
// case of a per-case one) or say why not, what does not map is told in a 'kpath' output event and
// shows in the model listing, and a folder that is not a Linux tree gets a message and the listings.

import { describe, it, before, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, DEFAULT_SCENARIO, findVar } from '../helpers/dap';
import { linux61, tempCache } from '../helpers/linux-tree';
import { loadSourceMap } from '../../src/source/load';
import { computeSourceMap } from '../../src/source/compute';
import type { KernelSourceMap } from '../../src/source/map';

const tree = linux61();
const skip = tree.skip;
let map: KernelSourceMap;
let s: DapSession;

before(async () => {
  if (skip) return;
  // The mapping the adapter will use: the same cache folder, so the adapter finds it there.
  const r = await loadSourceMap(tree.root!, '6.18', { compute: computeSourceMap });
  assert.ok(!('problem' in r));
  map = r.map;
});
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

function outputs(category: string): DebugProtocol.OutputEvent[] {
  return s.eventsOf('output').filter((e) => (e as DebugProtocol.OutputEvent).body.category === category) as DebugProtocol.OutputEvent[];
}

describe('kernelSource: a real Linux tree', { skip }, () => {
  it('frames are in the real files at their mapped lines; callers at their calls; what does not map is told', async () => {
    const first = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true, kernelSource: tree.root });
    assert.equal(first?.body.reason, 'entry');
    const frames = await s.stack(first!);
    const enter = map.position('udp_sendmsg', 'enter')!;
    assert.equal(frames[0].name, 'udp_sendmsg');
    assert.equal(frames[0].source?.path, path.join(tree.root!, 'net', 'ipv4', 'udp.c'));
    assert.equal(frames[0].line, enter.line);
    // One 'kpath' output: the count, and each step point that shows in the listing instead, with why.
    const said = outputs('kpath').map((e) => e.body.output).join('');
    assert.match(said, /kernel source .*linux-source-6\.1 \(Linux 6\.1\.\d+\): \d+ of \d+ step points of the 6\.18 profile/);
    for (const u of map.unmapped()) assert.ok(said.includes(`${u.fn}:${u.step}`), `${u.fn}:${u.step} is not told`);
    // Into the stack: each caller shows the line where it calls the frame above it.
    let st = await s.exec('stepIn');
    for (let i = 0; i < 40 && st; i++) {
      const fr = await s.stack(st);
      if (fr[0].name === 'ip_finish_output2') break;
      st = await s.exec('stepIn');
    }
    const fr = await s.stack(st!);
    assert.equal(fr[0].name, 'ip_finish_output2');
    assert.equal(fr[0].line, map.position('ip_finish_output2', 'enter')!.line);
    const caller = fr.find((f) => f.name === 'ip_send_skb')!;
    assert.equal(caller.line, map.callPosition('ip_send_skb', 'enter', 'ip_local_out')!.line);
    assert.equal(caller.source?.path, path.join(tree.root!, 'net', 'ipv4', 'ip_output.c'));
  });

  it('a line breakpoint in the real ip_output.c binds to the step point on its line and stops there', async () => {
    const neigh = map.position('ip_finish_output2', 'neigh')!;
    const file = neigh.file;
    let answer: DebugProtocol.Breakpoint[] = [];
    const first = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: false, kernelSource: tree.root }, async () => {
      const r = await s.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: neigh.line }, { line: neigh.line + 2 }, { line: 5 }] });
      answer = r.body.breakpoints;
    });
    // Verified once the mapping is read (at once when cached, else by a 'changed' event).
    const changed = s.eventsOf('breakpoint').map((e) => (e as DebugProtocol.BreakpointEvent).body.breakpoint);
    const final = (i: number) => changed.filter((b) => b.id === answer[i].id).pop() ?? answer[i];
    assert.equal(final(0).verified, true, final(0).message);
    assert.equal(final(1).verified, false);
    assert.match(final(1).message ?? '', new RegExp(`no step point of ip_finish_output2 on line ${neigh.line + 2}; the nearest is line \\d+`));
    assert.equal(final(2).verified, false);
    assert.match(final(2).message ?? '', /no step point on line 5/);
    assert.equal(first?.body.reason, 'breakpoint');
    const frames = await s.stack(first!);
    assert.equal(frames[0].name, 'ip_finish_output2');
    assert.equal(frames[0].line, neigh.line);
    assert.equal(frames[0].source?.path, file);
  });

  it('a line of a per-case step point stops only in its case (nud_state INCOMPLETE)', async () => {
    const p = map.position('__neigh_event_send', 'nud_state', { nud_state: 'INCOMPLETE' })!;
    const first = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: false, kernelSource: tree.root }, async () => {
      await s.dc.setBreakpointsRequest({ source: { path: p.file }, breakpoints: [{ line: p.line }] });
    });
    assert.equal(first?.body.reason, 'breakpoint');
    const frames = await s.stack(first!);
    assert.equal(frames[0].name, '__neigh_event_send');
    assert.equal(frames[0].line, p.line);
    assert.equal(await s.value('nud_state', frames[0].id), '"INCOMPLETE"');
    assert.equal(await s.exec('continue'), null, 'no other packet makes an entry INCOMPLETE');
  });

  it('a function breakpoint is reported at the function in the real file', async () => {
    let bp: DebugProtocol.Breakpoint | undefined;
    const first = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: false, kernelSource: tree.root }, async () => {
      bp = (await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '__neigh_create' }] })).body.breakpoints[0];
    });
    const changed = s.eventsOf('breakpoint').map((e) => (e as DebugProtocol.BreakpointEvent).body.breakpoint).filter((b) => b.id === bp!.id).pop() ?? bp!;
    assert.equal(changed.source?.path, map.position('__neigh_create', 'enter')!.file);
    assert.equal(changed.line, map.position('__neigh_create', 'enter')!.line);
    const frames = await s.stack(first!);
    assert.equal(frames[0].name, '__neigh_create');
    assert.equal(frames[0].line, map.position('__neigh_create', 'enter')!.line);
  });

  it('a step point with no line (ip_do_fragment output) shows that frame in the model listing', async () => {
    const first = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: false, kernelSource: tree.root }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_do_fragment' }] });
    });
    let st = first;
    let frames = await s.stack(st!);
    assert.equal(frames[0].source?.path, map.position('ip_do_fragment', 'enter')!.file);
    for (let i = 0; i < 30 && st; i++) {
      st = await s.exec('next');
      frames = await s.stack(st!);
      if (frames[0].name === 'ip_do_fragment' && await s.value('fragment', frames[0].id).catch(() => '') === '0') break;
    }
    assert.equal(frames[0].name, 'ip_do_fragment');
    assert.ok(!frames[0].source?.path?.startsWith(tree.root!), `${frames[0].source?.path} should be the model listing`);
    assert.match(frames[0].source?.path ?? '', /listings[/\\]6\.18[/\\]net[/\\]ipv4[/\\]ip_output\.c$/);
    assert.ok(findVar(await s.scope(frames[0].id, 'Locals'), 'fragment'));
  });
});

describe('kernelSource: a tree read for the first time (no cached mapping)', { skip }, () => {
  /** A session whose adapter has a cache folder of its own, empty. */
  async function coldSession(): Promise<DapSession> {
    await s.stop();
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = tempCache();
    try {
      s = await new DapSession().start();
      s.clientArgs = { supportsInvalidatedEvent: true };
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
    return s;
  }

  it('the first stop does not wait for the parse: the stack is fetched again when the mapping is there', async () => {
    await coldSession();
    const first = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true, kernelSource: tree.root });
    const real = path.join(tree.root!, 'net', 'ipv4', 'udp.c');
    const top = (await s.stack(first!))[0];
    if (top.source?.path !== real) {
      // Shown in the model listing meanwhile; the client is told when the real lines are known.
      assert.match(top.source?.path ?? '', /listings[/\\]6\.18[/\\]net[/\\]ipv4[/\\]udp\.c$/);
      await s.waitFor((e) => e.event === 'invalidated', 0, 'an invalidated event', 60_000);
    }
    const again = (await s.stack(first!))[0];
    assert.equal(again.source?.path, real);
    assert.equal(again.line, map.position('udp_sendmsg', 'enter')!.line);
    assert.equal(outputs('kpath').length, 1);
  });

  it('line breakpoints in the tree wait for the mapping before the run: verified, and hit', async () => {
    await coldSession();
    const p = map.position('neigh_resolve_output', 'header')!;
    let answer: DebugProtocol.Breakpoint | undefined;
    const first = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: false, kernelSource: tree.root }, async () => {
      answer = (await s.dc.setBreakpointsRequest({ source: { path: p.file }, breakpoints: [{ line: p.line }] })).body.breakpoints[0];
    });
    const changed = s.eventsOf('breakpoint').map((e) => (e as DebugProtocol.BreakpointEvent).body.breakpoint).filter((b) => b.id === answer!.id).pop() ?? answer!;
    assert.equal(changed.verified, true, changed.message);
    assert.equal(first?.body.reason, 'breakpoint');
    const top = (await s.stack(first!))[0];
    assert.equal(top.name, 'neigh_resolve_output');
    assert.equal(top.line, p.line);
  });
});

describe('kernelSource: not a Linux tree', () => {
  it('says so in a kpath output event and shows the model listings', async () => {
    const first = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true, kernelSource: os.tmpdir() });
    const said = outputs('kpath');
    assert.equal(said.length, 1);
    assert.match(said[0].body.output, /is not a Linux source tree/);
    assert.equal((said[0].body.data as { problem?: boolean }).problem, true);
    const frames = await s.stack(first!);
    assert.match(frames[0].source?.path ?? '', /listings[/\\]6\.18[/\\]net[/\\]ipv4[/\\]udp\.c$/);
  });
});
