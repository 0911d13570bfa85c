// The .kpath editor: problems underlined as the parser reports them (as `kpath run` would), the
// words that fit at the cursor (statements, options, values, the links and addresses defined
// above), and the documentation of the word under the mouse. The language code (dist/language.js,
// src/language) is loaded on the first .kpath document, not at activation; problems are computed a
// moment after typing stops, so a keystroke never waits for a parse.

import path = require('node:path');
import vscode = require('vscode');

type Language = typeof import('../language/index');

/** How long the text must rest before it is parsed again. */
export const DIAGNOSE_DELAY_MS = 250;

const SELECTOR: vscode.DocumentSelector = { language: 'kpath' };

const KINDS: Record<string, vscode.CompletionItemKind> = {
  statement: vscode.CompletionItemKind.Keyword,
  keyword: vscode.CompletionItemKind.Keyword,
  option: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  device: vscode.CompletionItemKind.Variable,
  address: vscode.CompletionItemKind.Value,
  sysctl: vscode.CompletionItemKind.Field,
};

export function registerLanguage(context: vscode.ExtensionContext): void {
  let language: Language | undefined;
  const load = (): Language => {
    if (!language) {
      language = require(path.join(context.extensionUri.fsPath, 'dist', 'language.js')) as Language;
      language.configure(vscode.env.language);
    }
    return language;
  };

  const diagnostics = vscode.languages.createDiagnosticCollection('kpath');
  const pending = new Map<string, NodeJS.Timeout>();
  const check = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== 'kpath') return;
    const problems = load().diagnose(doc.getText(), path.basename(doc.fileName));
    diagnostics.set(doc.uri, problems.map((p) => {
      const range = new vscode.Range(p.line - 1, p.col - 1, p.line - 1, p.endCol - 1);
      const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
      d.source = 'kpath';
      return d;
    }));
  };
  const later = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== 'kpath') return;
    const key = doc.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      if (!doc.isClosed) check(doc);
    }, DIAGNOSE_DELAY_MS));
  };

  context.subscriptions.push(
    diagnostics,
    { dispose: () => pending.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.delete(doc.uri)),
    vscode.languages.registerCompletionItemProvider(SELECTOR, {
      provideCompletionItems(doc, position) {
        const items = load().complete(doc.getText(), position.line + 1, position.character + 1);
        const range = doc.getWordRangeAtPosition(position, /[^\s#="]+/);
        return items.map((it, i) => {
          const c = new vscode.CompletionItem(it.label, KINDS[it.kind]);
          if (it.detail) c.detail = it.detail;
          if (it.documentation) c.documentation = new vscode.MarkdownString(it.documentation);
          if (range) c.range = range;
          c.sortText = String(i).padStart(4, '0');
          return c;
        });
      },
    }, ' '),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(doc, position) {
        const h = load().hover(doc.getText(), position.line + 1, position.character + 1);
        if (!h) return undefined;
        return new vscode.Hover(new vscode.MarkdownString(h.markdown), new vscode.Range(position.line, h.col - 1, position.line, h.endCol - 1));
      },
    }),
  );
  vscode.workspace.textDocuments.forEach(check);
}
