// Execution through a real DAP client over stdio: launch and stop on entry, the two threads, the
// stack of modeled kernel frames with their listing sources, next / stepIn / stepOut, the value a
// function returned, stepInTargets, restart, and stepping backwards (stepBack, reverseContinue),
// which must land on exactly the state the run had when it passed there going forward.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, DEFAULT_SCENARIO, findVar, lineText } from '../helpers/dap';
import { makeTempDir } from '../helpers/cli';

let s: DapSession;
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

/** The position (step number) the adapter reported with the latest stop. */
function lastPosition(): { step: number; time: number; context: string; event: string } {
  const p = s.eventsOf('kpath/position').pop();
  assert.ok(p, 'a kpath/position event');
  return p.body;
}

/**
 * The default scenario with a peer that answers after 1 ms: its ARP reply is an event of its own,
 * on the softirq thread (with no delay it is received inside the socket call, at a local_bh_enable).
 */
const DELAYED_SCENARIO = path.join(makeTempDir('kpath-stepping-'), 'delayed.kpath');
fs.writeFileSync(DELAYED_SCENARIO, fs.readFileSync(DEFAULT_SCENARIO, 'utf8').replace(/^peer 192\.0\.2\.2 lladdr 02:00:00:00:00:02/m, '$& reply-delay 1ms'));

/** Launches the default scenario and runs to the first stop at a function breakpoint on `fn`. */
async function runTo(fn: string, extra: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
  const st = await s.launch({ scenario: DEFAULT_SCENARIO, ...extra }, async () => {
    const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: fn }] });
    assert.equal(r.body.breakpoints[0].verified, true, r.body.breakpoints[0].message);
  });
  assert.ok(st, `the run stops at ${fn}`);
  return st;
}

const IP_PATH_6_18 = ['ip_finish_output2', '__ip_finish_output', 'ip_finish_output', 'ip_output', 'dst_output', 'ip_local_out', 'ip_send_skb', 'udp_sendmsg'];

describe('launch and threads', () => {
  it('stopOnEntry stops at the first step point: udp_sendmsg on the task thread', async () => {
    const st = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    assert.ok(st);
    assert.equal(st.body.reason, 'entry');
    assert.equal(st.body.threadId, 1);
    assert.equal(st.body.allThreadsStopped, true);
    assert.deepEqual(await s.stackNames(st), ['udp_sendmsg']);
    assert.equal(lastPosition().step, 1);
    assert.equal(await s.value('len'), '100', 'udp_sendmsg\'s len argument: the payload');
  });

  it('without stopOnEntry and without breakpoints the run ends: exited, then terminated', async () => {
    const st = await s.launch({ scenario: DEFAULT_SCENARIO });
    assert.equal(st, null);
    const names = s.events.map((e) => e.event);
    assert.ok(names.indexOf('exited') >= 0 && names.indexOf('exited') < names.indexOf('terminated'), names.join(' '));
    assert.equal(s.eventsOf('exited')[0].body.exitCode, 0);
  });

  it('threads: the task that makes the socket calls and the softirq/timer context', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    const r = await s.dc.threadsRequest();
    assert.deepEqual(r.body.threads.map((t) => t.id), [1, 2]);
    assert.match(r.body.threads[0].name, /task/);
    assert.match(r.body.threads[1].name, /softirq/);
  });

  it('an ARP reply without delay is received in the sending task, at __neigh_event_send\'s local_bh_enable', async () => {
    const st = await runTo('arp_process');
    assert.equal(st.body.threadId, 1);
    const names = await s.stackNames(st);
    assert.deepEqual(names.slice(0, 6), ['arp_process', '__netif_receive_skb', 'net_rx_action', 'do_softirq', '__neigh_event_send', 'neigh_resolve_output']);
    assert.equal(names[names.length - 1], 'udp_sendmsg');
    const softirq = await s.dc.stackTraceRequest({ threadId: 2 });
    assert.deepEqual(softirq.body.stackFrames, []);
    assert.equal(lastPosition().context, 'task');
  });

  it('an ARP reply after a reply delay is processed on the softirq thread; the task thread has no frames then', async () => {
    const st = await runTo('arp_process', { scenario: DELAYED_SCENARIO });
    assert.equal(st.body.threadId, 2);
    assert.deepEqual(await s.stackNames(st), ['arp_process', '__netif_receive_skb']);
    const task = await s.dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(task.body.stackFrames, []);
    assert.equal(lastPosition().context, 'softirq');
  });

  it('a launch configuration may carry the scenario inline (docs/scenario.md, the object form)', async () => {
    const scenario = {
      links: [{ name: 'eth0', mtu: 1500, address: '02:00:00:00:00:01' }],
      addrs: [{ address: '192.0.2.1', prefix: 24, dev: 'eth0' }],
      peers: [{ address: '192.0.2.2', lladdr: '02:00:00:00:00:02' }],
      sends: [{ at: '0ms', proto: 'udp', to: '192.0.2.2', port: 9000, size: 2000 }],
    };
    const st = await s.launch({ scenario }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_fragment' }] });
    });
    assert.ok(st);
    assert.equal(await s.value('skb->len'), '2028');
  });
});

