// The Debug Adapter Protocol session: it translates DAP requests into calls on the model's
// Runtime and the Runtime's stops into DAP events. It knows nothing of VS Code; it runs inline in
// the extension or standalone on stdin/stdout (`kpath dap`) for any DAP client.

import fs = require('node:fs');
import * as l10n from '@vscode/l10n';
import {
  DebugSession, InitializedEvent, StoppedEvent, TerminatedEvent, OutputEvent, Event, Thread, StackFrame, Scope,
  Source, Handles, ExitedEvent, BreakpointEvent,
  ProgressStartEvent, ProgressUpdateEvent, ProgressEndEvent, InvalidatedEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseScenario } from '../model/scenario/parse';
import { validateScenario } from '../model/scenario/validate';
import { ScenarioError } from '../model/scenario/errors';
import type { Scenario } from '../model/scenario/types';
import { Runtime, StopResult, Stop, ExceptionFilter, RunCancelled } from '../debugger/runtime';
import { LIMITS, LimitError } from '../model/scenario/limits';
import type { ExceptionKind } from '../model/kernel/watch';
import { findFunction } from '../model/kernel/functions';
import { evaluate, formatValue, complete, parseExpr, checkHitCondition, ExprError } from '../debugger/expr';
import type { Value } from '../debugger/expr';
import { frameRecord } from '../model/run';
import { frameTableHeader, frameLine, frameWidths } from '../model/report';
import { useLanguage } from '../l10n';
import { Listings } from './listings';
import { KernelSourceView } from './kernel-source';
import { resolveTreePath } from '../source/load';
import { Variables } from './variables';
import { CUSTOM_REQUESTS, RequestContext } from './requests';
import { FRAME_EVENT_LIMIT, frameBody } from './frames';
import { DROP_EVENT_LIMIT, dropBody } from './drops';
import { frameDetail } from './detail';
import { TASK_THREAD, SOFTIRQ_THREAD, threadOf } from './threads';
import { applyKnobTexts, KnobError } from '../debugger/knob';

/** The launch configuration (package.json's debugger schema). */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** A .kpath file, or a scenario object (docs/scenario.md). */
  scenario: string | Record<string, unknown>;
  stopOnEntry?: boolean;
  kernel?: '6.18' | '4.9';
  /** Send the trace (one line per function entered) to the debug console. */
  trace?: boolean;
  /** A Linux source tree: frames and breakpoints use its files where the model's step points map to them. */
  kernelSource?: string;
  /** "What if" knobs applied to the scenario before it runs, in a lesson's words (`link veth0 mtu 576`). */
  knobs?: string[];
}

/** The exception filters, in the language in use (so made when asked, not when the module loads). */
export function exceptionFilters(): DebugProtocol.ExceptionBreakpointsFilter[] {
  const eg = (example: string): string => l10n.t('e.g. {0}', example);
  return [
    { filter: 'drop', label: l10n.t('Packet dropped'), description: l10n.t('Stop where a packet is freed, with its drop reason'), supportsCondition: true, conditionDescription: eg('reason == "NEIGH_FAILED"') },
    { filter: 'icmp', label: l10n.t('ICMP error generated'), description: l10n.t('Stop where the host generates an ICMP error'), supportsCondition: true, conditionDescription: eg('type == 3 && code == 4') },
    { filter: 'neigh-failed', label: l10n.t('Neighbour failed'), description: l10n.t('Stop where a neighbour entry becomes FAILED'), supportsCondition: true, conditionDescription: eg('neigh == "192.0.2.2"') },
    { filter: 'nf-drop', label: l10n.t('Netfilter DROP'), description: l10n.t('Stop where a netfilter rule drops a packet'), supportsCondition: true, conditionDescription: eg('rule == "udp dport 9999 drop"') },
  ];
}

class ErrorResponse extends Error {}

