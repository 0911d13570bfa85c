// Dropped packets as the adapter sends them: kpath/drop events during a run (up to a limit
// between two stops) and the kpath/drops request, which pages through all of them up to the
// current position.

import type { WireDrop } from '../debugger/types';
// Imported from the package itself: @vscode/l10n-dev exports only the strings of files that do.
import * as l10n from '@vscode/l10n';
import { pageArgs } from './args';
import type { RequestContext } from './requests';

/** At most this many kpath/drop events per run between two stops; the rest by kpath/drops. */
export const DROP_EVENT_LIMIT = 1000;
/** At most this many drops per kpath/drops response. */
export const DROP_PAGE_LIMIT = 1000;

/** A drop as kpath/drop events and kpath/drops responses carry it (`frame`: frames on the wire before it). */
export function dropBody(d: WireDrop, index: number): Record<string, unknown> {
  return { index, time: d.time, packet: d.packet, function: d.function, reason: d.reason, len: d.len, frame: d.frame };
}

/** kpath/drops {start, count}: the packets dropped up to the current position. */
export function dropsRequest(ctx: RequestContext, args: { start?: unknown; count?: unknown }): object {
  const { start, count } = pageArgs('kpath/drops', args, DROP_PAGE_LIMIT);
  if (!ctx.runtime) throw new Error(l10n.t('no scenario is running (launch first)'));
  const page = ctx.runtime.drops(start, count);
  return { total: page.total, drops: page.drops.map((d, i) => dropBody(d, start + i)) };
}
