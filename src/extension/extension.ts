// The VS Code side of kpath: it only wires VS Code to the debug adapter, which runs in a process
// of its own (src/adapter, dist/dap.js) so that a long run never stalls the editor. One such
// process is started ahead of each session (adapter.ts).

import * as vscode from 'vscode';
import { KpathAdapterFactory } from './adapter';
import { KpathConfigurationProvider, scenarioConfiguration } from './configuration';

export function activate(context: vscode.ExtensionContext): void {
  const adapters = new KpathAdapterFactory(context.extensionUri);
  context.subscriptions.push(
    adapters,
    vscode.debug.registerDebugConfigurationProvider('kpath', new KpathConfigurationProvider()),
    vscode.debug.registerDebugAdapterDescriptorFactory('kpath', adapters),
    // An adapter started ahead for the next session: now, and after each session (adapter.ts).
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.type === 'kpath') adapters.startSpare();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('kpath.startAdapterAhead')) return;
      adapters.stopSpare();
      adapters.startSpare();
    }),
    vscode.commands.registerCommand('kpath.debugScenario', (uri?: vscode.Uri) => startScenario(uri, false)),
    vscode.commands.registerCommand('kpath.runScenario', (uri?: vscode.Uri) => startScenario(uri, true)),
  );
  // After activation, not in it: starting a process is not part of what activating costs.
  setImmediate(() => adapters.startSpare());
}

export function deactivate(): void {
  // Everything registered is in context.subscriptions; VS Code disposes of it.
}

/** Debug (or run to the end) the scenario of the editor's title button, or of the active editor. */
async function startScenario(uri: vscode.Uri | undefined, noDebug: boolean): Promise<boolean> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showErrorMessage('kpath: open a .kpath scenario first.');
    return false;
  }
  const folder = vscode.workspace.getWorkspaceFolder(target);
  return vscode.debug.startDebugging(folder, scenarioConfiguration(target.fsPath), { noDebug });
}
