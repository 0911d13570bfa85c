// Inline values while stopped: the values of the names on the lines of the stopped function, from
// its first line to the stopped one (as far as the editor shows them), as the adapter evaluates
// them in the frame (kpath/inlineValues): `dev = eth0 mtu 1500`, `skb->len = 128`.

import vscode = require('vscode');
import type { AnnotationStore } from './store';
import type { InlineValue } from '../../adapter/inline-values';

export class AnnotationInlineValues implements vscode.InlineValuesProvider {
  constructor(private readonly store: AnnotationStore) {}

  async provideInlineValues(doc: vscode.TextDocument, viewPort: vscode.Range, ctx: vscode.InlineValueContext): Promise<vscode.InlineValue[]> {
    const session = this.store.session();
    if (!session) return [];
    const a = await this.store.get(doc);
    if (!a) return [];
    const stopped = ctx.stoppedLocation.start.line + 1;
    const fn = a.functions.find((f) => stopped >= f.line && stopped <= f.end);
    if (!fn) return [];
    const from = Math.max(fn.line, viewPort.start.line + 1);
    const to = Math.min(stopped, viewPort.end.line + 1, doc.lineCount);
    const lines: { line: number; text: string }[] = [];
    for (let l = from; l <= to; l++) lines.push({ line: l, text: doc.lineAt(l - 1).text });
    if (!lines.length) return [];
    try {
      const r = (await session.customRequest('kpath/inlineValues', { frameId: ctx.frameId, lines, signature: fn.line })) as { values: InlineValue[] };
      return r.values.map((v) => new vscode.InlineValueText(new vscode.Range(v.line - 1, v.column, v.line - 1, v.column), v.text));
    } catch {
      return [];
    }
  }
}
