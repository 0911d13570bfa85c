// A Debug Adapter Protocol client for the adapter's tests: it starts the bundled adapter
// (dist/dap.js) over stdin/stdout with @vscode/debugadapter-testsupport's DebugClient, keeps every
// event in arrival order (so an event that comes before anyone waits for it is not lost), and
// offers the few compound steps the tests repeat: launch and configure, step and wait for the
// stop, read a frame's scopes and variables, evaluate.

import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { REPO_ROOT } from './cli';

/** The bundled adapter. */
export const DAP = path.join(REPO_ROOT, 'dist', 'dap.js');
/** The default scenario: a 100 B datagram to an unresolved neighbour, then 3000 B at MTU 1500. */
export const DEFAULT_SCENARIO = path.join(REPO_ROOT, 'media', 'scenarios', 'default.kpath');
/** Scenarios written for the adapter's tests. */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'adapter', 'fixtures');

/** How long a single request or event may take before the test fails. */
const TIMEOUT_MS = 20_000;

type Args = Record<string, unknown>;

/** What one stop looks like from the client's side. */
export interface StopView {
  event: DebugProtocol.StoppedEvent;
  frames: DebugProtocol.StackFrame[];
}

function adapterEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // The test runner marks its children; the adapter is not a test file.
  delete env.NODE_TEST_CONTEXT;
  return env;
}

export class DapSession {
  readonly dc: DebugClient;
  /** Every event received, in order. */
  readonly events: DebugProtocol.Event[] = [];
  private wake: (() => void)[] = [];
  capabilities: DebugProtocol.Capabilities = {};

  /**
   * `program`: the adapter to run (the built dist/dap.js, or one installed from the package);
   * `env`: variables set for it beside this process's (KPATH_LANGUAGE: 'zh-cn' for a Chinese one).
   */
  constructor(program = DAP, env: NodeJS.ProcessEnv = {}) {
    if (!fs.existsSync(program)) throw new Error(`${program} does not exist: build first (npm run build)`);
    // Run from a neutral directory so nothing relies on the repository being the working directory.
    this.dc = new DebugClient(process.execPath, program, 'kpath', { cwd: os.tmpdir(), env: adapterEnv(env) });
    this.dc.defaultTimeout = TIMEOUT_MS;
    const emit = this.dc.emit.bind(this.dc);
    this.dc.emit = (name: string | symbol, ...rest: unknown[]): boolean => {
      const ev = rest[0] as DebugProtocol.Event | undefined;
      if (typeof name === 'string' && ev && ev.type === 'event') {
        this.events.push(ev);
        for (const f of this.wake.splice(0)) f();
      }
      return emit(name, ...rest);
    };
  }

  async start(): Promise<this> {
    await this.dc.start();
    const child = this.process;
    if (child) {
      child.on('exit', () => (this.exited = true));
      // Writing to an adapter that has already gone is not an error of the test.
      child.stdin?.on('error', () => undefined);
    }
    return this;
  }

  /** Whether the adapter's process has ended. */
  exited = false;

  /**
   * Disconnects (if the adapter is still there, and for at most a few seconds) and ends the
   * process. DebugClient.stop() alone would wait forever for an adapter that already exited.
   */
  async stop(): Promise<void> {
    const dc = this.dc as unknown as { stopAdapter(): void };
    if (!this.exited && this.process) {
      await within(this.dc.disconnectRequest({}).catch(() => undefined), 3000);
    }
    dc.stopAdapter();
  }

  /** The adapter's process (for checking that it exits). */
  get process(): ChildProcess | null {
    return (this.dc as unknown as { _adapterProcess: ChildProcess | null })._adapterProcess;
  }

  /** The index the next event will get: pass it to waitFor to see only later events. */
  mark(): number {
    return this.events.length;
  }

