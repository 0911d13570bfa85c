// kernelSource with the session inline (as the extension host runs it with kpath.debugAdapter
// "inline"): a tree read for the first time is parsed in a worker thread, not on the thread that
// hosts the session, and the real lines come once it is done.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { linux61, tempCache } from '../helpers/linux-tree';
import { inlineClient } from '../helpers/inline';

const tree = linux61();
const root = path.resolve(__dirname, '..', '..', '..');

test('inline: the tree is parsed in a worker thread; the stack then shows the real file', { skip: tree.skip }, async () => {
  // An empty cache of this test's own, so that the tree is parsed.
  process.env.XDG_CACHE_HOME = tempCache();
  // Count the worker threads the session starts (on the module object its code reads Worker from).
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const started: string[] = [];
  const Original = workerThreads.Worker;
  (workerThreads as { Worker: typeof Original }).Worker = class extends Original {
    constructor(file: string | URL, opts?: WorkerOptions) {
      super(file, opts);
      started.push(String(file));
    }
  };
  const { KpathDebugSession } = await import('../../src/adapter/session');
  const { request, event } = inlineClient(new KpathDebugSession());
  try {
    await request('initialize', { adapterID: 'kpath', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsInvalidatedEvent: true });
    const stopped = event((e) => e.event === 'stopped');
    const mapped = event((e) => e.event === 'output' && (e as DebugProtocol.OutputEvent).body.category === 'kpath');
    await request('launch', { scenario: path.join(root, 'media', 'scenarios', 'default.kpath'), stopOnEntry: true, kernelSource: tree.root });
    await request('configurationDone');
    const ev = await stopped;
    const said = (await mapped) as DebugProtocol.OutputEvent;
    assert.match(said.body.output, /step points of the 6\.18 profile are on lines of the real files/);
    assert.equal(started.length, 1, 'one worker thread');
    assert.match(started[0], /worker\.js$/);
    const st = await request('stackTrace', { threadId: ev.body.threadId });
    const top = (st.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0];
    assert.equal(top.source?.path, path.join(tree.root!, 'net', 'ipv4', 'udp.c'));
    await request('disconnect', {});
  } finally {
    (workerThreads as { Worker: typeof Original }).Worker = Original;
  }
});