export class KpathDebugSession extends DebugSession implements RequestContext {
  runtime: Runtime | null = null;
  private scenario: Scenario | null = null;
  private args: LaunchArguments | null = null;
  listings: Listings | null = null;
  /** The user's Linux checkout, when the launch names one. */
  kernelSource: KernelSourceView | null = null;
  private vars = new Variables();
  private frameHandles = new Handles<{ stop: Stop; index: number }>();
  private configured!: Promise<void>;
  private markConfigured!: () => void;
  /** Breakpoints as the client set them, each with the id it was answered with. */
  private pendingStepBps = new Map<string, { id: number; bp: DebugProtocol.SourceBreakpoint }[]>();
  private pendingFnBps: { id: number; bp: DebugProtocol.FunctionBreakpoint }[] = [];
  private pendingFilters: ExceptionFilter[] = [];
  private nextBpId = 1;
  /** Called once, after the first stop has been sent (dap.ts saves its code cache then). */
  afterFirstStop: (() => void) | null = null;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configured = new Promise((resolve) => (this.markConfigured = resolve));
    // The base class ends the process on any 'error'. A message that is not JSON, or not a DAP
    // message, is ignored instead (said on stderr); a broken stream still ends the session.
    this.removeAllListeners('error');
    this.on('error', (e: { body?: unknown }) => {
      const text = String(e?.body ?? e);
      if (text.startsWith('Error handling data')) process.stderr.write(`kpath: ignored a message: ${text.slice(0, 200)}\n`);
      else this.shutdown();
    });
  }

  private clientColumnsStartAt1 = true;
  /** The client shows progress (VS Code: a notification) for long runs. */
  private clientProgress = false;
  /** The client fetches the stack again on an 'invalidated' event. */
  private clientInvalidated = false;
  /** The progress notification of the run going on, if one was opened. */
  private progressId: string | null = null;
  private progressSeq = 0;

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.clientColumnsStartAt1 = args?.columnsStartAt1 !== false;
    // The client's language (VS Code's display language; nvim-dap's LANG), unless KPATH_LANGUAGE chose one.
    if (typeof args?.locale === 'string' && !process.env.KPATH_LANGUAGE) useLanguage(args.locale);
    this.clientProgress = args?.supportsProgressReporting === true;
    this.clientInvalidated = args?.supportsInvalidatedEvent === true;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsStepBack: true,
      supportsRestartRequest: true,
      supportsSetVariable: true,
      supportsStepInTargetsRequest: true,
      supportsExceptionInfoRequest: true,
      supportsExceptionFilterOptions: true,
      exceptionBreakpointFilters: exceptionFilters(),
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['>', '.'],
      supportsReadMemoryRequest: true,
      supportsTerminateRequest: true,
      supportsValueFormattingOptions: false,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.markConfigured();
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    try {
      this.setup(args);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1001, format: '{_message}', variables: { _message: messageOf(e) }, showUser: true });
      return;
    }
    this.sendResponse(response);
    try {
      this.announceBreakpoints();
      await this.configured;
      await this.waitForSource();
      // Run Without Debugging: no stop on entry and no breakpoints (applyBreakpoints), to the end.
      const rt = this.runtime;
      if (!rt) return;
      const r = await rt.startAsync(!!args.stopOnEntry && !args.noDebug);
      if (rt === this.runtime) this.report(r, true);
    } catch (e) {
      if (e instanceof RunCancelled) return;
      // The launch was answered already: the error goes to the debug console and the session ends.
      this.abandon(e);
    }
  }

  /** A run that cannot go on: say why in the debug console, and end the session (the adapter stays up). */
  private abandon(e: unknown): void {
    this.sendEvent(new OutputEvent(`kpath: ${messageOf(e)}\n`, 'stderr'));
    this.sendEvent(new TerminatedEvent());
  }

  /**
   * Before the run starts: the kernel source's mapping when it is cached (read at once), or when it
   * comes soon. A tree read for the first time is parsed in a worker; the first stop does not wait
   * longer for it (its frames show in the model listing, then the client is told to fetch the stack
   * again), unless line breakpoints in the tree need it to be verified before the run.
   */
  private async waitForSource(): Promise<void> {
    const src = this.kernelSource;
    if (!src || src.map || src.problem) return;
    const needed = !src.parsing || [...this.pendingStepBps].some(([path, list]) => list.length > 0 && src.covers(path));
    if (needed) await src.ready;
    else await Promise.race([src.ready, new Promise((r) => setTimeout(r, SOURCE_WAIT_MS))]);
  }

  /** The kernel source's mapping has arrived: verify the breakpoints in its files, and show its lines. */
  private sourceLoaded(src: KernelSourceView): void {
    if (src !== this.kernelSource || !this.runtime) return;
    for (const [path, list] of this.pendingStepBps) {
      if (!src.covers(path)) continue;
      for (const b of this.resolveStepBreakpoints(path, list)) this.sendEvent(new BreakpointEvent('changed', b));
    }
    for (const b of this.resolveFunctionBreakpoints()) this.sendEvent(new BreakpointEvent('changed', b.dap));
    this.applyBreakpoints();
    if (this.runtime.current && src.map && this.clientInvalidated) this.sendEvent(new InvalidatedEvent(['stacks']));
  }

  /** Loads the scenario and builds the runtime for a launch (or a restart with new arguments). */
  private setup(args: LaunchArguments): void {
    const before = { scenario: this.scenario, args: this.args, listings: this.listings, kernelSource: this.kernelSource, runtime: this.runtime };
    try {
      const scenario = loadScenario(args);
      this.scenario = scenario;
      this.args = args;
      this.listings = new Listings(scenario.kernel);
      this.kernelSource = this.sourceFor(args, scenario.kernel);
      this.runtime = new Runtime(scenario);
      this.runtime.hooks = {
        onFrame: (time, dev, dir, bytes, packet, index) => {
          // A long run sends its first frames as events and the rest on request (kpath/frames).
          if (this.frameEvents++ >= FRAME_EVENT_LIMIT) {
            this.framesOmitted++;
            return;
          }
          const f = { time, dev, dir, bytes, packet };
          // With its layers: a client keeps what it needs to show the frame after the run ends.
          this.sendEvent(new Event('kpath/frame', { ...frameBody(f, index), layers: frameDetail(f, index).layers }));
        },
        onDrop: (drop, index) => {
          if (this.dropEvents++ < DROP_EVENT_LIMIT) this.sendEvent(new Event('kpath/drop', dropBody(drop, index)));
        },
        onProgress: (calls, total) => this.progress(calls, total),
        onTrace: args.trace ? (line) => {
          // At most LIMITS.consoleLines trace lines between two stops (report() says how many more).
          if (this.traceLines++ < LIMITS.consoleLines) this.sendEvent(new OutputEvent(line + '\n', 'console'));
        } : undefined,
      };
      this.applyBreakpoints();
    } catch (e) {
      // A launch that fails leaves the session as it was.
      ({ scenario: this.scenario, args: this.args, listings: this.listings, kernelSource: this.kernelSource, runtime: this.runtime } = before);
      throw e;
    }
  }

  /** The view of the launch's kernelSource: the one already loaded if the tree and profile are the same. */
  private sourceFor(args: LaunchArguments, profile: Scenario['kernel']): KernelSourceView | null {
    if (args.kernelSource === undefined || args.kernelSource === null || args.kernelSource === '') return null;
    if (typeof args.kernelSource !== 'string') throw new ErrorResponse(l10n.t('kernelSource must be the path of a Linux source tree'));
    const old = this.kernelSource;
    if (old && old.profile === profile && old.root === resolveTreePath(args.kernelSource)) return old;
    const view = new KernelSourceView(args.kernelSource, profile, (text, data) => this.sendEvent(new OutputEvent(text + '\n', 'kpath', data)));
    void view.ready.then(() => this.sourceLoaded(view)).catch((e: unknown) => this.sendEvent(new OutputEvent(`kpath: ${messageOf(e)}\n`, 'stderr')));
    return view;
  }

  /** Breakpoints set before the scenario was known are verified now: tell the client. */
  private announceBreakpoints(): void {
    for (const [path, list] of this.pendingStepBps) {
      const resolved = this.resolveStepBreakpoints(path, list);
      for (const b of resolved) this.sendEvent(new BreakpointEvent('changed', b));
    }
    for (const b of this.resolveFunctionBreakpoints()) this.sendEvent(new BreakpointEvent('changed', b.dap));
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    if (!args.source || typeof args.source !== 'object') return this.fail(response, l10n.t('setBreakpoints needs a source'));
    if (args.breakpoints !== undefined && !Array.isArray(args.breakpoints)) return this.fail(response, l10n.t('{0}: {1} must be an array', 'setBreakpoints', 'breakpoints'));
    if (args.lines !== undefined && !Array.isArray(args.lines)) return this.fail(response, l10n.t('{0}: {1} must be an array', 'setBreakpoints', 'lines'));
    if (args.source.path !== undefined && typeof args.source.path !== 'string') return this.fail(response, l10n.t('{0}: {1} must be a string', 'setBreakpoints', 'source.path'));
    const path = args.source.path ?? '';
    const bps = (args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }))).map((bp) => ({ id: this.nextBpId++, bp }));
    if (bps.some((b) => typeof b.bp?.line !== 'number')) return this.fail(response, l10n.t('setBreakpoints: every breakpoint needs a line number'));
    const text = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
    if (bps.some(({ bp }) => { const b = bp as DebugProtocol.SourceBreakpoint; return !text(b.condition) || !text(b.hitCondition) || !text(b.logMessage); })) {
      return this.fail(response, l10n.t('{0}: {1} must be strings', 'setBreakpoints', 'condition, hitCondition and logMessage'));
    }
    response.body = { breakpoints: this.resolveStepBreakpoints(path, bps) };
    this.pendingStepBps.set(path, bps);
    this.applyBreakpoints();
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    if (!Array.isArray(args?.breakpoints)) return this.fail(response, l10n.t('setFunctionBreakpoints needs a breakpoints array'));
    if (args.breakpoints.some((b) => typeof b?.name !== 'string')) return this.fail(response, l10n.t('setFunctionBreakpoints: every breakpoint needs a name'));
    const text = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
    if (args.breakpoints.some((b) => !text(b.condition) || !text(b.hitCondition))) return this.fail(response, l10n.t('{0}: {1} must be strings', 'setFunctionBreakpoints', 'condition and hitCondition'));
    this.pendingFnBps = args.breakpoints.map((bp) => ({ id: this.nextBpId++, bp }));
    response.body = { breakpoints: this.resolveFunctionBreakpoints().map((b) => b.dap) };
    this.applyBreakpoints();
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    if (args.filters !== undefined && !Array.isArray(args.filters)) return this.fail(response, l10n.t('{0}: {1} must be an array', 'setExceptionBreakpoints', 'filters'));
    if (args.filterOptions !== undefined && !Array.isArray(args.filterOptions)) return this.fail(response, l10n.t('{0}: {1} must be an array', 'setExceptionBreakpoints', 'filterOptions'));
    const known = new Set(exceptionFilters().map((f) => f.filter));
    const filters: ExceptionFilter[] = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const f of args.filters ?? []) {
      out.push({ verified: known.has(f), message: known.has(f) ? undefined : l10n.t('unknown exception filter {0}', f) });
      if (known.has(f)) filters.push({ kind: f as ExceptionKind });
    }
    for (const o of args.filterOptions ?? []) {
      const ok = known.has(o.filterId);
      let message: string | undefined = ok ? undefined : l10n.t('unknown exception filter {0}', o.filterId);
      if (ok && o.condition) {
        try {
          evaluateCheck(o.condition);
        } catch (e) {
          message = messageOf(e);
        }
      }
      out.push({ verified: ok && !message, message });
      if (ok && !message) filters.push({ kind: o.filterId as ExceptionKind, condition: o.condition || undefined });
    }
    this.pendingFilters = filters;
    this.applyBreakpoints();
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(TASK_THREAD, l10n.t('task (socket calls)')), new Thread(SOFTIRQ_THREAD, l10n.t('softirq (timers, receive)'))] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const stop = this.runtime?.current;
    const frames: StackFrame[] = [];
    if (stop && threadOf(stop) === args.threadId) {
      stop.frames.forEach((f, index) => {
        // The innermost frame is at its step point; each caller is at the call it is waiting in.
        // The real file where the step point maps to a line, else the model listing.
        const src = this.kernelSource;
        const pos = index === 0
          ? src?.position(f.fn, f.step, f.locals) ?? this.listings!.position(f.fn, f.step)
          : src?.callPosition(f.fn, f.step, stop.frames[index - 1].fn, f.locals) ?? this.listings!.callPosition(f.fn, f.step, stop.frames[index - 1].fn);
        const id = this.frameHandles.create({ stop, index });
        const sf = new StackFrame(id, f.fn, pos ? new Source(pos.name, pos.path) : undefined, pos?.line ?? 0, 1);
        if (!pos) sf.presentationHint = 'subtle';
        frames.push(sf);
      });
    }
    const start = args.startFrame ?? 0;
    const levels = args.levels || frames.length;
    response.body = { stackFrames: frames.slice(start, start + levels), totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const h = this.frameHandles.get(args.frameId);
    if (!h) return this.fail(response, l10n.t('no frame {0}', args.frameId));
    response.body = { scopes: this.vars.scopes(h.stop, h.index).map((s) => new Scope(s.name, s.ref, s.expensive)) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const list = this.vars.children(args.variablesReference);
    if (!list) return this.fail(response, l10n.t('no variables {0}', args.variablesReference));
    const start = args.start ?? 0;
    response.body = { variables: args.count ? list.slice(start, start + args.count) : list.slice(start) };
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    try {
      const rt = this.mustRuntime();
      const v = this.vars.setVariable(rt, args.variablesReference, args.name, args.value);
      response.body = { value: v };
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, messageOf(e));
    }
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    if (typeof args?.expression !== 'string') return this.fail(response, l10n.t('evaluate needs an expression'));
    const rt = this.runtime;
    if (!rt || !rt.current) return this.fail(response, l10n.t('not stopped: nothing to evaluate'));
    const h = args.frameId !== undefined ? this.frameHandles.get(args.frameId) : undefined;
    try {
      const v: Value = evaluate(args.expression, rt.env(h?.index ?? 0));
      response.body = { result: formatValue(v), variablesReference: this.vars.reference(v), memoryReference: this.vars.memoryReference(v) };
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, messageOf(e));
    }
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    if (typeof args.text !== 'string') return this.fail(response, l10n.t('completions needs the text typed so far'));
    const rt = this.runtime;
    const h = args.frameId !== undefined ? this.frameHandles.get(args.frameId) : undefined;
    const base = this.clientColumnsStartAt1 ? 1 : 0;
    const items = rt?.current && typeof args.text === 'string' ? complete(args.text, (args.column ?? base) - base, rt.env(h?.index ?? 0)) : [];
    response.body = { targets: items.map((i) => ({ label: i.label, type: i.type === 'field' ? 'field' : i.type, start: i.start + base, length: i.length })) };
    this.sendResponse(response);
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const bytes = this.vars.memory(args.memoryReference);
    if (!bytes) return this.fail(response, l10n.t('no memory at {0}', args.memoryReference));
    const offset = args.offset ?? 0;
    const count = Math.max(0, Math.min(args.count ?? 0, bytes.length - offset));
    if (offset < 0 || offset > bytes.length) {
      response.body = { address: args.memoryReference, unreadableBytes: args.count ?? 0 };
    } else {
      response.body = { address: `${args.memoryReference}+${offset}`, data: Buffer.from(bytes.subarray(offset, offset + count)).toString('base64'), unreadableBytes: (args.count ?? 0) - count };
    }
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    void this.execAsync(response, (rt) => rt.continueAsync(), { allThreadsContinued: true });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.exec(response, (rt) => rt.next());
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.exec(response, (rt) => rt.stepIn(args?.targetId));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.exec(response, (rt) => rt.stepOut());
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.exec(response, (rt) => rt.stepBack());
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.exec(response, (rt) => rt.reverseContinue());
  }

  protected override stepInTargetsRequest(response: DebugProtocol.StepInTargetsResponse): void {
    const rt = this.runtime;
    response.body = { targets: rt ? rt.stepInTargets().map((t) => ({ id: t.call, label: t.fn })) : [] };
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    const rt = this.runtime;
    // A run going on stops at its next step point (its report sends the stop); otherwise the
    // debuggee is stopped already.
    if (rt?.busy) return rt.pause();
    const stop = rt?.current;
    if (stop) this.sendEvent(new StoppedEvent('pause', threadOf(stop)));
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
    const next = args?.arguments as LaunchArguments | undefined;
    if (next) {
      // New launch arguments (or a changed scenario file): start over from them; knob changes
      // belonged to the old run and are dropped with it.
      try {
        await this.runtime?.cancel();
        this.setup(next);
        await this.waitForSource();
      } catch (e) {
        return this.fail(response, messageOf(e));
      }
    }
    await this.runtime?.cancel();
    await this.execAsync(response, (rt) => rt.startAsync(!!this.args?.stopOnEntry), undefined, true);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.runtime?.current;
    if (!stop?.exception) return this.fail(response, l10n.t('not stopped on an exception'));
    const { kind, detail } = stop.exception;
    response.body = {
      exceptionId: kind,
      description: describeException(kind, detail),
      breakMode: 'always',
      details: { message: describeException(kind, detail), typeName: kind, stackTrace: stop.frames.map((f) => f.fn).join('\n') },
    };
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.runtime?.cancel();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    void this.runtime?.cancel();
    this.runtime = null;
    this.sendResponse(response);
    this.shutdown();
  }

  /** Requests the adapter does not know get an error response, never silence. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    // Requests without arguments reach the handlers with an empty object, so that they answer
    // with a readable error instead of a JavaScript exception.
    if (request.arguments === undefined || request.arguments === null || typeof request.arguments !== 'object') request.arguments = {};
    try {
      super.dispatchRequest(request);
    } catch (e) {
      const response: DebugProtocol.Response = { type: 'response', seq: 0, request_seq: request.seq, command: request.command, success: false };
      this.fail(response, messageOf(e));
    }
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    // Own entries only: "constructor" or "toString" name no request.
    const handler = Object.hasOwn(CUSTOM_REQUESTS, command) ? CUSTOM_REQUESTS[command] : undefined;
    if (!handler) return this.fail(response, l10n.t('unknown request "{0}"', command));
    try {
      response.body = handler(this, (args && typeof args === 'object' ? args : {}) as Record<string, unknown>);
    } catch (e) {
      return this.fail(response, messageOf(e));
    }
    this.sendResponse(response);
  }

  frameIndex(frameId: number): number | undefined {
    const h = this.frameHandles.get(frameId);
    return h && h.stop === this.runtime?.current ? h.index : undefined;
  }

  // --- helpers -------------------------------------------------------------------------------

  private mustRuntime(): Runtime {
    if (!this.runtime) throw new ErrorResponse(l10n.t('no scenario is running (launch first)'));
    return this.runtime;
  }

  private exec(response: DebugProtocol.Response, f: (rt: Runtime) => StopResult, body?: object, allowEnded = false): void {
    let r: StopResult;
    let rt: Runtime;
    try {
      rt = this.mustRuntime();
      if (rt.ended && !allowEnded) throw new ErrorResponse(l10n.t('the scenario has run to its end; restart to run it again'));
      if (rt.busy) throw new ErrorResponse(l10n.t('the scenario is running: pause it first'));
      r = f(rt);
    } catch (e) {
      if (e instanceof LimitError) {
        // The position is unchanged: say why in the debug console as well as in the response.
        this.sendEvent(new OutputEvent(`kpath: ${e.message}\n`, 'stderr'));
      }
      return this.fail(response, messageOf(e));
    }
    if (body) response.body = body;
    // On stdio the response and the events of the stop leave in one write (stdio.ts).
    this.sendResponse(response);
    this.report(r, false);
  }

  /**
   * A request that may run long (continue, restart): answered at once, run in slices so that
   * pause, disconnect and progress are served meanwhile; the stop is reported when it comes.
   */
  private async execAsync(response: DebugProtocol.Response, f: (rt: Runtime) => Promise<StopResult>, body?: object, allowEnded = false): Promise<void> {
    let p: Promise<StopResult>;
    let rt: Runtime;
    try {
      rt = this.mustRuntime();
      if (rt.ended && !allowEnded) throw new ErrorResponse('the scenario has run to its end; restart to run it again');
      if (rt.busy) throw new ErrorResponse('the scenario is running: pause it first');
      p = f(rt);
    } catch (e) {
      return this.fail(response, messageOf(e));
    }
    if (body) response.body = body;
    this.sendResponse(response);
    try {
      const r = await p;
      if (rt === this.runtime) this.report(r, false);
    } catch (e) {
      if (e instanceof RunCancelled || rt !== this.runtime) return;
      this.runFailed(rt, e);
    }
  }

  /**
   * A run that stopped on an error (a limit): the message in the debug console, and the client
   * shown the position the run started from (or the session ends if there is none).
   */
  private runFailed(rt: Runtime, e: unknown): void {
    if (this.progressId !== null) {
      this.sendEvent(new ProgressEndEvent(this.progressId));
      this.progressId = null;
    }
    this.sendEvent(new OutputEvent(`kpath: ${messageOf(e)}\n`, 'stderr'));
    const stop = rt.current;
    if (!stop) return void this.sendEvent(new TerminatedEvent());
    const ev = new StoppedEvent('exception', threadOf(stop), messageOf(e)) as DebugProtocol.StoppedEvent;
    ev.body.allThreadsStopped = true;
    ev.body.description = messageOf(e);
    this.sendEvent(ev);
  }

  /**
   * A long run has made `calls` of its `total` socket calls: open or update the client's progress
   * notification (closed by report(), when the run stops).
   */
  private progress(calls: number, total: number): void {
    if (!this.clientProgress) return;
    const percentage = total > 0 ? Math.min(100, Math.floor((calls * 100) / total)) : undefined;
    const message = l10n.t('{0} of {1} socket calls', calls.toLocaleString('en-US'), total.toLocaleString('en-US'));
    if (this.progressId === null) {
      this.progressId = `kpath-run-${++this.progressSeq}`;
      const ev: DebugProtocol.ProgressStartEvent = new ProgressStartEvent(this.progressId, l10n.t('kpath: running the scenario'), message);
      ev.body.percentage = percentage;
      ev.body.cancellable = false;
      this.sendEvent(ev);
    } else {
      const ev: DebugProtocol.ProgressUpdateEvent = new ProgressUpdateEvent(this.progressId, message);
      ev.body.percentage = percentage;
      this.sendEvent(ev);
    }
  }

  /** Frame events sent during the run going on, and frames past the limit not sent; drop events sent. */
  private frameEvents = 0;
  private framesOmitted = 0;
  private dropEvents = 0;
  private traceLines = 0;

  /** Sends what a stop (or the end) means to the client. */
  private report(r: StopResult, first: boolean): void {
    if (this.progressId !== null) {
      this.sendEvent(new ProgressEndEvent(this.progressId));
      this.progressId = null;
    }
    if (this.framesOmitted) {
      const frameCount = r.stop ? r.stop.frameCount : this.runtime!.frames(0, 0).total;
      this.sendEvent(new Event('kpath/framesOmitted', { count: this.framesOmitted, first: frameCount - this.framesOmitted, frameCount }));
    }
    if (this.traceLines > LIMITS.consoleLines) {
      this.sendEvent(new OutputEvent(`kpath: ${l10n.t('{0} more trace lines not shown (at most {1} between two stops)', this.traceLines - LIMITS.consoleLines, LIMITS.consoleLines)}\n`, 'console'));
    }
    this.frameEvents = 0;
    this.framesOmitted = 0;
    this.dropEvents = 0;
    this.traceLines = 0;
    for (const line of r.output) this.sendEvent(new OutputEvent(line + '\n', 'console'));
    this.vars.reset();
    this.frameHandles.reset();
    const stop = r.stop;
    if (!stop) {
      // What the run put on the wire and dropped in all: the client can no longer ask once it has ended.
      const rt = this.runtime!;
      this.sendEvent(new Event('kpath/ended', { frameCount: rt.frames(0, 0).total, dropCount: rt.drops(0, 0).total }));
      for (const line of this.endOfRun()) this.sendEvent(new OutputEvent(line + '\n', 'console'));
      this.sendEvent(new ExitedEvent(0));
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.sendEvent(new Event('kpath/position', { step: stop.step, time: stop.time, frameCount: stop.frameCount, dropCount: stop.dropCount, context: stop.context, event: stop.event, function: stop.frames[0]?.fn ?? null }));
    const reason = stop.exception ? 'exception' : r.reason;
    const ev = new StoppedEvent(reason, threadOf(stop), stop.exception ? describeException(stop.exception.kind, stop.exception.detail) : undefined) as DebugProtocol.StoppedEvent;
    ev.body.allThreadsStopped = true;
    if (r.hitBreakpointIds.length) ev.body.hitBreakpointIds = r.hitBreakpointIds;
    ev.body.description = describeStop(stop, reason, first);
    this.sendEvent(ev);
    const after = this.afterFirstStop;
    if (after) {
      this.afterFirstStop = null;
      setImmediate(after);
    }
  }

  /** What the debug console shows when a run ends: the frames it put on the wire, as a table. */
  private endOfRun(): string[] {
    const { frames, total } = this.runtime!.frames(0, END_REPORT_FRAMES);
    const lines = [total === 0 ? l10n.t('kpath: the run ended with {0} frames on the wire.', total)
      : total === 1 ? l10n.t('kpath: the run ended with 1 frame on the wire:') : l10n.t('kpath: the run ended with {0} frames on the wire:', total)];
    if (!total) return lines;
    lines.push(frameTableHeader());
    const columns = frameWidths();
    frames.forEach((f, i) => lines.push(frameLine(frameRecord(f, i), columns)));
    if (total > frames.length) lines.push(`  ${l10n.t('... and {0} more (the kpath/frames request pages through them all)', total - frames.length)}`);
    return lines;
  }

  private fail(response: DebugProtocol.Response, message: string): void {
    // The message goes in as a variable: DAP formats treat {name} as a placeholder.
    this.sendErrorResponse(response, { id: 1002, format: '{_message}', variables: { _message: message }, showUser: false });
  }

  private resolveStepBreakpoints(path: string, bps: { id: number; bp: DebugProtocol.SourceBreakpoint }[]): DebugProtocol.Breakpoint[] {
    return bps.map(({ id, bp }) => {
      if (!this.listings) return { id, verified: false, line: bp.line, message: l10n.t('the scenario has not been launched yet') };
      const r = this.resolveLine(path, bp.line);
      const problem = conditionProblem(bp.condition) ?? hitProblem(bp.hitCondition);
      if (problem) return { id, verified: false, line: bp.line, message: problem };
      return r.steps.length ? { id, verified: true, line: bp.line } : { id, verified: false, line: bp.line, message: r.message };
    });
  }

  /** The step points of a line: in a file of the kernel source, or in a model listing. */
  private resolveLine(path: string, line: number): { steps: { fn: string; step: string }[]; condition?: string; message?: string } {
    if (this.kernelSource?.covers(path)) return this.kernelSource.resolve(path, line);
    return this.listings!.resolve(path, line);
  }

  private resolveFunctionBreakpoints(): { dap: DebugProtocol.Breakpoint; id: number; bp: DebugProtocol.FunctionBreakpoint }[] {
    const profile = this.scenario?.kernel ?? this.args?.kernel ?? '6.18';
    return this.pendingFnBps.map(({ id, bp }) => {
      const f = findFunction(bp.name);
      let message: string | undefined;
      if (!f) message = l10n.t('{0} is not a modeled function', bp.name);
      else if (this.scenario && !f.profiles.includes(profile)) message = l10n.t('{0} is not on the {1} path (it runs in {2})', bp.name, profile, f.profiles.join(', '));
      message = message ?? conditionProblem(bp.condition) ?? hitProblem(bp.hitCondition);
      const pos = f && this.listings ? this.kernelSource?.position(bp.name, 'enter') ?? this.listings.locate(bp.name) : undefined;
      return { id, bp, dap: { id, verified: !message, message, source: pos ? new Source(pos.name, pos.path) : undefined, line: pos?.line } };
    });
  }

  /** Hands the verified breakpoints to the runtime. */
  private applyBreakpoints(): void {
    const rt = this.runtime;
    if (!rt || !this.listings) return;
    if (this.args?.noDebug) {
      rt.setFunctionBreakpoints([]);
      rt.setStepBreakpoints([]);
      rt.setExceptionFilters([]);
      return;
    }
    const fns = this.resolveFunctionBreakpoints().filter((b) => b.dap.verified);
    rt.setFunctionBreakpoints(fns.map((b) => ({ id: b.id, name: b.bp.name, condition: b.bp.condition || undefined, hitCondition: b.bp.hitCondition || undefined })));
    const steps = [];
    for (const [path, bps] of this.pendingStepBps) {
      for (const { id, bp } of bps) {
        if (conditionProblem(bp.condition) ?? hitProblem(bp.hitCondition)) continue;
        const r = this.resolveLine(path, bp.line);
        if (!r.steps.length) continue;
        // A line of a per-case step point (nud_state = NUD_DELAY) stops only in its case.
        const condition = r.condition && bp.condition ? `(${r.condition}) && (${bp.condition})` : r.condition ?? (bp.condition || undefined);
        steps.push({ id, steps: r.steps, condition, hitCondition: bp.hitCondition || undefined, logMessage: bp.logMessage });
      }
    }
    rt.setStepBreakpoints(steps);
    rt.setExceptionFilters(this.pendingFilters);
  }
}

