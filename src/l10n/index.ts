// The language of the messages kpath shows outside VS Code's extension host (the debug adapter,
// the command), English or Simplified Chinese. Messages are written in English as l10n.t('...')
// calls with `import * as l10n from '@vscode/l10n'` (the form `npm run l10n` finds them in);
// l10n/bundle.l10n.json lists them and l10n/bundle.l10n.zh-cn.json translates them. Kernel
// identifiers stay in Latin letters.

import fs = require('node:fs');
import path = require('node:path');
import * as l10n from '@vscode/l10n';

/** The languages kpath speaks: the first is the one its messages are written in. */
export const LANGUAGES = ['en', 'zh-cn'] as const;
export type Language = (typeof LANGUAGES)[number];

let current: Language = 'en';
/** The Chinese catalogue, read the first time Chinese is spoken (an English session never reads it). */
let zhCN: Record<string, string> | null = null;

/** Speaks `language` from now on (a VS Code display language or a POSIX locale such as zh_CN.UTF-8). */
export function useLanguage(language: string | undefined): Language {
  current = languageOf(language);
  if (current === 'zh-cn') zhCN ??= readCatalogue('bundle.l10n.zh-cn.json');
  l10n.config({ contents: current === 'zh-cn' && zhCN ? zhCN : {} });
  return current;
}

/**
 * A catalogue from the package's l10n folder: beside dist/ for the bundles, three folders up for
 * the compiled sources (out/src/l10n). Without it the messages stay in English, and stderr says why.
 */
function readCatalogue(name: string): Record<string, string> | null {
  for (const up of ['..', '../../..']) {
    const file = path.join(__dirname, up, 'l10n', name);
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        process.stderr.write(`kpath: cannot read ${file}: ${(e as Error).message}; messages stay in English\n`);
        return null;
      }
    }
  }
  process.stderr.write(`kpath: l10n/${name} is missing beside ${__dirname}; messages stay in English\n`);
  return null;
}

/** The language in use. */
export function language(): Language {
  return current;
}

/** kpath's language for a display language or locale name: Chinese for zh, zh-CN, zh_CN.UTF-8, ...; English otherwise. */
export function languageOf(name: string | undefined): Language {
  return name && /^zh([-_.]|$)/i.test(name) && !/^zh[-_](tw|hk|mo|hant)/i.test(name) ? 'zh-cn' : 'en';
}

/** The language the environment asks for: KPATH_LANGUAGE, then the POSIX locale variables. */
export function languageFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.KPATH_LANGUAGE || env.LC_ALL || env.LC_MESSAGES || env.LANG || undefined;
}
