// The kernel source in the editor: what the adapter says about the user's Linux tree (output
// events of category 'kpath': how much of the model maps to it, what falls back to the listing,
// or why the tree cannot be used) goes to the "kpath" output channel, and a tree kpath cannot use
// is also shown as a warning.

import vscode = require('vscode');
import { l10n } from 'vscode';

interface OutputMessage {
  type?: string;
  event?: string;
  body?: { category?: string; output?: string; data?: { problem?: boolean; kernelSource?: string } };
}

export function registerKernelSource(context: vscode.ExtensionContext): void {
  let channel: vscode.OutputChannel | null = null;
  const output = () => (channel ??= vscode.window.createOutputChannel('kpath'));
  context.subscriptions.push(
    { dispose: () => channel?.dispose() },
    vscode.debug.registerDebugAdapterTrackerFactory('kpath', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: OutputMessage) => {
          if (m?.type !== 'event' || m.event !== 'output' || m.body?.category !== 'kpath') return;
          output().append(m.body.output ?? '');
          if (m.body.data?.problem) {
            const show = l10n.t('Show kpath Output');
            void vscode.window.showWarningMessage(l10n.t('kpath cannot use the kernel source {0}: the stack shows the model listings.', m.body.data.kernelSource ?? ''), show).then((pick) => {
              if (pick === show) output().show(true);
            });
          }
        },
      }),
    }),
  );
}
