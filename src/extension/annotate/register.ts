// Annotations on the C source the debugger shows (the model listings, or the user's Linux tree):
// explanations on hover and in a CodeLens above each modeled function (with "Break here"), inline
// values while stopped, gutter marks on the step-point lines, and the lines a packet ran.
// Everything is registered for C files; a file kpath knows nothing of gets nothing, at once.

import vscode = require('vscode');
import { AnnotationStore } from './store';
import { AnnotationHover } from './hover';
import { AnnotationLens, BREAK_HERE, breakHere } from './lens';
import { AnnotationInlineValues } from './inline';
import { LineMarks } from './marks';

const C_FILES: vscode.DocumentSelector = [
  { language: 'c', scheme: 'file' },
  // VS Code gives .h files to C++.
  { language: 'cpp', scheme: 'file' },
];

export function registerAnnotations(context: vscode.ExtensionContext): void {
  const store = new AnnotationStore(context.extensionUri);
  const marks = new LineMarks(store, context.extensionUri);
  const invalidate = (s: vscode.DebugSession | undefined) => {
    if (!s || s.type === 'kpath') store.invalidate();
  };
  context.subscriptions.push(
    store,
    marks,
    vscode.languages.registerHoverProvider(C_FILES, new AnnotationHover(store)),
    vscode.languages.registerCodeLensProvider(C_FILES, new AnnotationLens(store)),
    vscode.languages.registerInlineValuesProvider(C_FILES, new AnnotationInlineValues(store)),
    vscode.commands.registerCommand(BREAK_HERE, breakHere),
    vscode.commands.registerCommand('kpath.showLinesRun', () => marks.choose()),
    vscode.debug.onDidStartDebugSession(invalidate),
    vscode.debug.onDidTerminateDebugSession(invalidate),
    vscode.debug.onDidChangeActiveDebugSession(invalidate),
    // The adapter says (category 'kpath') when the tree's mapping arrives or cannot be made.
    vscode.debug.registerDebugAdapterTrackerFactory('kpath', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { category?: string; areas?: string[] } }) => {
          if (m?.type !== 'event') return;
          if ((m.event === 'output' && m.body?.category === 'kpath') || m.event === 'invalidated') store.invalidate();
        },
      }),
    }),
  );
}
