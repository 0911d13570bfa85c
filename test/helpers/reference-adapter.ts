// A small debug adapter for the bench's test of `--reference`: it stops on entry in its `program`,
// verifies line breakpoints, and answers what an editor asks at a stop. Run as `node` on its
// compiled file, as a reference adapter is; it serves only with KPATH_TEST_REFERENCE=1, because
// the test runner runs every file under out/test, and there it must end at once.

import { DebugSession, InitializedEvent, StoppedEvent, Thread, StackFrame, Scope, Source, Breakpoint } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

class ReferenceSession extends DebugSession {
  private program = '';
  private configured: () => void = () => {};
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = { supportsConfigurationDoneRequest: true };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured();
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & { program?: string }): Promise<void> {
    this.program = args.program ?? '';
    await this.configurationDone;
    this.sendResponse(response);
    this.sendEvent(new StoppedEvent('entry', 1));
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    response.body = { breakpoints: (args.breakpoints ?? []).map((b) => new Breakpoint(true, b.line)) };
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(1, 'main')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    response.body = { stackFrames: [new StackFrame(1, 'entry', new Source('program', this.program), 1)], totalFrames: 1 };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    response.body = { scopes: [new Scope('Locals', 1)] };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse): void {
    response.body = { variables: [{ name: 'line', value: '1', variablesReference: 0 }] };
    this.sendResponse(response);
  }
}

if (process.env.KPATH_TEST_REFERENCE === '1') DebugSession.run(ReferenceSession);