  /** The first event at or after `since` that satisfies `pred`. */
  async waitFor(pred: (e: DebugProtocol.Event) => boolean, since = 0, what = 'event', timeout = TIMEOUT_MS): Promise<DebugProtocol.Event> {
    const deadline = Date.now() + timeout;
    let i = since;
    for (;;) {
      for (; i < this.events.length; i++) if (pred(this.events[i])) return this.events[i];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeout} ms; events since: ${this.events.slice(since).map((e) => e.event).join(', ') || 'none'}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Events of one type at or after `since`. */
  eventsOf(name: string, since = 0): DebugProtocol.Event[] {
    return this.events.slice(since).filter((e) => e.event === name);
  }

  /** Waits for the run to stop or end after `since`: the stopped event, or null when it terminated. */
  async nextStop(since: number): Promise<DebugProtocol.StoppedEvent | null> {
    const e = await this.waitFor((x) => x.event === 'stopped' || x.event === 'terminated', since, 'stopped or terminated event');
    return e.event === 'stopped' ? (e as DebugProtocol.StoppedEvent) : null;
  }

  /** What the next initialize request says of the client, besides the test client's defaults. */
  clientArgs: Partial<DebugProtocol.InitializeRequestArguments> = {};

  async initialize(): Promise<DebugProtocol.Capabilities> {
    const r = await this.dc.initializeRequest({ adapterID: 'kpath', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', ...this.clientArgs });
    this.capabilities = r.body ?? {};
    return this.capabilities;
  }

  /**
   * initialize, launch, then `configure` (breakpoints), then configurationDone, as an editor does.
   * Resolves with the first stop, or null when the run ended without stopping.
   */
  async launch(args: Args, configure?: () => Promise<void>): Promise<DebugProtocol.StoppedEvent | null> {
    await this.initialize();
    const since = this.mark();
    await this.dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);
    if (configure) await configure();
    await this.dc.configurationDoneRequest();
    return this.nextStop(since);
  }

  /** Sends a stepping request (next, stepIn, continue, ...) and waits for where it lands. */
  async exec(command: 'continue' | 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'reverseContinue' | 'restart', args: Args = {}): Promise<DebugProtocol.StoppedEvent | null> {
    const since = this.mark();
    await this.dc.customRequest(command, { threadId: 1, ...args });
    return this.nextStop(since);
  }

  /** The stack of the thread that stopped. */
  async stack(stop: DebugProtocol.StoppedEvent): Promise<DebugProtocol.StackFrame[]> {
    const r = await this.dc.stackTraceRequest({ threadId: stop.body.threadId! });
    return r.body.stackFrames;
  }

  /** The function names of the stopped thread's stack, innermost first. */
  async stackNames(stop: DebugProtocol.StoppedEvent): Promise<string[]> {
    return (await this.stack(stop)).map((f) => f.name);
  }

  async scopes(frameId: number): Promise<DebugProtocol.Scope[]> {
    return (await this.dc.scopesRequest({ frameId })).body.scopes;
  }

  async variables(ref: number): Promise<DebugProtocol.Variable[]> {
    return (await this.dc.variablesRequest({ variablesReference: ref })).body.variables;
  }

  /** The variables of the named scope of a frame. */
  async scope(frameId: number, name: string): Promise<DebugProtocol.Variable[]> {
    const s = (await this.scopes(frameId)).find((x) => x.name === name);
    if (!s) throw new Error(`no scope "${name}" in frame ${frameId}`);
    return this.variables(s.variablesReference);
  }

  /** Evaluates in the innermost frame of the stopped thread; resolves with the response body. */
  async evaluate(expression: string, frameId?: number, context: 'watch' | 'repl' | 'hover' = 'watch'): Promise<DebugProtocol.EvaluateResponse['body']> {
    const r = await this.dc.evaluateRequest({ expression, frameId, context });
    return r.body;
  }

  /** The value of an expression as the adapter prints it. */
  async value(expression: string, frameId?: number): Promise<string> {
    return (await this.evaluate(expression, frameId)).result;
  }

  /** A numeric expression's value. */
  async number(expression: string, frameId?: number): Promise<number> {
    const s = await this.value(expression, frameId);
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`${expression} = ${s}, not a number`);
    return n;
  }
}

/** Finds a variable by name in a list, failing with the names that are there. */
export function findVar(vars: DebugProtocol.Variable[], name: string): DebugProtocol.Variable {
  const v = vars.find((x) => x.name === name);
  if (!v) throw new Error(`no variable "${name}" among: ${vars.map((x) => x.name).join(', ')}`);
  return v;
}

/** A DebugClient request's rejection message (the error response's message), or fails if it succeeded. */
export async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('the request succeeded; an error response was expected');
}

