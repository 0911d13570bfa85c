// A CodeLens above each modeled function of an annotated C file: what the function does, and
// "Break here", which adds a function breakpoint on it.

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { AnnotationStore } from './store';

export const BREAK_HERE = 'kpath.breakHere';

export class AnnotationLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly store: AnnotationStore) {
    this.onDidChangeCodeLenses = store.onDidChange;
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const a = await this.store.get(doc);
    if (!a) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const f of a.functions) {
      if (f.line > doc.lineCount) continue;
      const range = new vscode.Range(f.line - 1, 0, f.line - 1, 0);
      const summary = f.summary.replace(/`/g, '');
      // "Break here" first: the summary can be wider than the editor, and the action stays in view.
      lenses.push(
        new vscode.CodeLens(range, { title: l10n.t('Break here'), command: BREAK_HERE, arguments: [f.name], tooltip: l10n.t('Add a function breakpoint on {0}', f.name) }),
        new vscode.CodeLens(range, { title: `kpath: ${f.in ? `${f.name} (${f.in})` : f.name}: ${summary}`, command: '', tooltip: f.text.replace(/`/g, '') }),
      );
    }
    return lenses;
  }
}

/** Adds a function breakpoint on a modeled function (unless there is one). */
export function breakHere(name: unknown): void {
  if (typeof name !== 'string' || !name) return;
  const exists = vscode.debug.breakpoints.some((b) => b instanceof vscode.FunctionBreakpoint && b.functionName === name);
  if (!exists) vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint(name)]);
}
