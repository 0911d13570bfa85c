// Where VS Code finds the debug adapter: dist/dap.js, run by the Node.js that runs the extension
// host (VS Code's own runtime, told to act as plain Node.js), with the options of node-options.ts.
//
// The extension keeps one adapter process started ahead of time (`dist/dap.js --warm`), from when
// it activates (a .kpath file is opened) and again after each session ends. Such a process warms
// the stepping path up while the learner reads the scenario (warmup.ts), and the extension
// rehearses a session with it meanwhile over its stdin and stdout (src/adapter/rehearsal.ts), which
// warms up the very session object and pipes the learner's session will use; so F5 finds it ready:
// no process to start, no warm-up before the first stop, and quicker first steps (README, Performance).
// VS Code gets it as an inline adapter that relays to the process (relay.ts); when there is none
// (the setting kpath.startAdapterAhead is off, or the process has gone), it starts dist/dap.js
// itself, as for any debugger.

import * as vscode from 'vscode';
import { spawn, ChildProcessWithoutNullStreams } from 'node:child_process';
import { ProcessAdapter } from './relay';
import { ADAPTER_NODE_OPTIONS } from '../adapter/node-options';

export class KpathAdapterFactory implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  private spare: { child: ChildProcessWithoutNullStreams; relay: ProcessAdapter } | null = null;

  constructor(private readonly extensionUri: vscode.Uri) {}

  private get program(): string {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'dap.js').fsPath;
  }

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const relay = this.takeSpare();
    if (relay) return new vscode.DebugAdapterInlineImplementation(relay);
    return new vscode.DebugAdapterExecutable(process.execPath, [...ADAPTER_NODE_OPTIONS, this.program], { env: { ELECTRON_RUN_AS_NODE: '1' } });
  }

  /** Starts an adapter for the next session, unless one is waiting or the setting is off. */
  startSpare(): void {
    if (this.spare || !vscode.workspace.getConfiguration('kpath').get<boolean>('startAdapterAhead', true)) return;
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(process.execPath, [...ADAPTER_NODE_OPTIONS, this.program, '--warm'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'pipe' });
    } catch {
      return;
    }
    const spare = { child, relay: new ProcessAdapter(child) };
    const gone = () => {
      if (this.spare === spare) this.spare = null;
    };
    child.on('exit', gone);
    child.on('error', gone);
    spare.relay.rehearse({ scenario: vscode.Uri.joinPath(this.extensionUri, 'media', 'scenarios', 'default.kpath').fsPath });
    this.spare = spare;
  }

  /** The waiting adapter's relay, if the process is still running; it is the caller's from now on. */
  private takeSpare(): ProcessAdapter | null {
    const spare = this.spare;
    this.spare = null;
    if (!spare) return null;
    const { child, relay } = spare;
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
      relay.dispose();
      return null;
    }
    relay.startSession();
    return relay;
  }

  /** Ends the waiting adapter (the setting turned off, or the extension deactivating). */
  stopSpare(): void {
    const spare = this.spare;
    this.spare = null;
    spare?.relay.dispose();
    spare?.child.kill();
  }

  dispose(): void {
    this.stopSpare();
  }
}
