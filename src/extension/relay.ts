// A debug adapter process that the extension started itself, handed to VS Code as an inline
// adapter: the messages go to the process's stdin and come back from its stdout, framed as DAP
// frames them (Content-Length headers), exactly as VS Code talks to an adapter it starts itself.
// It exists so that the extension can start the adapter before the learner presses F5 (adapter.ts),
// and rehearse a session with it meanwhile (src/adapter/rehearsal.ts), which VS Code never sees.
//
// Only types come from `vscode`, so the relay can be tested with plain Node.js.

import type * as vscode from 'vscode';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Rehearsal, RehearsalPlan, frame } from '../adapter/rehearsal';

type Message = vscode.DebugProtocolMessage & { type?: string; seq?: number };

/** How much of the adapter's stderr is kept, to show if it exits in the middle of a session. */
const STDERR_KEPT = 4096;

export class ProcessAdapter implements vscode.DebugAdapter {
  private readonly listeners = new Set<(m: vscode.DebugProtocolMessage) => unknown>();
  private buffer: Buffer = Buffer.alloc(0);
  private stderr = '';
  private ended = false;
  private disposed = false;
  private rehearsal: Rehearsal | null = null;
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

  /** Rehearses a session of `launch` with the adapter (rehearsal.ts) until `startSession`. */
  rehearse(launch: object, plan?: RehearsalPlan): Rehearsal {
    this.rehearsal = new Rehearsal((framed) => {
      if (this.ended) throw new Error('the adapter has exited');
      this.child.stdin.write(framed);
    }, launch, plan);
    return this.rehearsal;
  }

  /**
   * VS Code's session starts: the rehearsal ends and the adapter resets. VS Code's messages go to
   * the adapter at once; what the adapter sent the rehearsal, up to the reset's answer, is dropped.
   */
  startSession(): void {
    this.rehearsal?.end();
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
    this.rehearsal?.stop();
    if (!this.ended) this.child.stdin.end();
  }

  /** A message from the adapter: the rehearsal's are dropped. */
  private emit(m: Message): void {
    if (this.rehearsal?.received(m)) return;
    this.deliver(m);
  }

  private deliver(m: Message): void {
    if (this.disposed) return;
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
      this.deliver({ type: 'event', seq: 0, event: 'output', body: { category: 'stderr', output: `kpath: the debug adapter stopped (${why})${detail ? `:\n${detail}` : ''}\n` } } as Message);
    }
    this.deliver({ type: 'event', seq: 0, event: 'terminated' } as Message);
  }
}
