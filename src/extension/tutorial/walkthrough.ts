// The "first stop" walkthrough on the Welcome page (package.json contributes.walkthroughs): its
// commands, and the context keys that complete its steps when the learner has done them: a
// function breakpoint on ip_finish_output2 exists, a kpath session stopped there, the sk_buff was
// read (its scope expanded, or skb evaluated, hovered or watched).

import vscode = require('vscode');

export const FIRST_STOP = 'ip_finish_output2';
const KEYS = {
  breakpoint: 'kpath.walkthrough.breakpoint',
  stopped: 'kpath.walkthrough.stopped',
  skbRead: 'kpath.walkthrough.skbRead',
};

function setKey(key: string, on: boolean): void {
  void vscode.commands.executeCommand('setContext', key, on);
}

function hasFirstStopBreakpoint(): boolean {
  return vscode.debug.breakpoints.some((b) => b instanceof vscode.FunctionBreakpoint && b.functionName === FIRST_STOP && b.enabled);
}

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  // Steps once done stay done: the keys only ever turn on.
  let stopped = false;
  let skbRead = false;
  const checkBreakpoints = (): void => {
    if (hasFirstStopBreakpoint()) setKey(KEYS.breakpoint, true);
  };
  checkBreakpoints();
  context.subscriptions.push(
    vscode.commands.registerCommand('kpath.openExample', async () => {
      const file = vscode.Uri.joinPath(context.extensionUri, 'media', 'lessons', '01-first-stop.kpath');
      // Beside the walkthrough, which stays in view with its next steps.
      await vscode.window.showTextDocument(file, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.commands.registerCommand('kpath.walkthrough.addBreakpoint', () => {
      if (!hasFirstStopBreakpoint()) vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint(FIRST_STOP)]);
      void vscode.commands.executeCommand('workbench.debug.action.focusBreakpointsView');
    }),
    vscode.debug.onDidChangeBreakpoints(checkBreakpoints),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (!stopped && e.session.type === 'kpath' && e.event === 'kpath/position' && (e.body as { function?: string }).function === FIRST_STOP) {
        stopped = true;
        setKey(KEYS.stopped, true);
      }
    }),
    vscode.debug.registerDebugAdapterTrackerFactory('kpath', {
      createDebugAdapterTracker: () => {
        // The references of the sk_buff scopes the adapter has handed out in this session.
        const skbScopes = new Set<number>();
        const read = (): void => {
          if (!skbRead) {
            skbRead = true;
            setKey(KEYS.skbRead, true);
          }
        };
        return {
          onDidSendMessage: (m: { type?: string; command?: string; body?: { scopes?: { name: string; variablesReference: number }[] } }) => {
            if (m.type === 'response' && m.command === 'scopes') for (const s of m.body?.scopes ?? []) if (s.name === 'sk_buff') skbScopes.add(s.variablesReference);
          },
          onWillReceiveMessage: (m: { type?: string; command?: string; arguments?: { variablesReference?: number; expression?: string } }) => {
            if (m.type !== 'request') return;
            if (m.command === 'variables' && skbScopes.has(m.arguments?.variablesReference ?? -1)) read();
            if (m.command === 'evaluate' && /\bskb\b/.test(m.arguments?.expression ?? '')) read();
          },
        };
      },
    }),
  );
}
