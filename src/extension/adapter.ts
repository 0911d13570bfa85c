// How VS Code gets a kpath debug adapter: by default the process package.json names (dist/dap.js,
// one per debug session, so a long run never stalls the editor); with the setting
// kpath.debugAdapter set to "inline", a session inside the extension host instead.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KpathDebugSession } from '../adapter/session';

export class KpathAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri) {}

  createDebugAdapterDescriptor(_session: vscode.DebugSession, executable: vscode.DebugAdapterExecutable | undefined): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    if (vscode.workspace.getConfiguration('kpath').get<string>('debugAdapter') !== 'inline') return executable;
    // The adapter's bundle, loaded only when asked for: the extension's own bundle stays small.
    const adapter = require(path.join(this.extensionUri.fsPath, 'dist', 'dap-core.js')) as { KpathDebugSession: new () => KpathDebugSession };
    return new vscode.DebugAdapterInlineImplementation(new adapter.KpathDebugSession());
  }
}
