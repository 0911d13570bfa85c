// kpath/path: the modeled functions of the run's kernel profile as a call graph (read from the
// model listings), the path the current packet took through them up to the stop, and where the
// stop is. kpath/functionSource: where a modeled function starts in its listing (the path
// picture opens it on a click).

import { callGraph } from '../model/listing/calls';
import { findFunction } from '../model/kernel/functions';
import { packetPath } from '../debugger/path';
import * as l10n from '@vscode/l10n';
import type { Stop } from '../debugger/types';
import type { RequestContext } from './requests';
import type { PathPicture } from './pictures';
import { pictureFrame, selectedFrame, stoppedAt } from './skb';

/** The last path worked out at each stop: a stop and a change of frame ask for the same one. */
const lastPath = new WeakMap<Stop, { packet: number | null; path: PathPicture['path']; skipped: number }>();

/** kpath/path {frameId?}: the graph, the packet's path and the stop's position in it. */
export function pathRequest(ctx: RequestContext, args: { frameId?: unknown }): PathPicture {
  const stop = stoppedAt(ctx, 'kpath/path');
  const rt = ctx.runtime!;
  const selected = selectedFrame(ctx, 'kpath/path', args.frameId);
  const { skb } = pictureFrame(stop, selected);
  const profile = rt.scenario.kernel;
  const graph = callGraph(profile);
  const packet = skb ? skb.id : null;
  let known = lastPath.get(stop);
  if (!known || known.packet !== packet) {
    const { calls, skipped } = rt.packetCalls(packet);
    known = { packet, path: packetPath(calls, packet), skipped };
    lastPath.set(stop, known);
  }
  return {
    profile,
    functions: graph.functions.map((name) => ({ name, file: findFunction(name)?.source ?? '' })),
    edges: graph.edges,
    packet,
    current: stop.frames[selected ?? 0]?.fn ?? null,
    stack: stop.frames.map((f) => f.fn),
    path: known.path,
    skipped: known.skipped,
  };
}

/** kpath/functionSource {name}: the listing file and line where a modeled function starts. */
export function functionSourceRequest(ctx: RequestContext, args: { name?: unknown }): object {
  if (typeof args.name !== 'string' || !args.name) throw new Error(l10n.t('kpath/functionSource: name must be the name of a modeled function'));
  if (!ctx.runtime || !ctx.listings) throw new Error(l10n.t('{0}: no scenario is running (launch first)', 'kpath/functionSource'));
  const profile = ctx.runtime.scenario.kernel;
  const f = findFunction(args.name);
  if (!f) throw new Error(l10n.t('{0} is not a modeled function', args.name));
  if (!f.profiles.includes(profile)) throw new Error(l10n.t('{0} is not on the {1} path', args.name, profile));
  const pos = ctx.listings.position(args.name, 'enter');
  if (!pos) throw new Error(l10n.t('{0} has no listing', args.name));
  return { path: pos.path, line: pos.line };
}
