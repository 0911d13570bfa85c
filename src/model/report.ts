// Frames as a table of text, like a packet capture's list: `kpath run` prints it, and the debug
// adapter prints it to the debug console when a run ends.

import type { FrameRecord } from './result';

/** Nanoseconds of virtual time as milliseconds with six decimals (nanosecond precision). */
export function msText(t: number): string {
  return (t / 1e6).toFixed(6);
}

export const FRAME_TABLE_HEADER = `  ${'No.'.padStart(4)} ${'Time (ms)'.padStart(13)}  ${'Dev'.padEnd(6)} ${'Dir'.padEnd(3)} ${'Source'.padEnd(17)} ${'Destination'.padEnd(17)} ${'Proto'.padEnd(6)} ${'Len'.padStart(5)}  Info`;

export function frameLine(f: FrameRecord): string {
  return `  ${String(f.index + 1).padStart(4)} ${msText(f.time).padStart(13)}  ${f.dev.padEnd(6)} ${f.dir.padEnd(3)} ${f.src.padEnd(17)} ${f.dst.padEnd(17)} ${f.protocol.padEnd(6)} ${String(f.len).padStart(5)}  ${f.info}`;
}