function loadScenario(args: LaunchArguments): Scenario {
  if (!args || (typeof args.scenario !== 'string' && (typeof args.scenario !== 'object' || args.scenario === null))) {
    throw new ErrorResponse(l10n.t('launch needs "scenario": a .kpath file or a scenario object'));
  }
  let s: Scenario;
  if (typeof args.scenario === 'string') {
    let text: string;
    try {
      text = fs.readFileSync(args.scenario, 'utf8');
    } catch (e) {
      throw new ErrorResponse(l10n.t('cannot read {0}: {1}', args.scenario, (e as NodeJS.ErrnoException).code ?? messageOf(e)));
    }
    s = parseScenario(text, args.scenario);
  } else {
    s = validateScenario(args.scenario, '<inline>');
  }
  if (args.kernel !== undefined) {
    if (args.kernel !== '6.18' && args.kernel !== '4.9') throw new ErrorResponse(l10n.t('kernel must be "6.18" or "4.9", not {0}', JSON.stringify(args.kernel)));
    s.kernel = args.kernel;
  }
  if (args.knobs !== undefined) {
    if (!Array.isArray(args.knobs) || args.knobs.some((k) => typeof k !== 'string')) throw new ErrorResponse(l10n.t('knobs must be an array of strings, e.g. {0}', '["link veth0 mtu 576"]'));
    try {
      s = applyKnobTexts(s, args.knobs);
    } catch (e) {
      if (e instanceof KnobError) throw new ErrorResponse(e.message);
      throw e;
    }
  }
  return s;
}

