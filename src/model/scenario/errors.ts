// The error every scenario check reports: FILE:LINE:COL and what was expected there.

/** A problem in a scenario, located at FILE:LINE:COL (1-based; columns count UTF-16 code units). */
export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The message without its location. */
  readonly problem: string;

  constructor(file: string, line: number, col: number, problem: string) {
    super(`${file}:${line}:${col}: ${problem}`);
    this.name = 'ScenarioError';
    this.file = file;
    this.line = line;
    this.col = col;
    this.problem = problem;
  }
}

/** Sorts errors by position; errors at the same position keep the order they were found in. */
export function sortErrors(errors: ScenarioError[]): ScenarioError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.e.col - b.e.col || a.i - b.i)
    .map((x) => x.e);
}
