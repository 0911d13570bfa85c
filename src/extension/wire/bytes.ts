// "kpath: Show Frame Bytes": the frame selected in the Wire view, byte by byte, in a panel beside
// the editor, with the selected field's bytes highlighted; it follows the selection, and a click
// on a byte selects the field that holds it in the Wire view.

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { FromBytes, ToBytes } from '../webview/protocol';
import { webviewHtml, webviewOptions } from '../html';
import type { WireView } from './view';

export class FrameBytesPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private ready = false;
  /** The frame shown, for picks from the page. */
  private frame = -1;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly view: WireView) {
    this.subscriptions.push(view.onDidChangeSelection(() => void this.update()));
  }

  /** Opens the panel (or brings it forward) on the current selection. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      void this.update();
      return;
    }
    const panel = vscode.window.createWebviewPanel('kpath.frameBytes', l10n.t('Frame Bytes'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
    this.panel = panel;
    this.ready = false;
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'frame-bytes.js', style: 'bytes.css', title: l10n.t('Frame Bytes') });
    panel.webview.onDidReceiveMessage((m: FromBytes) => {
      if (m.type === 'ready') {
        this.ready = true;
        void this.update();
      } else if (m.type === 'pick' && this.frame >= 0) {
        this.view.pick(this.frame, m.offset);
      }
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = null;
    });
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.panel?.dispose();
  }

  private async update(): Promise<void> {
    if (!this.panel || !this.ready) return;
    const sel = this.view.selection;
    const empty = l10n.t('Select a frame in the Wire view: its bytes show here.');
    let msg: ToBytes = { type: 'show', title: '', hex: '', highlight: null, empty };
    if (sel?.row.kind === 'drop') {
      msg = { ...msg, empty: l10n.t('A dropped packet never reached the wire: it has no frame bytes.') };
    } else if (sel?.row.kind === 'frame') {
      const detail = await sel.session.model.detail(sel.row.index);
      if (this.view.selection !== sel) return;
      if (!detail) {
        msg = { ...msg, empty: l10n.t('The bytes of this frame are not available: the session ended before it was shown.') };
      } else {
        this.frame = sel.row.index;
        const title = sel.field
          ? sel.field.length === 1
            ? l10n.t('Frame {0}: {1} (byte {2})', sel.row.index + 1, sel.label, sel.field.offset)
            : l10n.t('Frame {0}: {1} (bytes {2} to {3})', sel.row.index + 1, sel.label, sel.field.offset, sel.field.offset + sel.field.length - 1)
          : l10n.t('Frame {0}: {1} bytes', sel.row.index + 1, sel.row.len);
        msg = { type: 'show', title, hex: detail.hex, highlight: sel.field, empty };
      }
    }
    void this.panel.webview.postMessage(msg);
  }
}
