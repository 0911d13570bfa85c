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

/** The table's column widths in the language in use: a heading wider than its column widens it. */
export function frameWidths(): Record<Column, number> {
  const h = headings();
  const w = (base: number, heading: string): number => Math.max(base, displayWidth(heading));
  return { no: w(4, h.no), time: w(13, h.time), dev: w(6, h.dev), dir: w(3, h.dir), src: w(17, h.src), dst: w(17, h.dst), proto: w(6, h.proto), len: w(5, h.len) };
}

function headings(): Record<Column | 'info', string> {
  return {
    no: l10n.t('No.'), time: l10n.t('Time (ms)'), dev: l10n.t('Dev'), dir: l10n.t('Dir'), src: l10n.t('Source'),
    dst: l10n.t('Destination'), proto: l10n.t('Proto'), len: l10n.t('Len'), info: l10n.t('Info'),
  };
}

/** The table's heading line, in the language in use. */
export function frameTableHeader(): string {
  const h = headings();
  const w = frameWidths();
  return `  ${padStartColumns(h.no, w.no)} ${padStartColumns(h.time, w.time)}  ${padEndColumns(h.dev, w.dev)} ${padEndColumns(h.dir, w.dir)} ${padEndColumns(h.src, w.src)} ${padEndColumns(h.dst, w.dst)} ${padEndColumns(h.proto, w.proto)} ${padStartColumns(h.len, w.len)}  ${h.info}`;
}

/** One frame as a line of the table, in columns `w` (frameWidths(), looked up once per table). */
export function frameLine(f: FrameRecord, w: Record<Column, number>): string {
  return `  ${String(f.index + 1).padStart(w.no)} ${msText(f.time).padStart(w.time)}  ${f.dev.padEnd(w.dev)} ${f.dir.padEnd(w.dir)} ${f.src.padEnd(w.src)} ${f.dst.padEnd(w.dst)} ${f.protocol.padEnd(w.proto)} ${String(f.len).padStart(w.len)}  ${f.info}`;
}
