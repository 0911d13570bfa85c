// kpath/packet {id}: where a packet (an skb, by the id the call stack and the Variables view show)
// is at the current stop: the innermost stack frame that holds it, if any, so that a client can
// focus that frame and show its sk_buff.

import { intArg } from './args';
import type { RequestContext } from './requests';
import { threadOf } from './threads';

export function packetRequest(ctx: RequestContext, args: { id?: unknown }): object {
  const id = intArg('kpath/packet', 'id', args.id, 1, Number.MAX_SAFE_INTEGER);
  const stop = ctx.runtime?.current;
  if (!stop) return { id, stopped: false, frame: null };
  const threadId = threadOf(stop);
  const frame = stop.frames.findIndex((f) => f.skb?.id === id);
  return { id, stopped: true, threadId, frame: frame < 0 ? null : frame, function: frame < 0 ? null : stop.frames[frame].fn };
}
