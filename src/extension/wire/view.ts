// The Wire view (kpath.wire in Run and Debug): the webview's page asks for the rows in view and
// for the details of the frames it opens; this side answers from the session's WireModel, and
// when a row is selected, finds the packet that carried it at the current stop and focuses the
// stack frame that holds it, so that Variables shows that sk_buff.

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { FromWebview, ToWebview, WireRow, WireState, WireStrings, ByteRange } from '../webview/protocol';
import { webviewHtml, webviewOptions } from '../html';
import type { WireSession, WireSessions } from './sessions';
import { focusStackFrame } from './focus';

/** What is selected in the view, for the frame bytes view. */
export interface WireSelection {
  session: WireSession;
  row: WireRow;
  field: ByteRange | null;
  label: string;
}

/** How long a selection must stay before the call stack follows it (arrowing through rows does not). */
const REVEAL_DELAY_MS = 250;

export class WireView implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly id = 'kpath.wire';
  private view: vscode.WebviewView | null = null;
  private shownSession: WireSession | null = null;
  private shownGeneration = -1;
  /** The generation the page speaks of: changes with the model's, and with the session shown. */
  private generation = 0;
  selection: WireSelection | null = null;
  private readonly selectionChanged = new vscode.EventEmitter<WireSelection | null>();
  readonly onDidChangeSelection = this.selectionChanged.event;
  private revealTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly sessions: WireSessions) {
    this.subscriptions.push(sessions.onDidChange(() => this.postState()), this.selectionChanged);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, { script: 'wire-view.js', style: 'wire.css', title: l10n.t('Wire'), data: strings() });
    this.shownGeneration = -1;
    view.webview.onDidReceiveMessage((m: FromWebview) => void this.receive(m));
    view.onDidDispose(() => {
      if (this.view === view) this.view = null;
    });
  }

  /** The session shown, when it can still be asked. */
  get liveSession(): WireSession | null {
    const s = this.sessions.shown;
    return s && s.model.live ? s : null;
  }

  /** Selects in the view the field of frame `frame` that holds byte `offset` (a click in the hex view). */
  pick(frame: number, offset: number): void {
    this.post({ type: 'pick', frame, offset });
  }

  dispose(): void {
    clearTimeout(this.revealTimer);
    for (const d of this.subscriptions) d.dispose();
  }

  private post(m: ToWebview): void {
    void this.view?.webview.postMessage(m);
  }

  private postState(): void {
    if (!this.view) return;
    const s = this.sessions.shown;
    const model = s?.model;
    if (s !== this.shownSession || (model && model.generation !== this.shownGeneration)) {
      const sameSession = s === this.shownSession;
      this.shownSession = s;
      this.shownGeneration = model?.generation ?? -1;
      this.generation++;
      if (!sameSession) this.setSelection(null);
      else if (this.selection && model && !stillThere(this.selection.row, model.frames, model.drops)) this.setSelection(null);
      const state: WireState = {
        generation: this.generation,
        frames: model?.frames ?? 0,
        drops: model?.drops ?? 0,
        status: statusOf(s),
        ended: !!model && !model.live,
        keepFrames: sameSession ? model?.keepFrames ?? 0 : 0,
        keepRows: sameSession ? model?.keepRows ?? 0 : 0,
      };
      this.post({ type: 'state', state });
    }
  }

  private async receive(m: FromWebview): Promise<void> {
    const s = this.sessions.shown;
    switch (m.type) {
      case 'ready':
        this.shownGeneration = -1;
        this.shownSession = null;
        this.postState();
        break;
      case 'want': {
        if (!s || m.generation !== this.generation) return;
        const gen = this.generation;
        const rows = await s.model.rows(m.start, m.count);
        if (rows && gen === this.generation) this.post({ type: 'rows', generation: gen, start: m.start, rows });
        break;
      }
      case 'detail': {
        if (!s || m.generation !== this.generation) return;
        const gen = this.generation;
        const detail = await s.model.detail(m.frame);
        if (detail !== undefined && gen === this.generation) this.post({ type: 'detail', generation: gen, frame: m.frame, detail });
        break;
      }
      case 'select':
        this.setSelection(s && m.row ? { session: s, row: m.row, field: m.field, label: m.label } : null);
        clearTimeout(this.revealTimer);
        if (s && m.row) {
          const row = m.row;
          this.revealTimer = setTimeout(() => void this.reveal(s, row), REVEAL_DELAY_MS);
        } else {
          this.post({ type: 'packet', text: '' });
        }
        break;
    }
  }

  private setSelection(sel: WireSelection | null): void {
    this.selection = sel;
    this.selectionChanged.fire(sel);
  }

  /** Says where the selected row's packet is, and focuses the stack frame that holds it. */
  private async reveal(s: WireSession, row: WireRow): Promise<void> {
    const say = (text: string): void => this.post({ type: 'packet', text });
    if (!row.packet) {
      say(l10n.t('This frame came from a peer: no packet of this host carried it.'));
      return;
    }
    if (!s.model.live || !s.stopped) {
      say(l10n.t('Packet #{0}', row.packet));
      return;
    }
    let where: { stopped: boolean; threadId?: number; frame: number | null; function: string | null };
    try {
      where = (await s.session.customRequest('kpath/packet', { id: row.packet })) as typeof where;
    } catch {
      say(l10n.t('Packet #{0}', row.packet));
      return;
    }
    if (where.frame === null || where.threadId === undefined) {
      say(l10n.t('Packet #{0} is in no function on the call stack at this stop.', row.packet));
      return;
    }
    const focus = await focusStackFrame(s, where.threadId, where.frame);
    say(focus !== 'failed'
      ? l10n.t('Packet #{0} is in {1} at this stop: its sk_buff is in Variables.', row.packet, where.function ?? '')
      : l10n.t('Packet #{0} is in {1} at this stop.', row.packet, where.function ?? ''));
    // Moving the focus opened the frame's source: the keyboard comes back to the list.
    if (focus === 'moved') this.view?.show(false);
  }
}

