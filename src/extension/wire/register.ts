// The Wire view and its commands: what extension.ts registers for them.

import vscode = require('vscode');
import { l10n } from 'vscode';
import { WireSessions } from './sessions';
import { WireView } from './view';
import { FrameBytesPanel } from './bytes';
import { exportPcap } from './commands';

export function registerWire(context: vscode.ExtensionContext): void {
  const sessions = new WireSessions();
  const view = new WireView(context.extensionUri, sessions);
  const bytes = new FrameBytesPanel(context.extensionUri, view);
  context.subscriptions.push(
    sessions,
    view,
    bytes,
    vscode.debug.registerDebugAdapterTrackerFactory('kpath', sessions),
    vscode.window.registerWebviewViewProvider(WireView.id, view),
    vscode.commands.registerCommand('kpath.exportPcap', () => exportPcap(view)),
    vscode.commands.registerCommand('kpath.showFrameBytes', () => {
      if (view.selection?.row.kind !== 'frame') {
        void vscode.window.showInformationMessage(l10n.t('kpath: select a frame in the Wire view first.'));
        return;
      }
      bytes.show();
    }),
  );
}
