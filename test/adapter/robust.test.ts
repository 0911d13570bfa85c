// The adapter never dies: requests of the wrong shape before a launch, framing a client got wrong,
// and knobs set with names that are JavaScript's own (valueOf, __proto__, constructor) or values
// outside the scenario language's ranges are refused or ignored, and the session goes on serving.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { RawAdapter, DEFAULT_SCENARIO } from '../helpers/dap';

type Vars = DebugProtocol.VariablesResponse['body']['variables'];

let a: RawAdapter;
beforeEach(async () => {
  a = new RawAdapter();
  const init = await a.request('initialize', { adapterID: 'kpath', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(init.success, true);
});
afterEach(() => a.kill());

async function stillUp(): Promise<void> {
  const t = await a.request('threads', {});
  assert.equal(t.success, true, 'the adapter still answers');
  assert.ok(a.alive, `the adapter is running; stderr: ${a.stderr}`);
}

/** Launches the default scenario stopped on entry and waits for the stop. */
async function launchStopped(): Promise<void> {
  const launch = await a.request('launch', { scenario: DEFAULT_SCENARIO, stopOnEntry: true });
  assert.equal(launch.success, true, launch.message);
  await a.request('configurationDone', {});
  await a.waitFor((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped', 'the stop on entry');
}

describe('requests of the wrong shape', () => {
  it('setBreakpoints with a number as the source path is refused, and the launch after it runs', async () => {
    const bp = await a.request('setBreakpoints', { source: { path: 42 }, breakpoints: [{ line: 3 }] });
    assert.equal(bp.success, false);
    assert.match(bp.message ?? '', /source\.path must be a string/);
    const cond = await a.request('setBreakpoints', { source: { path: '/x.c' }, breakpoints: [{ line: 3, condition: { a: 1 } }] });
    assert.equal(cond.success, false);
    await launchStopped();
    await stillUp();
  });

  it('a breakpoint path that names no listing, then launch and continue to the end', async () => {
    await a.request('setBreakpoints', { source: { path: '/nowhere/at/all.c' }, breakpoints: [{ line: 1 }] });
    await launchStopped();
    const c = await a.request('continue', { threadId: 1 });
    assert.equal(c.success, true);
    await a.waitFor((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'terminated', 'the end of the run');
    await stillUp();
  });
});

describe('framing a client got wrong', () => {
  const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  for (const body of ['null', '42', '[]', '"text"', '{not json', '{"type":"request","seq":7}', '{"type":"request","seq":8,"command":5}']) {
    it(`a message ${JSON.stringify(body)} is ignored and the next request answered`, async () => {
      a.write(frame(body));
      await stillUp();
    });
  }

  it('a body shorter than its Content-Length takes the bytes after it; the adapter resynchronises on the next frame', async () => {
    const body = '{"type":"request","seq":9,"command":"threads"}';
    a.write(`Content-Length: ${body.length + 10}\r\n\r\n${body}`);
    // Ten more bytes complete the announced length (as garbage); the next frame is whole.
    a.write('xxxxxxxxxx');
    await stillUp();
  });
});

describe('setVariable on the Sysctl scope', () => {
  async function sysctlEth0(): Promise<number> {
    await launchStopped();
    const st = await a.request('stackTrace', { threadId: 1 });
    const frameId = (st.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0].id;
    const scopes = (await a.request('scopes', { frameId })).body as DebugProtocol.ScopesResponse['body'];
    const sysctl = scopes.scopes.find((x) => x.name === 'Sysctl')!;
    const list = ((await a.request('variables', { variablesReference: sysctl.variablesReference })).body as { variables: Vars }).variables;
    return list.find((v) => v.name === 'net.ipv4.neigh.eth0')!.variablesReference;
  }

  it('names of JavaScript\'s own (valueOf, __proto__, constructor, toString) are refused and later steps still work', async () => {
    const ref = await sysctlEth0();
    for (const name of ['valueOf', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const r = await a.request('setVariable', { variablesReference: ref, name, value: '3' });
      assert.equal(r.success, false, name);
      assert.match(r.message ?? '', new RegExp(`${name} cannot be set \\(settable: mcast_solicit`));
    }
    const next = await a.request('next', { threadId: 1 });
    assert.equal(next.success, true, next.message);
    await a.waitFor((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped' && m.seq > next.seq, 'the stop after next');
    await stillUp();
  });

  it('values outside the scenario language\'s ranges are refused; a change in range is shown', async () => {
    const ref = await sysctlEth0();
    for (const [name, value] of [['mcast_solicit', '256'], ['ucast_solicit', '-1'], ['retrans_time_ms', '0'], ['unres_qlen_bytes', '99999999999'], ['app_solicit', '1e3'], ['mcast_resolicit', '12abc']]) {
      const r = await a.request('setVariable', { variablesReference: ref, name, value });
      assert.equal(r.success, false, `${name} = ${value}`);
      assert.match(r.message ?? '', new RegExp(`${name} must be an integer \\d+\\.\\.\\d+, not "${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    }
    const ok = await a.request('setVariable', { variablesReference: ref, name: 'mcast_solicit', value: '255' });
    assert.equal(ok.success, true);
    const list = ((await a.request('variables', { variablesReference: ref })).body as { variables: Vars }).variables;
    assert.equal(list.find((v) => v.name === 'mcast_solicit')?.value, '255');
  });

  it('a nud_state named "constructor" is refused', async () => {
    await launchStopped();
    const c = await a.request('setFunctionBreakpoints', { breakpoints: [{ name: 'neigh_probe' }] });
    assert.equal(c.success, true);
    await a.request('continue', { threadId: 1 });
    const stops = (): number => a.messages.filter((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped').length;
    await a.waitFor(() => stops() >= 2, 'the stop at neigh_probe');
    const stopped = a.messages.filter((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped').pop() as DebugProtocol.StoppedEvent;
    const st = await a.request('stackTrace', { threadId: stopped.body.threadId });
    const frames = (st.body as DebugProtocol.StackTraceResponse['body']).stackFrames;
    const frameId = frames[0].id;
    const scopes = (await a.request('scopes', { frameId })).body as DebugProtocol.ScopesResponse['body'];
    const neigh = scopes.scopes.find((x) => x.name === 'Neighbours')!;
    const list = ((await a.request('variables', { variablesReference: neigh.variablesReference })).body as { variables: Vars }).variables;
    const r = await a.request('setVariable', { variablesReference: list[0].variablesReference, name: 'nud_state', value: 'constructor' });
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /nud_state must be one of/);
    await stillUp();
  });
});

describe('a long continue', () => {
  /** A scenario of two million calls: minutes under the debugger, so a pause or a disconnect comes in the middle. */
  function longScenario(): Record<string, unknown> {
    return {
      links: [{ name: 'eth0' }],
      addrs: [{ address: '192.0.2.1', prefix: 24, dev: 'eth0' }],
      neighs: [{ address: '192.0.2.2', lladdr: '02:00:00:00:00:02', dev: 'eth0', nud: 'permanent' }],
      sends: [{ at: 0, proto: 'udp', to: '192.0.2.2', port: 9000, size: 10, count: 2_000_000, every: 1000, socket: 's' }],
    };
  }

  it('is answered at once and pause stops it at a step point, where stepping goes on', async () => {
    const launch = await a.request('launch', { scenario: longScenario(), stopOnEntry: true });
    assert.equal(launch.success, true, launch.message);
    await a.request('configurationDone', {});
    await a.waitFor((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped', 'the stop on entry');
    const c = await a.request('continue', { threadId: 1 });
    assert.equal(c.success, true);
    // Served while the run goes on: threads, and a step request refused with a reason.
    await stillUp();
    const next = await a.request('next', { threadId: 1 });
    assert.equal(next.success, false);
    assert.match(next.message ?? '', /running: pause it first/);
    const p = await a.request('pause', { threadId: 1 });
    assert.equal(p.success, true);
    const stopped = (await a.waitFor((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped' && m.seq > p.seq, 'the stop after pause')) as DebugProtocol.StoppedEvent;
    assert.equal(stopped.body.reason, 'pause');
    const st = await a.request('stackTrace', { threadId: stopped.body.threadId });
    assert.ok((st.body as DebugProtocol.StackTraceResponse['body']).stackFrames.length > 0);
    const after = await a.request('next', { threadId: 1 });
    assert.equal(after.success, true, after.message);
  });

  it('a disconnect in the middle of it ends the process', async () => {
    const launch = await a.request('launch', { scenario: longScenario() });
    assert.equal(launch.success, true, launch.message);
    await a.request('configurationDone', {});
    await stillUp();
    const d = await a.request('disconnect', {});
    assert.equal(d.success, true);
    const { code } = await a.exited;
    assert.equal(code, 0);
  });
});
