// Hovers on the annotated C files: on a modeled function's first line, what the function does; on
// a step-point line, what the line decides. The texts come from the adapter in the session's
// language (plain Markdown: `code` spans, no links, no commands).

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { AnnotationStore } from './store';

export class AnnotationHover implements vscode.HoverProvider {
  constructor(private readonly store: AnnotationStore) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const a = await this.store.get(doc);
    if (!a) return undefined;
    const line = pos.line + 1;
    const md = new vscode.MarkdownString();
    for (const f of a.functions.filter((x) => x.line === line)) {
      md.appendMarkdown(`**${f.name}**${f.in ? ` (${f.in})` : ''}: ${f.summary}\n\n${f.text}\n\n`);
    }
    const steps = a.steps.filter((s) => s.line === line);
    for (const s of steps) {
      const when = s.when ? ` ${l10n.t('when {0}', `\`${s.when}\``)}` : '';
      md.appendMarkdown(`${l10n.t('Step point {0} of {1}', `\`${s.step}\``, `**${s.fn}**`)}${when}\n\n${s.text}\n\n`);
    }
    if (!md.value) return undefined;
    const text = doc.lineAt(pos.line).text;
    return new vscode.Hover(md, new vscode.Range(pos.line, text.length - text.trimStart().length, pos.line, text.length));
  }
}
