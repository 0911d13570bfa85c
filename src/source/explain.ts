// Why a step point has no line in a tree, said in the user's language (or in English, for the
// cache and the tests).

import { l10n, language, useLanguage } from '../l10n';
import { stepAnchor } from './anchors';
import type { Why } from './types';

export function explain(why: Why, localized = true): string {
  const t = localized ? l10n.t : (s: string, ...args: unknown[]) => s.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)]));
  switch (why.kind) {
    case 'no-file': return t('{0} is not in the tree', why.path);
    case 'not-defined': return t('{0} is not defined in {1}', why.name, why.path);
    case 'defined-many': return t('{0} is defined {1} times in {2} (lines {3})', why.name, why.lines.length, why.path, why.lines.join(', '));
    case 'no-match': return t('no statement in {0} {1}', why.in.join(' / '), why.what);
    case 'ambiguous': return t('{0} statements in {1} match "{2}" (lines {3})', why.lines.length, why.in, why.what, why.lines.join(', '));
    case 'none': {
      const a = stepAnchor(why.fn, why.step, '6.18') ?? stepAnchor(why.fn, why.step, '4.9');
      if (a && 'none' in a) return localized ? a.none() : englishOf(a.none);
      return t('the kernel has no statement for this step point');
    }
    case 'no-anchor': return t('kpath has no anchor for this step point yet');
  }
}

/** The English text of a localized reason: evaluated with l10n speaking English. */
function englishOf(f: () => string): string {
  const saved = language();
  if (saved === 'en') return f();
  try {
    useLanguage('en');
    return f();
  } finally {
    useLanguage(saved);
  }
}
