// Frames on the wire as the adapter sends them: kpath/frame events during a run (up to a limit
// between two stops) and the kpath/frames request, which pages through all of them.

import * as l10n from '@vscode/l10n';
import { frameRecord } from '../model/run';
import type { WireFrame } from '../debugger/types';
import type { RequestContext } from './requests';
import { pageArgs } from './args';

/** At most this many kpath/frame events per run between two stops; the rest by kpath/frames. */
export const FRAME_EVENT_LIMIT = 1000;
/** At most this many frames per kpath/frames response. */
export const FRAME_PAGE_LIMIT = 1000;

/** A frame as kpath/frame events and kpath/frames responses carry it. */
export function frameBody(f: WireFrame, index: number): Record<string, unknown> {
  const rec = frameRecord({ ...f, bytes: f.bytes.slice() }, index);
  return { index, time: f.time, dev: f.dev, dir: f.dir, len: rec.len, hex: rec.hex, src: rec.src, dst: rec.dst, protocol: rec.protocol, info: rec.info, decoded: rec.decoded, packet: f.packet };
}

/** kpath/frames {start, count}: frames on the wire up to the current position, decoded. */
export function framesRequest(ctx: RequestContext, args: { start?: unknown; count?: unknown }): object {
  const { start, count } = pageArgs('kpath/frames', args, FRAME_PAGE_LIMIT);
  if (!ctx.runtime) throw new Error(l10n.t('no scenario is running (launch first)'));
  const page = ctx.runtime.frames(start, count);
  return { total: page.total, frames: page.frames.map((f, i) => frameBody(f, start + i)) };
}
