// The session's life through a real DAP client over stdio: launch forms and launch errors (a
// scenario error carries FILE:LINE:COL and the adapter stays up), terminate and disconnect, the
// process exiting when the client goes away, and malformed requests, which get error responses,
// never a crash.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DapSession, RawAdapter, DEFAULT_SCENARIO, errorOf, within } from '../helpers/dap';
import { REPO_ROOT } from '../helpers/cli';

/** A request that answers whatever state the session is in: proof the adapter is still up. */
async function stillUp(s: DapSession): Promise<void> {
  const r = await s.dc.threadsRequest();
  assert.equal(r.success, true);
}

describe('launch', () => {
  let s: DapSession;
  let dir: string;
  beforeEach(async () => {
    s = await new DapSession().start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-dap-'));
  });
  afterEach(async () => {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a scenario file with an error gets an error response with FILE:LINE:COL, and a second launch still works', async () => {
    const bad = path.join(dir, 'bad.kpath');
    fs.writeFileSync(bad, 'link add eth0 mtu 1500\naddr add 192.0.2.1/24 dev eth0\nlink add eth1 mtu 10\n');
    await s.initialize();
    const msg = await errorOf(s.dc.launchRequest({ scenario: bad } as never));
    assert.ok(msg.startsWith(`${bad}:3:`), msg);
    assert.match(msg, /^.+:3:\d+: mtu must be 68\.\.65535, found 10$/);
    await stillUp(s);
    const since = s.mark();
    await s.dc.launchRequest({ scenario: DEFAULT_SCENARIO, stopOnEntry: true } as never);
    await s.dc.configurationDoneRequest();
    const st = await s.nextStop(since);
    assert.ok(st, 'the second launch runs');
    assert.equal(st.body.reason, 'entry');
  });

  it('an inline scenario with an error names its item and position', async () => {
    await s.initialize();
    const msg = await errorOf(s.dc.launchRequest({ scenario: { links: [{ name: 'eth0', mtu: 20 }] } } as never));
    assert.match(msg, /^<[^>]+>:1:1: links\[0\]\.mtu: mtu must be 68\.\.65535, found 20$/);
    const pos = await errorOf(s.dc.launchRequest({ scenario: { links: [{ name: 'eth0', pos: { line: 7, col: 3 } }], addrs: [{ address: '192.0.2.1', prefix: 99, dev: 'eth0', pos: { line: 9, col: 1 } }] } } as never));
    assert.match(pos, /^<[^>]+>:9:1: /, pos);
    await stillUp(s);
  });

  it('a scenario file that does not exist, a missing scenario, and kernel "5.0" are refused', async () => {
    await s.initialize();
    assert.match(await errorOf(s.dc.launchRequest({ scenario: path.join(dir, 'nope.kpath') } as never)), /cannot read .*nope\.kpath: ENOENT/);
    assert.match(await errorOf(s.dc.launchRequest({} as never)), /launch needs "scenario"/);
    assert.match(await errorOf(s.dc.launchRequest({ scenario: 42 } as never)), /launch needs "scenario"/);
    assert.match(await errorOf(s.dc.launchRequest({ scenario: DEFAULT_SCENARIO, kernel: '5.0' } as never)), /kernel must be "6\.18" or "4\.9", not "5\.0"/);
    await stillUp(s);
  });

  it('a relative scenario path is taken from the working directory the adapter was started in', async () => {
    // The adapter runs in os.tmpdir(); the absolute path works from anywhere.
    await s.initialize();
    const rel = path.relative(os.tmpdir(), path.join(REPO_ROOT, 'media', 'scenarios', 'default.kpath'));
    const since = s.mark();
    await s.dc.launchRequest({ scenario: rel, stopOnEntry: true } as never);
    await s.dc.configurationDoneRequest();
    assert.ok(await s.nextStop(since));
  });
});