describe('stack frames', () => {
  it('at ip_finish_output2 the modeled frames come innermost first, each with an existing listing file and a line', async () => {
    const st = await runTo('ip_finish_output2');
    const frames = await s.stack(st);
    assert.deepEqual(frames.map((f) => f.name), IP_PATH_6_18);
    for (const f of frames) {
      assert.ok(f.source?.path, `${f.name} has a source`);
      assert.ok(fs.existsSync(f.source.path), `${f.source.path} exists`);
      assert.ok(f.line > 0, `${f.name} has a line`);
      assert.ok(lineText(f.source.path, f.line).trim().length > 0, `${f.name}: line ${f.line} is not empty`);
    }
    assert.match(lineText(frames[0].source!.path!, frames[0].line), /ip_finish_output2\s*\(/, 'stopped on entry: the signature line');
    assert.equal(frames[0].source?.name, 'ip_output.c');
    assert.equal(frames[4].source?.name, 'dst.h');
    assert.equal(frames[7].source?.name, 'udp.c');
  });

  it('startFrame and levels page the stack', async () => {
    const st = await runTo('ip_finish_output2');
    const r = await s.dc.stackTraceRequest({ threadId: st.body.threadId!, startFrame: 2, levels: 3 });
    assert.deepEqual(r.body.stackFrames.map((f) => f.name), IP_PATH_6_18.slice(2, 5));
    assert.equal(r.body.totalFrames, IP_PATH_6_18.length);
  });

  it('the 4.9 profile stops at dst_neigh_output with ip_finish_output2 as its caller', async () => {
    const st = await s.launch({ scenario: DEFAULT_SCENARIO, kernel: '4.9' }, async () => {
      const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'dst_neigh_output' }] });
      assert.equal(r.body.breakpoints[0].verified, true, r.body.breakpoints[0].message);
    });
    assert.ok(st);
    const frames = await s.stack(st);
    assert.deepEqual(frames.map((f) => f.name), ['dst_neigh_output', 'ip_finish_output2', 'ip_finish_output', 'ip_output', 'dst_output', 'ip_local_out', 'ip_send_skb', 'udp_sendmsg']);
    assert.ok(!frames.some((f) => f.name === '__ip_finish_output'), '4.9 has no __ip_finish_output');
    assert.match(frames[0].source?.path ?? '', /4\.9/, 'the listing of the 4.9 profile');
    assert.ok(fs.existsSync(frames[0].source!.path!));
  });
});

