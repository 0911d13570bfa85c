// A rehearsal: what an editor does with an adapter it started ahead (`kpath dap --warm`) until the
// learner presses F5, so that the learner's first steps run code V8 has compiled for them.
//
// V8 runs a function in its interpreter until it has run often enough, then compiles it for the
// shapes of the objects it ran with. The warm-up in the background (warmup.ts) steps the model and
// the views in throwaway sessions, but it cannot run the code that reads requests from the
// process's stdin and writes answers to its stdout (Node.js's stream and pipe code, the framing,
// JSON), nor the session object that will serve the learner: only bytes crossing the real pipes
// to that object run them. So the editor first pings the adapter (kpath/ping, answered at once,
// one at a time), then drives one whole session over the pipes: initialize, a breakpoint, a launch
// of the bundled scenario, then step after step with what an editor asks at each stop. At F5 it
// sends kpath/reset, which ends that session and starts a new one in the same session object, as
// if the process had just started (the new session's messages count from 1 again). Until the
// answer to the reset, everything the adapter sends belongs to the rehearsal and the editor drops
// it; after it, everything is the learner's session's. The editor need not wait for anything at
// F5: it sends the reset, then the learner's session's requests at once, and the adapter handles
// them in order.
//
// Both requests are answered outside any session, with seq 0: a ping does not stop the warm-up
// in the background, and neither takes a sequence number of the session.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { BREAKPOINTS, MOVES, isStop } from './warmup';

/** A request with no arguments, answered at once with success. */
export const PING = 'kpath/ping';

/** The request that ends the adapter's session and starts a new one. */
export const RESET = 'kpath/reset';

/** A message framed as DAP frames it on a stream: a Content-Length header, then the JSON. */
export function frame(m: object): string {
  const json = JSON.stringify(m);
  return `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`;
}

/** The answer to a ping or a reset (`command`) with sequence number `requestSeq`, framed. */
export function answerFrame(command: string, requestSeq: number): string {
  return frame({ seq: 0, type: 'response', request_seq: requestSeq, command, success: true });
}

export interface RehearsalPlan {
  /** Pings first, one at a time. */
  pings: number;
  /** Then a session of this many moves. */
  steps: number;
}

/**
 * What an editor rehearses with an adapter it starts ahead: about 0.8 s here. Measured side by
 * side (16 adapters each), the median of the first 300 steps of a session went from about 0.95 ms
 * pinged alone to 0.79; more pings (1,500) or more moves (600) made no difference (README,
 * Performance).
 */
export const REHEARSAL: RehearsalPlan = { pings: 300, steps: 300 };


/** What VS Code says of itself in its initialize request. */
const INITIALIZE: DebugProtocol.InitializeRequestArguments = {
  clientID: 'kpath-rehearsal', adapterID: 'kpath', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true,
  supportsVariableType: true, supportsVariablePaging: true, supportsRunInTerminalRequest: true, supportsMemoryReferences: true,
  supportsProgressReporting: true, supportsInvalidatedEvent: true, supportsMemoryEvent: true,
};

/** A message from the adapter, as much of it as the rehearsal reads. */
interface Message {
  seq?: number;
  type?: string;
  command?: string;
  request_seq?: number;
  success?: boolean;
  event?: string;
  body?: unknown;
}

/**
 * Rehearses with an adapter through `write` (which takes a framed message): give it every message
 * the adapter sends; `received` says which to drop. `end()` when the editor's session starts.
 */
export class Rehearsal {
  private seq = 1;
  private ending = false;
  private resetSeq = -1;
  private over = false;
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  /** Pings answered, and moves made. */
  pongs = 0;
  steps = 0;
  /** Settles when the rehearsal has stopped making requests: its plan done, `end()` or `stop()`, or a failed request. */
  readonly done: Promise<void>;

  constructor(private readonly write: (framed: string) => void, private readonly launch: object, private readonly plan: RehearsalPlan = REHEARSAL) {
    this.done = this.run().catch(() => undefined);
  }

  /** True for a message of the rehearsal, which the caller must not pass on. */
  received(m: Message): boolean {
    if (this.over) return false;
    if (m.type === 'response' && m.command === RESET && m.request_seq === this.resetSeq) {
      this.over = true;
      return true;
    }
    const i = this.waiters.findIndex((w) => w.match(m));
    if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
    return true;
  }

  /** The editor's session starts: no more requests, and the adapter resets (none if nothing was sent). */
  end(): void {
    if (this.ending) return;
    this.ending = true;
    if (this.seq === 1) {
      this.over = true;
      return;
    }
    this.resetSeq = this.send(RESET, undefined) ?? -1;
  }

  /** No more requests, and no reset: the process is going away. */
  stop(): void {
    this.ending = true;
  }

  private async run(): Promise<void> {
    for (let i = 0; i < this.plan.pings; i++) {
      if (!(await this.ask(PING))) return;
      this.pongs++;
    }
    if (this.plan.steps <= 0) return;
    if (!(await this.ask('initialize', INITIALIZE))?.success) return;
    // As VS Code launches: the launch, then the configuration, then configurationDone.
    let stop = this.next(isStop);
    const launched = this.ask('launch', { ...this.launch, stopOnEntry: true, noDebug: false, trace: false });
    await this.ask('setFunctionBreakpoints', { breakpoints: BREAKPOINTS });
    await this.ask('setExceptionBreakpoints', { filters: [] });
    await this.ask('configurationDone', {});
    if (!(await launched)?.success) return;
    let ev = await stop;
    while (this.steps < this.plan.steps && !this.ending) {
      if (ev.event !== 'stopped') {
        // The run ended: again from the start.
        stop = this.next(isStop);
        if (!(await this.ask('restart', {}))?.success) return;
        ev = await stop;
        if (ev.event !== 'stopped') return;
        continue;
      }
      const threadId = (ev as Partial<DebugProtocol.StoppedEvent>).body?.threadId ?? 1;
      await this.ask('threads', {});
      const trace = (await this.ask('stackTrace', { threadId, startFrame: 0, levels: 20 })) as Partial<DebugProtocol.StackTraceResponse> | undefined;
      const frameId = trace?.body?.stackFrames?.[0]?.id;
      if (frameId !== undefined) {
        const scopes = (await this.ask('scopes', { frameId })) as Partial<DebugProtocol.ScopesResponse> | undefined;
        for (const sc of scopes?.body?.scopes ?? []) if (!sc.expensive) await this.ask('variables', { variablesReference: sc.variablesReference });
      }
      if (this.ending) return;
      stop = this.next(isStop);
      if (!(await this.ask(MOVES[this.steps % MOVES.length], { threadId }))) return;
      this.steps++;
      ev = await stop;
    }
  }

  /** Sends a request and waits for its answer; undefined once the rehearsal is ending. */
  private async ask(command: string, args?: object): Promise<Message | undefined> {
    if (this.ending) return undefined;
    const seq = this.seq;
    const answer = this.next((m) => m.type === 'response' && m.request_seq === seq);
    if (this.send(command, args) === undefined) return undefined;
    return answer;
  }

  /** The next message that matches. */
  private next(match: (m: Message) => boolean): Promise<Message> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  private send(command: string, args: object | undefined): number | undefined {
    const seq = this.seq++;
    try {
      this.write(frame(args === undefined ? { seq, type: 'request', command } : { seq, type: 'request', command, arguments: args }));
    } catch {
      // The process has gone: nothing more will come from it.
      this.ending = true;
      this.over = true;
      return undefined;
    }
    return seq;
  }
}
