// A readable line diff for golden-file failures: the common head and tail are skipped, and the
// changed region is shown with line numbers, expected lines marked "-" and actual lines "+".

export interface LineDiffOptions {
  /** Unchanged lines shown before and after the changed region. */
  context?: number;
  /** At most this many lines of each side of the changed region. */
  maxLines?: number;
}

function show(line: string, other: string | undefined): string {
  // Lines that differ only in invisible characters are shown quoted, so the difference can be seen.
  if (other !== undefined && line !== other && line.trimEnd() === other.trimEnd()) return JSON.stringify(line);
  return line;
}

/** "" when the texts are equal; otherwise a description of where and how they differ. */
export function lineDiff(expected: string, actual: string, opts: LineDiffOptions = {}): string {
  if (expected === actual) return '';
  const context = opts.context ?? 3;
  const maxLines = opts.maxLines ?? 20;
  const e = expected.split('\n');
  const a = actual.split('\n');
  let head = 0;
  while (head < e.length && head < a.length && e[head] === a[head]) head++;
  let tail = 0;
  while (tail < e.length - head && tail < a.length - head && e[e.length - 1 - tail] === a[a.length - 1 - tail]) tail++;
  const eEnd = e.length - tail; // changed region: e[head, eEnd) against a[head, aEnd)
  const aEnd = a.length - tail;
  const width = String(Math.max(e.length, a.length)).length;
  const num = (n: number) => `line ${String(n + 1).padStart(width)}`;
  const out: string[] = [];
  out.push(`expected ${e.length} lines, got ${a.length}; first difference at line ${head + 1}; ` +
    `${eEnd - head} expected line(s) against ${aEnd - head} actual line(s) from there`);
  for (let i = Math.max(0, head - context); i < head; i++) out.push(`  ${num(i)} | ${e[i]}`);
  for (let i = head; i < eEnd && i < head + maxLines; i++) out.push(`- ${num(i)} | ${show(e[i], a[i])}`);
  if (eEnd - head > maxLines) out.push(`- ... ${eEnd - head - maxLines} more expected line(s)`);
  for (let i = head; i < aEnd && i < head + maxLines; i++) out.push(`+ ${num(i)} | ${show(a[i], e[i])}`);
  if (aEnd - head > maxLines) out.push(`+ ... ${aEnd - head - maxLines} more actual line(s)`);
  for (let i = eEnd; i < Math.min(e.length, eEnd + context); i++) out.push(`  ${num(i)} | ${e[i]}`);
  return out.join('\n');
}