describe('stepping forward', () => {
  it('stepIn enters the next call; next stays in the function; stepOut returns to the caller', async () => {
    let st = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    assert.ok(st);
    st = await s.exec('stepIn');
    assert.ok(st);
    assert.equal(st.body.reason, 'step');
    assert.deepEqual(await s.stackNames(st), ['ip_route_output_flow', 'udp_sendmsg']);
    st = await s.exec('stepOut');
    assert.ok(st);
    const out = await s.stackNames(st);
    assert.equal(out.length, 1, `back in udp_sendmsg: ${out.join(' < ')}`);
    assert.equal(out[0], 'udp_sendmsg');
    const before = lastPosition().step;
    st = await s.exec('next');
    assert.ok(st);
    assert.deepEqual(await s.stackNames(st), ['udp_sendmsg'], 'next stays in udp_sendmsg');
    assert.ok(lastPosition().step > before + 1, `and steps over the step points of the calls it makes (${before} -> ${lastPosition().step})`);
  });

  it('next from the last step point of an event goes on to the next event (the ARP reply, on the softirq thread)', async () => {
    let st = await s.launch({ scenario: DELAYED_SCENARIO, stopOnEntry: true });
    for (let i = 0; i < 10 && st && st.body.threadId === 1; i++) st = await s.exec('next');
    assert.ok(st);
    assert.equal(st.body.threadId, 2);
    assert.deepEqual(await s.stackNames(st), ['__netif_receive_skb']);
  });

  it('after stepping out of ip_finish_output2 (a fragment), Locals shows "ip_finish_output2() returned"', async () => {
    let st: DebugProtocol.StoppedEvent | null = await runTo('ip_finish_output2');
    st = await s.exec('continue'); // the first fragment
    assert.ok(st);
    assert.equal(await s.value('skb->len'), '1500');
    st = await s.exec('stepOut');
    assert.ok(st);
    const frames = await s.stack(st);
    assert.equal(frames[0].name, 'ip_do_fragment');
    const locals = await s.scope(frames[0].id, 'Locals');
    assert.equal(findVar(locals, 'ip_finish_output2() returned').value, '0');
  });

  it('after stepping out of ip_finish_output2 (the first datagram), Locals shows "ip_finish_output2() returned"', async () => {
    let st: DebugProtocol.StoppedEvent | null = await runTo('ip_finish_output2');
    st = await s.exec('stepOut');
    assert.ok(st);
    const frames = await s.stack(st);
    assert.equal(frames[0].name, '__ip_finish_output');
    const locals = await s.scope(frames[0].id, 'Locals');
    assert.equal(findVar(locals, 'ip_finish_output2() returned').value, '0');
  });

  it('stepOut of __ip_local_out stops before ip_local_out runs dst_output (nothing goes on the wire)', async () => {
    // ip_local_out calls __ip_local_out and then dst_output; stepping out of the first must not run
    // the second (and with it the whole output path) before the user can step into it.
    let st: DebugProtocol.StoppedEvent | null = await runTo('__ip_local_out');
    const since = s.mark();
    st = await s.exec('stepOut');
    assert.ok(st);
    const names = await s.stackNames(st);
    assert.equal(s.eventsOf('kpath/frame', since).length, 0, `no frame was sent on the way; landed at ${names.join(' < ')}`);
    assert.ok(names.includes('ip_local_out'), names.join(' < '));
  });

  it('stepInTargets lists the modeled calls a line makes, and stepIn with a target enters that one', async () => {
    // After its nexthop step point, ip_finish_output2 looks the neighbour up and, for the first
    // datagram, creates it: two modeled calls before its next step point.
    let st: DebugProtocol.StoppedEvent | null = await runTo('ip_finish_output2');
    let frames = await s.stack(st);
    while (!/nexthop =/.test(lineText(frames[0].source!.path!, frames[0].line))) {
      st = (await s.exec('next'))!;
      frames = await s.stack(st);
      assert.equal(frames[0].name, 'ip_finish_output2');
    }
    const r = await s.dc.stepInTargetsRequest({ frameId: frames[0].id });
    const labels = r.body.targets.map((t) => t.label);
    assert.ok(labels.length >= 2, `more than one call: ${labels.join(', ')}`);
    assert.equal(labels[0], '__ipv4_neigh_lookup_noref');
    const target = r.body.targets.find((t) => t.label === '__neigh_create');
    assert.ok(target, `__neigh_create among ${labels.join(', ')}`);
    const before = lastPosition().step;
    st = await s.exec('stepIn', { targetId: target.id });
    assert.ok(st);
    assert.deepEqual((await s.stackNames(st)).slice(0, 2), ['__neigh_create', 'ip_finish_output2'], 'the chosen call, not the first one');
    assert.ok(lastPosition().step > before + 2, 'the lookup ran on the way');
  });

  it('restart goes back to the entry and keeps the breakpoints', async () => {
    let st = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_fragment' }] });
    });
    st = await s.exec('continue');
    assert.ok(st);
    assert.equal((await s.stackNames(st))[0], 'ip_fragment');
    st = await s.exec('restart');
    assert.ok(st);
    assert.equal(st.body.reason, 'entry');
    assert.equal(lastPosition().step, 1);
    st = await s.exec('continue');
    assert.ok(st);
    assert.equal((await s.stackNames(st))[0], 'ip_fragment', 'the breakpoint survived the restart');
    assert.equal(await s.value('skb->len'), '3028');
  });

  it('restart with the launch configuration reads the scenario file again (an edit takes effect)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-restart-'));
    try {
      const file = path.join(dir, 'edit.kpath');
      const text = (size: number) => `link add eth0 mtu 1500\naddr add 192.0.2.1/24 dev eth0\npeer 192.0.2.2 lladdr 02:00:00:00:00:02\nat 0ms send udp to 192.0.2.2:9000 size ${size}\n`;
      fs.writeFileSync(file, text(100));
      const args = { scenario: file, stopOnEntry: true };
      await s.launch(args);
      assert.equal(await s.value('len'), '100');
      fs.writeFileSync(file, text(200));
      const st = await s.exec('restart', { arguments: args });
      assert.ok(st);
      assert.equal(await s.value('len'), '200', 'the edited size');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pause while stopped answers and reports the stop again', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    const since = s.mark();
    await s.dc.pauseRequest({ threadId: 1 });
    const ev = await s.nextStop(since);
    assert.ok(ev);
    assert.equal(ev.body.reason, 'pause');
  });
});