function describeException(kind: ExceptionKind, d: Record<string, unknown>): string {
  switch (kind) {
    case 'drop': return l10n.t('packet #{0} dropped in {1}: {2}', String(d.packet), String(d.function), String(d.reason));
    case 'icmp': return l10n.t('ICMP error type {0} code {1} to {2} about packet #{3}', String(d.type), String(d.code), String(d.to), String(d.packet));
    case 'neigh-failed': return l10n.t('neighbour {0} on {1} FAILED with {2} packets queued', String(d.neigh), String(d.dev), String(d.queued));
    case 'nf-drop': return l10n.t('netfilter DROP of packet #{0} by "{1}"', String(d.packet), String(d.rule));
  }
}

function describeStop(stop: Stop, reason: string, first: boolean): string {
  const f = stop.frames[0];
  const where = f ? `${f.fn}${f.step !== 'enter' && f.step !== 'leave' ? ' (' + f.step + ')' : f.step === 'leave' ? ` (${l10n.t('return')})` : ''}` : stop.event;
  return l10n.t('{0} at {1}, t={2} ms', first && reason === 'entry' ? l10n.t('Paused on entry') : reasonText(reason), where, (stop.time / 1e6).toFixed(6));
}

/** A stop's reason in words. */
function reasonText(reason: string): string {
  switch (reason) {
    case 'step': return l10n.t('step');
    case 'breakpoint': return l10n.t('breakpoint');
    case 'function breakpoint': return l10n.t('function breakpoint');
    case 'exception': return l10n.t('exception');
    case 'pause': return l10n.t('pause');
    case 'entry': return l10n.t('entry');
    case 'goto': return l10n.t('goto');
    default: return reason;
  }
}

function conditionProblem(cond: string | undefined): string | undefined {
  if (!cond) return undefined;
  try {
    evaluateCheck(cond);
    return undefined;
  } catch (e) {
    return messageOf(e);
  }
}

function hitProblem(cond: string | undefined): string | undefined {
  if (!cond) return undefined;
  try {
    checkHitCondition(cond, 1);
    return undefined;
  } catch (e) {
    return l10n.t('hit count "{0}": {1}', cond, messageOf(e));
  }
}

/** Parses a condition without evaluating it (names are known only at a stop). */
function evaluateCheck(cond: string): void {
  parseExpr(cond);
}

function messageOf(e: unknown): string {
  if (e instanceof ScenarioError || e instanceof ExprError || e instanceof ErrorResponse) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** How long the first stop waits for a kernel source's mapping that is not cached (a worker parses the tree). */
const SOURCE_WAIT_MS = 100;

/** At most this many frames in the table printed when a run ends. */
const END_REPORT_FRAMES = 1000;
