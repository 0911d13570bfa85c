// The VS Code side of kpath: it only wires VS Code to the debug adapter (src/adapter), which VS Code
// starts for each debug session.

import vscode = require('vscode');
import { l10n } from 'vscode';
import { config as configMessages } from '@vscode/l10n';
import { KpathAdapterFactory } from './adapter';
import { KpathConfigurationProvider, scenarioConfiguration } from './configuration';
import { registerPictures } from './pictures/register';
import { registerLanguage } from './language';
import { registerKernelSource } from './source';
import { registerAnnotations } from './annotate/register';
import { registerWire } from './wire/register';
import { registerTutorial } from './tutorial/panel';
import { registerWalkthrough } from './tutorial/walkthrough';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider('kpath', new KpathConfigurationProvider()),
    vscode.debug.registerDebugAdapterDescriptorFactory('kpath', new KpathAdapterFactory(context.extensionUri)),
    vscode.commands.registerCommand('kpath.debugScenario', (uri?: vscode.Uri) => startScenario(uri, false)),
    vscode.commands.registerCommand('kpath.runScenario', (uri?: vscode.Uri) => startScenario(uri, true)),
  );
  registerPictures(context);
  registerKernelSource(context);
  registerAnnotations(context);
  registerWire(context);
  // The lesson format's messages (src/tutorial, shown for a lesson that cannot be read) come from
  // @vscode/l10n: it is given the catalogue VS Code loaded for the display language.
  configMessages({ contents: l10n.bundle ?? {} });
  registerTutorial(context);
  registerWalkthrough(context);
  registerLanguage(context);
}

export function deactivate(): void {
  // Everything registered is in context.subscriptions; VS Code disposes of it.
}

/** Debug (or run to the end) the scenario of the editor's title button, or of the active editor. */
async function startScenario(uri: vscode.Uri | undefined, noDebug: boolean): Promise<boolean> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showErrorMessage(l10n.t('kpath: open a .kpath scenario first.'));
    return false;
  }
  const folder = vscode.workspace.getWorkspaceFolder(target);
  return vscode.debug.startDebugging(folder, scenarioConfiguration(target.fsPath), { noDebug });
}
