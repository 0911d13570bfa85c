// Why a step point has no line in a tree, said in the user's language (or in English, for the
// cache and the tests).

// l10n from @vscode/l10n itself so that npm run l10n finds the strings; src/l10n sets its language.
import * as l10n from '@vscode/l10n';
import { language, useLanguage } from '../l10n';
import { stepAnchor } from './anchors';
import type { Why } from './types';

export function explain(why: Why, localized = true): string {
  if (!localized) return inEnglish(() => explain(why));
  switch (why.kind) {
    case 'no-file': return l10n.t('{0} is not in the tree', why.path);
    case 'not-defined': return l10n.t('{0} is not defined in {1}', why.name, why.path);
    case 'defined-many': return l10n.t('{0} is defined {1} times in {2} (lines {3})', why.name, why.lines.length, why.path, why.lines.join(', '));
    case 'no-match': return l10n.t('no statement in {0} {1}', why.in.join(' / '), why.what);
    case 'ambiguous': return l10n.t('{0} statements in {1} match "{2}" (lines {3})', why.lines.length, why.in, why.what, why.lines.join(', '));
    case 'none': {
      const a = stepAnchor(why.fn, why.step, '6.18') ?? stepAnchor(why.fn, why.step, '4.9');
      if (a && 'none' in a) return a.none();
      return l10n.t('the kernel has no statement for this step point');
    }
    case 'no-anchor': return l10n.t('kpath has no anchor for this step point yet');
  }
}

/** A message evaluated with l10n speaking English. */
function inEnglish(f: () => string): string {
  const saved = language();
  if (saved === 'en') return f();
  try {
    useLanguage('en');
    return f();
  } finally {
    useLanguage(saved);
  }
}
