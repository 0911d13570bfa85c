// The module boundary between the extension and the .kpath language: the editor's help (service.ts)
// over the parser (src/model/scenario), which is pure TypeScript with no I/O. It is bundled on its
// own (dist/language.js) and loaded by the extension on the first .kpath document, so activation
// stays cheap; the extension reaches the model only through this module.

import { useLanguage } from '../l10n';

export { complete, diagnose, hover, type CompletionItem, type HoverText, type Problem } from './service';

/** Speaks the display language (the parser's messages and the words' documentation). */
export function configure(displayLanguage: string): void {
  useLanguage(displayLanguage);
}
