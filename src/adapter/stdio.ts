// DAP on stdin/stdout for the standalone adapter (dist/dap.js and `kpath dap`).

import { Writable } from 'node:stream';
import type { DebugSession } from '@vscode/debugadapter';

/**
 * Serve a session on this process's stdin and stdout until its client goes away.
 *
 * What the session sends while it handles one request (a response, then stopped, position and
 * frame events) goes out in one write: on a pipe every write is a system call that wakes the
 * client, and a step is several round trips, so fewer writes is the cheapest way to a faster step.
 */
export function serveStdio(session: DebugSession): void {
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, new BatchedWrites(process.stdout));
}

/** Collects what is written during one turn of the event loop and writes it once, in order. */
export class BatchedWrites extends Writable {
  private pending: string[] = [];

  constructor(private readonly out: NodeJS.WritableStream) {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.pending.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    if (this.pending.length === 1) process.nextTick(() => this.flush());
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush();
    done();
  }

  private flush(): void {
    if (!this.pending.length) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.out.write(text);
  }
}
