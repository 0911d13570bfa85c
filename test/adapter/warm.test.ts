// An adapter started ahead of its session (`dist/dap.js --warm`, `kpath dap --warm`) warms up in
// the background until its client's first request, and the VS Code extension hands such a process
// to VS Code through a relay (src/extension/relay.ts). These tests drive both over real stdio: a
// session in a warm adapter sends exactly what one in a plain adapter sends, whether it starts
// during the warm-up or after it, and whether the relay rehearsed a session with it meanwhile or
// not (VS Code never sees the rehearsal); bad arguments are refused; the relay frames messages both ways
// and ends the session, saying why, when the process dies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ProcessAdapter } from '../../src/extension/relay';
import { REHEARSAL, RehearsalPlan, frame } from '../../src/adapter/rehearsal';
import { CLI } from '../helpers/cli';
import { DAP, DEFAULT_SCENARIO } from '../helpers/dap';

type Message = DebugProtocol.ProtocolMessage & { event?: string; command?: string; request_seq?: number; body?: Record<string, unknown> };

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.NODE_TEST_CONTEXT;
  return e;
}

function start(args: string[]) {
  return spawn(process.execPath, args, { cwd: os.tmpdir(), env: env(), stdio: 'pipe' });
}

/** A client over a relay: requests in order, every message received kept. */
class Client {
  readonly got: Message[] = [];
  private seq = 1;
  private waiters: (() => void)[] = [];

  constructor(readonly relay: ProcessAdapter) {
    relay.onDidSendMessage((m) => {
      this.got.push(m as Message);
      for (const f of this.waiters.splice(0)) f();
    });
  }

