// The session runs inline too (as an editor extension hosts it): messages in through
// handleMessage, out through onDidSendMessage, with no stdio and no child process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { KpathDebugSession } from '../../src/adapter/session';

const root = path.resolve(__dirname, '..', '..', '..');

test('inline: launch, a function breakpoint, a stop with frames, and the end', async () => {
  const session = new KpathDebugSession();
  const sent: DebugProtocol.ProtocolMessage[] = [];
  const waiters: ((m: DebugProtocol.ProtocolMessage) => boolean)[] = [];
  session.onDidSendMessage((m) => {
    const msg = m as DebugProtocol.ProtocolMessage;
    sent.push(msg);
    for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i](msg)) waiters.splice(i, 1);
  });
  let seq = 1;
  const request = (command: string, args?: object) =>
    new Promise<DebugProtocol.Response>((resolve) => {
      const s = seq++;
      waiters.push((m) => {
        if (m.type === 'response' && (m as DebugProtocol.Response).request_seq === s) {
          resolve(m as DebugProtocol.Response);
          return true;
        }
        return false;
      });
      session.handleMessage({ seq: s, type: 'request', command, arguments: args } as DebugProtocol.Request);
    });
  const event = (name: string) =>
    new Promise<DebugProtocol.Event>((resolve) => {
      waiters.push((m) => {
        if (m.type === 'event' && (m as DebugProtocol.Event).event === name) {
          resolve(m as DebugProtocol.Event);
          return true;
        }
        return false;
      });
    });

  const init = await request('initialize', { adapterID: 'kpath', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  assert.equal(init.success, true);
  const bp = await request('setFunctionBreakpoints', { breakpoints: [{ name: '__neigh_create' }] });
  assert.equal(bp.success, true);
  const stopped = event('stopped');
  const launch = request('launch', { scenario: path.join(root, 'media', 'scenarios', 'default.kpath') });
  await request('configurationDone');
  assert.equal((await launch).success, true);
  const ev = await stopped;
  assert.equal(ev.body.reason, 'function breakpoint');
  const st = await request('stackTrace', { threadId: ev.body.threadId });
  const frames = (st.body as DebugProtocol.StackTraceResponse['body']).stackFrames.map((f) => f.name);
  assert.deepEqual(frames.slice(0, 2), ['__neigh_create', 'ip_finish_output2']);
  const ended = event('terminated');
  await request('continue', { threadId: ev.body.threadId });
  await ended;
  const frameEvents = sent.filter((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'kpath/frame');
  assert.equal(frameEvents.length, 6, 'every frame comes after the stop in __neigh_create: ARP request, reply, the datagram, three fragments');
});
