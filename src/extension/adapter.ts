// How VS Code gets a kpath debug adapter: by default the process package.json names (dist/dap.js,
// one per debug session, so a long run never stalls the editor); with the setting
// kpath.debugAdapter set to "inline", a session inside the extension host instead. Either way the
// adapter speaks VS Code's display language.

import path = require('node:path');
import vscode = require('vscode');
import { loadCore } from '../adapter/core';

export class KpathAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri) {}

  createDebugAdapterDescriptor(_session: vscode.DebugSession, executable: vscode.DebugAdapterExecutable | undefined): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    if (vscode.workspace.getConfiguration('kpath').get<string>('debugAdapter') === 'inline') {
      // The adapter's bundle, loaded only when asked for: the extension's own bundle stays small.
      const core = loadCore(path.join(this.extensionUri.fsPath, 'dist'));
      core.useLanguage(vscode.env.language);
      return new vscode.DebugAdapterInlineImplementation(new core.KpathDebugSession());
    }
    if (!executable) return undefined;
    return new vscode.DebugAdapterExecutable(executable.command, executable.args, {
      ...executable.options,
      env: { ...executable.options?.env, KPATH_LANGUAGE: vscode.env.language },
    });
  }
}
