// A Debug Adapter Protocol client over a child process's stdio, asking what VS Code asks: the
// launch sequence, and at every stop the threads, the stack, the scopes and the variables of the
// scopes the Variables view shows open (Locals and the sk_buff).

import { spawn } from 'node:child_process';
import { ms } from './measure.mjs';

/** VS Code's initialize arguments (the parts an adapter may act on). */
const INITIALIZE = {
  clientID: 'vscode',
  clientName: 'Visual Studio Code',
  adapterID: 'kpath',
  pathFormat: 'path',
  linesStartAt1: true,
  columnsStartAt1: true,
  supportsVariableType: true,
  supportsVariablePaging: true,
  supportsRunInTerminalRequest: true,
  locale: 'en',
  supportsProgressReporting: true,
  supportsInvalidatedEvent: true,
  supportsMemoryReferences: true,
  supportsArgsCanBeInterpretedByShell: true,
  supportsMemoryEvent: true,
  supportsStartDebuggingRequest: true,
};

export class Dap {
  /** Starts `node script` as VS Code starts a debug adapter (no options), with `env` if given. */
  constructor(script, env = process.env) {
    this.t0 = process.hrtime.bigint();
    this.child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'], env });
    this.seq = 1;
    /** The thread of the last stop: the one the editor shows, and steps. */
    this.thread = 1;
    this.buf = Buffer.alloc(0);
    this.waiters = [];
    this.queued = [];
    /** Called with every event. */
    this.onEvent = null;
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdout.on('data', (d) => this.data(d));
  }

  data(d) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())[1]);
      if (this.buf.length < end + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString());
      this.buf = this.buf.subarray(end + 4 + len);
      if (msg.event === 'stopped') this.thread = msg.body.threadId;
      if (msg.type === 'event' && this.onEvent) this.onEvent(msg);
      // Only what a waiter can ask for is queued (output, frame and position events would pile up).
      if (msg.type === 'response' || ['initialized', 'stopped', 'terminated'].includes(msg.event)) {
        this.queued.push(msg);
        this.wake();
      }
    }
  }

  wake() {
    for (const w of [...this.waiters]) {
      const i = this.queued.findIndex(w.match);
      if (i >= 0) {
        const [m] = this.queued.splice(i, 1);
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }

  wait(match) {
    return new Promise((resolve) => {
      this.waiters.push({ match, resolve });
      this.wake();
    });
  }

  send(command, args = {}) {
    const seq = this.seq++;
    const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return seq;
  }

  async request(command, args = {}) {
    const seq = this.send(command, args);
    const r = await this.wait((m) => m.type === 'response' && m.request_seq === seq);
    if (!r.success) throw new Error(`${command}: ${r.message}`);
    return r;
  }

  event(name) {
    return this.wait((m) => m.type === 'event' && m.event === name);
  }

  /** Ends the session as VS Code does, then the process if it lingers. */
  async close() {
    const gone = this.child.exitCode !== null || this.child.signalCode !== null;
    if (!gone) {
      this.send('disconnect', { restart: false });
      this.child.stdin.end();
      const timer = setTimeout(() => this.child.kill(), 2000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}

/**
 * The launch as VS Code makes it: initialize, launch, and once the adapter says it is initialized,
 * the breakpoints (`lines`: { path, lines } of one source) and configurationDone. Returns the first
 * stopped event and the milliseconds from the process's start to it.
 */
export async function launch(dap, launchArgs, fnBreakpoints = [], lines = null) {
  const init = await dap.request('initialize', INITIALIZE);
  const stopped = dap.event('stopped');
  const initialized = dap.event('initialized');
  const l = dap.request('launch', { type: 'kpath', request: 'launch', name: 'bench', ...launchArgs });
  await initialized;
  if (lines) await dap.request('setBreakpoints', { source: { path: lines.path }, breakpoints: lines.lines.map((line) => ({ line })) });
  if (init.body?.supportsFunctionBreakpoints) await dap.request('setFunctionBreakpoints', { breakpoints: fnBreakpoints });
  if (init.body?.exceptionBreakpointFilters) await dap.request('setExceptionBreakpoints', { filters: [] });
  if (init.body?.supportsConfigurationDoneRequest) await dap.request('configurationDone');
  await l;
  const ev = await stopped;
  return { ms: ms(dap.t0), ev };
}

/** What VS Code asks at a stop: threads, the stack, its top frame's scopes, Locals and sk_buff. */
export async function showStop(dap, ev) {
  await dap.request('threads');
  const st = await dap.request('stackTrace', { threadId: ev.body.threadId, startFrame: 0, levels: 20 });
  const frame = st.body.stackFrames[0];
  if (!frame) return;
  const sc = await dap.request('scopes', { frameId: frame.id });
  for (const s of sc.body.scopes) {
    if (s.name === 'Locals' || s.name === 'sk_buff') await dap.request('variables', { variablesReference: s.variablesReference });
  }
}

/** One move (next, stepBack, ...) as the editor makes it: the request, the stop, what the views ask. */
export async function move(dap, command) {
  const t0 = process.hrtime.bigint();
  const stop = dap.wait((m) => m.type === 'event' && (m.event === 'stopped' || m.event === 'terminated'));
  await dap.request(command, { threadId: dap.thread });
  const ev = await stop;
  if (ev.event !== 'stopped') return { ms: ms(t0), ended: true };
  await showStop(dap, ev);
  return { ms: ms(t0), ended: false };
}
