// struct neighbour and the ARP table (arp_tbl), with the per-device parameters of
// net.ipv4.neigh.<dev>.*. States and their groups as in include/uapi/linux/neighbour.h.

import type { NetDevice } from './device';
import type { SkBuff } from './skbuff';
import type { Event } from '../core/timers';

export const NUD_NONE = 0x00;
export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;

export const NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;
export const NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
export const NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

export function nudName(state: number): string {
  switch (state) {
    case NUD_NONE: return 'NONE';
    case NUD_INCOMPLETE: return 'INCOMPLETE';
    case NUD_REACHABLE: return 'REACHABLE';
    case NUD_STALE: return 'STALE';
    case NUD_DELAY: return 'DELAY';
    case NUD_PROBE: return 'PROBE';
    case NUD_FAILED: return 'FAILED';
    case NUD_NOARP: return 'NOARP';
    case NUD_PERMANENT: return 'PERMANENT';
    default: return '0x' + state.toString(16);
  }
}

export const NUD_BY_NAME: Record<string, number> = {
  NONE: NUD_NONE, INCOMPLETE: NUD_INCOMPLETE, REACHABLE: NUD_REACHABLE, STALE: NUD_STALE,
  DELAY: NUD_DELAY, PROBE: NUD_PROBE, FAILED: NUD_FAILED, NOARP: NUD_NOARP, PERMANENT: NUD_PERMANENT,
};

/** Per-device neighbour parameters (struct neigh_parms), times in jiffies. */
export interface NeighParms {
  mcast_probes: number;
  ucast_probes: number;
  app_probes: number;
  mcast_reprobes: number;
  retrans_time: number;
  base_reachable_time: number;
  delay_probe_time: number;
  gc_staletime: number;
  queue_len_bytes: number;
  locktime: number;
  /** Drawn from base_reachable_time (neigh_rand_reach_time). */
  reachable_time: number;
}

/** Which output routine n->output points at. */
export type NeighOutput = 'neigh_resolve_output' | 'neigh_connected_output' | 'neigh_direct_output' | 'neigh_blackhole';

export class Neighbour {
  key: number; // primary_key: the IPv4 next hop
  dev: NetDevice;
  nud_state = NUD_NONE;
  ha = new Uint8Array(6);
  output: NeighOutput = 'neigh_blackhole';
  /** The cached link header (hh_cache): 0 until neigh_hh_init fills it. */
  hh_len = 0;
  hh_data = new Uint8Array(16);
  probes = 0;
  confirmed = 0; // jiffies
  updated = 0;
  used = 0;
  arp_queue: SkBuff[] = [];
  arp_queue_len_bytes = 0;
  timer: Event | null = null;
  /** Jiffy at which the timer runs (after the wheel's rounding), or 0. */
  timerExpires = 0;
  parms: NeighParms;
  dead = false;

  constructor(key: number, dev: NetDevice, parms: NeighParms) {
    this.key = key;
    this.dev = dev;
    this.parms = parms;
  }
}

/** /proc/net/stat/arp_cache */
export interface NeighStats {
  allocs: number;
  destroys: number;
  lookups: number;
  hits: number;
  res_failed: number;
  unresolved_discards: number;
  table_fulls: number;
}

export class NeighTable {
  entries = new Map<number, Neighbour>();
  stats: NeighStats = { allocs: 0, destroys: 0, lookups: 0, hits: 0, res_failed: 0, unresolved_discards: 0, table_fulls: 0 };
  gc_thresh3 = 1024;

  static key(dev: NetDevice, addr: number): number {
    return dev.ifindex * 4294967296 + addr;
  }

  get(dev: NetDevice, addr: number): Neighbour | undefined {
    return this.entries.get(NeighTable.key(dev, addr));
  }
}