  async until<T extends Message>(what: string, match: (m: Message) => boolean): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const m = this.got.find(match);
      if (m) return m as T;
      if (Date.now() > deadline) throw new Error(`no ${what}; got: ${this.got.map((x) => x.command ?? x.event).join(' ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  async request<T extends DebugProtocol.Response>(command: string, args: object = {}): Promise<T> {
    const seq = this.seq++;
    this.relay.handleMessage({ seq, type: 'request', command, arguments: args } as DebugProtocol.Request);
    const r = await this.until<T & Message>(`response to ${command}`, (m) => m.type === 'response' && m.request_seq === seq);
    assert.ok(r.success, `${command}: ${r.message}`);
    return r;
  }

  lastStop(): Message | undefined {
    return [...this.got].reverse().find((m) => m.type === 'event' && (m.event === 'stopped' || m.event === 'terminated'));
  }
}

/**
 * Everything an adapter sends for a launch, `steps` steps with what an editor asks, and a
 * disconnect; with `plan`, the relay rehearses with the adapter until the session starts, as the
 * extension does.
 */
async function transcript(args: string[], waitMs: number, steps: number, plan?: RehearsalPlan): Promise<{ got: string[]; pongs: number; rehearsed: number }> {
  const child = start(args);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const c = new Client(new ProcessAdapter(child));
  const rehearsal = plan ? c.relay.rehearse({ scenario: DEFAULT_SCENARIO }, plan) : undefined;
  // A learner reads the scenario before pressing F5: the warm-up may have ended, or not.
  if (waitMs) await new Promise((resolve) => setTimeout(resolve, waitMs));
  c.relay.startSession();
  const pongs = rehearsal?.pongs ?? 0;
  const rehearsed = rehearsal?.steps ?? 0;
  await c.request('initialize', { adapterID: 'kpath', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  await c.request('setFunctionBreakpoints', { breakpoints: [{ name: 'ip_finish_output2' }] });
  await c.request('launch', { scenario: DEFAULT_SCENARIO, stopOnEntry: true });
  await c.request('configurationDone');
  await c.until('the first stop', (m) => m.type === 'event' && m.event === 'stopped');
  for (let i = 0; i < steps; i++) {
    const stop = c.lastStop() as DebugProtocol.StoppedEvent & Message;
    if (stop.event !== 'stopped') break;
    const st = await c.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: stop.body.threadId });
    const sc = await c.request<DebugProtocol.ScopesResponse>('scopes', { frameId: st.body.stackFrames[0].id });
    for (const s of sc.body.scopes) if (!s.expensive) await c.request('variables', { variablesReference: s.variablesReference });
    const before = c.got.length;
    await c.request(i % 7 === 6 ? 'stepBack' : 'next', { threadId: stop.body.threadId });
    await c.until('the next stop', (m) => c.got.indexOf(m) >= before && m.type === 'event' && (m.event === 'stopped' || m.event === 'terminated'));
  }
  await c.request('disconnect', {});
  c.relay.dispose();
  assert.equal(await exited, 0);
  // Each stop's sk_buff is named by a memory reference that is the same in every run; nothing in
  // a message depends on time or on the process, so the transcripts compare whole.
  return { got: c.got.map((m) => JSON.stringify(m)), pongs, rehearsed };
}

test('a session in an adapter started with --warm sends exactly what one in a plain adapter sends', { timeout: 120_000 }, async () => {
  const plain = (await transcript([DAP], 0, 60)).got;
  assert.ok(plain.length > 300, `a transcript of ${plain.length} messages`);
  // The first request comes at once (the warm-up stops in its first steps) and after it has ended.
  for (const waitMs of [0, 2500]) {
    assert.deepEqual((await transcript([DAP, '--warm'], waitMs, 60)).got, plain, `dist/dap.js --warm, first request after ${waitMs} ms`);
  }
  assert.deepEqual((await transcript([CLI, 'dap', '--warm'], 300, 60)).got, plain, 'kpath dap --warm');
  // Rehearsed with, as the extension rehearses with the adapter it starts ahead: the session starts
  // with the first ping on its way, in the middle of the rehearsal's session, or after its end.
  const early = await transcript([DAP, '--warm'], 0, 60, REHEARSAL);
  assert.deepEqual(early.got, plain, 'rehearsed, first request at once');
  const pinging = await transcript([DAP, '--warm'], 1000, 60, { pings: 100_000, steps: 300 });
  assert.deepEqual(pinging.got, plain, 'rehearsed, first request while pinging');
  assert.ok(pinging.pongs > 100, `${pinging.pongs} pings answered in 1 s`);
  const middle = await transcript([DAP, '--warm'], 1500, 60, { pings: 50, steps: 100_000 });
  assert.deepEqual(middle.got, plain, 'rehearsed, first request in the middle of the rehearsal');
  assert.ok(middle.rehearsed > 100, `${middle.rehearsed} moves rehearsed in 1.5 s`);
  const after = await transcript([CLI, 'dap', '--warm'], 2500, 60, { pings: 10, steps: 40 });
  assert.deepEqual(after.got, plain, 'kpath dap --warm, rehearsed, first request after the rehearsal');
  assert.equal(after.rehearsed, 40);
});

test('the adapter refuses arguments it does not know', async () => {
  for (const args of [[DAP, '--wram'], [CLI, 'dap', '--wram']]) {
    const child = start(args);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2, args.join(' '));
    assert.match(err, /--wram/);
    assert.match(err, /--warm/);
  }
});

test('the relay splits and joins DAP frames, whatever the chunks', async () => {
  // A stand-in adapter that writes three messages in four pieces: a cut inside a header, one in
  // the middle of a character (✓ is three bytes), and two messages in one piece.
  const a = frame({ seq: 1, type: 'event', event: 'initialized' });
  const b = frame({ seq: 2, type: 'event', event: 'output', body: { output: 'ünïcödé ✓\n' } });
  const z = frame({ seq: 3, type: 'event', event: 'terminated' });
  const bytes = Buffer.from(a + b + z);
  const cuts = [0, 9, bytes.indexOf(Buffer.from('✓')) + 1, Buffer.byteLength(a + b) + 7, bytes.length];
  const parts = cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end).toString('base64'));
  const script = `const parts = ${JSON.stringify(parts)}; let i = 0; const next = () => { if (i === parts.length) return setTimeout(() => process.exit(0), 50); process.stdout.write(Buffer.from(parts[i++], 'base64'), () => setTimeout(next, 20)); }; next();`;
  const child = start(['-e', script]);
  const c = new Client(new ProcessAdapter(child));
  await c.until('the last message', (m) => m.event === 'terminated' && m.seq === 3);
  assert.deepEqual(c.got.slice(0, 3).map((m) => [m.seq, m.event]), [[1, 'initialized'], [2, 'output'], [3, 'terminated']]);
  assert.equal(c.got[1].body?.output, 'ünïcödé ✓\n');
});

test('an adapter process that dies in a session ends it, with what it wrote to stderr, rehearsed with or not', async () => {
  for (const rehearsed of [false, true]) {
    const child = start(['-e', "process.stderr.write('something went wrong\\n'); setTimeout(() => process.exit(3), 50);"]);
    const relay = new ProcessAdapter(child);
    // A rehearsal the adapter never answers, and VS Code's session started behind its reset.
    if (rehearsed) relay.rehearse({ scenario: DEFAULT_SCENARIO });
    relay.startSession();
    const c = new Client(relay);
    await c.until('terminated', (m) => m.event === 'terminated');
    const out = c.got.find((m) => m.event === 'output');
    assert.ok(out, 'an output event');
    assert.equal(out.body?.category, 'stderr');
    assert.match(String(out.body?.output), /debug adapter stopped \(exit code 3\):\nsomething went wrong/);
    // Requests after the end are dropped, not written to a closed pipe.
    c.relay.handleMessage({ seq: 1, type: 'request', command: 'threads' } as DebugProtocol.Request);
    c.relay.dispose();
  }
});

test('what an adapter sends before VS Code listens is delivered when it does; after dispose, nothing is', async () => {
  const json = JSON.stringify({ seq: 1, type: 'event', event: 'output', body: { output: 'early\n' } });
  const child = start(['-e', `process.stdout.write('Content-Length: ${Buffer.byteLength(json)}\\r\\n\\r\\n' + ${JSON.stringify(json)}); setTimeout(() => {}, 1000);`]);
  const relay = new ProcessAdapter(child);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const c = new Client(relay);
  await c.until('the early message', (m) => m.event === 'output');
  assert.equal(c.got[0].body?.output, 'early\n');
  relay.dispose();
  const after: unknown[] = [];
  relay.onDidSendMessage((m) => after.push(m));
  child.kill();
  await new Promise((resolve) => child.on('exit', resolve));
  assert.deepEqual(after, []);
});