describe('stepping backwards', () => {
  /** What a stop looks like, for comparing a stop reached backwards with the same one reached forwards. */
  async function snapshot(st: DebugProtocol.StoppedEvent): Promise<string> {
    const frames = await s.stack(st);
    const top = frames[0];
    const scopes = await s.scopes(top.id);
    const wire = await s.variables(scopes.find((x) => x.name === 'Wire')!.variablesReference);
    const counters = await s.variables(scopes.find((x) => x.name === 'Counters')!.variablesReference);
    const neighbours = await s.variables(scopes.find((x) => x.name === 'Neighbours')!.variablesReference);
    const locals = await s.variables(scopes.find((x) => x.name === 'Locals')!.variablesReference);
    const len = await s.value('skb->len', top.id).catch(() => '-');
    return JSON.stringify({
      thread: st.body.threadId,
      stack: frames.map((f) => `${f.name}:${f.line}`),
      position: lastPosition(),
      len,
      locals: locals.map((v) => `${v.name}=${v.value}`),
      wire: wire.map((v) => v.value),
      counters: counters.map((v) => `${v.name}:${v.value}`),
      neighbours: neighbours.map((v) => v.value),
    });
  }

  for (const [scenario, through] of [[DEFAULT_SCENARIO, 'the softirq run nested in the task'], [DELAYED_SCENARIO, 'both threads']] as const) {
  it(`stepBack lands on exactly the state the run had there going forward (${through})`, async () => {
    let st = await s.launch({ scenario, stopOnEntry: true });
    const seen = new Map<number, string>();
    for (let i = 0; i < 70 && st; i++) {
      seen.set(lastPosition().step, await snapshot(st));
      st = await s.exec('stepIn');
    }
    assert.ok(st);
    // Back through the second datagram, the ARP reply and the first datagram, to the entry.
    const visited: number[] = [];
    while (visited[visited.length - 1] !== 1) {
      assert.ok(visited.length < 40, `stepBack reaches the entry: ${visited.join(', ')}`);
      st = await s.exec('stepBack');
      assert.ok(st);
      const step = lastPosition().step;
      visited.push(step);
      assert.ok(seen.has(step), `step ${step} was passed going forward`);
      assert.equal(await snapshot(st), seen.get(step), `state at step ${step}`);
    }
    assert.ok(visited.length >= 6, `several steps back: ${visited.join(', ')}`);
    assert.ok(visited.every((v, i) => i === 0 || v < visited[i - 1]), `stepBack goes backwards: ${visited.join(', ')}`);
    if (scenario === DELAYED_SCENARIO) assert.ok(new Set(visited.map((v) => JSON.parse(seen.get(v)!).thread)).size === 2, through);
    else assert.ok(visited.some((v) => (JSON.parse(seen.get(v)!).stack as string[]).some((f) => f.startsWith('do_softirq:'))), through);
  });
  }

  it('stepBack is the reverse of next within a function', async () => {
    let st = await runTo('ip_finish_output2');
    const forward: number[] = [lastPosition().step];
    for (let i = 0; i < 3; i++) {
      st = (await s.exec('next'))!;
      assert.equal((await s.stackNames(st))[0], 'ip_finish_output2');
      forward.push(lastPosition().step);
    }
    const back: number[] = [];
    for (let i = 0; i < 3; i++) {
      st = (await s.exec('stepBack'))!;
      back.push(lastPosition().step);
    }
    assert.deepEqual(back, forward.slice(0, 3).reverse());
  });

  it('reverseContinue from the third fragment\'s ip_finish_output2 goes back to the second fragment\'s', async () => {
    let st: DebugProtocol.StoppedEvent | null = await runTo('ip_finish_output2');
    const ids: string[] = [];
    const lens: string[] = [];
    for (;;) {
      lens.push(await s.value('skb->len'));
      ids.push(await s.value('skb->id'));
      if (lens.length === 4) break;
      st = (await s.exec('continue'))!;
      assert.ok(st);
    }
    assert.deepEqual(lens, ['128', '1500', '1500', '68'], 'stopped at the third fragment');
    const third = lastPosition().step;
    st = await s.exec('reverseContinue');
    assert.ok(st);
    assert.equal(st.body.reason, 'function breakpoint');
    assert.equal((await s.stackNames(st))[0], 'ip_finish_output2');
    assert.equal(await s.value('skb->len'), '1500');
    assert.equal(await s.value('skb->id'), ids[2], 'the second fragment\'s packet');
    assert.ok(Number(ids[2]) < Number(ids[3]), `the earlier packet id: ${ids[2]} < ${ids[3]}`);
    assert.ok(lastPosition().step < third);
    // Forward again from there reaches the third fragment, exactly as before.
    st = await s.exec('continue');
    assert.ok(st);
    assert.equal(await s.value('skb->len'), '68');
    assert.equal(await s.value('skb->id'), ids[3]);
    assert.equal(lastPosition().step, third);
  });

  it('reverseContinue before the first breakpoint goes back to the entry', async () => {
    await runTo('ip_finish_output2');
    let st: DebugProtocol.StoppedEvent | null = await s.exec('reverseContinue');
    assert.ok(st);
    assert.equal(st.body.reason, 'entry');
    assert.equal(lastPosition().step, 1);
    assert.deepEqual(await s.stackNames(st), ['udp_sendmsg']);
    st = await s.exec('stepBack');
    assert.ok(st, 'stepBack at the entry stays there');
    assert.equal(lastPosition().step, 1);
  });

  it('the initialize response offers stepBack, and a reverse step emits no frames again', async () => {
    const caps = await s.initialize();
    assert.equal(caps.supportsStepBack, true);
    await s.stop();
    s = await new DapSession().start();
    await runTo('ip_finish_output2');
    await s.exec('continue');
    await s.exec('continue');
    const framesBefore = s.eventsOf('kpath/frame').length;
    const since = s.mark();
    await s.exec('stepBack');
    await s.exec('reverseContinue');
    assert.equal(s.eventsOf('kpath/frame', since).length, 0, 'going backwards puts nothing new on the wire');
    assert.ok(framesBefore > 0);
  });
});
