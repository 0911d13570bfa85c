// A bare Debug Adapter Protocol connection to the bundled adapter (node dist/dap.js) over stdio,
// for the fuzzer: it writes any bytes (framing included), reads the adapter's messages, and says
// which requests have been answered, whether the process is still there, and its resident memory.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { DAP } from './dap';

export interface DapMessage {
  type: string;
  seq: number;
  request_seq?: number;
  command?: string;
  success?: boolean;
  message?: string;
  event?: string;
  body?: unknown;
}

export class RawDap {
  private readonly proc: ChildProcess;
  private buf = Buffer.alloc(0);
  private seq = 1;
  /** Responses by the seq of the request they answer. */
  readonly responses = new Map<number, DapMessage>();
  events = 0;
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private wake: (() => void)[] = [];

  constructor(cwd = os.tmpdir()) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    this.proc = spawn(process.execPath, [DAP], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => this.read(d));
    this.proc.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length < 100_000) this.stderr += d.toString('utf8');
    });
    this.proc.stdin!.on('error', () => undefined);
    this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Sends a request; returns its seq. */
  request(command: string, args?: unknown): number {
    const seq = this.seq++;
    const msg: Record<string, unknown> = { seq, type: 'request', command };
    if (args !== undefined) msg.arguments = args;
    this.raw(frame(JSON.stringify(msg)));
    return seq;
  }

  /** Writes bytes as they are: a frame of one's own making, or garbage. */
  raw(bytes: string | Buffer): void {
    if (!this.exit) this.proc.stdin!.write(bytes);
  }

  /** Waits until each of the requests has its response, the adapter exits, or the time is up. */
  async answered(seqs: number[], ms = 20_000): Promise<number[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const missing = seqs.filter((s) => !this.responses.has(s));
      if (!missing.length || this.exit || Date.now() > deadline) return missing;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /**
   * True when the process is still there after `ms`: for what would end it a little later (the
   * DAP library's shutdown waits 100 ms before it exits). A bounded wait for something that must
   * not happen, not a pause before a check.
   */
  async stillUp(ms = 400): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.exit && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.exit === null;
  }

  /** Resident memory of the adapter's process in KiB (VmRSS in /proc), or undefined when gone. */
  rssKiB(): number | undefined {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Ends the process (and waits for it). */
  async close(): Promise<void> {
    if (this.exit) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.stdin!.end();
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(t);
  }

  private notify(): void {
    for (const f of this.wake.splice(0)) f();
  }

  private read(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const head = this.buf.indexOf('\r\n\r\n');
      if (head < 0) break;
      const m = /Content-Length: *(\d+)/i.exec(this.buf.subarray(0, head).toString('ascii'));
      if (!m) throw new Error(`the adapter wrote a header without Content-Length: ${this.buf.subarray(0, head).toString()}`);
      const len = Number(m[1]);
      if (this.buf.length < head + 4 + len) break;
      const msg = JSON.parse(this.buf.subarray(head + 4, head + 4 + len).toString('utf8')) as DapMessage;
      this.buf = this.buf.subarray(head + 4 + len);
      if (msg.type === 'response' && msg.request_seq !== undefined) this.responses.set(msg.request_seq, msg);
      else if (msg.type === 'event') this.events++;
    }
    this.notify();
  }
}

/** A message with its Content-Length header. */
export function frame(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}
