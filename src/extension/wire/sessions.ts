// The kpath debug sessions as the Wire view follows them: a tracker on each sees the adapter's
// events (each stop's position, frames and drops announced during a run, the end) and the stack
// frames VS Code fetched (to focus the one that holds a packet). The view shows the active kpath
// session, or the last one after it has ended.

import vscode = require('vscode');
import { WireModel, FrameEvent, DropEvent } from './model';

/** One kpath session and what the Wire view knows of it. */
export class WireSession {
  readonly model: WireModel;
  /** VS Code's stack frame ids by thread, innermost first, for the current stop. */
  readonly stacks = new Map<number, number[]>();
  private readonly stackRequests = new Map<number, { threadId: number; startFrame: number }>();
  /** Stopped (not running, not ended). */
  stopped = false;
  /** The launch's scenario (a file name, or an inline scenario's name), for the pcap's default name. */
  scenario = '';

  constructor(readonly session: vscode.DebugSession) {
    this.model = new WireModel((command, args) => Promise.resolve(session.customRequest(command, args)));
    const s = session.configuration.scenario;
    this.scenario = typeof s === 'string' ? s : '';
  }

  /** A message VS Code sends the adapter. */
  toAdapter(m: { type?: string; command?: string; seq?: number; arguments?: { threadId?: number; startFrame?: number } }): boolean {
    if (m.type !== 'request') return false;
    if (m.command === 'stackTrace' && m.seq !== undefined) {
      this.stackRequests.set(m.seq, { threadId: m.arguments?.threadId ?? 0, startFrame: m.arguments?.startFrame ?? 0 });
    } else if (m.command === 'restart') {
      this.model.reset();
      return true;
    }
    return false;
  }

  /** A message the adapter sends VS Code; true when what the view shows changed. */
  fromAdapter(m: { type?: string; event?: string; command?: string; request_seq?: number; success?: boolean; body?: Record<string, unknown> }): boolean {
    if (m.type === 'response' && m.command === 'stackTrace') {
      const req = this.stackRequests.get(m.request_seq ?? -1);
      this.stackRequests.delete(m.request_seq ?? -1);
      const frames = (m.body?.stackFrames ?? []) as { id: number }[];
      if (req && m.success) {
        const ids = this.stacks.get(req.threadId) ?? [];
        frames.forEach((f, i) => (ids[req.startFrame + i] = f.id));
        this.stacks.set(req.threadId, ids);
      }
      return false;
    }
    if (m.type !== 'event') return false;
    const b = m.body ?? {};
    switch (m.event) {
      case 'kpath/frame':
        this.model.frameEvent(b as unknown as FrameEvent);
        return false;
      case 'kpath/drop':
        this.model.dropEvent(b as unknown as DropEvent);
        return false;
      case 'kpath/position':
        this.stopped = true;
        this.model.position(b.frameCount as number, b.dropCount as number, b.time as number, b.step as number);
        return true;
      case 'kpath/ended':
        this.stopped = false;
        this.model.end(b.frameCount as number, b.dropCount as number, this.model.time);
        return true;
      case 'stopped':
        this.stacks.clear();
        return false;
      case 'continued':
        this.stopped = false;
        this.stacks.clear();
        return false;
      default:
        return false;
    }
  }

  /** The session is over. */
  end(): void {
    this.stopped = false;
    this.stacks.clear();
    this.model.detach();
  }
}

export class WireSessions implements vscode.DebugAdapterTrackerFactory, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** What the view shows changed (a stop, the end, another session). */
  readonly onDidChange = this.changed.event;
  private readonly byId = new Map<string, WireSession>();
  private last: WireSession | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      this.changed,
      vscode.debug.onDidTerminateDebugSession((s) => {
        const ws = this.byId.get(s.id);
        if (!ws) return;
        this.byId.delete(s.id);
        ws.end();
        this.changed.fire();
      }),
      vscode.debug.onDidChangeActiveDebugSession((s) => {
        const ws = s && this.byId.get(s.id);
        if (ws && ws !== this.last) {
          this.last = ws;
          this.changed.fire();
        }
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        // Another debugger's session: the Wire view (and the last capture) go away.
        if (s.type !== 'kpath') void vscode.commands.executeCommand('setContext', 'kpath.wireShown', false);
      }),
    );
  }

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const ws = new WireSession(session);
    this.byId.set(session.id, ws);
    this.last = ws;
    void vscode.commands.executeCommand('setContext', 'kpath.wireShown', true);
    this.changed.fire();
    return {
      onWillReceiveMessage: (m: unknown) => {
        if (ws.toAdapter(m as Parameters<WireSession['toAdapter']>[0])) this.changed.fire();
      },
      onDidSendMessage: (m: unknown) => {
        if (ws.fromAdapter(m as Parameters<WireSession['fromAdapter']>[0])) this.changed.fire();
      },
    };
  }

  /** The session the view shows: the active kpath session, or the last one (ended or not). */
  get shown(): WireSession | null {
    const active = vscode.debug.activeDebugSession;
    return (active && this.byId.get(active.id)) ?? this.last;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
