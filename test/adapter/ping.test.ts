// Pings (src/adapter/ping.ts): an editor warms up the pipes of an adapter it started ahead by
// pinging it. A ping is answered at once, outside the session: seq 0, no sequence number taken,
// and the warm-up in the background goes on; the client sends its pings one at a time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { KpathDebugSession } from '../../src/adapter/session';
import { Background } from '../../src/adapter/warmup';
import { PING, PINGS_AHEAD, Pinger, frame, isPong, pongFrame } from '../../src/adapter/ping';

type Message = DebugProtocol.ProtocolMessage & { command?: string; request_seq?: number; success?: boolean; event?: string };

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

test('a ping is answered at once with seq 0, takes no sequence number and does not stop the warm-up in the background', async () => {
  const background = new Background(throwaway, { steps: 100_000, ms: 600_000 });
  const session = new KpathDebugSession({ background });
  const input = new PassThrough();
  let written = '';
  session.start(input, { write: (s: string) => ((written += s), true), on: () => undefined, end: () => undefined } as unknown as NodeJS.WritableStream);
  try {
    for (let i = 0; i < 20; i++) {
      input.write(frame({ seq: 0, type: 'request', command: PING }));
      await turn();
    }
    const pongs = messages(written);
    assert.equal(pongs.length, 20);
    for (const p of pongs) assert.deepEqual(p, { seq: 0, type: 'response', request_seq: 0, command: PING, success: true });
    // The warm-up went on through the pings.
    const before = background.steps;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(background.stopped, false);
    assert.ok(background.steps > before, `${background.steps} steps, ${before} at the last ping`);
    // The session's first message is still number 1, and its first request stops the warm-up.
    written = '';
    input.write(frame({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'kpath' } }));
    await turn();
    const first = messages(written);
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

test('the client sends its pings one at a time, the count it was given, and stops when told or when it cannot write', () => {
  const sent: Message[] = [];
  const p = new Pinger((f) => sent.push(...messages(f)), 3);
  // One ping out, none more until it is answered.
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0], { seq: 0, type: 'request', command: PING });
  const pong = messages(pongFrame(0))[0];
  assert.equal(isPong(pong), true);
  assert.equal(p.answered(pong), true);
  assert.equal(sent.length, 2);
  assert.equal(p.answered(pong), true);
  assert.equal(sent.length, 3);
  // The count is reached: answers are still recognised (and dropped), no more pings go out.
  assert.equal(p.answered(pong), true);
  assert.equal(sent.length, 3);
  assert.equal(p.pongs, 3);
  // Other messages are not the pinger's.
  assert.equal(p.answered({ seq: 4, type: 'response', command: 'threads' } as Message), false);
  assert.equal(p.answered({ seq: 5, type: 'event', event: 'output' } as Message), false);

  const stopped: Message[] = [];
  const q = new Pinger((f) => stopped.push(...messages(f)));
  q.stop();
  assert.equal(q.answered(pong), true);
  assert.equal(stopped.length, 1, 'no ping after stop()');

  let writes = 0;
  const broken = new Pinger(() => {
    writes++;
    throw new Error('EPIPE');
  });
  broken.answered(pong);
  assert.equal(writes, 1, 'no ping after a write failed');
  assert.ok(PINGS_AHEAD >= 1000);
});
