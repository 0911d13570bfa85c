// The error every scenario check reports: FILE:LINE:COL and what was expected there.

/** A problem in a scenario, located at FILE:LINE:COL (1-based; columns count UTF-16 code units). */
export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The message without its location. */
  readonly problem: string;

  constructor(file: string, line: number, col: number, problem: string) {
    const shown = shortened(printable(problem));
    super(`${printable(file)}:${line}:${col}: ${shown}`);
    this.name = 'ScenarioError';
    this.file = file;
    this.line = line;
    this.col = col;
    this.problem = shown;
  }
}

/** Sorts errors by position; errors at the same position keep the order they were found in. */
export function sortErrors(errors: ScenarioError[]): ScenarioError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.e.col - b.e.col || a.i - b.i)
    .map((x) => x.e);
}

// C0 and C1 controls, DEL, the bidi embeddings, overrides and isolates, and U+2028/U+2029.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Text safe to show on a terminal or in an editor: control characters (C0, DEL, C1, which include
 * terminal escapes and NUL), bidirectional overrides and line or paragraph separators written as
 * `\xNN` or `\uNNNN` escapes, so that a message quoting bad input shows it rather than obeys it.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** Words of more than this many characters are cut in a message (a message quotes what it found). */
const LONGEST_WORD = 120;
/** A message is cut after this many characters. */
const LONGEST_MESSAGE = 1000;

/** A message with its very long words (and itself, if very long) cut, saying how long they were. */
function shortened(text: string): string {
  const s = text.replace(new RegExp(`\\S{${LONGEST_WORD + 1},}`, 'g'), (w) => `${w.slice(0, LONGEST_WORD - 20)}... (${w.length} characters)`);
  return s.length > LONGEST_MESSAGE ? `${s.slice(0, LONGEST_MESSAGE)}... (${s.length} characters)` : s;
}
