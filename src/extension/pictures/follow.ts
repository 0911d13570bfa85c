// Which kpath stop the pictures show: the active debug session's, at the stack frame selected in
// the Call Stack. A tracker on each kpath session's messages tells whether it is stopped (a stopped
// event) or running (a request that runs it, a continued event); the active session and the
// selected frame come from VS Code's events. Every change fires onDidChange.

import vscode = require('vscode');

/** What the pictures can show now. */
export type Target =
  | { kind: 'none' }
  | { kind: 'running'; session: vscode.DebugSession }
  | { kind: 'stopped'; session: vscode.DebugSession; frameId: number | undefined; run: number };

/** Requests after which the debuggee runs until its next stop. */
const RUNS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restart', 'goto']);

export class DebugFollower implements vscode.Disposable {
  /** The kpath sessions that are stopped, by id. */
  private readonly stopped = new Set<string>();
  /** How many times each session restarted, by id. */
  private readonly runs = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fired when the target may have changed: a stop, a run, another session or frame. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    const set = (session: vscode.DebugSession, stopped: boolean): void => {
      if (stopped) this.stopped.add(session.id);
      else if (!this.stopped.delete(session.id)) return;
      this.emitter.fire();
    };
    this.disposables.push(
      this.emitter,
      vscode.debug.registerDebugAdapterTrackerFactory('kpath', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type?: string; event?: string }) => {
            if (m.type !== 'event') return;
            if (m.event === 'stopped') set(session, true);
            else if (m.event === 'continued' || m.event === 'terminated' || m.event === 'exited') set(session, false);
          },
          onWillReceiveMessage: (m: { type?: string; command?: string }) => {
            if (m.type !== 'request' || !m.command || !RUNS.has(m.command)) return;
            if (m.command === 'restart') this.runs.set(session.id, (this.runs.get(session.id) ?? 0) + 1);
            set(session, false);
          },
          onExit: () => {
            this.runs.delete(session.id);
            set(session, false);
          },
        }),
      }),
      vscode.debug.onDidChangeActiveStackItem(() => this.emitter.fire()),
      vscode.debug.onDidChangeActiveDebugSession(() => this.emitter.fire()),
      vscode.debug.onDidTerminateDebugSession((s) => set(s, false)),
    );
  }

  target(): Target {
    const session = vscode.debug.activeDebugSession;
    if (!session || session.type !== 'kpath') return { kind: 'none' };
    if (!this.stopped.has(session.id)) return { kind: 'running', session };
    const item = vscode.debug.activeStackItem;
    const frameId = item instanceof vscode.DebugStackFrame && item.session.id === session.id ? item.frameId : undefined;
    return { kind: 'stopped', session, frameId, run: this.runs.get(session.id) ?? 0 };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
