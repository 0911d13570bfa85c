// kpath/wire {start, count}: the rows of the Wire view, frames and drops up to the current
// position in the order they happened, each frame summarised as a capture's list shows it (the
// layers and bytes of one frame come from kpath/frameDetail when it is opened).

import { decodeFrame, summarize } from '../model/wire/decode';
// Imported from the package itself: @vscode/l10n-dev exports only the strings of files that do.
import * as l10n from '@vscode/l10n';
import { pageArgs } from './args';
import { dropBody } from './drops';
import type { RequestContext } from './requests';

/** At most this many rows per kpath/wire response. */
export const WIRE_PAGE_LIMIT = 1000;

export function wireRequest(ctx: RequestContext, args: { start?: unknown; count?: unknown }): object {
  const { start, count } = pageArgs('kpath/wire', args, WIRE_PAGE_LIMIT);
  const rt = ctx.runtime;
  if (!rt) throw new Error(l10n.t('no scenario is running (launch first)'));
  const { rows, frames, drops } = rt.wireRows(start, count);
  // The rows hold consecutive frames and consecutive drops: one slice of each.
  const firstFrame = rows.find((r) => r.kind === 'frame')?.index ?? 0;
  const firstDrop = rows.find((r) => r.kind === 'drop')?.index ?? 0;
  const frameList = rt.frames(firstFrame, rows.length).frames;
  const dropList = rt.drops(firstDrop, rows.length).drops;
  return {
    frames,
    drops,
    total: frames + drops,
    rows: rows.map((r) => {
      if (r.kind === 'drop') return { kind: 'drop', ...dropBody(dropList[r.index - firstDrop], r.index) };
      const f = frameList[r.index - firstFrame];
      const sum = summarize(decodeFrame(f.bytes));
      return { kind: 'frame', index: r.index, time: f.time, dev: f.dev, dir: f.dir, len: f.bytes.length, src: sum.src, dst: sum.dst, protocol: sum.protocol, info: sum.info, packet: f.packet };
    }),
  };
}
