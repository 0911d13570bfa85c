// Warming up a new adapter process before its first stop.
//
// V8 runs a function in its interpreter until the function has run often enough to be worth
// compiling. A step calls most functions of the path (the model's kernel functions, the recorder,
// the variable views, the protocol's encoding) once or a few times, so in a new process the first
// few hundred steps each cost about twice what later steps do. Before the first stop, the adapter
// therefore runs a throwaway session of the same scenario through the requests an editor makes at
// each step (a move, then stackTrace, scopes, variables) for a fixed budget of time (60 ms: the
// first stop comes that much later, well within what a launch may take), so that the learner's
// first steps run code V8 has already begun to compile. Nothing of it is seen: it has its own
// runtime and its own output, which is dropped, and the model keeps no state between runtimes.

import { Writable, PassThrough } from 'node:stream';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** What the warm-up needs of a session: the inline adapter interface of @vscode/debugadapter. */
export interface WarmableSession {
  start(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void;
  handleMessage(message: DebugProtocol.ProtocolMessage): void;
  onDidSendMessage: (listener: (message: object) => void) => unknown;
}

export interface WarmUpBudget {
  /** At most this many steps. */
  steps: number;
  /** And no longer than this (a slow machine gets less warm-up, not a later first stop). */
  ms: number;
}

export const WARM_UP: WarmUpBudget = { steps: 400, ms: 60 };

/** The moves of the throwaway session, over and over: mostly F10, as a learner steps. */
const MOVES = ['next', 'next', 'stepIn', 'next', 'next', 'stepBack', 'next', 'next', 'stepOut', 'next'];

/**
 * Steps throwaway sessions (from `make`) through `launch` (next, and now and then stepIn, stepBack
 * and stepOut) with what an editor asks at each stop, until the budget is spent (when the run ends first, again from the start). Returns
 * the steps made. Never throws: a warm-up that fails only means no warm-up.
 */
export async function warmUp(make: () => WarmableSession, launch: DebugProtocol.LaunchRequestArguments, budget = WARM_UP): Promise<number> {
  const t0 = performance.now();
  const inTime = (): boolean => performance.now() - t0 < budget.ms;
  let steps = 0;
  try {
    while (steps < budget.steps && inTime()) {
      const made = await oneSession(make(), launch, budget.steps - steps, inTime);
      // A launch that never stops (an error, or no step points) is not worth repeating.
      if (made < 0) break;
      steps += made;
    }
  } catch {
    // The real session meets the same problem and reports it.
  }
  return steps;
}

/** One throwaway session from launch to the end of its run or of the budget: the steps it made (-1: no stop). */
async function oneSession(s: WarmableSession, launch: DebugProtocol.LaunchRequestArguments, maxSteps: number, inTime: () => boolean): Promise<number> {
  const sent: DebugProtocol.ProtocolMessage[] = [];
  s.onDidSendMessage((m) => sent.push(m as DebugProtocol.ProtocolMessage));
  s.start(new PassThrough(), new Writable({ write: (_c, _e, done) => done() }));
  let seq = 1;
  const request = (command: string, args: object): DebugProtocol.Response | undefined => {
    const q = seq++;
    s.handleMessage({ seq: q, type: 'request', command, arguments: args } as DebugProtocol.Request);
    return sent.find((m): m is DebugProtocol.Response => m.type === 'response' && (m as DebugProtocol.Response).request_seq === q);
  };
  request('initialize', { clientID: 'kpath-warm-up', adapterID: 'kpath', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsVariableType: true });
  request('launch', { ...launch, stopOnEntry: true, noDebug: false, trace: false });
  request('configurationDone', {});
  // The launch goes on once configurationDone has resolved its promise.
  for (let i = 0; i < 10 && !lastStop(sent); i++) await Promise.resolve();
  let stop = lastStop(sent);
  if (stop?.event !== 'stopped') return -1;
  let steps = 0;
  while (stop?.event === 'stopped' && steps < maxSteps && inTime()) {
    const threadId = threadOf(stop);
    sent.length = 0;
    const trace = request('stackTrace', { threadId, startFrame: 0, levels: 20 }) as DebugProtocol.StackTraceResponse | undefined;
    const frame = trace?.body?.stackFrames?.[0];
    if (frame) {
      const scopes = request('scopes', { frameId: frame.id }) as DebugProtocol.ScopesResponse | undefined;
      for (const sc of scopes?.body?.scopes ?? []) if (!sc.expensive) request('variables', { variablesReference: sc.variablesReference });
    }
    sent.length = 0;
    request(MOVES[steps % MOVES.length], { threadId });
    stop = lastStop(sent);
    steps++;
  }
  return steps;
}

function threadOf(stop: DebugProtocol.Event): number {
  return (stop as DebugProtocol.StoppedEvent).body?.threadId ?? 1;
}

function lastStop(sent: DebugProtocol.ProtocolMessage[]): DebugProtocol.Event | undefined {
  for (let i = sent.length - 1; i >= 0; i--) {
    const m = sent[i] as DebugProtocol.Event;
    if (m.type === 'event' && (m.event === 'stopped' || m.event === 'terminated')) return m;
  }
  return undefined;
}
