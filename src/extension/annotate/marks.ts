// Marks on the annotated C files: a gutter mark on every step-point line, and a highlight on the
// lines the stop's packet ran (kpath/linesRun), in the listing and in the real file alike. After
// each stop the highlight follows the packet of the stop; "kpath: Show Lines Run by Packet" picks
// another packet of the run (kpath/packets). A restart, or the end of the session, clears it.

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { AnnotationStore } from './store';
import type { LinesRun, PacketItem } from '../../adapter/lines-run';

/** Requests after which the debuggee runs until its next stop. */
const RUNS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restart', 'goto']);

export class LineMarks implements vscode.Disposable {
  private readonly stepMark: vscode.TextEditorDecorationType;
  private readonly runMark: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  /** The lines shown as run, by file; null: none. */
  private run: LinesRun | null = null;
  /** Bumped at each stop, run and restart: an answer for an older one is dropped. */
  private generation = 0;
  /** A session that stopped, whose lines are yet to be asked for (once VS Code has its stack). */
  private pending: vscode.DebugSession | null = null;

  constructor(private readonly store: AnnotationStore, extensionUri: vscode.Uri) {
    this.stepMark = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'step-point.svg'),
      gutterIconSize: '60%',
    });
    this.runMark = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('kpath.linesRunBackground'),
      overviewRulerColor: new vscode.ThemeColor('kpath.linesRunBackground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.disposables.push(
      this.stepMark,
      this.runMark,
      vscode.window.onDidChangeVisibleTextEditors(() => this.paint()),
      store.onDidChange(() => this.paint()),
      vscode.debug.registerDebugAdapterTrackerFactory('kpath', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type?: string; event?: string; command?: string }) => {
            // The stack of the stop has gone to VS Code: the stop is there to ask about.
            if (m.type === 'response' && m.command === 'stackTrace' && this.pending === session) {
              this.pending = null;
              void this.follow(session, this.generation);
              return;
            }
            if (m.type !== 'event') return;
            if (m.event === 'stopped') {
              this.generation++;
              this.pending = session;
            } else if (m.event === 'terminated' || m.event === 'exited') {
              this.clear();
            }
          },
          onWillReceiveMessage: (m: { type?: string; command?: string }) => {
            if (m.type !== 'request' || !m.command || !RUNS.has(m.command)) return;
            this.generation++;
            // A restart starts the run over: nothing has run yet.
            if (m.command === 'restart') this.clear();
          },
        }),
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.type === 'kpath') this.clear();
      }),
    );
  }

  /** The lines the stop's packet ran. */
  private async follow(session: vscode.DebugSession, generation: number): Promise<void> {
    try {
      const r = (await session.customRequest('kpath/linesRun', {})) as LinesRun;
      if (generation !== this.generation) return;
      this.run = r;
      this.paint();
    } catch {
      // not stopped any more, or an adapter without the request
    }
  }

  /** "kpath: Show Lines Run by Packet": choose a packet of the run, highlight the lines it ran. */
  async choose(): Promise<void> {
    const session = this.store.session();
    if (!session) {
      void vscode.window.showErrorMessage(l10n.t('kpath: start a kpath debug session and stop it first.'));
      return;
    }
    let list: { packets: PacketItem[]; total: number; current: number | null };
    try {
      list = (await session.customRequest('kpath/packets', {})) as typeof list;
    } catch (e) {
      void vscode.window.showErrorMessage(l10n.t('kpath: {0}', (e as Error).message));
      return;
    }
    if (!list.packets.length) {
      void vscode.window.showInformationMessage(l10n.t('kpath: no packet has been made yet.'));
      return;
    }
    const items = list.packets.map((p) => ({
      label: `#${p.id}`,
      description: p.id === list.current ? l10n.t('the stop\'s packet') : undefined,
      detail: p.label || l10n.t('not on the wire (dropped, queued, or looped back to this host)'),
      id: p.id,
    }));
    // The stop's own packet first.
    const current = items.findIndex((i) => i.id === list.current);
    if (current > 0) items.unshift(...items.splice(current, 1));
    const pick = await vscode.window.showQuickPick(items, { placeHolder: l10n.t('The packet whose lines to highlight ({0} so far)', list.total), matchOnDetail: true });
    if (!pick) return;
    const generation = this.generation;
    try {
      const r = (await session.customRequest('kpath/linesRun', { packet: pick.id })) as LinesRun;
      if (generation !== this.generation) return;
      this.run = r;
      this.paint();
      const lines = r.files.reduce((n, f) => n + f.lines.length, 0);
      void vscode.window.setStatusBarMessage(l10n.t('kpath: packet #{0} ran {1} lines in {2} files', pick.id, lines, r.files.length), 5000);
    } catch (e) {
      void vscode.window.showErrorMessage(l10n.t('kpath: {0}', (e as Error).message));
    }
  }

  private clear(): void {
    this.generation++;
    this.pending = null;
    this.run = null;
    this.paint();
  }

  /** Puts the marks on every visible editor. */
  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) void this.paintOne(editor);
  }

  private async paintOne(editor: vscode.TextEditor): Promise<void> {
    const doc = editor.document;
    const runLines = this.run?.files.find((f) => f.path === doc.uri.fsPath)?.lines ?? [];
    const toRanges = (lines: number[]) => lines.filter((l) => l >= 1 && l <= doc.lineCount).map((l) => new vscode.Range(l - 1, 0, l - 1, 0));
    editor.setDecorations(this.runMark, toRanges(runLines));
    const a = await this.store.get(doc);
    editor.setDecorations(this.stepMark, a ? toRanges([...new Set(a.steps.map((s) => s.line))]) : []);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
