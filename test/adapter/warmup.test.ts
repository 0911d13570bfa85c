// Before its first stop the adapter warms its stepping path up on a throwaway session of the same
// scenario (src/adapter/warmup.ts). These tests check that the warm-up keeps to its budget, fails
// quietly, writes nothing anywhere, and changes nothing a client sees.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { KpathDebugSession, SessionOptions } from '../../src/adapter/session';
import { Background, warmUp } from '../../src/adapter/warmup';
import { DEFAULT_SCENARIO } from '../helpers/dap';

const throwaway = () => new KpathDebugSession({ warmUp: false, ahead: false });

test('the warm-up makes the steps its budget allows', async () => {
  assert.equal(await warmUp(throwaway, { scenario: DEFAULT_SCENARIO } as DebugProtocol.LaunchRequestArguments, { steps: 7, ms: 600_000 }), 7);
  // More steps than the default scenario has: the run starts over in a new throwaway session.
  assert.equal(await warmUp(throwaway, { scenario: DEFAULT_SCENARIO } as DebugProtocol.LaunchRequestArguments, { steps: 600, ms: 600_000 }), 600);
  assert.equal(await warmUp(throwaway, { scenario: DEFAULT_SCENARIO } as DebugProtocol.LaunchRequestArguments, { steps: 50, ms: 0 }), 0);
});

test('a scenario that cannot be loaded gives no warm-up and no error', async () => {
  assert.equal(await warmUp(throwaway, { scenario: '/nonexistent/x.kpath' } as DebugProtocol.LaunchRequestArguments), 0);
  assert.equal(await warmUp(throwaway, { scenario: { links: 'not a list' } } as unknown as DebugProtocol.LaunchRequestArguments), 0);
});

test('the warm-up writes nothing to stdout or stderr', async () => {
  const writes: string[] = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((c: string | Uint8Array) => (writes.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => (writes.push(String(c)), true)) as typeof process.stderr.write;
  try {
    await warmUp(throwaway, { scenario: DEFAULT_SCENARIO } as DebugProtocol.LaunchRequestArguments, { steps: 40, ms: 600_000 });
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  assert.deepEqual(writes, []);
});

/** Every message an inline session sends for a launch and `steps` steps with what an editor asks. */
async function transcript(options: SessionOptions, steps: number): Promise<string[]> {
  const session = new KpathDebugSession(options);
  const sent: DebugProtocol.ProtocolMessage[] = [];
  session.onDidSendMessage((m) => sent.push(m as DebugProtocol.ProtocolMessage));
  let seq = 1;
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  const request = async (command: string, args: object = {}): Promise<DebugProtocol.Response> => {
    const s = seq++;
    session.handleMessage({ seq: s, type: 'request', command, arguments: args } as DebugProtocol.Request);
    for (let i = 0; i < 200; i++) {
      const r = sent.find((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === s);
      if (r) return r as DebugProtocol.Response;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`no response to ${command}`);
  };
  const lastStop = () => [...sent].reverse().find((m) => m.type === 'event' && ['stopped', 'terminated'].includes((m as DebugProtocol.Event).event)) as DebugProtocol.Event;
  await request('initialize', { adapterID: 'kpath', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  await request('setFunctionBreakpoints', { breakpoints: [{ name: 'ip_finish_output2' }] });
  // A client that waits for the launch response before configurationDone: the warm-up makes the
  // response come later, and a client that does not wait would see it after configurationDone's.
  await request('launch', { scenario: DEFAULT_SCENARIO });
  await request('configurationDone');
  await settle();
  for (let i = 0; i < steps && lastStop()?.event === 'stopped'; i++) {
    const threadId = (lastStop() as DebugProtocol.StoppedEvent).body.threadId;
    const st = (await request('stackTrace', { threadId })) as DebugProtocol.StackTraceResponse;
    const sc = (await request('scopes', { frameId: st.body.stackFrames[0].id })) as DebugProtocol.ScopesResponse;
    for (const s of sc.body.scopes) if (!s.expensive) await request('variables', { variablesReference: s.variablesReference });
    await request('next', { threadId });
  }
  return sent.map((m) => JSON.stringify(m));
}

test('a session that warms up sends exactly what one that does not sends', async () => {
  const cold = await transcript({ warmUp: false, ahead: false }, 25);
  const warm = await transcript({ warmUp: true, ahead: false }, 25);
  assert.ok(cold.length > 100, `${cold.length} messages`);
  assert.deepEqual(warm, cold);
});

test('a warm-up in the background (--warm) steps the bundled scenario, a step per turn of the event loop, until stopped', async () => {
  const whole = new Background(throwaway, { steps: 30, ms: 600_000 });
  // Between its steps, the event loop runs: a client's request would be answered at once.
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  assert.equal(await whole.done, 30);
  clearInterval(ticker);
  assert.equal(whole.steps, 30);
  assert.ok(turns > 0, 'timers ran during the warm-up');

  const stopped = new Background(throwaway, { steps: 100_000, ms: 600_000 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  stopped.stop();
  const made = await stopped.done;
  assert.ok(made > 0 && made < 100_000, `${made} steps before stop()`);
  assert.equal(stopped.steps, made);
});
