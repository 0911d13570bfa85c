// The key order of the items the parser builds, so that a scenario's JSON reads the same whether it
// came from text or from an object.

/** Key order of a Link. */
export const LINK_ORDER = ['name', 'type', 'parent', 'vlanId', 'mtu', 'address', 'qdisc', 'txqueuelen', 'offload', 'up', 'pos'];

/** Key order of a Route. */
export const ROUTE_ORDER = ['dst', 'prefix', 'via', 'dev', 'mtu', 'src', 'table', 'pos'];

/** Key order of a Rule. */
export const RULE_ORDER = ['priority', 'fwmark', 'fwmask', 'from', 'to', 'oif', 'table', 'pos'];

/** Key order of a Send, as the parser builds it (so that JSON output reads the same either way). */
export const SEND_ORDER = [
  'at', 'proto', 'to', 'port', 'from', 'fromPort', 'size', 'df', 'ttl', 'tos', 'mark', 'count', 'every', 'socket',
  'connected', 'broadcast', 'bindDev', 'multicastIf', 'multicastTtl', 'multicastLoop', 'recverr', 'ipOptions', 'gso', 'pos',
];

/** The same object with its keys in the given order (absent keys stay absent). */
export function orderKeys<T extends object>(o: T, order: readonly string[]): T {
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of order) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out as T;
}
