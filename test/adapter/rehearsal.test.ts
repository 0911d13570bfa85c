// Rehearsals (src/adapter/rehearsal.ts): an editor warms up an adapter it started ahead by pinging
// it and then driving a whole session over its pipes, and at F5 resets it. A ping is answered at
// once, outside the session (seq 0, no sequence number taken, the warm-up in the background goes
// on); a reset leaves a session that is, field for field, a new one, and nothing of the old
// session is sent after the reset's answer; the client drops what belongs to the rehearsal and
// nothing else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { KpathDebugSession } from '../../src/adapter/session';
import { Background } from '../../src/adapter/warmup';
import { PING, RESET, REHEARSAL, Rehearsal, answerFrame, frame } from '../../src/adapter/rehearsal';
import { DEFAULT_SCENARIO } from '../helpers/dap';

type Message = DebugProtocol.ProtocolMessage & { command?: string; request_seq?: number; success?: boolean; event?: string; body?: Record<string, unknown>; arguments?: unknown };

/** Splits framed output into messages. */
function messages(text: string): Message[] {
  const out: Message[] = [];
  let rest = Buffer.from(text);
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const len = Number(/Content-Length: (\d+)/.exec(rest.subarray(0, end).toString())![1]);
    out.push(JSON.parse(rest.subarray(end + 4, end + 4 + len).toString()));
    rest = rest.subarray(end + 4 + len);
  }
}

const throwaway = () => new KpathDebugSession({ warmUp: false, ahead: false });
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A session on streams, as the standalone adapter runs it: what goes in, and what came out so far. */
function onStreams(session: KpathDebugSession) {
  const input = new PassThrough();
  const out = { text: '' };
  session.start(input, { write: (s: string) => ((out.text += s), true), on: () => undefined, end: () => undefined } as unknown as NodeJS.WritableStream);
  return { input, out, take: () => { const m = messages(out.text); out.text = ''; return m; } };
}

test('a ping is answered at once with seq 0, takes no sequence number and does not stop the warm-up in the background', async () => {
  const background = new Background(throwaway, { steps: 100_000, ms: 600_000 });
  const { input, take } = onStreams(new KpathDebugSession({ background }));
  try {
    for (let i = 0; i < 20; i++) {
      input.write(frame({ seq: 0, type: 'request', command: PING }));
      await turn();
    }
    const pongs = take();
    assert.equal(pongs.length, 20);
    for (const p of pongs) assert.deepEqual(p, { seq: 0, type: 'response', request_seq: 0, command: PING, success: true });
    // The warm-up went on through the pings.
    const before = background.steps;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(background.stopped, false);
    assert.ok(background.steps > before, `${background.steps} steps, ${before} at the last ping`);
    // The session's first message is still number 1, and its first request stops the warm-up.
    input.write(frame({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'kpath' } }));
    await turn();
    const first = take();
    assert.equal(first[0].type, 'response');
    assert.equal(first[0].command, 'initialize');
    assert.equal(first[0].seq, 1);
    assert.equal(background.stopped, true);
  } finally {
    background.stop();
    await background.done;
  }
});

test('an inline session (no pipes to warm up) answers a ping as a request that does nothing', async () => {
  const session = new KpathDebugSession({ warmUp: false });
  const got: Message[] = [];
  session.onDidSendMessage((m) => got.push(m as Message));
  session.handleMessage({ seq: 1, type: 'request', command: PING } as DebugProtocol.Request);
  await turn();
  assert.equal(got.length, 1);
  assert.equal(got[0].command, PING);
  assert.equal(got[0].success, true);
});

/**
 * The fields of a session that make up its state: all its own fields but those of the streams it
 * runs on and those that cannot compare (functions, promises).
 */
function state(s: KpathDebugSession): Record<string, unknown> {
  const skip = new Set(['_writableStream', '_rawData', '_contentLength', '_sendMessage', 'onDidSendMessage', '_events', '_eventsCount', '_maxListeners', 'output', 'options', 'sessionNumber', 'stepsMade']);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (skip.has(k) || typeof v === 'function' || v instanceof Promise) continue;
    out[k] = v;
  }
  return out;
}

test('a rehearsal over the pipes, then a reset: the session is field for field a new one, and counts its messages from 1', async () => {
  const fresh = new KpathDebugSession();
  onStreams(fresh);
  const session = new KpathDebugSession();
  const io = onStreams(session);
  const r = new Rehearsal((f) => io.input.write(f), { scenario: DEFAULT_SCENARIO }, { pings: 5, steps: 40 });
  // The adapter's answers go back to the rehearsal, as the relay hands them over.
  const pump = setInterval(() => {
    for (const m of io.take()) assert.equal(r.received(m), true, 'everything before the reset is the rehearsal\'s');
  }, 1);
  try {
    await r.done;
  } finally {
    clearInterval(pump);
  }
  assert.equal(r.pongs, 5);
  assert.equal(r.steps, 40);
  assert.ok(!isDeepStrictEqual(state(session), state(fresh)), 'the rehearsal left state behind');
  r.end();
  await turn();
  const [answer, ...after] = io.take();
  assert.deepEqual(answer, { seq: 0, type: 'response', request_seq: answer.request_seq, command: RESET, success: true });
  assert.equal(r.received(answer), true);
  assert.deepEqual(after, []);
  assert.deepEqual(state(session), state(fresh));
  // Past the reset everything is the session's, and its messages count from 1.
  io.input.write(frame({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'kpath', pathFormat: 'path' } }));
  await turn();
  const init = io.take();
  assert.equal(init[0].seq, 1);
  assert.equal(init[0].command, 'initialize');
  for (const m of init) assert.equal(r.received(m), false);
});