function stillThere(row: WireRow, frames: number, drops: number): boolean {
  return row.kind === 'frame' ? row.index < frames : row.index < drops;
}

function statusOf(s: WireSession | null): string {
  if (!s) return l10n.t('No kpath session yet.');
  const m = s.model;
  const counts = l10n.t('{0} frames, {1} drops', m.frames.toLocaleString(vscode.env.language), m.drops.toLocaleString(vscode.env.language));
  if (m.ended) return `${counts} · ${l10n.t('the run has ended')}`;
  if (!m.live) return `${counts} · ${l10n.t('the session has ended')}`;
  const step = l10n.t('step {0}', m.step.toLocaleString(vscode.env.language));
  return `${counts} · ${l10n.t('t = {0} ms', (m.time / 1e6).toFixed(6))} · ${step}`;
}

function strings(): WireStrings {
  return {
    columns: [
      l10n.t('No.'), l10n.t('Time (ms)'), l10n.t('Device'), l10n.t('Direction'), l10n.t('Source'),
      l10n.t('Destination'), l10n.t('Protocol'), l10n.t('Length'), l10n.t('Info'),
    ],
    columnTips: [
      l10n.t('Frame number in the run'), l10n.t('Virtual time since the scenario started, in milliseconds'),
      l10n.t('The device the frame went through'), l10n.t('tx: sent by this host; rx: received from the wire'),
      l10n.t('Source address'), l10n.t('Destination address'), l10n.t('Protocol'),
      l10n.t('Bytes on the wire (for a drop: the length of the skb)'), l10n.t('What the frame is, as a packet analyser sums it up'),
    ],
    drop: l10n.t('drop'),
    dropInfo: l10n.t('{0} in {1} (packet #{2})'),
    loading: l10n.t('Loading…'),
    unavailable: l10n.t('Not available: the session ended before this row was shown.'),
    empty: l10n.t('No frames yet. Debug a .kpath scenario (F5): the frames its devices send and receive, and the packets it drops, appear here.'),
    noDetail: l10n.t('Details not available: the session ended before this frame was opened.'),
    problems: l10n.t('Problems'),
    list: l10n.t('Frames and drops'),
  };
}
