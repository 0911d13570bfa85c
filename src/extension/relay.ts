// A debug adapter process that the extension started itself, handed to VS Code as an inline
// adapter: the messages go to the process's stdin and come back from its stdout, framed as DAP
// frames them (Content-Length headers), exactly as VS Code talks to an adapter it starts itself.
// It exists so that the extension can start the adapter before the learner presses F5 (adapter.ts),
// and warm up its pipes meanwhile with pings (src/adapter/ping.ts), whose answers VS Code never sees.
//
// Only types come from `vscode`, so the relay can be tested with plain Node.js.

import type * as vscode from 'vscode';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Pinger, frame, isPong } from '../adapter/ping';

type Message = vscode.DebugProtocolMessage & { type?: string; seq?: number };

/** How much of the adapter's stderr is kept, to show if it exits in the middle of a session. */
const STDERR_KEPT = 4096;

export class ProcessAdapter implements vscode.DebugAdapter {
  private readonly listeners = new Set<(m: vscode.DebugProtocolMessage) => unknown>();
  private buffer: Buffer = Buffer.alloc(0);
  private stderr = '';
  private ended = false;
  private disposed = false;
  private pinger: Pinger | null = null;
  /** What the adapter sent before VS Code listened (nothing, normally): delivered when it does. */
  private early: Message[] = [];

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => this.data(d));
    child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_KEPT);
    });
    child.on('exit', (code, signal) => this.exited(code, signal));
    child.on('error', (e) => this.exited(null, null, e.message));
    // A client that goes away while a write is under way makes the pipe fail: that is its exit.
    child.stdin.on('error', () => undefined);
  }

  readonly onDidSendMessage: vscode.Event<vscode.DebugProtocolMessage> = (listener, thisArgs?, disposables?) => {
    const bound = (m: vscode.DebugProtocolMessage) => listener.call(thisArgs, m);
    this.listeners.add(bound);
    for (const m of this.early.splice(0)) bound(m);
    const d = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(d as vscode.Disposable);
    return d as vscode.Disposable;
  };

  /** Pings the adapter (`count` of them, one at a time) until `stopPinging` or the count is reached. */
  ping(count?: number): void {
    this.pinger?.stop();
    this.pinger = new Pinger((framed) => {
      if (this.ended) throw new Error('the adapter has exited');
      this.child.stdin.write(framed);
    }, count);
  }

  /** Pings answered so far. */
  get pongs(): number {
    return this.pinger?.pongs ?? 0;
  }

  /** No more pings: VS Code's session starts (an answer on its way is still dropped). */
  stopPinging(): void {
    this.pinger?.stop();
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    if (this.ended) return;
    this.child.stdin.write(frame(message));
  }

  dispose(): void {
    // VS Code is done with the session: nothing more goes to it. The adapter exits when its stdin
    // closes (after a disconnect it already has).
    this.disposed = true;
    this.listeners.clear();
    this.early = [];
    this.pinger?.stop();
    if (!this.ended) this.child.stdin.end();
  }

  private emit(m: Message): void {
    if (this.disposed) return;
    if (isPong(m)) {
      this.pinger?.answered(m);
      return;
    }
    if (!this.listeners.size) {
      this.early.push(m);
      return;
    }
    for (const f of [...this.listeners]) f(m);
  }

  /** Splits what the adapter wrote into messages (several may come in one chunk, or one in several). */
  private data(d: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, d]) : d;
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = this.buffer.toString('ascii', 0, end);
      const length = /Content-Length: *(\d+)/i.exec(header);
      if (!length) {
        // Not DAP: drop up to the blank line rather than stall for ever.
        this.buffer = this.buffer.subarray(end + 4);
        continue;
      }
      const start = end + 4;
      const stop = start + Number(length[1]);
      if (this.buffer.length < stop) return;
      const body = this.buffer.toString('utf8', start, stop);
      this.buffer = this.buffer.subarray(stop);
      let m: Message;
      try {
        m = JSON.parse(body) as Message;
      } catch {
        continue;
      }
      this.emit(m);
    }
  }

  /** The process is gone. In the middle of a session, say why and end it. */
  private exited(code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (this.ended) return;
    this.ended = true;
    const why = error ?? (signal ? `signal ${signal}` : `exit code ${code}`);
    if (code !== 0 || error) {
      const detail = this.stderr.trim();
      this.emit({ type: 'event', seq: 0, event: 'output', body: { category: 'stderr', output: `kpath: the debug adapter stopped (${why})${detail ? `:\n${detail}` : ''}\n` } } as Message);
    }
    this.emit({ type: 'event', seq: 0, event: 'terminated' } as Message);
  }
}
