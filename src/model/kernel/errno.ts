// errno values the transmit path returns, and their names for results and traces.

export const EPERM = 1;
export const ENOENT = 2;
export const EINTR = 4;
export const ENOMEM = 12;
export const EACCES = 13;
export const EINVAL = 22;
export const EMSGSIZE = 90;
export const ENETDOWN = 100;
export const ENETUNREACH = 101;
export const ENOBUFS = 105;
export const ECONNREFUSED = 111;
export const EHOSTUNREACH = 113;
export const ENODEV = 19;
export const EADDRNOTAVAIL = 99;

const NAMES: Record<number, string> = {
  [EPERM]: 'EPERM', [ENOENT]: 'ENOENT', [EINTR]: 'EINTR', [ENOMEM]: 'ENOMEM', [EACCES]: 'EACCES',
  [EINVAL]: 'EINVAL', [EMSGSIZE]: 'EMSGSIZE', [ENETDOWN]: 'ENETDOWN', [ENETUNREACH]: 'ENETUNREACH',
  [ENOBUFS]: 'ENOBUFS', [ECONNREFUSED]: 'ECONNREFUSED', [EHOSTUNREACH]: 'EHOSTUNREACH', [ENODEV]: 'ENODEV',
  [EADDRNOTAVAIL]: 'EADDRNOTAVAIL',
};

/** "EMSGSIZE" for -90 or 90. */
export function errnoName(err: number): string {
  const e = Math.abs(err);
  return NAMES[e] ?? `errno ${e}`;
}

// Return codes of dev_queue_xmit and the qdisc layer.
export const NET_XMIT_SUCCESS = 0;
export const NET_XMIT_DROP = 1;
export const NET_XMIT_CN = 2;

// The receive side's codes (netif_rx, netif_receive_skb, ip_rcv).
export const NET_RX_SUCCESS = 0;
export const NET_RX_DROP = 1;
