// The session runs inline too (as an editor extension hosts it): messages in through
// handleMessage, out through onDidSendMessage, with no stdio and no child process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { KpathDebugSession } from '../../src/adapter/session';
import { inlineClient } from '../helpers/inline';

const root = path.resolve(__dirname, '..', '..', '..');

test('inline: launch, a function breakpoint, a stop with frames, and the end', async () => {
  const { sent, request, event } = inlineClient(new KpathDebugSession());

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
