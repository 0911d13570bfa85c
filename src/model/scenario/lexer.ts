// Tokens of the .kpath language. The language is line-based: a statement is one line, `#` starts a
// comment that runs to the end of the line (outside a quoted string), and words are separated by
// spaces or tabs. `=` is a token of its own so that `sysctl KEY=VALUE` and `sysctl KEY = VALUE`
// read the same. Double-quoted strings exist for nft's `oifname "eth0"`.
//
// Lines and columns are 1-based; a column counts UTF-16 code units (as editors do), and a tab
// counts as one column.

import * as l10n from '@vscode/l10n';

export type TokenKind = 'word' | 'string' | 'equals';

export interface Token {
  kind: TokenKind;
  /** The token as written (a string keeps its quotes). */
  text: string;
  /** The word itself, or the contents of a string without quotes and escapes. */
  value: string;
  line: number;
  col: number;
}

export interface LexedLine {
  line: number;
  /** The line as written, without its line break. */
  text: string;
  tokens: Token[];
  /** Column just after the last token: where "found the end of the line" points. */
  endCol: number;
  /** Set when the line could not be split into tokens (an unterminated string). */
  problem?: { col: number; problem: string };
}

/** Splits a scenario into lines of tokens. Lines with no tokens (blank or comment only) are left out. */
export function lex(text: string): LexedLine[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: LexedLine[] = [];
  src.split(/\r\n|\r|\n/).forEach((lineText, i) => {
    const lexed = lexLine(lineText, i + 1);
    if (lexed.tokens.length > 0 || lexed.problem) out.push(lexed);
  });
  return out;
}

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

function lexLine(text: string, line: number): LexedLine {
  const tokens: Token[] = [];
  let problem: LexedLine['problem'];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '#') break;
    const col = i + 1;
    if (ch === '=') {
      tokens.push({ kind: 'equals', text: '=', value: '=', line, col });
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < text.length) {
        const c = text[j];
        if (c === '\\' && j + 1 < text.length) {
          value += text[j + 1];
          j += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          j++;
          break;
        }
        value += c;
        j++;
      }
      if (!closed) {
        problem = { col, problem: l10n.t('unterminated string; expected a closing " before the end of the line') };
        break;
      }
      tokens.push({ kind: 'string', text: text.slice(i, j), value, line, col });
      i = j;
      continue;
    }
    let j = i;
    while (j < text.length && !isSpace(text[j]) && text[j] !== '#' && text[j] !== '"' && text[j] !== '=') j++;
    const word = text.slice(i, j);
    tokens.push({ kind: 'word', text: word, value: word, line, col });
    i = j;
  }
  const last = tokens[tokens.length - 1];
  const endCol = last ? last.col + last.text.length : 1;
  const lexed: LexedLine = { line, text, tokens, endCol };
  if (problem) lexed.problem = problem;
  return lexed;
}