// --- a bare client, for what DebugClient cannot do (close stdin, send malformed frames) ---------

/** The adapter started directly, speaking DAP framed by Content-Length over its stdin/stdout. */
export class RawAdapter {
  readonly child: ChildProcess;
  private buf = Buffer.alloc(0);
  private seq = 1;
  readonly messages: DebugProtocol.ProtocolMessage[] = [];
  private wake: (() => void)[] = [];
  exitCode: number | null | undefined = undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';

  constructor(entry = DAP, argv: string[] = []) {
    this.child = spawn(process.execPath, [entry, ...argv], { cwd: os.tmpdir(), env: adapterEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitCode = code;
        resolve({ code, signal });
      });
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.child.stdout!.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const head = this.buf.indexOf('\r\n\r\n');
        if (head < 0) break;
        const m = /Content-Length: *(\d+)/i.exec(this.buf.subarray(0, head).toString('ascii'));
        if (!m) throw new Error(`bad header from the adapter: ${this.buf.subarray(0, head).toString()}`);
        const len = Number(m[1]);
        if (this.buf.length < head + 4 + len) break;
        this.messages.push(JSON.parse(this.buf.subarray(head + 4, head + 4 + len).toString('utf8')));
        this.buf = this.buf.subarray(head + 4 + len);
        for (const f of this.wake.splice(0)) f();
      }
    });
  }

  /** Sends raw bytes (already framed, or deliberately not). */
  write(data: string | Buffer): void {
    this.child.stdin!.write(data);
  }

  /** Sends a request (any shape) and resolves with its response. */
  async request(command: string, args?: unknown, extra: Record<string, unknown> = {}): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    const msg: Record<string, unknown> = { type: 'request', seq, command, ...extra };
    if (args !== undefined) msg.arguments = args;
    const json = JSON.stringify(msg);
    this.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`);
    return (await this.waitFor((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq, `response to ${command}`)) as DebugProtocol.Response;
  }

  async waitFor(pred: (m: DebugProtocol.ProtocolMessage) => boolean, what: string, timeout = TIMEOUT_MS): Promise<DebugProtocol.ProtocolMessage> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      if (this.exitCode !== undefined) throw new Error(`the adapter exited (${this.exitCode}) before ${what}; stderr: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeout} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** Ends the process if it is still running (only this child, by its handle). */
  kill(): void {
    if (this.alive) this.child.kill();
  }
}

/** Resolves true if `p` settles within `ms`, false otherwise. */
export async function within<T>(p: Promise<T>, ms: number): Promise<boolean> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (t = setTimeout(() => resolve(false), ms)));
  const r = await Promise.race([p.then(() => true as const), timeout]);
  clearTimeout(t);
  return r;
}

// --- listing files ------------------------------------------------------------------------------

/** The 1-based line of the first line of a listing file that contains `text`. */
export function lineOf(file: string, text: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${file} has no line containing ${JSON.stringify(text)}`);
  return i + 1;
}

/** The text of a 1-based line of a file. */
export function lineText(file: string, line: number): string {
  return fs.readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';
}

/** A listing path as the kernel names it (`net/ipv4/ip_output.c`), whatever directory holds the listings. */
export function kernelPath(file: string | undefined): string {
  if (!file) return '<no source>';
  const m = /listings[\\/](?:6\.18|4\.9)[\\/](.*)$/.exec(file);
  return m ? m[1].split(path.sep).join('/') : file;
}