describe('Run Without Debugging (noDebug)', () => {
  it('runs to the end past stopOnEntry, function, line and exception breakpoints, and still sends the frames', async () => {
    const s = await new DapSession().start();
    try {
      const since = s.mark();
      const stop = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true, noDebug: true }, async () => {
        await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_output' }, { name: 'dev_queue_xmit' }] });
        await s.dc.setExceptionBreakpointsRequest({ filters: ['drop', 'icmp', 'neigh-failed', 'nf-drop'] });
      });
      assert.equal(stop, null, 'no stop: the run went to the end');
      assert.equal(s.eventsOf('stopped', since).length, 0);
      const frames = s.eventsOf('kpath/frame', since);
      assert.ok(frames.length > 0, 'the frames of the run were sent');
      await s.waitFor((e) => e.event === 'terminated', since, 'terminated event');
      // The debug console gets the frames as a table, one line per frame, numbered from 1.
      const text = s.eventsOf('output', since).map((e) => (e.body as { output: string }).output).join('');
      assert.match(text, new RegExp(`^kpath: the run ended with ${frames.length} frames on the wire:$`, 'm'));
      assert.match(text, /^\s+No\.\s+Time \(ms\)\s+Dev\s+Dir\s+Source\s+Destination\s+Proto\s+Len\s+Info$/m);
      const rows = text.split('\n').filter((l) => /^\s+\d+\s+\d+\.\d{6}\s/.test(l));
      assert.equal(rows.length, frames.length);
      assert.match(rows[0], /^\s+1\s+\S+\s+eth0\s+tx\s.*ARP/, rows[0]);
    } finally {
      await s.stop();
    }
  });

  it('the same launch without noDebug stops at the entry', async () => {
    const s = await new DapSession().start();
    try {
      const stop = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true, noDebug: false });
      assert.equal(stop?.body.reason, 'entry');
    } finally {
      await s.stop();
    }
  });
});

describe('ending a session', () => {
  it('terminate answers and sends terminated; disconnect then ends the process', async () => {
    const s = await new DapSession().start();
    try {
      await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
      const child = s.process!;
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const since = s.mark();
      const r = await s.dc.terminateRequest();
      assert.equal(r.success, true);
      await s.waitFor((e) => e.event === 'terminated', since, 'terminated event');
      await s.dc.disconnectRequest({});
      assert.ok(await within(exited, 2000), 'the adapter exits within 2 s of disconnect');
      assert.equal(await exited, 0);
    } finally {
      await s.stop();
    }
  });

  it('disconnect while stopped answers and ends the process', async () => {
    const s = await new DapSession().start();
    try {
      await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
        await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_fragment' }] });
      });
      const child = s.process!;
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const r = await s.dc.disconnectRequest({ terminateDebuggee: true });
      assert.equal(r.success, true);
      assert.ok(await within(exited, 2000), 'the adapter exits within 2 s of disconnect');
    } finally {
      await s.stop();
    }
  });

  for (const [name, argv] of [['dist/dap.js', []], ['dist/cli.js dap', ['dap']]] as const) {
    it(`${name}: the process exits within 2 s when the client closes its stdin, even while stopped`, async () => {
      const entry = path.join(REPO_ROOT, 'dist', argv.length ? 'cli.js' : 'dap.js');
      const a = new RawAdapter(entry, [...argv]);
      try {
        const init = await a.request('initialize', { adapterID: 'kpath', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        assert.equal(init.success, true);
        assert.equal((await a.request('launch', { scenario: DEFAULT_SCENARIO, stopOnEntry: true })).success, true);
        assert.equal((await a.request('configurationDone', {})).success, true);
        await a.waitFor((m) => m.type === 'event' && (m as { event?: string }).event === 'stopped', 'stopped event');
        assert.ok(a.alive);
        a.child.stdin!.end();
        assert.ok(await within(a.exited, 2000), 'the adapter exits within 2 s of its stdin closing');
        assert.equal((await a.exited).code, 0);
        assert.equal(a.stderr, '', 'nothing on stderr');
      } finally {
        a.kill();
      }
    });
  }

  it('the process exits when the client is killed (stdin and stdout both gone)', async () => {
    const a = new RawAdapter();
    try {
      await a.request('initialize', { adapterID: 'kpath' });
      a.child.stdin!.destroy();
      a.child.stdout!.destroy();
      assert.ok(await within(a.exited, 2000), 'the adapter exits within 2 s');
    } finally {
      a.kill();
    }
  });
});

