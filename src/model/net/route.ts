// The routing side: FIB entries made from the scenario's addresses and routes, and struct rtable
// (the dst an skb carries), which names the output function dst_output will call.

import type { NetDevice } from './device';

export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_MULTICAST = 5;

export const RTCF_LOCAL = 0x80000000;
export const RTCF_BROADCAST = 0x10000000;
export const RTCF_MULTICAST = 0x20000000;

export const RTN_NAMES: Record<number, string> = {
  [RTN_UNICAST]: 'RTN_UNICAST',
  [RTN_LOCAL]: 'RTN_LOCAL',
  [RTN_BROADCAST]: 'RTN_BROADCAST',
  [RTN_MULTICAST]: 'RTN_MULTICAST',
};

/** Routing tables (rtnetlink.h): main, the default rule's table, and the kernel's local one. */
export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export interface FibEntry {
  /** The table the route is in (RT_TABLE_MAIN unless `route ... table N`). */
  table: number;
  dst: number;
  prefix: number;
  mask: number;
  gw: number; // 0: on-link
  dev: NetDevice;
  mtu: number; // 0: use the device's
  prefsrc: number; // 0: choose
  /** 'kernel' for the connected routes an address adds, 'static' for `route add`. */
  proto: 'kernel' | 'static';
}

/**
 * struct fib4_rule with the FR_ACT_TO_TBL action: the selectors (a zero mask matches anything)
 * and the table to look in. The kernel's own rules (local 0, main 32766, default 32767) are
 * in the list too, so that the walk is the kernel's.
 */
export interface FibRule {
  pref: number;
  mark: number;
  mark_mask: number;
  src: number;
  srcmask: number;
  src_len: number;
  dst: number;
  dstmask: number;
  dst_len: number;
  /** 0: any output device. */
  oifindex: number;
  table: number;
  /** The rule as `ip rule` shows it, for traces. */
  text: string;
}

export type OutputFn = 'ip_output' | 'ip_mc_output';

export interface Rtable {
  rt_type: number;
  rt_flags: number;
  dev: NetDevice;
  rt_gw4: number;
  /** Route MTU metric (0 when the device's MTU applies). */
  mtu: number;
  mtuLocked: boolean;
  output: OutputFn;
  /** The flow's chosen source and destination (fl4). */
  saddr: number;
  daddr: number;
  /** A joined group or a local broadcast: a copy is looped back (ip_mc_output). */
  fib?: FibEntry;
}

/** dst_mtu(&rt->dst): the route's metric, else the device's MTU. */
export function dstMtu(rt: Rtable): number {
  const m = rt.mtu || rt.dev.mtu;
  return m > 65535 ? 65535 : m;
}
