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
//
// An editor can also start the adapter before it is needed (`kpath dap --warm`; the VS Code
// extension keeps one such process ready). That process warms up at once, in the background, on a
// scenario of its own (the launch's is not known yet), for much longer: it steps a thousand and
// more times, giving the event loop a turn after each step so that requests are answered at once,
// and stops when the first request comes. A launch in it then needs no warm-up of its own.

import { Writable, PassThrough } from 'node:stream';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as path from 'node:path';

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

/**
 * A warm-up ahead of any launch: about 0.6 s of one CPU here. V8 compiles the stepping path after
 * some hundreds of steps of it. Measured side by side, it takes the median of a session's first
 * 300 steps from 1.27 to 1.06 ms (1.65 to 1.30 ms in a busier hour), and the first stop from
 * about 75 ms to about 6.
 */
export const WARM_UP_AHEAD: WarmUpBudget = { steps: 1500, ms: 3000 };

/**
 * What a warm-up ahead of a launch steps through: the bundled default scenario (media/scenarios,
 * beside dist/ in the package; the other path is from out/src/adapter, where tests run). It is
 * read from its file as a launch reads one, so that the model's objects have the shapes they will
 * have in the real session: V8's compiled code is specific to them.
 */
function aheadScenario(): string | undefined {
  for (const up of ['..', '../../..']) {
    const file = path.join(__dirname, up, 'media', 'scenarios', 'default.kpath');
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** The moves of a warm-up (and of an editor's rehearsal), over and over: mostly F10, as a learner steps. */
export const MOVES = ['next', 'next', 'stepIn', 'next', 'next', 'stepBack', 'next', 'next', 'stepOut', 'next'];

/** Its breakpoint, as learners set them: `next` then checks breakpoints at every step point. */
export const BREAKPOINTS = [{ name: 'ip_finish_output2' }];

/**
 * Steps throwaway sessions (from `make`) through `launch` (next, and now and then stepIn, stepBack
 * and stepOut) with what an editor asks at each stop, until the budget is spent (when the run ends first, again from the start). Returns
 * the steps made. Never throws: a warm-up that fails only means no warm-up.
 */
export async function warmUp(make: () => WarmableSession, launch: DebugProtocol.LaunchRequestArguments, budget = WARM_UP, background?: Background): Promise<number> {
  const t0 = performance.now();
  const inTime = (): boolean => performance.now() - t0 < budget.ms && !background?.stopped;
  let steps = 0;
  try {
    while (steps < budget.steps && inTime()) {
      const made = await oneSession(make(), launch, budget.steps - steps, inTime, background);
      // A launch that never stops (an error, or no step points) is not worth repeating.
      if (made < 0) break;
      steps += made;
    }
  } catch {
    // The real session meets the same problem and reports it.
  }
  return steps;
}

/**
 * A warm-up in the background, ahead of any launch (`kpath dap --warm`): it steps the sessions from
 * `make` through a scenario of its own, a step per turn of the event loop, until its budget is
 * spent or `stop()` is called (by the first request of the real session).
 */
export class Background {
  stopped = false;
  /** Steps made so far. */
  steps = 0;
  /** Settles with the steps made, once the warm-up has stopped. */
  readonly done: Promise<number>;

  constructor(make: () => WarmableSession, budget = WARM_UP_AHEAD) {
    const scenario = aheadScenario();
    this.done = scenario ? warmUp(make, { scenario } as DebugProtocol.LaunchRequestArguments, budget, this) : Promise.resolve(0);
  }

  stop(): void {
    this.stopped = true;
  }
}

/** One throwaway session from launch to the end of its run or of the budget: the steps it made (-1: no stop). */
async function oneSession(s: WarmableSession, launch: DebugProtocol.LaunchRequestArguments, maxSteps: number, inTime: () => boolean, background?: Background): Promise<number> {
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
  request('setFunctionBreakpoints', { breakpoints: BREAKPOINTS });
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
    if (background) {
      background.steps++;
      // A turn of the event loop: a request that came meanwhile is answered now, not after the warm-up.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return steps;
}

function threadOf(stop: DebugProtocol.Event): number {
  return (stop as DebugProtocol.StoppedEvent).body?.threadId ?? 1;
}

function lastStop(sent: DebugProtocol.ProtocolMessage[]): DebugProtocol.Event | undefined {
  for (let i = sent.length - 1; i >= 0; i--) {
    const m = sent[i] as DebugProtocol.Event;
    if (isStop(m)) return m;
  }
  return undefined;
}

/** The event that ends a move: a stop, or the end of the run. */
export function isStop(m: { type?: string; event?: string }): boolean {
  return m.type === 'event' && (m.event === 'stopped' || m.event === 'terminated');
}
