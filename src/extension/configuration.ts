// Launch configurations: F5 on a .kpath file works with no launch.json, and a configuration
// without a scenario gets a clear message instead of a failed launch. A configuration without
// kernelSource gets the setting kpath.kernelSource, if it is set.

import vscode = require('vscode');
import { l10n } from 'vscode';

export function scenarioConfiguration(scenario: string): vscode.DebugConfiguration {
  return { type: 'kpath', request: 'launch', name: 'kpath: debug scenario', scenario, stopOnEntry: true };
}

export class KpathConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    // F5 with no launch.json arrives as an empty configuration.
    if (!config.type && !config.request && !config.name) {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc?.languageId !== 'kpath') {
        void vscode.window.showErrorMessage(l10n.t('kpath: open a .kpath scenario, or add a launch configuration with "scenario".'));
        return undefined;
      }
      return withKernelSource(scenarioConfiguration(doc.uri.fsPath));
    }
    if (config.scenario === undefined || config.scenario === '') {
      void vscode.window.showErrorMessage(l10n.t('kpath: this launch configuration has no "scenario" (a .kpath file or a scenario object).'));
      return undefined;
    }
    return withKernelSource(config);
  }
}

/** The setting kpath.kernelSource, for a configuration that names no tree of its own. */
function withKernelSource(config: vscode.DebugConfiguration): vscode.DebugConfiguration {
  if (config.kernelSource !== undefined) return config;
  const setting = vscode.workspace.getConfiguration('kpath').get<string>('kernelSource');
  return setting ? { ...config, kernelSource: setting } : config;
}
