// What the two picture panels share: a webview with a strict Content-Security-Policy (a nonce per
// load, nothing remote, resources only from the extension's media/ and dist/), a page that draws
// what it is sent, and a refresh at each change of the followed stop, one request at a time.

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { DebugFollower, Target } from './follow';
import { webviewHtml, webviewOptions, Page } from '../html';
import type { FromWebview, ToWebview, Labels } from '../webview/picture-messages';

export interface PanelSpec extends Page {
  /** The webview's type (and the panel's identity). */
  viewType: string;
}

export abstract class PicturePanel implements vscode.Disposable {
  protected readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private busy = false;
  private again = false;
  private last: ToWebview | null = null;
  private disposed = false;
  /** Called when the panel closes. */
  onDispose: (() => void) | null = null;

  constructor(
    protected readonly extensionUri: vscode.Uri,
    protected readonly follower: DebugFollower,
    spec: PanelSpec,
  ) {
    this.panel = vscode.window.createWebviewPanel(spec.viewType, spec.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    const webview = this.panel.webview;
    webview.html = webviewHtml(webview, extensionUri, spec);
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((m: FromWebview) => this.receive(m)),
      this.panel.onDidChangeViewState(() => {
        if (this.panel.visible) this.refresh();
      }),
      follower.onDidChange(() => this.refresh()),
    );
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
    this.refresh();
  }

  /** Draws the followed stop again; a change during a refresh runs one more after it. */
  refresh(): void {
    if (this.disposed || !this.panel.visible) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.draw().finally(() => {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
  }

  private async draw(): Promise<void> {
    const target = this.follower.target();
    let msg: ToWebview;
    try {
      msg = await this.render(target);
    } catch (e) {
      // A session that ended meanwhile, or a request the adapter refused: say so in the panel.
      msg = this.notice(l10n.t('kpath could not draw this stop: {0}', e instanceof Error ? e.message : String(e)));
    }
    // Drawn for a stop that is gone by now: the next refresh (already asked for) draws the new one.
    if (this.disposed || this.again) return;
    this.post(msg);
  }

  /** What to draw for `target`. */
  protected abstract render(target: Target): Promise<ToWebview>;

  /** The labels every page gets, besides its own. */
  protected abstract labels(): Labels;

  protected notice(text: string): ToWebview {
    return { type: 'notice', text, labels: this.labels() };
  }

  /** The notice for a target with nothing to draw, or undefined when it is stopped. */
  protected noticeFor(target: Target): ToWebview | undefined {
    if (target.kind === 'none') return this.notice(l10n.t('No kpath debug session is stopped. Debug a .kpath scenario (F5) and stop somewhere on the path: this picture follows the selected stack frame.'));
    if (target.kind === 'running') return this.notice(l10n.t('The kpath session is running; the picture is drawn at its next stop.'));
    return undefined;
  }

  protected post(msg: ToWebview): void {
    this.last = msg;
    void this.panel.webview.postMessage(msg);
  }

  protected receive(m: FromWebview): void {
    // A page that (re)loads gets the last picture again.
    if (m.type === 'ready' && this.last) void this.panel.webview.postMessage(this.redraw(this.last));
    else if (m.type === 'ready') this.refresh();
  }

  /** The last picture, to draw again on a page that loaded anew (what it holds may have been completed since). */
  protected redraw(msg: ToWebview): ToWebview {
    return msg;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.onDispose?.();
  }
}

