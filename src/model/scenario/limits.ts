// What a scenario may make the model grow, and the error that says a limit was reached
// (docs/limits.md lists them all). Each is checked before memory runs out: a scenario past one is
// refused when it is read (checkLimits: the first item past it), or its run stops with a
// LimitError of one line.

import * as l10n from '@vscode/l10n';
import type { CheckContext, Item } from './context';
import { ScenarioError } from './errors';
import type { Scenario } from './types';

/** A run (or a scenario) past one of the stated limits. The message is one line, for the user. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

export const LIMITS = {
  /** Bytes of a scenario's text. */
  scenarioBytes: 1 << 20,
  /** Statements of a scenario (links, addresses, routes, neighbours, sysctls, rules, peers, joins, sends). */
  scenarioItems: 10_000,
  /** Links of a scenario. */
  links: 256,
  /** Peers of a scenario. */
  peers: 1024,
  /** Socket calls of a scenario, all send lines together. */
  calls: 10_000_000,
  /** Sockets open at once (named ones stay open; a call without a name closes its socket). */
  sockets: 65_536,
  /** Packets waiting on one neighbour's arp_queue (unres_qlen_bytes may allow more). */
  arpQueue: 100_000,
  /** Events and timers pending at once. */
  pendingEvents: 1_000_000,
  /** Events one run handles (each call, timer, reply and delivery is one). */
  events: 100_000_000,
  /** Bytes of frames a run keeps in memory when it keeps them (records mode). */
  keptFrameBytes: 256 << 20,
  /** Socket calls of a run that keeps a record per call (records mode). */
  recordedCalls: 1_000_000,
  /** Debugger: segments (events, and calls repeated at one instant) in the index of a run. */
  debugSegments: 4_000_000,
  /** Debugger: frames it keeps for the Wire view and kpath/frames. */
  debugFrames: 1_000_000,
  /** Debugger: log point lines, and trace lines, sent to the debug console between two stops. */
  consoleLines: 10_000,
} as const;

/** n with thousands separated, for messages. */
export function countText(n: number): string {
  return n.toLocaleString('en-US');
}

function report(ctx: CheckContext, item: Item, problem: string): void {
  const where = ctx.mode === 'object' ? `${ctx.paths.get(item) ?? ''}: ` : '';
  ctx.errors.push(new ScenarioError(ctx.file, item.pos?.line ?? 1, item.pos?.col ?? 1, where + problem));
}

export function checkLimits(s: Scenario, ctx: CheckContext): void {
  if (s.links.length > LIMITS.links) report(ctx, s.links[LIMITS.links], l10n.t('more than {0} links (the most a scenario may have)', countText(LIMITS.links)));
  if (s.peers.length > LIMITS.peers) report(ctx, s.peers[LIMITS.peers], l10n.t('more than {0} peers (the most a scenario may have)', countText(LIMITS.peers)));
  const items: Item[][] = [s.links, s.addrs, s.routes, s.neighs, s.sysctls, s.nft, s.peers, s.joins, s.sends];
  let n = 0;
  for (const list of items) n += list.length;
  if (n > LIMITS.scenarioItems) {
    const last = items.flat().sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0))[LIMITS.scenarioItems];
    report(ctx, last, l10n.t('more than {0} statements (the most a scenario may have)', countText(LIMITS.scenarioItems)));
  }
  let calls = 0;
  for (const send of s.sends) {
    calls += send.count;
    if (calls > LIMITS.calls) {
      report(ctx, send, l10n.t('the send lines make more than {0} socket calls in all (the most a scenario may make)', countText(LIMITS.calls)));
      break;
    }
  }
}

/** A scenario text too long to read, or null. */
export function textTooLong(text: string): string | null {
  // A UTF-16 unit is at most 3 bytes of UTF-8, so only long texts are measured exactly.
  if (text.length <= LIMITS.scenarioBytes / 3) return null;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
  }
  return bytes > LIMITS.scenarioBytes ? l10n.t('the scenario is more than {0} bytes long (the most kpath reads)', countText(LIMITS.scenarioBytes)) : null;
}
