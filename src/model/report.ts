// Frames as a table of text, like a packet capture's list: `kpath run` prints it, and the debug
// adapter prints it to the debug console when a run ends.

import * as l10n from '@vscode/l10n';
import type { FrameRecord } from './result';
import { displayWidth, padEndColumns, padStartColumns } from '../text/width';

/** Nanoseconds of virtual time as milliseconds with six decimals (nanosecond precision). */
export function msText(t: number): string {
  return (t / 1e6).toFixed(6);
}

type Column = 'no' | 'time' | 'dev' | 'dir' | 'src' | 'dst' | 'proto' | 'len';

/** Each column's least width, and whether its text is aligned right (numbers) or left; Info, last, is not padded. */
const COLUMNS: Record<Column, { min: number; right: boolean }> = {
  no: { min: 4, right: true }, time: { min: 13, right: true }, dev: { min: 6, right: false }, dir: { min: 3, right: false },
  src: { min: 17, right: false }, dst: { min: 17, right: false }, proto: { min: 6, right: false }, len: { min: 5, right: true },
};

function headings(): Record<Column | 'info', string> {
  return {
    no: l10n.t('No.'), time: l10n.t('Time (ms)'), dev: l10n.t('Dev'), dir: l10n.t('Dir'), src: l10n.t('Source'),
    dst: l10n.t('Destination'), proto: l10n.t('Proto'), len: l10n.t('Len'), info: l10n.t('Info'),
  };
}

/** The table's column widths in the language in use: a heading wider than its column widens it. */
export function frameWidths(h = headings()): Record<Column, number> {
  const w = {} as Record<Column, number>;
  for (const c of Object.keys(COLUMNS) as Column[]) w[c] = Math.max(COLUMNS[c].min, displayWidth(h[c]));
  return w;
}

function row(cells: Record<Column | 'info', string>, w: Record<Column, number>): string {
  const cell = (c: Column): string => (COLUMNS[c].right ? padStartColumns : padEndColumns)(cells[c], w[c]);
  return `  ${cell('no')} ${cell('time')}  ${cell('dev')} ${cell('dir')} ${cell('src')} ${cell('dst')} ${cell('proto')} ${cell('len')}  ${cells.info}`;
}

/** The table's heading line, in the language in use. */
export function frameTableHeader(): string {
  const h = headings();
  return row(h, frameWidths(h));
}

/** One frame as a line of the table, in columns `w` (frameWidths(), looked up once per table). */
export function frameLine(f: FrameRecord, w: Record<Column, number>): string {
  return row({ no: String(f.index + 1), time: msText(f.time), dev: f.dev, dir: f.dir, src: f.src, dst: f.dst, proto: f.protocol, len: String(f.len), info: f.info }, w);
}
