// Where VS Code finds the debug adapter: dist/dap.js, started with the Node.js that runs the
// extension host (VS Code's own runtime, told to act as plain Node.js).

import * as vscode from 'vscode';

export class KpathAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const program = vscode.Uri.joinPath(this.extensionUri, 'dist', 'dap.js').fsPath;
    return new vscode.DebugAdapterExecutable(process.execPath, [program], { env: { ELECTRON_RUN_AS_NODE: '1' } });
  }
}