describe('malformed requests get error responses, never a crash', () => {
  let a: RawAdapter;
  beforeEach(async () => {
    a = new RawAdapter();
    const init = await a.request('initialize', { adapterID: 'kpath', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    assert.equal(init.success, true);
  });
  afterEach(() => {
    a.kill();
  });

  /** Sends a request, expects an error response with a readable message, and checks the adapter still answers. */
  async function refused(command: string, args: unknown, message: RegExp): Promise<void> {
    const r = await a.request(command, args);
    assert.equal(r.success, false, `${command} ${JSON.stringify(args)} should fail`);
    assert.equal(r.command, command);
    assert.match(r.message ?? '', message, `${command} ${JSON.stringify(args)}`);
    assert.doesNotMatch(r.message ?? '', /\n\s+at /, `${command}: the message is not a stack trace`);
    const t = await a.request('threads', {});
    assert.equal(t.success, true, 'the adapter still answers');
    assert.ok(a.alive);
  }

  it('an unknown command', async () => {
    await refused('frobnicate', { x: 1 }, /unknown request "frobnicate"/);
  });

  it('stepping, evaluating and setting variables before launch', async () => {
    for (const cmd of ['next', 'stepIn', 'stepOut', 'stepBack', 'continue', 'reverseContinue', 'restart']) {
      await refused(cmd, { threadId: 1 }, /launch first/);
    }
    await refused('evaluate', { expression: 'skb->len' }, /not stopped/);
    await refused('setVariable', { variablesReference: 1000, name: 'mtu', value: '1400' }, /launch first/);
  });

  it('launch without a scenario, and with kernel "5.0"', async () => {
    await refused('launch', {}, /launch needs "scenario"/);
    await refused('launch', { scenario: DEFAULT_SCENARIO, kernel: '5.0' }, /kernel must be "6\.18" or "4\.9"/);
  });

  it('scopes with a bad frameId, variables with a bad reference, evaluate without an expression', async () => {
    await refused('scopes', { frameId: 999 }, /no frame 999/);
    await refused('variables', { variablesReference: 4242 }, /no variables 4242/);
    await refused('evaluate', {}, /evaluate needs an expression/);
    await refused('evaluate', { expression: 42 }, /evaluate needs an expression/);
  });

  it('setFunctionBreakpoints without an array', async () => {
    await refused('setFunctionBreakpoints', { breakpoints: 'ip_output' }, /needs a breakpoints array/);
    await refused('setFunctionBreakpoints', {}, /needs a breakpoints array/);
  });

  it('bad references and ids while stopped', async () => {
    assert.equal((await a.request('launch', { scenario: DEFAULT_SCENARIO, stopOnEntry: true })).success, true);
    await a.request('configurationDone', {});
    await a.waitFor((m) => m.type === 'event' && (m as { event?: string }).event === 'stopped', 'stopped event');
    await refused('scopes', { frameId: 999 }, /no frame 999/);
    await refused('variables', { variablesReference: 4242 }, /no variables 4242/);
    await refused('readMemory', { memoryReference: 'nowhere', count: 4 }, /no memory at nowhere/);
    await refused('exceptionInfo', { threadId: 1 }, /not stopped on an exception/);
    await refused('evaluate', { expression: 'skb->' }, /expected a field name/);
  });

  /** Like refused(), but returns what is wrong instead of failing, so one test can list every case. */
  async function problem(command: string, args: unknown): Promise<string | undefined> {
    const r = await a.request(command, args);
    const t = await a.request('threads', {});
    assert.equal(t.success, true, 'the adapter still answers');
    if (r.success) return `${command} ${JSON.stringify(args)}: succeeded`;
    if (/\n\s+at /.test(r.message ?? '')) return `${command} ${JSON.stringify(args)}: the message is a stack trace: ${(r.message ?? '').split('\n')[0]}`;
    return undefined;
  }

  it('requests without arguments at all', async () => {
    const found: string[] = [];
    for (const cmd of ['scopes', 'variables', 'setBreakpoints', 'evaluate', 'setFunctionBreakpoints', 'launch', 'setVariable', 'readMemory', 'completions']) {
      const p = await problem(cmd, undefined);
      if (p) found.push(p);
    }
    assert.deepEqual(found, []);
  });

  it('arguments of the wrong shape', async () => {
    const found: string[] = [];
    for (const [cmd, args] of [
      ['setBreakpoints', { source: { path: '/x.c' }, breakpoints: 'line 3' }],
      ['setBreakpoints', { breakpoints: [{ line: 3 }] }],
      ['setExceptionBreakpoints', { filters: 'drop' }],
      ['setExceptionBreakpoints', { filters: [], filterOptions: 'drop' }],
      ['variables', { variablesReference: 'x' }],
      ['readMemory', { memoryReference: 42 }],
    ] as const) {
      const p = await problem(cmd, args);
      if (p) found.push(p);
    }
    assert.deepEqual(found, []);
  });

  it('a frame that is not JSON is skipped and the next request is answered', async () => {
    a.write('Content-Length: 9\r\n\r\n{not json');
    const t = await a.request('threads', {});
    assert.equal(t.success, true);
    assert.ok(a.alive);
  });
});