test('a reset while the launch waits for configurationDone: nothing of the old session comes after its answer', async () => {
  const session = new KpathDebugSession({ warmUp: false });
  const io = onStreams(session);
  const request = (seq: number, command: string, args: object = {}) => frame({ seq, type: 'request', command, arguments: args });
  io.input.write(request(1, 'initialize', { adapterID: 'kpath', pathFormat: 'path' }) + request(2, 'launch', { scenario: DEFAULT_SCENARIO, stopOnEntry: true }));
  await turn();
  // configurationDone and the reset in one chunk: the launch goes on only after both are handled.
  io.take();
  io.input.write(request(3, 'configurationDone') + request(4, RESET));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const got = io.take();
  assert.deepEqual(got.map((m) => m.command ?? m.event), ['configurationDone', RESET]);
  // A new session launches and stops as a first one does.
  io.input.write(request(1, 'initialize', { adapterID: 'kpath', pathFormat: 'path' }) + request(2, 'launch', { scenario: DEFAULT_SCENARIO, stopOnEntry: true }) + request(3, 'configurationDone'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = io.take();
  assert.deepEqual(second.map((m) => m.seq), second.map((_, i) => i + 1));
  assert.ok(second.some((m) => m.event === 'stopped'), second.map((m) => m.command ?? m.event).join(' '));
});

test('an inline session answers a reset in the old session, then starts a new one', async () => {
  const session = new KpathDebugSession({ warmUp: false });
  const got: Message[] = [];
  session.onDidSendMessage((m) => got.push(m as Message));
  session.handleMessage({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'kpath', pathFormat: 'path' } } as DebugProtocol.Request);
  session.handleMessage({ seq: 2, type: 'request', command: RESET } as DebugProtocol.Request);
  session.handleMessage({ seq: 1, type: 'request', command: 'threads' } as DebugProtocol.Request);
  await turn();
  assert.deepEqual(got.map((m) => [m.seq, m.command ?? m.event]), [[1, 'initialize'], [2, 'initialized'], [3, RESET], [1, 'threads']]);
});

test('the client pings one at a time, then rehearses a session; end() resets, and only what came before the reset\'s answer is dropped', async () => {
  const sent: Message[] = [];
  const r = new Rehearsal((f) => sent.push(...messages(f)), { scenario: 'x.kpath' }, { pings: 3, steps: 2 });
  // One ping out, none more until it is answered.
  assert.deepEqual(sent, [{ seq: 1, type: 'request', command: PING }]);
  for (let i = 1; i <= 3; i++) {
    assert.equal(r.received(messages(answerFrame(PING, i))[0]), true);
    await turn();
  }
  assert.equal(r.pongs, 3);
  // Then the session, as VS Code starts one: initialize, then the launch and the configuration.
  assert.deepEqual(sent.slice(3).map((m) => m.command), ['initialize']);
  r.received({ seq: 1, type: 'response', request_seq: 4, command: 'initialize', success: true });
  await turn();
  assert.deepEqual(sent.slice(4).map((m) => m.command), ['launch', 'setFunctionBreakpoints']);
  assert.deepEqual((sent[4] as Message).arguments, { scenario: 'x.kpath', stopOnEntry: true, noDebug: false, trace: false });
  // Messages the rehearsal does not wait for are dropped too.
  assert.equal(r.received({ seq: 2, type: 'event', event: 'initialized' }), true);
  r.end();
  const reset = sent[sent.length - 1];
  assert.equal(reset.command, RESET);
  assert.equal(r.received({ seq: 3, type: 'response', request_seq: 6, command: 'setFunctionBreakpoints', success: true }), true);
  await turn();
  assert.equal(sent[sent.length - 1], reset, 'no request after end()');
  assert.equal(r.received(messages(answerFrame(RESET, reset.seq))[0]), true);
  // The editor's session: nothing is dropped any more.
  assert.equal(r.received({ seq: 1, type: 'response', request_seq: 1, command: 'initialize', success: true }), false);
  assert.equal(r.received(messages(answerFrame(PING, 1))[0]), false);
  assert.ok(REHEARSAL.pings > 0 && REHEARSAL.steps > 0);
});

test('a client that sent nothing sends no reset; one that cannot write stops and drops nothing', async () => {
  const quiet: Message[] = [];
  const q = new Rehearsal((f) => quiet.push(...messages(f)), { scenario: 'x.kpath' }, { pings: 0, steps: 0 });
  await q.done;
  q.end();
  assert.deepEqual(quiet, []);
  assert.equal(q.received({ seq: 1, type: 'event', event: 'initialized' }), false);

  let writes = 0;
  const broken = new Rehearsal(() => {
    writes++;
    throw new Error('EPIPE');
  }, { scenario: 'x.kpath' });
  await broken.done;
  broken.end();
  assert.equal(writes, 1, 'no request after a write failed, and no reset');
  assert.equal(broken.received({ seq: 1, type: 'event', event: 'terminated' }), false);
});
